/* gh-ctl-gateway.c — gatehousectl on a running gateway: the connection (identity, pin,
 * profile), errors and exit statuses, and the commands info, services, truststore,
 * sessions, events and audit
 *
 * Everything goes through GhAdminClient's public API, so the pin, the identity and
 * the errors are the library's (GH_API_ERROR codes, turned into exit statuses here).
 * Reads use its generic call and print what the API answered (--json) or a table
 * made from it; writes use the typed calls, which send If-Match (the current
 * version, fetched first, or --if-match) and wipe passwords once sent; `events`
 * follows one GhEventStream connection. See docs/gatehousectl.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "gh-ctl-private.h"
#include "gh-event-stream.h"
#include "gh-private-key.h"

#define IDENTITY_PASSWORD_VARIABLE "GATEHOUSE_IDENTITY_PASSWORD"

/* Waiting for one answer at a time */

void
gh_ctl_gateway_store_result (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

void
gh_ctl_gateway_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

char *
gh_ctl_escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* Errors and exit statuses */

/* The command error (and so the exit status) an API error gives. */
static GhCommandError
command_error_for_api_error (const GError *error)
{
  if (error->domain != GH_API_ERROR)
    return GH_COMMAND_ERROR_FAILED;

  switch ((GhApiError) error->code)
    {
    case GH_API_ERROR_NOT_AN_IDENTITY:
    case GH_API_ERROR_FORBIDDEN_ROLE:
    case GH_API_ERROR_ORIGIN_REFUSED:
      return GH_COMMAND_ERROR_FORBIDDEN;
    case GH_API_ERROR_PRECONDITION_FAILED:
      return GH_COMMAND_ERROR_STALE;
    case GH_API_ERROR_CONFIG_INVALID:
    case GH_API_ERROR_PKI_ERROR:
      return GH_COMMAND_ERROR_INVALID;
    case GH_API_ERROR_UNREACHABLE:
    case GH_API_ERROR_UNAVAILABLE:
      return GH_COMMAND_ERROR_UNREACHABLE;
    case GH_API_ERROR_PIN_MISMATCH:
    case GH_API_ERROR_TLS:
      return GH_COMMAND_ERROR_UNTRUSTED;
    case GH_API_ERROR_FAILED:
    case GH_API_ERROR_MISDIRECTED:
    case GH_API_ERROR_NOT_FOUND:
    case GH_API_ERROR_METHOD_NOT_ALLOWED:
    case GH_API_ERROR_LENGTH_REQUIRED:
    case GH_API_ERROR_BODY_TOO_LARGE:
    case GH_API_ERROR_UNSUPPORTED_MEDIA_TYPE:
    case GH_API_ERROR_MALFORMED:
    case GH_API_ERROR_PRECONDITION_REQUIRED:
    case GH_API_ERROR_CONFLICT:
    case GH_API_ERROR_INTERNAL:
    case GH_API_ERROR_IDENTITY:
    case GH_API_ERROR_PROTOCOL:
    default:
      return GH_COMMAND_ERROR_FAILED;
    }
}

gboolean
gh_ctl_gateway_fail (GhCtlGateway  *gateway,
                     GError        *api_error,
                     GError       **error)
{
  g_autoptr(GError) taken = api_error;
  g_autoptr(GString) message = NULL;
  GListModel *problems;

  g_assert (api_error != NULL);

  message = g_string_new (taken->message);
  if ((problems = gh_api_error_get_problems (taken)) != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);
          const char *path = gh_config_problem_get_path (problem);

          g_string_append_printf (message, "\n  %s: %s", path ? path : "", gh_config_problem_get_message (problem));
        }
    }
  if (g_error_matches (taken, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED))
    {
      gint64 current = gh_api_error_get_current_version (taken);

      g_string_append_c (message, '\n');
      if (current > 0 && gateway->if_match > 0)
        g_string_append_printf (message,
                                _("The configuration is at v%" G_GINT64_FORMAT " now, and this change was made for "
                                  "v%" G_GINT64_FORMAT ": nothing was changed. See what changed with “gatehousectl audit”, "
                                  "then run the command again."), current, gateway->if_match);
      else
        g_string_append (message, _("The configuration changed meanwhile: nothing was changed. See what changed "
                                    "with “gatehousectl audit”, then run the command again."));
    }

  g_set_error_literal (error, GH_COMMAND_ERROR, command_error_for_api_error (taken), message->str);
  return FALSE;
}

