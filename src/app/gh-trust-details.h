/* gh-trust-details.h — the Trust page's dialogs for what is in neither store: a
 * back-end's certificate as probed, a revocation list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-api-service-tls.h"

G_BEGIN_DECLS

/* The details of the certificate of @fingerprint among the chains the back-ends sent
 * to the probes of @tls (service name → GhApiServiceTls), verified as the gateway
 * verifies a back-end against @truststore (of GhApiTruststoreEntry); NULL when no
 * back-end sent it. */
AdwDialog *gh_trust_backend_details_new (GHashTable *tls,
                                         const char *fingerprint,
                                         GListModel *truststore,
                                         guint       warning_days);
/* What the list @id of @crls (of GhApiCrl) holds, and what to do about a revoked
 * certificate; NULL when there is no such list. */
AdwDialog *gh_trust_crl_dialog_new      (GListModel *crls,
                                         const char *id);

G_END_DECLS
