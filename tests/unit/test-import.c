/* test-import.c — import: every format detected by content and previewed, chains put
 * in order, notes for what is missing, the CA reply flow, bad input with clear errors
 * and the keystore unchanged, export round trips read back by OpenSSL
 *
 * The PKI is made at run time with openssl (a root CA, an intermediate CA, an RSA
 * leaf for gateway.example.com) in a temporary directory; tests that need openssl or
 * certtool skip with a reason when they are missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-export.h"
#include "gh-import.h"
#include "gh-pki-error.h"

static char *tmp_dir;
static gboolean have_pki;      /* the openssl material below was made */
static const char *no_pki_reason = "openssl is not installed";

#define P12_PASSWORD "p12 pass"
#define KEY_PASSWORD "key pass"

/* Helpers */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs a program (argv, no shell) in the temporary directory; its stdout, or NULL
 * with @error_out holding stderr when it fails. */
static char *
spawn (const char * const  *argv,
       char               **error_out)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    {
      if (error_out != NULL)
        *error_out = g_strdup (error->message);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      if (error_out != NULL)
        *error_out = g_steal_pointer (&err);
      return NULL;
    }

  return g_steal_pointer (&out);
}

static char *
run_v (const char *first,
       va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autofree char *command = NULL;
  char *out;

  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  out = spawn ((const char * const *) argv->pdata, &err);
  if (out == NULL)
    {
      command = g_strjoinv (" ", (char **) argv->pdata);
      g_error ("“%s” failed: %s", command, err);
    }

  return out;
}

/* Runs a command that must succeed; returns its stdout. */
static char *
run (const char *first,
     ...) G_GNUC_NULL_TERMINATED;

