/* gh-gateway-list.h — the gateways the app administers, as a GListModel of
 * GhGatewayConnection, kept in GSettings ("gateways")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_GATEWAY_LIST (gh_gateway_list_get_type ())

G_DECLARE_FINAL_TYPE (GhGatewayList, gh_gateway_list, GH, GATEWAY_LIST, GObject)

/* Loads the profiles from @settings (not started). */
GhGatewayList       *gh_gateway_list_new            (GSettings           *settings);
/* Appends @connection; persistent ones are saved. FALSE (nothing added) when a
 * gateway with the same URL is in the list already. */
gboolean             gh_gateway_list_add            (GhGatewayList       *self,
                                                     GhGatewayConnection *connection);
/* Stops @connection, drops it (and its saved profile). */
void                 gh_gateway_list_remove         (GhGatewayList       *self,
                                                     GhGatewayConnection *connection);
GhGatewayConnection *gh_gateway_list_lookup         (GhGatewayList       *self,
                                                     const char          *url);
gboolean             gh_gateway_list_find           (GhGatewayList       *self,
                                                     GhGatewayConnection *connection,
                                                     guint               *position);
/* Starts every connection. */
void                 gh_gateway_list_start_all      (GhGatewayList       *self);
void                 gh_gateway_list_stop_all       (GhGatewayList       *self);

G_END_DECLS
