/* gh-backend-probe.h — reaching a service's back-end as a session would, to see its
 * chain and what a session would be told
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-service-config.h"
#include "gh-tls-context.h"
#include "gh-tls-stream.h"

G_BEGIN_DECLS

typedef struct {
  char      *address;       /* "wss://localhost:9001", as the session log names it */
  char      *server_name;   /* sent as SNI; NULL for an IP address */
  char      *verify_name;   /* the name checked against the certificate */
  gboolean   connected;     /* a session would have got through every step */
  char      *step;          /* the step that failed, or NULL */
  char      *error;         /* why, in the session's words; NULL when connected */
  char      *verdict;       /* the session log's line: "connected to …" or "refused: …" */
  char      *backend_tls;   /* a session's backend_tls: "TLS1.3 …, verified"; or NULL */
  char      *protocol;      /* after the handshake, else NULL */
  char      *cipher;
  GPtrArray *peer_chain;    /* of GhCertificate, as the back-end sent them, leaf first */
  gboolean   certificate_requested;  /* the back-end asked for a client certificate */
  gboolean   certificate_sent;       /* and the gateway presented one */
} GhBackendProbe;

void            gh_backend_probe_free   (GhBackendProbe *probe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhBackendProbe, gh_backend_probe_free)

/* Connects to @config's ssl:// or wss:// back-end with @context (the service's own, as
 * its sessions use), sends the same SNI, verifies the same way and, for wss, makes the
 * same WebSocket upgrade; then closes. Never fails but for cancellation: what went
 * wrong is in the result. */
void            gh_backend_probe_async  (GhServiceConfig     *config,
                                         GhTlsClientContext  *context,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GhBackendProbe *gh_backend_probe_finish (GAsyncResult        *result,
                                         GError             **error);

/* The words the session log and the probe share. */
char           *gh_backend_address      (GUri               *uri);
char           *gh_backend_describe_tls (GhTlsStream        *tls,
                                         GhTlsClientContext *context);
char           *gh_backend_refusal      (const char         *address,
                                         const char         *message);

G_END_DECLS
