/* test-admin-client.c — GhAdminClient and GhEventStream against the real gatehoused:
 * a setup made by `gatehoused init`, the daemon started on free loopback ports, the
 * admin identity and fingerprint init printed; pinning and first contact, the error
 * codes a caller acts on, the configuration with If-Match, live sessions seen through
 * REST and through the event stream, and the stream's recovery after the daemon is
 * killed and started again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <libsoup/soup.h>

#include "gh-api.h"
#include "gh-test-gateway.h"

#define TIMEOUT_SECONDS 20

/* The daemon on its `gatehoused init` setup, and the admin identity init made. */
static struct {
  GhTestGateway   *gateway;
  GTlsCertificate *identity;
} setup;

/* Helpers */

/* Iterates the main context until @condition, failing after TIMEOUT_SECONDS. */
#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

static void
make_setup (void)
{
  g_autoptr(GError) error = NULL;

  setup.gateway = gh_test_gateway_new ("gateway/admin-client");
  setup.identity = gh_admin_client_load_identity (setup.gateway->identity_path, setup.gateway->password, &error);
  g_assert_no_error (error);

  gh_test_gateway_start (setup.gateway);
}

static GhAdminClient *
new_client (void)
{
  return gh_admin_client_new (setup.gateway->admin_url, setup.identity, setup.gateway->fingerprint);
}

/* Tests */

static void
test_probe (void)
{
  g_autoptr(GhAdminClient) client = gh_admin_client_new (setup.gateway->admin_url, setup.identity, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *of_certificate = NULL;

  result = RUN (gh_admin_client_probe_async, client);
  certificate = gh_admin_client_probe_finish (client, result, &fingerprint, &error);
  g_assert_no_error (error);
  g_assert_nonnull (certificate);
  g_assert_cmpstr (fingerprint, ==, setup.gateway->fingerprint);
  of_certificate = gh_api_fingerprint_of_certificate (certificate);
  g_assert_cmpstr (of_certificate, ==, setup.gateway->fingerprint);

  /* Without a pin nothing is accepted. */
  g_clear_object (&result);
  result = RUN (gh_admin_client_get_info_async, client);
  g_assert_null (gh_admin_client_get_info_finish (client, result, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH);
}

static void
test_info (void)
{
  g_autofree char *lower = g_ascii_strdown (setup.gateway->fingerprint, -1);
  g_autoptr(GString) no_colons = g_string_new (lower);
  g_autoptr(GhAdminClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = NULL;

  /* The pin as people paste it: lower case, no colons. */
  g_string_replace (no_colons, ":", "", 0);
  client = gh_admin_client_new (setup.gateway->admin_url, setup.identity, no_colons->str);

  result = RUN (gh_admin_client_get_info_async, client);
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_api_info_get_api (info), ==, 1);
  g_assert_cmpint (gh_api_info_get_config_version (info), >=, 1);
  g_assert_cmpstr (gh_api_info_get_identity_subject (info), ==, "CN=gatehouse-admin");
  g_assert_cmpint (gh_api_info_get_identity_role (info), ==, GH_ADMIN_ROLE_ADMIN);

  /* Again, on the same connection: still pinned. */
  g_clear_object (&result);
  g_clear_object (&info);
  result = RUN (gh_admin_client_get_info_async, client);
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_no_error (error);
}

static void
test_wrong_pin (void)
{
  g_autoptr(GhAdminClient) client = gh_admin_client_new (setup.gateway->admin_url, setup.identity,
                                                         "0000000000000000000000000000000000000000000000000000000000000000");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = NULL;

  result = RUN (gh_admin_client_get_info_async, client);
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH);
  g_assert_nonnull (strstr (error->message, setup.gateway->fingerprint));
}

static void
test_wrong_identity_password (void)
{
  g_autofree char *p12_path = g_strdup (setup.gateway->identity_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_client_load_identity (p12_path, "not the password", &error);

  g_assert_null (identity);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_IDENTITY);
  g_assert_nonnull (strstr (error->message, "password"));
  g_assert_null (strstr (error->message, setup.gateway->password));
}

static void
test_no_identity (void)
{
  g_autoptr(GhAdminClient) client = gh_admin_client_new (setup.gateway->admin_url, NULL, setup.gateway->fingerprint);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = NULL;

  result = RUN (gh_admin_client_get_info_async, client);
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_TLS);
}

