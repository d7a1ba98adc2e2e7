/* gh-tls-stream.h — TLS over a socket connection, driven with GnuTLS directly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-certificate.h"
#include "gh-tls-context.h"

G_BEGIN_DECLS

#define GH_TYPE_TLS_STREAM (gh_tls_stream_get_type ())

G_DECLARE_FINAL_TYPE (GhTlsStream, gh_tls_stream, GH, TLS_STREAM, GIOStream)

GhTlsStream   *gh_tls_stream_new_server          (GSocketConnection   *base,
                                                  GhTlsServerContext  *context,
                                                  GError             **error);
GhTlsStream   *gh_tls_stream_new_client          (GSocketConnection   *base,
                                                  GhTlsClientContext  *context,
                                                  const char          *server_name,
                                                  GError             **error);

void           gh_tls_stream_handshake_async     (GhTlsStream         *self,
                                                  guint                timeout_seconds,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       gh_tls_stream_handshake_finish    (GhTlsStream         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

GSocketConnection *gh_tls_stream_get_base        (GhTlsStream         *self);
/* After the handshake: */
const char    *gh_tls_stream_get_protocol        (GhTlsStream         *self);  /* "TLS1.3" */
const char    *gh_tls_stream_get_cipher          (GhTlsStream         *self);  /* "TLS_AES_256_GCM_SHA384" */
const char    *gh_tls_stream_get_server_name     (GhTlsStream         *self);  /* SNI, or NULL */
const char    *gh_tls_stream_get_alpn            (GhTlsStream         *self);  /* or NULL */
const char    *gh_tls_stream_get_identity_alias  (GhTlsStream         *self);  /* the served key entry */
GhCertificate *gh_tls_stream_get_peer_certificate (GhTlsStream        *self);  /* or NULL */
/* The certificates the peer sent, leaf first: also after a handshake that failed on
 * them, for a probe that shows what a session was refused. */
GPtrArray     *gh_tls_stream_dup_peer_chain      (GhTlsStream         *self);  /* of GhCertificate */
/* The client side: whether the server asked for a certificate, and whether one went. */
gboolean       gh_tls_stream_get_certificate_requested (GhTlsStream   *self);
gboolean       gh_tls_stream_get_certificate_sent      (GhTlsStream   *self);
/* Plaintext bytes GnuTLS accepted for sending, since the stream was made. */
guint64        gh_tls_stream_get_bytes_written   (GhTlsStream         *self);
/* Plaintext bytes read from the peer, since the stream was made. */
guint64        gh_tls_stream_get_bytes_read      (GhTlsStream         *self);
/* Shuts the connection down under its reader: see the function's comment. */
void           gh_tls_stream_shutdown            (GhTlsStream         *self);
gboolean       gh_tls_stream_set_input_paused    (GhTlsStream         *self,
                                                  gboolean             paused);
GSource       *gh_tls_stream_create_input_source (GhTlsStream         *self,
                                                  GObject             *pollable,
                                                  GCancellable        *cancellable);
/* Ends the sending side (close_notify, then the socket's FIN) and leaves the input
 * open, for a server that answered and drains what the client still sends. */
void           gh_tls_stream_shutdown_write      (GhTlsStream         *self);

G_END_DECLS
