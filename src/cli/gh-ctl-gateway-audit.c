/* gh-ctl-gateway-audit.c — `gatehousectl audit`: who changed what on the gateway
 *
 * Reads /audit (the newest --limit entries) and prints one line per request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-audit"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ctl-private.h"

gboolean
gh_ctl_audit (const GhCommand  *command,
              int               argc,
              char            **argv,
              GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  JsonArray *entries;

  if (!gh_ctl_check_limit (error))
    return FALSE;
  path = gh_ctl_options.limit > 0 ? g_strdup_printf ("audit?limit=%d", gh_ctl_options.limit) : g_strdup ("audit");

  if (!gh_ctl_gateway_open_for (&gateway, NULL, command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entries = gh_ctl_json_array (root, "entries");
  g_print ("%-19s %-24s %-8s %-6s %-34s %-4s %s\n", _("TIME (UTC)"), _("WHO"), _("ROLE"), _("METHOD"), _("PATH"),
           _("CODE"), _("ACTION"));
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = gh_ctl_json_element (entries, i);
      g_autofree char *time = gh_ctl_format_time (gh_ctl_json_string (entry, "time"));
      const char *action = gh_ctl_json_string (entry, "action");
      const char *detail = gh_ctl_json_string (entry, "detail");

      g_print ("%-19s %-24s %-8s %-6s %-34s %-4" G_GINT64_FORMAT " %s%s%s\n", time,
               gh_ctl_json_string (entry, "subject"), gh_ctl_json_string (entry, "role"),
               gh_ctl_json_string (entry, "method"), gh_ctl_json_string (entry, "path"),
               gh_ctl_json_int (entry, "status"), action,
               detail[0] != '\0' ? (action[0] != '\0' ? ": " : "") : "", detail);
    }

  return TRUE;
}
