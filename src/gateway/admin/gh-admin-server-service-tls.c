/* gh-admin-server-service-tls.c — GET /api/v1/services/{name}/tls
 *
 * Both sides of a service's TLS: each accept's chain as clients get it (the key entry
 * the SNI choice picks, verified for that host), and a live probe of the back-end made
 * the way a session reaches it (gh-backend-probe.c: the service's own TLS context,
 * SNI, client certificate and verification), so that what the Trust page draws is what
 * the traffic meets. The chain the back-end sent is then judged by GhTrustChain against
 * the truststore, for the findings a session's yes or no does not give, and sent
 * along whole (bounded), so that the app opens each in its certificate details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-backend-probe.h"
#include "gh-json.h"
#include "gh-keystore-crls.h"
#include "gh-served-chain.h"
#include "gh-trust-chain.h"

typedef struct {
  GhAdminRequest *request;
  JsonNode       *accept;     /* array */
  char           *connect_uri;
  gboolean        verify;
  GPtrArray      *anchors;
  GPtrArray      *crls;       /* of GhCrl */
  GhKeystoreEntry *client_identity; /* connect-tls.client-certificate-alias's, or NULL */
  JsonNode       *probe;
} TlsReport;

static void
tls_report_free (TlsReport *report)
{
  g_clear_pointer (&report->request, _gh_admin_request_free);
  g_clear_pointer (&report->accept, json_node_unref);
  g_free (report->connect_uri);
  g_clear_pointer (&report->anchors, g_ptr_array_unref);
  g_clear_pointer (&report->crls, g_ptr_array_unref);
  g_clear_object (&report->client_identity);
  g_clear_pointer (&report->probe, json_node_unref);
  g_free (report);
}

static void
respond_tls_report (TlsReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accept");
  json_builder_add_value (builder, g_steal_pointer (&report->accept));
  json_builder_set_member_name (builder, "connect");
  if (report->connect_uri != NULL)
    {
      json_builder_begin_object (builder);
      gh_json_add_string (builder, "uri", report->connect_uri);
      json_builder_set_member_name (builder, "verify");
      json_builder_add_boolean_value (builder, report->verify);
      json_builder_set_member_name (builder, "probe");
      json_builder_add_value (builder, report->probe ? g_steal_pointer (&report->probe) : json_node_new (JSON_NODE_NULL));
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  _gh_admin_respond_json (report->request, SOUP_STATUS_OK, json_builder_get_root (builder));
  tls_report_free (report);
}

/* @chain verified by GhTrustChain; @crls (of GhCrl) give the `revoked` findings. */
static GhTrustChain *
verify_chain (GPtrArray      *chain,
              GPtrArray      *anchors,
              GPtrArray      *crls,
              gboolean        system_anchors,
              const char     *hostname,
              GhTrustPurpose  purpose)
{
  g_autoptr(GPtrArray) intermediates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GhTrustChain) trust = NULL;

  for (guint i = 1; i < chain->len; i++)
    g_ptr_array_add (intermediates, g_object_ref (g_ptr_array_index (chain, i)));

  trust = gh_trust_chain_new (g_ptr_array_index (chain, 0), intermediates);
  if (anchors != NULL)
    gh_trust_chain_set_anchors (trust, anchors);
  gh_trust_chain_set_use_system_anchors (trust, system_anchors);
  gh_trust_chain_set_hostname (trust, hostname);
  gh_trust_chain_set_purpose (trust, purpose);
  for (guint i = 0; crls != NULL && i < crls->len; i++)
    gh_trust_chain_add_crl (trust, gh_crl_get_der (g_ptr_array_index (crls, i)), NULL);
  gh_trust_chain_verify (trust, NULL, NULL);
  return g_steal_pointer (&trust);
}

/* The same, as trust-chain JSON. */
JsonNode *
_gh_admin_verify_chain_to_json (GPtrArray      *chain,
                                GPtrArray      *anchors,
                                GPtrArray      *crls,
                                gboolean        system_anchors,
                                const char     *hostname,
                                GhTrustPurpose  purpose)
{
  g_autoptr(GhTrustChain) trust = verify_chain (chain, anchors, crls, system_anchors, hostname, purpose);

  return gh_trust_chain_to_json (trust);
}

