/* gh-trust-chain.h — the path from a certificate to a trusted anchor, verified, with
 * typed findings on each link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-certificate.h"
#include "gh-finding.h"
#include "gh-trust-link.h"

G_BEGIN_DECLS

typedef enum {
  GH_TRUST_PURPOSE_ANY,
  GH_TRUST_PURPOSE_SERVER,   /* TLS server authentication (id-kp-serverAuth) */
  GH_TRUST_PURPOSE_CLIENT,   /* TLS client authentication (id-kp-clientAuth) */
} GhTrustPurpose;

typedef enum {
  GH_SECURITY_PROFILE_LOW,     /* GnuTLS "low": 80-bit security */
  GH_SECURITY_PROFILE_MEDIUM,  /* GnuTLS "medium": 112-bit security (RSA 2048), the default */
  GH_SECURITY_PROFILE_HIGH,    /* GnuTLS "high": 128-bit security (RSA 3072) */
} GhSecurityProfile;

#define GH_TYPE_TRUST_CHAIN (gh_trust_chain_get_type ())
G_DECLARE_FINAL_TYPE (GhTrustChain, gh_trust_chain, GH, TRUST_CHAIN, GObject)

GhTrustChain      *gh_trust_chain_new                  (GhCertificate       *leaf,
                                                        GPtrArray           *intermediates);
void               gh_trust_chain_set_anchors          (GhTrustChain        *self,
                                                        GPtrArray           *anchors);
void               gh_trust_chain_set_use_system_anchors (GhTrustChain      *self,
                                                        gboolean             use_system);
void               gh_trust_chain_set_hostname         (GhTrustChain        *self,
                                                        const char          *hostname);
void               gh_trust_chain_set_purpose          (GhTrustChain        *self,
                                                        GhTrustPurpose       purpose);
void               gh_trust_chain_set_profile          (GhTrustChain        *self,
                                                        GhSecurityProfile    profile);
void               gh_trust_chain_set_expiry_warning_days (GhTrustChain     *self,
                                                        guint                days);
void               gh_trust_chain_set_verification_time (GhTrustChain       *self,
                                                        GDateTime           *time);
gboolean           gh_trust_chain_add_crl              (GhTrustChain        *self,
                                                        GBytes              *crl,
                                                        GError             **error);

gboolean           gh_trust_chain_verify               (GhTrustChain        *self,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
void               gh_trust_chain_verify_async         (GhTrustChain        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           gh_trust_chain_verify_finish        (GhTrustChain        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* After verification: */
GListModel        *gh_trust_chain_get_links            (GhTrustChain        *self);  /* of GhTrustLink, leaf first */
gboolean           gh_trust_chain_is_trusted           (GhTrustChain        *self);
guint              gh_trust_chain_get_gnutls_status    (GhTrustChain        *self);  /* gnutls_certificate_status_t */
GhSeverity         gh_trust_chain_get_severity         (GhTrustChain        *self);
JsonNode          *gh_trust_chain_to_json              (GhTrustChain        *self);

G_END_DECLS
