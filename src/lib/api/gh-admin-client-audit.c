/* gh-admin-client-audit.c — GhAdminClient: who did what (GET /audit)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-audit"

#include "config.h"

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (audit_entry)

/* The path comes with its query: "audit?limit=N". */
static const GhAdminCall audit_call = {
  .method = "GET", .path = NULL, .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_audit_entry, .item_type = gh_api_audit_entry_get_type, .member = "entries",
};

void
gh_admin_client_list_audit_async (GhAdminClient       *self,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  path = limit > 0 ? g_strdup_printf ("audit?limit=%u", limit) : g_strdup ("audit");
  _gh_admin_client_call (self, &audit_call, path, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_audit_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &audit_call, NULL, error);
}
