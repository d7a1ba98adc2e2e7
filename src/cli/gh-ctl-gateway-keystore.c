/* gh-ctl-gateway-keystore.c — `gatehousectl keystore …` on a running gateway, and the
 * choice between the gateway and a local file
 *
 * --keystore FILE always means the file. Otherwise, when --gateway, --profile or
 * $GATEHOUSE_PROFILE names a gateway, list, show, upload, rotate, csr, import-reply
 * and delete act on the gateway's keystore through the admin API; the other commands
 * (genkey, import, export, rename, verify) work on files only. Private keys only ever
 * travel toward the gateway, which never gives them back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-keystore"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-private-key.h"

#define SOURCE_PASSWORD_VARIABLE "GATEHOUSE_SOURCE_PASSWORD"

static gboolean
use_gateway (void)
{
  return gh_ctl_options.keystore == NULL && gh_ctl_gateway_wanted ();
}

/* A file's bytes, wiped when the last reference goes: it may hold a private key. */
typedef struct {
  char  *data;
  gsize  length;
} WipedData;

static void
wiped_data_free (gpointer user_data)
{
  WipedData *wiped = user_data;

  memset (wiped->data, 0, wiped->length);
  g_free (wiped->data);
  g_free (wiped);
}

static GBytes *
read_secret_file (const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  WipedData *wiped = g_new0 (WipedData, 1);

  if (!g_file_get_contents (path, &wiped->data, &wiped->length, &local_error))
    {
      g_free (wiped);
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }

  return g_bytes_new_with_free_func (wiped->data, wiped->length, wiped_data_free, wiped);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *text)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strstr_len (data, size, text) != NULL;
}

static void
print_entry_json (GhCtlGateway *gateway,
                  const char   *alias,
                  gint64        version,
                  const char   *extra_member,
                  const char   *extra_value)
{
  g_autofree char *escaped = gh_ctl_escape (alias);
  g_autofree char *path = g_strconcat ("keystore/", escaped, NULL);
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "version", version);
  if (alias != NULL && (entry = gh_ctl_gateway_get (gateway, path, NULL)) != NULL)
    json_object_set_member (object, "entry", json_node_ref (entry));
  if (extra_member != NULL)
    json_object_set_string_member (object, extra_member, extra_value);
  json_node_take_object (node, object);
  gh_ctl_print_json (node);
}

static void
print_certificate_line (GhCertificate *certificate)
{
  g_autofree char *not_after = g_date_time_format (gh_certificate_get_not_after (certificate), "%Y-%m-%d");

  g_print ("  %s, issued by %s, valid until %s\n  SHA-256: %s\n", gh_certificate_get_subject (certificate),
           gh_certificate_get_issuer (certificate), not_after, gh_certificate_get_sha256_fingerprint (certificate));
}

/* keystore list and show */