/* The connection */

gboolean
gh_ctl_gateway_wanted (void)
{
  const char *profile = g_getenv ("GATEHOUSE_PROFILE");

  return gh_ctl_options.gateway != NULL || gh_ctl_options.gateway_profile != NULL ||
         (profile != NULL && profile[0] != '\0');
}

void
gh_ctl_gateway_clear (GhCtlGateway *gateway)
{
  g_clear_object (&gateway->client);
  g_clear_pointer (&gateway->path, g_free);
}

static char *
probe_fingerprint (GhCtlGateway  *gateway,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  GError *local_error = NULL;
  char *fingerprint = NULL;

  gh_admin_client_probe_async (gateway->client, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  certificate = gh_admin_client_probe_finish (gateway->client, result, &fingerprint, &local_error);
  if (certificate == NULL)
    {
      gh_ctl_gateway_fail (gateway, local_error, error);
      return NULL;
    }

  return fingerprint;
}

gboolean
gh_ctl_gateway_open (GhCtlGateway     *gateway,
                     const char       *group,
                     const GhCommand  *command,
                     GError          **error)
{
  g_autoptr(GhCtlProfile) profile = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GhSecret) password = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pin = NULL;
  gboolean for_profile = g_strcmp0 (group, "profile") == 0;
  const char *profile_name = NULL;
  const char *url, *identity_path, *password_file;

  gateway->path = group != NULL ? g_strdup_printf ("gatehousectl %s %s", group, command->name)
                                : g_strdup_printf ("gatehousectl %s", command->name);

  /* `profile add` makes a profile from the options alone. */
  if (!for_profile)
    {
      profile_name = gh_ctl_options.gateway_profile;
      if (profile_name == NULL && g_getenv ("GATEHOUSE_PROFILE") != NULL && g_getenv ("GATEHOUSE_PROFILE")[0] != '\0')
        profile_name = g_getenv ("GATEHOUSE_PROFILE");
      if (profile_name != NULL && (profile = gh_ctl_profile_load (profile_name, error)) == NULL)
        return FALSE;
    }

  url = gh_ctl_options.gateway ? gh_ctl_options.gateway : profile ? profile->gateway : NULL;
  identity_path = gh_ctl_options.identity ? gh_ctl_options.identity : profile ? profile->identity : NULL;
  password_file = gh_ctl_options.identity_password_file ? gh_ctl_options.identity_password_file
                  : profile ? profile->identity_password_file : NULL;

  if (url == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("which gateway? Give --gateway URL (such as https://127.0.0.1:9443) or --profile NAME"));
      return FALSE;
    }
  if (!g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--gateway “%s” is not an https:// URL (the admin API is HTTPS only)"), url);
      return FALSE;
    }
  if (identity_path == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("as whom? Give --identity FILE.p12 (the admin identity that “gatehoused init” made) "
                             "or --profile NAME"));
      return FALSE;
    }

  if (gh_ctl_options.pin != NULL)
    {
      if ((pin = gh_api_fingerprint_normalize (gh_ctl_options.pin)) == NULL)
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                       _("--pin “%s” is not a SHA-256 fingerprint (64 hexadecimal digits, colons allowed)"),
                       gh_ctl_options.pin);
          return FALSE;
        }
    }
  else if (profile != NULL && profile->pin != NULL)
    {
      pin = g_strdup (profile->pin);
    }

  if (gh_ctl_options.trust_on_first_use && pin == NULL && profile == NULL && !for_profile)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("--trust-on-first-use saves the gateway’s fingerprint into a profile: give --profile NAME "
                             "too, or “gatehousectl profile add NAME --trust-on-first-use …”"));
      return FALSE;
    }

  password = gh_ctl_read_password (password_file, IDENTITY_PASSWORD_VARIABLE, _("Identity password: "),
                                   FALSE, &local_error);
  if (password == NULL)
    {
      if (g_error_matches (local_error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE))
        g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                             _("No identity password: give --identity-password-file FILE or set "
                               IDENTITY_PASSWORD_VARIABLE " (there is no terminal to ask on)"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  identity = gh_admin_client_load_identity (identity_path, password, &local_error);
  if (identity == NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", identity_path, local_error->message);
      return FALSE;
    }

  gateway->client = gh_admin_client_new (url, identity, pin);
  if (pin != NULL)
    return TRUE;

  /* First contact, as SSH does it: show the fingerprint; trust it only when told. */
  {
    g_autofree char *fingerprint = probe_fingerprint (gateway, error);

    if (fingerprint == NULL)
      return FALSE;

    if (!gh_ctl_options.trust_on_first_use)
      {
        g_autofree char *message =
          g_strdup_printf (_("the gateway’s admin certificate is not pinned, so nothing was sent to it.\n"
                             "  Its SHA-256 fingerprint is %s\n"
                             "Compare it with the one “gatehoused init” printed. If they are the same, give --pin %s,\n"
                             "or save it: gatehousectl profile add NAME --gateway %s --identity %s --pin %s"),
                           fingerprint, fingerprint, url, identity_path, fingerprint);
        g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_UNTRUSTED, message);
        return FALSE;
      }

    g_printerr (_("Trusting the gateway’s certificate on first use: SHA-256 %s\n"), fingerprint);
    if (profile != NULL)
      {
        g_free (profile->pin);
        profile->pin = g_strdup (fingerprint);
        if (!gh_ctl_profile_store (profile, error))
          return FALSE;
        g_printerr (_("Saved it in profile “%s”\n"), profile->name);
      }

    g_clear_object (&gateway->client);
    gateway->client = gh_admin_client_new (url, identity, fingerprint);
  }

  return TRUE;
}