static void
test_unreachable (void)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", gh_test_free_port ());
  g_autoptr(GhAdminClient) client = gh_admin_client_new (url, setup.identity, setup.gateway->fingerprint);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) probe_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  result = RUN (gh_admin_client_get_info_async, client);
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_UNREACHABLE);
  g_clear_error (&error);

  probe_result = RUN (gh_admin_client_probe_async, client);
  certificate = gh_admin_client_probe_finish (client, probe_result, NULL, &error);
  g_assert_null (certificate);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_UNREACHABLE);
}

static void
test_cancelled (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = NULL;

  gh_admin_client_get_info_async (client, cancellable, gh_test_on_result, &result);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (result != NULL, "the cancelled request");
  info = gh_admin_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (result);
}

static GhGatewayConfig *
get_config (GhAdminClient *client,
            gint64        *version)
{
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client);
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config = gh_admin_client_get_config_finish (client, result, version, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static gboolean
put_config (GhAdminClient    *client,
            GhGatewayConfig  *config,
            gint64            if_match,
            gint64           *new_version,
            GError          **error)
{
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_put_config_async, client, config, if_match);

  return gh_admin_client_put_config_finish (client, result, new_version, error);
}

static void
test_config_round_trip (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GhGatewayConfig) again = NULL;
  g_autoptr(GhGatewayConfig) invalid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autoptr(GListModel) versions = NULL;
  gint64 version = 0, new_version = 0, again_version = 0, current = 0;
  g_autofree char *text = NULL;
  GListModel *attached;

  config = get_config (client, &version);
  g_assert_cmpint (version, >=, 1);
  g_assert_true (gh_gateway_config_has_admin (config));

  /* The same document back, with the version it came with. */
  put_config (client, config, version, &new_version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (new_version, ==, version + 1);

  /* A fresh connection after the change still gets in (the admin listener's TLS
   * survives the reload). */
  {
    g_autoptr(GhAdminClient) fresh = new_client ();
    g_autoptr(GAsyncResult) info_result = RUN (gh_admin_client_get_info_async, fresh);
    g_autoptr(GhApiInfo) info = gh_admin_client_get_info_finish (fresh, info_result, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gh_api_info_get_config_version (info), ==, new_version);
  }

  again = get_config (client, &again_version);
  g_assert_cmpint (again_version, ==, new_version);
  g_assert_true (gh_gateway_config_equal (config, again));

  /* A stale version, and none at all. */
  g_assert_false (put_config (client, config, version, NULL, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED);
  g_assert_cmpuint (gh_api_error_get_status (error), ==, 412);
  g_assert_cmpint (gh_api_error_get_current_version (error), ==, new_version);
  g_clear_error (&error);
  g_assert_false (put_config (client, config, GH_API_VERSION_NONE, NULL, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_REQUIRED);
  g_clear_error (&error);

  /* An invalid document: validated with its problems, refused as config-invalid. */
  text = g_strdup ("{\"version\":1,\"services\":[{\"name\":\"echo\",\"type\":\"echo\",\"accept\":[\"htp://x\"]}]}");
  invalid = gh_gateway_config_new_from_data (text, -1, &error);
  g_assert_no_error (error);

  result = RUN (gh_admin_client_validate_config_async, client, invalid);
  problems = gh_admin_client_validate_config_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (problems), >, 0);

  g_assert_false (put_config (client, invalid, new_version, NULL, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_CONFIG_INVALID);
  attached = gh_api_error_get_problems (error);
  g_assert_nonnull (attached);
  g_assert_cmpuint (g_list_model_get_n_items (attached), >, 0);
  g_clear_error (&error);

  /* An old version reads back, and a rollback applies it as a new version. */
  {
    g_autoptr(GAsyncResult) old_result = RUN (gh_admin_client_get_config_version_async, client, version);
    g_autoptr(GhGatewayConfig) old = gh_admin_client_get_config_version_finish (client, old_result, &error);
    g_autoptr(GAsyncResult) rollback_result = NULL;
    gint64 rolled = 0;

    g_assert_no_error (error);
    g_assert_true (gh_gateway_config_equal (old, config));

    rollback_result = RUN (gh_admin_client_rollback_config_async, client, version, GH_API_VERSION_ANY);
    gh_admin_client_rollback_config_finish (client, rollback_result, &rolled, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rolled, ==, new_version + 1);
    new_version = rolled;
  }
  {
    g_autoptr(GAsyncResult) missing_result = RUN (gh_admin_client_get_config_version_async, client, 999999);
    g_autoptr(GhGatewayConfig) missing = gh_admin_client_get_config_version_finish (client, missing_result, &error);

    g_assert_null (missing);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The history knows the writes. */
  g_clear_object (&result);
  result = RUN (gh_admin_client_list_config_versions_async, client);
  versions = gh_admin_client_list_config_versions_finish (client, result, &current, &error);
  g_assert_no_error (error);
  g_assert_cmpint (current, ==, new_version);
  g_assert_cmpuint (g_list_model_get_n_items (versions), >=, 1);
  {
    g_autoptr(GhApiConfigVersion) newest = g_list_model_get_item (versions, 0);

    g_assert_cmpint (gh_api_config_version_get_version (newest), ==, new_version);
  }
}


static void
test_read_endpoints (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_stats_async, client);
    g_autoptr(GhApiStats) stats = gh_admin_client_get_stats_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_nonnull (gh_api_stats_lookup_service (stats, "echo"));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_services_async, client);
    g_autoptr(GListModel) services = gh_admin_client_list_services_finish (client, result, &error);
    g_autoptr(GhApiService) echo = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (services), ==, 1);
    echo = g_list_model_get_item (services, 0);
    g_assert_cmpstr (gh_api_service_get_name (echo), ==, "echo");
    g_assert_cmpstr (gh_api_service_get_service_type (echo), ==, "echo");
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_service_async, client, "echo");
    g_autoptr(GhApiService) echo = gh_admin_client_get_service_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_true (gh_api_service_is_started (echo));
    g_assert_nonnull (gh_api_service_get_config (echo));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_service_async, client, "no-such-service");
    g_autoptr(GhApiService) none = gh_admin_client_get_service_finish (client, result, &error);

    g_assert_null (none);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND);
    g_assert_cmpuint (gh_api_error_get_status (error), ==, 404);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_service_tls_async, client, "echo");
    g_autoptr(GhApiServiceTls) tls = gh_admin_client_get_service_tls_finish (client, result, &error);
    g_autoptr(GhApiTlsAccept) accept = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (gh_api_service_tls_get_accepts (tls)), ==, 1);
    accept = g_list_model_get_item (gh_api_service_tls_get_accepts (tls), 0);
    g_assert_true (gh_api_tls_accept_get_secure (accept));
    g_assert_cmpstr (gh_api_tls_accept_get_alias (accept), ==, "gateway");
    g_assert_nonnull (gh_api_tls_accept_get_chain (accept));
    g_assert_cmpuint (g_list_model_get_n_items (gh_api_trust_chain_get_links (gh_api_tls_accept_get_chain (accept))), >=, 1);
    g_assert_null (gh_api_service_tls_get_connect (tls));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_keystore_async, client);
    g_autoptr(GListModel) entries = gh_admin_client_list_keystore_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 2);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_keystore_entry_async, client, "admin");
    g_autoptr(GhApiKeystoreEntry) admin = gh_admin_client_get_keystore_entry_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gh_api_keystore_entry_get_kind (admin), ==, GH_API_KEYSTORE_ENTRY_KEY);
    /* The admin certificate the client pinned is the entry's leaf. */
    g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (admin)), ==,
                     setup.gateway->fingerprint);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_truststore_async, client);
    g_autoptr(GListModel) entries = gh_admin_client_list_truststore_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_nonnull (entries);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_audit_async, client, 10);
    g_autoptr(GListModel) entries = gh_admin_client_list_audit_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_nonnull (entries);
  }
}

