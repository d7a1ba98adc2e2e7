/* test-keystore-save.c — what a PKCS#12 save must keep: aliases that are not ASCII,
 * one key under two aliases, the encrypted keys of entries that did not change, bags
 * that are no entry; the temporaries a crashed save leaves; keys left encrypted until
 * they are needed
 *
 * Each check goes through a save and a load (or two), as a gateway's keystore does
 * through its writes and restarts. The files are read back with GnuTLS's own PKCS#12
 * reader too, where a check is on the file's bytes rather than on Gatehouse's view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-pki-private.h"

#define PASSWORD "save pass"

typedef struct {
  char *dir;
  char *path;
  GFile *file;
  GhPrivateKey *key;
  GhCertificate *cert;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gh-keystore-save-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ks.p12", NULL);
  f->file = g_file_new_for_path (f->path);
  f->key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  f->cert = gh_private_key_create_self_signed (f->key, "CN=save.example.com", NULL, 30, &error);
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
  g_free (f->path);
  g_clear_object (&f->file);
  g_clear_object (&f->key);
  g_clear_object (&f->cert);
}

static void
add_key_entry (GhKeystore    *keystore,
               const char    *alias,
               GhPrivateKey  *key,
               GhCertificate *cert)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (chain, cert);
  entry = gh_keystore_entry_new_key (alias, key, chain);
  g_assert_true (gh_keystore_add (keystore, entry, &error));
  g_assert_no_error (error);
}

static GhKeystore *
save_and_load (Fixture    *f,
               GhKeystore *keystore)
{
  g_autoptr(GError) error = NULL;
  GhKeystore *loaded;

  g_assert_true (gh_keystore_save (keystore, f->file, PASSWORD, &error));
  g_assert_no_error (error);
  loaded = gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  return loaded;
}

/* The aliases of @keystore, sorted, joined by "|". */
static char *
aliases (GhKeystore *keystore)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (0, NULL, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (keystore)); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      g_ptr_array_add (names, (gpointer) gh_keystore_entry_get_alias (entry));
    }
  g_ptr_array_sort_values (names, (GCompareFunc) g_strcmp0);
  return g_strjoinv ("|", (char **) names->pdata);
}

static void
test_non_ascii_aliases (Fixture *f, gconstpointer data)
{
  GhPkcs12Profile profile = GPOINTER_TO_INT (data);
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhKeystore) once = NULL;
  g_autoptr(GhKeystore) twice = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  gh_keystore_set_profile (keystore, profile);
  /* Latin-1, the rest of the BMP, and past it (a surrogate pair in a BMPString). */
  add_key_entry (keystore, "café", f->key, f->cert);
  add_key_entry (keystore, "日本 𝄞", f->key, f->cert);

  once = save_and_load (f, keystore);
  first = aliases (once);
  g_assert_cmpstr (first, ==, "café|日本 𝄞");

  twice = save_and_load (f, once);
  second = aliases (twice);
  g_assert_cmpstr (second, ==, "café|日本 𝄞");
  g_assert_cmpint (gh_keystore_entry_get_kind (gh_keystore_lookup (twice, "café")), ==, GH_KEYSTORE_ENTRY_KEY);
}

static void
test_one_key_two_aliases (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhCertificate) other_cert = NULL;
  g_autoptr(GError) error = NULL;

  /* The same key and certificate under two aliases, and the same key with another
   * certificate under a third. */
  other_cert = gh_private_key_create_self_signed (f->key, "CN=other.example.com", NULL, 30, &error);
  g_assert_no_error (error);
  add_key_entry (keystore, "one", f->key, f->cert);
  add_key_entry (keystore, "two", f->key, f->cert);
  add_key_entry (keystore, "three", f->key, other_cert);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GhKeystore) loaded = save_and_load (f, keystore);
      g_autofree char *names = aliases (loaded);

      g_assert_cmpstr (names, ==, "one|three|two");
      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (loaded), i);
          g_autoptr(GhPrivateKey) key = NULL;

          g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
          key = gh_keystore_entry_load_private_key (entry, &error);
          g_assert_no_error (error);
          g_assert_true (gh_private_key_matches (key, gh_keystore_entry_get_certificate (entry)));
        }
      g_assert_cmpstr (gh_certificate_get_display_name (gh_keystore_entry_get_certificate (gh_keystore_lookup (loaded, "three"))),
                       ==, "other.example.com");
      g_set_object (&keystore, loaded);
    }
}

static void
write_file (const char *path,
            const char *content)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, content, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
}

