/* test-keystore.c — keystores: round trips in every format and profile, the errors a
 * user meets when opening one, atomic saves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-pki-error.h"

typedef struct {
  char *dir;
  GhPrivateKey *key;
  GhCertificate *cert;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *sans[] = { "gateway.example.com", "127.0.0.1", NULL };

  f->dir = g_dir_make_tmp ("gh-keystore-XXXXXX", &error);
  g_assert_no_error (error);
  f->key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  f->cert = gh_private_key_create_self_signed (f->key, "CN=gateway.example.com,O=Example", sans, 30, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_clear_object (&f->key);
  g_clear_object (&f->cert);
}

static GhKeystore *
make_keystore (Fixture          *f,
               GhKeystoreFormat  format,
               GhPkcs12Profile   profile)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (format);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) key_entry = NULL;
  g_autoptr(GhKeystoreEntry) trusted = NULL;
  g_autoptr(GhPrivateKey) ca_key = NULL;
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GError) error = NULL;

  gh_keystore_set_profile (keystore, profile);
  g_ptr_array_add (chain, f->cert);
  key_entry = gh_keystore_entry_new_key ("web", f->key, chain);
  g_assert_true (gh_keystore_add (keystore, key_entry, &error));
  g_assert_no_error (error);

  ca_key = gh_private_key_generate (GH_KEY_TYPE_ED25519, NULL, &error);
  g_assert_no_error (error);
  ca = gh_private_key_create_self_signed (ca_key, "CN=Backend Root", NULL, 30, &error);
  g_assert_no_error (error);
  trusted = gh_keystore_entry_new_trusted ("backend-root", ca);
  g_assert_true (gh_keystore_add (keystore, trusted, &error));

  return g_steal_pointer (&keystore);
}

static void
assert_same_entries (GhKeystore *a,
                     GhKeystore *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (a)), ==, g_list_model_get_n_items (G_LIST_MODEL (b)));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (a)); i++)
    {
      g_autoptr(GhKeystoreEntry) x = g_list_model_get_item (G_LIST_MODEL (a), i);
      GhKeystoreEntry *y = gh_keystore_lookup (b, gh_keystore_entry_get_alias (x));

      g_assert_nonnull (y);
      g_assert_cmpint (gh_keystore_entry_get_kind (x), ==, gh_keystore_entry_get_kind (y));
      g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (x)), ==,
                       gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (y)));
      g_assert_cmpuint (gh_keystore_entry_get_chain (x)->len, ==, gh_keystore_entry_get_chain (y)->len);
      if (gh_keystore_entry_get_kind (y) == GH_KEYSTORE_ENTRY_KEY)
        g_assert_true (gh_private_key_matches (gh_keystore_entry_get_private_key (y),
                                               gh_keystore_entry_get_certificate (y)));
    }
}

static void
round_trip (Fixture          *f,
            GhKeystoreFormat  format,
            GhPkcs12Profile   profile)
{
  g_autoptr(GhKeystore) keystore = make_keystore (f, format, profile);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "keystore", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  struct stat st;

  g_assert_true (gh_keystore_save (keystore, file, "s3cret pass", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = gh_keystore_new_from_file (file, "s3cret pass", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_keystore_get_format (loaded), ==, format);
  if (format == GH_KEYSTORE_FORMAT_PKCS12)
    g_assert_cmpint (gh_keystore_get_profile (loaded), ==, profile);
  assert_same_entries (keystore, loaded);
  g_assert_cmpint (gh_keystore_entry_get_kind (gh_keystore_lookup (loaded, "web")), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpint (gh_keystore_entry_get_kind (gh_keystore_lookup (loaded, "backend-root")), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);

  /* The file never holds a private key in the clear. */
  {
    g_autofree char *content = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &content, &length, NULL));
    g_assert_null (g_strstr_len (content, length, "BEGIN PRIVATE KEY"));
    g_assert_null (g_strstr_len (content, length, "BEGIN EC PRIVATE KEY"));
  }
}

static void
test_round_trip_pkcs12_modern (Fixture *f, gconstpointer data)
{
  round_trip (f, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN);
}

