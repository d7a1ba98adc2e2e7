/* gh-admin-client-preview.c — GhAdminClient: POST /config/preview, the per-accept
 * preview of a proposed configuration or rotate
 *
 * Certificates only travel: a rotate's preview needs the new chain, never its key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-preview"

#include "config.h"

#include "gh-admin-client-preview.h"
#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (config_preview)

static const GhAdminCall preview_config_call = {
  .method = "POST", .path = "config/preview", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_config_preview,
};

void
gh_admin_client_preview_config_async (GhAdminClient       *self,
                                      GhGatewayConfig     *config,
                                      const char          *alias,
                                      const char          *chain_pem,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (config == NULL || GH_IS_GATEWAY_CONFIG (config));
  g_return_if_fail ((alias == NULL) == (chain_pem == NULL));

  json_builder_begin_object (builder);
  if (config != NULL)
    {
      json_builder_set_member_name (builder, "config");
      json_builder_add_value (builder, gh_gateway_config_to_json (config));
    }
  if (alias != NULL)
    {
      json_builder_set_member_name (builder, "keystore_entry");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "alias");
      json_builder_add_string_value (builder, alias);
      json_builder_set_member_name (builder, "chain");
      json_builder_add_string_value (builder, chain_pem);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = _gh_admin_body_new_json (root);
  _gh_admin_client_call (self, &preview_config_call, NULL, body, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

/**
 * gh_admin_client_preview_config_finish:
 *
 * Returns: (transfer full): the preview, or %NULL with @error set
 */
GhApiConfigPreview *
gh_admin_client_preview_config_finish (GhAdminClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &preview_config_call, NULL, error);
}
