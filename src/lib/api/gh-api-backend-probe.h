/* gh-api-backend-probe.h — what the back-end probe of GET /services/{name}/tls saw as a
 * session would see it: the SNI sent, the TLS negotiated, the client certificate
 * presented and the verdict in the session log's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-api-service-tls.h"

G_BEGIN_DECLS

#define GH_TYPE_API_BACKEND_PROBE (gh_api_backend_probe_get_type ())

G_DECLARE_FINAL_TYPE (GhApiBackendProbe, gh_api_backend_probe, GH, API_BACKEND_PROBE, GObject)

/* The "probe" object of a connect: {"ok", "error", "chain", "connected", "verdict", …} */
GhApiBackendProbe *gh_api_backend_probe_new_from_json (JsonNode          *node,
                                                       GError           **error);
/* A session would get through (connect, TLS, upgrade); FALSE from an older gateway. */
gboolean     gh_api_backend_probe_get_connected     (GhApiBackendProbe *self);
/* "connected to wss://…" or "refused: back-end wss://…: …", as the session log says. */
const char  *gh_api_backend_probe_get_verdict       (GhApiBackendProbe *self);  /* nullable */
/* The step that failed: "TCP connect", "TLS handshake", "WebSocket upgrade". */
const char  *gh_api_backend_probe_get_step          (GhApiBackendProbe *self);  /* nullable */
const char  *gh_api_backend_probe_get_address       (GhApiBackendProbe *self);  /* nullable */
/* The SNI sent (NULL for an IP address), and the name checked against the chain. */
const char  *gh_api_backend_probe_get_server_name   (GhApiBackendProbe *self);  /* nullable */
const char  *gh_api_backend_probe_get_verify_name   (GhApiBackendProbe *self);  /* nullable */
const char  *gh_api_backend_probe_get_protocol      (GhApiBackendProbe *self);  /* nullable */
const char  *gh_api_backend_probe_get_cipher        (GhApiBackendProbe *self);  /* nullable */
/* A session's backend_tls: "TLS1.3 …, verified". */
const char  *gh_api_backend_probe_get_backend_tls   (GhApiBackendProbe *self);  /* nullable */
/* The back-end asked for a client certificate (whether or not the service has one). */
gboolean     gh_api_backend_probe_get_certificate_requested (GhApiBackendProbe *self);
/* connect-tls.client-certificate-alias, or NULL when the service sets none. */
const char  *gh_api_backend_probe_get_client_certificate_alias     (GhApiBackendProbe *self);
gboolean     gh_api_backend_probe_get_client_certificate_requested (GhApiBackendProbe *self);
gboolean     gh_api_backend_probe_get_client_certificate_presented (GhApiBackendProbe *self);
/* That certificate's chain, judged for client authentication against the truststore. */
GhApiTrustChain *gh_api_backend_probe_get_client_certificate_chain (GhApiBackendProbe *self);  /* nullable */
/* The certificates the back-end sent (of GhCertificate), leaf first, also when they
 * were refused: never NULL, empty from an older gateway; TRUE when the gateway sent
 * only the first of them (docs/admin-api.md bounds the answer). */
GPtrArray   *gh_api_backend_probe_get_certificates           (GhApiBackendProbe *self);
gboolean     gh_api_backend_probe_get_certificates_truncated (GhApiBackendProbe *self);

G_END_DECLS