static char *
run (const char *first,
     ...)
{
  va_list args;
  char *out;

  va_start (args, first);
  out = run_v (first, args);
  va_end (args);
  return out;
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  char *content = NULL;
  gsize length = 0;

  g_file_get_contents (path, &content, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (content, length);
}

static void
save (const char *name,
      GBytes     *bytes)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

/* The files named, concatenated. */
static GBytes *
concat (const char *first,
        ...) G_GNUC_NULL_TERMINATED;

static GBytes *
concat (const char *first,
        ...)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      g_autoptr(GBytes) bytes = load (name);

      g_byte_array_append (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_byte_array_append (all, (const guint8 *) "\n", 1);
    }
  va_end (args);

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static GhImport *
import_ok (GBytes     *bytes,
           const char *password)
{
  g_autoptr(GError) error = NULL;
  GhImport *import = gh_import_new_from_bytes (bytes, password, &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import;
}

static GhImport *
import_file (const char *name,
             const char *password)
{
  g_autoptr(GBytes) bytes = load (name);

  return import_ok (bytes, password);
}

static void
assert_import_error (GBytes     *bytes,
                     const char *password,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhImport) import = gh_import_new_from_bytes (bytes, password, &error);

  g_assert_null (import);
  g_assert_error (error, GH_PKI_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("error %d: %s", code, error->message);
}

static guint
n_entries (GhImport *import)
{
  return g_list_model_get_n_items (gh_import_get_entries (import));
}

static GhKeystoreEntry *
entry_at (GhImport *import,
          guint     position)
{
  GhKeystoreEntry *entry = g_list_model_get_item (gh_import_get_entries (import), position);

  /* The import keeps its own reference. */
  g_object_unref (entry);
  return entry;
}

static const char *
cn_at (GPtrArray *chain,
       guint      position)
{
  return gh_certificate_get_display_name (g_ptr_array_index (chain, position));
}

static gboolean
has_note (GhImport   *import,
          const char *text)
{
  const char * const *notes = gh_import_get_notes (import);

  for (guint i = 0; notes[i] != NULL; i++)
    {
      if (strstr (notes[i], text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static guint
n_notes (GhImport *import)
{
  return g_strv_length ((char **) gh_import_get_notes (import));
}

static void
log_notes (GhImport *import)
{
  const char * const *notes = gh_import_get_notes (import);

  for (guint i = 0; notes[i] != NULL; i++)
    g_test_message ("note: %s", notes[i]);
}

/* A stable picture of a keystore: alias, kind and every chain fingerprint. */
static char *
describe (GhKeystore *keystore)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (keystore)); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);

      g_string_append_printf (text, "%s %d %s", gh_keystore_entry_get_alias (entry),
                              gh_keystore_entry_get_kind (entry),
                              key ? gh_private_key_get_public_key_id (key) : "-");
      for (guint j = 0; j < chain->len; j++)
        g_string_append_printf (text, " %s", gh_certificate_get_sha256_fingerprint (g_ptr_array_index (chain, j)));
      g_string_append_c (text, '\n');
    }

  return g_string_free_and_steal (text);
}

static GhCertificate *
load_certificate (const char *name)
{
  g_autoptr(GBytes) bytes = load (name);
  g_autoptr(GError) error = NULL;
  GhCertificate *certificate = gh_certificate_new_from_pem (g_bytes_get_data (bytes, NULL),
                                                            g_bytes_get_size (bytes), &error);

  g_assert_no_error (error);
  return certificate;
}

static gboolean
need_pki (void)
{
  if (!have_pki)
    g_test_skip (no_pki_reason);
  return have_pki;
}

/* The PKI, made once. */
static void
make_pki (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *out = NULL;
  g_autoptr(GhPrivateKey) other_key = NULL;
  g_autoptr(GhCertificate) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_pem = NULL;
  g_autofree char *other_path = tmp_path ("other.pem");

  if (openssl == NULL)
    return;

  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
               "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=Test Root CA/O=Gatehouse Tests",
               "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
               "-keyout", "inter.key", "-out", "inter.pem", "-subj", "/CN=Test Intermediate CA",
               "-days", "30", "-CA", "root.pem", "-CAkey", "root.key",
               "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (run ("openssl", "req", "-x509", "-newkey", "rsa:2048", "-noenc",
               "-keyout", "leaf.key", "-out", "leaf.pem", "-subj", "/CN=gateway.example.com",
               "-days", "30", "-CA", "inter.pem", "-CAkey", "inter.key",
               "-addext", "subjectAltName=DNS:gateway.example.com",
               "-addext", "basicConstraints=critical,CA:FALSE",
               "-addext", "extendedKeyUsage=serverAuth", NULL));

  /* The same key and certificate in every other format. */
  g_free (run ("openssl", "pkey", "-in", "leaf.key", "-traditional", "-out", "leaf-pkcs1.pem", NULL));
  g_free (run ("openssl", "pkey", "-in", "leaf.key", "-traditional", "-outform", "DER", "-out", "leaf-pkcs1.der", NULL));
  g_free (run ("openssl", "pkey", "-in", "inter.key", "-traditional", "-out", "inter-sec1.pem", NULL));
  g_free (run ("openssl", "pkey", "-in", "inter.key", "-traditional", "-outform", "DER", "-out", "inter-sec1.der", NULL));
  g_free (run ("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "leaf.key", "-outform", "DER", "-out", "leaf-p8.der", NULL));
  g_free (run ("openssl", "pkcs8", "-topk8", "-in", "leaf.key", "-outform", "DER", "-out", "leaf-p8enc.der",
               "-passout", "pass:" KEY_PASSWORD, NULL));
  g_free (run ("openssl", "pkcs8", "-topk8", "-in", "leaf.key", "-out", "leaf-p8enc.pem",
               "-passout", "pass:" KEY_PASSWORD, NULL));
  g_free (run ("openssl", "rsa", "-in", "leaf.key", "-traditional", "-aes256", "-out", "leaf-legacy.pem",
               "-passout", "pass:" KEY_PASSWORD, NULL));
  g_free (run ("openssl", "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der", NULL));
  g_free (run ("openssl", "req", "-new", "-key", "leaf.key", "-subj", "/CN=gateway.example.com", "-out", "leaf.csr", NULL));
  g_free (run ("openssl", "req", "-new", "-key", "leaf.key", "-subj", "/CN=gateway.example.com", "-outform", "DER",
               "-out", "leaf-csr.der", NULL));

  {
    g_autoptr(GBytes) chain = concat ("leaf.pem", "inter.pem", "root.pem", NULL);
    g_autoptr(GBytes) cas = concat ("inter.pem", "root.pem", NULL);

    save ("chain.pem", chain);
    save ("cas.pem", cas);
  }
  g_free (run ("openssl", "crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", "DER", "-out", "chain.p7b", NULL));
  g_free (run ("openssl", "crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-out", "chain-p7.pem", NULL));
  g_free (run ("openssl", "pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.pem", "-certfile", "cas.pem",
               "-name", "web", "-passout", "pass:" P12_PASSWORD, "-out", "leaf.p12", NULL));
  g_free (run ("openssl", "pkcs12", "-export", "-nomac", "-inkey", "leaf.key", "-in", "leaf.pem",
               "-name", "web", "-passout", "pass:" P12_PASSWORD, "-out", "leaf-nomac.p12", NULL));

  /* An unrelated self-signed certificate, made by the library. */
  other_key = gh_private_key_generate (GH_KEY_TYPE_ED25519, NULL, &error);
  g_assert_no_error (error);
  other = gh_private_key_create_self_signed (other_key, "CN=Other Service", NULL, 30, &error);
  g_assert_no_error (error);
  other_pem = gh_certificate_to_pem (other);
  g_file_set_contents (other_path, other_pem, -1, &error);
  g_assert_no_error (error);

  have_pki = TRUE;
}

/* Tests: formats */

static void
test_pem_mixed_order (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  GhKeystoreEntry *entry, *web;
  GPtrArray *chain;

  if (!need_pki ())
    return;

  /* Root first, key in the middle, a request and an unrelated certificate mixed in. */
  bytes = concat ("root.pem", "leaf.csr", "leaf.key", "other.pem", "inter.pem", "leaf.pem", NULL);
  import = import_ok (bytes, NULL);
  log_notes (import);

  g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_PEM);
  g_assert_cmpstr (gh_import_get_format_name (import), ==, "PEM bundle");
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 4);
  g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
  g_assert_cmpuint (n_entries (import), ==, 2);

  entry = entry_at (import, 0);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpstr (gh_keystore_entry_get_alias (entry), ==, "gateway.example.com");
  chain = gh_keystore_entry_get_chain (entry);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpstr (cn_at (chain, 0), ==, "gateway.example.com");
  g_assert_cmpstr (cn_at (chain, 1), ==, "Test Intermediate CA");
  g_assert_cmpstr (cn_at (chain, 2), ==, "Test Root CA");
  g_assert_true (gh_private_key_matches (gh_keystore_entry_get_private_key (entry), gh_keystore_entry_get_certificate (entry)));

  entry = entry_at (import, 1);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);
  g_assert_cmpstr (gh_keystore_entry_get_alias (entry), ==, "other service");

  g_assert_true (has_note (import, "A certificate request was left out"));
  g_assert_false (has_note (import, "stops at"));
  g_assert_cmpuint (n_notes (import), ==, 1);

  /* The alias goes to the key entry. */
  g_assert_true (gh_import_commit (import, keystore, "web", &error));
  g_assert_no_error (error);
  web = gh_keystore_lookup (keystore, "web");
  g_assert_nonnull (web);
  g_assert_cmpuint (gh_keystore_entry_get_chain (web)->len, ==, 3);
  g_assert_nonnull (gh_keystore_lookup (keystore, "other service"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 2);
}

