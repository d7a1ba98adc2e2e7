/* test-config-history.c — the numbered versions of a gateway's configuration: record,
 * load, the limit of kept versions, and a history read again from its directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-config-history.h"
#include "gh-test-files.h"

typedef struct {
  char  *dir;
  GFile *directory;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("gh-config-history-XXXXXX", &error);

  g_assert_no_error (error);
  f->dir = g_build_filename (root, "history", NULL);
  f->directory = g_file_new_for_path (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *root = g_path_get_dirname (f->dir);

  g_clear_object (&f->directory);
  gh_test_remove_tree (root);
  g_free (f->dir);
}

static GBytes *
document (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static gint64
record (GhConfigHistory *history,
        const char      *text,
        const char      *action)
{
  g_autoptr(GBytes) bytes = document (text);
  g_autoptr(GError) error = NULL;
  gint64 version = gh_config_history_record (history, bytes, "CN=admin", action, &error);

  g_assert_no_error (error);
  return version;
}

static void
test_new_empty (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GhConfigHistory *history = gh_config_history_new (f->directory, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (GH_IS_CONFIG_HISTORY (history));
  g_assert_cmpint (gh_config_history_get_current (history), ==, 0);
  g_assert_null (gh_config_history_dup_latest (history));

  /* The directory is made, for its owner only. */
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_finalize_object (history);
}

static void
test_record_and_load (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhConfigHistory) history = gh_config_history_new (f->directory, &error);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) latest = NULL;
  g_autofree char *file = g_build_filename (f->dir, "v1.json", NULL);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (record (history, "{\"a\":1}", "start"), ==, 1);
  g_assert_cmpint (record (history, "{\"a\":2}", "config"), ==, 2);
  g_assert_cmpint (gh_config_history_get_current (history), ==, 2);

  latest = gh_config_history_dup_latest (history);
  g_assert_cmpmem (g_bytes_get_data (latest, NULL), g_bytes_get_size (latest), "{\"a\":2}", 7);
  first = gh_config_history_load (history, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "{\"a\":1}", 7);

  /* Each version is a file of its own, readable by its owner only. */
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_null (gh_config_history_load (history, 3, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_to_json (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhConfigHistory) history = gh_config_history_new (f->directory, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *newest;
  JsonArray *versions;

  g_assert_no_error (error);
  record (history, "{}", "start");
  record (history, "{\"b\":true}", "keystore upload web");

  node = gh_config_history_to_json (history);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "current"), ==, 2);
  versions = json_object_get_array_member (object, "versions");
  g_assert_cmpuint (json_array_get_length (versions), ==, 2);

  /* Newest first, with who did what. */
  newest = json_array_get_object_element (versions, 0);
  g_assert_cmpint (json_object_get_int_member (newest, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (newest, "identity"), ==, "CN=admin");
  g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "keystore upload web");
  g_assert_nonnull (json_object_get_string_member (newest, "time"));
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhConfigHistory) again = NULL;
  g_autoptr(GBytes) latest = NULL;
  GhConfigHistory *history = gh_config_history_new (f->directory, &error);

  g_assert_no_error (error);
  record (history, "{\"v\":1}", "start");
  record (history, "{\"v\":2}", "config");
  g_assert_finalize_object (history);

  /* A restart goes on counting from the index on disk. */
  again = gh_config_history_new (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_config_history_get_current (again), ==, 2);
  latest = gh_config_history_dup_latest (again);
  g_assert_cmpmem (g_bytes_get_data (latest, NULL), g_bytes_get_size (latest), "{\"v\":2}", 7);
  g_assert_cmpint (record (again, "{\"v\":3}", "config"), ==, 3);
}

static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhConfigHistory) history = gh_config_history_new (f->directory, &error);
  g_autofree char *oldest = g_build_filename (f->dir, "v1.json", NULL);
  g_autofree char *kept = g_strdup_printf ("%s/v%d.json", f->dir, 2);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  for (int i = 1; i <= GH_CONFIG_HISTORY_MAX + 1; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%d}", i);

      g_assert_cmpint (record (history, text, "config"), ==, i);
    }

  /* The oldest version goes, on disk too; the others stay. */
  g_assert_false (g_file_test (oldest, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_assert_null (gh_config_history_load (history, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  bytes = gh_config_history_load (history, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
}

static void
test_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) directory = g_file_new_for_path ("/proc/gatehouse-history");
  GhConfigHistory *history = gh_config_history_new (directory, &error);

  g_assert_null (history);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/config-history/new-empty", Fixture, NULL, fixture_set_up, test_new_empty, fixture_tear_down);
  g_test_add ("/config-history/record-and-load", Fixture, NULL, fixture_set_up, test_record_and_load, fixture_tear_down);
  g_test_add ("/config-history/to-json", Fixture, NULL, fixture_set_up, test_to_json, fixture_tear_down);
  g_test_add ("/config-history/reopen", Fixture, NULL, fixture_set_up, test_reopen, fixture_tear_down);
  g_test_add ("/config-history/limit", Fixture, NULL, fixture_set_up, test_limit, fixture_tear_down);
  g_test_add_func ("/config-history/unwritable", test_unwritable);

  return g_test_run ();
}
