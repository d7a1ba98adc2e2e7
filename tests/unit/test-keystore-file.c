/* test-keystore-file.c — a local keystore file: each change saved at once and read
 * back from the disk, a failed save changing nothing, keys exported only encrypted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "gh-keystore-file.h"
#include "gh-pki-error.h"

#define PASSWORD "local-secret"

typedef struct {
  char *dir;
  GFile *file;
  GhPrivateKey *key;
  GhCertificate *cert;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *sans[] = { "files.example.com", NULL };

  f->dir = g_dir_make_tmp ("gh-keystore-file-XXXXXX", &error);
  g_assert_no_error (error);
  f->file = g_file_new_build_filename (f->dir, "local.p12", NULL);
  f->key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  f->cert = gh_private_key_create_self_signed (f->key, "CN=files.example.com", sans, 30, &error);
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
  g_clear_object (&f->file);
  g_clear_object (&f->key);
  g_clear_object (&f->cert);
}

/* What a user imports: a certificate and its key as PEM, as openssl writes them. */
static GhImport *
make_import (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = gh_certificate_to_pem (f->cert);
  g_autofree char *key = gh_private_key_export_pkcs8_pem (f->key, NULL, &error);
  g_autofree char *pem = g_strconcat (cert, key, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (pem, strlen (pem));
  GhImport *import;

  g_assert_no_error (error);
  import = gh_import_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  return import;
}

static GhKeystore *
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GhKeystore *keystore = gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);

  g_assert_no_error (error);
  return keystore;
}

