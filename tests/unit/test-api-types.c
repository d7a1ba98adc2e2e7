/* test-api-types.c — the admin API's typed objects from JSON: every type from the
 * contract's examples, and every member of each removed or given the wrong JSON
 * type (an error of GH_API_ERROR_PROTOCOL or a value, never a crash or a warning);
 * sessions updated in place; problems, error codes and fingerprints
 *
 * JSON in this file is written with single quotes, turned into double quotes by
 * json_text(), so that it stays readable. "@PEM@" stands for a real certificate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "gh-api.h"
#include "gh-api-private.h"
#include "gh-event-stream-private.h"
#include "gh-private-key.h"

static char *certificate_pem;  /* JSON-escaped PEM of a fresh self-signed certificate */
static char *certificate_sha256;

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

GH_API_DEFINE_PARSE_FUNC (info)
GH_API_DEFINE_PARSE_FUNC (stats)
GH_API_DEFINE_PARSE_FUNC (service)
GH_API_DEFINE_PARSE_FUNC (session)
GH_API_DEFINE_PARSE_FUNC (session_page)
GH_API_DEFINE_PARSE_FUNC (audit_entry)
GH_API_DEFINE_PARSE_FUNC (keystore_entry)
GH_API_DEFINE_PARSE_FUNC (truststore_entry)
GH_API_DEFINE_PARSE_FUNC (config_version)
GH_API_DEFINE_PARSE_FUNC (service_tls)

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new (text);

  g_string_replace (json, "'", "\"", 0);
  g_string_replace (json, "@PEM@", certificate_pem, 0);
  json_parser_load_from_data (parser, json->str, -1, &error);
  g_assert_no_error (error);

  return json_parser_steal_root (parser);
}

/* The examples of docs/admin-api.md, completed. */
static const char info_json[] =
  "{ 'name': 'demo-gateway', 'version': '0.1.0', 'api': 1,"
  "  'started': '2026-11-26T22:30:01.123456Z', 'uptime': 3600, 'config_version': 7,"
  "  'listeners': ['127.0.0.1:8443'], 'admin_listen': '127.0.0.1:9443',"
  "  'identity': { 'subject': 'CN=gatehouse-admin', 'fingerprint': 'AB:CD', 'role': 'admin' } }";

static const char stats_json[] =
  "{ 'time': '2026-11-26T22:30:01.123456Z', 'uptime': 3600,"
  "  'sessions_open': 12, 'sessions_total': 3400,"
  "  'bytes_in': 123456, 'bytes_out': 654321, 'messages_in': 100, 'messages_out': 101,"
  "  'services': [ { 'name': 'echo', 'state': 'started', 'sessions_open': 3, 'sessions_total': 20 } ] }";

static const char service_json[] =
  "{ 'name': 'echo', 'type': 'echo', 'description': null,"
  "  'accept': ['wss://localhost:8443/echo'], 'connect': null,"
  "  'state': 'started', 'sessions_open': 3, 'sessions_total': 20,"
  "  'config': { 'name': 'echo', 'type': 'echo', 'accept': ['wss://localhost:8443/echo'] } }";

static const char session_json[] =
  "{ 'id': '4f2c', 'service': 'echo', 'client': '127.0.0.1:51234', 'state': 'open',"
  "  'started': '2026-11-26T22:30:01.123456Z',"
  "  'tls': { 'protocol': 'TLS1.3', 'cipher': 'AES-256-GCM', 'server_name': 'localhost',"
  "           'alpn': null, 'client_subject': null },"
  "  'backend': '127.0.0.1:9001', 'backend_tls': 'TLS1.3 verified',"
  "  'bytes_in': 10, 'bytes_out': 11, 'messages_in': 1, 'messages_out': 2,"
  "  'close_reason': null }";

static const char audit_json[] =
  "{ 'time': '2026-11-26T22:30:01.123456Z', 'subject': 'CN=gatehouse-admin', 'fingerprint': 'AB',"
  "  'role': 'admin', 'method': 'PUT', 'path': '/api/v1/config', 'action': 'config.put',"
  "  'status': 200, 'detail': null }";

static const char keystore_json[] =
  "{ 'alias': 'gateway', 'kind': 'key',"
  "  'chain': [ { 'subject': 'CN=x', 'sha256': 'AB', 'pem': '@PEM@' }, { 'pem': '@PEM@' } ] }";

static const char truststore_json[] =
  "{ 'alias': 'backend-ca', 'certificate': { 'subject': 'CN=x', 'pem': '@PEM@' } }";

static const char version_json[] =
  "{ 'version': 7, 'time': '2026-11-26T22:30:01.123456Z', 'identity': 'CN=gatehouse-admin',"
  "  'action': 'config.put' }";

static const char service_tls_json[] =
  "{ 'accept': [ { 'uri': 'wss://localhost:8443/echo', 'host': 'localhost', 'secure': true, 'alias': 'gateway',"
  "                'chain': { 'trusted': true, 'severity': 'warning', 'status_message': null,"
  "                           'hostname': 'localhost', 'purpose': 'server',"
  "                           'links': [ { 'role': 'leaf', 'severity': 'warning',"
  "                                        'certificate': { 'subject': 'CN=localhost', 'issuer': 'CN=CA',"
  "                                                         'display_name': 'localhost', 'sha256_fingerprint': 'AB',"
  "                                                         'not_after': '2027-01-01T00:00:00Z' },"
  "                                        'findings': [ { 'kind': 'expires-soon', 'severity': 'warning',"
  "                                                        'message': 'm', 'fix': 'f' } ] },"
  "                                      { 'role': 'anchor', 'severity': 'info',"
  "                                        'certificate': { 'subject': 'CN=CA' }, 'findings': [] } ] } },"
  "              { 'uri': 'ws://localhost:8080/plain', 'host': 'localhost', 'secure': false, 'alias': null,"
  "                'chain': null } ],"
  "  'connect': { 'uri': 'ssl://backend:9443', 'verify': true,"
  "               'probe': { 'ok': false, 'error': 'refused',"
  "                          'chain': { 'trusted': false, 'severity': 'error', 'links': ["
  "                                     { 'role': 'leaf', 'severity': 'error', 'certificate': { 'subject': 'CN=b' },"
  "                                       'findings': [] },"
  "                                     { 'role': 'intermediate', 'severity': 'error', 'certificate': { 'subject': 'CN=i' },"
  "                                       'findings': [ { 'kind': 'host-mismatch', 'severity': 'error',"
  "                                                       'message': 'm', 'fix': null } ] } ] } } } }";

static const char session_page_json[] =
  "{ 'sessions': [ { 'id': 'a', 'service': 'echo', 'state': 'open' },"
  "                { 'id': 'b', 'service': 'echo', 'state': 'open', 'tls': null } ],"
  "  'next_cursor': 'c2', 'total': 5 }";

typedef struct {
  const char *name;
  const char *json;
  ParseFunc   parse;
} TypeCase;

static const TypeCase type_cases[] = {
  { "info", info_json, parse_info },
  { "stats", stats_json, parse_stats },
  { "service", service_json, parse_service },
  { "session", session_json, parse_session },
  { "session-page", session_page_json, parse_session_page },
  { "audit-entry", audit_json, parse_audit_entry },
  { "keystore-entry", keystore_json, parse_keystore_entry },
  { "truststore-entry", truststore_json, parse_truststore_entry },
  { "config-version", version_json, parse_config_version },
  { "service-tls", service_tls_json, parse_service_tls },
};

