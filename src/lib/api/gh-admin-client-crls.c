/* gh-admin-client-crls.c — GhAdminClient: the truststore's revocation lists
 * (GET, POST /truststore/crls, DELETE /truststore/crls/{id})
 *
 * A CRL is public: its upload body is plain JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-crls"

#include "config.h"

#include "gh-admin-client-crls.h"
#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (crl)

static const GhAdminCall list_crls_call = {
  .method = "GET", .path = "truststore/crls", .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_crl, .item_type = gh_api_crl_get_type, .member = "crls",
};

static const GhAdminCall add_crls_call = {
  .method = "POST", .path = "truststore/crls", .answer = GH_ADMIN_ANSWER_VERSION,
};

static const GhAdminCall delete_crl_call = {
  .method = "DELETE", .path = "truststore/crls/%s", .answer = GH_ADMIN_ANSWER_VERSION,
};

void
gh_admin_client_list_crls_async (GhAdminClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &list_crls_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

/**
 * gh_admin_client_list_crls_finish:
 *
 * Returns: (transfer full): a #GListModel of #GhApiCrl, or %NULL with @error set
 */
GListModel *
gh_admin_client_list_crls_finish (GhAdminClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_crls_call, NULL, error);
}

void
gh_admin_client_add_crls_async (GhAdminClient       *self,
                                const char          *pem,
                                gint64               if_match,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (pem != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pem");
  json_builder_add_string_value (builder, pem);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = _gh_admin_body_new_json (root);
  _gh_admin_client_call (self, &add_crls_call, NULL, body, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_add_crls_finish (GhAdminClient  *self,
                                 GAsyncResult   *result,
                                 gint64         *new_version,
                                 GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &add_crls_call, new_version, error);
}

void
gh_admin_client_delete_crl_async (GhAdminClient       *self,
                                  const char          *id,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (id != NULL);

  _gh_admin_client_call (self, &delete_crl_call, id, NULL, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_delete_crl_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &delete_crl_call, new_version, error);
}
