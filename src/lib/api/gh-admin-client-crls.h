/* gh-admin-client-crls.h — GhAdminClient: the truststore's revocation lists
 * (GET, POST /truststore/crls, DELETE /truststore/crls/{id})
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-client.h"
#include "gh-api-crl.h"

G_BEGIN_DECLS

/* GET /truststore/crls: of GhApiCrl. */
void        gh_admin_client_list_crls_async   (GhAdminClient       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GListModel *gh_admin_client_list_crls_finish  (GhAdminClient       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* POST /truststore/crls {"pem"}: one or more X509 CRL blocks, each replacing the list
 * of its issuer. */
void        gh_admin_client_add_crls_async    (GhAdminClient       *self,
                                               const char          *pem,
                                               gint64               if_match,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    gh_admin_client_add_crls_finish   (GhAdminClient       *self,
                                               GAsyncResult        *result,
                                               gint64              *new_version,
                                               GError             **error);

/* DELETE /truststore/crls/{id} */
void        gh_admin_client_delete_crl_async  (GhAdminClient       *self,
                                               const char          *id,
                                               gint64               if_match,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    gh_admin_client_delete_crl_finish (GhAdminClient       *self,
                                               GAsyncResult        *result,
                                               gint64              *new_version,
                                               GError             **error);

G_END_DECLS
