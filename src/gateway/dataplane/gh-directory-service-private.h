/* gh-directory-service-private.h — the request path resolver, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-directory-service.h"

G_BEGIN_DECLS

/* The file under @root that @relative (still URI-encoded, from the request) names:
 * a regular file, or a directory's index.html. NULL with *@status a SoupStatus when
 * there is none (404), when the path leaves @root by "..", or by a symbolic link (403),
 * or holds a backslash or cannot be decoded (400). */
GFile *gh_directory_service_resolve_file (GFile      *root,
                                          const char *relative,
                                          int        *status);

G_END_DECLS
