/* gh-admin-server-config.c — /api/v1/config: the configuration, its versions, rollback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-request.h"
#include "gh-admin-server-private.h"
#include "gh-json.h"

static void
respond_document (GhAdminRequest *request,
                  GBytes         *document,
                  gboolean        with_etag)
{
  gsize length;
  const char *data = g_bytes_get_data (document, &length);

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY, data, length);
  if (with_etag)
    {
      g_autofree char *etag = _gh_admin_etag (request->server);

      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "ETag", etag);
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
}

/* The configuration in the body, or NULL after answering. Reading fails only on what
 * cannot be a configuration (syntax, types, unknown members): that is 400 with the
 * problem; everything else is the validation's (422). */
static GhGatewayConfig *
parse_config_body (GhAdminRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (!gh_admin_media_type_is_json (soup_message_headers_get_list (headers, "Content-Type")))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                 _("Send the configuration as application/json (UTF-8)"), NULL);
      return NULL;
    }

  config = gh_gateway_config_new_from_data (data, length, &error);
  if (config == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", error->message,
                                 _gh_admin_problems_to_json (gh_config_error_get_problems (error), NULL));
      return NULL;
    }

  return config;
}

static void
respond_version (GhAdminRequest *request,
                 guint           status,
                 gint64          version)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *etag = _gh_admin_etag (request->server);

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "version", version);
  json_builder_end_object (builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "ETag", etag);
  _gh_admin_respond_json (request, status, json_builder_get_root (builder));
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhAdminRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (!gh_gateway_apply_finish (GH_GATEWAY (source), result, &version, &error))
    {
      _gh_admin_respond_apply_error (request, error);
      return;
    }
  respond_version (request, SOUP_STATUS_OK, version);
}

static void
on_validated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhAdminRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean valid = gh_gateway_apply_finish (GH_GATEWAY (source), result, NULL, &error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, valid);
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder,
                          _gh_admin_problems_to_json (valid || error->domain != GH_CONFIG_ERROR
                                                      ? NULL : gh_config_error_get_problems (error),
                                                      valid ? NULL : error));
  json_builder_end_object (builder);
  _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
apply_config (GhAdminRequest      *request,
              GhGatewayConfig     *config,
              GhGatewayApplyFlags  flags)
{
  g_autofree char *caller = _gh_admin_caller_name (request);

  _gh_admin_request_pause (request);
  gh_gateway_apply_async (request->server->gateway, config, NULL, NULL, flags, caller,
                          request->action ? request->action : "config", on_applied, request);
}

/* Validation reads no file on behalf of a caller who could not apply the result: for
 * anyone below admin, a document that names other files than the running
 * configuration (keystore, truststore, their password files, the admin client CA) is
 * refused before anything is read, with the same answer whether those files exist or
 * not, and one that names the same files is checked against the stores the gateway
 * has loaded already. Otherwise a viewer would learn whether any path exists, or
 * whether a password file opens a keystore (docs/admin-api.md). */
static void
validate_config (GhAdminRequest  *owned_request,
                 GhGatewayConfig *config)
{
  g_autoptr(GhAdminRequest) request = owned_request;
  GhGateway *gateway = request->server->gateway;
  GhGatewayConfig *running = gh_gateway_get_config (gateway);
  g_autofree char *caller = NULL;
  gboolean below_admin;

  if (request->role < GH_ADMIN_ROLE_ADMIN)
    {
      gh_gateway_config_set_base_directory (config, gh_gateway_config_get_base_directory (running));
      if (!gh_gateway_config_names_same_files (config, running))
        {
          g_autofree char *detail =
            g_strdup_printf (_("Validating a configuration that names other files than the running one "
                               "(keystore, truststore, password files, admin client CA) needs the role “%s”"),
                             gh_admin_role_to_string (GH_ADMIN_ROLE_ADMIN));

          _gh_admin_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden-role", detail, NULL);
          return;
        }
    }

  below_admin = request->role < GH_ADMIN_ROLE_ADMIN;
  caller = _gh_admin_caller_name (request);
  _gh_admin_request_pause (request);
  gh_gateway_apply_async (gateway, config,
                          below_admin ? gh_gateway_get_keystore (gateway) : NULL,
                          below_admin ? gh_gateway_get_truststore (gateway) : NULL,
                          GH_GATEWAY_APPLY_DRY_RUN, caller, "config validate",
                          on_validated, g_steal_pointer (&request));
}

