/* gh-ctl-keystore.c — `gatehousectl keystore …` on local keystore files
 *
 * Every change is saved atomically (see gh_file_replace_atomically()); a command that
 * fails leaves the file as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-keystore"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-keystore.h"
#include "gh-pki-error.h"

#define PASSWORD_VARIABLE "GATEHOUSE_KEYSTORE_PASSWORD"

void
gh_ctl_keystore_clear (GhCtlKeystore *ks)
{
  g_clear_object (&ks->file);
  g_clear_object (&ks->keystore);
  g_clear_pointer (&ks->password, gh_secret_free);
}

static gboolean
require_keystore_option (GError **error)
{
  if (gh_ctl_options.keystore != NULL)
    return TRUE;

  if (gh_ctl_options.gateway != NULL)
    g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_UNAVAILABLE,
                         _("working on a gateway’s keystore needs the admin API, which is not available yet: "
                           "give --keystore FILE to work on a file"));
  else
    g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                         _("which keystore? Give --keystore FILE"));
  return FALSE;
}

/* Opens --keystore; with @create, a missing file is a new empty keystore (PEM when
 * its name ends in .pem, else PKCS#12). */
gboolean
gh_ctl_keystore_open (GhCtlKeystore  *ks,
               gboolean       create,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean exists;

  if (!require_keystore_option (error))
    return FALSE;

  ks->file = g_file_new_for_commandline_arg (gh_ctl_options.keystore);
  exists = g_file_query_exists (ks->file, NULL);
  if (!exists && !create)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("“%s” does not exist"), gh_ctl_options.keystore);
      return FALSE;
    }

  ks->password = gh_ctl_read_password (gh_ctl_options.password_file, PASSWORD_VARIABLE,
                                       exists ? _("Keystore password: ") : _("New keystore password: "),
                                       !exists, error);
  if (ks->password == NULL)
    return FALSE;

  if (!exists)
    {
      ks->keystore = gh_keystore_new (g_str_has_suffix (gh_ctl_options.keystore, ".pem")
                                      ? GH_KEYSTORE_FORMAT_PEM : GH_KEYSTORE_FORMAT_PKCS12);
      return TRUE;
    }

  ks->keystore = gh_keystore_new_from_file (ks->file, ks->password, GH_KEYSTORE_LOAD_NONE, &local_error);
  if (ks->keystore == NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   "%s: %s", gh_ctl_options.keystore, local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
gh_ctl_keystore_save (GhCtlKeystore  *ks,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!gh_keystore_save (ks->keystore, ks->file, ks->password, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   "%s: %s", gh_ctl_options.keystore, local_error->message);
      return FALSE;
    }

  return TRUE;
}

GhKeystoreEntry *
gh_ctl_keystore_lookup (GhCtlKeystore  *ks,
              const char    *alias,
              GError       **error)
{
  GhKeystoreEntry *entry = gh_keystore_lookup (ks->keystore, alias);

  if (entry == NULL)
    g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                 _("%s has no entry “%s” (see “gatehousectl keystore list”)"),
                 gh_ctl_options.keystore, alias);

  return entry;
}

static const char *
kind_name (GhKeystoreEntry *entry)
{
  return gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? "key" : "trusted";
}

