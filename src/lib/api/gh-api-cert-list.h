/* gh-api-cert-list.h — a gateway's keystore and truststore entries as one GListModel
 * of GhApiCertEntry, updated in place on each refresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-api-cert-entry.h"
#include "gh-api-cert-usage.h"

G_BEGIN_DECLS

#define GH_TYPE_API_CERT_LIST (gh_api_cert_list_get_type ())

G_DECLARE_FINAL_TYPE (GhApiCertList, gh_api_cert_list, GH, API_CERT_LIST, GObject)

GhApiCertList  *gh_api_cert_list_new            (void);
/* The keystore's entries (of GhApiKeystoreEntry) then the truststore's (of
 * GhApiTruststoreEntry), in the gateway's order. An entry that was there before is
 * the same object, updated; the others are added or removed. */
void            gh_api_cert_list_update         (GhApiCertList  *self,
                                                 GListModel     *keystore,
                                                 GListModel     *truststore,
                                                 GhApiCertUsage *usage,       /* nullable */
                                                 GDateTime      *now,         /* nullable */
                                                 guint           warning_days);
/* The warning window or the time changed. */
void            gh_api_cert_list_classify       (GhApiCertList  *self,
                                                 GDateTime      *now,         /* nullable */
                                                 guint           warning_days);
GhApiCertEntry *gh_api_cert_list_lookup         (GhApiCertList  *self,
                                                 GhApiCertStore  store,
                                                 const char     *alias);
/* Entries expired or expiring within the warning window. */
guint           gh_api_cert_list_count_expiring (GhApiCertList  *self);
void            gh_api_cert_list_clear          (GhApiCertList  *self);

G_END_DECLS
