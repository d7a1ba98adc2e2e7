/* gh-trust-page.h — a gateway's trust: for each service the chains its clients are
 * served and the chain its back-end presents, side by side, live, with a fix for each
 * finding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"
#include "gh-trust-diagram.h"

G_BEGIN_DECLS

#define GH_TYPE_TRUST_PAGE (gh_trust_page_get_type ())

G_DECLARE_FINAL_TYPE (GhTrustPage, gh_trust_page, GH, TRUST_PAGE, AdwBin)

GtkWidget           *gh_trust_page_new             (void);
/* The gateway whose trust the page shows, or NULL for none. */
void                 gh_trust_page_set_connection  (GhTrustPage         *self,
                                                    GhGatewayConnection *connection);
GhGatewayConnection *gh_trust_page_get_connection  (GhTrustPage         *self);
/* The diagram of the service @name, or NULL. */
GhTrustDiagram      *gh_trust_page_get_diagram     (GhTrustPage         *self,
                                                    const char          *name);
/* The summary as it reads: "3 services", "2 of 4 chains fine", … (one line each). */
char                *gh_trust_page_get_summary     (GhTrustPage         *self);
/* Opens the preview of importing @data (a file's bytes; @name for people): into the
 * truststore, or rotating the keystore entry @rotate_alias when not NULL (the fix
 * actions trust.add-ca and trust.rotate, once the file is chosen). */
AdwDialog           *gh_trust_page_preview_import  (GhTrustPage         *self,
                                                    const char          *rotate_alias,
                                                    GBytes              *data,
                                                    const char          *name);
/* TRUE while nothing is being loaded or probed. */
gboolean             gh_trust_page_get_idle        (GhTrustPage         *self);

G_END_DECLS
