/* gh-certificate-details.h — everything about one certificate entry: each certificate
 * of its chain field by field, and what verifying the chain found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-api-cert-entry.h"

G_BEGIN_DECLS

#define GH_TYPE_CERTIFICATE_DETAILS (gh_certificate_details_get_type ())

G_DECLARE_FINAL_TYPE (GhCertificateDetails, gh_certificate_details, GH, CERTIFICATE_DETAILS, AdwDialog)

/* @truststore (nullable, of GhApiTruststoreEntry): the anchors the chain is verified
 * against, with the system's. */
AdwDialog      *gh_certificate_details_new              (GhApiCertEntry       *entry,
                                                         GListModel           *truststore);
/* A back-end's chain (an @entry of GH_API_CERT_STORE_BACKEND), verified as the gateway
 * verifies it: against @truststore alone, for TLS server authentication and @hostname. */
AdwDialog      *gh_certificate_details_new_for_backend  (GhApiCertEntry       *entry,
                                                         GListModel           *truststore,
                                                         const char           *hostname);
GhApiCertEntry *gh_certificate_details_get_entry        (GhCertificateDetails *self);
/* Shows the certificate at @index of the chain (0: the leaf). */
void            gh_certificate_details_show_certificate (GhCertificateDetails *self,
                                                         guint                 index);
/* TRUE once the chain's findings are shown. */
gboolean        gh_certificate_details_get_verified     (GhCertificateDetails *self);

/* Writes the entry's certificate or chain to @file: @kind is "pem" (the certificate),
 * "der", "pem-chain" or "p7b" (the chain, PKCS#7). Never a key. */
void            gh_certificate_details_export_async  (GhCertificateDetails  *self,
                                                      const char            *kind,
                                                      GFile                 *file,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean        gh_certificate_details_export_finish (GhCertificateDetails  *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);

G_END_DECLS
