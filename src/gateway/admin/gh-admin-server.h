/* gh-admin-server.h — the admin API of gatehoused: HTTPS and WSS with client certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-gateway.h"

G_BEGIN_DECLS

#define GH_TYPE_ADMIN_SERVER (gh_admin_server_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminServer, gh_admin_server, GH, ADMIN_SERVER, GObject)

GhAdminServer *gh_admin_server_new          (GhGateway      *gateway);
/* Binds admin.listen when the running configuration has an admin section; follows
 * the gateway's changes afterwards (a new address rebinds). */
gboolean       gh_admin_server_start        (GhAdminServer  *self,
                                             GError        **error);
void           gh_admin_server_stop         (GhAdminServer  *self);
/* "host:port" bound, or NULL. */
const char    *gh_admin_server_get_listen   (GhAdminServer  *self);

G_END_DECLS
