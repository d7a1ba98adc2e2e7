/* gh-finding.h — one thing a trust chain's verification found about a certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  GH_FINDING_EXPIRED,
  GH_FINDING_EXPIRES_SOON,
  GH_FINDING_NOT_YET_VALID,
  GH_FINDING_MISSING_INTERMEDIATE,
  GH_FINDING_UNTRUSTED_ROOT,
  GH_FINDING_SELF_SIGNED,
  GH_FINDING_WEAK_SIGNATURE,
  GH_FINDING_SMALL_KEY,
  GH_FINDING_HOST_MISMATCH,
  GH_FINDING_PURPOSE_MISMATCH,
  GH_FINDING_KEY_USAGE_MISMATCH,
  GH_FINDING_NOT_A_CA,
  GH_FINDING_REVOKED,
  GH_FINDING_BAD_SIGNATURE,
} GhFindingKind;

typedef enum {
  GH_SEVERITY_INFO,
  GH_SEVERITY_WARNING,
  GH_SEVERITY_ERROR,
} GhSeverity;

#define GH_TYPE_FINDING (gh_finding_get_type ())
G_DECLARE_FINAL_TYPE (GhFinding, gh_finding, GH, FINDING, GObject)

GhFindingKind      gh_finding_get_kind        (GhFinding    *self);
GhSeverity         gh_finding_get_severity    (GhFinding    *self);
const char        *gh_finding_get_message     (GhFinding    *self);
const char        *gh_finding_get_fix         (GhFinding    *self);
const char        *gh_finding_kind_to_string  (GhFindingKind kind);  /* "expired", "host-mismatch", … */

G_END_DECLS
