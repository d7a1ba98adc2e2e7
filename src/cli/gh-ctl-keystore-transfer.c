/* gh-ctl-keystore-transfer.c — `gatehousectl keystore import|import-reply|export`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-keystore-transfer"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-export.h"
#include "gh-file-util.h"
#include "gh-import.h"
#include "gh-keystore.h"
#include "gh-pki-error.h"

static gboolean
fail (GError     **error,
      const char  *prefix,
      GError      *cause)
{
  if (prefix != NULL)
    g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", prefix, cause->message);
  else
    g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, cause->message);
  return FALSE;
}

/* Reads FILE and its contents, asking for its password only when it is encrypted. */
static GhImport *
read_import (const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GBytes) data = g_file_load_bytes (file, NULL, NULL, &local_error);
  g_autoptr(GhSecret) password = NULL;
  GhImport *import;

  if (data == NULL)
    {
      fail (error, path, local_error);
      return NULL;
    }

  if (gh_ctl_options.source_password_file != NULL || g_getenv ("GATEHOUSE_SOURCE_PASSWORD") != NULL)
    {
      password = gh_ctl_read_password (gh_ctl_options.source_password_file, "GATEHOUSE_SOURCE_PASSWORD",
                                       NULL, FALSE, error);
      if (password == NULL)
        return NULL;
    }

  import = gh_import_new_from_bytes (data, password, &local_error);
  if (import == NULL && password == NULL &&
      g_error_matches (local_error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED))
    {
      g_autofree char *prompt = g_strdup_printf (_("Password of %s: "), path);

      g_clear_error (&local_error);
      password = gh_ctl_read_password (NULL, "GATEHOUSE_SOURCE_PASSWORD", prompt, FALSE, error);
      if (password == NULL)
        return NULL;
      import = gh_import_new_from_bytes (data, password, &local_error);
    }

  if (import == NULL)
    fail (error, path, local_error);

  return import;
}

static void
print_preview (GhImport   *import,
               const char *path)
{
  GListModel *entries = gh_import_get_entries (import);
  const char * const *notes = gh_import_get_notes (import);
  guint n = g_list_model_get_n_items (entries);
  guint n_certificates = gh_import_get_certificates (import)->len;
  guint n_keys = gh_import_get_private_keys (import)->len;
  g_autofree char *certificates = g_strdup_printf (ngettext ("%u certificate", "%u certificates", n_certificates),
                                                   n_certificates);
  g_autofree char *keys = g_strdup_printf (ngettext ("%u private key", "%u private keys", n_keys), n_keys);

  /* Translators: a file, its format, "%u certificates" and "%u private keys" */
  g_print (_("%s: %s with %s and %s\n"), path, gh_import_get_format_name (import), certificates, keys);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
        g_print (_("  key entry “%s”: %s, chain of %u\n"), gh_keystore_entry_get_alias (entry),
                 gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)), chain->len);
      else
        g_print (_("  trusted certificate “%s”: %s\n"), gh_keystore_entry_get_alias (entry),
                 gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)));
    }

  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    g_print (_("  note: %s\n"), notes[i]);
}

static JsonNode *
preview_to_json (GhImport *import,
                 gboolean  committed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *entries = gh_import_get_entries (import);
  const char * const *notes = gh_import_get_notes (import);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, gh_import_get_format_name (import));
  json_builder_set_member_name (builder, "committed");
  json_builder_add_boolean_value (builder, committed);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "alias");
      json_builder_add_string_value (builder, gh_keystore_entry_get_alias (entry));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? "key" : "trusted");
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)));
      json_builder_set_member_name (builder, "chain_length");
      json_builder_add_int_value (builder, gh_keystore_entry_get_chain (entry)->len);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    json_builder_add_string_value (builder, notes[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
gh_ctl_keystore_import (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      (import = read_import (argv[1], error)) == NULL)
    return FALSE;

  if (gh_ctl_options.dry_run)
    {
      if (gh_ctl_options.json)
        {
          g_autoptr(JsonNode) node = preview_to_json (import, FALSE);
          gh_ctl_print_json (node);
        }
      else
        {
          print_preview (import, argv[1]);
        }
      return TRUE;
    }

  if (!gh_ctl_keystore_open (&ks, TRUE, error))
    return FALSE;

  if (!gh_import_commit (import, ks.keystore, gh_ctl_options.alias, &local_error))
    return fail (error, gh_ctl_options.keystore, local_error);

  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = preview_to_json (import, TRUE);
      gh_ctl_print_json (node);
    }
  else
    {
      print_preview (import, argv[1]);
      g_print (_("Imported into %s\n"), gh_ctl_options.keystore);
    }

  return TRUE;
}

