/* gh-admin-client-config.c — GhAdminClient: the gateway's configuration (GET and
 * PUT /config with its version, POST /config/validate, the history under
 * /config/versions, POST /config/rollback)
 *
 * The document reads with GhGatewayConfig's own reader; an answer that carries the
 * configuration in force must carry its version (ETag: "vN") too, since every write
 * is made for one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-config"

#include "config.h"

#include <string.h>

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (config_version)

static gpointer
read_config (GhAdminClient   *self,
             GhAdminRequest  *request,
             GBytes          *body,
             JsonNode        *root,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  GhGatewayConfig *config;

  config = gh_gateway_config_new_from_data (data, size, &local_error);
  if (config == NULL)
    _gh_api_set_protocol_error (error, "the configuration does not read: %s", local_error->message);

  return config;
}

/* The configuration in force: with its version. */
static gpointer
read_current_config (GhAdminClient   *self,
                     GhAdminRequest  *request,
                     GBytes          *body,
                     JsonNode        *root,
                     GError         **error)
{
  if (request->version <= 0)
    {
      _gh_api_set_protocol_error (error, "the configuration comes without its version (ETag: \"vN\")");
      return NULL;
    }

  return read_config (self, request, body, root, error);
}

static gpointer
read_validation (GhAdminClient   *self,
                 GhAdminRequest  *request,
                 GBytes          *body,
                 JsonNode        *root,
                 GError         **error)
{
  JsonObject *object = _gh_api_node_get_object (root, "the answer", error);
  gboolean valid = FALSE;
  JsonArray *problems = NULL;
  GListModel *list;

  if (object == NULL ||
      !_gh_api_get_boolean (object, "the answer", "valid", GH_API_REQUIRED, &valid, error) ||
      !_gh_api_get_array (object, "the answer", "problems", GH_API_NULLABLE, &problems, error))
    return NULL;

  list = _gh_api_problems_from_array (problems, error);
  if (list == NULL)
    return NULL;

  if (valid != (g_list_model_get_n_items (list) == 0))
    {
      g_object_unref (list);
      _gh_api_set_protocol_error (error, "“valid” and “problems” disagree");
      return NULL;
    }

  return list;
}

static const GhAdminCall get_config_call = {
  .method = "GET", .path = "config", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_current_config, .free_result = g_object_unref,
};

static const GhAdminCall put_config_call = {
  .method = "PUT", .path = "config", .answer = GH_ADMIN_ANSWER_VERSION,
};

static const GhAdminCall validate_config_call = {
  .method = "POST", .path = "config/validate", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_validation, .free_result = g_object_unref,
};

static const GhAdminCall list_config_versions_call = {
  .method = "GET", .path = "config/versions", .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_config_version, .item_type = gh_api_config_version_get_type, .member = "versions",
  .version_member = "current",
};

static const GhAdminCall get_config_version_call = {
  .method = "GET", .path = "config/versions/%s", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_config, .free_result = g_object_unref,
};

static const GhAdminCall rollback_config_call = {
  .method = "POST", .path = "config/rollback", .answer = GH_ADMIN_ANSWER_VERSION,
};

static GBytes *
config_body (GhGatewayConfig *config)
{
  gsize length = 0;
  char *text = gh_gateway_config_to_data (config, &length);

  return g_bytes_new_take (text, length);
}

void
gh_admin_client_get_config_async (GhAdminClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &get_config_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhGatewayConfig *
gh_admin_client_get_config_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &get_config_call, version, error);
}

void
gh_admin_client_put_config_async (GhAdminClient       *self,
                                  GhGatewayConfig     *config,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (config));

  body = config_body (config);
  _gh_admin_client_call (self, &put_config_call, NULL, body, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_put_config_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &put_config_call, new_version, error);
}

void
gh_admin_client_validate_config_async (GhAdminClient       *self,
                                       GhGatewayConfig     *config,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (config));

  body = config_body (config);
  _gh_admin_client_call (self, &validate_config_call, NULL, body, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GListModel *
gh_admin_client_validate_config_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &validate_config_call, NULL, error);
}

void
gh_admin_client_list_config_versions_async (GhAdminClient       *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &list_config_versions_call, NULL, NULL, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_config_versions_finish (GhAdminClient  *self,
                                             GAsyncResult   *result,
                                             gint64         *current,
                                             GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_config_versions_call, current, error);
}

void
gh_admin_client_get_config_version_async (GhAdminClient       *self,
                                          gint64               version,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *number = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (version > 0);

  number = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  _gh_admin_client_call (self, &get_config_version_call, number, NULL, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GhGatewayConfig *
gh_admin_client_get_config_version_finish (GhAdminClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &get_config_version_call, NULL, error);
}

void
gh_admin_client_rollback_config_async (GhAdminClient       *self,
                                       gint64               version,
                                       gint64               if_match,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;
  char *text;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (version > 0);

  text = g_strdup_printf ("{\"version\":%" G_GINT64_FORMAT "}", version);
  body = g_bytes_new_take (text, strlen (text));
  _gh_admin_client_call (self, &rollback_config_call, NULL, body, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_rollback_config_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        gint64         *new_version,
                                        GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &rollback_config_call, new_version, error);
}
