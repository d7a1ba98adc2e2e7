/* gh-admin-server-services.c — /api/v1/services, /services/{name}, start, stop, tls
 *
 * A service as the running configuration has it, with its live state and counts.
 * /services/{name}/tls shows each accept's chain as clients get it and probes the
 * back-end live, verifying its chain against the truststore as the gateway would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"
#include "gh-trust-chain.h"

#define PROBE_TIMEOUT 10  /* seconds */

/* @services_json: the configuration's "services" array, as gh_gateway_config_to_json()
 * writes it: made once per request, not once per service. */
static JsonNode *
service_to_json (GhAdminServer   *self,
                 GhServiceConfig *service,
                 JsonArray       *services_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GhSessionRegistry *sessions = gh_gateway_get_sessions (self->gateway);
  const char *name = gh_service_config_get_name (service);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "name", name);
  gh_json_add_string (builder, "type", gh_service_config_get_type_name (service));
  gh_json_add_string (builder, "description", gh_service_config_get_description (service));
  gh_json_add_strv (builder, "accept", gh_service_config_get_accept (service));
  gh_json_add_string (builder, "connect", gh_service_config_get_connect (service));
  gh_json_add_string (builder, "state", gh_gateway_get_service_started (self->gateway, name) ? "started" : "stopped");
  gh_json_add_int (builder, "sessions_open", gh_session_registry_count_service (sessions, name));
  gh_json_add_int (builder, "sessions_total", gh_session_registry_count_service_total (sessions, name));
  json_builder_set_member_name (builder, "config");
  json_builder_add_null_value (builder);
  for (guint i = 0; services_json != NULL && i < json_array_get_length (services_json); i++)
    {
      JsonObject *object = json_array_get_object_element (services_json, i);

      if (object != NULL && g_strcmp0 (json_object_get_string_member_with_default (object, "name", NULL), name) == 0)
        {
          json_builder_set_member_name (builder, "config");
          json_builder_add_value (builder, json_node_copy (json_array_get_element (services_json, i)));
          break;
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
_gh_admin_handle_services (GhAdminRequest *owned_request)
{
  g_autoptr(GhAdminRequest) request = owned_request;
  GhAdminServer *self = request->server;
  GhGatewayConfig *config = gh_gateway_get_config (self->gateway);
  guint n = g_strv_length (request->segments);
  const char *name = n >= 2 ? request->segments[1] : NULL;
  GhServiceConfig *service = name ? gh_gateway_config_lookup_service (config, name) : NULL;
  g_autoptr(JsonNode) config_json = gh_gateway_config_to_json (config);
  JsonObject *config_object = json_node_get_object (config_json);
  JsonArray *services_json = json_object_has_member (config_object, "services")
                             ? json_object_get_array_member (config_object, "services") : NULL;

  if (n == 1)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      GListModel *services = gh_gateway_config_get_services (config);

      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (services); i++)
        {
          g_autoptr(GhServiceConfig) item = g_list_model_get_item (services, i);

          json_builder_add_value (builder, service_to_json (self, item, services_json));
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
      return;
    }

  if (service == NULL || n > 3)
    {
      g_autofree char *detail = g_strdup_printf (_("There is no service “%s”"), name);

      _gh_admin_respond_not_found (request, detail);
      return;
    }

  if (n == 2)
    {
      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      _gh_admin_respond_json (request, SOUP_STATUS_OK, service_to_json (self, service, services_json));
      return;
    }

  if (g_str_equal (request->segments[2], "tls"))
    {
      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      _gh_admin_handle_services_tls (g_steal_pointer (&request), name);
      return;
    }

  if (g_str_equal (request->segments[2], "start") || g_str_equal (request->segments[2], "stop"))
    {
      gboolean start = g_str_equal (request->segments[2], "start");
      g_autoptr(GError) error = NULL;
      g_autofree char *caller = _gh_admin_caller_name (request);
      g_autofree char *reason = g_strdup_printf (_("service stopped by %s"), caller);

      request->action = g_strdup_printf ("service %s %s", start ? "start" : "stop", name);
      if (!_gh_admin_method_is (request, "POST"))
        {
          _gh_admin_respond_method_not_allowed (request, "POST");
          return;
        }
      if (!_gh_admin_require_role (request, GH_ADMIN_ROLE_OPERATOR))
        return;

      if (!gh_gateway_set_service_started (self->gateway, name, start, reason, &error))
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", error->message, NULL);
          return;
        }
      _gh_admin_respond_json (request, SOUP_STATUS_OK, service_to_json (self, service, services_json));
      return;
    }

  _gh_admin_respond_not_found (request, NULL);
}

/* GET /services/{name}/tls: each accept's chain as clients get it, and a live probe of
 * the back-end's chain as the gateway sees it. */

typedef struct {
  GhAdminRequest *request;
  JsonNode       *accept;     /* array */
  char           *connect_uri;
  char           *host;
  guint16         port;
  char           *server_name;
  gboolean        verify;
  GPtrArray      *anchors;
  JsonNode       *probe;
} TlsReport;