/* Parses @node: either a value, or GH_API_ERROR_PROTOCOL with a message. */
static gboolean
parses (const TypeCase *type_case,
        JsonNode       *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = type_case->parse (node, &error);

  if (object != NULL)
    {
      g_assert_no_error (error);
      return TRUE;
    }

  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
  return FALSE;
}

static JsonNode *
wrong_value (guint kind)
{
  JsonNode *node = json_node_alloc ();

  switch (kind)
    {
    case 0: return json_node_init_int (node, -42);
    case 1: return json_node_init_string (node, "not-this");
    case 2: return json_node_init_boolean (node, TRUE);
    case 3: return json_node_init_null (node);
    case 4: return json_node_init_double (node, 1.5);
    case 5:
      {
        g_autoptr(JsonArray) array = json_array_new ();  /* the node takes its own reference */

        return json_node_init_array (node, array);
      }
    case 6:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        return json_node_init_object (node, object);
      }
    default: g_assert_not_reached ();
    }
}

#define N_WRONG_VALUES 7

/* Every member of every object under @node, removed and replaced by each wrong value
 * in turn; @root is parsed after each change. Returns how many inputs were refused. */
static guint
mutate_all (const TypeCase *type_case,
            JsonNode       *root,
            JsonNode       *node)
{
  guint refused = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          g_autoptr(JsonNode) saved = json_node_copy (json_object_get_member (object, name));
          g_autofree char *key = g_strdup (name);

          refused += mutate_all (type_case, root, json_object_get_member (object, key));

          json_object_remove_member (object, key);
          refused += !parses (type_case, root);
          for (guint k = 0; k < N_WRONG_VALUES; k++)
            {
              json_object_set_member (object, key, wrong_value (k));
              refused += !parses (type_case, root);
            }
          json_object_set_member (object, key, g_steal_pointer (&saved));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        refused += mutate_all (type_case, root, json_array_get_element (array, i));

      /* A wrong type as an element. */
      for (guint k = 0; k < N_WRONG_VALUES; k++)
        {
          json_array_add_element (array, wrong_value (k));
          refused += !parses (type_case, root);
          json_array_remove_element (array, json_array_get_length (array) - 1);
        }
    }

  return refused;
}

static void
test_type_mutations (gconstpointer data)
{
  const TypeCase *type_case = data;
  g_autoptr(JsonNode) root = parse_json (type_case->json);
  guint refused;

  /* The example reads. */
  g_assert_true (parses (type_case, root));

  /* Not an object at all. */
  for (guint k = 0; k < N_WRONG_VALUES; k++)
    {
      g_autoptr(JsonNode) wrong = wrong_value (k);

      if (k != 6)
        g_assert_false (parses (type_case, wrong));
      else
        (void) parses (type_case, wrong);
    }
  g_assert_false (parses (type_case, NULL));

  refused = mutate_all (type_case, root, root);
  g_assert_cmpuint (refused, >, 0);

  /* And the input is as it was. */
  g_assert_true (parses (type_case, root));
}

static void
test_info (void)
{
  g_autoptr(JsonNode) root = parse_json (info_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = gh_api_info_new_from_json (root, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_info_get_name (info), ==, "demo-gateway");
  g_assert_cmpstr (gh_api_info_get_version (info), ==, "0.1.0");
  g_assert_cmpint (gh_api_info_get_api (info), ==, 1);
  g_assert_cmpint (gh_api_info_get_uptime (info), ==, 3600);
  g_assert_cmpint (gh_api_info_get_config_version (info), ==, 7);
  g_assert_cmpint (g_date_time_get_year (gh_api_info_get_started (info)), ==, 2026);
  g_assert_cmpint (g_date_time_get_microsecond (gh_api_info_get_started (info)), ==, 123456);
  g_assert_cmpstrv (gh_api_info_get_listeners (info), ((const char *[]) { "127.0.0.1:8443", NULL }));
  g_assert_cmpstr (gh_api_info_get_admin_listen (info), ==, "127.0.0.1:9443");
  g_assert_cmpstr (gh_api_info_get_identity_subject (info), ==, "CN=gatehouse-admin");
  g_assert_cmpint (gh_api_info_get_identity_role (info), ==, GH_ADMIN_ROLE_ADMIN);
}

static void
test_info_wrong_types (void)
{
  const char *bad[] = {
    "{ 'name': 1, 'version': '0.1.0', 'api': 1, 'config_version': 7 }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': '1', 'config_version': 7 }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': 1, 'config_version': 7.5 }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': 1, 'config_version': 7, 'listeners': [1] }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': 1, 'config_version': 7, 'started': 'yesterday' }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': 1, 'config_version': 7, 'identity': 'CN=x' }",
    "{ 'name': 'n', 'version': '0.1.0', 'api': 1 }",
    "[ 'name' ]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) root = parse_json (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GhApiInfo) info = gh_api_info_new_from_json (root, &error);

      g_assert_null (info);
      g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
    }
}

static void
test_stats (void)
{
  g_autoptr(JsonNode) root = parse_json (stats_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiStats) stats = gh_api_stats_new_from_json (root, &error);
  GhApiServiceStats *echo;

  g_assert_no_error (error);
  g_assert_cmpint (gh_api_stats_get_sessions_open (stats), ==, 12);
  g_assert_cmpint (gh_api_stats_get_sessions_total (stats), ==, 3400);
  g_assert_cmpint (gh_api_stats_get_bytes_in (stats), ==, 123456);
  g_assert_cmpint (gh_api_stats_get_bytes_out (stats), ==, 654321);
  g_assert_cmpint (gh_api_stats_get_messages_in (stats), ==, 100);
  g_assert_cmpint (gh_api_stats_get_messages_out (stats), ==, 101);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_stats_get_services (stats)), ==, 1);
  echo = gh_api_stats_lookup_service (stats, "echo");
  g_assert_nonnull (echo);
  g_assert_cmpstr (gh_api_service_stats_get_state (echo), ==, "started");
  g_assert_cmpint (gh_api_service_stats_get_sessions_open (echo), ==, 3);
  g_assert_cmpint (gh_api_service_stats_get_sessions_total (echo), ==, 20);
  g_assert_null (gh_api_stats_lookup_service (stats, "nope"));
}

static void
test_service (void)
{
  g_autoptr(JsonNode) root = parse_json (service_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiService) service = gh_api_service_new_from_json (root, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_service_get_name (service), ==, "echo");
  g_assert_cmpstr (gh_api_service_get_service_type (service), ==, "echo");
  g_assert_null (gh_api_service_get_description (service));
  g_assert_null (gh_api_service_get_connect (service));
  g_assert_cmpstrv (gh_api_service_get_accept (service), ((const char *[]) { "wss://localhost:8443/echo", NULL }));
  g_assert_true (gh_api_service_is_started (service));
  g_assert_cmpint (gh_api_service_get_sessions_open (service), ==, 3);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (gh_api_service_get_config (service)));
}