static GhKeystoreFile *
create_with_entry (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = gh_keystore_file_create (f->file, GH_KEYSTORE_FORMAT_PKCS12,
                                                            GH_PKCS12_PROFILE_MODERN, PASSWORD, &error);
  g_autoptr(GhImport) import = make_import (f);

  g_assert_no_error (error);
  g_assert_true (gh_keystore_file_import (file, import, "web", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

static void
count_changed (guint *count)
{
  (*count)++;
}

static void
test_create_import_reopen (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = gh_keystore_file_create (f->file, GH_KEYSTORE_FORMAT_PKCS12,
                                                            GH_PKCS12_PROFILE_COMPATIBLE, PASSWORD, &error);
  g_autoptr(GhImport) import = make_import (f);
  g_autoptr(GhKeystore) empty = NULL;
  g_autoptr(GhKeystore) saved = NULL;
  g_autoptr(GhKeystoreFile) opened = NULL;
  g_autofree char *description = NULL;
  GStatBuf st;
  guint changed = 0;

  g_assert_no_error (error);
  g_assert_nonnull (file);
  /* Created on disk at once, 0600, empty. */
  g_assert_cmpint (g_stat (g_file_peek_path (f->file), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  empty = reopen (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty)), ==, 0);
  description = gh_keystore_file_describe (file);
  g_assert_cmpstr (description, ==, "PKCS#12, compatible profile");
  g_assert_cmpstr (gh_keystore_file_get_name (file), ==, "local.p12");

  g_signal_connect_swapped (file, "changed", G_CALLBACK (count_changed), &changed);
  g_assert_true (gh_keystore_file_import (file, import, "web", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  /* The import is on disk without any explicit save. */
  saved = reopen (f);
  g_assert_nonnull (gh_keystore_lookup (saved, "web"));
  g_assert_cmpint (gh_keystore_get_profile (saved), ==, GH_PKCS12_PROFILE_COMPATIBLE);

  opened = gh_keystore_file_open (f->file, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gh_keystore_file_get_keystore (opened))), ==, 1);
}

static void
test_open_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = create_with_entry (f);
  g_autoptr(GhKeystoreFile) wrong = gh_keystore_file_open (f->file, "not-the-password", &error);
  g_autoptr(GhKeystoreFile) none = NULL;

  g_assert_null (wrong);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  none = gh_keystore_file_create (f->file, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN, "", &error);
  g_assert_null (none);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
}

static void
test_rename_remove (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = create_with_entry (f);
  g_autoptr(GhKeystore) renamed = NULL;
  g_autoptr(GhKeystore) removed = NULL;

  g_assert_true (gh_keystore_file_rename (file, "web", "www", &error));
  g_assert_no_error (error);
  renamed = reopen (f);
  g_assert_null (gh_keystore_lookup (renamed, "web"));
  g_assert_nonnull (gh_keystore_lookup (renamed, "www"));

  g_assert_false (gh_keystore_file_rename (file, "absent", "other", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gh_keystore_file_remove (file, "www", &error));
  g_assert_no_error (error);
  removed = reopen (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (removed)), ==, 0);
}

/* A save that cannot be made leaves the keystore as the file holds it: a PEM bundle
 * opened without a password cannot take a private key (it would have to be written
 * in the clear). */
static void
test_failed_save_reverts (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) pem_file = g_file_new_build_filename (f->dir, "bundle.pem", NULL);
  g_autofree char *cert = gh_certificate_to_pem (f->cert);
  g_autoptr(GBytes) before = g_bytes_new (cert, strlen (cert));
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GhKeystoreFile) file = NULL;
  g_autoptr(GhImport) import = make_import (f);
  GhKeystore *keystore;

  g_assert_true (g_file_replace_contents (pem_file, cert, strlen (cert), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  file = gh_keystore_file_open (pem_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gh_keystore_file_get_keystore (file))), ==, 1);

  g_assert_false (gh_keystore_file_import (file, import, "web", &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED);
  keystore = gh_keystore_file_get_keystore (file);
  g_assert_null (gh_keystore_lookup (keystore, "web"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  g_clear_error (&error);
  after = g_file_load_bytes (pem_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_export_key (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = create_with_entry (f);
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(GBytes) p8 = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GhKeystore) exported = NULL;
  g_autoptr(GhPrivateKey) key = NULL;
  g_autoptr(GhPrivateKey) without = NULL;
  GhKeystoreEntry *entry;

  p12 = gh_keystore_file_export_key (file, "web", GH_KEY_EXPORT_PKCS12, "export-pass", GH_PKCS12_PROFILE_MODERN,
                                     &error);
  g_assert_no_error (error);
  exported = gh_keystore_new_from_bytes (p12, "export-pass", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (exported)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (exported), 0);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_true (gh_private_key_matches (gh_keystore_entry_get_private_key (entry), f->cert));
  g_object_unref (entry);

  p8 = gh_keystore_file_export_key (file, "web", GH_KEY_EXPORT_PKCS8, "export-pass", GH_PKCS12_PROFILE_MODERN,
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (p8, NULL), g_bytes_get_size (p8),
                                  "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  without = gh_private_key_new_from_data (p8, NULL, &error);
  g_assert_null (without);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED);
  g_clear_error (&error);
  key = gh_private_key_new_from_data (p8, "export-pass", &error);
  g_assert_no_error (error);
  g_assert_true (gh_private_key_matches (key, f->cert));

  /* Never in the clear. */
  refused = gh_keystore_file_export_key (file, "web", GH_KEY_EXPORT_PKCS8, "", GH_PKCS12_PROFILE_MODERN, &error);
  g_assert_null (refused);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
}

static void
test_csr_and_reply (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = gh_keystore_file_create (f->file, GH_KEYSTORE_FORMAT_PKCS12,
                                                            GH_PKCS12_PROFILE_MODERN, PASSWORD, &error);
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, NULL);
  const char *sans[] = { "new.example.com", NULL };
  g_autofree char *csr = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GhPrivateKey) ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, NULL);
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GhCertificate) issued = NULL;
  g_autofree char *reply_pem = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystore) saved = NULL;
  GhKeystoreEntry *entry;

  g_assert_no_error (error);
  csr = gh_keystore_file_add_key_with_csr (file, "new", key, "CN=new.example.com", sans, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csr, "CERTIFICATE REQUEST-----"));
  again = gh_keystore_file_add_key_with_csr (file, "new", key, "CN=new.example.com", sans, &error);
  g_assert_null (again);
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);
  g_clear_error (&error);

  /* The CA's reply replaces the placeholder of the entry it answers. */
  ca = gh_private_key_create_self_signed (ca_key, "CN=Local Test CA", NULL, 30, &error);
  g_assert_no_error (error);
  issued = gh_private_key_issue_certificate (ca_key, ca, key, "CN=new.example.com", sans, 30,
                                             GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);
  reply_pem = gh_certificate_to_pem (issued);
  reply = g_bytes_new (reply_pem, strlen (reply_pem));
  import = gh_import_new_from_bytes (reply, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gh_import_find_reply_target (import, gh_keystore_file_get_keystore (file)) != NULL);
  g_assert_true (gh_keystore_file_import (file, import, NULL, &error));
  g_assert_no_error (error);

  saved = reopen (f);
  entry = gh_keystore_lookup (saved, "new");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (entry)), ==,
                   gh_certificate_get_sha256_fingerprint (issued));
}

