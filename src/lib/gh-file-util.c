/* gh-file-util.c — writing files so that a crash never leaves half of one
 *
 * The keystore, the truststore, the gateway's configuration and what
 * `gatehoused init` writes all go through gh_file_replace_atomically(): the old content
 * or the new one, never a mixture, and the previous version kept as FILE.bak.
 * tests/unit/test-crash-consistency.c kills a writer at every step to check it.
 *
 * Files the gateway reads because a configuration or a request names them are read
 * with a bound: gh_file_load_bounded() for keystores, served files and the history,
 * gh_file_read_password() for password files (the gateway's stores, gatehousectl's
 * --password-file options). Both take a regular file only, so a FIFO or a device
 * never blocks or floods the reader, and read up to the bound whatever the file's
 * size claims; a password's every copy is wiped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-file-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

/* Opens @file for reading as a regular file: anything else (a FIFO, a device such as
 * `/dev/zero`, a directory, a socket) is refused at once, without reading from it.
 * With @no_follow, a symbolic link is refused too. Returns the descriptor (@st its
 * status), or -1. */
static int
open_regular (GFile        *file,
              gboolean      no_follow,
              char        **out_path,
              struct stat  *st,
              GError      **error)
{
  g_autofree char *path = g_file_get_path (file);
  int fd;

  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("“%s” is not a local file"), name);
      return -1;
    }

  /* O_NONBLOCK: opening a FIFO that nobody writes to must not wait. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (no_follow ? O_NOFOLLOW : 0));
  if (fd < 0)
    {
      int saved_errno = errno;

      if (no_follow && saved_errno == ELOOP)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                     _("“%s” is a symbolic link, which is not followed here"), path);
      else
        set_io_error (error, path, _("Cannot open"), saved_errno);
      return -1;
    }
  if (fstat (fd, st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_io_error (error, path, _("Cannot read"), saved_errno);
      return -1;
    }
  if (!S_ISREG (st->st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file"), path);
      return -1;
    }

  *out_path = g_steal_pointer (&path);
  return fd;
}

/* Reads @fd into @buffer (@max + 1 bytes) up to its end or one byte past @max, whatever
 * the file's size said: a file that grows while it is read is still bounded. */
static gboolean
read_fd_bounded (int          fd,
                 const char  *path,
                 char        *buffer,
                 gsize        max,
                 gsize       *length,
                 GError     **error)
{
  *length = 0;
  while (*length <= max)
    {
      gssize n = read (fd, buffer + *length, max + 1 - *length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_io_error (error, path, _("Cannot read"), errno);
      if (n == 0)
        return TRUE;
      *length += n;
    }
  return TRUE;
}

/**
 * gh_file_load_bounded:
 * @file: a local file
 * @max: the most it may hold, in bytes
 * @flags: %GH_FILE_LOAD_NO_FOLLOW where a symbolic link makes no sense
 * @error: return location for a #G_IO_ERROR
 *
 * Reads the whole of @file, which must be a regular file of at most @max bytes. This is
 * how the gateway reads files that a request names or that it serves: a device, a FIFO
 * or a directory is refused before anything is read (%G_IO_ERROR_NOT_REGULAR_FILE), and
 * the bound holds while reading, whatever the file's size claims
 * (%G_IO_ERROR_MESSAGE_TOO_LARGE: no more than @max + 1 bytes are ever read).
 *
 * Returns: (transfer full): the content, or %NULL
 */
GBytes *
gh_file_load_bounded (GFile            *file,
                      gsize             max,
                      GhFileLoadFlags   flags,
                      GError          **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (max < G_MAXUINT32, NULL);

  fd = open_regular (file, (flags & GH_FILE_LOAD_NO_FOLLOW) != 0, &path, &st, error);
  if (fd < 0)
    return NULL;

  /* A file that says it is too large is refused without reading it; one that grows
   * is caught by the bound below. */
  if ((guint64) st.st_size > max)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   ngettext ("“%s” is larger than %zu byte", "“%s” is larger than %zu bytes", max), path, max);
      return NULL;
    }

  /* Grown as the bytes come, from the size the file claims, never past @max + 1. */
  buffer = g_byte_array_sized_new (MIN ((gsize) st.st_size, max) + 1);
  while (buffer->len <= max)
    {
      gsize have = buffer->len;
      gsize want = MIN (MAX ((gsize) 65536, have), max + 1 - have);
      gssize n;
      int saved_errno;

      g_byte_array_set_size (buffer, have + want);
      n = read (fd, buffer->data + have, want);
      saved_errno = errno;
      g_byte_array_set_size (buffer, have + MAX (n, 0));
      if (n < 0 && saved_errno == EINTR)
        continue;
      if (n < 0)
        {
          set_io_error (error, path, _("Cannot read"), saved_errno);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
    }
  close (fd);

  if (buffer->len > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   ngettext ("“%s” is larger than %zu byte", "“%s” is larger than %zu bytes", max), path, max);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/**
 * gh_file_read_password:
 * @file: a local file whose first line is a password
 * @error: return location for a #G_IO_ERROR
 *
 * Reads @file, which must be a regular file of at most %GH_FILE_PASSWORD_MAX bytes:
 * anything else (a FIFO, a device such as `/dev/zero`, a directory) is refused at
 * once, without reading from it. The bound holds while reading, whatever the file's
 * size said when it was opened. The buffer is wiped before this returns.
 *
 * Returns: (transfer full): the first line of @file without its line end (an empty
 *   file gives ""), or %NULL; free it with gh_secret_free()
 */
char *
gh_file_read_password (GFile   *file,
                       GError **error)
{
  g_autofree char *path = NULL;
  char *buffer;
  char *password = NULL;
  gsize length = 0;
  struct stat st;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  fd = open_regular (file, FALSE, &path, &st, error);
  if (fd < 0)
    return NULL;

  /* One byte more than allowed tells a file that is too large; one more ends the text. */
  buffer = g_malloc (GH_FILE_PASSWORD_MAX + 2);
  if (read_fd_bounded (fd, path, buffer, GH_FILE_PASSWORD_MAX, &length, error))
    {
      if (length > GH_FILE_PASSWORD_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is larger than %d bytes: it is not a password file"), path, GH_FILE_PASSWORD_MAX);
        }
      else
        {
          buffer[length] = '\0';
          password = g_strndup (buffer, strcspn (buffer, "\r\n"));
        }
    }

  close (fd);
  explicit_bzero (buffer, GH_FILE_PASSWORD_MAX + 2);
  g_free (buffer);

  return password;
}