gboolean
gh_ctl_keystore_import_reply (const GhCommand  *command,
                              int               argc,
                              char            **argv,
                              GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GError) local_error = NULL;
  GhKeystoreEntry *entry, *target;

  if (!gh_ctl_check_arguments (command, argc, argv, 2, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      (entry = gh_ctl_keystore_lookup (&ks, argv[1], error)) == NULL ||
      (import = read_import (argv[2], error)) == NULL)
    return FALSE;

  target = gh_import_find_reply_target (import, ks.keystore);
  if (target != entry)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s is not a reply for “%s”: its certificate does not hold that entry’s public key%s%s"),
                   argv[2], argv[1],
                   target ? _("; it is for ") : "", target ? gh_keystore_entry_get_alias (target) : "");
      return FALSE;
    }

  if (!gh_import_commit (import, ks.keystore, argv[1], &local_error))
    return fail (error, gh_ctl_options.keystore, local_error);
  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  entry = gh_keystore_lookup (ks.keystore, argv[1]);
  if (!gh_ctl_options.json)
    g_print (_("Installed the reply on “%s”: %s, issued by %s, chain of %u\n"), argv[1],
             gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)),
             gh_certificate_get_issuer (gh_keystore_entry_get_certificate (entry)),
             gh_keystore_entry_get_chain (entry)->len);
  return TRUE;
}

gboolean
gh_ctl_keystore_export (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GhSecret) password = NULL;
  g_autoptr(GBytes) data = NULL;
  GhExportFormat format = GH_EXPORT_FORMAT_PEM;
  GhPkcs12Profile profile = GH_PKCS12_PROFILE_MODERN;
  GhKeystoreEntry *entry;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;
  if (gh_ctl_options.format != NULL && !gh_export_format_from_string (gh_ctl_options.format, &format))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("unknown format “%s”: use pem, der, p7 or p12"), gh_ctl_options.format);
      return FALSE;
    }
  if (gh_ctl_options.profile != NULL && !gh_pkcs12_profile_from_string (gh_ctl_options.profile, &profile))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("unknown profile “%s”: use modern or compatible"), gh_ctl_options.profile);
      return FALSE;
    }
  if (format != GH_EXPORT_FORMAT_PEM && gh_ctl_options.output == NULL && isatty (STDOUT_FILENO))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("binary output to a terminal: give --output FILE or redirect"));
      return FALSE;
    }

  if (!gh_ctl_keystore_open (&ks, FALSE, error) ||
      (entry = gh_ctl_keystore_lookup (&ks, argv[1], error)) == NULL)
    return FALSE;

  if (format == GH_EXPORT_FORMAT_PKCS12)
    {
      password = gh_ctl_read_password (gh_ctl_options.output_password_file, "GATEHOUSE_EXPORT_PASSWORD",
                                       _("Password for the exported file: "), TRUE, error);
      if (password == NULL)
        return FALSE;
    }

  data = gh_keystore_entry_export (entry, format, gh_ctl_options.chain, password, profile, &local_error);
  if (data == NULL)
    return fail (error, argv[1], local_error);

  if (gh_ctl_options.output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (gh_ctl_options.output);

      /* Replaced atomically, mode 0600: a PKCS#12 export holds the private key. */
      if (!gh_file_replace_atomically (file, data, &local_error))
        return fail (error, gh_ctl_options.output, local_error);
      if (!gh_ctl_options.json)
        g_printerr (_("Wrote “%s” to %s\n"), argv[1], gh_ctl_options.output);
    }
  else
    {
      gsize length;
      const char *bytes = g_bytes_get_data (data, &length);

      if (fwrite (bytes, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, _("Could not write the output"));
          return FALSE;
        }
    }

  return TRUE;
}
