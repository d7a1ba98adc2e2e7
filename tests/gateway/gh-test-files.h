/* gh-test-files.h — what the gateway's unit tests share for their temporary files
 *
 * (Free ports: gh_test_free_port() in tests/common.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes @path and everything below it; symbolic links go, not what they point to. */
static inline void
gh_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gh_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