static void
test_generic_request (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;

  /* An answer as the gateway sent it, with the version of its ETag. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_request_async, client, "GET", "config", NULL,
                                          GH_API_VERSION_NONE);
    gint64 version = 0;
    g_autoptr(JsonNode) root = gh_admin_client_request_finish (client, result, &version, &error);

    g_assert_no_error (error);
    g_assert_nonnull (root);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
    g_assert_true (json_object_has_member (json_node_get_object (root), "services"));
    g_assert_cmpint (version, >=, 1);
  }
  /* A path with a query, and a write with a body. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_request_async, client, "GET", "sessions?state=open&limit=5",
                                          NULL, GH_API_VERSION_NONE);
    g_autoptr(JsonNode) root = gh_admin_client_request_finish (client, result, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (json_object_has_member (json_node_get_object (root), "sessions"));
  }
  {
    g_autoptr(JsonNode) body = json_from_string ("{\"version\": 999999}", NULL);
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_request_async, client, "POST", "config/rollback", body,
                                          GH_API_VERSION_ANY);
    g_autoptr(JsonNode) root = gh_admin_client_request_finish (client, result, NULL, &error);

    g_assert_null (root);
    g_assert_true (error != NULL && error->domain == GH_API_ERROR);
    g_assert_cmpint (error->code, !=, GH_API_ERROR_PRECONDITION_REQUIRED);
    g_clear_error (&error);
  }
  /* The errors are those of every call. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_request_async, client, "GET", "services/no-such-service",
                                          NULL, GH_API_VERSION_NONE);
    g_autoptr(JsonNode) root = gh_admin_client_request_finish (client, result, NULL, &error);

    g_assert_null (root);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(GhAdminClient) unpinned = gh_admin_client_new (setup.gateway->admin_url, setup.identity, NULL);
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_request_async, unpinned, "GET", "info", NULL,
                                          GH_API_VERSION_NONE);
    g_autoptr(JsonNode) root = gh_admin_client_request_finish (unpinned, result, NULL, &error);

    g_assert_null (root);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH);
  }
}

static void
test_services_start_stop (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_stop_service_async, client, "echo");
    g_autoptr(GhApiService) echo = gh_admin_client_stop_service_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_false (gh_api_service_is_started (echo));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_stop_service_async, client, "echo");
    g_autoptr(GhApiService) again = gh_admin_client_stop_service_finish (client, result, &error);

    g_assert_null (again);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_start_service_async, client, "echo");
    g_autoptr(GhApiService) echo = gh_admin_client_start_service_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_true (gh_api_service_is_started (echo));
  }
}

static void
test_keystore_writes (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;
  g_autofree char *p12_path = g_strdup (setup.gateway->identity_path);
  g_autofree char *ca_path = g_build_filename (setup.gateway->dir, "ca.pem", NULL);
  g_autofree char *p12 = NULL, *ca = NULL;
  g_autoptr(GBytes) p12_bytes = NULL;
  gsize p12_length;
  gint64 version = 0;
  const char *dns_names[] = { "csr.example.com", NULL };

  g_file_get_contents (p12_path, &p12, &p12_length, &error);
  g_assert_no_error (error);
  p12_bytes = g_bytes_new (p12, p12_length);
  g_file_get_contents (ca_path, &ca, NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GhGatewayConfig) config = get_config (client, &version);
  }

  /* Upload a PKCS#12 entry: a wrong password is a pki-error, then the right one. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_key_async, client, "uploaded", GH_API_KEY_FORMAT_PKCS12,
                                          p12_bytes, NULL, "not the password", version);
    g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_add_key_finish (client, result, NULL, &error);

    g_assert_null (entry);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PKI_ERROR);
    g_assert_null (strstr (error->message, "not the password"));
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_key_async, client, "uploaded", GH_API_KEY_FORMAT_PKCS12,
                                          p12_bytes, NULL, setup.gateway->password, version);
    g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_add_key_finish (client, result, &version, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (gh_api_keystore_entry_get_alias (entry), ==, "uploaded");
    g_assert_cmpstr (gh_certificate_get_subject (gh_api_keystore_entry_get_certificate (entry)), ==, "CN=gatehouse-admin");
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_key_async, client, "uploaded", GH_API_KEY_FORMAT_PKCS12,
                                          p12_bytes, NULL, setup.gateway->password, version);
    g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_add_key_finish (client, result, NULL, &error);

    g_assert_null (entry);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_rotate_key_async, client, "uploaded", GH_API_KEY_FORMAT_PKCS12,
                                          p12_bytes, NULL, setup.gateway->password, version);
    g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_rotate_key_finish (client, result, &version, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (gh_api_keystore_entry_get_alias (entry), ==, "uploaded");
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_delete_key_async, client, "uploaded", version);

    gh_admin_client_delete_key_finish (client, result, &version, &error);
    g_assert_no_error (error);
  }

  /* A CSR: the key is made inside the gateway. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_create_csr_async, client, "csr-entry", "p256",
                                          "CN=csr.example.com", dns_names, version);
    g_autofree char *csr = gh_admin_client_create_csr_finish (client, result, &version, &error);

    g_assert_no_error (error);
    /* GnuTLS writes the older label "NEW CERTIFICATE REQUEST"; both are PKCS#10. */
    g_assert_true (g_str_has_prefix (csr, "-----BEGIN CERTIFICATE REQUEST-----") ||
                   g_str_has_prefix (csr, "-----BEGIN NEW CERTIFICATE REQUEST-----"));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_delete_key_async, client, "csr-entry", version);

    gh_admin_client_delete_key_finish (client, result, &version, &error);
    g_assert_no_error (error);
  }

  /* The truststore. */
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_trusted_async, client, "gateway-ca", ca, version);

    gh_admin_client_add_trusted_finish (client, result, &version, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_truststore_async, client);
    g_autoptr(GListModel) entries = gh_admin_client_list_truststore_finish (client, result, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
      {
        g_autoptr(GhApiTruststoreEntry) entry = g_list_model_get_item (entries, i);

        found |= g_strcmp0 (gh_api_truststore_entry_get_alias (entry), "gateway-ca") == 0;
      }
    g_assert_true (found);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_delete_trusted_async, client, "gateway-ca", version);

    gh_admin_client_delete_trusted_finish (client, result, &version, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_audit_async, client, 5);
    g_autoptr(GListModel) entries = gh_admin_client_list_audit_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 1);
  }
}

