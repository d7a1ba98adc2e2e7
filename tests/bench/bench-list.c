/* bench-list.c — what the benchmarks time on Gatehouse's side
 *
 *   bench-list list KEYSTORE PASSWORD-FILE [--verify TRUSTSTORE]
 *       opens the keystore and reads every field of every entry, printing one line
 *       per entry (as `keytool -list` does; like it, decrypting no private key);
 *       with --verify, also verifies each key entry's chain (its certificates after
 *       the leaf as intermediates) against the trusted certificates of TRUSTSTORE
 *       (a keystore file, PEM or PKCS#12, read once: as `gatehousectl keystore verify
 *       --truststore` reads it) with GhTrustChain, for a TLS server, one verification
 *       per entry; exits 1 if a chain is not trusted
 *   bench-list add KEYSTORE PASSWORD-FILE ENTRY-P12
 *       adds the key entry of ENTRY-P12 (same password) to KEYSTORE and saves it, as
 *       `keytool -importkeystore` of one entry does
 *   bench-list verify CA-PEM LEAVES-PEM [--gnutls]
 *       verifies each certificate of LEAVES-PEM against the CA alone: with
 *       GhTrustChain (findings and all), or with --gnutls, GnuTLS's trust list
 *       (gnutls_x509_trust_list_verify_crt2) directly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "gh-keystore.h"
#include "gh-pki-private.h"
#ifdef HAVE_GH_TRUST_CHAIN
#include "gh-trust-chain.h"
#endif

static GBytes *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("bench-list: %s\n", error->message);
      exit (1);
    }

  return g_bytes_new_take (contents, length);
}

static void
print_strv (GString            *line,
            const char * const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    g_string_append_printf (line, "%s%s", i > 0 ? "," : "", values[i]);
}

static char *
read_password (const char *password_path)
{
  g_autoptr(GBytes) password_data = load (password_path);

  return g_strchomp (g_strndup (g_bytes_get_data (password_data, NULL), g_bytes_get_size (password_data)));
}

static GhKeystore *
open_keystore (const char *keystore_path,
               const char *password)
{
  g_autoptr(GBytes) data = load (keystore_path);
  g_autoptr(GError) error = NULL;
  GhKeystore *keystore = gh_keystore_new_from_bytes (data, password, GH_KEYSTORE_LOAD_NONE, &error);

  if (keystore == NULL)
    {
      g_printerr ("bench-list: %s: %s\n", keystore_path, error->message);
      exit (1);
    }
  return keystore;
}

#ifdef HAVE_GH_TRUST_CHAIN
static GPtrArray *
load_truststore (const char *truststore_path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (truststore_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) truststore = gh_keystore_new_from_file (file, NULL, GH_KEYSTORE_LOAD_NONE, &error);
  GPtrArray *anchors;

  if (truststore == NULL)
    {
      g_printerr ("bench-list: %s: %s\n", truststore_path, error->message);
      exit (1);
    }
  anchors = gh_keystore_get_trusted_certificates (truststore);
  if (anchors->len == 0)
    {
      g_printerr ("bench-list: %s holds no trusted certificate\n", truststore_path);
      exit (1);
    }
  return anchors;
}

/* As `gatehousectl keystore verify`: the chain's certificates after the leaf are
 * the intermediates, the truststore's the only anchors. */
static gboolean
verify_chain (GPtrArray *chain,
              GPtrArray *anchors)
{
  g_autoptr(GPtrArray) intermediates = g_ptr_array_new ();
  g_autoptr(GhTrustChain) trust = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i < chain->len; i++)
    g_ptr_array_add (intermediates, g_ptr_array_index (chain, i));
  trust = gh_trust_chain_new (g_ptr_array_index (chain, 0), intermediates);
  gh_trust_chain_set_anchors (trust, anchors);
  gh_trust_chain_set_use_system_anchors (trust, FALSE);
  gh_trust_chain_set_purpose (trust, GH_TRUST_PURPOSE_SERVER);

  return gh_trust_chain_verify (trust, NULL, &error) && gh_trust_chain_is_trusted (trust);
}
#endif

