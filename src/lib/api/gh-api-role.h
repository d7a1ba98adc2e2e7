/* gh-api-role.h — what an admin identity's role lets it do, as a client tells its user
 * before the gateway refuses (viewer < operator < admin)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-gateway-config.h"

G_BEGIN_DECLS

/* TRUE when an identity of @role may do what needs @needed. GH_ADMIN_ROLE_NONE means
 * not known yet (GET /info not read): allowed, and the gateway decides. */
gboolean  gh_admin_role_allows        (GhAdminRole role,
                                       GhAdminRole needed);
/* For a control that is off because of the role: "Needs the admin role; the role of
 * this identity is viewer". */
char     *gh_admin_role_describe_need (GhAdminRole needed,
                                       GhAdminRole role);

G_END_DECLS