/* Reads */

JsonNode *
gh_ctl_gateway_get (GhCtlGateway  *gateway,
                    const char    *path,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *local_error = NULL;

  gh_admin_client_request_async (gateway->client, "GET", path, NULL, GH_API_VERSION_NONE, NULL,
                                 gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  root = gh_admin_client_request_finish (gateway->client, result, NULL, &local_error);
  if (root == NULL)
    {
      gh_ctl_gateway_fail (gateway, local_error, error);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      gh_ctl_gateway_fail (gateway, g_error_new (GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                                                 _("The gateway’s answer to GET %s is not a JSON object"), path), error);
      return NULL;
    }

  return g_steal_pointer (&root);
}

gboolean
gh_ctl_gateway_write_version (GhCtlGateway  *gateway,
                              gint64        *version,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiInfo) info = NULL;
  GError *local_error = NULL;

  if (gh_ctl_options.if_match != NULL)
    {
      const char *text = gh_ctl_options.if_match;
      char *end = NULL;
      gint64 value;

      if (g_str_equal (text, "*"))
        {
          *version = gateway->if_match = GH_API_VERSION_ANY;
          return TRUE;
        }
      if (text[0] == 'v' || text[0] == 'V')
        text++;
      value = g_ascii_strtoll (text, &end, 10);
      if (!g_ascii_isdigit (text[0]) || end == NULL || *end != '\0' || value <= 0)
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                       _("--if-match “%s” is not a configuration version such as v12 (or * for any)"),
                       gh_ctl_options.if_match);
          return FALSE;
        }
      *version = gateway->if_match = value;
      return TRUE;
    }

  /* The version only: /info has it, without the whole configuration. */
  gh_admin_client_get_info_async (gateway->client, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  info = gh_admin_client_get_info_finish (gateway->client, result, &local_error);
  if (info == NULL)
    return gh_ctl_gateway_fail (gateway, local_error, error);

  *version = gateway->if_match = gh_api_info_get_config_version (info);
  return TRUE;
}

void
gh_ctl_gateway_print_version (gint64 version)
{
  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "version", version);
      json_node_take_object (node, object);
      gh_ctl_print_json (node);
    }
  else
    {
      g_print (_("Configuration version: v%" G_GINT64_FORMAT "\n"), version);
    }
}