static JsonNode *
entry_to_json (GhKeystoreEntry *entry,
               gboolean         full)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *chain = gh_keystore_entry_get_chain (entry);
  /* The leaf holds the key's public key: listing decrypts no key. */
  GhCertificate *leaf = gh_keystore_entry_get_certificate (entry);
  gboolean has_key = gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alias");
  json_builder_add_string_value (builder, gh_keystore_entry_get_alias (entry));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_name (entry));
  if (has_key)
    {
      /* The key's public facts only. */
      json_builder_set_member_name (builder, "key_algorithm");
      json_builder_add_string_value (builder, gh_certificate_get_key_algorithm (leaf));
      json_builder_set_member_name (builder, "key_bits");
      json_builder_add_int_value (builder, gh_certificate_get_key_bits (leaf));
    }
  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  for (guint i = 0; i < chain->len; i++)
    {
      GhCertificate *cert = g_ptr_array_index (chain, i);

      if (full)
        {
          json_builder_add_value (builder, gh_certificate_to_json (cert));
        }
      else
        {
          g_autofree char *not_after = g_date_time_format_iso8601 (gh_certificate_get_not_after (cert));

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, gh_certificate_get_subject (cert));
          json_builder_set_member_name (builder, "issuer");
          json_builder_add_string_value (builder, gh_certificate_get_issuer (cert));
          json_builder_set_member_name (builder, "not_after");
          json_builder_add_string_value (builder, not_after);
          json_builder_set_member_name (builder, "sha256_fingerprint");
          json_builder_add_string_value (builder, gh_certificate_get_sha256_fingerprint (cert));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
format_name (GhKeystore *keystore)
{
  if (gh_keystore_get_format (keystore) == GH_KEYSTORE_FORMAT_PEM)
    return _("PEM bundle");
  if (gh_keystore_get_profile (keystore) == GH_PKCS12_PROFILE_COMPATIBLE)
    return _("PKCS#12, compatible profile");
  return _("PKCS#12, modern profile");
}

/* With --verify, a key entry's chain: TRUE and "trusted", or FALSE and why not. */
static char *
check_chain (GhCtlChainCheck *check,
             GhKeystoreEntry *entry,
             gboolean        *trusted)
{
  char *problem = NULL;

  *trusted = gh_ctl_chain_check_entry (check, entry, &problem);
  return *trusted ? g_strdup (_("trusted")) : problem;
}

gboolean
gh_ctl_keystore_list (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_auto(GhCtlChainCheck) check = { 0 };
  GhCtlChainCheck *verify = gh_ctl_options.verify ? &check : NULL;
  GListModel *model;
  guint n;

  if (!gh_ctl_check_arguments (command, argc, argv, 0, error) || !gh_ctl_keystore_open (&ks, FALSE, error) ||
      (verify != NULL && !gh_ctl_chain_check_init (verify, &ks, error)))
    return FALSE;

  model = G_LIST_MODEL (ks.keystore);
  n = g_list_model_get_n_items (model);
  if (verify != NULL)
    gh_ctl_chain_check_run (verify, model);

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, gh_keystore_get_format (ks.keystore) == GH_KEYSTORE_FORMAT_PEM ? "pem" : "pkcs12");
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, gh_keystore_get_profile (ks.keystore) == GH_PKCS12_PROFILE_MODERN ? "modern" : "compatible");
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (model, i);
          JsonNode *node = entry_to_json (entry, FALSE);

          if (verify != NULL && gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
            {
              gboolean trusted = FALSE;
              g_autofree char *result = check_chain (verify, entry, &trusted);
              JsonObject *object = json_node_get_object (node);

              json_object_set_boolean_member (object, "trusted", trusted);
              if (!trusted)
                json_object_set_string_member (object, "problem", result);
            }
          json_builder_add_value (builder, node);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      gh_ctl_print_json (root);
      return verify == NULL || gh_ctl_chain_check_finish (verify, error);
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %s, %u entry\n", "%s: %s, %u entries\n", n),
           gh_ctl_options.keystore, format_name (ks.keystore), n);
  if (n > 0)
    {
      g_print ("\n%-24s %-8s %-10s %-36s ", _("ALIAS"), _("KIND"), _("EXPIRES"), _("SUBJECT"));
      /* A fingerprint is 95 characters wide (32 bytes in hex, colons between). */
      if (verify != NULL)
        g_print ("%-95s %s\n", _("SHA-256"), _("CHAIN"));
      else
        g_print ("%s\n", _("SHA-256"));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (model, i);
      GhCertificate *cert = gh_keystore_entry_get_certificate (entry);
      g_autofree char *expires = g_date_time_format (gh_certificate_get_not_after (cert), "%Y-%m-%d");
      g_autofree char *result = NULL;
      gboolean trusted = FALSE;

      if (verify != NULL && gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
        result = check_chain (verify, entry, &trusted);

      g_print ("%-24s %-8s %-10s %-36s %s", gh_keystore_entry_get_alias (entry), kind_name (entry),
               expires, gh_certificate_get_subject (cert), gh_certificate_get_sha256_fingerprint (cert));
      if (result != NULL && !trusted)
        g_print (" %s: %s", _("not trusted"), result);
      else if (result != NULL)
        g_print (" %s", result);
      g_print ("\n");
    }

  return verify == NULL || gh_ctl_chain_check_finish (verify, error);
}

static void
print_strv (const char         *label,
            const char * const *values)
{
  if (values == NULL || values[0] == NULL)
    return;

  g_print ("    %-22s", label);
  for (guint i = 0; values[i] != NULL; i++)
    g_print ("%s%s", i > 0 ? ", " : "", values[i]);
  g_print ("\n");
}

