/* gh-ctl-gateway-info.c — `gatehousectl info`: who the gateway is, and its counters
 *
 * One command over two reads, GET /info and GET /stats; --json prints both as the
 * API answered them, under "info" and "stats".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-info"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-ctl-private.h"

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d %" G_GINT64_FORMAT "h", seconds / 86400, seconds % 86400 / 3600);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %" G_GINT64_FORMAT "m", seconds / 3600, seconds % 3600 / 60);
  if (seconds >= 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m %" G_GINT64_FORMAT "s", seconds / 60, seconds % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

gboolean
gh_ctl_info (const GhCommand  *command,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_autofree char *listeners = NULL, *uptime = NULL, *started = NULL;
  JsonObject *object, *identity, *counters;

  if (!gh_ctl_gateway_open_for (&gateway, NULL, command, argc, argv, 0, error) ||
      (info = gh_ctl_gateway_get (&gateway, "info", error)) == NULL ||
      (stats = gh_ctl_gateway_get (&gateway, "stats", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *both = json_object_new ();

      json_object_set_member (both, "info", json_node_ref (info));
      json_object_set_member (both, "stats", json_node_ref (stats));
      json_node_take_object (node, both);
      gh_ctl_print_json (node);
      return TRUE;
    }

  object = json_node_get_object (info);
  identity = gh_ctl_json_object (object, "identity");
  counters = json_node_get_object (stats);
  listeners = gh_ctl_json_join (object, "listeners", ", ");
  uptime = format_duration (gh_ctl_json_int (object, "uptime"));
  started = gh_ctl_format_time (gh_ctl_json_string (object, "started"));

  g_print ("%-16s %s\n", _("Name:"), gh_ctl_json_string (object, "name"));
  g_print ("%-16s %s (API %" G_GINT64_FORMAT ")\n", _("Version:"), gh_ctl_json_string (object, "version"),
           gh_ctl_json_int (object, "api"));
  /* Translators: a heading, a time, and how long ago that was */
  g_print (_("%-16s %s UTC (up %s)\n"), _("Started:"), started, uptime);
  g_print ("%-16s v%" G_GINT64_FORMAT "\n", _("Configuration:"), gh_ctl_json_int (object, "config_version"));
  g_print ("%-16s %s\n", _("Listeners:"), listeners);
  g_print ("%-16s %s\n", _("Admin API:"), gh_ctl_json_string (object, "admin_listen"));
  g_print ("%-16s %s (%s)\n", _("You are:"), gh_ctl_json_string (identity, "subject"),
           gh_ctl_json_string (identity, "role"));
  g_print ("%-16s %s\n", _("Pinned:"), gh_admin_client_get_pinned_sha256 (gateway.client));
  g_print (_("%-16s %" PRId64 " open, %" PRId64 " in all\n"), _("Sessions:"),
           gh_ctl_json_int (counters, "sessions_open"), gh_ctl_json_int (counters, "sessions_total"));
  g_print (_("%-16s %" PRId64 " bytes, %" PRId64 " messages from clients; "
             "%" PRId64 " bytes, %" PRId64 " messages to them\n"), _("Traffic:"),
           gh_ctl_json_int (counters, "bytes_in"), gh_ctl_json_int (counters, "messages_in"),
           gh_ctl_json_int (counters, "bytes_out"), gh_ctl_json_int (counters, "messages_out"));

  return TRUE;
}