static gboolean
open_for (GhCtlGateway     *gateway,
          const char       *group,
          const GhCommand  *command,
          int               argc,
          char            **argv,
          int               n_arguments,
          GError          **error)
{
  return gh_ctl_check_arguments (command, argc, argv, n_arguments, error) &&
         gh_ctl_gateway_open (gateway, group, command, error);
}

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

static char *
join_strings (JsonObject *object,
              const char *member,
              const char *separator)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_string_append_printf (text, "%s%s", text->len > 0 ? separator : "", json_node_get_string (element));
    }

  return g_string_free_and_steal (g_steal_pointer (&text));
}

static JsonArray *
member_array (JsonNode   *root,
              const char *member)
{
  JsonNode *node = json_object_get_member (json_node_get_object (root), member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* info */

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

  if (!open_for (&gateway, NULL, command, argc, argv, 0, error) ||
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
  identity = member_object (object, "identity");
  counters = json_node_get_object (stats);
  listeners = join_strings (object, "listeners", ", ");
  uptime = format_duration (gh_ctl_json_int (object, "uptime"));
  started = gh_ctl_format_time (gh_ctl_json_string (object, "started"));

  g_print ("%-16s %s\n", _("Name:"), gh_ctl_json_string (object, "name"));
  g_print ("%-16s %s (API %" G_GINT64_FORMAT ")\n", _("Version:"), gh_ctl_json_string (object, "version"),
           gh_ctl_json_int (object, "api"));
  g_print ("%-16s %s UTC (up %s)\n", _("Started:"), started, uptime);
  g_print ("%-16s v%" G_GINT64_FORMAT "\n", _("Configuration:"), gh_ctl_json_int (object, "config_version"));
  g_print ("%-16s %s\n", _("Listeners:"), listeners);
  g_print ("%-16s %s\n", _("Admin API:"), gh_ctl_json_string (object, "admin_listen"));
  g_print ("%-16s %s (%s)\n", _("You are:"), gh_ctl_json_string (identity, "subject"),
           gh_ctl_json_string (identity, "role"));
  g_print ("%-16s %s\n", _("Pinned:"), gh_admin_client_get_pinned_sha256 (gateway.client));
  g_print ("%-16s %" G_GINT64_FORMAT " open, %" G_GINT64_FORMAT " in all\n", _("Sessions:"),
           gh_ctl_json_int (counters, "sessions_open"), gh_ctl_json_int (counters, "sessions_total"));
  g_print ("%-16s %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT " messages from clients; "
           "%" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT " messages to them\n", _("Traffic:"),
           gh_ctl_json_int (counters, "bytes_in"), gh_ctl_json_int (counters, "messages_in"),
           gh_ctl_json_int (counters, "bytes_out"), gh_ctl_json_int (counters, "messages_out"));

  return TRUE;
}

/* services */

static void
print_service_row (JsonObject *service)
{
  g_autofree char *accept = join_strings (service, "accept", " ");

  g_print ("%-20s %-10s %-8s %6" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "  %s\n",
           gh_ctl_json_string (service, "name"), gh_ctl_json_string (service, "type"),
           gh_ctl_json_string (service, "state"), gh_ctl_json_int (service, "sessions_open"),
           gh_ctl_json_int (service, "sessions_total"), accept);
}

static void
print_service_header (void)
{
  g_print ("%-20s %-10s %-8s %6s %8s  %s\n", _("NAME"), _("TYPE"), _("STATE"), _("OPEN"), _("TOTAL"), _("ACCEPT"));
}

gboolean
gh_ctl_services_list (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *services;

  if (!open_for (&gateway, "services", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "services", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  services = member_array (root, "services");
  print_service_header ();
  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    print_service_row (element_object (services, i));

  return TRUE;
}

gboolean
gh_ctl_services_show (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = NULL, *path = NULL, *accept = NULL, *config = NULL;
  JsonObject *service;
  JsonNode *config_node;

  if (!open_for (&gateway, "services", command, argc, argv, 1, error))
    return FALSE;

  name = gh_ctl_escape (argv[1]);
  path = g_strconcat ("services/", name, NULL);
  if ((root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  service = json_node_get_object (root);
  accept = join_strings (service, "accept", ", ");
  g_print ("%-14s %s\n", _("Name:"), gh_ctl_json_string (service, "name"));
  g_print ("%-14s %s\n", _("Type:"), gh_ctl_json_string (service, "type"));
  if (gh_ctl_json_string (service, "description")[0] != '\0')
    g_print ("%-14s %s\n", _("Description:"), gh_ctl_json_string (service, "description"));
  g_print ("%-14s %s\n", _("State:"), gh_ctl_json_string (service, "state"));
  g_print ("%-14s %s\n", _("Accept:"), accept);
  if (gh_ctl_json_string (service, "connect")[0] != '\0')
    g_print ("%-14s %s\n", _("Connect:"), gh_ctl_json_string (service, "connect"));
  g_print ("%-14s %" G_GINT64_FORMAT " open, %" G_GINT64_FORMAT " in all\n", _("Sessions:"),
           gh_ctl_json_int (service, "sessions_open"), gh_ctl_json_int (service, "sessions_total"));
  if ((config_node = json_object_get_member (service, "config")) != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, config_node);
      config = json_generator_to_data (generator, NULL);
      g_print ("%s\n%s\n", _("Configuration:"), config);
    }

  return TRUE;
}

static gboolean
change_service_state (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      gboolean          start,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiService) service = NULL;
  GError *local_error = NULL;

  if (!open_for (&gateway, "services", command, argc, argv, 1, error))
    return FALSE;

  if (start)
    gh_admin_client_start_service_async (gateway.client, argv[1], NULL, gh_ctl_gateway_store_result, &result);
  else
    gh_admin_client_stop_service_async (gateway.client, argv[1], NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  service = start ? gh_admin_client_start_service_finish (gateway.client, result, &local_error)
                  : gh_admin_client_stop_service_finish (gateway.client, result, &local_error);
  if (service == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      g_autofree char *name = gh_ctl_escape (argv[1]);
      g_autofree char *path = g_strconcat ("services/", name, NULL);
      g_autoptr(JsonNode) root = gh_ctl_gateway_get (&gateway, path, error);

      if (root == NULL)
        return FALSE;
      gh_ctl_print_json (root);
    }
  else if (start)
    g_print (_("Started “%s”: it accepts connections again\n"), gh_api_service_get_name (service));
  else
    g_print (_("Stopped “%s”: it refuses new connections, and its sessions were closed\n"),
             gh_api_service_get_name (service));

  return TRUE;
}

gboolean
gh_ctl_services_start (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  return change_service_state (command, argc, argv, TRUE, error);
}

gboolean
gh_ctl_services_stop (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  return change_service_state (command, argc, argv, FALSE, error);
}

/* The service objects FILE holds: one object with a "name", or a list of them. */
static GPtrArray *
read_service_objects (const char  *path,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "name"))
    {
      g_ptr_array_add (services, json_node_copy (root));
    }
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *object = element_object (array, i);

          if (object == NULL || gh_ctl_json_string (object, "name")[0] == '\0')
            {
              g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                           _("%s: item %u of the list is not a service object with a “name”"), path, i);
              return NULL;
            }
          g_ptr_array_add (services, json_node_copy (json_array_get_element (array, i)));
        }
    }
  else
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s: give one service object ({\"name\": …, \"type\": …, \"accept\": […]}) or a list of them; "
                     "a whole configuration is not a service"), path);
      return NULL;
    }

  for (guint i = 0; i < services->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (services, i));
      JsonNode *name = json_object_get_member (object, "name");

      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                       _("%s: a service’s “name” is a string"), path);
          return NULL;
        }
    }

  return g_steal_pointer (&services);
}

