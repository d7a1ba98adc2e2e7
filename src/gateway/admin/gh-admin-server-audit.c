/* gh-admin-server-audit.c — GET /audit
 *
 * The newest records of who changed what, or was refused (gh-admin-audit.c keeps them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"

void
_gh_admin_handle_audit (GhAdminRequest *request)
{
  guint limit;

  if (!_gh_admin_method_is (request, "GET"))
    {
      _gh_admin_respond_method_not_allowed (request, "GET");
      return;
    }
  if (!_gh_admin_parse_limit (request, request->query ? g_hash_table_lookup (request->query, "limit") : NULL,
                    100, GH_ADMIN_AUDIT_KEPT, &limit))
    return;
  _gh_admin_respond_json (request, SOUP_STATUS_OK, gh_admin_audit_to_json (request->server->audit, limit));
}
