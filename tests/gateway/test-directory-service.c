/* test-directory-service.c — the directory service's request path resolver: what a
 * request may reach under the served directory, and what it may not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "gh-directory-service-private.h"
#include "gh-test-files.h"

typedef struct {
  char  *top;      /* holds root/ and outside/ */
  char  *root;
  GFile *root_file;
} Fixture;

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *docs = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *path = NULL;
  g_autofree char *secret = NULL;

  f->top = g_dir_make_tmp ("gh-directory-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->top, "root", NULL);
  outside = g_build_filename (f->top, "outside", NULL);
  docs = g_build_filename (f->root, "docs", NULL);
  empty = g_build_filename (f->root, "empty", NULL);
  g_assert_cmpint (g_mkdir (f->root, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (outside, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (docs, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);

  path = g_build_filename (f->root, "index.html", NULL);
  write_file (path, "<h1>home</h1>");
  g_free (path);
  path = g_build_filename (docs, "index.html", NULL);
  write_file (path, "<h1>docs</h1>");
  g_free (path);
  path = g_build_filename (docs, "a b.txt", NULL);
  write_file (path, "spaces");
  g_free (path);
  secret = g_build_filename (outside, "secret.txt", NULL);
  write_file (secret, "secret");

  /* Links: one that leaves the root, one that stays inside it. */
  path = g_build_filename (f->root, "escape", NULL);
  g_assert_cmpint (symlink (outside, path), ==, 0);
  g_free (path);
  path = g_build_filename (f->root, "secret.txt", NULL);
  g_assert_cmpint (symlink (secret, path), ==, 0);
  g_free (path);
  path = g_build_filename (f->root, "manual", NULL);
  g_assert_cmpint (symlink ("docs", path), ==, 0);

  f->root_file = g_file_new_for_path (f->root);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->root_file);
  gh_test_remove_tree (f->top);
  g_free (f->root);
  g_free (f->top);
}

/* The path below the root that @relative resolves to, or NULL with *@status. */
static char *
resolve (Fixture    *f,
         const char *relative,
         int        *status)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *root_real = realpath (f->root, NULL);
  g_autofree char *path = NULL;

  *status = 0;
  file = gh_directory_service_resolve_file (f->root_file, relative, status);
  if (file == NULL)
    {
      g_assert_cmpint (*status, !=, 0);
      return NULL;
    }

  path = g_file_get_path (file);
  g_assert_true (g_str_has_prefix (path, root_real));
  return g_strdup (path + strlen (root_real));
}

static void
assert_resolves (Fixture    *f,
                 const char *relative,
                 const char *expected)
{
  int status;
  g_autofree char *path = resolve (f, relative, &status);

  g_assert_cmpstr (path, ==, expected);
}

static void
assert_refused (Fixture    *f,
                const char *relative,
                int         expected)
{
  int status;
  g_autofree char *path = resolve (f, relative, &status);

  g_assert_null (path);
  g_assert_cmpint (status, ==, expected);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  assert_resolves (f, "/docs/a%20b.txt", "/docs/a b.txt");
  assert_resolves (f, "docs/a b.txt", "/docs/a b.txt");
  /* Empty and "." segments are nothing. */
  assert_resolves (f, "//docs/./a%20b.txt", "/docs/a b.txt");
}

static void
test_index (Fixture       *f,
            gconstpointer  data)
{
  assert_resolves (f, "", "/index.html");
  assert_resolves (f, "/", "/index.html");
  assert_resolves (f, "/docs", "/docs/index.html");
  assert_resolves (f, "/docs/", "/docs/index.html");
  /* A directory without an index is not listed. */
  assert_refused (f, "/empty/", SOUP_STATUS_NOT_FOUND);
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  assert_refused (f, "/nothing.html", SOUP_STATUS_NOT_FOUND);
  assert_refused (f, "/docs/nothing/deeper", SOUP_STATUS_NOT_FOUND);
}

static void
test_dot_dot (Fixture       *f,
              gconstpointer  data)
{
  assert_refused (f, "/../outside/secret.txt", SOUP_STATUS_FORBIDDEN);
  assert_refused (f, "/docs/../index.html", SOUP_STATUS_FORBIDDEN);
  /* Encoded, the dots and the slash are the same request. */
  assert_refused (f, "/%2e%2e/outside/secret.txt", SOUP_STATUS_FORBIDDEN);
  /* An encoded slash is not a separator, and not a name either. */
  assert_refused (f, "/docs%2f..%2f..%2foutside%2fsecret.txt", SOUP_STATUS_BAD_REQUEST);
  /* A name that only starts with dots is a name. */
  assert_refused (f, "/..hidden", SOUP_STATUS_NOT_FOUND);
}

static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  assert_refused (f, "/docs\\..\\..\\outside", SOUP_STATUS_BAD_REQUEST);
  assert_refused (f, "/docs%5c..%5csecret.txt", SOUP_STATUS_BAD_REQUEST);
  /* A NUL byte cannot be decoded into a path. */
  assert_refused (f, "/index.html%00.txt", SOUP_STATUS_BAD_REQUEST);
}

static void
test_symlinks (Fixture       *f,
               gconstpointer  data)
{
  /* Out of the root through a link: refused, whatever the file is. */
  assert_refused (f, "/escape/secret.txt", SOUP_STATUS_FORBIDDEN);
  assert_refused (f, "/secret.txt", SOUP_STATUS_FORBIDDEN);
  /* A link that stays inside the root is followed. */
  assert_resolves (f, "/manual/a%20b.txt", "/docs/a b.txt");
  assert_resolves (f, "/manual/", "/docs/index.html");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/directory-service/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("files", test_files);
  ADD ("index", test_index);
  ADD ("missing", test_missing);
  ADD ("dot-dot", test_dot_dot);
  ADD ("bad-requests", test_bad_requests);
  ADD ("symlinks", test_symlinks);
#undef ADD

  return g_test_run ();
}
