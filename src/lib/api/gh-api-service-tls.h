/* gh-api-service-tls.h — GET /api/v1/services/{name}/tls: for each accept of a service
 * the key entry a client gets and its chain as GhTrustChain verified it, and a live
 * probe of the service's TLS back-end
 *
 * A trust-chain of the API is GhTrustChain's report ({"trusted", "severity",
 * "status_message", "hostname", "purpose", "links": [link…]}), each link a summary of
 * its certificate ({"subject", "issuer", "display_name", "sha256_fingerprint",
 * "not_after"}) with its findings; the full certificates are in the keystore and
 * truststore listings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-certificate.h"
#include "gh-trust-chain.h"

G_BEGIN_DECLS

/* {"kind", "severity", "message", "fix"} */
#define GH_TYPE_API_FINDING (gh_api_finding_get_type ())

G_DECLARE_FINAL_TYPE (GhApiFinding, gh_api_finding, GH, API_FINDING, GObject)

GhApiFinding *gh_api_finding_new_from_json      (JsonNode     *node,
                                                 GError      **error);
/* As GhTrustChain names it: "expires-soon", "host-mismatch", … */
const char   *gh_api_finding_get_kind_name      (GhApiFinding *self);
/* FALSE when the name is not one this client knows (a newer gateway). */
gboolean      gh_api_finding_get_kind           (GhApiFinding *self,
                                                 GhFindingKind *kind);
GhSeverity    gh_api_finding_get_severity       (GhApiFinding *self);
const char   *gh_api_finding_get_message        (GhApiFinding *self);
const char   *gh_api_finding_get_fix            (GhApiFinding *self);   /* nullable */
/* The position in its chain of the certificate it is about: 0 = leaf. */
guint         gh_api_finding_get_depth          (GhApiFinding *self);

/* One link of a trust-chain. */
#define GH_TYPE_API_TRUST_LINK (gh_api_trust_link_get_type ())

G_DECLARE_FINAL_TYPE (GhApiTrustLink, gh_api_trust_link, GH, API_TRUST_LINK, GObject)

GhApiTrustLink  *gh_api_trust_link_new_from_json         (JsonNode       *node,
                                                          GError        **error);
GhTrustLinkRole  gh_api_trust_link_get_role              (GhApiTrustLink *self);
GhSeverity       gh_api_trust_link_get_severity          (GhApiTrustLink *self);
const char      *gh_api_trust_link_get_subject           (GhApiTrustLink *self);
const char      *gh_api_trust_link_get_issuer            (GhApiTrustLink *self);   /* nullable */
const char      *gh_api_trust_link_get_display_name      (GhApiTrustLink *self);   /* nullable */
const char      *gh_api_trust_link_get_sha256_fingerprint (GhApiTrustLink *self);  /* nullable */
GDateTime       *gh_api_trust_link_get_not_after         (GhApiTrustLink *self);   /* nullable */
GListModel      *gh_api_trust_link_get_findings          (GhApiTrustLink *self);   /* of GhApiFinding */

/* A trust-chain: the verdict and its links, leaf first. */
#define GH_TYPE_API_TRUST_CHAIN (gh_api_trust_chain_get_type ())

G_DECLARE_FINAL_TYPE (GhApiTrustChain, gh_api_trust_chain, GH, API_TRUST_CHAIN, GObject)

GhApiTrustChain *gh_api_trust_chain_new_from_json      (JsonNode        *node,
                                                        GError         **error);
gboolean         gh_api_trust_chain_get_trusted        (GhApiTrustChain *self);
GhSeverity       gh_api_trust_chain_get_severity       (GhApiTrustChain *self);
const char      *gh_api_trust_chain_get_status_message (GhApiTrustChain *self);  /* nullable */
const char      *gh_api_trust_chain_get_hostname       (GhApiTrustChain *self);  /* nullable */
const char      *gh_api_trust_chain_get_purpose        (GhApiTrustChain *self);  /* nullable: "server", … */
GListModel      *gh_api_trust_chain_get_links          (GhApiTrustChain *self);  /* of GhApiTrustLink */
/* Every link's findings in one list, leaf first (each with its depth). */
GListModel      *gh_api_trust_chain_get_findings       (GhApiTrustChain *self);  /* of GhApiFinding */

