/* gh-proxy-connector.h — a session's back-end side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-bridge.h"
#include "gh-dataplane.h"

G_BEGIN_DECLS

/* Runs @session for @service with the client side @client (transfer full): a proxy
 * connects to its back-end first, echo and the others bridge at once. */
void gh_proxy_connector_serve_session (GhDataplane *dataplane,
                                       GhService   *service,
                                       GhSession   *session,
                                       GhEndpoint  *client);

G_END_DECLS