static void
handle_rollback (GhAdminRequest *owned_request)
{
  g_autoptr(GhAdminRequest) request = owned_request;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  GhConfigHistory *history = gh_gateway_get_history (request->server->gateway);
  JsonObject *object;
  gint64 version;

  request->action = g_strdup ("config rollback");
  if (!_gh_admin_require_role (request, GH_ADMIN_ROLE_ADMIN) ||
      !_gh_admin_check_if_match (request) ||
      (object = _gh_admin_parse_body_object (request, gh_admin_rollback_members, &root)) == NULL)
    return;
  if (!gh_admin_parse_rollback (object, &version, &error))
    {
      _gh_admin_respond_malformed (request, error);
      return;
    }

  if (history == NULL || (document = gh_config_history_load (history, version, &error)) == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found",
                                 error ? error->message : _("There is no configuration history"), NULL);
      return;
    }

  config = gh_gateway_config_new_from_data (g_bytes_get_data (document, NULL), g_bytes_get_size (document), &error);
  if (config == NULL)
    {
      _gh_admin_respond_apply_error (request, error);
      return;
    }

  g_free (request->action);
  request->action = g_strdup_printf ("config rollback to v%" G_GINT64_FORMAT, version);
  apply_config (g_steal_pointer (&request), config, GH_GATEWAY_APPLY_CONFIG);
}

void
_gh_admin_handle_config (GhAdminRequest *owned_request)
{
  g_autoptr(GhAdminRequest) request = owned_request;
  const char *method = soup_server_message_get_method (request->msg);
  GhGateway *gateway = request->server->gateway;
  guint n = g_strv_length (request->segments);

  if (n == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          gsize length = 0;
          g_autofree char *data = gh_gateway_config_to_data (gh_gateway_get_config (gateway), &length);
          g_autoptr(GBytes) document = g_bytes_new_take (g_steal_pointer (&data), length);

          respond_document (request, document, TRUE);
          return;
        }
      if (g_str_equal (method, "PUT"))
        {
          g_autoptr(GhGatewayConfig) config = NULL;

          request->action = g_strdup ("config");
          if (!_gh_admin_require_role (request, GH_ADMIN_ROLE_ADMIN) ||
              !_gh_admin_check_if_match (request) ||
              (config = parse_config_body (request)) == NULL)
            return;
          apply_config (g_steal_pointer (&request), config, GH_GATEWAY_APPLY_CONFIG);
          return;
        }
      _gh_admin_respond_method_not_allowed (request, "GET, PUT");
      return;
    }

  if (n == 2 && g_str_equal (request->segments[1], "validate"))
    {
      g_autoptr(GhGatewayConfig) config = NULL;

      if (!g_str_equal (method, "POST"))
        {
          _gh_admin_respond_method_not_allowed (request, "POST");
          return;
        }
      if ((config = parse_config_body (request)) == NULL)
        return;
      validate_config (g_steal_pointer (&request), config);
      return;
    }

  if (n == 2 && g_str_equal (request->segments[1], "preview"))
    {
      _gh_admin_handle_config_preview (g_steal_pointer (&request));
      return;
    }

  if (n == 2 && g_str_equal (request->segments[1], "rollback"))
    {
      if (!g_str_equal (method, "POST"))
        {
          _gh_admin_respond_method_not_allowed (request, "POST");
          return;
        }
      handle_rollback (g_steal_pointer (&request));
      return;
    }

  if (g_str_equal (request->segments[1], "versions") && n <= 3)
    {
      GhConfigHistory *history = gh_gateway_get_history (gateway);

      if (!g_str_equal (method, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      if (history == NULL)
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found",
                                     _("There is no configuration history"), NULL);
          return;
        }

      if (n == 2)
        {
          _gh_admin_respond_json (request, SOUP_STATUS_OK, gh_config_history_to_json (history));
          return;
        }
      else
        {
          const char *text = request->segments[2];
          g_autoptr(GBytes) document = NULL;
          g_autoptr(GError) error = NULL;
          gint64 version;

          if (*text == 'v')
            text++;
          if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &version, NULL) ||
              (document = gh_config_history_load (history, version, &error)) == NULL)
            {
              _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found",
                                         error ? error->message : NULL, NULL);
              return;
            }
          respond_document (request, document, FALSE);
          return;
        }
    }

  _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
}