static gboolean
gateway_list (const GhCommand  *command,
              int               argc,
              char            **argv,
              GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;
  guint n;

  if (!gh_ctl_gateway_open_for (&gateway, "keystore", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "keystore", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entries = gh_ctl_json_array (root, "entries");
  n = entries != NULL ? json_array_get_length (entries) : 0;

  g_print (g_dngettext (GETTEXT_PACKAGE, "The keystore of %s: %u entry\n", "The keystore of %s: %u entries\n", n),
           gh_admin_client_get_base_url (gateway.client), n);
  if (n > 0)
    g_print ("\n%-24s %-8s %-10s %-36s %s\n", _("ALIAS"), _("KIND"), _("EXPIRES"), _("SUBJECT"), _("SHA-256"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = gh_ctl_json_element (entries, i);
      JsonNode *chain_node = entry != NULL ? json_object_get_member (entry, "chain") : NULL;
      JsonObject *leaf = NULL;
      g_autofree char *expires = NULL;

      if (chain_node != NULL && JSON_NODE_HOLDS_ARRAY (chain_node) &&
          json_array_get_length (json_node_get_array (chain_node)) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (chain_node), 0)))
        leaf = json_array_get_object_element (json_node_get_array (chain_node), 0);
      expires = gh_ctl_format_date (gh_ctl_json_string (leaf, "not_after"));

      g_print ("%-24s %-8s %-10s %-36s %s\n", gh_ctl_json_string (entry, "alias"), gh_ctl_json_string (entry, "kind"),
               expires, gh_ctl_json_string (leaf, "subject"), gh_ctl_json_string (leaf, "sha256_fingerprint"));
    }

  return TRUE;
}

static gboolean
gateway_show (const GhCommand  *command,
              int               argc,
              char            **argv,
              GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *alias = NULL, *path = NULL;
  JsonObject *entry;
  JsonNode *chain_node;

  if (!gh_ctl_gateway_open_for (&gateway, "keystore", command, argc, argv, 1, error))
    return FALSE;

  alias = gh_ctl_escape (argv[1]);
  path = g_strconcat ("keystore/", alias, NULL);
  if ((root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entry = json_node_get_object (root);
  g_print (_("Alias: %s\n"), gh_ctl_json_string (entry, "alias"));
  g_print (_("Kind: %s\n"), g_str_equal (gh_ctl_json_string (entry, "kind"), "key")
                              ? _("private key (kept on the gateway) with its chain") : _("trusted certificate"));
  chain_node = json_object_get_member (entry, "chain");
  if (chain_node != NULL && JSON_NODE_HOLDS_ARRAY (chain_node))
    {
      JsonArray *chain = json_node_get_array (chain_node);

      for (guint i = 0; i < json_array_get_length (chain); i++)
        {
          JsonNode *node = json_array_get_element (chain, i);
          JsonObject *certificate = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *not_before = gh_ctl_format_time (gh_ctl_json_string (certificate, "not_before"));
          g_autofree char *not_after = gh_ctl_format_time (gh_ctl_json_string (certificate, "not_after"));
          JsonNode *dns = certificate != NULL ? json_object_get_member (certificate, "dns_names") : NULL;

          g_print (_("  Certificate %u: %s\n"), i + 1, gh_ctl_json_string (certificate, "subject"));
          g_print ("    %-22s%s\n", _("Issuer:"), gh_ctl_json_string (certificate, "issuer"));
          g_print ("    %-22s%s UTC\n", _("Valid from:"), not_before);
          g_print ("    %-22s%s UTC\n", _("Valid until:"), not_after);
          if (dns != NULL && JSON_NODE_HOLDS_ARRAY (dns) && json_array_get_length (json_node_get_array (dns)) > 0)
            {
              JsonArray *names = json_node_get_array (dns);

              g_print ("    %-22s", _("DNS names:"));
              for (guint j = 0; j < json_array_get_length (names); j++)
                g_print ("%s%s", j > 0 ? ", " : "", json_array_get_string_element (names, j));
              g_print ("\n");
            }
          /* Translators: a heading, a key algorithm and its size */
          g_print (_("    %-22s%s, %" PRId64 " bits\n"), _("Public key:"),
                   gh_ctl_json_string (certificate, "key_algorithm"), gh_ctl_json_int (certificate, "key_bits"));
          g_print ("    %-22s%s\n", _("SHA-256:"), gh_ctl_json_string (certificate, "sha256_fingerprint"));
        }
    }

  return TRUE;
}

/* keystore upload and rotate */

static gboolean
send_key (const GhCommand  *command,
          int               argc,
          char            **argv,
          gboolean          rotate,
          GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GhSecret) password = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = NULL;
  GhApiKeyFormat format;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;
  const char *alias, *path;

  if (!gh_ctl_check_arguments (command, argc, argv, 2, error))
    return FALSE;
  alias = argv[1];
  path = argv[2];

  if ((data = read_secret_file (path, error)) == NULL)
    return FALSE;

  /* PEM is text with a BEGIN line; anything else is taken for PKCS#12. */
  if (bytes_contain (data, "-----BEGIN "))
    {
      format = GH_API_KEY_FORMAT_PEM;
      if (!bytes_contain (data, "PRIVATE KEY-----"))
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                       _("%s holds no private key: give a PKCS#12 file, or a PEM file with the key and its chain"),
                       path);
          return FALSE;
        }
    }
  else
    format = GH_API_KEY_FORMAT_PKCS12;

  if (format == GH_API_KEY_FORMAT_PKCS12 || bytes_contain (data, "ENCRYPTED"))
    {
      g_autofree char *prompt = g_strdup_printf (_("Password of %s: "), path);
      g_autoptr(GError) password_error = NULL;

      password = gh_ctl_read_password (gh_ctl_options.password_file ? gh_ctl_options.password_file
                                                                     : gh_ctl_options.source_password_file,
                                       SOURCE_PASSWORD_VARIABLE, prompt, FALSE, &password_error);
      if (password == NULL)
        {
          if (g_error_matches (password_error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE))
            g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                         /* Translators: %s are a file and the environment variable to set */
                         _("No password for %s: give --password-file FILE or set %s "
                           "(there is no terminal to ask on)"), path, SOURCE_PASSWORD_VARIABLE);
          else
            g_propagate_error (error, g_steal_pointer (&password_error));
          return FALSE;
        }
    }

  if (gh_ctl_options.dry_run)
    return gh_ctl_gateway_open (&gateway, "keystore", command, error) &&
           gh_ctl_gateway_preview_key (&gateway, alias, path, data, password, rotate, error);

  if (!gh_ctl_gateway_open (&gateway, "keystore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  if (rotate)
    gh_admin_client_rotate_key_async (gateway.client, alias, format, data, gh_ctl_options.source_alias, password,
                                      version, NULL, gh_ctl_gateway_store_result, &result);
  else
    gh_admin_client_add_key_async (gateway.client, alias, format, data, gh_ctl_options.source_alias, password,
                                   version, NULL, gh_ctl_gateway_store_result, &result);
  g_clear_pointer (&password, gh_secret_free);
  g_clear_pointer (&data, g_bytes_unref);
  gh_ctl_gateway_wait (&result);
  entry = rotate ? gh_admin_client_rotate_key_finish (gateway.client, result, &new_version, &local_error)
                 : gh_admin_client_add_key_finish (gateway.client, result, &new_version, &local_error);
  if (entry == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      print_entry_json (&gateway, alias, new_version, NULL, NULL);
      return TRUE;
    }

  if (rotate)
    g_print (_("Rotated “%s”: new handshakes get this certificate, live sessions keep theirs\n"), alias);
  else
    g_print (_("Uploaded “%s”\n"), alias);
  print_certificate_line (gh_api_keystore_entry_get_certificate (entry));
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

/* keystore csr, import-reply, delete */

static gboolean
gateway_csr (const GhCommand  *command,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autofree char *csr = NULL;
  GError *local_error = NULL;
  const char *key_type = gh_ctl_options.key_type ? gh_ctl_options.key_type : "p256";
  const char * const no_names[] = { NULL };
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;
  if (!gh_key_type_from_string (key_type, NULL))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("unknown key type “%s”: use rsa2048, rsa3072, rsa4096, p256, p384 or ed25519"), key_type);
      return FALSE;
    }
  if (gh_ctl_options.subject == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("the gateway makes a new key for the request: give its subject with --subject DN "
                             "(and its names with --san NAME)"));
      return FALSE;
    }

  if (!gh_ctl_gateway_open (&gateway, "keystore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_create_csr_async (gateway.client, argv[1], key_type, gh_ctl_options.subject,
                                    gh_ctl_options.san ? (const char * const *) gh_ctl_options.san : no_names,
                                    version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  csr = gh_admin_client_create_csr_finish (gateway.client, result, &new_version, &local_error);
  if (csr == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.output != NULL &&
      !g_file_set_contents_full (gh_ctl_options.output, csr, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &file_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("The gateway made the key and the request (configuration v%" PRId64 "), "
                     "but the request could not be saved: %s. Delete the entry and make it again."),
                   new_version, file_error->message);
      return FALSE;
    }

  if (gh_ctl_options.json)
    print_entry_json (&gateway, NULL, new_version, "csr", csr);
  else if (gh_ctl_options.output != NULL)
    {
      g_print (_("The gateway made a %s key for “%s”; wrote its request to %s\n"), key_type, argv[1],
               gh_ctl_options.output);
      gh_ctl_gateway_print_version (new_version);
    }
  else
    g_print ("%s", csr);  /* the request alone, for a pipe */

  return TRUE;
}

static gboolean
gateway_import_reply (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autofree char *pem = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 2, error))
    return FALSE;
  if (!g_file_get_contents (argv[2], &pem, NULL, &file_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", file_error->message);
      return FALSE;
    }
  if (strstr (pem, "PRIVATE KEY") != NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s holds a private key: a CA’s reply is certificates only (to send a key, use keystore rotate)"),
                   argv[2]);
      return FALSE;
    }

  if (!gh_ctl_gateway_open (&gateway, "keystore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_import_certificate_reply_async (gateway.client, argv[1], pem, version, NULL,
                                                  gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_import_certificate_reply_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    print_entry_json (&gateway, argv[1], new_version, NULL, NULL);
  else
    {
      g_print (_("Installed the CA’s reply on “%s”\n"), argv[1]);
      gh_ctl_gateway_print_version (new_version);
    }

  return TRUE;
}

static gboolean
gateway_delete (const GhCommand  *command,
                int               argc,
                char            **argv,
                GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_gateway_open_for (&gateway, "keystore", command, argc, argv, 1, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_delete_key_async (gateway.client, argv[1], version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_delete_key_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("Deleted “%s” from the gateway’s keystore\n"), argv[1]);
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

/* The command table's entries */

static gboolean
refuse_gateway_options (const GhCommand  *command,
                        GError          **error)
{
  if (gh_ctl_options.if_match != NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("--if-match is for changes on a gateway, not on a --keystore file"));
      return FALSE;
    }
  if (gh_ctl_options.key_type != NULL && g_str_equal (command->name, "csr"))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("--key-type is for a request made on the gateway: a file’s request uses the entry’s key"));
      return FALSE;
    }
  return TRUE;
}