static void
tls_report_free (TlsReport *report)
{
  g_clear_pointer (&report->request, _gh_admin_request_free);
  g_clear_pointer (&report->accept, json_node_unref);
  g_free (report->connect_uri);
  g_free (report->host);
  g_free (report->server_name);
  g_clear_pointer (&report->anchors, g_ptr_array_unref);
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

static JsonNode *
verify_chain (GPtrArray   *chain,
              GPtrArray   *anchors,
              gboolean     system_anchors,
              const char  *hostname)
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
  gh_trust_chain_set_purpose (trust, GH_TRUST_PURPOSE_SERVER);
  gh_trust_chain_verify (trust, NULL, NULL);
  return gh_trust_chain_to_json (trust);
}

static JsonNode *
probe_failed (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, FALSE);
  gh_json_add_string (builder, "error", message);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
on_probe_accept_certificate (GTlsConnection       *connection,
                             GTlsCertificate      *peer,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  /* The probe wants to see the chain whatever it is; the verdict is GhTrustChain's. */
  return TRUE;
}

static void
on_probe_event (GSocketClient      *client,
                GSocketClientEvent  event,
                GSocketConnectable *connectable,
                GIOStream          *connection,
                gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (on_probe_accept_certificate), NULL);
}

static void
on_probe_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TlsReport *report = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GTlsCertificate *peer;
  GIOStream *tls;

  if (connection == NULL)
    {
      report->probe = probe_failed (error->message);
      respond_tls_report (report);
      return;
    }

  /* GSocketClient wraps the TLS connection; the chain as the back-end sent it,
   * leaf first. */
  tls = G_IS_TCP_WRAPPER_CONNECTION (connection)
        ? g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (connection))
        : G_IO_STREAM (connection);
  for (peer = G_IS_TLS_CONNECTION (tls) ? g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls)) : NULL;
       peer != NULL && chain->len < 16;
       peer = g_tls_certificate_get_issuer (peer))
    {
      g_autoptr(GByteArray) der = NULL;
      g_autoptr(GBytes) bytes = NULL;
      GhCertificate *certificate;

      g_object_get (peer, "certificate", &der, NULL);
      if (der == NULL)
        break;
      bytes = g_bytes_new (der->data, der->len);
      if ((certificate = gh_certificate_new_from_der (bytes, NULL)) == NULL)
        break;
      g_ptr_array_add (chain, certificate);
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  if (chain->len == 0)
    {
      report->probe = probe_failed (_("The back-end sent no certificate"));
      respond_tls_report (report);
      return;
    }

  {
    g_autoptr(JsonNode) verdict = verify_chain (chain, report->anchors, FALSE, report->server_name);
    gboolean trusted = json_object_get_boolean_member_with_default (json_node_get_object (verdict), "trusted", FALSE);

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "ok");
    json_builder_add_boolean_value (builder, trusted);
    gh_json_add_string (builder, "error", trusted ? NULL : _("The back-end’s chain does not verify against the truststore"));
    json_builder_set_member_name (builder, "chain");
    json_builder_add_value (builder, g_steal_pointer (&verdict));
    json_builder_end_object (builder);
  }
  report->probe = json_builder_get_root (builder);
  respond_tls_report (report);
}

void
_gh_admin_handle_services_tls (GhAdminRequest *request,
                               const char     *name)
{
  GhGateway *gateway = request->server->gateway;
  GhServiceConfig *service = gh_gateway_config_lookup_service (gh_gateway_get_config (gateway), name);
  GPtrArray *accepts = gh_service_config_get_accept_uris (service);
  GhKeystore *keystore = gh_gateway_get_keystore (gateway);
  GhTlsIdentities *identities = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  TlsReport *report = g_new0 (TlsReport, 1);
  GUri *connect = gh_service_config_get_connect_uri (service);
  GPtrArray *anchors = gh_gateway_get_anchors (gateway);

  report->request = request;

  {
    g_autoptr(GhTlsIdentities) owned = keystore ? gh_tls_identities_new_from_keystore (keystore, NULL) : NULL;

    identities = owned;
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

            json_builder_add_value (builder, verify_chain (gh_keystore_entry_get_chain (entry), anchors, TRUE, host));
          }
        else
          {
            json_builder_add_null_value (builder);
          }
        json_builder_end_object (builder);
      }
    json_builder_end_array (builder);
    report->accept = json_builder_get_root (builder);
  }

  if (connect != NULL && (g_str_equal (g_uri_get_scheme (connect), "ssl") || g_str_equal (g_uri_get_scheme (connect), "wss")))
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      const char *server_name = gh_service_config_get_connect_server_name (service);

      report->connect_uri = g_uri_to_string (connect);
      report->host = g_strdup (g_uri_get_host (connect));
      report->port = g_uri_get_port (connect) > 0 ? g_uri_get_port (connect) : 443;
      report->server_name = g_strdup (server_name ? server_name : report->host);
      report->verify = gh_service_config_get_connect_verify (service);
      report->anchors = anchors ? g_ptr_array_ref (anchors) : NULL;

      g_socket_client_set_tls (client, TRUE);
      g_socket_client_set_timeout (client, PROBE_TIMEOUT);
      g_socket_client_set_enable_proxy (client, FALSE);
      g_signal_connect (client, "event", G_CALLBACK (on_probe_event), NULL);
      _gh_admin_request_pause (report->request);
      g_socket_client_connect_to_host_async (client, report->host, report->port, NULL, on_probe_connected, report);
      return;
    }

  if (connect != NULL)
    report->connect_uri = g_uri_to_string (connect);
  respond_tls_report (report);
}

