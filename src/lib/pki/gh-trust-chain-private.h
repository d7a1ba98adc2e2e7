/* gh-trust-chain-private.h — what the trust chain's files share: the findings and
 * links as the verification builds them, and one verification's inputs and result
 *
 * A verification runs on a snapshot of the chain's inputs (GhTrustVerifyJob), in a
 * thread when asked, and builds its links apart (GhTrustVerifyResult); the chain takes
 * the result in its own thread. gh-trust-verify.c does the work, gh-trust-chain.c owns
 * the inputs and the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-pki-private.h"
#include "gh-trust-chain.h"

G_BEGIN_DECLS

struct _GhFinding
{
  GObject        parent_instance;

  GhFindingKind  kind;
  GhSeverity     severity;
  char          *message;
  char          *fix;
};

struct _GhTrustLink
{
  GObject          parent_instance;

  GhCertificate   *certificate;
  GhTrustLinkRole  role;
  GListStore      *findings;
};

/* A snapshot of the inputs, for one verification. */
typedef struct {
  GhCertificate     *leaf;
  GPtrArray         *intermediates;
  GPtrArray         *anchors;
  GPtrArray         *crls;
  gboolean           use_system_anchors;
  char              *hostname;
  GhTrustPurpose     purpose;
  GhSecurityProfile  profile;
  guint              expiry_warning_days;
  GDateTime         *verification_time;
} GhTrustVerifyJob;

typedef struct {
  GPtrArray *links;          /* of GhTrustLink */
  guint      gnutls_status;
  GDateTime *verified_at;
} GhTrustVerifyResult;
void                 _gh_trust_verify_job_free      (GhTrustVerifyJob    *job);
void                 _gh_trust_verify_result_free   (GhTrustVerifyResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTrustVerifyJob, _gh_trust_verify_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTrustVerifyResult, _gh_trust_verify_result_free)

/* Builds the path and checks each link; does not touch any GhTrustChain. */
GhTrustVerifyResult *_gh_trust_verify_job_run       (GhTrustVerifyJob    *job,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

/* Takes @message and @fix. */
GhFinding           *_gh_finding_new_take           (GhFindingKind        kind,
                                                     GhSeverity           severity,
                                                     char                *message,
                                                     char                *fix);
const char          *_gh_severity_to_string         (GhSeverity           severity);

GhTrustLink         *_gh_trust_link_new             (GhCertificate       *certificate,
                                                     GhTrustLinkRole      role);
gboolean             _gh_trust_link_has_finding     (GhTrustLink         *self,
                                                     GhFindingKind        kind);
/* Takes @message and @fix. */
void                 _gh_trust_link_add_finding     (GhTrustLink         *self,
                                                     GhFindingKind        kind,
                                                     GhSeverity           severity,
                                                     char                *message,
                                                     char                *fix);
const char          *_gh_trust_link_role_to_string  (GhTrustLinkRole      role);

/* The chain's root is for its clients to trust (gh-served-chain.c): GnuTLS's "signer
 * not found" no longer makes the chain's severity an error; it stays untrusted. */
void                 _gh_trust_chain_leave_anchor_to_clients (GhTrustChain *self);
gboolean             _gh_trust_chain_status_is_fine (GhTrustChain        *self);

G_END_DECLS
