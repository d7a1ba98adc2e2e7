/* gh-admin-server-services.c — /api/v1/services, /services/{name}, start, stop, tls
 *
 * A service as the running configuration has it, with its live state and counts.
 * /services/{name}/tls is gh-admin-server-service-tls.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"

/* @services_json: the configuration's "services" array, as gh_gateway_config_to_json()
 * writes it: made once per request, not once per service. */
static JsonNode *
service_to_json (GhAdminServer   *self,
                 GhServiceConfig *service,
                 JsonArray       *services_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GhSessionRegistry *sessions = gh_gateway_get_sessions (self->gateway);
  const char *name = gh_service_config_get_name (service);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "name", name);
  gh_json_add_string (builder, "type", gh_service_config_get_type_name (service));
  gh_json_add_string (builder, "description", gh_service_config_get_description (service));
  gh_json_add_strv (builder, "accept", gh_service_config_get_accept (service));
  gh_json_add_string (builder, "connect", gh_service_config_get_connect (service));
  gh_json_add_string (builder, "state", gh_gateway_get_service_started (self->gateway, name) ? "started" : "stopped");
  gh_json_add_int (builder, "sessions_open", gh_session_registry_count_service (sessions, name));
  gh_json_add_int (builder, "sessions_total", gh_session_registry_count_service_total (sessions, name));
  json_builder_set_member_name (builder, "config");
  json_builder_add_null_value (builder);
  for (guint i = 0; services_json != NULL && i < json_array_get_length (services_json); i++)
    {
      JsonObject *object = json_array_get_object_element (services_json, i);

      if (object != NULL && g_strcmp0 (json_object_get_string_member_with_default (object, "name", NULL), name) == 0)
        {
          json_builder_set_member_name (builder, "config");
          json_builder_add_value (builder, json_node_copy (json_array_get_element (services_json, i)));
          break;
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
_gh_admin_handle_services (GhAdminRequest *owned_request)
{
  g_autoptr(GhAdminRequest) request = owned_request;
  GhAdminServer *self = request->server;
  GhGatewayConfig *config = gh_gateway_get_config (self->gateway);
  guint n = g_strv_length (request->segments);
  const char *name = n >= 2 ? request->segments[1] : NULL;
  GhServiceConfig *service = name ? gh_gateway_config_lookup_service (config, name) : NULL;
  g_autoptr(JsonNode) config_json = gh_gateway_config_to_json (config);
  JsonObject *config_object = json_node_get_object (config_json);
  JsonArray *services_json = json_object_has_member (config_object, "services")
                             ? json_object_get_array_member (config_object, "services") : NULL;

  if (n == 1)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      GListModel *services = gh_gateway_config_get_services (config);

      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (services); i++)
        {
          g_autoptr(GhServiceConfig) item = g_list_model_get_item (services, i);

          json_builder_add_value (builder, service_to_json (self, item, services_json));
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
      return;
    }

  if (service == NULL || n > 3)
    {
      g_autofree char *detail = g_strdup_printf (_("There is no service “%s”"), name);

      _gh_admin_respond_not_found (request, detail);
      return;
    }

  if (n == 2)
    {
      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      _gh_admin_respond_json (request, SOUP_STATUS_OK, service_to_json (self, service, services_json));
      return;
    }

  if (g_str_equal (request->segments[2], "tls"))
    {
      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      _gh_admin_handle_services_tls (g_steal_pointer (&request), name);
      return;
    }

  if (g_str_equal (request->segments[2], "start") || g_str_equal (request->segments[2], "stop"))
    {
      gboolean start = g_str_equal (request->segments[2], "start");
      g_autoptr(GError) error = NULL;
      g_autofree char *caller = _gh_admin_caller_name (request);
      g_autofree char *reason = g_strdup_printf (_("service stopped by %s"), caller);

      request->action = g_strdup_printf ("service %s %s", start ? "start" : "stop", name);
      if (!_gh_admin_method_is (request, "POST"))
        {
          _gh_admin_respond_method_not_allowed (request, "POST");
          return;
        }
      if (!_gh_admin_require_role (request, GH_ADMIN_ROLE_OPERATOR))
        return;

      if (!gh_gateway_set_service_started (self->gateway, name, start, reason, &error))
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", error->message, NULL);
          return;
        }
      _gh_admin_respond_json (request, SOUP_STATUS_OK, service_to_json (self, service, services_json));
      return;
    }

  _gh_admin_respond_not_found (request, NULL);
}
