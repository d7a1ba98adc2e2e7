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

/* The Sec-WebSocket-Accept value for @key (RFC 6455, 4.2.2). */
char                    *gh_websocket_accept_key            (const char          *key);

G_END_DECLS
