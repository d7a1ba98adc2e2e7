/* test-file-util.c — replacing a file atomically: the new content, mode 0600, the
 * previous content kept as FILE.bak, and errors that name the file; reading a password
 * file or any file a request names: its first line, a bound, and nothing but a
 * regular file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "gh-file-util.h"

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
replace (GFile      *file,
         const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_file_replace_atomically (file, bytes, &error));
  g_assert_no_error (error);
}

static void
test_replace (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gh-file-util-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.p12", NULL);
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  GStatBuf st;

  g_assert_no_error (error);

  /* A new file: its content, for its owner only, nothing to keep. */
  replace (file, "one");
  first = read_text (path);
  g_assert_cmpstr (first, ==, "one");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  /* Replaced: the new content, and the previous one as FILE.bak. */
  replace (file, "two");
  second = read_text (path);
  kept = read_text (backup);
  g_assert_cmpstr (second, ==, "two");
  g_assert_cmpstr (kept, ==, "one");

  /* No temporary file is left behind. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_equal (name, "store.p12") || g_str_equal (name, "store.p12.bak"));

  g_unlink (backup);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_missing_directory (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-gatehouse-dir/file");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (gh_file_replace_atomically (file, bytes, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent-gatehouse-dir"));
}

/* A temporary directory for one test, and a file in it. */
static char *
password_file_path (char       **dir,
                    const char  *content)
{
  g_autoptr(GError) error = NULL;
  char *path;

  *dir = g_dir_make_tmp ("gh-password-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "store.pw", NULL);
  if (content != NULL)
    {
      g_file_set_contents (path, content, -1, &error);
      g_assert_no_error (error);
    }
  return path;
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return gh_file_read_password (file, error);
}

static void
test_password_first_line (void)
{
  static const struct {
    const char *content;
    const char *password;
  } cases[] = {
    { "secret", "secret" },
    { "secret\n", "secret" },
    { "secret\r\n", "secret" },
    { "secret\n\n\n", "secret" },
    { "secret\nsecond line\n", "secret" },
    { "  with spaces  \n", "  with spaces  " },
    { "", "" },
    { "\n", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *path = password_file_path (&dir, cases[i].content);
      g_autofree char *password = read_password (path, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (password, ==, cases[i].password);
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
test_password_bound (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *largest = g_strnfill (GH_FILE_PASSWORD_MAX, 'p');
  g_autofree char *too_large = g_strnfill (GH_FILE_PASSWORD_MAX + 1, 'p');
  g_autofree char *dir = NULL;
  g_autofree char *path = password_file_path (&dir, largest);
  g_autofree char *password = read_password (path, &error);

  /* Exactly the bound is a password; one byte more is refused, and says why. */
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (password), ==, GH_FILE_PASSWORD_MAX);

  g_file_set_contents (path, too_large, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&password, g_free);
  password = read_password (path, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, path));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_password_not_regular (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = password_file_path (&dir, NULL);
  g_autofree char *password = NULL;

  /* A FIFO nobody writes to: refused at once, not waited on. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  password = read_password (path, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  /* An endless device: refused without reading from it. */
  password = read_password ("/dev/zero", &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  /* A directory. */
  password = read_password (dir, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_password_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = read_password ("/nonexistent-gatehouse-dir/store.pw", &error);

  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent-gatehouse-dir/store.pw"));
}

static GBytes *
load (const char       *path,
      gsize             max,
      GhFileLoadFlags   flags,
      GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return gh_file_load_bounded (file, max, flags, error);
}

static void
test_load_bound (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = password_file_path (&dir, NULL);
  g_autofree char *large = g_strnfill (200000, 'k');
  g_autoptr(GBytes) bytes = NULL;

  /* Larger than one read, exactly the bound: the whole of it, byte for byte. */
  g_file_set_contents (path, large, -1, &error);
  g_assert_no_error (error);
  bytes = load (path, 200000, GH_FILE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), large, 200000);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* One byte over: refused, naming the file. */
  bytes = load (path, 199999, GH_FILE_LOAD_NONE, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* An empty file is empty, not an error. */
  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  bytes = load (path, 10, GH_FILE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_load_not_regular (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = password_file_path (&dir, NULL);
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autoptr(GBytes) bytes = NULL;

  /* Devices claim a size of 0 and never end: refused without a read. */
  bytes = load ("/dev/zero", 1024, GH_FILE_LOAD_NONE, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  bytes = load (path, 1024, GH_FILE_LOAD_NONE, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);
  g_unlink (path);

  bytes = load (dir, 1024, GH_FILE_LOAD_NONE, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  /* A link is followed unless told not to; a link to a device is still a device. */
  g_file_set_contents (target, "content", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (target, path), ==, 0);
  bytes = load (path, 1024, GH_FILE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, strlen ("content"));
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = load (path, 1024, GH_FILE_LOAD_NO_FOLLOW, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_unlink (path);

  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  bytes = load (path, 1024, GH_FILE_LOAD_NONE, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);

  g_unlink (path);
  g_unlink (target);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-util/replace", test_replace);
  g_test_add_func ("/file-util/missing-directory", test_missing_directory);
  g_test_add_func ("/file-util/password/first-line", test_password_first_line);
  g_test_add_func ("/file-util/password/bound", test_password_bound);
  g_test_add_func ("/file-util/password/not-regular", test_password_not_regular);
  g_test_add_func ("/file-util/password/missing", test_password_missing);
  g_test_add_func ("/file-util/load/bound", test_load_bound);
  g_test_add_func ("/file-util/load/not-regular", test_load_not_regular);

  return g_test_run ();
}
