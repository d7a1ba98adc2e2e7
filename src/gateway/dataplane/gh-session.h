/* gh-session.h — one live connection through the gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

typedef enum {
  GH_SESSION_STATE_HANDSHAKE,  /* TLS or WebSocket handshake toward the client */
  GH_SESSION_STATE_CONNECTING, /* to the back-end */
  GH_SESSION_STATE_OPEN,
  GH_SESSION_STATE_CLOSED,
} GhSessionState;

typedef struct {
  guint64 bytes_in;      /* from clients */
  guint64 bytes_out;     /* to clients */
  guint64 messages_in;
  guint64 messages_out;
  guint   backend_version;  /* moves each time the back-end's address or TLS is set */
} GhSessionTraffic;

#define GH_TYPE_SESSION (gh_session_get_type ())

G_DECLARE_FINAL_TYPE (GhSession, gh_session, GH, SESSION, GObject)


GhSession      *gh_session_new                    (const char     *service,
                                                   GSocketAddress *client_address);
void            gh_session_set_home_context       (GhSession      *self,
                                                   GMainContext   *home);

const char     *gh_session_get_id                 (GhSession      *self);
const char     *gh_session_get_service            (GhSession      *self);
const char     *gh_session_get_client_address     (GhSession      *self);
GhSessionState  gh_session_get_state              (GhSession      *self);
const char     *gh_session_state_to_string        (GhSessionState  state);
gint64          gh_session_get_started            (GhSession      *self);  /* real time, µs */
/* The registry numbers sessions as they open: 1, 2, 3… */
guint64         gh_session_get_serial             (GhSession      *self);
void            gh_session_set_serial             (GhSession      *self,
                                                   guint64         serial);
const char     *gh_session_get_close_reason       (GhSession      *self);

void            gh_session_set_state              (GhSession      *self,
                                                   GhSessionState  state);
void            gh_session_set_client_tls         (GhSession      *self,
                                                   const char     *protocol,
                                                   const char     *cipher,
                                                   const char     *server_name,
                                                   const char     *alpn,
                                                   GhCertificate  *client_certificate);
/* The certificate the client presented (kept for GET /sessions/{id}), or NULL. */
GhCertificate  *gh_session_get_client_certificate (GhSession      *self);
void            gh_session_set_backend            (GhSession      *self,
                                                   const char     *address,
                                                   const char     *tls_result);
void            gh_session_dup_backend            (GhSession      *self,
                                                   char          **address,
                                                   char          **tls_result);
void            gh_session_add_client_traffic     (GhSession      *self,
                                                   guint64         bytes,
                                                   guint64         messages);
void            gh_session_add_backend_traffic    (GhSession      *self,
                                                   guint64         bytes,
                                                   guint64         messages);
guint64         gh_session_get_bytes_from_client  (GhSession      *self);
guint64         gh_session_get_bytes_to_client    (GhSession      *self);
guint64         gh_session_get_messages_from_client (GhSession    *self);
guint64         gh_session_get_messages_to_client (GhSession      *self);
void            gh_session_get_traffic            (GhSession        *self,
                                                   GhSessionTraffic *traffic);

/* Asks whoever carries the session to close both sides, recording @reason. */
void            gh_session_close                  (GhSession      *self,
                                                   const char     *reason);
/* Called by the carrier once both sides are closed. */
void            gh_session_mark_closed            (GhSession      *self,
                                                   const char     *reason);

JsonNode       *gh_session_to_json                (GhSession      *self);

G_END_DECLS
