/* gh-trust-link.h — one certificate of a verified path, with its findings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-certificate.h"
#include "gh-finding.h"

G_BEGIN_DECLS

typedef enum {
  GH_TRUST_LINK_LEAF,
  GH_TRUST_LINK_INTERMEDIATE,
  GH_TRUST_LINK_ANCHOR,
} GhTrustLinkRole;

#define GH_TYPE_TRUST_LINK (gh_trust_link_get_type ())
G_DECLARE_FINAL_TYPE (GhTrustLink, gh_trust_link, GH, TRUST_LINK, GObject)

GhCertificate     *gh_trust_link_get_certificate (GhTrustLink *self);
GhTrustLinkRole    gh_trust_link_get_role        (GhTrustLink *self);
GListModel        *gh_trust_link_get_findings    (GhTrustLink *self);  /* of GhFinding */
GhSeverity         gh_trust_link_get_severity    (GhTrustLink *self);  /* the worst finding's, INFO when none */

G_END_DECLS
