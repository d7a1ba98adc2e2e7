/* test-sandbox.c — the decisions gh-sandbox.c makes for a Flatpak sandbox, made on
 * the host: where help opens, and what a command-line file that cannot be read says.
 * (make check-flatpak checks the same inside a real sandbox.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "gh-sandbox.h"

static void
test_help_uri (void)
{
  g_autofree char *host_index = gh_sandbox_help_uri (NULL, FALSE, FALSE);
  g_autofree char *host_page = gh_sandbox_help_uri ("trust", FALSE, FALSE);
  g_autofree char *viewer_inside = gh_sandbox_help_uri ("trust", TRUE, TRUE);
  g_autofree char *no_viewer_inside = gh_sandbox_help_uri (NULL, TRUE, FALSE);

  g_assert_cmpstr (host_index, ==, "help:gatehouse");
  g_assert_cmpstr (host_page, ==, "help:gatehouse/trust");
  /* A viewer inside the sandbox sees /app/share/help: help: stays. */
  g_assert_cmpstr (viewer_inside, ==, "help:gatehouse/trust");
  /* Without one, help: would reach the host's viewer, which cannot see it. */
  g_assert_true (g_str_has_prefix (no_viewer_inside, "https://"));
  g_assert_null (strstr (no_viewer_inside, "help:"));
}

/* The help as one HTML file, copied for the host's browser with a jump to the page. */
static void
test_help_html (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gh-sandbox-XXXXXX", NULL);
  g_autofree char *source = g_build_filename (dir, "gatehouse-help.html", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *copies = g_build_filename (cache, "gatehouse", NULL);
  g_autofree char *expected = g_build_filename (copies, "gatehouse-help.html", NULL);
  const char *html = "<html><head><title>Gatehouse</title></head><body>"
                     "<section id=\"index\"></section><section id=\"trust\"></section></body></html>\n";
  const char *pages[] = { "trust", NULL, "../trust\"><script>", "" };

  g_assert_true (g_file_set_contents (source, html, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) copy = gh_sandbox_write_help_html (source, pages[i], cache, &error);
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;

      g_assert_no_error (error);
      path = g_file_get_path (copy);
      g_assert_cmpstr (path, ==, expected);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (i == 0)
        {
          /* Opened without a fragment (the portal passes none), it goes to #trust. */
          g_assert_nonnull (strstr (contents, "<section id=\"trust\"></section>"
                                              "<script>if (!location.hash) location.replace (\"#trust\");</script>\n"
                                              "</body>"));
          g_assert_true (g_str_has_prefix (contents, "<html><head><title>Gatehouse</title>"));
        }
      else
        {
          /* The index (no page), or a page id that is not one: the file as it is. */
          g_assert_cmpstr (contents, ==, html);
        }
      g_unlink (path);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = g_build_filename (dir, "missing.html", NULL);

    g_assert_null (gh_sandbox_write_help_html (missing, "trust", cache, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }

  g_rmdir (copies);
  g_rmdir (cache);
  g_unlink (source);
  g_rmdir (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gh-sandbox-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "admin.p12", NULL);
  g_autoptr(GError) inside = NULL;
  g_autoptr(GError) outside = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (gh_sandbox_read_command_line_file ("--identity", missing, TRUE, &contents, NULL, &inside));
  g_assert_error (inside, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (inside->message, "Flatpak sandbox"));
  g_assert_nonnull (strstr (inside->message, "--file-forwarding"));
  g_assert_nonnull (strstr (inside->message, "--identity @@ "));
  g_assert_nonnull (strstr (inside->message, missing));

  g_assert_false (gh_sandbox_read_command_line_file ("--identity", missing, FALSE, &contents, NULL, &outside));
  g_assert_error (outside, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (outside->message, "--identity: "));
  g_assert_null (strstr (outside->message, "Flatpak"));
  g_assert_null (contents);

  g_rmdir (dir);
}

static void
test_readable_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gh-sandbox-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "admin.pw", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_set_contents_full (path, "secret\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (gh_sandbox_read_command_line_file ("--identity-password-file", path, TRUE,
                                                    &contents, &length, NULL));
  g_assert_cmpstr (contents, ==, "secret\n");
  g_assert_cmpuint (length, ==, 7);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/help-uri", test_help_uri);
  g_test_add_func ("/sandbox/help-html", test_help_html);
  g_test_add_func ("/sandbox/missing-file", test_missing_file);
  g_test_add_func ("/sandbox/readable-file", test_readable_file);

  return g_test_run ();
}
