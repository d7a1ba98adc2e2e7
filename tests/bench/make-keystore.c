/* make-keystore.c — a generated keystore for the benchmarks: one CA, N leaf key
 * entries signed by it (ECDSA P-256), in the files that tests/bench/bench-keystore.sh
 * times the tools on
 *
 *   make-keystore --entries N --dir DIR [--library] [--key-iterations K]
 *                 [--key-type ecdsa|rsa] [--chain 2|3]
 *
 * --key-type: the leaves' keys, ECDSA P-256 (the default) or RSA 2048; --chain 3 signs
 * the leaves by an intermediate CA that the root signs (chain of 3), instead of by the
 * root (chain of 2).
 *
 * DIR gets:
 *   password                  the keystores' password (0600)
 *   ca.pem                    the CA certificate
 *   leaves/NNNNN.pem          each leaf certificate (for `openssl verify`, `certtool --verify`)
 *   leaves.pem                all of them in one bundle
 * with --library, saved by gh_keystore_save(), as Gatehouse writes them:
 *   keystore-modern.p12       PBES2 AES-256, HMAC-SHA256 MAC
 *   keystore-compatible.p12   PKCS#12 3DES, HMAC-SHA1 MAC
 * GnuTLS derives every key of those with its compiled-in iteration count (600,000 on
 * Debian 13), so both writing and opening them cost N key derivations of that size;
 * with --key-iterations K:
 *   keystore-kK.p12           the same entries, each private key a PBES2 (AES-256-CBC,
 *                             PBKDF2-HMAC-SHA256, K iterations) shrouded key bag, as
 *                             keytool writes them (K = 10,000 is its default); the
 *                             certificates' bag (PBES2) and the MAC (HMAC-SHA256) at
 *                             600,000 iterations, as gh_keystore_save() writes them.
 *
 * The keystores are the same entries, in the same order, in every file.
 *
 * Key entries are "entry-00001"…; the CA is also a trusted entry, "bench-ca".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-keystore-private.h"
#include "gh-pki-private.h"

#define PASSWORD "bench-password"

static gboolean
check (int         ret,
       const char *what)
{
  if (ret < 0)
    g_error ("%s: %s", what, gnutls_strerror (ret));
  return TRUE;
}

static GhCertificate *
sign_certificate (GhPrivateKey  *subject_key,
                  const char    *dn,
                  const char    *dns_name,
                  gboolean       ca,
                  GhCertificate *issuer,
                  GhPrivateKey  *issuer_key,
                  guint          serial_number)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_privkey_t signer = NULL;
  guchar serial[8];
  guchar id[64];
  size_t id_size = sizeof id;
  time_t now = time (NULL);

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = (serial_number >> (8 * (sizeof serial - 1 - i))) & 0xff;
  serial[0] = 0x01;

  check (gnutls_x509_crt_init (&crt), "init");
  check (gnutls_x509_crt_set_dn (crt, dn, NULL), "dn");
  check (gnutls_x509_crt_set_version (crt, 3), "version");
  check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial");
  check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "activation");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 365 * 24 * 3600), "expiration");
  check (gnutls_x509_crt_set_key (crt, _gh_private_key_get_gnutls (subject_key)), "key");
  check (gnutls_x509_crt_set_basic_constraints (crt, ca, -1), "basic constraints");
  check (gnutls_x509_crt_set_key_usage (crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                : GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
  if (!ca)
    {
      check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose");
      check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_name, strlen (dns_name),
                                                   GNUTLS_FSAN_APPEND), "SAN");
    }
  check (gnutls_x509_privkey_get_key_id (_gh_private_key_get_gnutls (subject_key), GNUTLS_KEYID_USE_SHA1, id, &id_size),
         "key id");
  check (gnutls_x509_crt_set_subject_key_id (crt, id, id_size), "subject key id");
  if (issuer != NULL)
    {
      id_size = sizeof id;
      check (gnutls_x509_privkey_get_key_id (_gh_private_key_get_gnutls (issuer_key), GNUTLS_KEYID_USE_SHA1, id, &id_size),
             "issuer key id");
      check (gnutls_x509_crt_set_authority_key_id (crt, id, id_size), "authority key id");
    }

  check (gnutls_privkey_init (&signer), "privkey");
  check (gnutls_privkey_import_x509 (signer, _gh_private_key_get_gnutls (issuer_key), 0), "privkey import");
  check (gnutls_x509_crt_privkey_sign (crt, issuer != NULL ? _gh_certificate_get_gnutls (issuer) : crt,
                                       signer, 0, 0), "sign");
  gnutls_privkey_deinit (signer);

  return _gh_certificate_new_take (crt);
}

/* A minimal DER writer: enough for one EncryptedPrivateKeyInfo. */

