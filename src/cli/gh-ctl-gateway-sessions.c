/* gh-ctl-gateway-sessions.c — `gatehousectl sessions …` on a running gateway
 *
 * list (filtered by --service, --state and --limit) and show read /sessions; close
 * is the typed call, and prints the session as it was closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-sessions"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-ctl-private.h"

static void
print_session_row (JsonObject *session)
{
  g_autofree char *started = gh_ctl_format_time (gh_ctl_json_string (session, "started"));

  g_print ("%-36s %-16s %-22s %-7s %-19s %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT "\n",
           gh_ctl_json_string (session, "id"), gh_ctl_json_string (session, "service"),
           gh_ctl_json_string (session, "client"), gh_ctl_json_string (session, "state"), started,
           gh_ctl_json_int (session, "bytes_in"), gh_ctl_json_int (session, "bytes_out"));
}

gboolean
gh_ctl_sessions_list (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) path = g_string_new ("sessions?");
  JsonArray *sessions;
  const char *next;

  if (!gh_ctl_check_limit (error))
    return FALSE;
  if (gh_ctl_options.service != NULL)
    {
      g_autofree char *service = gh_ctl_escape (gh_ctl_options.service);
      g_string_append_printf (path, "service=%s&", service);
    }
  g_string_append_printf (path, "state=%s", gh_ctl_options.state != NULL ? gh_ctl_options.state : "open");
  if (gh_ctl_options.limit > 0)
    g_string_append_printf (path, "&limit=%d", gh_ctl_options.limit);

  if (!gh_ctl_gateway_open_for (&gateway, "sessions", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, path->str, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  sessions = gh_ctl_json_array (root, "sessions");
  g_print ("%-36s %-16s %-22s %-7s %-19s %10s %10s\n", _("ID"), _("SERVICE"), _("CLIENT"), _("STATE"),
           _("STARTED (UTC)"), _("BYTES IN"), _("BYTES OUT"));
  for (guint i = 0; sessions != NULL && i < json_array_get_length (sessions); i++)
    print_session_row (gh_ctl_json_element (sessions, i));
  next = gh_ctl_json_string (json_node_get_object (root), "next_cursor");
  if (next[0] != '\0')
    g_print (_("(%" PRId64 " in all: more than shown; raise --limit)\n"),
             gh_ctl_json_int (json_node_get_object (root), "total"));

  return TRUE;
}

static void
print_session (JsonObject *session)
{
  JsonObject *tls = gh_ctl_json_object (session, "tls");
  g_autofree char *started = gh_ctl_format_time (gh_ctl_json_string (session, "started"));

  g_print ("%-14s %s\n", _("ID:"), gh_ctl_json_string (session, "id"));
  g_print ("%-14s %s\n", _("Service:"), gh_ctl_json_string (session, "service"));
  g_print ("%-14s %s\n", _("Client:"), gh_ctl_json_string (session, "client"));
  g_print ("%-14s %s\n", _("State:"), gh_ctl_json_string (session, "state"));
  g_print ("%-14s %s UTC\n", _("Started:"), started);
  if (tls != NULL)
    g_print ("%-14s %s %s, SNI %s\n", _("TLS:"), gh_ctl_json_string (tls, "protocol"),
             gh_ctl_json_string (tls, "cipher"), gh_ctl_json_string (tls, "server_name"));
  if (gh_ctl_json_string (session, "backend")[0] != '\0')
    g_print ("%-14s %s %s\n", _("Back-end:"), gh_ctl_json_string (session, "backend"),
             gh_ctl_json_string (session, "backend_tls"));
  g_print (_("%-14s %" PRId64 " bytes, %" PRId64 " messages in; %" PRId64 " bytes, %" PRId64 " messages out\n"),
           _("Traffic:"),
           gh_ctl_json_int (session, "bytes_in"), gh_ctl_json_int (session, "messages_in"),
           gh_ctl_json_int (session, "bytes_out"), gh_ctl_json_int (session, "messages_out"));
  if (gh_ctl_json_string (session, "close_reason")[0] != '\0')
    g_print ("%-14s %s\n", _("Closed:"), gh_ctl_json_string (session, "close_reason"));
}

gboolean
gh_ctl_sessions_show (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL, *path = NULL;

  if (!gh_ctl_gateway_open_for (&gateway, "sessions", command, argc, argv, 1, error))
    return FALSE;

  id = gh_ctl_escape (argv[1]);
  path = g_strconcat ("sessions/", id, NULL);
  if ((root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    gh_ctl_print_json (root);
  else
    print_session (json_node_get_object (root));

  return TRUE;
}

gboolean
gh_ctl_sessions_close (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiSession) session = NULL;
  GError *local_error = NULL;

  if (!gh_ctl_gateway_open_for (&gateway, "sessions", command, argc, argv, 1, error))
    return FALSE;

  gh_admin_client_close_session_async (gateway.client, argv[1], NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  session = gh_admin_client_close_session_finish (gateway.client, result, &local_error);
  if (session == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", gh_api_session_get_id (session));
      json_object_set_string_member (object, "state", gh_api_session_get_state (session));
      json_object_set_string_member (object, "close_reason", gh_api_session_get_close_reason (session));
      json_node_take_object (node, object);
      gh_ctl_print_json (node);
    }
  else
    {
      g_print (_("Closed session %s of “%s” (%s)\n"), gh_api_session_get_id (session),
               gh_api_session_get_service (session),
               gh_api_session_get_close_reason (session) ? gh_api_session_get_close_reason (session) : "");
    }

  return TRUE;
}