static void
test_session (void)
{
  g_autoptr(JsonNode) root = parse_json (session_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSession) session = gh_api_session_new_from_json (root, &error);
  g_autofree char *bytes_property = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_id (session), ==, "4f2c");
  g_assert_cmpstr (gh_api_session_get_service (session), ==, "echo");
  g_assert_cmpstr (gh_api_session_get_client (session), ==, "127.0.0.1:51234");
  g_assert_cmpstr (gh_api_session_get_state (session), ==, "open");
  g_assert_cmpstr (gh_api_session_get_tls_protocol (session), ==, "TLS1.3");
  g_assert_cmpstr (gh_api_session_get_tls_server_name (session), ==, "localhost");
  g_assert_null (gh_api_session_get_tls_alpn (session));
  g_assert_null (gh_api_session_get_tls_client_subject (session));
  g_assert_cmpstr (gh_api_session_get_backend (session), ==, "127.0.0.1:9001");
  g_assert_cmpstr (gh_api_session_get_backend_tls (session), ==, "TLS1.3 verified");
  g_assert_cmpint (gh_api_session_get_bytes_in (session), ==, 10);
  g_assert_cmpint (gh_api_session_get_bytes_out (session), ==, 11);
  g_assert_cmpint (gh_api_session_get_messages_in (session), ==, 1);
  g_assert_cmpint (gh_api_session_get_messages_out (session), ==, 2);
  g_assert_null (gh_api_session_get_close_reason (session));
}

static void
count_signal (GObject  *object,
              gpointer  pspec_or_nothing,
              guint    *count)
{
  (*count)++;
}

static void
count_changed (GhApiSession *session,
               guint        *count)
{
  (*count)++;
}

static void
test_session_updates (void)
{
  g_autoptr(JsonNode) root = parse_json (session_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSession) session = gh_api_session_new_from_json (root, &error);
  g_autoptr(JsonNode) update = parse_json ("{ 'id': '4f2c', 'state': 'open', 'bytes_in': 20, 'bytes_out': 11,"
                                           "  'messages_in': 2, 'messages_out': 2 }");
  g_autoptr(JsonNode) other = parse_json ("{ 'id': 'other', 'bytes_in': 99 }");
  g_autoptr(JsonNode) wrong = parse_json ("{ 'id': '4f2c', 'bytes_in': 30, 'bytes_out': 'many' }");
  g_autoptr(JsonNode) negative = parse_json ("{ 'id': '4f2c', 'bytes_in': -1 }");
  guint n_bytes_in = 0, n_bytes_out = 0, n_changed = 0, n_state = 0;

  g_assert_no_error (error);
  g_signal_connect (session, "notify::bytes-in", G_CALLBACK (count_signal), &n_bytes_in);
  g_signal_connect (session, "notify::bytes-out", G_CALLBACK (count_signal), &n_bytes_out);
  g_signal_connect (session, "notify::state", G_CALLBACK (count_signal), &n_state);
  g_signal_connect (session, "changed", G_CALLBACK (count_changed), &n_changed);

  g_assert_true (gh_api_session_update_from_json (session, update, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gh_api_session_get_bytes_in (session), ==, 20);
  g_assert_cmpint (gh_api_session_get_messages_in (session), ==, 2);
  g_assert_cmpuint (n_bytes_in, ==, 1);
  g_assert_cmpuint (n_bytes_out, ==, 0);   /* unchanged: no notify */
  g_assert_cmpuint (n_state, ==, 0);
  g_assert_cmpuint (n_changed, ==, 1);

  /* The same again changes nothing. */
  g_assert_true (gh_api_session_update_from_json (session, update, &error));
  g_assert_cmpuint (n_bytes_in, ==, 1);
  g_assert_cmpuint (n_changed, ==, 1);

  /* Another session's update, a wrong type, a negative counter: refused, nothing changes. */
  g_assert_false (gh_api_session_update_from_json (session, other, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (gh_api_session_update_from_json (session, wrong, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (gh_api_session_update_from_json (session, negative, &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_cmpint (gh_api_session_get_bytes_in (session), ==, 20);
  g_assert_cmpuint (n_changed, ==, 1);

  gh_api_session_set_counters (session, 20, 30, 2, 3);
  g_assert_cmpuint (n_bytes_out, ==, 1);
  g_assert_cmpuint (n_changed, ==, 2);

  gh_api_session_set_state (session, "closed");
  gh_api_session_set_close_reason (session, "closed by CN=gatehouse-admin");
  g_assert_cmpuint (n_state, ==, 1);
  g_assert_cmpuint (n_changed, ==, 4);
  g_assert_cmpstr (gh_api_session_get_close_reason (session), ==, "closed by CN=gatehouse-admin");
}

static void
test_session_page (void)
{
  g_autoptr(JsonNode) root = parse_json (session_page_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSessionPage) page = gh_api_session_page_new_from_json (root, &error);
  g_autoptr(JsonNode) last = parse_json ("{ 'sessions': [], 'next_cursor': null, 'total': 0 }");
  g_autoptr(GhApiSessionPage) last_page = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_session_page_get_sessions (page)), ==, 2);
  g_assert_cmpstr (gh_api_session_page_get_next_cursor (page), ==, "c2");
  g_assert_cmpint (gh_api_session_page_get_total (page), ==, 5);

  last_page = gh_api_session_page_new_from_json (last, &error);
  g_assert_no_error (error);
  g_assert_null (gh_api_session_page_get_next_cursor (last_page));
}

static void
test_audit_entry (void)
{
  g_autoptr(JsonNode) root = parse_json (audit_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiAuditEntry) entry = gh_api_audit_entry_new_from_json (root, &error);
  g_autoptr(JsonNode) bad_status = parse_json ("{ 'time': null, 'method': 'GET', 'path': '/', 'status': 9000 }");
  g_autoptr(GhApiAuditEntry) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_audit_entry_get_subject (entry), ==, "CN=gatehouse-admin");
  g_assert_cmpstr (gh_api_audit_entry_get_method (entry), ==, "PUT");
  g_assert_cmpstr (gh_api_audit_entry_get_path (entry), ==, "/api/v1/config");
  g_assert_cmpstr (gh_api_audit_entry_get_action (entry), ==, "config.put");
  g_assert_cmpuint (gh_api_audit_entry_get_status (entry), ==, 200);
  g_assert_null (gh_api_audit_entry_get_detail (entry));
  g_assert_nonnull (gh_api_audit_entry_get_time (entry));

  bad = gh_api_audit_entry_new_from_json (bad_status, &error);
  g_assert_null (bad);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
}

static void
test_keystore_entry (void)
{
  g_autoptr(JsonNode) root = parse_json (keystore_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = gh_api_keystore_entry_new_from_json (root, &error);
  g_autoptr(JsonNode) truststore = parse_json (truststore_json);
  g_autoptr(GhApiTruststoreEntry) trusted = NULL;
  g_autoptr(JsonNode) bad_kind = parse_json ("{ 'alias': 'a', 'kind': 'secret', 'chain': [] }");
  g_autoptr(JsonNode) bad_pem = parse_json ("{ 'alias': 'a', 'kind': 'key', 'chain': [ { 'pem': 'not PEM' } ] }");
  g_autoptr(JsonNode) no_pem = parse_json ("{ 'alias': 'a', 'kind': 'key', 'chain': [ { 'subject': 'CN=a' } ] }");
  GhApiKeystoreEntry *bad;

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_keystore_entry_get_alias (entry), ==, "gateway");
  g_assert_cmpint (gh_api_keystore_entry_get_kind (entry), ==, GH_API_KEYSTORE_ENTRY_KEY);
  g_assert_cmpuint (gh_api_keystore_entry_get_chain (entry)->len, ==, 2);
  /* Computed from the PEM, not taken from the summary members. */
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (entry)), ==,
                   certificate_sha256);
  g_assert_cmpstr (gh_certificate_get_subject (gh_api_keystore_entry_get_certificate (entry)), ==,
                   "CN=API Test CA");

  trusted = gh_api_truststore_entry_new_from_json (truststore, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_truststore_entry_get_alias (trusted), ==, "backend-ca");
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_api_truststore_entry_get_certificate (trusted)), ==,
                   certificate_sha256);

  bad = gh_api_keystore_entry_new_from_json (bad_kind, &error);
  g_assert_null (bad);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  bad = gh_api_keystore_entry_new_from_json (bad_pem, &error);
  g_assert_null (bad);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  bad = gh_api_keystore_entry_new_from_json (no_pem, &error);
  g_assert_null (bad);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
}