static void
test_pem_openssl_bag_attributes (void)
{
  g_autofree char *out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhImport) import = NULL;

  if (!need_pki ())
    return;

  /* `openssl pkcs12 -nodes` output: its friendlyName names the entry. */
  out = run ("openssl", "pkcs12", "-in", "leaf.p12", "-nodes", "-passin", "pass:" P12_PASSWORD, NULL);
  bytes = g_bytes_new (out, strlen (out));
  import = import_ok (bytes, NULL);
  g_assert_cmpuint (n_entries (import), ==, 1);
  g_assert_cmpstr (gh_keystore_entry_get_alias (entry_at (import, 0)), ==, "web");
  g_assert_cmpuint (gh_keystore_entry_get_chain (entry_at (import, 0))->len, ==, 3);
}

static void
test_pem_long_names (void)
{
  g_autoptr(GBytes) root = NULL;
  g_autoptr(GBytes) inter = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = g_strnfill (254, 'a');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;

  if (!need_pki ())
    return;

  /* Two certificates with the same friendlyName of 254 bytes: "name-2" would not be an alias. */
  root = load ("root.pem");
  inter = load ("inter.pem");
  g_string_append_printf (text, "Bag Attributes\n    friendlyName: %s\n%.*s", name,
                          (int) g_bytes_get_size (root), (const char *) g_bytes_get_data (root, NULL));
  g_string_append_printf (text, "Bag Attributes\n    friendlyName: %s\n%.*s", name,
                          (int) g_bytes_get_size (inter), (const char *) g_bytes_get_data (inter, NULL));
  bytes = g_bytes_new (text->str, text->len);
  import = import_ok (bytes, NULL);
  g_assert_cmpuint (n_entries (import), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true (gh_keystore_alias_is_valid (gh_keystore_entry_get_alias (entry_at (import, i))));

  /* Into an empty keystore, and into one where that alias is taken. */
  g_assert_true (gh_import_commit (import, keystore, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&keystore);
  keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  {
    g_autoptr(GhImport) other = import_file ("other.pem", NULL);

    g_assert_true (gh_import_commit (other, keystore, gh_keystore_entry_get_alias (entry_at (import, 0)), &error));
    g_assert_no_error (error);
    g_assert_true (gh_import_commit (import, keystore, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);

        g_assert_true (gh_keystore_alias_is_valid (gh_keystore_entry_get_alias (entry)));
      }
  }
}

static void
test_pem_missing_intermediate (void)
{
  g_autoptr(GBytes) no_inter = NULL;
  g_autoptr(GBytes) no_root = NULL;
  g_autoptr(GhImport) import = NULL;
  GPtrArray *chain;

  if (!need_pki ())
    return;

  no_inter = concat ("leaf.key", "root.pem", "leaf.pem", NULL);
  import = import_ok (no_inter, NULL);
  log_notes (import);
  g_assert_cmpuint (n_entries (import), ==, 2);
  chain = gh_keystore_entry_get_chain (entry_at (import, 0));
  g_assert_cmpuint (chain->len, ==, 1);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry_at (import, 1)), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);
  g_assert_true (has_note (import, "The chain of “gateway.example.com” stops at “gateway.example.com”: "
                                   "the certificate of its issuer “Test Intermediate CA” is not in the file"));
  g_clear_object (&import);

  no_root = concat ("inter.pem", "leaf.pem", "leaf.key", NULL);
  import = import_ok (no_root, NULL);
  log_notes (import);
  chain = gh_keystore_entry_get_chain (entry_at (import, 0));
  g_assert_cmpuint (chain->len, ==, 2);
  g_assert_cmpuint (n_entries (import), ==, 1);
  g_assert_true (has_note (import, "The chain of “gateway.example.com” stops at “Test Intermediate CA”: "
                                   "the certificate of its issuer “Test Root CA” is not in the file"));
  g_assert_cmpuint (n_notes (import), ==, 1);
}

static void
test_pem_key_without_certificate (void)
{
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!need_pki ())
    return;

  import = import_file ("leaf.key", NULL);
  g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 0);
  g_assert_cmpuint (n_entries (import), ==, 0);
  g_assert_true (has_note (import, "A private key has no certificate: import its certificate too"));

  keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  {
    g_autoptr(GhImport) other = import_file ("other.pem", NULL);

    g_assert_true (gh_import_commit (other, keystore, NULL, &error));
  }
  before = describe (keystore);
  g_assert_false (gh_import_commit (import, keystore, NULL, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  after = describe (keystore);
  g_assert_cmpstr (before, ==, after);
}

/* A key and a server's certificate that are no pair: refused, both named. */
static void
test_pem_key_certificate_mismatch (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhImport) import = NULL;

  if (!need_pki ())
    return;

  bytes = concat ("leaf.key", "other.pem", NULL);
  import = gh_import_new_from_bytes (bytes, NULL, &error);
  g_assert_null (import);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Other Service"));
  g_assert_nonnull (strstr (error->message, "private key (RSA"));
  g_clear_error (&error);

  /* A key with its own certificate next to a server's certificate of nobody's key: as
   * before, the pair and the lone certificate. */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = concat ("leaf.key", "leaf.pem", "other.pem", NULL);
  g_clear_object (&import);
  import = import_ok (bytes, NULL);
  g_assert_cmpuint (n_entries (import), ==, 2);
}

static void
test_pem_key_kinds (void)
{
  const struct {
    const char *file;
    const char *algorithm;
  } keys[] = {
    { "leaf.key", "RSA" },         /* PKCS#8 */
    { "leaf-pkcs1.pem", "RSA" },   /* RSA PRIVATE KEY */
    { "inter-sec1.pem", "ECDSA P-256" },  /* EC PRIVATE KEY */
  };

  if (!need_pki ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GhImport) import = import_file (keys[i].file, NULL);
      /* A password given for another part of the file does not get in the way. */
      g_autoptr(GhImport) with_password = import_file (keys[i].file, "unused");
      GhPrivateKey *key;

      g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_PEM);
      g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
      key = g_ptr_array_index (gh_import_get_private_keys (import), 0);
      g_assert_cmpstr (gh_private_key_get_algorithm (key), ==, keys[i].algorithm);
      g_assert_cmpuint (gh_import_get_private_keys (with_password)->len, ==, 1);
    }
}

