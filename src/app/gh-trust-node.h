/* gh-trust-node.h — one certificate of a trust diagram: its subject, expiry and
 * severity on a card that opens its details, and the findings about it with their fixes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gh-finding.h"

G_BEGIN_DECLS

#define GH_TYPE_TRUST_NODE (gh_trust_node_get_type ())

G_DECLARE_FINAL_TYPE (GhTrustNode, gh_trust_node, GH, TRUST_NODE, GtkWidget)

/* @role_label: what the certificate is here ("Leaf", "Anchor", "Client certificate");
 * @name: its subject's name; @not_after (nullable): its expiry; @severity: the worst
 * of what was found about it (INFO: fine). */
GtkWidget  *gh_trust_node_new              (const char  *role_label,
                                            const char  *name,
                                            GDateTime   *not_after,
                                            GhSeverity   severity);
const char *gh_trust_node_get_name         (GhTrustNode *self);
GhSeverity  gh_trust_node_get_severity     (GhTrustNode *self);
/* "success", "warning" or "error": the style class of its severity. */
const char *gh_trust_node_get_style_class  (GhTrustNode *self);
/* The card clicked opens the details of the certificate of this SHA-256 fingerprint
 * (the action trust.details). */
void        gh_trust_node_set_fingerprint  (GhTrustNode *self,
                                            const char  *sha256_fingerprint);
const char *gh_trust_node_get_fingerprint  (GhTrustNode *self);
/* A finding about this certificate (@kind_name as GhTrustChain names it), in words,
 * with @fix (nullable) the button that repairs it. */
void        gh_trust_node_add_finding      (GhTrustNode *self,
                                            const char  *kind_name,
                                            GhSeverity   severity,
                                            const char  *message,
                                            GtkWidget   *fix);
gboolean    gh_trust_node_has_finding      (GhTrustNode *self,
                                            const char  *kind_name);
/* The fix button of the finding @kind_name, or NULL. */
GtkWidget  *gh_trust_node_get_fix          (GhTrustNode *self,
                                            const char  *kind_name);
/* The card: what the diagram's connectors join. */
GtkWidget  *gh_trust_node_get_card         (GhTrustNode *self);
/* The severity's colour, as the theme gives it (for the connectors). */
void        gh_trust_node_get_color        (GhTrustNode *self,
                                            GdkRGBA     *color);

/* A wrapping, left-aligned label of the diagrams, with @style_class (nullable). */
GtkWidget  *gh_trust_label_new             (const char  *text,
                                            const char  *style_class);

/* "success", "warning" or "error" for @severity. */
const char *gh_severity_get_style_class    (GhSeverity   severity);

G_END_DECLS
