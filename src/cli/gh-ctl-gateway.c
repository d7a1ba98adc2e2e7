/* gh-ctl-gateway.c — gatehousectl on a running gateway: the connection (identity, pin,
 * profile), errors and exit statuses, reads and the version a write is made for
 *
 * Everything goes through GhAdminClient's public API, so the pin, the identity and
 * the errors are the library's (GH_API_ERROR codes, turned into exit statuses here).
 * Reads use its generic call and print what the API answered (--json) or a table
 * made from it; writes use the typed calls, which send If-Match (the current
 * version, fetched first, or --if-match) and wipe passwords once sent.
 *
 * The commands live one file per resource, as the admin server and the client do:
 * gh-ctl-gateway-info.c, -services.c, -truststore.c, -keystore.c, -sessions.c,
 * -audit.c, -config.c and -events.c. See docs/gatehousectl.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-ctl-private.h"
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
                                _("The configuration is at v%" PRId64 " now, and this change was made for "
                                  "v%" PRId64 ": nothing was changed. See what changed with “gatehousectl audit”, "
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
        g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                     /* Translators: %s is the environment variable to set */
                     _("No identity password: give --identity-password-file FILE or set %s "
                       "(there is no terminal to ask on)"), IDENTITY_PASSWORD_VARIABLE);
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
  return gh_ctl_gateway_get_versioned (gateway, path, NULL, error);
}

JsonNode *
gh_ctl_gateway_get_versioned (GhCtlGateway  *gateway,
                              const char    *path,
                              gint64        *version,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *local_error = NULL;

  gh_admin_client_request_async (gateway->client, "GET", path, NULL, GH_API_VERSION_NONE, NULL,
                                 gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  root = gh_admin_client_request_finish (gateway->client, result, version, &local_error);
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
gh_ctl_parse_version (const char *text,
                      gint64     *version)
{
  char *end = NULL;

  if (text[0] == 'v' || text[0] == 'V')
    text++;
  *version = g_ascii_strtoll (text, &end, 10);
  return g_ascii_isdigit (text[0]) && end != NULL && *end == '\0' && *version > 0;
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
      gint64 value;

      if (g_str_equal (gh_ctl_options.if_match, "*"))
        {
          *version = gateway->if_match = GH_API_VERSION_ANY;
          return TRUE;
        }
      if (!gh_ctl_parse_version (gh_ctl_options.if_match, &value))
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
      g_print (_("Configuration version: v%" PRId64 "\n"), version);
    }
}

/* The command's arguments checked, then the connection opened. */
gboolean
gh_ctl_gateway_open_for (GhCtlGateway     *gateway,
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
