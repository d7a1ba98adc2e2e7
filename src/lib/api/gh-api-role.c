/* gh-api-role.c — roles as the clients present them
 *
 * The gateway checks every request (gh-admin-server-respond.c); a client uses this to
 * turn off what would end in a 403 and to say which role it takes, so that a viewer
 * sees a read-only page rather than buttons that fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-role"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-role.h"

gboolean
gh_admin_role_allows (GhAdminRole role,
                      GhAdminRole needed)
{
  return role == GH_ADMIN_ROLE_NONE || role >= needed;
}

static const char *
role_name (GhAdminRole role)
{
  switch (role)
    {
    case GH_ADMIN_ROLE_VIEWER:
      return _("viewer");
    case GH_ADMIN_ROLE_OPERATOR:
      return _("operator");
    case GH_ADMIN_ROLE_ADMIN:
      return _("admin");
    case GH_ADMIN_ROLE_NONE:
    default:
      return NULL;
    }
}

char *
gh_admin_role_describe_need (GhAdminRole needed,
                             GhAdminRole role)
{
  g_return_val_if_fail (needed != GH_ADMIN_ROLE_NONE, NULL);

  if (role_name (role) == NULL)
    /* TRANSLATORS: %s is a role: viewer, operator or admin */
    return g_strdup_printf (_("Needs the %s role"), role_name (needed));
  /* TRANSLATORS: both %s are roles: viewer, operator or admin */
  return g_strdup_printf (_("Needs the %s role; the role of this identity is %s"), role_name (needed), role_name (role));
}