static void
der_append (GByteArray   *out,
            guint8        tag,
            const guint8 *content,
            gsize         length)
{
  guint8 header[6];
  guint n = 0;

  header[n++] = tag;
  if (length < 0x80)
    header[n++] = length;
  else if (length < 0x100)
    {
      header[n++] = 0x81;
      header[n++] = length;
    }
  else if (length < 0x10000)
    {
      header[n++] = 0x82;
      header[n++] = length >> 8;
      header[n++] = length & 0xff;
    }
  else
    {
      header[n++] = 0x83;
      header[n++] = length >> 16;
      header[n++] = (length >> 8) & 0xff;
      header[n++] = length & 0xff;
    }
  g_byte_array_append (out, header, n);
  g_byte_array_append (out, content, length);
}

static void
der_wrap (GByteArray *out,
          guint8      tag,
          GByteArray *content)
{
  der_append (out, tag, content->data, content->len);
}

static void
der_integer (GByteArray *out,
             guint       value)
{
  guint8 bytes[5];
  guint n = 0;
  gboolean started = FALSE;

  for (int shift = 24; shift >= 0; shift -= 8)
    {
      guint8 b = (value >> shift) & 0xff;

      if (!started && b == 0 && shift > 0)
        continue;
      if (!started && (b & 0x80))
        bytes[n++] = 0;
      started = TRUE;
      bytes[n++] = b;
    }
  der_append (out, 0x02, bytes, n);
}

#define DER_SEQUENCE 0x30
#define DER_OCTETS   0x04

static const guint8 oid_pbes2[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
static const guint8 oid_pbkdf2[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
static const guint8 oid_hmac_sha256_null[] = { 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09, 0x05, 0x00 };
static const guint8 oid_aes256_cbc[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };

/* PKCS#8 EncryptedPrivateKeyInfo: PBES2, PBKDF2-HMAC-SHA256 with @iterations,
 * AES-256-CBC (RFC 8018). */
static GByteArray *
encrypt_pkcs8 (GhPrivateKey *key,
               const char   *password,
               guint         iterations)
{
  g_autoptr(GByteArray) pbkdf2_params = g_byte_array_new ();
  g_autoptr(GByteArray) kdf = g_byte_array_new ();
  g_autoptr(GByteArray) scheme = g_byte_array_new ();
  g_autoptr(GByteArray) pbes2_params = g_byte_array_new ();
  g_autoptr(GByteArray) algorithm = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  GByteArray *result = g_byte_array_new ();
  gnutls_datum_t plain = { NULL, 0 };
  gnutls_datum_t pass = { (guchar *) password, strlen (password) };
  guint8 salt[16], iv[16], derived[32];
  gnutls_datum_t salt_datum = { salt, sizeof salt };
  gnutls_datum_t key_datum = { derived, sizeof derived };
  gnutls_datum_t iv_datum = { iv, sizeof iv };
  gnutls_cipher_hd_t cipher = NULL;
  g_autofree guint8 *padded = NULL;
  gsize padded_length;
  guint8 pad;

  check (gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (key), GNUTLS_X509_FMT_DER,
                                            NULL, GNUTLS_PKCS_PLAIN, &plain), "export key");
  check (gnutls_rnd (GNUTLS_RND_NONCE, salt, sizeof salt), "salt");
  check (gnutls_rnd (GNUTLS_RND_NONCE, iv, sizeof iv), "iv");
  check (gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &pass, &salt_datum, iterations, derived, sizeof derived), "pbkdf2");

  pad = 16 - plain.size % 16;
  padded_length = plain.size + pad;
  padded = g_malloc (padded_length);
  memcpy (padded, plain.data, plain.size);
  memset (padded + plain.size, pad, pad);
  gnutls_memset (plain.data, 0, plain.size);
  gnutls_free (plain.data);

  check (gnutls_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_CBC, &key_datum, &iv_datum), "cipher");
  check (gnutls_cipher_encrypt (cipher, padded, padded_length), "encrypt");
  gnutls_cipher_deinit (cipher);

  der_append (pbkdf2_params, DER_OCTETS, salt, sizeof salt);
  der_integer (pbkdf2_params, iterations);
  g_byte_array_append (pbkdf2_params, oid_hmac_sha256_null, sizeof oid_hmac_sha256_null);
  g_byte_array_append (kdf, oid_pbkdf2, sizeof oid_pbkdf2);
  der_wrap (kdf, DER_SEQUENCE, pbkdf2_params);
  g_byte_array_append (scheme, oid_aes256_cbc, sizeof oid_aes256_cbc);
  der_append (scheme, DER_OCTETS, iv, sizeof iv);

  der_wrap (pbes2_params, DER_SEQUENCE, kdf);
  der_wrap (pbes2_params, DER_SEQUENCE, scheme);
  g_byte_array_append (algorithm, oid_pbes2, sizeof oid_pbes2);
  der_wrap (algorithm, DER_SEQUENCE, pbes2_params);

  der_wrap (body, DER_SEQUENCE, algorithm);
  der_append (body, DER_OCTETS, padded, padded_length);
  der_wrap (result, DER_SEQUENCE, body);

  return result;
}

