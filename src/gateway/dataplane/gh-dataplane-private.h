/* gh-dataplane-private.h — the data plane's shared state, for the files that serve
 * connections (listener, HTTP front, directory service, proxy connector)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-dataplane.h"
#include "gh-net-util.h"
#include "gh-session.h"
#include "gh-tls-stream.h"

G_BEGIN_DECLS

#define GH_HANDSHAKE_TIMEOUT 10  /* seconds */
#define GH_CONNECT_TIMEOUT 10    /* seconds for a back-end's TCP connect, TLS and upgrade together */
/* From the handshake, or the previous response, to a whole request. */
#define GH_REQUEST_TIMEOUT 10    /* seconds */

/* The gateway lives on its main context; sessions run on the workers' (gh-workers.c).
 * The workers read the current generation, the stopped services and the sessions
 * admitted per service from here, under @lock; what they change for the gateway (a
 * session to register, a back-end's health) goes to @home through gh_context_invoke(). */
struct _GhDataplane
{
  GObject          parent_instance;

  GMutex           lock;
  GhGeneration    *generation;      /* the current one */
  GHashTable      *listener_ids;    /* key → id of the listener bound there now */
  GHashTable      *stopped;         /* names of the services stopped through the admin API */
  GHashTable      *admitted;        /* service → live sessions it admitted */
  GHashTable      *backend_health;  /* service → whether its back-end answered last time */
  GMainContext    *home;
  GWeakRef         sessions;        /* GhSessionRegistry */

  /* The main context's own */
  GhWorkers       *workers;
  guint            last_listener_id;
  gboolean         accepting;
};

void       _gh_dataplane_log_session        (GhSession   *session,
                                             const char  *format,
                                             ...) G_GNUC_PRINTF (2, 3);
/* A session for @service from @client, admitted (and on its way into the registry), or
 * NULL when the service is stopped or full. */
GhSession *_gh_dataplane_open_session       (GhDataplane    *self,
                                             GhService      *service,
                                             GSocketAddress *client,
                                             GhTlsStream    *tls);
/* What the last attempt to reach a service's back-end gave; a change is signalled. */
void       _gh_dataplane_set_backend_health (GhDataplane *self,
                                             const char  *service,
                                             gboolean     ok,
                                             const char  *error);
/* The current generation's binding of @key, with the generation that holds it. */
GhBinding *_gh_dataplane_lookup_binding     (GhDataplane   *self,
                                             const char    *key,
                                             GhGeneration **generation);
gboolean   _gh_dataplane_listener_current   (GhDataplane *self,
                                             const char  *key,
                                             guint        listener_id);

G_END_DECLS