gboolean
gh_ctl_keystore_cmd_list (const GhCommand  *command,
                          int               argc,
                          char            **argv,
                          GError          **error)
{
  if (use_gateway () && gh_ctl_options.verify)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("keystore list --verify works on a local file: give --keystore FILE"));
      return FALSE;
    }

  return use_gateway () ? gateway_list (command, argc, argv, error)
                        : gh_ctl_keystore_list (command, argc, argv, error);
}

gboolean
gh_ctl_keystore_cmd_show (const GhCommand  *command,
                          int               argc,
                          char            **argv,
                          GError          **error)
{
  return use_gateway () ? gateway_show (command, argc, argv, error)
                        : gh_ctl_keystore_show (command, argc, argv, error);
}

gboolean
gh_ctl_keystore_cmd_csr (const GhCommand  *command,
                         int               argc,
                         char            **argv,
                         GError          **error)
{
  if (use_gateway ())
    return gateway_csr (command, argc, argv, error);
  return refuse_gateway_options (command, error) && gh_ctl_keystore_csr (command, argc, argv, error);
}

gboolean
gh_ctl_keystore_cmd_import_reply (const GhCommand  *command,
                                  int               argc,
                                  char            **argv,
                                  GError          **error)
{
  if (use_gateway ())
    return gateway_import_reply (command, argc, argv, error);
  return refuse_gateway_options (command, error) && gh_ctl_keystore_import_reply (command, argc, argv, error);
}

