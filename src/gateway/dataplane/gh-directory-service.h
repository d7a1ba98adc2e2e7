/* gh-directory-service.h — static files for `directory` services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-dataplane.h"

G_BEGIN_DECLS

/* Answers @msg for @path with the directory service of @binding whose accept path is
 * the longest prefix of @path: the file, 404, 403, 405 or 503 (service stopped). */
void gh_directory_service_handle (GhDataplane       *dataplane,
                                  GhBinding         *binding,
                                  SoupServerMessage *msg,
                                  const char        *path);

G_END_DECLS