/* A WebSocket client of the echo service, trusting the gateway's CA. */
static GhTestWsClient *
echo_connect (void)
{
  GhTestWsClient *echo = gh_test_ws_client_new (setup.gateway, "/echo", TIMEOUT_SECONDS);

  g_assert_no_error (echo->error);
  return echo;
}

static void
echo_close (GhTestWsClient *echo)
{
  gh_test_ws_client_free (echo, TIMEOUT_SECONDS);
}

static GhApiSession *
only_session (GListModel *model)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  return g_list_model_get_item (model, 0);
}

static gboolean
model_has (GListModel *model,
           const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (model, i);

      if (g_strcmp0 (gh_api_session_get_id (session), id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
on_synchronized (GhEventStream *stream,
                 guint         *count)
{
  (*count)++;
}

static void
test_sessions_and_events (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GhEventStream) stream = gh_event_stream_new (client);
  GListModel *sessions = gh_event_stream_get_sessions (stream);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSessionPage) page = NULL;
  g_autoptr(GhApiSession) live = NULL;
  g_autoptr(GhApiSession) fetched = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stale_id = NULL;
  GhTestWsClient *echo;
  guint n_synchronized = 0;
  guint n_before;

  g_signal_connect (stream, "synchronized", G_CALLBACK (on_synchronized), &n_synchronized);
  gh_event_stream_start (stream);
  WAIT_FOR (gh_event_stream_get_state (stream) == GH_EVENT_STREAM_CONNECTED, "the event stream");
  g_assert_cmpuint (n_synchronized, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 0);
  g_assert_cmpint (gh_event_stream_get_config_version (stream), >=, 1);

  /* A session opens: the stream sees it, REST lists it. */
  echo = echo_connect ();
  WAIT_FOR (g_list_model_get_n_items (sessions) == 1, "session.opened");
  live = only_session (sessions);
  id = g_strdup (gh_api_session_get_id (live));
  g_assert_cmpstr (gh_api_session_get_service (live), ==, "echo");
  /* It may open in "handshake": the row follows the updates in place. */
  WAIT_FOR (g_strcmp0 (gh_api_session_get_state (live), "open") == 0, "the session to be open");
  g_assert_true (gh_event_stream_lookup_session (stream, id) == live);

  result = RUN (gh_admin_client_list_sessions_async, client, "echo", NULL, 10, NULL);
  page = gh_admin_client_list_sessions_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_session_page_get_sessions (page)), ==, 1);
  g_assert_cmpint (gh_api_session_page_get_total (page), ==, 1);
  g_assert_null (gh_api_session_page_get_next_cursor (page));
  g_assert_true (model_has (gh_api_session_page_get_sessions (page), id));

  g_clear_object (&result);
  result = RUN (gh_admin_client_get_session_async, client, id);
  fetched = gh_admin_client_get_session_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_id (fetched), ==, id);
  g_assert_nonnull (gh_api_session_get_tls_protocol (fetched));
  /* The echo service asks for no client certificate (test-connections sees one). */
  g_assert_null (gh_api_session_get_client_certificate (fetched));

  /* Traffic shows in the live row (session.updated, at most once a second). */
  soup_websocket_connection_send_text (echo->connection, "hello");
  WAIT_FOR (echo->n_received == 1, "the echo");
  WAIT_FOR (gh_api_session_get_messages_in (live) >= 1, "session.updated");
  g_assert_cmpint (gh_api_session_get_bytes_in (live), >=, 5);

  /* The session closes: the row goes. */
  echo_close (echo);
  WAIT_FOR (g_list_model_get_n_items (sessions) == 0, "session.closed");
  g_assert_null (gh_event_stream_lookup_session (stream, id));
  g_assert_cmpstr (gh_api_session_get_state (live), ==, "closed");

  /* Closed through the API: the client sees its WebSocket close, the row goes. */
  echo = echo_connect ();
  WAIT_FOR (g_list_model_get_n_items (sessions) == 1, "another session.opened");
  {
    g_autoptr(GhApiSession) open_one = only_session (sessions);
    g_autoptr(GAsyncResult) close_result = RUN (gh_admin_client_close_session_async, client,
                                                gh_api_session_get_id (open_one));
    g_autoptr(GhApiSession) closed = gh_admin_client_close_session_finish (client, close_result, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (gh_api_session_get_id (closed), ==, gh_api_session_get_id (open_one));
    WAIT_FOR (soup_websocket_connection_get_state (echo->connection) == SOUP_WEBSOCKET_STATE_CLOSED,
              "the echo WebSocket to be closed by the gateway");
    WAIT_FOR (g_list_model_get_n_items (sessions) == 0, "session.closed after DELETE");
  }
  echo_close (echo);

  /* A session open when the daemon dies must not survive in the model. */
  echo = echo_connect ();
  WAIT_FOR (g_list_model_get_n_items (sessions) == 1, "the second session.opened");
  {
    g_autoptr(GhApiSession) second = only_session (sessions);

    stale_id = g_strdup (gh_api_session_get_id (second));
  }

  n_before = gh_event_stream_get_n_synchronizations (stream);
  gh_test_gateway_kill (setup.gateway);
  WAIT_FOR (gh_event_stream_get_state (stream) == GH_EVENT_STREAM_RECONNECTING, "the stream to notice");
  echo_close (echo);
  gh_test_gateway_start (setup.gateway);

  WAIT_FOR (gh_event_stream_get_n_synchronizations (stream) > n_before &&
            gh_event_stream_get_state (stream) == GH_EVENT_STREAM_CONNECTED, "the stream to reconnect");
  g_assert_cmpuint (n_synchronized, ==, n_before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 0);
  g_assert_null (gh_event_stream_lookup_session (stream, stale_id));

  /* And it follows the new daemon's sessions. */
  echo = echo_connect ();
  WAIT_FOR (g_list_model_get_n_items (sessions) == 1, "a session.opened after reconnecting");
  g_assert_false (model_has (sessions, stale_id));
  echo_close (echo);
  WAIT_FOR (g_list_model_get_n_items (sessions) == 0, "a session.closed after reconnecting");

  /* Stats ticks arrive, oldest first. */
  WAIT_FOR (g_list_model_get_n_items (gh_event_stream_get_stats_history (stream)) >= 2, "stats.tick");

  gh_event_stream_stop (stream);
  g_assert_cmpint (gh_event_stream_get_state (stream), ==, GH_EVENT_STREAM_DISCONNECTED);
}