/* One accept: {"uri", "host", "secure", "alias", "chain": trust-chain|null, "anchor"} */
#define GH_TYPE_API_TLS_ACCEPT (gh_api_tls_accept_get_type ())

G_DECLARE_FINAL_TYPE (GhApiTlsAccept, gh_api_tls_accept, GH, API_TLS_ACCEPT, GObject)

GhApiTlsAccept  *gh_api_tls_accept_new_from_json (JsonNode       *node,
                                                  GError        **error);
const char      *gh_api_tls_accept_get_uri       (GhApiTlsAccept *self);
const char      *gh_api_tls_accept_get_host      (GhApiTlsAccept *self);   /* nullable */
gboolean         gh_api_tls_accept_get_secure    (GhApiTlsAccept *self);   /* wss, https, ssl */
const char      *gh_api_tls_accept_get_alias     (GhApiTlsAccept *self);   /* nullable: no certificate */
GhApiTrustChain *gh_api_tls_accept_get_chain     (GhApiTlsAccept *self);   /* nullable */
/* Where the served chain's trust comes from (GhServedAnchor's words): "system",
 * "truststore", "clients" (a root neither knows: the clients decide) or "incomplete";
 * NULL without a chain, or from an older gateway. */
const char      *gh_api_tls_accept_get_anchor    (GhApiTlsAccept *self);   /* nullable */
/* The chain's verdict: FALSE without a chain. */
gboolean         gh_api_tls_accept_get_trusted   (GhApiTlsAccept *self);
/* The chain's findings (empty without a chain). */
GListModel      *gh_api_tls_accept_get_findings  (GhApiTlsAccept *self);   /* of GhApiFinding */

/* The back-end: {"uri", "verify", "probe": {"ok", "error", "chain": trust-chain}|null} */
#define GH_TYPE_API_TLS_CONNECT (gh_api_tls_connect_get_type ())

G_DECLARE_FINAL_TYPE (GhApiTlsConnect, gh_api_tls_connect, GH, API_TLS_CONNECT, GObject)

GhApiTlsConnect *gh_api_tls_connect_new_from_json      (JsonNode        *node,
                                                        GError         **error);
const char      *gh_api_tls_connect_get_uri            (GhApiTlsConnect *self);
gboolean         gh_api_tls_connect_get_verify         (GhApiTlsConnect *self);
/* FALSE for a plain tcp/ws back-end: no probe. */
gboolean         gh_api_tls_connect_has_probe          (GhApiTlsConnect *self);
gboolean         gh_api_tls_connect_get_probe_ok       (GhApiTlsConnect *self);
const char      *gh_api_tls_connect_get_probe_error    (GhApiTlsConnect *self);  /* nullable */
GhApiTrustChain *gh_api_tls_connect_get_probe_chain    (GhApiTlsConnect *self);  /* nullable */
GListModel      *gh_api_tls_connect_get_probe_findings (GhApiTlsConnect *self);  /* of GhApiFinding */
/* What the probe learned as a session would (gh-api-backend-probe.h); NULL without a
 * probe. */
typedef struct _GhApiBackendProbe GhApiBackendProbe;
GhApiBackendProbe *gh_api_tls_connect_get_probe        (GhApiTlsConnect *self);

#define GH_TYPE_API_SERVICE_TLS (gh_api_service_tls_get_type ())

G_DECLARE_FINAL_TYPE (GhApiServiceTls, gh_api_service_tls, GH, API_SERVICE_TLS, GObject)

GhApiServiceTls *gh_api_service_tls_new_from_json (JsonNode        *node,
                                                   GError         **error);
GListModel      *gh_api_service_tls_get_accepts   (GhApiServiceTls *self);  /* of GhApiTlsAccept */
/* NULL for a service without a back-end. */
GhApiTlsConnect *gh_api_service_tls_get_connect   (GhApiServiceTls *self);

G_END_DECLS
