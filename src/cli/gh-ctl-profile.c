/* gh-ctl-profile.c — saved connections to gateways: `gatehousectl profile …`
 *
 * Profiles live in $XDG_CONFIG_HOME/gatehouse/profiles.json:
 *
 *   { "version": 1,
 *     "profiles": { "lab": { "gateway": "https://127.0.0.1:9443",
 *                            "identity": "/home/me/gatehouse-admin.p12",
 *                            "identity-password-file": "/home/me/gatehouse-admin.pw",
 *                            "pin": "AB:CD:…" } } }
 *
 * The file never holds a password, only the name of a file that does when the user
 * gave one. It is rewritten atomically with mode 0600, in a directory of mode 0700.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-profile"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-ctl-private.h"

#define PROFILES_VERSION 1

void
gh_ctl_profile_free (GhCtlProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_free (profile->gateway);
  g_free (profile->identity);
  g_free (profile->identity_password_file);
  g_free (profile->pin);
  g_free (profile);
}

static char *
profiles_path (void)
{
  /* Read at each call: g_get_user_config_dir() caches the first answer. */
  const char *config = g_getenv ("XDG_CONFIG_HOME");

  if (config != NULL && g_path_is_absolute (config))
    return g_build_filename (config, "gatehouse", "profiles.json", NULL);
  return g_build_filename (g_get_home_dir (), ".config", "gatehouse", "profiles.json", NULL);
}

static gboolean
profile_name_is_valid (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 63 || name[0] == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }
  return TRUE;
}

/* The "profiles" object of the file (an empty one when there is no file). */
static JsonObject *
load_profiles (JsonNode **root_out,
               GError   **error)
{
  g_autofree char *path = profiles_path ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *profiles;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      root = json_node_new (JSON_NODE_OBJECT);
      object = json_object_new ();
      json_object_set_int_member (object, "version", PROFILES_VERSION);
      json_object_set_object_member (object, "profiles", json_object_new ());
      json_node_take_object (root, object);
    }
  else
    {
      if (!json_parser_load_from_file (parser, path, &local_error))
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                       _("Cannot read the profiles in %s: %s"), path, local_error->message);
          return NULL;
        }
      root = json_parser_steal_root (parser);
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (profiles = json_object_get_member (json_node_get_object (root), "profiles")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (profiles))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s is not a profiles file (it has no “profiles” object)"), path);
      return NULL;
    }

  *root_out = g_steal_pointer (&root);
  return json_node_get_object (profiles);
}

static gboolean
save_profiles (JsonNode  *root,
               GError   **error)
{
  g_autofree char *path = profiles_path ();
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("Cannot create %s: %s"), directory, g_strerror (saved_errno));
      return FALSE;
    }

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  {
    g_autofree char *with_newline = g_strconcat (text, "\n", NULL);

    if (!g_file_set_contents_full (path, with_newline, length + 1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
      {
        g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                     _("Cannot save the profiles: %s"), local_error->message);
        return FALSE;
      }
  }
  /* An existing file keeps its mode through the rename: make sure of 0600. */
  g_chmod (path, 0600);

  return TRUE;
}

static const char *
member_or_null (JsonObject *object,
                const char *name)
{
  const char *value = gh_ctl_json_string (object, name);

  return value[0] != '\0' ? value : NULL;
}

GhCtlProfile *
gh_ctl_profile_load (const char  *name,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GhCtlProfile) profile = NULL;
  JsonObject *profiles, *object;
  JsonNode *node;

  if ((profiles = load_profiles (&root, error)) == NULL)
    return NULL;

  node = json_object_get_member (profiles, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("there is no profile “%s” (see “gatehousectl profile list”)"), name);
      return NULL;
    }

  object = json_node_get_object (node);
  profile = g_new0 (GhCtlProfile, 1);
  profile->name = g_strdup (name);
  profile->gateway = g_strdup (member_or_null (object, "gateway"));
  profile->identity = g_strdup (member_or_null (object, "identity"));
  profile->identity_password_file = g_strdup (member_or_null (object, "identity-password-file"));
  profile->pin = g_strdup (member_or_null (object, "pin"));

  return g_steal_pointer (&profile);
}