static void
test_pem_encrypted_keys (void)
{
  const char *files[] = { "leaf-p8enc.pem", "leaf-legacy.pem" };

  if (!need_pki ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) alone = load (files[i]);
      g_autoptr(GBytes) bytes = concat ("leaf.pem", files[i], "inter.pem", "root.pem", NULL);
      g_autoptr(GhImport) import = NULL;

      assert_import_error (alone, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);
      assert_import_error (bytes, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);
      assert_import_error (bytes, "wrong", GH_PKI_ERROR_WRONG_PASSWORD);

      import = import_ok (bytes, KEY_PASSWORD);
      g_assert_cmpuint (n_entries (import), ==, 1);
      g_assert_cmpuint (gh_keystore_entry_get_chain (entry_at (import, 0))->len, ==, 3);
      g_assert_cmpuint (n_notes (import), ==, 0);
    }
}

static void
test_der_certificate (void)
{
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhCertificate) leaf = NULL;

  if (!need_pki ())
    return;

  leaf = load_certificate ("leaf.pem");
  import = import_file ("leaf.der", NULL);
  log_notes (import);
  g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_DER_CERTIFICATE);
  g_assert_cmpstr (gh_import_get_format_name (import), ==, "DER certificate");
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 1);
  g_assert_true (gh_certificate_equal (g_ptr_array_index (gh_import_get_certificates (import), 0), leaf));
  g_assert_cmpuint (n_entries (import), ==, 1);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry_at (import, 0)), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);
  g_assert_true (has_note (import, "its issuer “Test Intermediate CA” is not in the file"));
}

/* Bytes appended to a DER file: a newline, more certificates, or anything else. */
static GBytes *
append (GBytes     *bytes,
        const char *more,
        gsize       more_length)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();

  g_byte_array_append (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_byte_array_append (all, (const guint8 *) more, more_length);
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static void
test_der_trailing_data (void)
{
  g_autoptr(GBytes) leaf = NULL;
  g_autoptr(GBytes) newline = NULL;
  g_autoptr(GBytes) p12_newline = NULL;
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) concatenated = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GhImport) import = NULL;

  if (!need_pki ())
    return;

  g_free (run ("openssl", "x509", "-in", "inter.pem", "-outform", "DER", "-out", "inter.der", NULL));
  g_free (run ("openssl", "x509", "-in", "root.pem", "-outform", "DER", "-out", "root.der", NULL));
  leaf = load ("leaf.der");

  newline = append (leaf, "\n", 1);
  import = import_ok (newline, NULL);
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 1);
  g_assert_false (has_note (import, "goes on"));
  g_clear_object (&import);

  {
    g_autoptr(GBytes) p12 = load ("leaf.p12");

    p12_newline = append (p12, "\r\n", 2);
    import = import_ok (p12_newline, P12_PASSWORD);
    g_assert_cmpuint (n_entries (import), ==, 1);
    g_clear_object (&import);
  }

  /* `cat leaf.der inter.der root.der`: a chain. */
  {
    g_autoptr(GBytes) inter = load ("inter.der");
    g_autoptr(GBytes) root = load ("root.der");
    g_autoptr(GBytes) two = append (leaf, g_bytes_get_data (inter, NULL), g_bytes_get_size (inter));

    concatenated = append (two, g_bytes_get_data (root, NULL), g_bytes_get_size (root));
    import = import_ok (concatenated, NULL);
    g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_DER_CERTIFICATE);
    g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 3);
    g_assert_cmpuint (n_notes (import), ==, 0);
    g_clear_object (&import);

    cut = g_bytes_new_from_bytes (concatenated, 0, g_bytes_get_size (concatenated) - 10);
    assert_import_error (cut, NULL, GH_PKI_ERROR_TRUNCATED);
  }

  garbage = append (leaf, "\nnot DER", 8);
  import = import_ok (garbage, NULL);
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 1);
  g_assert_true (has_note (import, "The file goes on after its content: the rest was left out"));
}

static void
test_der_private_keys (void)
{
  const struct {
    const char     *file;
    GhImportFormat  format;
    const char     *algorithm;
    const char     *certificate;
  } keys[] = {
    { "leaf-pkcs1.der", GH_IMPORT_FORMAT_DER_PRIVATE_KEY, "RSA", "leaf.pem" },
    { "inter-sec1.der", GH_IMPORT_FORMAT_DER_PRIVATE_KEY, "ECDSA P-256", "inter.pem" },
    { "leaf-p8.der", GH_IMPORT_FORMAT_PKCS8, "RSA", "leaf.pem" },
  };

  if (!need_pki ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GhImport) import = import_file (keys[i].file, NULL);
      g_autoptr(GhImport) with_password = import_file (keys[i].file, "unused");
      g_autoptr(GhCertificate) certificate = load_certificate (keys[i].certificate);
      GhPrivateKey *key;

      g_test_message ("%s: %s", keys[i].file, gh_import_get_format_name (import));
      g_assert_cmpint (gh_import_get_format (import), ==, keys[i].format);
      g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
      g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 0);
      key = g_ptr_array_index (gh_import_get_private_keys (import), 0);
      g_assert_cmpstr (gh_private_key_get_algorithm (key), ==, keys[i].algorithm);
      g_assert_true (gh_private_key_matches (key, certificate));
      g_assert_cmpuint (gh_import_get_private_keys (with_password)->len, ==, 1);
      g_assert_true (has_note (import, "A private key has no certificate"));
    }
}

static void
test_der_encrypted_pkcs8 (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhCertificate) leaf = NULL;

  if (!need_pki ())
    return;

  bytes = load ("leaf-p8enc.der");
  assert_import_error (bytes, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);
  assert_import_error (bytes, "wrong", GH_PKI_ERROR_WRONG_PASSWORD);

  leaf = load_certificate ("leaf.pem");
  import = import_ok (bytes, KEY_PASSWORD);
  g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_PKCS8);
  g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
  g_assert_true (gh_private_key_matches (g_ptr_array_index (gh_import_get_private_keys (import), 0), leaf));
}

