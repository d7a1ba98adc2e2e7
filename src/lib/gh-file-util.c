/* gh-file-util.c — writing files so that a crash never leaves half of one
 *
 * The keystore, the truststore, the gateway's configuration and what
 * `gatehoused init` writes all go through gh_file_replace_atomically(): the old content
 * or the new one, never a mixture, and the previous version kept as FILE.bak.
 * tests/unit/test-crash-consistency.c kills a writer at every step to check it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-file-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-file-util.h"

static gboolean
set_io_error (GError     **error,
              const char  *path,
              const char  *what,
              int          saved_errno)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s “%s”: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * gh_file_replace_atomically:
 * @file: a local file
 * @data: its new content
 * @error: return location for a #G_IO_ERROR
 *
 * Writes @data to a temporary file beside @file (mode 0600), syncs it, keeps the
 * current @file as `FILE.bak` (a hard link, so @file never goes missing), renames the
 * temporary file over @file and syncs the directory. A crash at any point leaves
 * @file with its old or its new content.
 */
gboolean
gh_file_replace_atomically (GFile   *file,
                            GBytes  *data,
                            GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *backup = NULL;
  const guchar *bytes;
  gsize length, written = 0;
  int fd, dir_fd;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Files are replaced on local file systems only"));
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  backup = g_strdup_printf ("%s.bak", path);

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_io_error (error, dir, _("Cannot create a file in"), errno);

  bytes = g_bytes_get_data (data, &length);
  while (written < length)
    {
      gssize n = write (fd, bytes + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          close (fd);
          g_unlink (tmp);
          return set_io_error (error, path, _("Cannot write"), saved_errno);
        }
      written += n;
    }

  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp);
      return set_io_error (error, path, _("Cannot write"), saved_errno);
    }

  /* One backup: the file as it was, under a second name. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_unlink (backup);
      if (link (path, backup) != 0)
        g_debug ("No backup of %s: %s", path, g_strerror (errno));
    }

  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp);
      return set_io_error (error, path, _("Cannot replace"), saved_errno);
    }

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  return TRUE;
}