static void
test_config_version (void)
{
  g_autoptr(JsonNode) root = parse_json (version_json);
  g_autoptr(JsonNode) with_object = parse_json ("{ 'version': 3, 'identity': { 'subject': 'CN=x', 'role': 'admin' } }");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiConfigVersion) version = gh_api_config_version_new_from_json (root, &error);
  g_autoptr(GhApiConfigVersion) version2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gh_api_config_version_get_version (version), ==, 7);
  g_assert_cmpstr (gh_api_config_version_get_identity (version), ==, "CN=gatehouse-admin");
  g_assert_cmpstr (gh_api_config_version_get_action (version), ==, "config.put");

  version2 = gh_api_config_version_new_from_json (with_object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_config_version_get_identity (version2), ==, "CN=x");
}

/* What gatehoused writes (gh_api_*_fields_to_json) is what the client reads back,
 * member for member: the two sides share one description of each wire type. */
static void
test_session_round_trip (void)
{
  /* 2026-11-26T22:30:01.123456Z */
  const gint64 started = G_GINT64_CONSTANT (1795732201123456);
  GhApiSessionFields fields = {
    .id = "4f2c", .service = "echo", .client = "127.0.0.1:51234", .state = "open",
    .started = started, .tls_protocol = "TLS1.3", .tls_cipher = "AES-256-GCM",
    .tls_server_name = "localhost", .tls_alpn = "http/1.1", .tls_client_subject = "CN=client",
    .backend = "127.0.0.1:9001", .backend_tls = "TLS1.3 verified",
    .bytes_in = 10, .bytes_out = 11, .messages_in = 1, .messages_out = 2,
    .close_reason = NULL,
  };
  GhApiSessionFields plain = { .id = "5a5a", .service = "raw", .state = "closed", .started = started,
                               .close_reason = "closed by the client" };
  g_autoptr(JsonNode) node = gh_api_session_fields_to_json (&fields);
  g_autoptr(JsonNode) plain_node = gh_api_session_fields_to_json (&plain);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) update = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSession) session = gh_api_session_new_from_json (node, &error);
  g_autoptr(GhApiSession) plain_session = NULL;
  g_autofree char *started_text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_id (session), ==, "4f2c");
  g_assert_cmpstr (gh_api_session_get_service (session), ==, "echo");
  g_assert_cmpstr (gh_api_session_get_client (session), ==, "127.0.0.1:51234");
  g_assert_cmpstr (gh_api_session_get_state (session), ==, "open");
  g_assert_cmpint (g_date_time_to_unix_usec (gh_api_session_get_started (session)), ==, started);
  g_assert_cmpstr (gh_api_session_get_tls_protocol (session), ==, "TLS1.3");
  g_assert_cmpstr (gh_api_session_get_tls_cipher (session), ==, "AES-256-GCM");
  g_assert_cmpstr (gh_api_session_get_tls_server_name (session), ==, "localhost");
  g_assert_cmpstr (gh_api_session_get_tls_alpn (session), ==, "http/1.1");
  g_assert_cmpstr (gh_api_session_get_tls_client_subject (session), ==, "CN=client");
  g_assert_cmpstr (gh_api_session_get_backend (session), ==, "127.0.0.1:9001");
  g_assert_cmpstr (gh_api_session_get_backend_tls (session), ==, "TLS1.3 verified");
  g_assert_cmpint (gh_api_session_get_bytes_in (session), ==, 10);
  g_assert_cmpint (gh_api_session_get_bytes_out (session), ==, 11);
  g_assert_cmpint (gh_api_session_get_messages_in (session), ==, 1);
  g_assert_cmpint (gh_api_session_get_messages_out (session), ==, 2);
  g_assert_null (gh_api_session_get_close_reason (session));

  /* The time as every body writes it: UTC, with microseconds. */
  started_text = g_strdup (json_object_get_string_member (json_node_get_object (node), "started"));
  g_assert_cmpstr (started_text, ==, "2026-11-26T22:30:01.123456Z");

  /* A plain session: "tls" is null, and nothing of it is read back. */
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (plain_node), "tls")));
  plain_session = gh_api_session_new_from_json (plain_node, &error);
  g_assert_no_error (error);
  g_assert_null (gh_api_session_get_tls_protocol (plain_session));
  g_assert_null (gh_api_session_get_client (plain_session));
  g_assert_cmpstr (gh_api_session_get_close_reason (plain_session), ==, "closed by the client");

  /* session.updated: the entry the gateway writes applies to the session. */
  fields.state = "closing";
  fields.bytes_in = 100;
  fields.messages_out = 7;
  json_builder_begin_array (builder);
  gh_api_session_fields_add_update (&fields, builder);
  json_builder_end_array (builder);
  update = json_builder_get_root (builder);
  g_assert_true (gh_api_session_update_from_json (session, json_array_get_element (json_node_get_array (update), 0),
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_state (session), ==, "closing");
  g_assert_cmpint (gh_api_session_get_bytes_in (session), ==, 100);
  g_assert_cmpint (gh_api_session_get_bytes_out (session), ==, 11);
  g_assert_cmpint (gh_api_session_get_messages_out (session), ==, 7);

  /* A back-end that connected after session.opened reaches the session by an update. */
  g_clear_pointer (&update, json_node_unref);
  g_clear_object (&builder);
  builder = json_builder_new ();
  fields.backend = "10.1.0.9:9443";
  fields.backend_tls = "TLS1.2 verified";
  json_builder_begin_array (builder);
  gh_api_session_fields_add_update (&fields, builder);
  json_builder_end_array (builder);
  update = json_builder_get_root (builder);
  g_assert_true (gh_api_session_update_from_json (session, json_array_get_element (json_node_get_array (update), 0),
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_backend (session), ==, "10.1.0.9:9443");
  g_assert_cmpstr (gh_api_session_get_backend_tls (session), ==, "TLS1.2 verified");
}

static void
test_stats_round_trip (void)
{
  const GhApiServiceStatsFields services[] = {
    { .name = "echo", .state = "started", .sessions_open = 3, .sessions_total = 40 },
    { .name = "backend", .state = "stopped", .sessions_open = 0, .sessions_total = 2 },
  };
  const GhApiStatsFields fields = {
    .time = G_GINT64_CONSTANT (1795732201000000), .uptime = 3600,
    .sessions_open = 3, .sessions_total = 42, .bytes_in = 1000, .bytes_out = 2000,
    .messages_in = 10, .messages_out = 20, .services = services, .n_services = G_N_ELEMENTS (services),
  };
  const GhApiStatsFields empty = { .time = G_GINT64_CONSTANT (1795732201000000) };
  g_autoptr(JsonNode) node = gh_api_stats_fields_to_json (&fields);
  g_autoptr(JsonNode) empty_node = gh_api_stats_fields_to_json (&empty);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiStats) stats = gh_api_stats_new_from_json (node, &error);
  g_autoptr(GhApiStats) empty_stats = NULL;
  GhApiServiceStats *backend;

  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix_usec (gh_api_stats_get_time (stats)), ==, fields.time);
  g_assert_cmpint (gh_api_stats_get_uptime (stats), ==, 3600);
  g_assert_cmpint (gh_api_stats_get_sessions_open (stats), ==, 3);
  g_assert_cmpint (gh_api_stats_get_sessions_total (stats), ==, 42);
  g_assert_cmpint (gh_api_stats_get_bytes_in (stats), ==, 1000);
  g_assert_cmpint (gh_api_stats_get_bytes_out (stats), ==, 2000);
  g_assert_cmpint (gh_api_stats_get_messages_in (stats), ==, 10);
  g_assert_cmpint (gh_api_stats_get_messages_out (stats), ==, 20);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_stats_get_services (stats)), ==, 2);
  backend = gh_api_stats_lookup_service (stats, "backend");
  g_assert_nonnull (backend);
  g_assert_cmpstr (gh_api_service_stats_get_state (backend), ==, "stopped");
  g_assert_cmpint (gh_api_service_stats_get_sessions_open (backend), ==, 0);
  g_assert_cmpint (gh_api_service_stats_get_sessions_total (backend), ==, 2);

  empty_stats = gh_api_stats_new_from_json (empty_node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_stats_get_services (empty_stats)), ==, 0);
}