/* The client certificate the gateway has for the back-end: {"alias", "requested",
 * "presented", "chain": trust-chain}, the chain judged for client authentication
 * against the truststore (what the back-end trusts is its own affair). */
static void
add_client_certificate (JsonBuilder    *builder,
                        TlsReport      *report,
                        GhBackendProbe *probe)
{
  json_builder_set_member_name (builder, "client_certificate");
  if (report->client_identity == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  gh_json_add_string (builder, "alias", gh_keystore_entry_get_alias (report->client_identity));
  json_builder_set_member_name (builder, "requested");
  json_builder_add_boolean_value (builder, probe->certificate_requested);
  json_builder_set_member_name (builder, "presented");
  json_builder_add_boolean_value (builder, probe->certificate_sent);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_value (builder, _gh_admin_verify_chain_to_json (gh_keystore_entry_get_chain (report->client_identity),
                                                                    report->anchors, report->crls, FALSE, NULL,
                                                                    GH_TRUST_PURPOSE_CLIENT));
  json_builder_end_object (builder);
}

/* The certificates the back-end sent, leaf first, as certificate objects (public: what
 * anyone connecting to it gets): at most MAX_PROBE_CERTIFICATES, and no more than
 * MAX_PROBE_DER_BYTES of DER in all, so that a back-end sending a huge chain cannot
 * make the answer huge. */
#define MAX_PROBE_CERTIFICATES 10
#define MAX_PROBE_DER_BYTES (32 * 1024)

static void
add_peer_certificates (JsonBuilder *builder,
                       GPtrArray   *chain)
{
  gsize total = 0;
  gboolean truncated = FALSE;

  json_builder_set_member_name (builder, "certificates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < chain->len; i++)
    {
      GhCertificate *certificate = g_ptr_array_index (chain, i);
      gsize size = g_bytes_get_size (gh_certificate_get_der (certificate));

      if (i >= MAX_PROBE_CERTIFICATES || total + size > MAX_PROBE_DER_BYTES)
        {
          truncated = TRUE;
          break;
        }
      total += size;
      json_builder_add_value (builder, _gh_admin_certificate_to_json (certificate));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "certificates_truncated");
  json_builder_add_boolean_value (builder, truncated);
}

static JsonNode *
probe_to_json (TlsReport      *report,
               GhBackendProbe *probe)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) verdict = NULL;
  gboolean trusted = FALSE;
  const char *error = probe->error;

  if (probe->peer_chain->len > 0)
    {
      verdict = _gh_admin_verify_chain_to_json (probe->peer_chain, report->anchors, report->crls, FALSE, probe->verify_name,
                                                GH_TRUST_PURPOSE_SERVER);
      trusted = json_object_get_boolean_member_with_default (json_node_get_object (verdict), "trusted", FALSE);
    }
  if (probe->connected && probe->peer_chain->len == 0)
    error = _("The back-end sent no certificate");
  else if (probe->connected && !trusted)
    error = _("The back-end’s chain does not verify against the truststore");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, probe->connected && trusted);
  gh_json_add_string (builder, "error", error);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_value (builder, verdict ? g_steal_pointer (&verdict) : json_node_new (JSON_NODE_NULL));
  /* What a session would know (docs/admin-api.md) */
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, probe->connected);
  gh_json_add_string (builder, "verdict", probe->verdict);
  gh_json_add_string (builder, "step", probe->step);
  gh_json_add_string (builder, "address", probe->address);
  gh_json_add_string (builder, "server_name", probe->server_name);
  gh_json_add_string (builder, "verify_name", probe->verify_name);
  gh_json_add_string (builder, "protocol", probe->protocol);
  gh_json_add_string (builder, "cipher", probe->cipher);
  gh_json_add_string (builder, "backend_tls", probe->backend_tls);
  add_peer_certificates (builder, probe->peer_chain);
  /* Also when the service names no client certificate: the back-end asks in vain. */
  json_builder_set_member_name (builder, "certificate_requested");
  json_builder_add_boolean_value (builder, probe->certificate_requested);
  add_client_certificate (builder, report, probe);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TlsReport *report = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhBackendProbe) probe = gh_backend_probe_finish (result, &error);

  if (probe != NULL)
    report->probe = probe_to_json (report, probe);
  respond_tls_report (report);
}

