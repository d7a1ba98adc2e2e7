/* gh-admin-client-info.c — GhAdminClient: what the gateway is (GET /info) and how
 * busy it is (GET /stats)
 *
 * Each endpoint is a GhAdminCall (gh-admin-client-private.h): the request and how
 * its answer reads; the core in gh-admin-client.c sends it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-info"

#include "config.h"

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (info)
GH_API_DEFINE_PARSE_FUNC (stats)

static const GhAdminCall info_call = {
  .method = "GET", .path = "info", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_info,
};

static const GhAdminCall stats_call = {
  .method = "GET", .path = "stats", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_stats,
};

void
gh_admin_client_get_info_async (GhAdminClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &info_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiInfo *
gh_admin_client_get_info_finish (GhAdminClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &info_call, NULL, error);
}

void
gh_admin_client_get_stats_async (GhAdminClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &stats_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiStats *
gh_admin_client_get_stats_finish (GhAdminClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &stats_call, NULL, error);
}