gboolean
gh_ctl_profile_store (const GhCtlProfile  *profile,
                      GError             **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *profiles, *object;

  if ((profiles = load_profiles (&root, error)) == NULL)
    return FALSE;

  object = json_object_new ();
  json_object_set_string_member (object, "gateway", profile->gateway);
  json_object_set_string_member (object, "identity", profile->identity);
  if (profile->identity_password_file != NULL)
    json_object_set_string_member (object, "identity-password-file", profile->identity_password_file);
  if (profile->pin != NULL)
    json_object_set_string_member (object, "pin", profile->pin);
  json_object_set_object_member (profiles, profile->name, object);

  return save_profiles (root, error);
}

/* `profile add NAME`: the connection options (global, or given after the command). */
gboolean
gh_ctl_profile_add (const GhCommand  *command,
                    int               argc,
                    char            **argv,
                    GError          **error)
{
  g_autoptr(GhCtlProfile) profile = NULL;
  g_auto(GhCtlGateway) gateway = { 0 };
  const char *name;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;

  name = argv[1];
  if (!profile_name_is_valid (name))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("“%s” is not a profile name: 1 to 63 letters, digits, “-”, “_” or “.”"), name);
      return FALSE;
    }
  if (gh_ctl_options.gateway == NULL || gh_ctl_options.identity == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("a profile needs --gateway URL and --identity FILE"));
      return FALSE;
    }

  profile = g_new0 (GhCtlProfile, 1);
  profile->name = g_strdup (name);
  profile->gateway = g_strdup (gh_ctl_options.gateway);
  profile->identity = g_canonicalize_filename (gh_ctl_options.identity, NULL);
  if (gh_ctl_options.identity_password_file != NULL)
    profile->identity_password_file = g_canonicalize_filename (gh_ctl_options.identity_password_file, NULL);

  if (gh_ctl_options.pin != NULL)
    {
      if ((profile->pin = gh_api_fingerprint_normalize (gh_ctl_options.pin)) == NULL)
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                       _("--pin “%s” is not a SHA-256 fingerprint (64 hexadecimal digits)"), gh_ctl_options.pin);
          return FALSE;
        }
    }
  else
    {
      /* No pin: contact the gateway, which shows its fingerprint and refuses, or
       * with --trust-on-first-use gives the fingerprint to save. */
      if (!gh_ctl_gateway_open (&gateway, "profile", command, error))
        return FALSE;
      profile->pin = g_strdup (gh_admin_client_get_pinned_sha256 (gateway.client));
    }

  if (!gh_ctl_profile_store (profile, error))
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *profiles = load_profiles (&root, error);

      if (profiles == NULL)
        return FALSE;
      gh_ctl_print_json (json_object_get_member (profiles, name));
    }
  else
    {
      g_autofree char *path = profiles_path ();
      g_print (_("Saved profile “%s” in %s: %s as %s, pinned to %s\n"),
               name, path, profile->gateway, profile->identity, profile->pin);
    }

  return TRUE;
}

gboolean
gh_ctl_profile_list (const GhCommand  *command,
                     int               argc,
                     char            **argv,
                     GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *profiles;

  if (!gh_ctl_check_arguments (command, argc, argv, 0, error) ||
      (profiles = load_profiles (&root, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, profiles);
      gh_ctl_print_json (node);
      return TRUE;
    }

  names = json_object_get_members (profiles);
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  if (names == NULL)
    {
      g_print (_("No profiles yet: add one with “gatehousectl profile add NAME --gateway URL --identity FILE --pin SHA256”\n"));
      return TRUE;
    }

  g_print ("%-16s %-32s %-40s %s\n", _("NAME"), _("GATEWAY"), _("IDENTITY"), _("PIN (SHA-256)"));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (profiles, l->data);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *pin = gh_ctl_json_string (object, "pin");

      g_print ("%-16s %-32s %-40s %s\n", (const char *) l->data, gh_ctl_json_string (object, "gateway"),
               gh_ctl_json_string (object, "identity"), pin[0] != '\0' ? pin : _("(none)"));
    }

  return TRUE;
}

gboolean
gh_ctl_profile_remove (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *profiles;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      (profiles = load_profiles (&root, error)) == NULL)
    return FALSE;

  if (!json_object_has_member (profiles, argv[1]))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("there is no profile “%s” (see “gatehousectl profile list”)"), argv[1]);
      return FALSE;
    }

  json_object_remove_member (profiles, argv[1]);
  if (!save_profiles (root, error))
    return FALSE;

  if (!gh_ctl_options.json)
    g_print (_("Removed profile “%s”\n"), argv[1]);
  return TRUE;
}
