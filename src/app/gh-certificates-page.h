/* gh-certificates-page.h — a gateway's keystore and truststore: every entry, its
 * expiry and what uses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-api-cert-list.h"
#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_CERTIFICATES_PAGE (gh_certificates_page_get_type ())

G_DECLARE_FINAL_TYPE (GhCertificatesPage, gh_certificates_page, GH, CERTIFICATES_PAGE, AdwBin)

GtkWidget  *gh_certificates_page_new               (void);
/* The gateway whose certificates the page shows, or NULL for none. */
void        gh_certificates_page_set_connection    (GhCertificatesPage  *self,
                                                    GhGatewayConnection *connection);
GhGatewayConnection *gh_certificates_page_get_connection (GhCertificatesPage *self);

/* All the entries (of GhApiCertEntry), whatever the filters. */
GhApiCertList *gh_certificates_page_get_entries    (GhCertificatesPage  *self);
/* The rows shown (of GhApiCertEntry), filtered and sorted. */
GListModel *gh_certificates_page_get_model         (GhCertificatesPage  *self);

/* Filters: the search text, the store ("all", "keystore", "truststore") and
 * "expiring-only" (a property, and the action certificates.expiring). */
void        gh_certificates_page_set_search        (GhCertificatesPage  *self,
                                                    const char          *text);
void        gh_certificates_page_set_store_filter  (GhCertificatesPage  *self,
                                                    const char          *store);
void        gh_certificates_page_set_expiring_only (GhCertificatesPage  *self,
                                                    gboolean             expiring_only);
gboolean    gh_certificates_page_get_expiring_only (GhCertificatesPage  *self);
/* Clears the search and the filters: every entry shown. */
void        gh_certificates_page_show_all          (GhCertificatesPage  *self);

/* Selects the entry; FALSE when it is not shown. */
gboolean    gh_certificates_page_select            (GhCertificatesPage  *self,
                                                    GhApiCertStore       store,
                                                    const char          *alias);
/* Opens the preview of importing @data (a file's bytes; @name for people). */
void        gh_certificates_page_preview_import    (GhCertificatesPage  *self,
                                                    GBytes              *data,
                                                    const char          *name);
/* Opens the preview of rotating the key entry @alias to the first key entry of @data:
 * what each accept would serve from the next handshake, before anything is sent. */
void        gh_certificates_page_preview_rotate    (GhCertificatesPage  *self,
                                                    const char          *alias,
                                                    GBytes              *data,
                                                    const char          *name);
/* TRUE while nothing is being loaded. */
gboolean    gh_certificates_page_get_idle          (GhCertificatesPage  *self);

G_END_DECLS
