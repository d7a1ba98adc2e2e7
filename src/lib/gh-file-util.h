/* gh-file-util.h — writing files so that a crash never leaves half of one, and reading
 * the files a configuration or a request names with a bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes @data to @file atomically: temporary file (0600), fsync, FILE.bak, rename. */
gboolean gh_file_replace_atomically (GFile   *file,
                                     GBytes  *data,
                                     GError **error);

typedef enum {
  GH_FILE_LOAD_NONE      = 0,
  GH_FILE_LOAD_NO_FOLLOW = 1 << 0,  /* refuse a symbolic link (O_NOFOLLOW) */
} GhFileLoadFlags;

/* The whole of the regular file @file, at most @max bytes, read with that bound
 * whatever its size claims; devices, FIFOs and directories are refused unread. */
GBytes  *gh_file_load_bounded       (GFile            *file,
                                     gsize             max,
                                     GhFileLoadFlags   flags,
                                     GError          **error);

/* The most a password file may hold, in bytes. */
#define GH_FILE_PASSWORD_MAX 4096

/* The first line of the regular file @file (at most GH_FILE_PASSWORD_MAX bytes), without
 * its line end; free it with gh_secret_free(). */
char    *gh_file_read_password      (GFile   *file,
                                     GError **error);

G_END_DECLS
