/* gh-gateway-row.h — a gateway in the window's sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_GATEWAY_ROW (gh_gateway_row_get_type ())

G_DECLARE_FINAL_TYPE (GhGatewayRow, gh_gateway_row, GH, GATEWAY_ROW, GtkListBoxRow)

GtkWidget           *gh_gateway_row_new            (GhGatewayConnection *connection);
GhGatewayConnection *gh_gateway_row_get_connection (GhGatewayRow        *self);
GMenuModel          *gh_gateway_row_get_menu_model (GhGatewayRow        *self);
void                 gh_gateway_row_popup_menu     (GhGatewayRow        *self);

G_END_DECLS
