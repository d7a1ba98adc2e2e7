/* gh-websocket-client.h — the client side of a WebSocket handshake over any stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void                     gh_websocket_client_connect_async  (GIOStream           *stream,
                                                             GUri                *uri,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
SoupWebsocketConnection *gh_websocket_client_connect_finish (GIOStream           *stream,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* The bytes a frame of @payload bytes takes on the wire (RFC 6455, 5.2): a client's
 * frames carry a 4-byte mask. */
guint64                  gh_websocket_frame_size            (gsize                payload,
                                                             gboolean             masked);

/* The Sec-WebSocket-Accept value for @key (RFC 6455, 4.2.2). */
char                    *gh_websocket_accept_key            (const char          *key);

G_END_DECLS
