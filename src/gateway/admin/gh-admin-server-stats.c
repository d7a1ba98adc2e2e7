/* gh-admin-server-stats.c — GET /info and GET /stats
 *
 * What the gateway is and how it is doing: its name, version, uptime, listeners and the
 * caller's own identity; the traffic counters (gh_gateway_stats_to_json()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"

JsonNode *
_gh_admin_identity_to_json (GhAdminRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "subject", request->caller->subject);
  gh_json_add_string (builder, "fingerprint", request->caller->fingerprint);
  gh_json_add_string (builder, "role", gh_admin_role_to_string (request->role));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
_gh_admin_handle_info (GhAdminRequest *request)
{
  GhGateway *gateway = request->server->gateway;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) listeners = gh_gateway_dup_listen_addresses (gateway);
  g_autofree char *started = gh_json_format_time (gh_gateway_get_started (gateway));

  if (!_gh_admin_method_is (request, "GET"))
    {
      _gh_admin_respond_method_not_allowed (request, "GET");
      return;
    }

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "name", gh_gateway_config_get_name (gh_gateway_get_config (gateway)));
  gh_json_add_string (builder, "version", PACKAGE_VERSION);
  gh_json_add_int (builder, "api", 1);
  gh_json_add_string (builder, "started", started);
  gh_json_add_int (builder, "uptime", (g_get_real_time () - gh_gateway_get_started (gateway)) / G_USEC_PER_SEC);
  gh_json_add_int (builder, "config_version", gh_gateway_get_config_version (gateway));
  gh_json_add_strv (builder, "listeners", (const char * const *) listeners);
  gh_json_add_string (builder, "admin_listen", request->server->listen);
  json_builder_set_member_name (builder, "identity");
  json_builder_add_value (builder, _gh_admin_identity_to_json (request));
  json_builder_end_object (builder);
  _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

void
_gh_admin_handle_stats (GhAdminRequest *request)
{
  if (!_gh_admin_method_is (request, "GET"))
    {
      _gh_admin_respond_method_not_allowed (request, "GET");
      return;
    }
  _gh_admin_respond_json (request, SOUP_STATUS_OK, gh_gateway_stats_to_json (request->server->gateway));
}