static void
test_stray_temporaries (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stray = g_build_filename (f->dir, ".ks.p12.Ab12Cd", NULL);
  /* Not ours: another file's, another pattern, no dot in front. */
  const char *others[] = { ".other.p12.Ab12Cd", ".ks.p12.Ab12Cde", ".ks.p12.Ab-2Cd", "ks.p12.Ab12Cd", NULL };

  add_key_entry (keystore, "web", f->key, f->cert);
  for (guint i = 0; others[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (f->dir, others[i], NULL);
      write_file (path, "not a temporary of this keystore");
    }

  /* A save removes a stray temporary of the keystore's own... */
  write_file (stray, "a save that crashed");
  g_assert_true (gh_keystore_save (keystore, f->file, PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));

  /* ...and so does a load. */
  write_file (stray, "a save that crashed");
  loaded = gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));

  for (guint i = 0; others[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (f->dir, others[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

/* Every shrouded key bag of the file at @path, as its bytes (hex), through GnuTLS. */
static GHashTable *
key_bags (const char *path)
{
  GHashTable *bags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *content = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_datum_t datum;
  gsize length;

  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  datum = (gnutls_datum_t) { (guchar *) content, length };
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0), >=, 0);

  for (int i = 0; ; i++)
    {
      gnutls_pkcs12_bag_t bag = NULL;

      g_assert_cmpint (gnutls_pkcs12_bag_init (&bag), >=, 0);
      if (gnutls_pkcs12_get_bag (p12, i, bag) < 0)
        {
          gnutls_pkcs12_bag_deinit (bag);
          break;
        }
      for (int j = 0; j < gnutls_pkcs12_bag_get_count (bag); j++)
        {
          gnutls_datum_t data;

          if (gnutls_pkcs12_bag_get_type (bag, j) == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY &&
              gnutls_pkcs12_bag_get_data (bag, j, &data) >= 0)
            {
              GString *hex = g_string_new (NULL);

              for (guint k = 0; k < data.size; k++)
                g_string_append_printf (hex, "%02x", data.data[k]);
              g_hash_table_add (bags, g_string_free (hex, FALSE));
            }
        }
      gnutls_pkcs12_bag_deinit (bag);
    }
  gnutls_pkcs12_deinit (p12);
  return bags;
}

static guint
n_shared (GHashTable *a,
          GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    n += g_hash_table_contains (b, key);
  return n;
}

static void
test_unchanged_keys_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GhPrivateKey) new_key = NULL;
  g_autoptr(GhCertificate) new_cert = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) repassworded = NULL;
  g_autoptr(GError) error = NULL;

  add_key_entry (keystore, "first", f->key, f->cert);
  add_key_entry (keystore, "second", f->key, f->cert);
  loaded = save_and_load (f, keystore);
  before = key_bags (f->path);
  g_assert_cmpuint (g_hash_table_size (before), ==, 2);

  /* Add one, rename one: the two keys that were there keep their bytes. */
  new_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  new_cert = gh_private_key_create_self_signed (new_key, "CN=new.example.com", NULL, 30, &error);
  g_assert_no_error (error);
  add_key_entry (loaded, "new", new_key, new_cert);
  g_assert_true (gh_keystore_rename (loaded, "second", "renamed", &error));
  g_assert_no_error (error);
  again = save_and_load (f, loaded);
  after = key_bags (f->path);
  g_assert_cmpuint (g_hash_table_size (after), ==, 3);
  g_assert_cmpuint (n_shared (before, after), ==, 2);
  {
    g_autofree char *names = aliases (again);
    g_assert_cmpstr (names, ==, "first|new|renamed");
  }

  /* A new password encrypts every key afresh, and only it opens them. */
  g_assert_true (gh_keystore_save (again, f->file, "another pass", &error));
  g_assert_no_error (error);
  repassworded = key_bags (f->path);
  g_assert_cmpuint (n_shared (after, repassworded), ==, 0);
  g_clear_object (&loaded);
  loaded = gh_keystore_new_from_file (f->file, "another pass", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (loaded), i);
      g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (entry, &error);

      g_assert_no_error (error);
      g_assert_true (gh_private_key_matches (key, gh_keystore_entry_get_certificate (entry)));
    }
}

/* A PKCS#12 file as GnuTLS writes it: the entry "sealed" (certificate and key tied by
 * a local key id), its key encrypted with @key_password; with @secret, a secret bag
 * beside the certificate. */
static GBytes *
make_gnutls_p12 (Fixture              *f,
                 const char           *key_password,
                 const gnutls_datum_t *secret)
{
  gnutls_x509_crt_t crt = _gh_certificate_get_gnutls (f->cert);
  gnutls_pkcs12_t p12 = NULL;
  gnutls_pkcs12_bag_t certs = NULL, keys = NULL;
  gnutls_datum_t pkcs8 = { NULL, 0 }, out = { NULL, 0 }, id = { (guchar *) "key-id-1", 8 };
  GBytes *bytes;
  int index;

  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (f->key), GNUTLS_X509_FMT_DER,
                                                      key_password, GNUTLS_PKCS_PBES2_AES_256, &pkcs8), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_init (&certs), >=, 0);
  g_assert_cmpint (index = gnutls_pkcs12_bag_set_crt (certs, crt), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_friendly_name (certs, index, "sealed"), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_key_id (certs, index, &id), >=, 0);
  if (secret != NULL)
    g_assert_cmpint (gnutls_pkcs12_bag_set_data (certs, GNUTLS_BAG_SECRET, secret), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_encrypt (certs, PASSWORD, GNUTLS_PKCS_PBES2_AES_256), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_set_bag (p12, certs), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_init (&keys), >=, 0);
  g_assert_cmpint (index = gnutls_pkcs12_bag_set_data (keys, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &pkcs8), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_friendly_name (keys, index, "sealed"), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_key_id (keys, index, &id), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_set_bag (p12, keys), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, PASSWORD), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out), >=, 0);
  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  gnutls_free (pkcs8.data);
  gnutls_pkcs12_bag_deinit (certs);
  gnutls_pkcs12_bag_deinit (keys);
  gnutls_pkcs12_deinit (p12);
  return bytes;
}