static void
test_upload_pem (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = create_with_entry (f);
  g_autoptr(GBytes) pem = gh_keystore_file_upload_pem (file, "web", &error);
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;

  g_assert_no_error (error);
  /* What the gateway's import preview reads: one key entry, no password asked. */
  import = gh_import_new_from_bytes (pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_import_get_entries (import)), ==, 1);
  entry = g_list_model_get_item (gh_import_get_entries (import), 0);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (entry)), ==,
                   gh_certificate_get_sha256_fingerprint (f->cert));
}

/* A change of password: its progress in this main context, then the file. */

typedef struct {
  GArray       *done;   /* of guint, as reported */
  guint         total;
  GAsyncResult *result;
} Change;

static void
on_change_progress (guint    done,
                    guint    total,
                    gpointer user_data)
{
  Change *change = user_data;

  g_assert_true (g_main_context_is_owner (NULL));
  g_array_append_val (change->done, done);
  change->total = total;
}

static void
on_change_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Change *change = user_data;

  change->result = g_object_ref (result);
}

static gboolean
change_password (GhKeystoreFile  *file,
                 const char      *password,
                 GCancellable    *cancellable,
                 Change          *change,
                 GError         **error)
{
  change->done = g_array_new (FALSE, FALSE, sizeof (guint));
  gh_keystore_file_change_password_async (file, password, on_change_progress, change, cancellable, on_change_done,
                                          change);
  while (change->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return gh_keystore_file_change_password_finish (file, change->result, error);
}

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->done, g_array_unref);
  g_clear_object (&change->result);
}

static void
test_change_password (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = create_with_entry (f);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystore) reread = NULL;
  g_autoptr(GhPrivateKey) key = NULL;
  Change change = { 0 };
  guint changed = 0;

  g_signal_connect_swapped (file, "changed", G_CALLBACK (count_changed), &changed);

  /* Cancelled: nothing changes, on disk or in the file's keystore. */
  g_cancellable_cancel (cancelled);
  g_assert_false (change_password (file, "new-secret", cancelled, &change, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  change_clear (&change);
  g_assert_cmpuint (changed, ==, 0);
  keystore = reopen (f);
  g_clear_object (&keystore);

  /* An empty password is refused. */
  g_assert_false (change_password (file, "", NULL, &change, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
  g_clear_error (&error);
  change_clear (&change);

  /* Done: the progress rose to 1 of 1 in this thread, the file opens with the new
   * password only, and the next save uses it. */
  g_assert_true (change_password (file, "new-secret", NULL, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.total, ==, 1);
  g_assert_cmpuint (change.done->len, >=, 1);
  for (guint i = 1; i < change.done->len; i++)
    g_assert_cmpuint (g_array_index (change.done, guint, i - 1), <=, g_array_index (change.done, guint, i));
  g_assert_cmpuint (g_array_index (change.done, guint, change.done->len - 1), ==, 1);
  change_clear (&change);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_null (gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  g_assert_true (gh_keystore_file_rename (file, "web", "www", &error));
  g_assert_no_error (error);
  reread = gh_keystore_new_from_file (f->file, "new-secret", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gh_keystore_lookup (reread, "www"));
  key = gh_keystore_entry_load_private_key (gh_keystore_lookup (reread, "www"), &error);
  g_assert_no_error (error);
  g_assert_true (gh_private_key_matches (key, f->cert));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  /* As g_application_run() does: no other thread dispatches this context's sources. */
  g_main_context_acquire (NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/keystore-file/create-import-reopen", test_create_import_reopen);
  ADD ("/keystore-file/open-errors", test_open_errors);
  ADD ("/keystore-file/rename-remove", test_rename_remove);
  ADD ("/keystore-file/failed-save-reverts", test_failed_save_reverts);
  ADD ("/keystore-file/export-key", test_export_key);
  ADD ("/keystore-file/csr-and-reply", test_csr_and_reply);
  ADD ("/keystore-file/upload-pem", test_upload_pem);
  ADD ("/keystore-file/change-password", test_change_password);
#undef ADD

  return g_test_run ();
}