static int
list (const char *keystore_path,
      const char *password_path,
      const char *truststore_path)
{
  g_autofree char *password = read_password (password_path);
  g_autoptr(GhKeystore) keystore = open_keystore (keystore_path, password);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) anchors = NULL;
  guint n_items, n_keys = 0, n_trusted = 0;

  if (truststore_path != NULL)
    {
#ifdef HAVE_GH_TRUST_CHAIN
      anchors = load_truststore (truststore_path);
#else
      g_printerr ("bench-list: built without GhTrustChain: no --verify\n");
      return 2;
#endif
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GhCertificate *certificate = gh_keystore_entry_get_certificate (entry);
      gboolean key = gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY;
      g_autofree char *not_before = g_date_time_format_iso8601 (gh_certificate_get_not_before (certificate));
      g_autofree char *not_after = g_date_time_format_iso8601 (gh_certificate_get_not_after (certificate));

      n_keys += key;
      g_string_printf (line, "%s, %s, chain %u, %s, issuer %s, serial %s, %s – %s, %s %u, %s, SHA-256 %s, DNS ",
                       gh_keystore_entry_get_alias (entry),
                       key ? "PrivateKeyEntry" : "trustedCertEntry",
                       gh_keystore_entry_get_chain (entry)->len,
                       gh_certificate_get_subject (certificate),
                       gh_certificate_get_issuer (certificate),
                       gh_certificate_get_serial (certificate),
                       not_before, not_after,
                       gh_certificate_get_key_algorithm (certificate),
                       gh_certificate_get_key_bits (certificate),
                       gh_certificate_get_signature_algorithm (certificate),
                       gh_certificate_get_sha256_fingerprint (certificate));
      print_strv (line, gh_certificate_get_dns_names (certificate));
#ifdef HAVE_GH_TRUST_CHAIN
      if (anchors != NULL && key)
        {
          gboolean trusted = verify_chain (gh_keystore_entry_get_chain (entry), anchors);

          n_trusted += trusted;
          g_string_append (line, trusted ? ", chain trusted" : ", chain NOT trusted");
        }
#endif
      puts (line->str);
    }

  g_printerr ("bench-list: %s: %u entries (%u key entries)\n", keystore_path, n_items, n_keys);
  if (anchors != NULL)
    {
      g_printerr ("bench-list: %u of %u key entries' chains trusted by %s\n", n_trusted, n_keys, truststore_path);
      return n_trusted == n_keys ? 0 : 1;
    }
  return 0;
}

static int
add (const char *keystore_path,
     const char *password_path,
     const char *entry_path)
{
  g_autofree char *password = read_password (password_path);
  g_autoptr(GhKeystore) keystore = open_keystore (keystore_path, password);
  g_autoptr(GhKeystore) source = open_keystore (entry_path, password);
  g_autoptr(GFile) file = g_file_new_for_path (keystore_path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (source)); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (source), i);

      if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
        {
          g_autoptr(GhKeystoreEntry) copy = gh_keystore_entry_new_key (gh_keystore_entry_get_alias (entry),
                                                                       gh_keystore_entry_get_private_key (entry),
                                                                       gh_keystore_entry_get_chain (entry));

          if (!gh_keystore_add (keystore, copy, &error))
            break;
        }
    }
  if (error == NULL)
    gh_keystore_save (keystore, file, password, &error);
  if (error != NULL)
    {
      g_printerr ("bench-list: %s: %s\n", keystore_path, error->message);
      return 1;
    }

  return 0;
}

static void
trust_list_free (gnutls_x509_trust_list_t list)
{
  gnutls_x509_trust_list_deinit (list, 1);
}