static void
test_config_version_round_trip (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc_usec (G_GINT64_CONSTANT (1795732201123456));
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_ptr_array_add (versions, gh_api_config_version_new (8, time, "CN=gatehouse-admin", "config.put"));
  g_ptr_array_add (versions, gh_api_config_version_new (7, NULL, NULL, NULL));
  list = gh_api_config_versions_to_json (8, versions);

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (list), "current"), ==, 8);
  array = json_object_get_array_member (json_node_get_object (list), "versions");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  for (guint i = 0; i < versions->len; i++)
    {
      GhApiConfigVersion *written = g_ptr_array_index (versions, i);
      g_autoptr(GhApiConfigVersion) read = gh_api_config_version_new_from_json (json_array_get_element (array, i),
                                                                                &error);
      g_autoptr(JsonNode) single = gh_api_config_version_to_json (written);
      g_autoptr(GhApiConfigVersion) read_single = gh_api_config_version_new_from_json (single, &error);

      g_assert_no_error (error);
      g_assert_cmpint (gh_api_config_version_get_version (read), ==, gh_api_config_version_get_version (written));
      g_assert_cmpstr (gh_api_config_version_get_identity (read), ==, gh_api_config_version_get_identity (written));
      g_assert_cmpstr (gh_api_config_version_get_action (read), ==, gh_api_config_version_get_action (written));
      g_assert_true ((gh_api_config_version_get_time (read) == NULL) == (gh_api_config_version_get_time (written) == NULL));
      if (gh_api_config_version_get_time (written) != NULL)
        g_assert_true (g_date_time_equal (gh_api_config_version_get_time (read), gh_api_config_version_get_time (written)));
      g_assert_cmpint (gh_api_config_version_get_version (read_single), ==, gh_api_config_version_get_version (written));
    }
}

/* The probe's session side (#15): every member, and none from an older gateway. */
static void
test_backend_probe (void)
{
  g_autoptr(JsonNode) root = parse_json (
    "{ 'accept': [], 'connect': { 'uri': 'wss://127.0.0.1:9001/', 'verify': true,"
    "  'probe': { 'ok': false, 'error': 'e', 'chain': null, 'connected': false,"
    "             'verdict': 'refused: back-end wss://127.0.0.1:9001: e', 'step': 'TLS handshake',"
    "             'address': 'wss://127.0.0.1:9001', 'server_name': null, 'verify_name': '127.0.0.1',"
    "             'protocol': null, 'cipher': null, 'backend_tls': null,"
    "             'certificates': [ { 'subject': 'CN=x', 'pem': '@PEM@' } ], 'certificates_truncated': true,"
    "             'certificate_requested': true,"
    "             'client_certificate': { 'alias': 'gateway', 'requested': true, 'presented': false,"
    "                                     'chain': { 'trusted': true, 'severity': 'info', 'links': [] } } } } }");
  g_autoptr(JsonNode) older = parse_json (
    "{ 'accept': [], 'connect': { 'uri': 'ssl://b:1', 'verify': true,"
    "  'probe': { 'ok': true, 'error': null, 'chain': null } } }");
  g_autoptr(JsonNode) wrong = parse_json (
    "{ 'accept': [], 'connect': { 'uri': 'ssl://b:1', 'verify': true,"
    "  'probe': { 'ok': true, 'error': null, 'chain': null, 'client_certificate': { 'presented': true } } } }");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiServiceTls) tls = gh_api_service_tls_new_from_json (root, &error);
  g_autoptr(GhApiServiceTls) old_tls = NULL;
  g_autoptr(GhApiServiceTls) wrong_tls = NULL;
  GhApiBackendProbe *probe;

  g_assert_no_error (error);
  probe = gh_api_tls_connect_get_probe (gh_api_service_tls_get_connect (tls));
  g_assert_nonnull (probe);
  g_assert_false (gh_api_backend_probe_get_connected (probe));
  g_assert_cmpstr (gh_api_backend_probe_get_verdict (probe), ==, "refused: back-end wss://127.0.0.1:9001: e");
  g_assert_cmpstr (gh_api_backend_probe_get_step (probe), ==, "TLS handshake");
  g_assert_cmpstr (gh_api_backend_probe_get_address (probe), ==, "wss://127.0.0.1:9001");
  g_assert_null (gh_api_backend_probe_get_server_name (probe));
  g_assert_cmpstr (gh_api_backend_probe_get_verify_name (probe), ==, "127.0.0.1");
  g_assert_null (gh_api_backend_probe_get_backend_tls (probe));
  g_assert_cmpstr (gh_api_backend_probe_get_client_certificate_alias (probe), ==, "gateway");
  g_assert_true (gh_api_backend_probe_get_client_certificate_requested (probe));
  g_assert_false (gh_api_backend_probe_get_client_certificate_presented (probe));
  g_assert_true (gh_api_trust_chain_get_trusted (gh_api_backend_probe_get_client_certificate_chain (probe)));
  /* The chain the back-end sent, whole (here the first of it). */
  g_assert_cmpuint (gh_api_backend_probe_get_certificates (probe)->len, ==, 1);
  g_assert_nonnull (gh_certificate_get_der (g_ptr_array_index (gh_api_backend_probe_get_certificates (probe), 0)));
  g_assert_true (gh_api_backend_probe_get_certificates_truncated (probe));
  g_assert_true (gh_api_backend_probe_get_certificate_requested (probe));

  old_tls = gh_api_service_tls_new_from_json (older, &error);
  g_assert_no_error (error);
  probe = gh_api_tls_connect_get_probe (gh_api_service_tls_get_connect (old_tls));
  g_assert_false (gh_api_backend_probe_get_connected (probe));
  g_assert_null (gh_api_backend_probe_get_verdict (probe));
  g_assert_null (gh_api_backend_probe_get_client_certificate_alias (probe));
  g_assert_cmpuint (gh_api_backend_probe_get_certificates (probe)->len, ==, 0);
  g_assert_false (gh_api_backend_probe_get_certificates_truncated (probe));
  g_assert_false (gh_api_backend_probe_get_certificate_requested (probe));

  wrong_tls = gh_api_service_tls_new_from_json (wrong, &error);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_assert_null (wrong_tls);
}