/* The keystore with each key a K-iteration bag: the entries hold their keys sealed
 * as those bags, and Gatehouse's codec writes sealed keys as they are, adding the
 * certificates' bag and the MAC (600,000 iterations each). GnuTLS's gnutls_pkcs12_*
 * API, used before, re-encodes the whole file for each bag added: 10,000 entries took
 * hours to write. */
static GBytes *
serialize_with_key_iterations (GhKeystore *keystore,
                               guint       iterations)
{
  g_autoptr(GhKeystore) sealed = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  char *password = _gh_keystore_password_new (PASSWORD);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  GBytes *bytes;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
      g_autoptr(GhKeystoreEntry) copy = NULL;

      if (key != NULL)
        {
          g_autoptr(GBytes) encrypted = g_byte_array_free_to_bytes (encrypt_pkcs8 (key, PASSWORD, iterations));
          GhSealedKey *sealed_key = _gh_sealed_key_new (encrypted, password, GH_PKCS12_PROFILE_MODERN);

          copy = _gh_keystore_entry_new_sealed (gh_keystore_entry_get_alias (entry), sealed_key,
                                                gh_keystore_entry_get_chain (entry));
          _gh_sealed_key_unref (sealed_key);
        }
      gh_keystore_add (sealed, copy != NULL ? copy : entry, &error);
      g_assert_no_error (error);
    }
  _gh_keystore_password_unref (password);

  bytes = gh_keystore_serialize (sealed, PASSWORD, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);
}