gboolean
gh_ctl_services_apply (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) put_result = NULL;
  g_autoptr(GhGatewayConfig) current = NULL;
  g_autoptr(GhGatewayConfig) changed = NULL;
  g_autoptr(JsonNode) current_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) replaced = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current_text = NULL, *changed_text = NULL;
  g_autoptr(GError) config_error = NULL;
  JsonObject *document;
  JsonArray *old_list = NULL, *new_list;
  JsonNode *list_node;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      (services = read_service_objects (argv[1], error)) == NULL ||
      !gh_ctl_gateway_open (&gateway, "services", command, error))
    return FALSE;

  /* The configuration as it is, and its version (unless --if-match pins one). */
  gh_admin_client_get_config_async (gateway.client, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  current = gh_admin_client_get_config_finish (gateway.client, result, &version, &local_error);
  if (current == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);
  gateway.if_match = version;
  if (gh_ctl_options.if_match != NULL && !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  /* Replace the services of those names, add the others at the end. */
  current_json = gh_gateway_config_to_json (current);
  current_text = json_to_string (current_json, FALSE);
  if (!json_parser_load_from_data (parser, current_text, -1, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);
  document = json_node_get_object (json_parser_get_root (parser));
  if ((list_node = json_object_get_member (document, "services")) != NULL && JSON_NODE_HOLDS_ARRAY (list_node))
    old_list = json_node_get_array (list_node);

  new_list = json_array_new ();
  for (guint i = 0; old_list != NULL && i < json_array_get_length (old_list); i++)
    {
      JsonNode *element = json_array_get_element (old_list, i);
      const char *name = gh_ctl_json_string (element_object (old_list, i), "name");
      JsonNode *replacement = NULL;

      for (guint j = 0; j < services->len && replacement == NULL; j++)
        {
          JsonNode *candidate = g_ptr_array_index (services, j);

          if (g_str_equal (name, gh_ctl_json_string (json_node_get_object (candidate), "name")))
            replacement = candidate;
        }
      if (replacement != NULL)
        g_ptr_array_add (replaced, g_strdup (name));
      json_array_add_element (new_list, json_node_copy (replacement != NULL ? replacement : element));
    }
  for (guint j = 0; j < services->len; j++)
    {
      JsonNode *candidate = g_ptr_array_index (services, j);
      const char *name = gh_ctl_json_string (json_node_get_object (candidate), "name");

      if (!g_ptr_array_find_with_equal_func (replaced, name, g_str_equal, NULL) &&
          !g_ptr_array_find_with_equal_func (added, name, g_str_equal, NULL))
        {
          g_ptr_array_add (added, g_strdup (name));
          json_array_add_element (new_list, json_node_copy (candidate));
        }
    }
  json_object_set_array_member (document, "services", new_list);

  changed_text = json_to_string (json_parser_get_root (parser), FALSE);
  changed = gh_gateway_config_new_from_data (changed_text, -1, &config_error);
  if (changed == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s cannot be part of a configuration: %s"),
                                                  argv[1], config_error->message);
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_INVALID, message);
      return FALSE;
    }

  gh_admin_client_put_config_async (gateway.client, changed, version, NULL, gh_ctl_gateway_store_result, &put_result);
  gh_ctl_gateway_wait (&put_result);
  if (!gh_admin_client_put_config_finish (gateway.client, put_result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *added_names = json_array_new (), *replaced_names = json_array_new ();

      for (guint i = 0; i < added->len; i++)
        json_array_add_string_element (added_names, g_ptr_array_index (added, i));
      for (guint i = 0; i < replaced->len; i++)
        json_array_add_string_element (replaced_names, g_ptr_array_index (replaced, i));
      json_object_set_int_member (object, "version", new_version);
      json_object_set_array_member (object, "added", added_names);
      json_object_set_array_member (object, "replaced", replaced_names);
      json_node_take_object (node, object);
      gh_ctl_print_json (node);
      return TRUE;
    }

  for (guint i = 0; i < added->len; i++)
    g_print (_("Added service “%s”\n"), (const char *) g_ptr_array_index (added, i));
  for (guint i = 0; i < replaced->len; i++)
    g_print (_("Replaced service “%s”\n"), (const char *) g_ptr_array_index (replaced, i));
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

/* truststore */

gboolean
gh_ctl_truststore_list (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;

  if (!open_for (&gateway, "truststore", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "truststore", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entries = member_array (root, "entries");
  g_print ("%-24s %-10s %-36s %s\n", _("ALIAS"), _("EXPIRES"), _("SUBJECT"), _("SHA-256"));
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = element_object (entries, i);
      JsonObject *certificate = member_object (entry, "certificate");
      g_autofree char *expires = gh_ctl_format_date (gh_ctl_json_string (certificate, "not_after"));

      g_print ("%-24s %-10s %-36s %s\n", gh_ctl_json_string (entry, "alias"), expires,
               gh_ctl_json_string (certificate, "subject"), gh_ctl_json_string (certificate, "sha256_fingerprint"));
    }

  return TRUE;
}

gboolean
gh_ctl_truststore_add (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) pki_error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *alias = NULL;
  GhCertificate *certificate;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;

  if (!g_file_get_contents (argv[1], &pem, NULL, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", local_error->message);
      g_clear_error (&local_error);
      return FALSE;
    }
  certificates = gh_certificate_list_from_pem (pem, -1, &pki_error);
  if (certificates == NULL || certificates->len != 1)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s: give one PEM certificate (the gateway trusts certificates one by one): %s"), argv[1],
                   pki_error != NULL ? pki_error->message : _("the file holds more than one"));
      return FALSE;
    }
  certificate = g_ptr_array_index (certificates, 0);

  /* The alias: --alias, else the certificate's common name in lower case. */
  if (gh_ctl_options.alias != NULL)
    alias = g_strdup (gh_ctl_options.alias);
  else
    {
      g_autofree char *cn = gh_certificate_get_subject_field (certificate, "CN");

      if (cn == NULL || cn[0] == '\0')
        {
          g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                               _("the certificate has no common name: give the entry an alias with --alias ALIAS"));
          return FALSE;
        }
      alias = g_ascii_strdown (cn, -1);
      g_strdelimit (alias, " ", '-');
    }

  if (!gh_ctl_gateway_open (&gateway, "truststore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_add_trusted_async (gateway.client, alias, pem, version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_add_trusted_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The gateway trusts “%s” now: %s, SHA-256 %s\n"), alias, gh_certificate_get_subject (certificate),
             gh_certificate_get_sha256_fingerprint (certificate));
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

gboolean
gh_ctl_truststore_delete (const GhCommand  *command,
                          int               argc,
                          char            **argv,
                          GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!open_for (&gateway, "truststore", command, argc, argv, 1, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_delete_trusted_async (gateway.client, argv[1], version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_delete_trusted_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The gateway no longer trusts “%s”\n"), argv[1]);
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

/* sessions */

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

  if (gh_ctl_options.limit < 0 || gh_ctl_options.limit > 1000)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--limit is from 1 to 1000, not %d"), gh_ctl_options.limit);
      return FALSE;
    }
  if (gh_ctl_options.service != NULL)
    {
      g_autofree char *service = gh_ctl_escape (gh_ctl_options.service);
      g_string_append_printf (path, "service=%s&", service);
    }
  g_string_append_printf (path, "state=%s", gh_ctl_options.state != NULL ? gh_ctl_options.state : "open");
  if (gh_ctl_options.limit > 0)
    g_string_append_printf (path, "&limit=%d", gh_ctl_options.limit);

  if (!open_for (&gateway, "sessions", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, path->str, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  sessions = member_array (root, "sessions");
  g_print ("%-36s %-16s %-22s %-7s %-19s %10s %10s\n", _("ID"), _("SERVICE"), _("CLIENT"), _("STATE"),
           _("STARTED (UTC)"), _("BYTES IN"), _("BYTES OUT"));
  for (guint i = 0; sessions != NULL && i < json_array_get_length (sessions); i++)
    print_session_row (element_object (sessions, i));
  next = gh_ctl_json_string (json_node_get_object (root), "next_cursor");
  if (next[0] != '\0')
    g_print (_("(%" G_GINT64_FORMAT " in all: more than shown; raise --limit)\n"),
             gh_ctl_json_int (json_node_get_object (root), "total"));

  return TRUE;
}

static void
print_session (JsonObject *session)
{
  JsonObject *tls = member_object (session, "tls");
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
  g_print ("%-14s %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT " messages in; %" G_GINT64_FORMAT " bytes, %"
           G_GINT64_FORMAT " messages out\n", _("Traffic:"),
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

  if (!open_for (&gateway, "sessions", command, argc, argv, 1, error))
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

  if (!open_for (&gateway, "sessions", command, argc, argv, 1, error))
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

/* audit */

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

  if (gh_ctl_options.limit < 0 || gh_ctl_options.limit > 1000)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--limit is from 1 to 1000, not %d"), gh_ctl_options.limit);
      return FALSE;
    }
  path = gh_ctl_options.limit > 0 ? g_strdup_printf ("audit?limit=%d", gh_ctl_options.limit) : g_strdup ("audit");

  if (!open_for (&gateway, NULL, command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entries = member_array (root, "entries");
  g_print ("%-19s %-24s %-8s %-6s %-34s %-4s %s\n", _("TIME (UTC)"), _("WHO"), _("ROLE"), _("METHOD"), _("PATH"),
           _("CODE"), _("ACTION"));
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = element_object (entries, i);
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

/* events */

typedef struct {
  GhCtlGateway  *gateway;
  GhEventStream *stream;
  GMainLoop     *loop;
  int            remaining;    /* -1: no --count */
  gboolean       done;         /* ended on purpose: --count, SIGINT, SIGTERM */
  GError        *error;
} Follow;

static void
follow_stop (Follow *follow)
{
  follow->done = TRUE;
  g_main_loop_quit (follow->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  follow_stop (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_event_message (GhEventStream *stream,
                  JsonNode      *envelope,
                  gpointer       user_data)
{
  Follow *follow = user_data;

  if (follow->done)
    return;

  /* One compact line per event, whatever the spacing the gateway used. */
  gh_ctl_print_json_line (envelope);

  if (follow->remaining > 0 && --follow->remaining == 0)
    follow_stop (follow);
}

/* The command follows one connection: when it is lost (or never made), it ends with
 * the reason rather than let the stream reconnect. */
static void
on_event_state (GhEventStream *stream,
                GParamSpec    *pspec,
                gpointer       user_data)
{
  Follow *follow = user_data;
  GhEventStreamState state = gh_event_stream_get_state (stream);
  const GError *last_error = gh_event_stream_get_last_error (stream);

  if (follow->done || (state != GH_EVENT_STREAM_RECONNECTING && state != GH_EVENT_STREAM_DISCONNECTED))
    return;

  if (follow->error == NULL)
    follow->error = last_error != NULL ? g_error_copy (last_error)
                                       : g_error_new_literal (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                                                              _("The event stream ended"));
  g_main_loop_quit (follow->loop);
}

gboolean
gh_ctl_events (const GhCommand  *command,
               int               argc,
               char            **argv,
               GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GhEventStream) stream = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Follow follow = { 0 };
  guint sigint_id, sigterm_id;

  if (gh_ctl_options.count < 0)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--count is a number of events, not %d"), gh_ctl_options.count);
      return FALSE;
    }
  if (!open_for (&gateway, NULL, command, argc, argv, 0, error))
    return FALSE;

  stream = gh_event_stream_new (gateway.client);
  loop = g_main_loop_new (NULL, FALSE);
  follow.gateway = &gateway;
  follow.stream = stream;
  follow.loop = loop;
  follow.remaining = gh_ctl_options.count > 0 ? gh_ctl_options.count : -1;

  g_signal_connect (stream, "message", G_CALLBACK (on_event_message), &follow);
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_event_state), &follow);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &follow);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &follow);

  gh_event_stream_start (stream);
  if (gh_event_stream_get_state (stream) == GH_EVENT_STREAM_CONNECTING)
    g_main_loop_run (loop);
  else
    on_event_state (stream, NULL, &follow);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (stream, &follow);
  gh_event_stream_stop (stream);

  if (follow.done)
    {
      /* Let the close frame go out; the gateway need not answer it. */
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      while (g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      return TRUE;
    }

  return gh_ctl_gateway_fail (&gateway, g_steal_pointer (&follow.error), error);
}
