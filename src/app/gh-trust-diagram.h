/* gh-trust-diagram.h — one service's trust: the chains its clients are served, the
 * gateway, and the chain its back-end presents, each certificate a node with its
 * findings and their fixes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gh-api-service.h"
#include "gh-api-service-tls.h"
#include "gh-trust-node.h"

G_BEGIN_DECLS

typedef enum {
  GH_TRUST_SIDE_CLIENTS,   /* the accepts: what clients are served (and must present) */
  GH_TRUST_SIDE_BACKEND,   /* the connect: what the back-end presents, and is presented */
} GhTrustSide;

#define GH_TYPE_TRUST_DIAGRAM (gh_trust_diagram_get_type ())

G_DECLARE_FINAL_TYPE (GhTrustDiagram, gh_trust_diagram, GH, TRUST_DIAGRAM, GtkWidget)

/* @tls: what GET /services/{name}/tls answered, NULL when it could not be read
 * (@problem says why); @keystore (of GhApiKeystoreEntry) and @truststore (of
 * GhApiTruststoreEntry): the client certificate toward the back-end and the anchors
 * client certificates must chain to; @crls (nullable, of GhApiCrl): the truststore's
 * revocation lists, a badge on each certificate they cover. */
GtkWidget   *gh_trust_diagram_new              (GhApiService    *service,
                                                GhApiServiceTls *tls,
                                                const char      *problem,
                                                GListModel      *keystore,
                                                GListModel      *truststore,
                                                GListModel      *crls);
/* Everything a diagram of these inputs would show, as one string. */
char        *gh_trust_diagram_sign             (GhApiService    *service,
                                                GhApiServiceTls *tls,
                                                const char      *problem,
                                                GListModel      *keystore,
                                                GListModel      *truststore,
                                                GListModel      *crls);
const char  *gh_trust_diagram_get_service_name (GhTrustDiagram  *self);
/* The two sides side by side (FALSE) or one above the other (TRUE). */
void         gh_trust_diagram_set_narrow       (GhTrustDiagram  *self,
                                                gboolean         narrow);
/* The nodes of @side (of GhTrustNode), in reading order. */
GPtrArray   *gh_trust_diagram_get_nodes        (GhTrustDiagram  *self,
                                                GhTrustSide      side);
/* For the summary: the chains shown (accepts with TLS, the back-end's), those that
 * verify without a warning, and the certificate that expires first (nullable). */
guint        gh_trust_diagram_get_n_chains     (GhTrustDiagram  *self);
guint        gh_trust_diagram_get_n_fine       (GhTrustDiagram  *self);
GDateTime   *gh_trust_diagram_get_nearest_expiry (GhTrustDiagram *self,
                                                const char     **name);

G_END_DECLS
