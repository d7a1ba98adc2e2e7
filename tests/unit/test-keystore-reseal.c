/* test-keystore-reseal.c — a keystore's password changed: every key encrypted again
 * on all cores, progress reported from 0 to 100 % one key at a time, and the file
 * then read, keys and all, by Gatehouse, openssl and keytool with the new password;
 * a PEM bundle's keys kept sealed when it is listed, and written back as they are
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-keystore-private.h"
#include "gh-pki-error.h"

#define PASSWORD "old pass"
#define N_KEYS 3

typedef struct {
  char  *dir;
  char  *path;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gh-keystore-reseal-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ks.p12", NULL);
  f->file = g_file_new_for_path (f->path);
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
}

/* Runs a tool (argv, no shell); whether it exited 0. */
static gboolean
tool_succeeds (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                     &out, &err, &status, &error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s failed: %s%s", argv[0], out, err);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  guint last;
  guint total;
  guint calls;
} Progress;

static void
record_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  Progress *progress = user_data;

  /* From 0, one key at a time, up to the total: never back, never over. */
  g_assert_cmpuint (done, ==, progress->calls == 0 ? 0 : progress->last + 1);
  g_assert_cmpuint (done, <=, total);
  progress->last = done;
  progress->total = total;
  progress->calls++;
}

/* N_KEYS key entries, each an ECDSA key with a self-signed certificate. */
static void
add_key_entries (GhKeystore *keystore)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autofree char *alias = g_strdup_printf ("key-%u", i);
      g_autofree char *subject = g_strdup_printf ("CN=key-%u.example.com", i);
      g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_autoptr(GhCertificate) cert = NULL;
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      g_autoptr(GhKeystoreEntry) entry = NULL;

      g_assert_no_error (error);
      cert = gh_private_key_create_self_signed (key, subject, NULL, 30, &error);
      g_assert_no_error (error);
      g_ptr_array_add (chain, cert);
      entry = gh_keystore_entry_new_key (alias, key, chain);
      g_assert_true (gh_keystore_add (keystore, entry, &error));
      g_assert_no_error (error);
    }
}

/* A new password: every key sealed again (in parallel), progress from 0 to 100 % one
 * key at a time, and the file then opens, keys and all, with the new password in
 * Gatehouse, openssl and keytool, and no longer with the old one. */
static void
test_new_password (Fixture *f, gconstpointer data)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.p12", NULL);
  g_autofree char *openssl = NULL;
  g_autofree char *keytool = NULL;
  Progress progress = { 0 };
  const char *openssl_argv[] = { "openssl", "pkcs12", "-in", f->path, "-passin", "pass:new pass", "-nodes",
                                 "-out", "/dev/null", NULL };
  const char *keytool_argv[] = { "keytool", "-importkeystore", "-noprompt", "-srckeystore", f->path,
                                 "-srcstoretype", "PKCS12", "-srcstorepass", "new pass", "-destkeystore", copy,
                                 "-deststoretype", "PKCS12", "-deststorepass", "copy pass", NULL };

  add_key_entries (keystore);
  g_assert_true (gh_keystore_save (keystore, f->file, PASSWORD, &error));
  g_assert_no_error (error);
  loaded = gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);

  g_assert_true (gh_keystore_reseal (loaded, "new pass", record_progress, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.total, ==, N_KEYS);
  g_assert_cmpuint (progress.last, ==, N_KEYS);
  g_assert_cmpuint (progress.calls, ==, N_KEYS + 1);
  g_assert_true (gh_keystore_save (loaded, f->file, "new pass", &error));
  g_assert_no_error (error);

  again = gh_keystore_new_from_file (f->file, "new pass", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, N_KEYS);
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (entry, &error);

      g_assert_no_error (error);
      g_assert_true (gh_private_key_matches (key, gh_keystore_entry_get_certificate (entry)));
    }
  g_assert_null (gh_keystore_new_from_file (f->file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  /* Other tools decrypt every key with the new password. */
  if ((openssl = g_find_program_in_path ("openssl")) == NULL || (keytool = g_find_program_in_path ("keytool")) == NULL)
    {
      g_test_skip ("openssl or keytool is missing");
      return;
    }
  g_assert_true (tool_succeeds (openssl_argv));
  g_assert_true (tool_succeeds (keytool_argv));
}

/* A PEM bundle of encrypted keys lists without opening its sealed keys (its first
 * key is opened, for the password), refuses a wrong password, and after a new
 * password is saved with the keys as they were sealed. */
static void
test_pem (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "ks.pem", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PEM);
  g_autoptr(GhKeystore) loaded = NULL;
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GError) error = NULL;
  guint opened, n_sealed = 0;

  add_key_entries (keystore);
  g_assert_true (gh_keystore_save (keystore, file, PASSWORD, &error));
  g_assert_no_error (error);

  opened = _gh_sealed_key_count_opened ();
  loaded = gh_keystore_new_from_file (file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, N_KEYS);
  g_assert_cmpuint (_gh_sealed_key_count_opened (), ==, opened);
  /* All but the first key are still as the file holds them. */
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (loaded), i);

      n_sealed += _gh_keystore_entry_get_sealed (entry) != NULL;
    }
  g_assert_cmpuint (n_sealed, ==, N_KEYS - 1);
  g_assert_null (gh_keystore_new_from_file (file, "wrong", GH_KEYSTORE_LOAD_NONE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (gh_keystore_reseal (loaded, "new pass", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gh_keystore_save (loaded, file, "new pass", &error));
  g_assert_no_error (error);
  again = gh_keystore_new_from_file (file, "new pass", GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (entry, &error);

      g_assert_no_error (error);
      g_assert_true (gh_private_key_matches (key, gh_keystore_entry_get_certificate (entry)));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/keystore-reseal/new-password", Fixture, NULL, fixture_set_up, test_new_password, fixture_tear_down);
  g_test_add ("/keystore-reseal/pem", Fixture, NULL, fixture_set_up, test_pem, fixture_tear_down);

  return g_test_run ();
}
