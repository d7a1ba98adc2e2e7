/* gh-connections-page.h — the live sessions of a gateway: a table that follows the
 * event stream, filtered, sorted, and closed from here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"
#include "gh-session-view.h"

G_BEGIN_DECLS

#define GH_TYPE_CONNECTIONS_PAGE (gh_connections_page_get_type ())

G_DECLARE_FINAL_TYPE (GhConnectionsPage, gh_connections_page, GH, CONNECTIONS_PAGE, AdwBin)

GhConnectionsPage   *gh_connections_page_new            (void);

GhGatewayConnection *gh_connections_page_get_connection (GhConnectionsPage   *self);
void                 gh_connections_page_set_connection (GhConnectionsPage   *self,
                                                         GhGatewayConnection *connection);

/* What the table shows (for the tests): the filtered, sorted sessions. */
GhSessionView       *gh_connections_page_get_view       (GhConnectionsPage   *self);

G_END_DECLS
