/* gh-admin-connections.h — the admin listener's connections: slots, limits and timers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-gateway.h"
#include "gh-tls-stream.h"

G_BEGIN_DECLS

/* Handshakes under way at once; a new connection past this drops the oldest. */
#define GH_ADMIN_MAX_PENDING_HANDSHAKES 32
/* Connections of identities at once, of which the last few only for the admin role. */
#define GH_ADMIN_MAX_CONNECTIONS 64
#define GH_ADMIN_ADMIN_RESERVE 8
/* Connections of one identity (one certificate) at once. */
#define GH_ADMIN_MAX_PER_IDENTITY 16
/* Connections that hold no slot (a certificate that is no identity, an identity over
 * its limit): each gets one answer (403 or 503) and is closed. */
#define GH_ADMIN_MAX_REFUSED 16
/* Retry-After of a 503 too-many-connections, in seconds. */
#define GH_ADMIN_RETRY_AFTER 5

/* Who is calling: from the verified client certificate of the connection. */
typedef struct {
  gatomicrefcount  ref_count;
  char            *subject;
  char            *fingerprint;
  GhTlsStream     *tls;          /* weak */
  char            *refused;      /* why the connection holds no slot: answered 503; or NULL */
} GhAdminCaller;

GhAdminCaller *_gh_admin_caller_ref   (GhAdminCaller *caller);
void           _gh_admin_caller_unref (GhAdminCaller *caller);

#define GH_TYPE_ADMIN_CONNECTIONS (gh_admin_connections_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminConnections, gh_admin_connections, GH, ADMIN_CONNECTIONS, GObject)

GhAdminConnections *gh_admin_connections_new           (GhGateway          *gateway);
/* Follows the requests of @soup, where the admitted connections go. */
void                gh_admin_connections_follow        (GhAdminConnections *self,
                                                        SoupServer         *soup);
/* A connection accepted, before its handshake: counted among the pending handshakes.
 * Returns the handshake's timeout in seconds. */
guint               gh_admin_connections_add           (GhAdminConnections *self,
                                                        GhTlsStream        *tls,
                                                        GSocketAddress     *remote);
/* A handshake that failed: logged, unless the table dropped it itself. */
void                gh_admin_connections_handshake_failed (GhAdminConnections *self,
                                                           GhTlsStream        *tls,
                                                           const GError       *error);
/* After the handshake: a slot for @certificate's identity, or a place among the
 * refused. FALSE (logged) when there is neither: close @tls. */
gboolean            gh_admin_connections_admit         (GhAdminConnections *self,
                                                        GhTlsStream        *tls,
                                                        GhCertificate      *certificate);
/* (nullable) (transfer none) The caller of the connection @msg came on. */
GhAdminCaller      *gh_admin_connections_lookup_caller (GhAdminConnections *self,
                                                        SoupServerMessage  *msg);
/* (nullable) (transfer none) The caller of the connection from @peer ("ip:port"), for
 * what is refused before libsoup has a message (gh-admin-server-guard.c). */
GhAdminCaller      *gh_admin_connections_lookup_peer   (GhAdminConnections *self,
                                                        const char         *peer);
/* @msg's connection became the event stream: no more request timers. */
void                gh_admin_connections_set_streaming (GhAdminConnections *self,
                                                        SoupServerMessage  *msg);

G_END_DECLS
