/* gh-admin-client-private.h — what GhEventStream and the other files of src/lib/api
 * share with GhAdminClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

/* The URL of @path under /api/v1 ("events"), wss:// when @websocket. */
char        *_gh_admin_client_dup_url         (GhAdminClient *self,
                                               const char    *path,
                                               gboolean       websocket);
/* A message set up as every request of this client: client certificate, pin check. */
SoupMessage *_gh_admin_client_new_message     (GhAdminClient *self,
                                               const char    *method,
                                               const char    *url);
SoupSession *_gh_admin_client_get_session     (GhAdminClient *self);
/* A failure of @message (libsoup's, GIO's or TLS's error) as a GH_API_ERROR. Takes
 * @error. */
GError      *_gh_admin_client_translate_error (GhAdminClient *self,
                                               SoupMessage   *message,
                                               GError        *error);
/* An answer with an error status (problem+json in @root, or none) as a GH_API_ERROR. */
GError      *_gh_admin_client_problem_error   (SoupMessage   *message,
                                               JsonNode      *root);

G_END_DECLS