static void
print_certificate (GhCertificate *cert,
                   guint          position)
{
  g_autofree char *not_before = g_date_time_format (gh_certificate_get_not_before (cert), "%Y-%m-%d %H:%M:%S UTC");
  g_autofree char *not_after = g_date_time_format (gh_certificate_get_not_after (cert), "%Y-%m-%d %H:%M:%S UTC");
  guint usage = gh_certificate_get_key_usage (cert);
  g_autoptr(GPtrArray) usages = g_ptr_array_new ();

  g_print (_("  Certificate %u: %s\n"), position, gh_certificate_get_display_name (cert));
  g_print ("    %-22s%s\n", _("Subject:"), gh_certificate_get_subject (cert));
  g_print ("    %-22s%s\n", _("Issuer:"), gh_certificate_get_issuer (cert));
  g_print ("    %-22s%s\n", _("Serial:"), gh_certificate_get_serial (cert));
  g_print ("    %-22s%s\n", _("Valid from:"), not_before);
  g_print ("    %-22s%s\n", _("Valid until:"), not_after);
  print_strv (_("DNS names:"), gh_certificate_get_dns_names (cert));
  print_strv (_("IP addresses:"), gh_certificate_get_ip_addresses (cert));
  g_print ("    %-22s%s, %u bits\n", _("Public key:"), gh_certificate_get_key_algorithm (cert),
           gh_certificate_get_key_bits (cert));
  g_print ("    %-22s%s%s\n", _("Signature:"), gh_certificate_get_signature_algorithm (cert),
           gh_certificate_has_weak_signature (cert) ? _(" (weak)") : "");
  if (gh_certificate_has_key_usage (cert))
    {
      if (usage & GH_KEY_USAGE_DIGITAL_SIGNATURE) g_ptr_array_add (usages, "digitalSignature");
      if (usage & GH_KEY_USAGE_KEY_ENCIPHERMENT) g_ptr_array_add (usages, "keyEncipherment");
      if (usage & GH_KEY_USAGE_KEY_AGREEMENT) g_ptr_array_add (usages, "keyAgreement");
      if (usage & GH_KEY_USAGE_KEY_CERT_SIGN) g_ptr_array_add (usages, "keyCertSign");
      if (usage & GH_KEY_USAGE_CRL_SIGN) g_ptr_array_add (usages, "cRLSign");
      g_ptr_array_add (usages, NULL);
      print_strv (_("Key usage:"), (const char * const *) usages->pdata);
    }
  print_strv (_("Extended key usage:"), gh_certificate_get_extended_key_usage (cert));
  if (gh_certificate_is_ca (cert))
    {
      if (gh_certificate_get_path_length (cert) >= 0)
        g_print ("    %-22s%s, %d\n", _("CA:"), _("yes, path length"), gh_certificate_get_path_length (cert));
      else
        g_print ("    %-22s%s\n", _("CA:"), _("yes"));
    }
  if (gh_certificate_get_subject_key_id (cert) != NULL)
    g_print ("    %-22s%s\n", _("Subject key ID:"), gh_certificate_get_subject_key_id (cert));
  if (gh_certificate_get_authority_key_id (cert) != NULL)
    g_print ("    %-22s%s\n", _("Authority key ID:"), gh_certificate_get_authority_key_id (cert));
  g_print ("    %-22s%s\n", _("SHA-256:"), gh_certificate_get_sha256_fingerprint (cert));
  g_print ("    %-22s%s\n", _("SHA-1:"), gh_certificate_get_sha1_fingerprint (cert));
}