gboolean
gh_ctl_keystore_cmd_delete (const GhCommand  *command,
                            int               argc,
                            char            **argv,
                            GError          **error)
{
  if (use_gateway ())
    return gateway_delete (command, argc, argv, error);
  return refuse_gateway_options (command, error) && gh_ctl_keystore_delete (command, argc, argv, error);
}

static gboolean
require_gateway (const GhCommand  *command,
                 GError          **error)
{
  if (gh_ctl_options.keystore != NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("keystore %s works on a gateway, not on a --keystore file (for a file, use keystore import)"),
                   command->name);
      return FALSE;
    }
  if (!gh_ctl_gateway_wanted ())
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("keystore %s works on a gateway: give --gateway URL or --profile NAME before the command"),
                   command->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
gh_ctl_keystore_cmd_upload (const GhCommand  *command,
                            int               argc,
                            char            **argv,
                            GError          **error)
{
  return require_gateway (command, error) && send_key (command, argc, argv, FALSE, error);
}

gboolean
gh_ctl_keystore_cmd_rotate (const GhCommand  *command,
                            int               argc,
                            char            **argv,
                            GError          **error)
{
  return require_gateway (command, error) && send_key (command, argc, argv, TRUE, error);
}

/* genkey, import, export, rename, verify: files only. */
gboolean
gh_ctl_keystore_cmd_local_only (const GhCommand  *command,
                                int               argc,
                                char            **argv,
                                GError          **error)
{
  static const struct {
    const char    *name;
    GhCommandFunc  func;
  } local[] = {
    { "genkey", gh_ctl_keystore_genkey },
    { "import", gh_ctl_keystore_import },
    { "export", gh_ctl_keystore_export },
    { "rename", gh_ctl_keystore_rename },
    { "verify", gh_ctl_keystore_verify },
    { "passwd", gh_ctl_keystore_passwd },
  };

  if (use_gateway ())
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("keystore %s works on a local file: give --keystore FILE (on a gateway, use keystore upload, "
                     "rotate or csr)"), command->name);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      if (g_str_equal (command->name, local[i].name))
        return local[i].func (command, argc, argv, error);
    }

  g_assert_not_reached ();
}