/* #15: the revocation lists' calls and the preview, against the real gateway (whose
 * truststore has no lists; what is not a CRL is refused as such). */
static void
test_trust_endpoints (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;
  g_autofree char *chain = NULL;

  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_crls_async, client);
    g_autoptr(GListModel) crls = gh_admin_client_list_crls_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (crls), ==, 0);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_crls_async, client, "not a CRL", GH_API_VERSION_ANY);
    gint64 version = -1;

    g_assert_false (gh_admin_client_add_crls_finish (client, result, &version, &error));
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PKI_ERROR);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_delete_crl_async, client, "AB:CD", GH_API_VERSION_ANY);

    g_assert_false (gh_admin_client_delete_crl_finish (client, result, NULL, &error));
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_preview_config_async, client, NULL, NULL, NULL);
    g_autoptr(GhApiConfigPreview) preview = gh_admin_client_preview_config_finish (client, result, &error);
    g_autoptr(GhApiAcceptPreview) accept = NULL;

    g_assert_no_error (error);
    g_assert_true (gh_api_config_preview_get_valid (preview));
    g_assert_cmpuint (g_list_model_get_n_items (gh_api_config_preview_get_problems (preview)), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (gh_api_config_preview_get_accepts (preview)), ==, 1);
    g_assert_cmpuint (gh_api_config_preview_get_n_flagged (preview), ==, 0);
    accept = g_list_model_get_item (gh_api_config_preview_get_accepts (preview), 0);
    g_assert_cmpstr (gh_api_accept_preview_get_service (accept), ==, "echo");
    g_assert_null (gh_api_accept_preview_get_flag (accept));
    g_assert_cmpstr (gh_api_tls_accept_get_alias (gh_api_accept_preview_get_accept (accept)), ==, "gateway");
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_keystore_entry_async, client, "gateway");
    g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_get_keystore_entry_finish (client, result, &error);

    g_assert_no_error (error);
    chain = gh_certificate_to_pem (gh_api_keystore_entry_get_certificate (entry));
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_preview_config_async, client, NULL, "gateway", chain);
    g_autoptr(GhApiConfigPreview) preview = gh_admin_client_preview_config_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_true (gh_api_config_preview_get_valid (preview));
    g_assert_cmpuint (gh_api_config_preview_get_n_flagged (preview), ==, 0);
  }
  {
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_preview_config_async, client, NULL, "no-such-entry", chain);
    g_autoptr(GhApiConfigPreview) preview = gh_admin_client_preview_config_finish (client, result, &error);

    g_assert_null (preview);
    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  make_setup ();

  g_test_add_func ("/admin-client/probe", test_probe);
  g_test_add_func ("/admin-client/info", test_info);
  g_test_add_func ("/admin-client/wrong-pin", test_wrong_pin);
  g_test_add_func ("/admin-client/wrong-identity-password", test_wrong_identity_password);
  g_test_add_func ("/admin-client/no-identity", test_no_identity);
  g_test_add_func ("/admin-client/unreachable", test_unreachable);
  g_test_add_func ("/admin-client/cancelled", test_cancelled);
  g_test_add_func ("/admin-client/config", test_config_round_trip);
  g_test_add_func ("/admin-client/read-endpoints", test_read_endpoints);
  g_test_add_func ("/admin-client/trust-endpoints", test_trust_endpoints);
  g_test_add_func ("/admin-client/generic-request", test_generic_request);
  g_test_add_func ("/admin-client/services-start-stop", test_services_start_stop);
  g_test_add_func ("/admin-client/keystore-writes", test_keystore_writes);
  g_test_add_func ("/admin-client/sessions-and-events", test_sessions_and_events);

  ret = g_test_run ();

  g_clear_object (&setup.identity);
  /* A failed run keeps its directory (the daemon's log, its configuration). */
  setup.gateway->keep_dir = ret != 0;
  g_clear_pointer (&setup.gateway, gh_test_gateway_free);

  return ret;
}