static void
test_round_trip_pkcs12_compatible (Fixture *f, gconstpointer data)
{
  round_trip (f, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_COMPATIBLE);
}

static void
test_round_trip_pem (Fixture *f, gconstpointer data)
{
  round_trip (f, GH_KEYSTORE_FORMAT_PEM, GH_PKCS12_PROFILE_MODERN);
}

static GBytes *
serialize (Fixture          *f,
           GhKeystoreFormat  format,
           const char       *password)
{
  g_autoptr(GhKeystore) keystore = make_keystore (f, format, GH_PKCS12_PROFILE_MODERN);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = gh_keystore_serialize (keystore, password, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_load_error (GBytes     *bytes,
                   const char *password,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new_from_bytes (bytes, password, GH_KEYSTORE_LOAD_NONE, &error);

  g_assert_null (keystore);
  g_assert_error (error, GH_PKI_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_passwords (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) p12 = serialize (f, GH_KEYSTORE_FORMAT_PKCS12, "right");
  g_autoptr(GBytes) empty = serialize (f, GH_KEYSTORE_FORMAT_PKCS12, "");
  g_autoptr(GBytes) pem = serialize (f, GH_KEYSTORE_FORMAT_PEM, "right");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = NULL;

  assert_load_error (p12, "wrong", GH_PKI_ERROR_WRONG_PASSWORD);
  assert_load_error (p12, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);
  assert_load_error (p12, "", GH_PKI_ERROR_PASSWORD_REQUIRED);
  assert_load_error (empty, "something", GH_PKI_ERROR_EMPTY_PASSWORD);
  assert_load_error (pem, "wrong", GH_PKI_ERROR_WRONG_PASSWORD);
  assert_load_error (pem, NULL, GH_PKI_ERROR_PASSWORD_REQUIRED);

  /* An empty password opens with no password and with the empty one. */
  keystore = gh_keystore_new_from_bytes (empty, NULL, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 2);
  g_clear_object (&keystore);
  keystore = gh_keystore_new_from_bytes (empty, "", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) p12 = serialize (f, GH_KEYSTORE_FORMAT_PKCS12, "right");
  g_autoptr(GBytes) pem = serialize (f, GH_KEYSTORE_FORMAT_PEM, "right");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x01\x02 this is not a keystore", 25);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (p12, 0, g_bytes_get_size (p12) / 2);
  g_autoptr(GBytes) pem_truncated = g_bytes_new_from_bytes (pem, 0, g_bytes_get_size (pem) - 40);
  g_autofree guchar *flipped = g_memdup2 (g_bytes_get_data (p12, NULL), g_bytes_get_size (p12));
  g_autoptr(GBytes) corrupt = NULL;

  flipped[g_bytes_get_size (p12) / 2] ^= 0xff;
  corrupt = g_bytes_new (flipped, g_bytes_get_size (p12));

  assert_load_error (empty, "right", GH_PKI_ERROR_EMPTY);
  assert_load_error (garbage, "right", GH_PKI_ERROR_UNKNOWN_FORMAT);
  assert_load_error (truncated, "right", GH_PKI_ERROR_TRUNCATED);
  assert_load_error (pem_truncated, "right", GH_PKI_ERROR_TRUNCATED);
  /* A flipped byte breaks either the structure or the MAC: never a silent load. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GhKeystore) keystore = gh_keystore_new_from_bytes (corrupt, "right", GH_KEYSTORE_LOAD_NONE, &error);

    g_assert_null (keystore);
    g_assert_nonnull (error);
    g_assert_true (error->code == GH_PKI_ERROR_CORRUPT || error->code == GH_PKI_ERROR_WRONG_PASSWORD ||
                   error->code == GH_PKI_ERROR_TRUNCATED);
  }
}

static void
test_save_keeps_backup (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = make_keystore (f, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "ks.p12", NULL);
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GhKeystore) old = NULL;
  g_autoptr(GhKeystore) now = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GFile) backup_file = g_file_new_for_path (backup);

  g_assert_true (gh_keystore_save (keystore, file, "pw", &error));
  g_assert_true (gh_keystore_remove (keystore, "backend-root", &error));
  g_assert_true (gh_keystore_save (keystore, file, "pw", &error));
  g_assert_no_error (error);

  old = gh_keystore_new_from_file (backup_file, "pw", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (old)), ==, 2);
  now = gh_keystore_new_from_file (file, "pw", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (now)), ==, 1);

  /* A save that fails leaves the file as it was. */
  before = g_file_load_bytes (file, NULL, NULL, NULL);
  g_assert_false (gh_keystore_save (keystore, file, NULL, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED);
  after = g_file_load_bytes (file, NULL, NULL, NULL);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_entries (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = make_keystore (f, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) duplicate = NULL;
  g_autofree char *alias = NULL;

  g_ptr_array_add (chain, f->cert);
  duplicate = gh_keystore_entry_new_key ("web", f->key, chain);
  g_assert_false (gh_keystore_add (keystore, duplicate, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (gh_keystore_rename (keystore, "web", "gateway", &error));
  g_assert_null (gh_keystore_lookup (keystore, "web"));
  g_assert_nonnull (gh_keystore_lookup (keystore, "gateway"));
  g_assert_false (gh_keystore_rename (keystore, "gateway", "backend-root", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (gh_keystore_rename (keystore, "gateway", " padded", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gh_keystore_remove (keystore, "nope", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gh_keystore_find_key_for (keystore, f->cert) == gh_keystore_lookup (keystore, "gateway"));
  alias = gh_keystore_make_alias (keystore, f->cert);
  g_assert_cmpstr (alias, ==, "gateway.example.com");
}

static void
test_certificate_fields (Fixture *f, gconstpointer data)
{
  GhCertificate *cert = f->cert;
  g_autofree char *cn = gh_certificate_get_subject_field (cert, "CN");
  g_autofree char *o = gh_certificate_get_subject_field (cert, "O");
  const char * const *dns = gh_certificate_get_dns_names (cert);
  const char * const *ips = gh_certificate_get_ip_addresses (cert);
  g_autofree char *pem = gh_certificate_to_pem (cert);
  g_autoptr(GhCertificate) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (cn, ==, "gateway.example.com");
  g_assert_cmpstr (o, ==, "Example");
  g_assert_cmpstr (gh_certificate_get_display_name (cert), ==, "gateway.example.com");
  g_assert_cmpstr (dns[0], ==, "gateway.example.com");
  g_assert_null (dns[1]);
  g_assert_cmpstr (ips[0], ==, "127.0.0.1");
  g_assert_cmpstr (gh_certificate_get_key_algorithm (cert), ==, "ECDSA P-256");
  g_assert_cmpuint (gh_certificate_get_key_bits (cert), ==, 256);
  g_assert_true (gh_certificate_is_self_signed (cert));
  g_assert_false (gh_certificate_is_ca (cert));
  g_assert_false (gh_certificate_has_weak_signature (cert));
  g_assert_true (gh_certificate_matches_host (cert, "gateway.example.com"));
  g_assert_false (gh_certificate_matches_host (cert, "other.example.com"));
  g_assert_cmpuint (strlen (gh_certificate_get_sha256_fingerprint (cert)), ==, 32 * 3 - 1);
  g_assert_cmpstr (gh_certificate_get_extended_key_usage (cert)[0], ==, "1.3.6.1.5.5.7.3.1");
  g_assert_cmpstr (gh_certificate_get_public_key_id (cert), ==, gh_private_key_get_public_key_id (f->key));

  again = gh_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  g_assert_true (gh_certificate_equal (cert, again));
}

static void
test_issue_chain (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) root_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P384, NULL, &error);
  g_autoptr(GhPrivateKey) inter_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhPrivateKey) leaf_key = gh_private_key_generate (GH_KEY_TYPE_RSA_2048, NULL, &error);
  g_autoptr(GhCertificate) root = NULL;
  g_autoptr(GhCertificate) inter = NULL;
  g_autoptr(GhCertificate) leaf = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PEM);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  const char *sans[] = { "api.example.com", NULL };
  GPtrArray *loaded_chain;

  root = gh_private_key_issue_certificate (root_key, NULL, NULL, "CN=Test Root,O=Example", NULL, 3650,
                                           GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  inter = gh_private_key_issue_certificate (root_key, root, inter_key, "CN=Test Intermediate,O=Example", NULL, 1825,
                                            GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  leaf = gh_private_key_issue_certificate (inter_key, inter, leaf_key, "CN=api.example.com", sans, 90,
                                           GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);

  g_assert_true (gh_certificate_is_ca (root));
  g_assert_true (gh_certificate_is_self_signed (root));
  g_assert_true (gh_certificate_is_ca (inter));
  g_assert_false (gh_certificate_is_self_issued (inter));
  g_assert_true (gh_certificate_is_issued_by (inter, root));
  g_assert_true (gh_certificate_is_issued_by (leaf, inter));
  g_assert_false (gh_certificate_is_issued_by (leaf, root));
  g_assert_cmpstr (gh_certificate_get_authority_key_id (leaf), ==, gh_certificate_get_subject_key_id (inter));
  g_assert_cmpuint (gh_certificate_get_key_usage (inter) & GH_KEY_USAGE_KEY_CERT_SIGN, !=, 0);
  g_assert_cmpuint (gh_certificate_get_key_usage (leaf) & GH_KEY_USAGE_KEY_ENCIPHERMENT, !=, 0);
  g_assert_cmpstr (gh_certificate_get_key_algorithm (leaf), ==, "RSA");
  g_assert_cmpuint (gh_certificate_get_key_bits (leaf), ==, 2048);
  g_assert_cmpstr (gh_certificate_get_key_algorithm (root), ==, "ECDSA P-384");

  /* A key the issuer's certificate does not hold cannot sign in its name. */
  g_assert_null (gh_private_key_issue_certificate (leaf_key, inter, NULL, "CN=x", NULL, 1, 0, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH);
  g_clear_error (&error);

  /* Saved as root, leaf, intermediate, the chain reads back leaf first, in order. */
  g_ptr_array_add (chain, leaf);
  g_ptr_array_add (chain, inter);
  g_ptr_array_add (chain, root);
  entry = gh_keystore_entry_new_key ("api", leaf_key, chain);
  g_assert_true (gh_keystore_add (keystore, entry, &error));
  bytes = gh_keystore_serialize (keystore, "pw", &error);
  g_assert_no_error (error);
  {
    /* Shuffle the PEM blocks: root first, then the key and leaf, then the intermediate. */
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_autofree char *root_pem = gh_certificate_to_pem (root);
    g_autofree char *inter_pem = gh_certificate_to_pem (inter);
    g_autoptr(GString) shuffled = g_string_new (root_pem);
    g_autoptr(GString) rest = g_string_new (text);
    g_autoptr(GBytes) shuffled_bytes = NULL;

    g_string_replace (rest, root_pem, "", 0);
    g_string_replace (rest, inter_pem, "", 0);
    g_string_append (shuffled, rest->str);
    g_string_append (shuffled, inter_pem);
    shuffled_bytes = g_bytes_new (shuffled->str, shuffled->len);
    loaded = gh_keystore_new_from_bytes (shuffled_bytes, "pw", GH_KEYSTORE_LOAD_NONE, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 1);
  loaded_chain = gh_keystore_entry_get_chain (gh_keystore_lookup (loaded, "api"));
  g_assert_cmpuint (loaded_chain->len, ==, 3);
  g_assert_true (gh_certificate_equal (g_ptr_array_index (loaded_chain, 0), leaf));
  g_assert_true (gh_certificate_equal (g_ptr_array_index (loaded_chain, 1), inter));
  g_assert_true (gh_certificate_equal (g_ptr_array_index (loaded_chain, 2), root));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/keystore/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip/pkcs12-modern", test_round_trip_pkcs12_modern);
  ADD ("round-trip/pkcs12-compatible", test_round_trip_pkcs12_compatible);
  ADD ("round-trip/pem", test_round_trip_pem);
  ADD ("passwords", test_passwords);
  ADD ("bad-input", test_bad_input);
  ADD ("save-keeps-backup", test_save_keeps_backup);
  ADD ("entries", test_entries);
  ADD ("certificate-fields", test_certificate_fields);
  ADD ("issue-chain", test_issue_chain);
#undef ADD

  return g_test_run ();
}