gboolean
gh_ctl_keystore_show (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  GhKeystoreEntry *entry;
  GPtrArray *chain;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      (entry = gh_ctl_keystore_lookup (&ks, argv[1], error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = entry_to_json (entry, TRUE);
      gh_ctl_print_json (node);
      return TRUE;
    }

  chain = gh_keystore_entry_get_chain (entry);
  g_print (_("Alias: %s\n"), gh_keystore_entry_get_alias (entry));
  if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
    {
      GhCertificate *leaf = gh_keystore_entry_get_certificate (entry);
      g_print (_("Kind: private key (%s, %u bits) with a chain of %u\n"),
               gh_certificate_get_key_algorithm (leaf), gh_certificate_get_key_bits (leaf), chain->len);
    }
  else
    {
      g_print (_("Kind: trusted certificate\n"));
    }

  for (guint i = 0; i < chain->len; i++)
    print_certificate (g_ptr_array_index (chain, i), i + 1);

  return TRUE;
}

gboolean
gh_ctl_keystore_genkey (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GhPrivateKey) key = NULL;
  g_autoptr(GhCertificate) cert = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *subject = NULL;
  GhKeyType type = GH_KEY_TYPE_ECDSA_P256;
  int days = gh_ctl_options.days > 0 ? gh_ctl_options.days : 365;

  if (!gh_ctl_check_arguments (command, argc, argv, 0, error))
    return FALSE;

  if (gh_ctl_options.alias == NULL || !gh_keystore_alias_is_valid (gh_ctl_options.alias))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           gh_ctl_options.alias == NULL ? _("give the new entry an alias with --alias ALIAS")
                                                        : _("the alias must be 1 to 255 characters, no control characters, no space at either end"));
      return FALSE;
    }
  if (gh_ctl_options.key_type != NULL && !gh_key_type_from_string (gh_ctl_options.key_type, &type))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("unknown key type “%s”: use rsa2048, rsa3072, rsa4096, p256, p384 or ed25519"),
                   gh_ctl_options.key_type);
      return FALSE;
    }
  if (gh_ctl_options.days < 0 || gh_ctl_options.days > 36500)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--days must be from 1 to 36500, not %d"), gh_ctl_options.days);
      return FALSE;
    }

  if (!gh_ctl_keystore_open (&ks, TRUE, error))
    return FALSE;

  if (gh_keystore_lookup (ks.keystore, gh_ctl_options.alias) != NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s already has an entry “%s”: choose another alias, or delete that one first"),
                   gh_ctl_options.keystore, gh_ctl_options.alias);
      return FALSE;
    }

  subject = g_strdup (gh_ctl_options.subject ? gh_ctl_options.subject : NULL);
  if (subject == NULL)
    subject = g_strdup_printf ("CN=%s", gh_ctl_options.san && gh_ctl_options.san[0]
                                          ? gh_ctl_options.san[0] : gh_ctl_options.alias);

  if ((key = gh_private_key_generate (type, NULL, &local_error)) == NULL ||
      (cert = gh_private_key_create_self_signed (key, subject, (const char * const *) gh_ctl_options.san,
                                                 days, &local_error)) == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR,
                           g_error_matches (local_error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID)
                             ? GH_COMMAND_ERROR_USAGE : GH_COMMAND_ERROR_FAILED,
                           local_error->message);
      return FALSE;
    }

  chain = g_ptr_array_new ();
  g_ptr_array_add (chain, cert);
  entry = gh_keystore_entry_new_key (gh_ctl_options.alias, key, chain);
  if (!gh_keystore_add (ks.keystore, entry, &local_error))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = entry_to_json (entry, FALSE);
      gh_ctl_print_json (node);
    }
  else
    {
      g_print (ngettext ("Generated “%s”: %s key, self-signed certificate for %s valid %d day\n",
                         "Generated “%s”: %s key, self-signed certificate for %s valid %d days\n", days),
               gh_ctl_options.alias, gh_private_key_get_algorithm (key), subject, days);
      g_print ("SHA-256: %s\n", gh_certificate_get_sha256_fingerprint (cert));
    }

  return TRUE;
}

gboolean
gh_ctl_keystore_csr (const GhCommand  *command,
                     int               argc,
                     char            **argv,
                     GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *csr = NULL;
  GhKeystoreEntry *entry;
  GhCertificate *cert;
  const char * const *sans;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      (entry = gh_ctl_keystore_lookup (&ks, argv[1], error)) == NULL)
    return FALSE;

  if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("“%s” is a trusted certificate, not a key entry: a request needs a private key"), argv[1]);
      return FALSE;
    }

  /* The request asks for the entry's names unless told otherwise. */
  cert = gh_keystore_entry_get_certificate (entry);
  sans = gh_ctl_options.san ? (const char * const *) gh_ctl_options.san : gh_certificate_get_dns_names (cert);
  csr = gh_private_key_create_csr (gh_keystore_entry_get_private_key (entry),
                                   gh_ctl_options.subject ? gh_ctl_options.subject : gh_certificate_get_subject (cert),
                                   sans, &local_error);
  if (csr == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  if (gh_ctl_options.output != NULL)
    {
      if (!g_file_set_contents_full (gh_ctl_options.output, csr, -1,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
        {
          g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
          return FALSE;
        }
      if (!gh_ctl_options.json)
        g_print (_("Wrote the request for “%s” to %s\n"), argv[1], gh_ctl_options.output);
    }
  else
    {
      g_print ("%s", csr);
    }

  return TRUE;
}

gboolean
gh_ctl_keystore_delete (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      gh_ctl_keystore_lookup (&ks, argv[1], error) == NULL)
    return FALSE;

  gh_keystore_remove (ks.keystore, argv[1], NULL);
  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  if (!gh_ctl_options.json)
    g_print (_("Deleted “%s” (the previous file is kept as %s.bak)\n"), argv[1], gh_ctl_options.keystore);
  return TRUE;
}

gboolean
gh_ctl_keystore_rename (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GError) local_error = NULL;

  if (!gh_ctl_check_arguments (command, argc, argv, 2, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      gh_ctl_keystore_lookup (&ks, argv[1], error) == NULL)
    return FALSE;

  if (!gh_keystore_rename (ks.keystore, argv[1], argv[2], &local_error))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  if (!gh_ctl_options.json)
    g_print (_("Renamed “%s” to “%s”\n"), argv[1], argv[2]);
  return TRUE;
}