static void
test_service_tls (void)
{
  g_autoptr(JsonNode) root = parse_json (service_tls_json);
  g_autoptr(JsonNode) no_connect = parse_json ("{ 'accept': [], 'connect': null }");
  g_autoptr(JsonNode) no_probe = parse_json ("{ 'accept': [], 'connect': { 'uri': 'tcp://b:1', 'verify': true, 'probe': null } }");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiServiceTls) tls = gh_api_service_tls_new_from_json (root, &error);
  g_autoptr(GhApiServiceTls) plain = NULL;
  g_autoptr(GhApiServiceTls) unprobed = NULL;
  g_autoptr(GhApiTlsAccept) accept = NULL;
  g_autoptr(GhApiTlsAccept) plain_accept = NULL;
  g_autoptr(GhApiFinding) finding = NULL;
  g_autoptr(GhApiFinding) probe_finding = NULL;
  g_autoptr(GhApiTrustLink) leaf = NULL;
  g_autoptr(GhApiTrustLink) anchor = NULL;
  GhApiTrustChain *chain;
  GhApiTlsConnect *connect;
  GhFindingKind kind;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_service_tls_get_accepts (tls)), ==, 2);
  accept = g_list_model_get_item (gh_api_service_tls_get_accepts (tls), 0);
  g_assert_cmpstr (gh_api_tls_accept_get_uri (accept), ==, "wss://localhost:8443/echo");
  g_assert_cmpstr (gh_api_tls_accept_get_alias (accept), ==, "gateway");
  g_assert_true (gh_api_tls_accept_get_secure (accept));
  g_assert_true (gh_api_tls_accept_get_trusted (accept));
  chain = gh_api_tls_accept_get_chain (accept);
  g_assert_nonnull (chain);
  g_assert_cmpint (gh_api_trust_chain_get_severity (chain), ==, GH_SEVERITY_WARNING);
  g_assert_cmpstr (gh_api_trust_chain_get_hostname (chain), ==, "localhost");
  g_assert_cmpstr (gh_api_trust_chain_get_purpose (chain), ==, "server");
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_trust_chain_get_links (chain)), ==, 2);
  leaf = g_list_model_get_item (gh_api_trust_chain_get_links (chain), 0);
  g_assert_cmpint (gh_api_trust_link_get_role (leaf), ==, GH_TRUST_LINK_LEAF);
  g_assert_cmpstr (gh_api_trust_link_get_subject (leaf), ==, "CN=localhost");
  g_assert_cmpstr (gh_api_trust_link_get_sha256_fingerprint (leaf), ==, "AB");
  g_assert_cmpint (g_date_time_get_year (gh_api_trust_link_get_not_after (leaf)), ==, 2027);
  anchor = g_list_model_get_item (gh_api_trust_chain_get_links (chain), 1);
  g_assert_cmpint (gh_api_trust_link_get_role (anchor), ==, GH_TRUST_LINK_ANCHOR);
  g_assert_null (gh_api_trust_link_get_issuer (anchor));

  g_assert_cmpuint (g_list_model_get_n_items (gh_api_tls_accept_get_findings (accept)), ==, 1);
  finding = g_list_model_get_item (gh_api_tls_accept_get_findings (accept), 0);
  g_assert_true (gh_api_finding_get_kind (finding, &kind));
  g_assert_cmpint (kind, ==, GH_FINDING_EXPIRES_SOON);
  g_assert_cmpint (gh_api_finding_get_severity (finding), ==, GH_SEVERITY_WARNING);
  g_assert_cmpstr (gh_api_finding_get_fix (finding), ==, "f");
  g_assert_cmpuint (gh_api_finding_get_depth (finding), ==, 0);

  plain_accept = g_list_model_get_item (gh_api_service_tls_get_accepts (tls), 1);
  g_assert_false (gh_api_tls_accept_get_secure (plain_accept));
  g_assert_null (gh_api_tls_accept_get_chain (plain_accept));
  g_assert_false (gh_api_tls_accept_get_trusted (plain_accept));
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_tls_accept_get_findings (plain_accept)), ==, 0);

  connect = gh_api_service_tls_get_connect (tls);
  g_assert_nonnull (connect);
  g_assert_cmpstr (gh_api_tls_connect_get_uri (connect), ==, "ssl://backend:9443");
  g_assert_true (gh_api_tls_connect_get_verify (connect));
  g_assert_true (gh_api_tls_connect_has_probe (connect));
  g_assert_false (gh_api_tls_connect_get_probe_ok (connect));
  g_assert_cmpstr (gh_api_tls_connect_get_probe_error (connect), ==, "refused");
  g_assert_false (gh_api_trust_chain_get_trusted (gh_api_tls_connect_get_probe_chain (connect)));
  probe_finding = g_list_model_get_item (gh_api_tls_connect_get_probe_findings (connect), 0);
  g_assert_true (gh_api_finding_get_kind (probe_finding, &kind));
  g_assert_cmpint (kind, ==, GH_FINDING_HOST_MISMATCH);
  g_assert_cmpint (gh_api_finding_get_severity (probe_finding), ==, GH_SEVERITY_ERROR);
  g_assert_cmpuint (gh_api_finding_get_depth (probe_finding), ==, 1);   /* the intermediate's */

  plain = gh_api_service_tls_new_from_json (no_connect, &error);
  g_assert_no_error (error);
  g_assert_null (gh_api_service_tls_get_connect (plain));

  unprobed = gh_api_service_tls_new_from_json (no_probe, &error);
  g_assert_no_error (error);
  g_assert_false (gh_api_tls_connect_has_probe (gh_api_service_tls_get_connect (unprobed)));
  g_assert_null (gh_api_tls_connect_get_probe_chain (gh_api_service_tls_get_connect (unprobed)));
  g_assert_cmpuint (g_list_model_get_n_items (gh_api_tls_connect_get_probe_findings (gh_api_service_tls_get_connect (unprobed))), ==, 0);
}

static void
test_error_codes (void)
{
  GhApiError code;

  g_assert_true (gh_api_error_code_from_string ("https://gatehouse.invalid/problems/config-invalid", &code));
  g_assert_cmpint (code, ==, GH_API_ERROR_CONFIG_INVALID);
  g_assert_true (gh_api_error_code_from_string ("not-an-identity", &code));
  g_assert_cmpint (code, ==, GH_API_ERROR_NOT_AN_IDENTITY);
  g_assert_true (gh_api_error_code_from_string ("https://gatehouse.invalid/problems/precondition-failed", &code));
  g_assert_cmpint (code, ==, GH_API_ERROR_PRECONDITION_FAILED);
  g_assert_false (gh_api_error_code_from_string ("https://gatehouse.invalid/problems/teapot", &code));
  g_assert_cmpint (code, ==, GH_API_ERROR_FAILED);
  /* The client's own codes are not problem types. */
  g_assert_false (gh_api_error_code_from_string ("pin-mismatch", &code));
  g_assert_false (gh_api_error_code_from_string (NULL, &code));

  for (GhApiError c = GH_API_ERROR_FAILED; c <= GH_API_ERROR_PROTOCOL; c++)
    {
      const char *name = gh_api_error_code_to_string (c);

      g_assert_nonnull (name);
      if (c != GH_API_ERROR_FAILED && c < GH_API_ERROR_PIN_MISMATCH)
        {
          g_assert_true (gh_api_error_code_from_string (name, &code));
          g_assert_cmpint (code, ==, c);
        }
    }
}