/* A file whose one key has a password of its own (not the file's): it lists, since
 * listing decrypts no key; the key itself does not open. */
static void
test_keys_stay_sealed (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = make_gnutls_p12 (f, "the key's own", NULL);
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhPrivateKey) opened = NULL;
  g_autoptr(GError) error = NULL;
  GhKeystoreEntry *entry;

  keystore = gh_keystore_new_from_bytes (bytes, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  entry = gh_keystore_lookup (keystore, "sealed");
  g_assert_nonnull (entry);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (entry)), ==,
                   gh_certificate_get_sha256_fingerprint (f->cert));

  opened = gh_keystore_entry_load_private_key (entry, &error);
  g_assert_null (opened);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_PKI_ERROR);
}

/* How many secret bags of the file at @path hold @secret, through GnuTLS. */
static guint
count_secret_bags (const char           *path,
                   const gnutls_datum_t *secret)
{
  g_autofree char *content = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_datum_t datum;
  gsize length;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  datum = (gnutls_datum_t) { (guchar *) content, length };
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, PASSWORD), >=, 0);
  for (int i = 0; ; i++)
    {
      gnutls_pkcs12_bag_t bag = NULL;

      g_assert_cmpint (gnutls_pkcs12_bag_init (&bag), >=, 0);
      if (gnutls_pkcs12_get_bag (p12, i, bag) < 0)
        {
          gnutls_pkcs12_bag_deinit (bag);
          break;
        }
      if (gnutls_pkcs12_bag_get_type (bag, 0) == GNUTLS_BAG_ENCRYPTED)
        g_assert_cmpint (gnutls_pkcs12_bag_decrypt (bag, PASSWORD), >=, 0);
      for (int j = 0; j < gnutls_pkcs12_bag_get_count (bag); j++)
        {
          gnutls_datum_t value;

          if (gnutls_pkcs12_bag_get_type (bag, j) == GNUTLS_BAG_SECRET &&
              gnutls_pkcs12_bag_get_data (bag, j, &value) >= 0 &&
              value.size == secret->size && memcmp (value.data, secret->data, value.size) == 0)
            n++;
        }
      gnutls_pkcs12_bag_deinit (bag);
    }
  gnutls_pkcs12_deinit (p12);
  return n;
}

/* A bag that is no entry (a secret here) is not dropped by a save. */
static void
test_unknown_bags_kept (Fixture *f, gconstpointer data)
{
  /* A secret bag's value: SEQUENCE { OID 1.2.3.4, [0] { OCTET STRING "s3cr3t" } }. */
  static const guchar secret_der[] = { 0x30, 0x11, 0x06, 0x03, 0x2a, 0x03, 0x04, 0xa0, 0x0a, 0x04, 0x08,
                                       's', '3', 'c', 'r', '3', 't', '!', '!' };
  gnutls_datum_t secret = { (guchar *) secret_der, sizeof secret_der };
  g_autoptr(GBytes) bytes = make_gnutls_p12 (f, PASSWORD, &secret);
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (f->path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  g_assert_cmpuint (count_secret_bags (f->path, &secret), ==, 1);

  keystore = gh_keystore_new_from_bytes (bytes, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  add_key_entry (keystore, "added", f->key, f->cert);
  again = save_and_load (f, keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_cmpuint (count_secret_bags (f->path, &secret), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) g_test_add ("/keystore-save/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("non-ascii-aliases/modern", GINT_TO_POINTER (GH_PKCS12_PROFILE_MODERN), test_non_ascii_aliases);
  ADD ("non-ascii-aliases/compatible", GINT_TO_POINTER (GH_PKCS12_PROFILE_COMPATIBLE), test_non_ascii_aliases);
  ADD ("one-key-two-aliases", NULL, test_one_key_two_aliases);
  ADD ("stray-temporaries", NULL, test_stray_temporaries);
  ADD ("unchanged-keys-kept", NULL, test_unchanged_keys_kept);
  ADD ("keys-stay-sealed", NULL, test_keys_stay_sealed);
  ADD ("unknown-bags-kept", NULL, test_unknown_bags_kept);
#undef ADD

  return g_test_run ();
}