static void
save (GhKeystore      *keystore,
      const char      *dir,
      const char      *name,
      GhPkcs12Profile  profile)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  gh_keystore_set_profile (keystore, profile);
  if (!gh_keystore_save (keystore, file, PASSWORD, &error))
    g_error ("%s", error->message);
  g_printerr ("make-keystore: %s saved by gh_keystore_save() in %.1f s\n", path,
              (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— a keystore of N generated entries for the benchmarks");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhPrivateKey) ca_key = NULL;
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GhKeystoreEntry) ca_entry = NULL;
  g_autoptr(GString) bundle = g_string_new (NULL);
  g_autofree char *leaves_dir = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key_type_name = NULL;
  g_autoptr(GhPrivateKey) issuer_key = NULL;
  g_autoptr(GhCertificate) issuer = NULL;
  GhKeyType key_type = GH_KEY_TYPE_ECDSA_P256;
  gboolean library = FALSE;
  int entries = 1000, key_iterations = 0, chain_length = 2;
  gint64 start = g_get_monotonic_time ();
  GOptionEntry options[] = {
    { "entries", 'n', 0, G_OPTION_ARG_INT, &entries, "Number of key entries (1000)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Where to write the files", "DIR" },
    { "library", 0, 0, G_OPTION_ARG_NONE, &library, "Write keystore-modern.p12 and keystore-compatible.p12 with gh_keystore_save()", NULL },
    { "key-iterations", 0, 0, G_OPTION_ARG_INT, &key_iterations, "Write keystore-kK.p12 with K PBKDF2 iterations per key", "K" },
    { "key-type", 0, 0, G_OPTION_ARG_STRING, &key_type_name, "The leaves' keys: ecdsa (P-256) or rsa (2048)", "TYPE" },
    { "chain", 0, 0, G_OPTION_ARG_INT, &chain_length, "2: leaves signed by the root; 3: by an intermediate", "2|3" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || dir == NULL || entries < 1 || key_iterations < 0 ||
      (chain_length != 2 && chain_length != 3))
    {
      g_printerr ("make-keystore: %s\n", error != NULL ? error->message : "give --dir DIR and --entries N ≥ 1");
      return 2;
    }

  if (key_type_name != NULL && g_str_equal (key_type_name, "rsa"))
    key_type = GH_KEY_TYPE_RSA_2048;

  leaves_dir = g_build_filename (dir, "leaves", NULL);
  if (g_mkdir_with_parents (leaves_dir, 0700) != 0)
    g_error ("Cannot create %s", leaves_dir);
  write_file (dir, "password", PASSWORD "\n", strlen (PASSWORD) + 1);

  ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  ca = sign_certificate (ca_key, "CN=Gatehouse Bench CA,O=Gatehouse", NULL, TRUE, NULL, ca_key, 1);
  ca_pem = gh_certificate_to_pem (ca);
  write_file (dir, "ca.pem", ca_pem, strlen (ca_pem));
  ca_entry = gh_keystore_entry_new_trusted ("bench-ca", ca);
  g_assert_true (gh_keystore_add (keystore, ca_entry, &error));
  issuer_key = g_object_ref (ca_key);
  issuer = g_object_ref (ca);
  if (chain_length == 3)
    {
      g_autoptr(GhPrivateKey) inter_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);

      g_assert_no_error (error);
      g_clear_object (&issuer);
      issuer = sign_certificate (inter_key, "CN=Gatehouse Bench Intermediate,O=Gatehouse", NULL, TRUE,
                                 ca, ca_key, entries + 2);
      g_set_object (&issuer_key, inter_key);
    }

  for (int i = 1; i <= entries; i++)
    {
      g_autoptr(GhPrivateKey) key = gh_private_key_generate (key_type, NULL, &error);
      g_autofree char *host = g_strdup_printf ("host-%05d.bench.example.com", i);
      g_autofree char *dn = g_strdup_printf ("CN=%s,O=Gatehouse Bench", host);
      g_autofree char *alias = g_strdup_printf ("entry-%05d", i);
      g_autofree char *name = g_strdup_printf ("leaves/%05d.pem", i);
      g_autoptr(GhCertificate) leaf = NULL;
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *pem = NULL;

      g_assert_no_error (error);
      leaf = sign_certificate (key, dn, host, FALSE, issuer, issuer_key, i + 1);
      g_ptr_array_add (chain, leaf);
      if (issuer != ca)
        g_ptr_array_add (chain, issuer);
      g_ptr_array_add (chain, ca);
      entry = gh_keystore_entry_new_key (alias, key, chain);
      g_assert_true (gh_keystore_add (keystore, entry, &error));

      pem = gh_certificate_to_pem (leaf);
      write_file (dir, name, pem, strlen (pem));
      g_string_append (bundle, pem);
    }
  write_file (dir, "leaves.pem", bundle->str, bundle->len);
  g_printerr ("make-keystore: %d entries generated and signed in %.1f s\n", entries,
              (g_get_monotonic_time () - start) / 1e6);

  if (key_iterations > 0)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *name = g_strdup_printf ("keystore-k%d.p12", key_iterations);

      start = g_get_monotonic_time ();
      bytes = serialize_with_key_iterations (keystore, key_iterations);
      write_file (dir, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_printerr ("make-keystore: %s/%s written in %.1f s\n", dir, name, (g_get_monotonic_time () - start) / 1e6);
    }

  if (library)
    {
      save (keystore, dir, "keystore-modern.p12", GH_PKCS12_PROFILE_MODERN);
      save (keystore, dir, "keystore-compatible.p12", GH_PKCS12_PROFILE_COMPATIBLE);
    }

  return 0;
}