static void
test_error_problems (void)
{
  g_autoptr(JsonNode) root = parse_json ("[ { 'path': 'services[1].connect', 'message': 'the scheme is wrong',"
                                         "    'code': 'invalid', 'service': 'backend' },"
                                         "  { 'path': 'admin', 'message': 'needs a keystore', 'code': 'needs-keystore' },"
                                         "  { 'path': null, 'message': 'something' } ]");
  g_autoptr(JsonNode) bad = parse_json ("[ { 'path': 'x' } ]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) problems = _gh_api_problems_from_array (json_node_get_array (root), &error);
  g_autoptr(GError) api_error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GhConfigProblem) first = NULL;
  g_autoptr(GhConfigProblem) second = NULL;
  g_autoptr(GListModel) none = NULL;
  GListModel *attached;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 3);

  api_error = _gh_api_error_new_problem (GH_API_ERROR_CONFIG_INVALID, 422, "services[1].connect: wrong",
                                         problems, 0);
  g_assert_error (api_error, GH_API_ERROR, GH_API_ERROR_CONFIG_INVALID);
  g_assert_cmpstr (api_error->message, ==, "services[1].connect: wrong");
  g_assert_cmpuint (gh_api_error_get_status (api_error), ==, 422);

  /* Copies share the list. */
  copy = g_error_copy (api_error);
  attached = gh_api_error_get_problems (copy);
  g_assert_nonnull (attached);
  g_assert_cmpuint (g_list_model_get_n_items (attached), ==, 3);
  first = g_list_model_get_item (attached, 0);
  g_assert_cmpstr (gh_config_problem_get_path (first), ==, "services[1].connect");
  g_assert_cmpstr (gh_config_problem_get_message (first), ==, "the scheme is wrong");
  g_assert_cmpstr (gh_config_problem_get_service (first), ==, "backend");
  g_assert_cmpint (gh_config_problem_get_code (first), ==, GH_CONFIG_ERROR_INVALID);
  second = g_list_model_get_item (attached, 1);
  g_assert_cmpint (gh_config_problem_get_code (second), ==, GH_CONFIG_ERROR_NEEDS_KEYSTORE);

  /* Not a problem of the API: no list. */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
    g_autoptr(GError) precondition = _gh_api_error_new_problem (GH_API_ERROR_PRECONDITION_FAILED, 412, "stale", NULL, 9);

    g_assert_null (gh_api_error_get_problems (other));
    g_assert_cmpuint (gh_api_error_get_status (other), ==, 0);
    g_assert_null (gh_api_error_get_problems (precondition));
    g_assert_cmpint (gh_api_error_get_current_version (precondition), ==, 9);
  }

  none = _gh_api_problems_from_array (json_node_get_array (bad), &error);
  g_assert_null (none);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
}

static void
test_fingerprints (void)
{
  const char *upper = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  g_autofree char *a = gh_api_fingerprint_normalize ("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  g_autofree char *b = gh_api_fingerprint_normalize (upper);
  g_autofree char *c = gh_api_fingerprint_normalize ("ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89");
  g_autofree char *short_one = gh_api_fingerprint_normalize ("abcd");
  g_autofree char *long_one = gh_api_fingerprint_normalize ("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678900");
  g_autofree char *not_hex = gh_api_fingerprint_normalize ("zbcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  g_autoptr(GhAdminClient) client = NULL;

  g_assert_cmpstr (a, ==, upper);
  g_assert_cmpstr (b, ==, upper);
  g_assert_cmpstr (c, ==, upper);
  g_assert_null (short_one);
  g_assert_null (long_one);
  g_assert_null (not_hex);
  g_assert_null (gh_api_fingerprint_normalize (NULL));

  client = gh_admin_client_new ("https://127.0.0.1:9443/api/v1/", NULL, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  g_assert_cmpstr (gh_admin_client_get_base_url (client), ==, "https://127.0.0.1:9443");
  g_assert_cmpstr (gh_admin_client_get_pinned_sha256 (client), ==, upper);
}

static void
test_identity_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) missing = gh_admin_client_load_identity ("/nonexistent/gatehouse-admin.p12", "x", &error);
  g_autofree char *path = NULL;
  g_autoptr(GTlsCertificate) not_p12 = NULL;

  g_assert_null (missing);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_IDENTITY);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  path = g_build_filename (g_getenv ("GATEHOUSE_SOURCE_ROOT") ? g_getenv ("GATEHOUSE_SOURCE_ROOT") : ".",
                           "tests", "unit", "test-api-types.c", NULL);
  not_p12 = gh_admin_client_load_identity (path, "x", &error);
  g_assert_null (not_p12);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_IDENTITY);
  g_assert_null (strstr (error->message, "does not exist"));
}


static gboolean
feed (GhEventStream *stream,
      const char    *text,
      GError       **error)
{
  g_autoptr(GString) json = g_string_new (text);

  g_string_replace (json, "'", "\"", 0);
  return _gh_event_stream_handle_text (stream, json->str, json->len, error);
}

static void
on_event (GhEventStream *stream,
          const char    *type,
          JsonNode      *data,
          GPtrArray     *types)
{
  g_ptr_array_add (types, g_strdup (type));
}