static void
test_pkcs7 (void)
{
  const char *files[] = { "chain.p7b", "chain-p7.pem" };

  if (!need_pki ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GhImport) import = import_file (files[i], NULL);

      log_notes (import);
      g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_PKCS7);
      g_assert_cmpstr (gh_import_get_format_name (import), ==, "PKCS#7");
      g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 3);
      g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 0);
      g_assert_cmpuint (n_entries (import), ==, 3);
      for (guint j = 0; j < 3; j++)
        g_assert_cmpint (gh_keystore_entry_get_kind (entry_at (import, j)), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);
      g_assert_cmpuint (n_notes (import), ==, 0);
    }
}

static void
test_pkcs12 (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhImport) nomac = NULL;
  GhKeystoreEntry *entry;
  GPtrArray *chain;

  if (!need_pki ())
    return;

  bytes = load ("leaf.p12");
  assert_import_error (bytes, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);
  assert_import_error (bytes, "wrong", GH_PKI_ERROR_WRONG_PASSWORD);

  import = import_ok (bytes, P12_PASSWORD);
  log_notes (import);
  g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_PKCS12);
  g_assert_cmpstr (gh_import_get_format_name (import), ==, "PKCS#12");
  g_assert_cmpuint (gh_import_get_certificates (import)->len, ==, 3);
  g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 1);
  g_assert_cmpuint (n_entries (import), ==, 1);
  entry = entry_at (import, 0);
  g_assert_cmpstr (gh_keystore_entry_get_alias (entry), ==, "web");
  chain = gh_keystore_entry_get_chain (entry);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpstr (cn_at (chain, 2), ==, "Test Root CA");
  g_assert_cmpuint (n_notes (import), ==, 0);

  /* Without a MAC: importable, with a note. */
  nomac = import_file ("leaf-nomac.p12", P12_PASSWORD);
  log_notes (nomac);
  g_assert_cmpuint (n_entries (nomac), ==, 1);
  g_assert_true (has_note (nomac, "no integrity protection"));
}

/* Tests: the CA reply */

static GhKeystore *
make_keystore_with_keys (GhPrivateKey **gw_key_out)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  const char *names[] = { "gw", "other-key" };
  const char *subjects[] = { "CN=gw.example.com", "CN=other.example.com" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_autoptr(GhCertificate) certificate = NULL;
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      g_autoptr(GhKeystoreEntry) entry = NULL;

      g_assert_no_error (error);
      certificate = gh_private_key_create_self_signed (key, subjects[i], NULL, 30, &error);
      g_assert_no_error (error);
      g_ptr_array_add (chain, certificate);
      entry = gh_keystore_entry_new_key (names[i], key, chain);
      g_assert_true (gh_keystore_add (keystore, entry, &error));
      if (i == 0)
        *gw_key_out = g_object_ref (key);
    }

  return g_steal_pointer (&keystore);
}

