/* gh-file-util.h — writing files so that a crash never leaves half of one
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

G_END_DECLS