static void
test_event_stream_model (void)
{
  g_autoptr(GhAdminClient) client = gh_admin_client_new ("https://127.0.0.1:1", NULL, NULL);
  g_autoptr(GhEventStream) stream = gh_event_stream_new (client);
  GListModel *sessions = gh_event_stream_get_sessions (stream);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiSession) a = NULL;
  GhApiSession *kept;

  g_signal_connect (stream, "event", G_CALLBACK (on_event), types);

  g_assert_true (feed (stream, "{'v':1,'type':'hello','seq':1,'ts':'2026-11-26T22:30:01Z','data':{'config_version':3}}", &error));
  g_assert_cmpint (gh_event_stream_get_config_version (stream), ==, 3);

  /* Session events before the snapshot change nothing: the snapshot decides. */
  g_assert_true (feed (stream, "{'v':1,'type':'session.opened','seq':2,'data':{'id':'x','service':'echo','state':'open'}}", &error));
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 0);

  g_assert_true (feed (stream, "{'v':1,'type':'snapshot','seq':3,'data':{'config_version':4,'sessions':["
                               "{'id':'a','service':'echo','state':'open'},{'id':'b','service':'echo','state':'open'}],"
                               "'stats':{'sessions_open':2,'sessions_total':2,'bytes_in':0,'bytes_out':0,"
                               "'messages_in':0,'messages_out':0}}}", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 2);
  g_assert_cmpuint (gh_event_stream_get_n_synchronizations (stream), ==, 1);
  g_assert_cmpint (gh_event_stream_get_config_version (stream), ==, 4);
  g_assert_nonnull (gh_event_stream_get_stats (stream));
  a = g_list_model_get_item (sessions, 0);

  /* Opened, updated in place, closed. */
  g_assert_true (feed (stream, "{'v':1,'type':'session.opened','seq':4,'data':{'id':'c','service':'echo','state':'open'}}", &error));
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 3);
  g_assert_true (feed (stream, "{'v':1,'type':'session.updated','seq':5,'data':{'sessions':["
                               "{'id':'a','state':'open','bytes_in':5,'bytes_out':5,'messages_in':1,'messages_out':1},"
                               "{'id':'gone','bytes_in':1}]}}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (gh_api_session_get_bytes_in (a), ==, 5);
  g_assert_true (feed (stream, "{'v':1,'type':'session.closed','seq':6,'data':{'id':'b','reason':'client closed'}}", &error));
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 2);
  g_assert_null (gh_event_stream_lookup_session (stream, "b"));

  /* Other events are signalled, and stats ticks kept. */
  g_assert_true (feed (stream, "{'v':1,'type':'config.changed','seq':7,'data':{'version':5,'identity':'CN=x','action':'config.put'}}", &error));
  g_assert_true (feed (stream, "{'v':1,'type':'cert.expiring','seq':8,'data':{'alias':'gateway','not_after':'2026-12-01T00:00:00Z','days_left':5}}", &error));
  g_assert_cmpuint (types->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (types, 0), ==, "config.changed");
  g_assert_cmpstr (g_ptr_array_index (types, 1), ==, "cert.expiring");
  g_assert_cmpint (gh_event_stream_get_config_version (stream), ==, 5);

  gh_event_stream_set_history_size (stream, 2);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *tick = g_strdup_printf ("{'v':1,'type':'stats.tick','seq':%u,'data':{'sessions_open':%u,"
                                               "'sessions_total':9,'bytes_in':0,'bytes_out':0,'messages_in':0,"
                                               "'messages_out':0,'services':[]}}", 9 + i, i);

      g_assert_true (feed (stream, tick, &error));
    }
  g_assert_cmpuint (g_list_model_get_n_items (gh_event_stream_get_stats_history (stream)), ==, 2);
  {
    g_autoptr(GhApiStats) oldest = g_list_model_get_item (gh_event_stream_get_stats_history (stream), 0);

    g_assert_cmpint (gh_api_stats_get_sessions_open (oldest), ==, 1);
  }

  /* resync_required: session events wait for the next snapshot, which is exact. */
  g_assert_true (feed (stream, "{'v':1,'type':'resync_required','seq':12,'data':{'reason':'slow'}}", &error));
  g_assert_true (feed (stream, "{'v':1,'type':'session.opened','seq':13,'data':{'id':'d','service':'echo','state':'open'}}", &error));
  g_assert_null (gh_event_stream_lookup_session (stream, "d"));
  g_assert_true (feed (stream, "{'v':1,'type':'snapshot','seq':14,'data':{'sessions':["
                               "{'id':'d','service':'echo','state':'open'},{'id':'a','service':'echo','state':'open','bytes_in':7}]}}",
                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 2);
  g_assert_null (gh_event_stream_lookup_session (stream, "c"));
  kept = gh_event_stream_lookup_session (stream, "a");
  g_assert_true (kept == a);   /* the same object, updated in place */
  g_assert_cmpint (gh_api_session_get_bytes_in (a), ==, 7);
  g_assert_cmpuint (gh_event_stream_get_n_synchronizations (stream), ==, 2);

  /* A gap in seq, a wrong version, a wrong type: refused (the stream reconnects). */
  g_assert_false (feed (stream, "{'v':1,'type':'stats.tick','seq':16,'data':{}}", &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (feed (stream, "{'v':2,'type':'hello','seq':15,'data':{}}", &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (feed (stream, "{'v':1,'type':'session.closed','seq':15,'data':{'id':5}}", &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (feed (stream, "not json", &error));
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL);
}

static void
make_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) certificate = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GString) escaped = NULL;

  g_assert_no_error (error);
  certificate = gh_private_key_issue_certificate (key, NULL, NULL, "CN=API Test CA", NULL, 30,
                                                  GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  pem = gh_certificate_to_pem (certificate);
  escaped = g_string_new (pem);
  g_string_replace (escaped, "\n", "\\n", 0);
  certificate_pem = g_string_free (g_steal_pointer (&escaped), FALSE);
  certificate_sha256 = g_strdup (gh_certificate_get_sha256_fingerprint (certificate));
}

static void
on_message (GhEventStream *stream,
            JsonNode      *envelope,
            GPtrArray     *types)
{
  g_ptr_array_add (types, g_strdup (json_object_get_string_member (json_node_get_object (envelope), "type")));
}

static void
test_event_stream_message (void)
{
  g_autoptr(GhAdminClient) client = gh_admin_client_new ("https://127.0.0.1:1", NULL, NULL);
  g_autoptr(GhEventStream) stream = gh_event_stream_new (client);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (stream, "message", G_CALLBACK (on_message), types);

  /* Every envelope of the contract, in order, the model's ones too. */
  g_assert_true (feed (stream, "{'v':1,'type':'hello','seq':1,'data':{'config_version':3}}", &error));
  g_assert_true (feed (stream, "{'v':1,'type':'snapshot','seq':2,'data':{'sessions':[]}}", &error));
  g_assert_true (feed (stream, "{'v':1,'type':'cert.expiring','seq':3,'data':{'alias':'gateway','days_left':5}}", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (types->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (types, 0), ==, "hello");
  g_assert_cmpstr (g_ptr_array_index (types, 1), ==, "snapshot");
  g_assert_cmpstr (g_ptr_array_index (types, 2), ==, "cert.expiring");

  /* Not an envelope, or a skipped seq: not given out. */
  g_assert_false (feed (stream, "{'v':2,'type':'hello','seq':4,'data':{}}", &error));
  g_clear_error (&error);
  g_assert_false (feed (stream, "{'v':1,'type':'stats.tick','seq':9,'data':{}}", &error));
  g_clear_error (&error);
  g_assert_cmpuint (types->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  make_certificate ();

  g_test_add_func ("/api/info", test_info);
  g_test_add_func ("/api/info/wrong-types", test_info_wrong_types);
  g_test_add_func ("/api/stats", test_stats);
  g_test_add_func ("/api/service", test_service);
  g_test_add_func ("/api/session", test_session);
  g_test_add_func ("/api/session/updates", test_session_updates);
  g_test_add_func ("/api/session/page", test_session_page);
  g_test_add_func ("/api/audit-entry", test_audit_entry);
  g_test_add_func ("/api/keystore-entry", test_keystore_entry);
  g_test_add_func ("/api/config-version", test_config_version);
  g_test_add_func ("/api/service-tls", test_service_tls);
  g_test_add_func ("/api/service-tls/backend-probe", test_backend_probe);
  g_test_add_func ("/api/session/round-trip", test_session_round_trip);
  g_test_add_func ("/api/stats/round-trip", test_stats_round_trip);
  g_test_add_func ("/api/config-version/round-trip", test_config_version_round_trip);
  g_test_add_func ("/api/error/codes", test_error_codes);
  g_test_add_func ("/api/error/problems", test_error_problems);
  g_test_add_func ("/api/fingerprints", test_fingerprints);
  g_test_add_func ("/api/identity/errors", test_identity_errors);
  g_test_add_func ("/api/event-stream/model", test_event_stream_model);
  g_test_add_func ("/api/event-stream/message", test_event_stream_message);
  for (guint i = 0; i < G_N_ELEMENTS (type_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/mutations/%s", type_cases[i].name);

      g_test_add_data_func (path, &type_cases[i], test_type_mutations);
    }

  ret = g_test_run ();

  g_free (certificate_pem);
  g_free (certificate_sha256);
  return ret;
}
