/* gh-admin-client-preview.h — GhAdminClient: POST /config/preview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-client.h"
#include "gh-api-config-preview.h"

G_BEGIN_DECLS

/* What each accept would serve under @config (NULL: the running configuration) with,
 * when @alias is given, that key entry's chain replaced by @chain_pem (PEM
 * certificates, leaf first: the rotate the Certificates page is about to make). */
void                gh_admin_client_preview_config_async  (GhAdminClient       *self,
                                                           GhGatewayConfig     *config,
                                                           const char          *alias,
                                                           const char          *chain_pem,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GhApiConfigPreview *gh_admin_client_preview_config_finish (GhAdminClient       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
