/* test-admin-identity.c — loading the admin identity: the good file (from openssl and
 * from certtool), and each reason a file cannot be one, by its own error code
 *
 * The files are made at run time in a temporary directory by `openssl` (and `certtool`
 * when it is there), run with g_spawn_sync (argv, no shell); without openssl the tests
 * skip and say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "gh-admin-client.h"
#include "gh-admin-identity.h"
#include "gh-api-error.h"

#define PASSWORD "identity pass"

static char *tmp_dir;
static gboolean have_files;   /* admin.pem, admin.key, admin.p12, nokey.p12 */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs a tool in the temporary directory; FALSE when it is not there or fails. */
static gboolean
run (const char * const *argv)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (tmp_dir, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, &error))
    {
      g_test_message ("%s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      return FALSE;
    }
  return TRUE;
}

static void
make_files (void)
{
  const char *req[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-noenc", "-keyout", "admin.key", "-out", "admin.pem", "-subj", "/CN=gatehouse-admin",
                        "-days", "30", NULL };
  const char *p12[] = { "openssl", "pkcs12", "-export", "-inkey", "admin.key", "-in", "admin.pem",
                        "-name", "admin", "-passout", "pass:" PASSWORD, "-out", "admin.p12", NULL };
  const char *nokey[] = { "openssl", "pkcs12", "-export", "-nokeys", "-in", "admin.pem",
                          "-passout", "pass:" PASSWORD, "-out", "nokey.p12", NULL };
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  have_files = openssl != NULL && run (req) && run (p12) && run (nokey);
}

static gboolean
need_files (void)
{
  if (!have_files)
    g_test_skip ("not installed: openssl (it makes the identity files)");
  return have_files;
}

static void
assert_load_fails (const char *name,
                   const char *password,
                   int         code)
{
  g_autofree char *path = name != NULL ? tmp_path (name) : g_strdup (tmp_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_identity_load (path, password, &error);

  g_assert_null (identity);
  g_assert_error (error, GH_ADMIN_IDENTITY_ERROR, code);
  /* The message names the file and never the password. */
  g_assert_nonnull (strstr (error->message, path));
  if (password != NULL && *password != '\0')
    g_assert_null (strstr (error->message, password));
}

static void
test_good (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GTlsCertificate) again = NULL;
  g_autofree char *subject = NULL;

  if (!need_files ())
    return;

  path = tmp_path ("admin.p12");
  identity = gh_admin_identity_load (path, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_CERTIFICATE (identity));
  subject = g_tls_certificate_get_subject_name (identity);
  g_assert_nonnull (strstr (subject, "gatehouse-admin"));

  /* The client's loader is the same one. */
  again = gh_admin_client_load_identity (path, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (g_tls_certificate_is_same (identity, again));
}

static void
test_good_certtool (void)
{
  const char *argv[] = { "certtool", "--to-p12", "--load-privkey", "admin.key", "--load-certificate", "admin.pem",
                         "--p12-name", "admin", "--password", PASSWORD, "--outder", "--outfile", "certtool.p12",
                         NULL };
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;

  if (!need_files ())
    return;
  if (certtool == NULL)
    {
      g_test_skip ("not installed: certtool (gnutls-bin)");
      return;
    }

  g_assert_true (run (argv));
  path = tmp_path ("certtool.p12");
  identity = gh_admin_identity_load (path, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_CERTIFICATE (identity));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GTlsCertificate *
load_in_thread (const char  *name,
                const char  *password,
                GError     **error)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GAsyncResult) result = NULL;

  gh_admin_identity_load_async (path, password, NULL, on_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return gh_admin_identity_load_finish (result, error);
}

/* In a thread, the same identity and the same reasons. */
static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GTlsCertificate) wrong = NULL;
  g_autoptr(GTlsCertificate) missing = NULL;
  g_autofree char *subject = NULL;

  if (!need_files ())
    return;

  identity = load_in_thread ("admin.p12", PASSWORD, &error);
  g_assert_no_error (error);
  subject = g_tls_certificate_get_subject_name (identity);
  g_assert_nonnull (strstr (subject, "gatehouse-admin"));

  wrong = load_in_thread ("admin.p12", "not the password", &error);
  g_assert_null (wrong);
  g_assert_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  missing = load_in_thread ("missing.p12", PASSWORD, &error);
  g_assert_null (missing);
  g_assert_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NOT_FOUND);
}

static void
test_not_found (void)
{
  assert_load_fails ("missing.p12", PASSWORD, GH_ADMIN_IDENTITY_ERROR_NOT_FOUND);
}

static void
test_unreadable (void)
{
  /* A folder where the file should be. */
  assert_load_fails (NULL, PASSWORD, GH_ADMIN_IDENTITY_ERROR_UNREADABLE);
}

static void
test_not_pkcs12 (void)
{
  g_autofree char *text = tmp_path ("text.p12");

  /* A certificate, a key, and something else entirely. */
  if (need_files ())
    {
      assert_load_fails ("admin.pem", PASSWORD, GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12);
      assert_load_fails ("admin.key", PASSWORD, GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12);
    }
  g_assert_true (g_file_set_contents (text, "not an identity\n", -1, NULL));
  assert_load_fails ("text.p12", PASSWORD, GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12);
}

static void
test_wrong_password (void)
{
  if (!need_files ())
    return;

  assert_load_fails ("admin.p12", "not the password", GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD);
  assert_load_fails ("admin.p12", NULL, GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD);
}

static void
test_no_key (void)
{
  if (!need_files ())
    return;

  assert_load_fails ("nokey.p12", PASSWORD, GH_ADMIN_IDENTITY_ERROR_NO_KEY);
}

/* The client's loader keeps its one code for every reason, the message the loader's. */
static void
test_client_error (void)
{
  g_autofree char *path = tmp_path ("missing.p12");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_client_load_identity (path, PASSWORD, &error);

  g_assert_null (identity);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_IDENTITY);
  g_assert_nonnull (strstr (error->message, "does not exist"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

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

  tmp_dir = g_dir_make_tmp ("gh-admin-identity-XXXXXX", &error);
  g_assert_no_error (error);
  make_files ();

  g_test_add_func ("/admin-identity/good", test_good);
  g_test_add_func ("/admin-identity/good-certtool", test_good_certtool);
  g_test_add_func ("/admin-identity/not-found", test_not_found);
  g_test_add_func ("/admin-identity/unreadable", test_unreadable);
  g_test_add_func ("/admin-identity/not-pkcs12", test_not_pkcs12);
  g_test_add_func ("/admin-identity/wrong-password", test_wrong_password);
  g_test_add_func ("/admin-identity/no-key", test_no_key);
  g_test_add_func ("/admin-identity/client-error", test_client_error);
  g_test_add_func ("/admin-identity/async", test_async);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