/* For each accept of @service: {"uri", "host", "secure", "alias", "chain", "anchor"},
 * the key entry of @keystore a client asking for the accept's host gets, its chain
 * judged as a served chain (gh-served-chain.c: the anchor is the clients' affair). */
JsonNode *
_gh_admin_accepts_to_json (GhServiceConfig *service,
                           GhKeystore      *keystore,
                           GPtrArray       *anchors,
                           GPtrArray       *crls)
{
  g_autoptr(GhTlsIdentities) identities = keystore ? gh_tls_identities_new_from_keystore (keystore, NULL) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *accepts = gh_service_config_get_accept_uris (service);

  json_builder_begin_array (builder);
  for (guint i = 0; i < accepts->len; i++)
    {
      GUri *uri = g_ptr_array_index (accepts, i);
      const char *host = g_uri_get_host (uri);
      const char *scheme = g_uri_get_scheme (uri);
      gboolean secure = g_str_equal (scheme, "wss") || g_str_equal (scheme, "https") || g_str_equal (scheme, "ssl");
      GhTlsIdentity *identity = (secure && identities) ? gh_tls_identities_select (identities, host, host) : NULL;
      g_autofree char *text = g_uri_to_string (uri);

      json_builder_begin_object (builder);
      gh_json_add_string (builder, "uri", text);
      gh_json_add_string (builder, "host", host);
      json_builder_set_member_name (builder, "secure");
      json_builder_add_boolean_value (builder, secure);
      gh_json_add_string (builder, "alias", identity ? gh_tls_identity_get_alias (identity) : NULL);
      json_builder_set_member_name (builder, "chain");
      if (identity != NULL)
        {
          GhKeystoreEntry *entry = gh_keystore_lookup (keystore, gh_tls_identity_get_alias (identity));
          g_autoptr(GhTrustChain) trust = verify_chain (gh_keystore_entry_get_chain (entry), anchors, crls, TRUE, host,
                                                        GH_TRUST_PURPOSE_SERVER);
          GhServedAnchor anchor = gh_served_chain_judge (trust, anchors);

          json_builder_add_value (builder, gh_trust_chain_to_json (trust));
          gh_json_add_string (builder, "anchor", gh_served_anchor_to_string (anchor));
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

void
_gh_admin_handle_services_tls (GhAdminRequest *request,
                               const char     *name)
{
  GhGateway *gateway = request->server->gateway;
  GhServiceConfig *service = gh_gateway_config_lookup_service (gh_gateway_get_config (gateway), name);
  GhKeystore *keystore = gh_gateway_get_keystore (gateway);
  GhTlsClientContext *context = gh_gateway_get_connect_tls (gateway, name);
  GUri *connect = gh_service_config_get_connect_uri (service);
  GPtrArray *anchors = gh_gateway_get_anchors (gateway);
  GhKeystore *truststore = gh_gateway_get_truststore (gateway);
  TlsReport *report = g_new0 (TlsReport, 1);

  report->request = request;
  report->crls = truststore ? g_ptr_array_ref (gh_keystore_get_crls (truststore)) : NULL;
  report->accept = _gh_admin_accepts_to_json (service, keystore, anchors, report->crls);
  if (connect == NULL)
    {
      respond_tls_report (report);
      return;
    }

  report->connect_uri = g_uri_to_string (connect);
  report->verify = gh_service_config_get_connect_verify (service);
  report->anchors = anchors ? g_ptr_array_ref (anchors) : NULL;
  if (context == NULL)  /* a plain tcp:// or ws:// back-end */
    {
      respond_tls_report (report);
      return;
    }

  if (gh_service_config_get_client_certificate_alias (service) != NULL && keystore != NULL)
    {
      GhKeystoreEntry *entry = gh_keystore_lookup (keystore, gh_service_config_get_client_certificate_alias (service));

      report->client_identity = entry ? g_object_ref (entry) : NULL;
    }
  _gh_admin_request_pause (report->request);
  gh_backend_probe_async (service, context, NULL, on_probed, report);
}