static void
write_csr (GhPrivateKey *key,
           const char   *name)
{
  const char *sans[] = { "gw.example.com", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *csr = gh_private_key_create_csr (key, "CN=gw.example.com,O=Gatehouse Tests", sans, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = g_bytes_new (csr, strlen (csr));
  save (name, bytes);
}

static void
test_ca_reply_openssl (void)
{
  g_autoptr(GhPrivateKey) gw_key = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *issuer = NULL;
  GhKeystoreEntry *gw;
  GPtrArray *chain;

  if (!need_pki ())
    return;

  keystore = make_keystore_with_keys (&gw_key);
  write_csr (gw_key, "gw.csr");
  g_free (run ("openssl", "x509", "-req", "-in", "gw.csr", "-CA", "inter.pem", "-CAkey", "inter.key",
               "-days", "30", "-copy_extensions", "copy", "-out", "gw-reply.pem", NULL));

  /* The CA sends its certificates along, in any order. */
  reply = concat ("root.pem", "gw-reply.pem", "inter.pem", NULL);
  import = import_ok (reply, NULL);
  g_assert_cmpuint (gh_import_get_private_keys (import)->len, ==, 0);
  g_assert_true (gh_import_find_reply_target (import, keystore) == gh_keystore_lookup (keystore, "gw"));

  /* Not for another key entry, nor under a trusted certificate's or a new alias. */
  before = describe (keystore);
  g_assert_false (gh_import_commit (import, keystore, "other-key", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (gh_import_commit (import, keystore, "brand-new", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  g_clear_error (&error);
  after = describe (keystore);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (gh_import_commit (import, keystore, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 2);
  gw = gh_keystore_lookup (keystore, "gw");
  g_assert_true (gh_keystore_entry_get_private_key (gw) == gw_key);
  chain = gh_keystore_entry_get_chain (gw);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpstr (cn_at (chain, 0), ==, "gw.example.com");
  issuer = gh_certificate_get_issuer_field (g_ptr_array_index (chain, 0), "CN");
  g_assert_cmpstr (issuer, ==, "Test Intermediate CA");
  g_assert_cmpstr (cn_at (chain, 1), ==, "Test Intermediate CA");
  g_assert_cmpstr (cn_at (chain, 2), ==, "Test Root CA");
  g_assert_true (gh_private_key_matches (gw_key, g_ptr_array_index (chain, 0)));
  /* The entry kept its place. */
  {
    g_autoptr(GhKeystoreEntry) first = g_list_model_get_item (G_LIST_MODEL (keystore), 0);

    g_assert_true (first == gw);
  }
}

static void
test_ca_reply_certtool (void)
{
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autofree char *template_path = NULL;
  g_autoptr(GhPrivateKey) gw_key = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhImport) cas = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *chain;

  if (!need_pki ())
    return;
  if (certtool == NULL)
    {
      g_test_skip ("certtool (gnutls-bin) is not installed");
      return;
    }

  keystore = make_keystore_with_keys (&gw_key);
  /* The keystore trusts the CA: a reply of the leaf alone completes from it. */
  cas = import_file ("cas.pem", NULL);
  g_assert_true (gh_import_commit (cas, keystore, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 4);

  write_csr (gw_key, "gw2.csr");
  template_path = tmp_path ("reply.tmpl");
  g_file_set_contents (template_path, "expiration_days = 30\ntls_www_server\nsigning_key\nhonor_crq_extensions\n", -1, &error);
  g_assert_no_error (error);
  g_free (run ("certtool", "--generate-certificate", "--load-request", "gw2.csr",
               "--load-ca-certificate", "inter.pem", "--load-ca-privkey", "inter.key",
               "--template", "reply.tmpl", "--outder", "--outfile", "gw2-reply.der", NULL));

  import = import_file ("gw2-reply.der", NULL);
  g_assert_cmpint (gh_import_get_format (import), ==, GH_IMPORT_FORMAT_DER_CERTIFICATE);
  g_assert_true (gh_import_find_reply_target (import, keystore) == gh_keystore_lookup (keystore, "gw"));

  g_assert_true (gh_import_commit (import, keystore, "gw", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 4);
  chain = gh_keystore_entry_get_chain (gh_keystore_lookup (keystore, "gw"));
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpstr (cn_at (chain, 0), ==, "gw.example.com");
  g_assert_cmpstr (cn_at (chain, 1), ==, "Test Intermediate CA");
  g_assert_cmpstr (cn_at (chain, 2), ==, "Test Root CA");
  g_assert_true (gh_keystore_entry_get_private_key (gh_keystore_lookup (keystore, "gw")) == gw_key);
}

static void
test_reply_for_no_key (void)
{
  g_autoptr(GhPrivateKey) gw_key = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!need_pki ())
    return;

  keystore = make_keystore_with_keys (&gw_key);
  before = describe (keystore);

  /* Certificates that hold no key of the keystore, imported "as the reply for gw". */
  import = import_file ("chain.pem", NULL);
  g_assert_null (gh_import_find_reply_target (import, keystore));
  g_assert_false (gh_import_commit (import, keystore, "gw", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH);
  g_test_message ("%s", error->message);
  after = describe (keystore);
  g_assert_cmpstr (before, ==, after);
}

/* Tests: commit */

static void
test_commit_aliases (void)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhImport) root = NULL;
  g_autoptr(GhImport) p12 = NULL;
  g_autoptr(GhImport) p7 = NULL;
  g_autoptr(GhImport) cas = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!need_pki ())
    return;

  root = import_file ("root.pem", NULL);
  g_assert_true (gh_import_commit (root, keystore, "root-ca", &error));
  g_assert_no_error (error);
  p12 = import_file ("leaf.p12", P12_PASSWORD);
  g_assert_true (gh_import_commit (p12, keystore, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (gh_keystore_lookup (keystore, "web"));
  before = describe (keystore);

  /* An alias that is taken, or not an alias: an error, and nothing changes. */
  g_assert_false (gh_import_commit (p12, keystore, "root-ca", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (gh_import_commit (p12, keystore, "web", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (gh_import_commit (p12, keystore, " padded", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gh_import_commit (p12, keystore, "", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  g_clear_error (&error);
  after = describe (keystore);
  g_assert_cmpstr (before, ==, after);

  /* Certificates only, one of them holding the key of "web": a CA reply for it. */
  p7 = import_file ("chain.p7b", NULL);
  g_assert_true (gh_import_find_reply_target (p7, keystore) == gh_keystore_lookup (keystore, "web"));

  /* The root already trusted is not added twice. */
  cas = import_file ("cas.pem", NULL);
  g_assert_null (gh_import_find_reply_target (cas, keystore));
  g_assert_true (gh_import_commit (cas, keystore, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 3);
  g_assert_nonnull (gh_keystore_lookup (keystore, "test intermediate ca"));
  g_assert_null (gh_keystore_lookup (keystore, "test root ca"));

  /* Without an alias, a taken one gets a number. */
  g_assert_true (gh_import_commit (p12, keystore, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (gh_keystore_lookup (keystore, "web-2"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 4);
}

/* Tests: bad input */

static void
test_bad_input (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("just some text, not a certificate\n", 34);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x30\x03\x01\x01\xff", 5);
  g_autoptr(GBytes) jks = g_bytes_new_static ("\xfe\xed\xfe\xed\x00\x00\x00\x02", 8);
  g_autoptr(GBytes) zeros = g_bytes_new_take (g_malloc0 (1024 * 1024), 1024 * 1024);
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (100 * 1024 * 1024), 100 * 1024 * 1024);
  gint64 start;

  assert_import_error (empty, NULL, GH_PKI_ERROR_EMPTY);
  assert_import_error (text, NULL, GH_PKI_ERROR_UNKNOWN_FORMAT);
  assert_import_error (binary, NULL, GH_PKI_ERROR_UNKNOWN_FORMAT);

  start = g_get_monotonic_time ();
  assert_import_error (huge, NULL, GH_PKI_ERROR_TOO_LARGE);
  assert_import_error (zeros, NULL, GH_PKI_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GhImport) import = gh_import_new_from_bytes (jks, "changeit", &error);

    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT);
    g_assert_nonnull (strstr (error->message, "keytool -importkeystore"));
  }

  if (!need_pki ())
    return;

  /* Truncated DER, PKCS#12 and PEM */
  {
    g_autoptr(GBytes) der = load ("leaf.der");
    g_autoptr(GBytes) der_cut = g_bytes_new_from_bytes (der, 0, g_bytes_get_size (der) / 2);
    g_autoptr(GBytes) p12 = load ("leaf.p12");
    g_autoptr(GBytes) p12_cut = g_bytes_new_from_bytes (p12, 0, g_bytes_get_size (p12) - 100);
    g_autoptr(GBytes) pem = load ("chain.pem");
    g_autoptr(GBytes) pem_cut = g_bytes_new_from_bytes (pem, 0, g_bytes_get_size (pem) - 60);
    g_autoptr(GBytes) p8 = load ("leaf-p8enc.der");
    g_autoptr(GBytes) p8_cut = g_bytes_new_from_bytes (p8, 0, g_bytes_get_size (p8) - 1);

    assert_import_error (der_cut, NULL, GH_PKI_ERROR_TRUNCATED);
    assert_import_error (p12_cut, P12_PASSWORD, GH_PKI_ERROR_TRUNCATED);
    assert_import_error (pem_cut, NULL, GH_PKI_ERROR_TRUNCATED);
    assert_import_error (p8_cut, KEY_PASSWORD, GH_PKI_ERROR_TRUNCATED);
  }

  /* Corrupt: a broken tag inside a certificate, broken base64 inside a PEM block */
  {
    g_autoptr(GBytes) der = load ("leaf.der");
    gsize size = g_bytes_get_size (der);
    g_autofree guchar *broken = g_memdup2 (g_bytes_get_data (der, NULL), size);
    g_autoptr(GBytes) corrupt = NULL;
    g_autoptr(GBytes) pem = load ("leaf.pem");
    g_autofree char *broken_pem = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
    g_autoptr(GBytes) corrupt_pem = NULL;

    g_assert_cmpint (broken[8], ==, 0xa0);  /* TBSCertificate's [0] version */
    broken[8] = 0x05;
    corrupt = g_bytes_new (broken, size);
    assert_import_error (corrupt, NULL, GH_PKI_ERROR_CORRUPT);

    broken_pem[100] = '*';
    broken_pem[101] = '!';
    corrupt_pem = g_bytes_new (broken_pem, strlen (broken_pem));
    assert_import_error (corrupt_pem, NULL, GH_PKI_ERROR_CORRUPT);
  }

  /* The wrong kind of file: a certificate request alone, PEM or DER */
  {
    g_autoptr(GBytes) csr = load ("leaf.csr");
    g_autoptr(GBytes) csr_der = load ("leaf-csr.der");
    g_autoptr(GError) error = NULL;
    g_autoptr(GhImport) import = gh_import_new_from_bytes (csr, NULL, &error);

    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT);
    g_assert_nonnull (strstr (error->message, "certificate request"));
    assert_import_error (csr_der, NULL, GH_PKI_ERROR_UNKNOWN_FORMAT);
  }
}

/* Tests: export */

static void
assert_no_private_key (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_null (g_strstr_len (data, size, "PRIVATE KEY"));
}

static char *
fingerprint_colons (const char *openssl_output)
{
  const char *equals = strchr (openssl_output, '=');

  g_assert_nonnull (equals);
  return g_strstrip (g_ascii_strup (equals + 1, -1));
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

static void
test_export (void)
{
  g_autoptr(GhImport) p12 = NULL;
  g_autoptr(GhImport) root_import = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  GhKeystoreEntry *web, *root;
  GhExportFormat format;

  g_assert_true (gh_export_format_from_string ("pem", &format));
  g_assert_cmpint (format, ==, GH_EXPORT_FORMAT_PEM);
  g_assert_true (gh_export_format_from_string ("der", &format));
  g_assert_cmpint (format, ==, GH_EXPORT_FORMAT_DER);
  g_assert_true (gh_export_format_from_string ("p7", &format));
  g_assert_cmpint (format, ==, GH_EXPORT_FORMAT_PKCS7);
  g_assert_true (gh_export_format_from_string ("p12", &format));
  g_assert_cmpint (format, ==, GH_EXPORT_FORMAT_PKCS12);
  g_assert_false (gh_export_format_from_string ("jks", &format));

  if (!need_pki ())
    return;

  p12 = import_file ("leaf.p12", P12_PASSWORD);
  g_assert_true (gh_import_commit (p12, keystore, NULL, &error));
  root_import = import_file ("root.pem", NULL);
  g_assert_true (gh_import_commit (root_import, keystore, "root", &error));
  g_assert_no_error (error);
  web = gh_keystore_lookup (keystore, "web");
  root = gh_keystore_lookup (keystore, "root");

  /* PEM: the certificate, or the chain */
  {
    g_autoptr(GBytes) leaf = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PEM, FALSE, NULL, 0, &error);
    g_autoptr(GBytes) chain = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PEM, TRUE, NULL, 0, &error);
    g_autofree char *leaf_text = NULL;
    g_autofree char *chain_text = NULL;
    g_autofree char *out = NULL;
    g_autoptr(GhImport) again = NULL;

    g_assert_no_error (error);
    assert_no_private_key (leaf);
    assert_no_private_key (chain);
    leaf_text = g_strndup (g_bytes_get_data (leaf, NULL), g_bytes_get_size (leaf));
    chain_text = g_strndup (g_bytes_get_data (chain, NULL), g_bytes_get_size (chain));
    g_assert_cmpuint (count (leaf_text, "-----BEGIN CERTIFICATE-----"), ==, 1);
    g_assert_cmpuint (count (chain_text, "-----BEGIN CERTIFICATE-----"), ==, 3);

    save ("export-chain.pem", chain);
    out = run ("openssl", "x509", "-in", "export-chain.pem", "-noout", "-subject", NULL);
    g_assert_nonnull (strstr (out, "CN=gateway.example.com"));
    again = import_ok (chain, NULL);
    g_assert_cmpuint (gh_import_get_certificates (again)->len, ==, 3);
  }

  /* DER: the certificate; a chain does not fit */
  {
    g_autoptr(GBytes) der = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_DER, FALSE, NULL, 0, &error);
    g_autoptr(GBytes) none = NULL;
    g_autofree char *out = NULL;
    g_autofree char *fingerprint = NULL;

    g_assert_no_error (error);
    save ("export.der", der);
    out = run ("openssl", "x509", "-inform", "DER", "-in", "export.der", "-noout", "-fingerprint", "-sha256", NULL);
    fingerprint = fingerprint_colons (out);
    g_assert_cmpstr (fingerprint, ==, gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (web)));

    none = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_DER, TRUE, NULL, 0, &error);
    g_assert_null (none);
    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* PKCS#7: the chain */
  {
    g_autoptr(GBytes) p7 = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PKCS7, TRUE, NULL, 0, &error);
    g_autoptr(GhImport) again = NULL;
    g_autofree char *out = NULL;

    g_assert_no_error (error);
    assert_no_private_key (p7);
    save ("export.p7b", p7);
    out = run ("openssl", "pkcs7", "-inform", "DER", "-in", "export.p7b", "-print_certs", "-noout", NULL);
    g_assert_cmpuint (count (out, "subject="), ==, 3);
    g_assert_nonnull (strstr (out, "CN=Test Intermediate CA"));
    again = import_ok (p7, NULL);
    g_assert_cmpint (gh_import_get_format (again), ==, GH_IMPORT_FORMAT_PKCS7);
    g_assert_cmpuint (gh_import_get_certificates (again)->len, ==, 3);
  }

  /* PKCS#12, both profiles: read by OpenSSL, and back in */
  for (GhPkcs12Profile profile = GH_PKCS12_PROFILE_MODERN; profile <= GH_PKCS12_PROFILE_COMPATIBLE; profile++)
    {
      g_autoptr(GBytes) bytes = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PKCS12, TRUE, "export pw", profile, &error);
      g_autoptr(GhImport) again = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = { "openssl", "pkcs12", "-in", "export.p12", "-info", "-nokeys",
                             "-passin", "pass:export pw", NULL, NULL };
      GhKeystoreEntry *entry;

      g_assert_no_error (error);
      save ("export.p12", bytes);
      out = spawn (argv, &err);
      if (out == NULL)
        {
          /* OpenSSL 3 may need its legacy provider for 3DES. */
          g_test_message ("openssl pkcs12 without -legacy: %s", err);
          argv[8] = "-legacy";
          g_clear_pointer (&err, g_free);
          out = spawn (argv, &err);
        }
      g_assert_nonnull (out);
      g_assert_nonnull (strstr (out, "friendlyName: web"));
      g_assert_cmpuint (count (out, "-----BEGIN CERTIFICATE-----"), ==, 3);

      again = import_ok (bytes, "export pw");
      g_assert_cmpint (gh_import_get_format (again), ==, GH_IMPORT_FORMAT_PKCS12);
      entry = entry_at (again, 0);
      g_assert_cmpstr (gh_keystore_entry_get_alias (entry), ==, "web");
      g_assert_cmpuint (gh_keystore_entry_get_chain (entry)->len, ==, 3);
      g_assert_cmpstr (gh_private_key_get_public_key_id (gh_keystore_entry_get_private_key (entry)), ==,
                       gh_private_key_get_public_key_id (gh_keystore_entry_get_private_key (web)));
    }

  /* PKCS#12 needs a key entry and a password. */
  {
    g_autoptr(GBytes) none = gh_keystore_entry_export (root, GH_EXPORT_FORMAT_PKCS12, TRUE, "pw", 0, &error);

    g_assert_null (none);
    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) none = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PKCS12, TRUE, NULL, 0, &error);

    g_assert_null (none);
    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) none = gh_keystore_entry_export (web, GH_EXPORT_FORMAT_PKCS12, TRUE, "", 0, &error);

    g_assert_null (none);
    g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED);
    g_clear_error (&error);
  }

  /* A trusted certificate exports like a certificate. */
  {
    g_autoptr(GBytes) pem = gh_keystore_entry_export (root, GH_EXPORT_FORMAT_PEM, TRUE, NULL, 0, &error);
    g_autoptr(GBytes) p7 = gh_keystore_entry_export (root, GH_EXPORT_FORMAT_PKCS7, TRUE, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_nonnull (pem);
    g_assert_nonnull (p7);
  }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gh-import-XXXXXX", &error);
  g_assert_no_error (error);
  make_pki ();

  g_test_add_func ("/import/pem/mixed-order", test_pem_mixed_order);
  g_test_add_func ("/import/pem/openssl-bag-attributes", test_pem_openssl_bag_attributes);
  g_test_add_func ("/import/pem/long-names", test_pem_long_names);
  g_test_add_func ("/import/pem/missing-intermediate", test_pem_missing_intermediate);
  g_test_add_func ("/import/pem/key-without-certificate", test_pem_key_without_certificate);
  g_test_add_func ("/import/pem/key-certificate-mismatch", test_pem_key_certificate_mismatch);
  g_test_add_func ("/import/pem/key-kinds", test_pem_key_kinds);
  g_test_add_func ("/import/pem/encrypted-keys", test_pem_encrypted_keys);
  g_test_add_func ("/import/der/certificate", test_der_certificate);
  g_test_add_func ("/import/der/trailing-data", test_der_trailing_data);
  g_test_add_func ("/import/der/private-keys", test_der_private_keys);
  g_test_add_func ("/import/der/encrypted-pkcs8", test_der_encrypted_pkcs8);
  g_test_add_func ("/import/pkcs7", test_pkcs7);
  g_test_add_func ("/import/pkcs12", test_pkcs12);
  g_test_add_func ("/import/ca-reply/openssl", test_ca_reply_openssl);
  g_test_add_func ("/import/ca-reply/certtool", test_ca_reply_certtool);
  g_test_add_func ("/import/ca-reply/no-key", test_reply_for_no_key);
  g_test_add_func ("/import/commit/aliases", test_commit_aliases);
  g_test_add_func ("/import/bad-input", test_bad_input);
  g_test_add_func ("/import/export", test_export);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
