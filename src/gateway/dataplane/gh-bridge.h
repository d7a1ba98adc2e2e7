/* gh-bridge.h — carries one session's traffic between the client and the back-end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-session.h"
#include "gh-metered-stream.h"

G_BEGIN_DECLS

typedef struct _GhEndpoint GhEndpoint;

/* Either side of a session: a byte stream (tcp, ssl) or a WebSocket (ws, wss). */
GhEndpoint *gh_endpoint_new_stream    (GIOStream               *stream);
GhEndpoint *gh_endpoint_new_websocket (SoupWebsocketConnection *websocket);
void        gh_endpoint_set_metered   (GhEndpoint              *endpoint,
                                       GhMeteredStream         *metered);
void        gh_endpoint_free          (GhEndpoint              *endpoint);
/* Closes a side that will never be bridged (its back-end could not be reached). */
void        gh_endpoint_refuse        (GhEndpoint              *endpoint,
                                       const char              *reason);

/* Starts carrying traffic; with @backend NULL, what the client sends comes back to it
 * (the echo service). The bridge lives until both sides are closed, then marks the
 * session closed. Bytes waiting to be written toward one side are bounded by
 * @max_pending: a side is not read while its peer is that far behind (a WebSocket
 * without a metered stream cannot be held back: toward a stream, it closes the
 * session instead). */
void        gh_bridge_start           (GhSession               *session,
                                       GhEndpoint              *client,
                                       GhEndpoint              *backend,
                                       guint64                  max_pending,
                                       guint                    idle_timeout_seconds);

G_END_DECLS