static int
verify (const char *ca_path,
        const char *leaves_path,
        gboolean    with_gnutls)
{
  g_autoptr(GBytes) ca_data = load (ca_path);
  g_autoptr(GBytes) leaves_data = load (leaves_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhCertificate) ca = gh_certificate_new_from_pem (g_bytes_get_data (ca_data, NULL),
                                                             g_bytes_get_size (ca_data), &error);
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GPtrArray) anchors = g_ptr_array_new ();
  gnutls_x509_trust_list_t list = NULL;
  guint n_trusted = 0;

  if (ca == NULL)
    {
      g_printerr ("bench-list: %s: %s\n", ca_path, error->message);
      return 1;
    }
  leaves = gh_certificate_list_from_pem (g_bytes_get_data (leaves_data, NULL), g_bytes_get_size (leaves_data), &error);
  if (leaves == NULL)
    {
      g_printerr ("bench-list: %s: %s\n", leaves_path, error->message);
      return 1;
    }
  g_ptr_array_add (anchors, ca);

  if (with_gnutls)
    {
      gnutls_x509_crt_t anchor = NULL;

      /* The trust list takes the anchor: give it a copy. */
      if (gnutls_x509_trust_list_init (&list, 0) < 0 || gnutls_x509_crt_init (&anchor) < 0)
        return 1;
      {
        gnutls_datum_t der = { (guchar *) g_bytes_get_data (gh_certificate_get_der (ca), NULL),
                               g_bytes_get_size (gh_certificate_get_der (ca)) };

        if (gnutls_x509_crt_import (anchor, &der, GNUTLS_X509_FMT_DER) < 0 ||
            gnutls_x509_trust_list_add_cas (list, &anchor, 1, 0) != 1)
          return 1;
      }
    }

  for (guint i = 0; i < leaves->len; i++)
    {
      GhCertificate *leaf = g_ptr_array_index (leaves, i);
      gboolean trusted;

      if (with_gnutls)
        {
          gnutls_x509_crt_t crt = _gh_certificate_get_gnutls (leaf);
          unsigned int status = 0;
          gnutls_typed_vdata_st purpose = {
            .type = GNUTLS_DT_KEY_PURPOSE_OID,
            .data = (guchar *) GNUTLS_KP_TLS_WWW_SERVER,
          };

          trusted = gnutls_x509_trust_list_verify_crt2 (list, &crt, 1, &purpose, 1,
                                                        GNUTLS_PROFILE_TO_VFLAGS (GNUTLS_PROFILE_MEDIUM),
                                                        &status, NULL) >= 0 && status == 0;
        }
      else
        {
#ifdef HAVE_GH_TRUST_CHAIN
          g_autoptr(GhTrustChain) chain = gh_trust_chain_new (leaf, NULL);

          gh_trust_chain_set_anchors (chain, anchors);
          gh_trust_chain_set_use_system_anchors (chain, FALSE);
          gh_trust_chain_set_purpose (chain, GH_TRUST_PURPOSE_SERVER);
          trusted = gh_trust_chain_verify (chain, NULL, &error) && gh_trust_chain_is_trusted (chain);
          g_clear_error (&error);
#else
          g_printerr ("bench-list: built without GhTrustChain: use --gnutls\n");
          return 2;
#endif
        }

      n_trusted += trusted;
      printf ("%s: %s\n", gh_certificate_get_subject (leaf), trusted ? "OK" : "not trusted");
    }

  g_clear_pointer (&list, trust_list_free);
  g_printerr ("bench-list: %u of %u certificates verified against %s%s\n", n_trusted, leaves->len, ca_path,
              with_gnutls ? " (GnuTLS trust list)" : " (GhTrustChain)");
  return n_trusted == leaves->len ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc == 4 && g_str_equal (argv[1], "list"))
    return list (argv[2], argv[3], NULL);
  if (argc == 6 && g_str_equal (argv[1], "list") && g_str_equal (argv[4], "--verify"))
    return list (argv[2], argv[3], argv[5]);
  if (argc == 5 && g_str_equal (argv[1], "add"))
    return add (argv[2], argv[3], argv[4]);
  if ((argc == 4 || (argc == 5 && g_str_equal (argv[4], "--gnutls"))) && g_str_equal (argv[1], "verify"))
    return verify (argv[2], argv[3], argc == 5);

  g_printerr ("usage: bench-list list KEYSTORE PASSWORD-FILE [--verify TRUSTSTORE]\n"
              "       bench-list add KEYSTORE PASSWORD-FILE ENTRY-P12\n"
              "       bench-list verify CA-PEM LEAVES-PEM [--gnutls]\n");
  return 2;
}
