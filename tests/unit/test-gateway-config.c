/* test-gateway-config.c — the gateway configuration: the documented example, exact
 * round trips, defaults, every validation rule with a failing example (code, path,
 * service, reason), and the inputs the parser must refuse
 *
 * JSON in this file is written with single quotes, turned into double quotes by
 * json_text(), so that it stays readable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "gh-gateway-config.h"

/* The example of docs/config.md. */
static const char sketch[] =
  "{"
  "  'version': 1,"
  "  'properties': { 'name': 'demo-gateway' },"
  "  'security': {"
  "    'keystore':   { 'file': 'keystore.p12', 'password-file': 'keystore.pw' },"
  "    'truststore': { 'file': 'truststore.pem' }"
  "  },"
  "  'admin': {"
  "    'listen': '127.0.0.1:9443',"
  "    'certificate-alias': 'admin',"
  "    'client-ca': 'admin-ca.pem',"
  "    'identities': [ { 'subject': 'CN=gatehouse-admin', 'role': 'admin' } ]"
  "  },"
  "  'services': ["
  "    { 'name': 'echo', 'type': 'echo', 'accept': ['wss://localhost:8443/echo'] },"
  "    { 'name': 'backend', 'type': 'proxy',"
  "      'accept': ['wss://localhost:8444/backend', 'ssl://localhost:9001'],"
  "      'connect': 'ssl://backend.internal:9443',"
  "      'tls': { 'priority': 'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2', 'verify-client': 'none' },"
  "      'connect-tls': { 'verify': true, 'server-name': null, 'client-certificate-alias': null },"
  "      'limits': { 'max-pending-bytes': 1048576, 'max-message-bytes': 4194304, 'idle-timeout': 300,"
  "                  'max-sessions': 10000 } },"
  "    { 'name': 'files', 'type': 'directory', 'accept': ['https://localhost:8443/files/'], 'directory': 'www' }"
  "  ]"
  "}";

static char *
json_text (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, "'", '"');
  return copy;
}

/* A configuration with a keystore and a truststore around @services, so that only the
 * rule under test can fire. */
static char *
with_services (const char *services)
{
  return g_strdup_printf ("{'version': 1,"
                          " 'security': {'keystore': {'file': 'ks.p12', 'password-file': 'ks.pw'},"
                          "              'truststore': {'file': 'ts.pem'}},"
                          " 'services': [%s]}", services);
}

static GhGatewayConfig *
parse (const char *text)
{
  g_autofree char *data = json_text (text);
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config;

  config = gh_gateway_config_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);

  return config;
}

static void
print_problems (GListModel *problems)
{
  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);
      g_autofree char *text = gh_config_problem_to_string (problem);

      g_test_message ("  %s [%s]", text, gh_config_error_code_to_string (gh_config_problem_get_code (problem)));
    }
}

static void
assert_valid (const char *text)
{
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GListModel) problems = gh_gateway_config_check (config);
  g_autoptr(GError) error = NULL;

  print_problems (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 0);
  g_assert_true (gh_gateway_config_validate (config, &error));
  g_assert_no_error (error);
}

static void
assert_problem_is (GhConfigProblem *problem,
                   GhConfigError    code,
                   const char      *path,
                   const char      *service,
                   const char      *fragment)
{
  g_assert_cmpstr (gh_config_error_code_to_string (gh_config_problem_get_code (problem)), ==,
                   gh_config_error_code_to_string (code));
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, path);
  g_assert_cmpstr (gh_config_problem_get_service (problem), ==, service);
  if (fragment != NULL && strstr (gh_config_problem_get_message (problem), fragment) == NULL)
    g_error ("“%s” is not in “%s”", fragment, gh_config_problem_get_message (problem));
}

/* Parses @text, which must read, and must have exactly one problem, this one. */
static void
assert_one_problem (const char    *text,
                    GhConfigError  code,
                    const char    *path,
                    const char    *service,
                    const char    *fragment)
{
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GListModel) problems = gh_gateway_config_check (config);
  g_autoptr(GhConfigProblem) problem = NULL;
  g_autoptr(GError) error = NULL;

  print_problems (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 1);
  problem = g_list_model_get_item (problems, 0);
  assert_problem_is (problem, code, path, service, fragment);

  /* The same through validate(): the error names the field, the service and why. */
  g_assert_false (gh_gateway_config_validate (config, &error));
  g_assert_error (error, GH_CONFIG_ERROR, (int) code);
  g_assert_cmpstr (gh_config_error_get_path (error), ==, path);
  g_assert_cmpuint (g_list_model_get_n_items (gh_config_error_get_problems (error)), ==, 1);
  if (path != NULL && *path != '\0')
    g_assert_true (g_str_has_prefix (error->message, path));
  if (service != NULL)
    g_assert_nonnull (strstr (error->message, service));
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
}

/* @data must not read; the first problem is this one. */
static void
assert_raw_parse_error (const char    *data,
                        gssize         length,
                        GhConfigError  code,
                        const char    *path,
                        const char    *fragment)
{
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *problems;

  config = gh_gateway_config_new_from_data (data, length, &error);
  g_assert_null (config);
  g_test_message ("  %s", error->message);
  g_assert_error (error, GH_CONFIG_ERROR, (int) code);
  g_assert_cmpstr (gh_config_error_get_path (error), ==, path);
  problems = gh_config_error_get_problems (error);
  g_assert_nonnull (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), >=, 1);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” is not in “%s”", fragment, error->message);
}

/* The same with single quotes for double ones. */
static void
assert_parse_error (const char    *text,
                    gssize         length,
                    GhConfigError  code,
                    const char    *path,
                    const char    *fragment)
{
  g_autofree char *data = json_text (text);

  assert_raw_parse_error (data, length, code, path, fragment);
}

/* The documented example */

/* Two services on one TLS port share its listener: they must agree on tls. */
static void
test_shared_tls_port (void)
{
  static const char differ[] =
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'k.p12', 'password-file': 'k.pw' },"
    "                              'truststore': { 'file': 't.pem' } },"
    "  'services': ["
    "    { 'name': 'a', 'type': 'echo', 'accept': ['wss://localhost:8443/a'] },"
    "    { 'name': 'b', 'type': 'echo', 'accept': ['wss://localhost:8443/b'],"
    "      'tls': { 'verify-client': 'required' } },"
    "    { 'name': 'c', 'type': 'echo', 'accept': ['ssl://0.0.0.0:9001'] },"
    "    { 'name': 'd', 'type': 'echo', 'accept': ['ssl://gw.example.com:9001'],"
    "      'tls': { 'priority': 'SECURE:-VERS-ALL:+VERS-TLS1.3' } } ] }";
  static const char same[] =
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'k.p12', 'password-file': 'k.pw' } },"
    "  'services': ["
    "    { 'name': 'a', 'type': 'echo', 'accept': ['wss://localhost:8443/a'],"
    "      'tls': { 'verify-client': 'none' } },"
    "    { 'name': 'b', 'type': 'echo', 'accept': ['wss://localhost:8443/b'] },"
    "    { 'name': 'c', 'type': 'echo', 'accept': ['ssl://a.example.com:9001'] },"
    "    { 'name': 'd', 'type': 'echo', 'accept': ['ssl://b.example.com:9001'],"
    "      'tls': { 'priority': 'SECURE:-VERS-ALL:+VERS-TLS1.3' } } ] }";
  g_autoptr(GhGatewayConfig) config = parse (differ);
  g_autoptr(GListModel) problems = gh_gateway_config_check (config);
  g_autoptr(GhConfigProblem) first = NULL;
  g_autoptr(GhConfigProblem) second = NULL;

  /* b differs from a on 8443; d from c, whose 0.0.0.0 covers gw.example.com. */
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 2);
  first = g_list_model_get_item (problems, 0);
  second = g_list_model_get_item (problems, 1);
  g_assert_cmpint (gh_config_problem_get_code (first), ==, GH_CONFIG_ERROR_ADDRESS_CONFLICT);
  g_assert_cmpstr (gh_config_problem_get_path (first), ==, "services[1].tls");
  g_assert_nonnull (strstr (gh_config_problem_get_message (first), "services[0].accept[0]"));
  g_assert_cmpstr (gh_config_problem_get_path (second), ==, "services[3].tls");

  /* Defaults written out are the same setup; different hosts by SNI may differ. */
  assert_valid (same);
}

static void
test_sketch (void)
{
  g_autoptr(GhGatewayConfig) config = parse (sketch);
  g_autoptr(GFile) base = g_file_new_for_path ("/etc/gatehouse");
  g_autoptr(GFile) keystore = NULL;
  g_autoptr(GFile) password = NULL;
  g_autoptr(GFile) www = NULL;
  g_autoptr(GSocketConnectable) admin = NULL;
  GhServiceConfig *echo, *backend, *files;
  GPtrArray *uris;
  GUri *uri;

  assert_valid (sketch);
  g_assert_cmpint (gh_gateway_config_get_version (config), ==, 1);
  g_assert_cmpstr (gh_gateway_config_get_name (config), ==, "demo-gateway");
  g_assert_cmpuint (g_list_model_get_n_items (gh_gateway_config_get_services (config)), ==, 3);

  echo = gh_gateway_config_lookup_service (config, "echo");
  backend = gh_gateway_config_lookup_service (config, "backend");
  files = gh_gateway_config_lookup_service (config, "files");
  g_assert_nonnull (echo);
  g_assert_nonnull (backend);
  g_assert_nonnull (files);
  g_assert_null (gh_gateway_config_lookup_service (config, "nothing"));

  g_assert_cmpint (gh_service_config_get_service_type (echo), ==, GH_SERVICE_TYPE_ECHO);
  g_assert_cmpint (gh_service_config_get_service_type (backend), ==, GH_SERVICE_TYPE_PROXY);
  g_assert_cmpint (gh_service_config_get_service_type (files), ==, GH_SERVICE_TYPE_DIRECTORY);
  g_assert_cmpstr (gh_service_config_get_type_name (files), ==, "directory");

  /* Accept URIs as written, and parsed with their ports. */
  g_assert_cmpuint (g_strv_length ((char **) gh_service_config_get_accept (backend)), ==, 2);
  g_assert_cmpstr (gh_service_config_get_accept (backend)[1], ==, "ssl://localhost:9001");
  uris = gh_service_config_get_accept_uris (backend);
  g_assert_cmpuint (uris->len, ==, 2);
  uri = g_ptr_array_index (uris, 0);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "wss");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "localhost");
  g_assert_cmpint (g_uri_get_port (uri), ==, 8444);
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/backend");

  uri = gh_service_config_get_connect_uri (backend);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "ssl");
  g_assert_cmpint (g_uri_get_port (uri), ==, 9443);
  g_assert_null (gh_service_config_get_connect_uri (echo));

  g_assert_cmpstr (gh_service_config_get_tls_priority (backend), ==, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
  g_assert_cmpint (gh_service_config_get_verify_client (backend), ==, GH_VERIFY_CLIENT_NONE);
  g_assert_true (gh_service_config_get_connect_verify (backend));
  /* server-name: null, so the name checked is the connect host. */
  g_assert_cmpstr (gh_service_config_get_connect_server_name (backend), ==, "backend.internal");
  g_assert_null (gh_service_config_get_client_certificate_alias (backend));
  g_assert_cmpuint (gh_service_config_get_max_pending_bytes (backend), ==, 1048576);
  g_assert_cmpuint (gh_service_config_get_max_message_bytes (backend), ==, 4194304);
  g_assert_cmpuint (gh_service_config_get_idle_timeout (backend), ==, 300);
  g_assert_cmpuint (gh_service_config_get_max_sessions (backend), ==, 10000);

  /* Paths stay as written, and resolve against the base directory. */
  g_assert_cmpstr (gh_gateway_config_get_keystore_path (config), ==, "keystore.p12");
  g_assert_cmpstr (gh_service_config_get_directory (files), ==, "www");
  gh_gateway_config_set_base_directory (config, base);
  keystore = gh_gateway_config_dup_keystore_file (config);
  password = gh_gateway_config_dup_keystore_password_file (config);
  www = gh_gateway_config_resolve_file (config, gh_service_config_get_directory (files));
  g_assert_cmpstr (g_file_peek_path (keystore), ==, "/etc/gatehouse/keystore.p12");
  g_assert_cmpstr (g_file_peek_path (password), ==, "/etc/gatehouse/keystore.pw");
  g_assert_cmpstr (g_file_peek_path (www), ==, "/etc/gatehouse/www");

  g_assert_true (gh_gateway_config_has_admin (config));
  admin = gh_gateway_config_dup_admin_address (config);
  g_assert_true (G_IS_NETWORK_ADDRESS (admin));
  g_assert_cmpstr (g_network_address_get_hostname (G_NETWORK_ADDRESS (admin)), ==, "127.0.0.1");
  g_assert_cmpuint (g_network_address_get_port (G_NETWORK_ADDRESS (admin)), ==, 9443);
  g_assert_cmpuint (gh_gateway_config_get_n_admin_identities (config), ==, 1);
  g_assert_cmpint (gh_gateway_config_get_admin_identity_role (config, 0), ==, GH_ADMIN_ROLE_ADMIN);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=gatehouse-admin", NULL), ==, GH_ADMIN_ROLE_ADMIN);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=someone-else", NULL), ==, GH_ADMIN_ROLE_NONE);
}

/* The sketch said "protocols"; the schema says "priority", and the message says so. */
static void
test_sketch_protocols (void)
{
  assert_parse_error ("{'version': 1, 'services': [{'name': 'a', 'tls': {'protocols': 'NORMAL'}}]}", -1,
                      GH_CONFIG_ERROR_UNKNOWN_MEMBER, "services[0].tls.protocols", "“priority”");
}

/* Round trips */

static void
assert_round_trip (const char *text)
{
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GhGatewayConfig) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  gsize length;

  data = gh_gateway_config_to_data (config, &length);
  g_assert_cmpuint (length, ==, strlen (data));
  g_assert_true (g_str_has_suffix (data, "}\n"));

  again = gh_gateway_config_new_from_data (data, length, &error);
  g_assert_no_error (error);
  g_assert_true (gh_gateway_config_equal (config, again));
  g_assert_true (gh_gateway_config_equal (again, config));

  data_again = gh_gateway_config_to_data (again, NULL);
  g_assert_cmpstr (data, ==, data_again);
}

static void
test_round_trip (void)
{
  g_autoptr(GhGatewayConfig) config = parse (sketch);
  g_autofree char *data = gh_gateway_config_to_data (config, NULL);

  assert_round_trip (sketch);

  /* Nulls are not written back: they mean the same as absence. */
  g_assert_null (strstr (data, "server-name"));
  g_assert_null (strstr (data, "null"));
  /* What the file gave explicitly stays, defaults or not. */
  g_assert_nonnull (strstr (data, "\"verify\" : true"));
  g_assert_nonnull (strstr (data, "\"verify-client\" : \"none\""));
  g_assert_nonnull (strstr (data, "\"idle-timeout\" : 300"));
}

static void
test_round_trip_everything (void)
{
  /* Every member, strings that need escaping, extreme numbers. */
  static const char everything[] =
    "{'version': 1,"
    " 'properties': {'name': 'Gateway \\u00e9\\u4e2d \\\\ \\'quoted\\' \\u2028 \\ud83d\\ude00'},"
    " 'security': {'keystore': {'file': '/abs/ks.p12', 'password-file': 'ks.pw'},"
    "              'truststore': {'file': 'ts.p12', 'password-file': 'ts.pw'}},"
    " 'admin': {'listen': '[::1]:9443', 'certificate-alias': 'admin key', 'client-ca': 'ca.pem',"
    "           'identities': [{'subject': 'CN=a,O=Example', 'fingerprint': 'AA:BB', 'role': 'viewer'},"
    "                          {'subject': 'CN=b', 'role': 'operator'}]},"
    " 'services': [{'name': 'p', 'description': 'A proxy \\/ with a slash',"
    "   'type': 'proxy', 'accept': ['wss://h:1/a%20b', 'tcp://h:2'], 'connect': 'wss://b:3/x?y=1',"
    "   'directory': 'd', 'tls': {'priority': 'NORMAL', 'verify-client': 'bogus'},"
    "   'connect-tls': {'priority': 'SECURE', 'verify': false, 'server-name': 'b.example',"
    "                   'client-certificate-alias': 'client'},"
    "   'limits': {'max-pending-bytes': 9223372036854775807, 'idle-timeout': -9223372036854775808,"
    "              'max-sessions': 0}},"
    "  {'type': 'unknown-type', 'accept': []},"
    "  {}]}";

  assert_round_trip (everything);
  /* Even invalid, it reads: an editor can show it. */
  {
    g_autoptr(GhGatewayConfig) config = parse (everything);
    g_autoptr(GListModel) problems = gh_gateway_config_check (config);

    print_problems (problems);
    g_assert_cmpuint (g_list_model_get_n_items (problems), >, 5);
  }
}

/* A configuration read near the size limit is written so that it reads back. */
static void
test_round_trip_at_size_limit (void)
{
  GString *text = g_string_new ("{\"version\":1,\"services\":[");
  g_autofree char *description = g_strnfill (GH_CONFIG_MAX_STRING_LENGTH - 100, 'x');
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GhGatewayConfig) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  for (guint i = 0; text->len < GH_CONFIG_MAX_SIZE - GH_CONFIG_MAX_STRING_LENGTH; i++)
    g_string_append_printf (text, "%s{\"name\":\"s%u\",\"description\":\"%s\",\"directory\":\"%s\","
                            "\"accept\":[\"ws://h:%u\"]}",
                            i > 0 ? "," : "", i, description, description, i + 1);
  g_string_append (text, "]}");
  g_assert_cmpuint (text->len, <=, GH_CONFIG_MAX_SIZE);

  config = gh_gateway_config_new_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
  data = gh_gateway_config_to_data (config, &length);
  g_assert_cmpuint (length, <=, GH_CONFIG_MAX_SIZE);
  /* Indented, it would not have fit: one line. */
  g_assert_true (strchr (data, '\n') == data + length - 1);
  again = gh_gateway_config_new_from_data (data, length, &error);
  g_assert_no_error (error);
  g_assert_true (gh_gateway_config_equal (config, again));
  g_string_free (text, TRUE);
}

static void
test_minimal_stays_minimal (void)
{
  static const char minimal[] =
    "{\n"
    "  \"version\" : 1,\n"
    "  \"services\" : [\n"
    "    {\n"
    "      \"name\" : \"echo\",\n"
    "      \"type\" : \"echo\",\n"
    "      \"accept\" : [\n"
    "        \"ws://localhost:8080/echo\"\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  config = gh_gateway_config_new_from_data (minimal, -1, &error);
  g_assert_no_error (error);
  g_assert_true (gh_gateway_config_validate (config, &error));
  data = gh_gateway_config_to_data (config, NULL);
  g_assert_cmpstr (data, ==, minimal);

  /* The smallest configuration of all: a gateway with nothing to do yet. */
  g_clear_object (&config);
  g_clear_pointer (&data, g_free);
  config = gh_gateway_config_new_from_data ("{\"version\": 1}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (gh_gateway_config_validate (config, &error));
  data = gh_gateway_config_to_data (config, NULL);
  g_assert_cmpstr (data, ==, "{\n  \"version\" : 1\n}\n");

  /* Empty objects and lists, and nulls, are the same as absence. */
  assert_round_trip ("{'version': 1, 'properties': {}, 'security': {'keystore': {}}, 'services': [],"
                     " 'admin': null}");
  g_clear_object (&config);
  g_clear_pointer (&data, g_free);
  config = parse ("{'version': 1, 'properties': {'name': null}, 'security': {'keystore': {}}, 'services': []}");
  data = gh_gateway_config_to_data (config, NULL);
  g_assert_cmpstr (data, ==, "{\n  \"version\" : 1\n}\n");

  /* But an empty "admin" turns the admin listener on, and stays. */
  g_clear_object (&config);
  g_clear_pointer (&data, g_free);
  config = parse ("{'version': 1, 'admin': {}}");
  g_assert_true (gh_gateway_config_has_admin (config));
  data = gh_gateway_config_to_data (config, NULL);
  g_assert_nonnull (strstr (data, "\"admin\" : {"));
}

static void
test_equal (void)
{
  g_autoptr(GhGatewayConfig) a = parse (sketch);
  g_autoptr(GhGatewayConfig) b = parse (sketch);
  const char *variants[] = {
    "{'version': 1}",
    "{'version': 1, 'services': [{'name': 'echo', 'type': 'echo', 'accept': ['ws://h/']}]}",
    "{'version': 1, 'services': [{'name': 'echo', 'type': 'echo', 'accept': ['ws://h']}]}",
    "{'version': 1, 'services': [{'name': 'echo', 'type': 'echo', 'accept': ['ws://h'], 'limits': {'idle-timeout': 300}}]}",
    "{'version': 1, 'services': [{'name': 'echo', 'type': 'echo', 'accept': ['ws://h'], 'connect-tls': {'verify': true}}]}",
    "{'version': 1, 'services': [{'name': 'echo', 'type': 'echo', 'accept': ['ws://h'], 'connect-tls': {'verify': false}}]}",
    "{'version': 1, 'admin': {}}",
    "{'version': 1, 'admin': {'identities': [{'subject': 'CN=a', 'role': 'admin'}]}}",
    "{'version': 1, 'admin': {'identities': [{'subject': 'CN=a', 'role': 'viewer'}]}}",
    "{'version': 1, 'security': {'keystore': {'file': 'a'}}}",
    "{'version': 1, 'security': {'truststore': {'file': 'a'}}}",
  };

  g_assert_true (gh_gateway_config_equal (a, b));

  /* The base directory is not part of the model. */
  {
    g_autoptr(GFile) dir = g_file_new_for_path ("/srv");

    gh_gateway_config_set_base_directory (b, dir);
    g_assert_true (gh_gateway_config_equal (a, b));
  }

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(GhGatewayConfig) x = parse (variants[i]);

      g_assert_false (gh_gateway_config_equal (a, x));
      for (guint j = 0; j < G_N_ELEMENTS (variants); j++)
        {
          g_autoptr(GhGatewayConfig) y = parse (variants[j]);

          g_assert_cmpint (gh_gateway_config_equal (x, y), ==, i == j);
        }
    }
}

/* Defaults and paths */

static void
test_defaults (void)
{
  g_autoptr(GhGatewayConfig) config = parse ("{'version': 1, 'services': ["
                                             " {'name': 'p', 'type': 'proxy', 'accept': ['wss://gw.example'],"
                                             "  'connect': 'ws://backend.example/socket'}]}");
  GhServiceConfig *service = gh_gateway_config_lookup_service (config, "p");
  g_autoptr(GSocketConnectable) admin = NULL;
  GUri *uri;

  g_assert_cmpstr (gh_gateway_config_get_name (config), ==, g_get_host_name ());
  g_assert_false (gh_gateway_config_has_admin (config));
  g_assert_cmpstr (gh_gateway_config_get_admin_listen (config), ==, "127.0.0.1:9443");
  g_assert_cmpstr (gh_gateway_config_get_admin_certificate_alias (config), ==, "admin");
  admin = gh_gateway_config_dup_admin_address (config);
  g_assert_cmpuint (g_network_address_get_port (G_NETWORK_ADDRESS (admin)), ==, 9443);
  g_assert_null (gh_gateway_config_get_keystore_path (config));
  g_assert_null (gh_gateway_config_dup_keystore_file (config));
  g_assert_null (gh_gateway_config_dup_truststore_file (config));
  g_assert_null (gh_gateway_config_dup_admin_client_ca_file (config));
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=a", NULL), ==, GH_ADMIN_ROLE_NONE);

  g_assert_null (gh_service_config_get_description (service));
  g_assert_cmpstr (gh_service_config_get_tls_priority (service), ==, GH_CONFIG_DEFAULT_TLS_PRIORITY);
  g_assert_cmpstr (gh_service_config_get_connect_tls_priority (service), ==, GH_CONFIG_DEFAULT_TLS_PRIORITY);
  g_assert_cmpint (gh_service_config_get_verify_client (service), ==, GH_VERIFY_CLIENT_NONE);
  g_assert_true (gh_service_config_get_connect_verify (service));
  g_assert_cmpstr (gh_service_config_get_connect_server_name (service), ==, "backend.example");
  g_assert_cmpuint (gh_service_config_get_max_pending_bytes (service), ==, GH_CONFIG_DEFAULT_MAX_PENDING_BYTES);
  g_assert_cmpuint (gh_service_config_get_max_message_bytes (service), ==, GH_CONFIG_DEFAULT_MAX_MESSAGE_BYTES);
  g_assert_cmpuint (gh_service_config_get_idle_timeout (service), ==, GH_CONFIG_DEFAULT_IDLE_TIMEOUT);
  g_assert_cmpuint (gh_service_config_get_max_sessions (service), ==, GH_CONFIG_DEFAULT_MAX_SESSIONS);

  /* Default ports: wss 443, ws 80, http 80, https 443. */
  uri = g_ptr_array_index (gh_service_config_get_accept_uris (service), 0);
  g_assert_cmpint (g_uri_get_port (uri), ==, 443);
  g_assert_cmpint (g_uri_get_port (gh_service_config_get_connect_uri (service)), ==, 80);
  g_assert_cmpstr (g_uri_get_query (gh_service_config_get_connect_uri (service)), ==, NULL);

  /* The default priority is one GnuTLS takes. */
  assert_valid ("{'version': 1, 'security': {'keystore': {'file': 'k'}},"
                " 'services': [{'name': 'e', 'type': 'echo', 'accept': ['wss://h:1'],"
                " 'tls': {'priority': '" GH_CONFIG_DEFAULT_TLS_PRIORITY "'}}]}");
}

/* What the daemon reads from an invalid configuration never weakens security. */
static void
test_fail_closed (void)
{
  g_autoptr(GhGatewayConfig) config = parse ("{'version': 1,"
                                             " 'admin': {'identities': [{'subject': 'CN=a', 'role': 'root'}]},"
                                             " 'services': [{'name': 'e', 'tls': {'verify-client': 'sometimes'},"
                                             "  'limits': {'max-pending-bytes': -5, 'idle-timeout': 0,"
                                             "             'max-sessions': 99999999999}}]}");
  GhServiceConfig *service = gh_gateway_config_lookup_service (config, "e");

  g_assert_cmpint (gh_service_config_get_verify_client (service), ==, GH_VERIFY_CLIENT_REQUIRED);
  g_assert_cmpint (gh_service_config_get_service_type (service), ==, GH_SERVICE_TYPE_UNKNOWN);
  g_assert_cmpuint (gh_service_config_get_max_pending_bytes (service), ==, GH_CONFIG_MIN_PENDING_BYTES);
  g_assert_cmpuint (gh_service_config_get_idle_timeout (service), ==, GH_CONFIG_MIN_IDLE_TIMEOUT);
  g_assert_cmpuint (gh_service_config_get_max_sessions (service), ==, GH_CONFIG_MAX_SESSIONS);
  g_assert_cmpint (gh_gateway_config_get_admin_identity_role (config, 0), ==, GH_ADMIN_ROLE_NONE);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=a", NULL), ==, GH_ADMIN_ROLE_NONE);
}

static void
test_admin_roles (void)
{
  g_autoptr(GhGatewayConfig) config = parse (
    "{'version': 1, 'admin': {'identities': ["
    " {'subject': 'CN=viewer', 'role': 'viewer'},"
    " {'subject': 'CN=pinned', 'role': 'admin',"
    "  'fingerprint': 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89'},"
    " {'subject': 'CN=operator', 'role': 'operator'}]}}");

  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=viewer", NULL), ==, GH_ADMIN_ROLE_VIEWER);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=operator", "00"), ==, GH_ADMIN_ROLE_OPERATOR);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=pinned", NULL), ==, GH_ADMIN_ROLE_NONE);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=pinned",
                                                        "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"),
                   ==, GH_ADMIN_ROLE_ADMIN);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "CN=pinned",
                                                        "ffcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"),
                   ==, GH_ADMIN_ROLE_NONE);
  g_assert_cmpint (gh_gateway_config_lookup_admin_role (config, "cn=viewer", NULL), ==, GH_ADMIN_ROLE_NONE);
  g_assert_cmpint (GH_ADMIN_ROLE_VIEWER, <, GH_ADMIN_ROLE_OPERATOR);
  g_assert_cmpint (GH_ADMIN_ROLE_OPERATOR, <, GH_ADMIN_ROLE_ADMIN);
  g_assert_cmpstr (gh_admin_role_to_string (GH_ADMIN_ROLE_OPERATOR), ==, "operator");
  g_assert_cmpstr (gh_gateway_config_get_admin_identity_fingerprint (config, 1), ==,
                   "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");
}

/* admin.timeouts: defaults, values kept and written back, ranges, unknown members. */
static void
test_admin_timeouts (void)
{
  static const char admin[] = "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
                              " 'admin': {'client-ca': 'ca.pem'%s}}";
  g_autofree char *plain = g_strdup_printf (admin, "");
  g_autofree char *some = g_strdup_printf (admin, ", 'timeouts': {'request': 3, 'idle': 3600}");
  g_autofree char *zero = g_strdup_printf (admin, ", 'timeouts': {'idle': 0}");
  g_autofree char *huge = g_strdup_printf (admin, ", 'timeouts': {'body': 3601}");
  g_autoptr(GhGatewayConfig) defaults = parse (plain);
  g_autoptr(GhGatewayConfig) config = parse (some);
  g_autofree char *written = gh_gateway_config_to_data (config, NULL);
  g_autofree char *written_defaults = gh_gateway_config_to_data (defaults, NULL);
  const guint expected_defaults[] = { 10, 10, 60, 75 };

  for (guint i = 0; i < GH_ADMIN_N_TIMEOUTS; i++)
    g_assert_cmpuint (gh_gateway_config_get_admin_timeout (defaults, i), ==, expected_defaults[i]);
  g_assert_cmpstr (gh_admin_timeout_to_string (GH_ADMIN_TIMEOUT_REQUEST), ==, "request");

  assert_valid (some);
  g_assert_cmpuint (gh_gateway_config_get_admin_timeout (config, GH_ADMIN_TIMEOUT_HANDSHAKE), ==, 10);
  g_assert_cmpuint (gh_gateway_config_get_admin_timeout (config, GH_ADMIN_TIMEOUT_REQUEST), ==, 3);
  g_assert_cmpuint (gh_gateway_config_get_admin_timeout (config, GH_ADMIN_TIMEOUT_IDLE), ==, 3600);
  g_assert_false (gh_gateway_config_equal (config, defaults));
  assert_round_trip (some);
  /* What was written stays written, and no default joins it. */
  g_assert_nonnull (strstr (written, "\"timeouts\""));
  g_assert_nonnull (strstr (written, "\"request\" : 3"));
  g_assert_null (strstr (written, "\"handshake\""));
  g_assert_null (strstr (written_defaults, "timeouts"));

  assert_one_problem (zero, GH_CONFIG_ERROR_OUT_OF_RANGE, "admin.timeouts.idle", NULL, "from 1 to 3600");
  assert_one_problem (huge, GH_CONFIG_ERROR_OUT_OF_RANGE, "admin.timeouts.body", NULL, "from 1 to 3600");
  assert_parse_error ("{'version': 1, 'admin': {'timeouts': {'headers': 5}}}", -1, GH_CONFIG_ERROR_UNKNOWN_MEMBER,
                      "admin.timeouts.headers", "“request”");
  assert_parse_error ("{'version': 1, 'admin': {'timeouts': {'idle': '60'}}}", -1, GH_CONFIG_ERROR_WRONG_TYPE,
                      "admin.timeouts.idle", NULL);
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gh-config-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "gatehoused.json", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *data = json_text (sketch);
  g_autofree char *big = g_strnfill (GH_CONFIG_MAX_SIZE + 10, ' ');
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) big_file = g_file_new_for_path (big_path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GFile) keystore = NULL;
  g_autoptr(GFile) absolute = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, data, -1, &error));
  g_assert_true (g_file_set_contents (big_path, big, -1, &error));
  g_assert_true (g_file_set_contents (bad_path, "{\"version\": 1,\n \"services\": [\n", -1, &error));

  config = gh_gateway_config_new_from_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gh_gateway_config_validate (config, &error));

  /* Relative paths start at the file's directory; absolute ones stay. */
  keystore = gh_gateway_config_dup_keystore_file (config);
  expected = g_build_filename (dir, "keystore.p12", NULL);
  g_assert_cmpstr (g_file_peek_path (keystore), ==, expected);
  absolute = gh_gateway_config_resolve_file (config, "/var/lib/gatehouse/www");
  g_assert_cmpstr (g_file_peek_path (absolute), ==, "/var/lib/gatehouse/www");
  g_assert_null (gh_gateway_config_resolve_file (config, NULL));
  {
    g_autoptr(GFile) parent = g_file_get_parent (file);

    g_assert_true (g_file_equal (gh_gateway_config_get_base_directory (config), parent));
  }

  g_clear_object (&config);
  config = gh_gateway_config_new_from_file (missing, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.json"));
  g_test_message ("  %s", error->message);
  g_clear_error (&error);

  config = gh_gateway_config_new_from_file (big_file, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, big_path));
  g_test_message ("  %s", error->message);
  g_clear_error (&error);

  /* A syntax error says where, after the file's name. */
  config = gh_gateway_config_new_from_file (bad_file, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, bad_path));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_test_message ("  %s", error->message);
  g_clear_error (&error);

  g_unlink (path);
  g_unlink (big_path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

static void
test_base_directory (void)
{
  g_autoptr(GhGatewayConfig) config = parse ("{'version': 1, 'security': {'truststore': {'file': 'ca/ts.pem'}}}");
  g_autoptr(GFile) relative = gh_gateway_config_dup_truststore_file (config);
  g_autoptr(GFile) cwd_file = g_file_new_for_path ("ca/ts.pem");
  g_autoptr(GFile) dir = g_file_new_for_path ("/srv/gatehouse");
  g_autoptr(GFile) resolved = NULL;

  /* Read from data, without a base directory: the current directory. */
  g_assert_null (gh_gateway_config_get_base_directory (config));
  g_assert_true (g_file_equal (relative, cwd_file));

  gh_gateway_config_set_base_directory (config, dir);
  resolved = gh_gateway_config_dup_truststore_file (config);
  g_assert_cmpstr (g_file_peek_path (resolved), ==, "/srv/gatehouse/ca/ts.pem");
  g_assert_true (gh_gateway_config_get_base_directory (config) == dir);
}

/* What validating on a viewer's behalf may read: only what the running gateway reads. */
static void
test_same_files (void)
{
  g_autoptr(GhGatewayConfig) running = parse ("{'version': 1, 'security': {"
                                              "'keystore': {'file': 'ks.p12', 'password-file': 'ks.pw'},"
                                              "'truststore': {'file': '/etc/ca/ts.pem'}}}");
  g_autoptr(GhGatewayConfig) same = parse ("{'version': 1, 'security': {"
                                           "'keystore': {'file': '/srv/gatehouse/ks.p12', 'password-file': 'ks.pw'},"
                                           "'truststore': {'file': '/etc/ca/ts.pem'}}}");
  g_autoptr(GFile) dir = g_file_new_for_path ("/srv/gatehouse");
  g_autoptr(GFile) other_dir = g_file_new_for_path ("/tmp");
  const char *others[] = {
    "{'version': 1, 'security': {'keystore': {'file': 'ks.p12', 'password-file': '/dev/zero'}, 'truststore': {'file': '/etc/ca/ts.pem'}}}",
    "{'version': 1, 'security': {'keystore': {'file': 'ks.p12'}, 'truststore': {'file': '/etc/ca/ts.pem'}}}",
    "{'version': 1, 'security': {'keystore': {'file': 'other.p12', 'password-file': 'ks.pw'}, 'truststore': {'file': '/etc/ca/ts.pem'}}}",
    "{'version': 1, 'security': {'keystore': {'file': 'ks.p12', 'password-file': 'ks.pw'}}}",
    "{'version': 1, 'security': {'keystore': {'file': 'ks.p12', 'password-file': 'ks.pw'}, 'truststore': {'file': '/etc/ca/ts.pem', 'password-file': 'ts.pw'}}}",
  };

  gh_gateway_config_set_base_directory (running, dir);
  gh_gateway_config_set_base_directory (same, dir);
  g_assert_true (gh_gateway_config_names_same_files (running, same));
  g_assert_true (gh_gateway_config_names_same_files (same, running));

  /* The same words in another directory are other files. */
  gh_gateway_config_set_base_directory (same, other_dir);
  g_assert_false (gh_gateway_config_names_same_files (running, same));

  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(GhGatewayConfig) other = parse (others[i]);

      gh_gateway_config_set_base_directory (other, dir);
      g_assert_false (gh_gateway_config_names_same_files (running, other));
    }
}

/* Errors carry their problems */

static void
test_error_details (void)
{
  g_autofree char *text = with_services ("{'name': 'a', 'type': 'echo', 'accept': ['wss://h:1/x']},"
                                         "{'name': 'a', 'type': 'proxy', 'accept': ['wss://h:1/x']}");
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GListModel) problems = gh_gateway_config_check (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GhConfigProblem) first = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *problem_json = NULL;
  GListModel *carried;

  print_problems (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 3);

  g_assert_false (gh_gateway_config_validate (config, &error));
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_DUPLICATE_NAME);
  g_assert_cmpstr (error->message, ==,
                   "services[1].name (service “a”): services[0] already has this name; each service "
                   "needs its own (and 2 more problems)");
  g_assert_cmpstr (gh_config_error_get_path (error), ==, "services[1].name");

  carried = gh_config_error_get_problems (error);
  g_assert_cmpuint (g_list_model_get_n_items (carried), ==, 3);
  g_assert_true (g_list_model_get_item_type (carried) == GH_TYPE_CONFIG_PROBLEM);
  first = g_list_model_get_item (carried, 0);
  assert_problem_is (first, GH_CONFIG_ERROR_DUPLICATE_NAME, "services[1].name", "a", "already has this name");
  {
    g_autoptr(GhConfigProblem) second = g_list_model_get_item (carried, 1);
    g_autoptr(GhConfigProblem) third = g_list_model_get_item (carried, 2);

    assert_problem_is (second, GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "a",
                       "already accepted by service “a” (services[0].accept[0])");
    assert_problem_is (third, GH_CONFIG_ERROR_MISSING, "services[1].connect", "a", "back-end");
  }

  /* Copies carry the same problems. */
  copy = g_error_copy (error);
  g_assert_true (gh_config_error_get_problems (copy) == carried);
  g_assert_cmpstr (gh_config_error_get_path (copy), ==, "services[1].name");

  /* Other errors carry none. */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
    g_autoptr(GError) bare = g_error_new_literal (GH_CONFIG_ERROR, GH_CONFIG_ERROR_FAILED, "x");

    g_assert_null (gh_config_error_get_problems (other));
    g_assert_null (gh_config_error_get_path (other));
    g_assert_null (gh_config_error_get_problems (bare));
    g_assert_null (gh_config_error_get_path (bare));
  }

  /* As the admin API reports it. */
  node = gh_config_problem_to_json (first);
  json_generator_set_root (generator, node);
  problem_json = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (problem_json, ==,
                   "{\"code\":\"duplicate-name\",\"path\":\"services[1].name\",\"service\":\"a\","
                   "\"message\":\"services[0] already has this name; each service needs its own\"}");

  /* The problem's properties, for list views. */
  {
    g_autofree char *path = NULL;
    g_autofree char *service = NULL;

    g_object_get (first, "path", &path, "service", &service, NULL);
    g_assert_cmpstr (path, ==, "services[1].name");
    g_assert_cmpstr (service, ==, "a");
  }
}

static void
test_problem_limit (void)
{
  GString *services = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autoptr(GError) error = NULL;

  /* 300 services, each with a bad name and no accept: 600 problems. */
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (services, "%s{'name': 'Bad%u', 'type': 'echo'}", i > 0 ? "," : "", i);
  text = with_services (services->str);
  g_string_free (services, TRUE);

  config = parse (text);
  problems = gh_gateway_config_check (config);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, GH_CONFIG_MAX_PROBLEMS);
  g_assert_false (gh_gateway_config_validate (config, &error));
  g_assert_nonnull (strstr (error->message, "and 599 more problems"));
  g_assert_cmpuint (g_list_model_get_n_items (gh_config_error_get_problems (error)), ==, GH_CONFIG_MAX_PROBLEMS);
}

/* Reading: what cannot become a configuration */

static void
test_parse_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhConfigProblem) problem = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;

  assert_parse_error ("", -1, GH_CONFIG_ERROR_SYNTAX, NULL, "not valid JSON");
  assert_parse_error ("   ", -1, GH_CONFIG_ERROR_SYNTAX, NULL, "not valid JSON");
  assert_parse_error ("version: 1", -1, GH_CONFIG_ERROR_SYNTAX, NULL, "line 1");
  assert_parse_error ("{'version': 1,", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'version': 1, 'services': [{'name': 'a'", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'version': 1, }", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'version': 1 /* comment */}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'version': 1} {}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_raw_parse_error ("{\"version\": 1, \"x\": 'single'}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'version': 01}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);
  assert_parse_error ("{'properties': {'name': '\xff'}, 'version': 1}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, "UTF-8");
  assert_parse_error ("{'properties': {'name': '\\ud800'}, 'version': 1}", -1, GH_CONFIG_ERROR_SYNTAX, NULL, NULL);

  /* Truncated: the problem says where the text stopped making sense. */
  config = gh_gateway_config_new_from_data ("{\n  \"version\": 1,\n  \"services\": [\n    {\"name\": \"a\",", -1, &error);
  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_SYNTAX);
  problem = g_list_model_get_item (gh_config_error_get_problems (error), 0);
  g_assert_cmpuint (gh_config_problem_get_line (problem), >=, 4);
  g_assert_cmpuint (gh_config_problem_get_column (problem), >, 0);
  g_assert_null (gh_config_problem_get_path (problem));
  g_assert_true (g_str_has_prefix (error->message, "line "));
  g_test_message ("  %s", error->message);
}

static void
test_parse_nul (void)
{
  static const char with_nul[] = "{\"version\": 1}\0{}";

  /* \u0000 would cut the string short in json-glib: refused, not truncated. */
  assert_parse_error ("{'version': 1, 'properties': {'name': 'a\\u0000b'}}", -1,
                      GH_CONFIG_ERROR_SYNTAX, NULL, "\\u0000");
  /* An escaped backslash before u0000 is text, not an escape. */
  {
    g_autoptr(GhGatewayConfig) config = parse ("{'version': 1, 'properties': {'name': 'a\\\\u0000b'}}");

    g_assert_cmpstr (gh_gateway_config_get_name (config), ==, "a\\u0000b");
  }
  /* A NUL byte inside the given length. */
  assert_raw_parse_error (with_nul, sizeof with_nul - 1, GH_CONFIG_ERROR_SYNTAX, NULL, "NUL");
  /* Control characters have no place in any value. */
  assert_parse_error ("{'version': 1, 'properties': {'name': 'a\\u0007b'}}", -1,
                      GH_CONFIG_ERROR_INVALID, "properties.name", "U+0007");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'a', 'accept': ['ws://h/\\n']}]}", -1,
                      GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "control character");
}

static void
test_parse_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autofree char *huge = g_strnfill (GH_CONFIG_MAX_SIZE + 1, ' ');
  g_autofree char *just_fits = NULL;
  g_autofree char *long_name = g_strnfill (GH_CONFIG_MAX_STRING_LENGTH + 1, 'a');
  g_autofree char *max_name = g_strnfill (GH_CONFIG_MAX_STRING_LENGTH, 'a');
  g_autofree char *text = NULL;
  GString *deep = g_string_new ("{'version': 1, 'properties': ");

  /* Over the size limit: refused before parsing, whatever it holds. */
  config = gh_gateway_config_new_from_data (huge, GH_CONFIG_MAX_SIZE + 1, &error);
  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* At the limit, padded with white space: read. */
  just_fits = g_strnfill (GH_CONFIG_MAX_SIZE, ' ');
  memcpy (just_fits, "{\"version\": 1}", strlen ("{\"version\": 1}"));
  config = gh_gateway_config_new_from_data (just_fits, GH_CONFIG_MAX_SIZE, &error);
  g_assert_no_error (error);
  g_clear_object (&config);

  /* Strings. */
  text = g_strdup_printf ("{'version': 1, 'properties': {'name': '%s'}}", long_name);
  assert_parse_error (text, -1, GH_CONFIG_ERROR_TOO_LARGE, "properties.name", "4097 bytes");
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("{'version': 1, 'properties': {'name': '%s'}}", max_name);
  g_clear_object (&config);
  config = parse (text);
  g_assert_cmpuint (strlen (gh_gateway_config_get_name (config)), ==, GH_CONFIG_MAX_STRING_LENGTH);

  /* Nesting. */
  for (guint i = 0; i < 200; i++)
    g_string_append (deep, "[");
  assert_parse_error (deep->str, -1, GH_CONFIG_ERROR_TOO_LARGE, NULL, "nested");
  g_string_free (deep, TRUE);
  /* Brackets inside strings are text. */
  g_clear_object (&config);
  config = parse ("{'version': 1, 'properties': {'name': '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['}}");
  g_assert_true (g_str_has_prefix (gh_gateway_config_get_name (config), "[[[["));
}

static void
test_parse_list_limits (void)
{
  GString *services = g_string_new (NULL);
  GString *accepts = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i <= GH_CONFIG_MAX_SERVICES; i++)
    g_string_append_printf (services, "%s{}", i > 0 ? "," : "");
  text = g_strdup_printf ("{'version': 1, 'services': [%s]}", services->str);
  assert_parse_error (text, -1, GH_CONFIG_ERROR_TOO_LARGE, "services", "the limit is 1024");
  g_clear_pointer (&text, g_free);

  for (guint i = 0; i <= GH_CONFIG_MAX_ACCEPTS; i++)
    g_string_append_printf (accepts, "%s'ws://h:%u'", i > 0 ? "," : "", i + 1);
  text = g_strdup_printf ("{'version': 1, 'services': [{'name': 'a', 'accept': [%s]}]}", accepts->str);
  assert_parse_error (text, -1, GH_CONFIG_ERROR_TOO_LARGE, "services[0].accept", "accept URIs");

  g_string_free (services, TRUE);
  g_string_free (accepts, TRUE);
}

static void
test_parse_version (void)
{
  assert_parse_error ("{}", -1, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", "\"version\": 1");
  assert_parse_error ("{'services': []}", -1, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", NULL);
  assert_parse_error ("{'version': null}", -1, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", NULL);
  assert_parse_error ("{'version': 2, 'anything': {}}", -1, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version",
                      "version 1");
  assert_parse_error ("{'version': 0}", -1, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", NULL);
  assert_parse_error ("{'version': '1'}", -1, GH_CONFIG_ERROR_WRONG_TYPE, "version", "not a string");
  assert_parse_error ("{'version': 1.0}", -1, GH_CONFIG_ERROR_WRONG_TYPE, "version", "fraction");
  assert_parse_error ("[{'version': 1}]", -1, GH_CONFIG_ERROR_WRONG_TYPE, "", "JSON object");
  assert_parse_error ("'config'", -1, GH_CONFIG_ERROR_WRONG_TYPE, "", "not a string");
}

static void
test_parse_unknown_member (void)
{
  assert_parse_error ("{'version': 1, 'servces': []}", -1, GH_CONFIG_ERROR_UNKNOWN_MEMBER, "servces",
                      "“version”, “properties”, “security”, “admin”, “services”");
  assert_parse_error ("{'version': 1, 'properties': {'nmae': 'x'}}", -1, GH_CONFIG_ERROR_UNKNOWN_MEMBER,
                      "properties.nmae", NULL);
  assert_parse_error ("{'version': 1, 'security': {'keystore': {'file': 'k', 'password': 'secret'}}}", -1,
                      GH_CONFIG_ERROR_UNKNOWN_MEMBER, "security.keystore.password", "“password-file”");
  assert_parse_error ("{'version': 1, 'admin': {'identities': [{'subject': 'CN=a', 'roles': ['admin']}]}}", -1,
                      GH_CONFIG_ERROR_UNKNOWN_MEMBER, "admin.identities[0].roles", NULL);
  assert_parse_error ("{'version': 1, 'services': [{'name': 'x', 'limits': {'idle_timeout': 3}}]}", -1,
                      GH_CONFIG_ERROR_UNKNOWN_MEMBER, "services[0].limits.idle_timeout", "service “x”");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'x', 'connect-tls': {'verify-host': true}}]}", -1,
                      GH_CONFIG_ERROR_UNKNOWN_MEMBER, "services[0].connect-tls.verify-host", NULL);
}

static void
test_parse_wrong_type (void)
{
  assert_parse_error ("{'version': 1, 'properties': 'demo'}", -1, GH_CONFIG_ERROR_WRONG_TYPE, "properties",
                      "should be an object, not a string");
  assert_parse_error ("{'version': 1, 'services': {}}", -1, GH_CONFIG_ERROR_WRONG_TYPE, "services",
                      "should be a list, not an object");
  assert_parse_error ("{'version': 1, 'services': ['echo']}", -1, GH_CONFIG_ERROR_WRONG_TYPE, "services[0]", NULL);
  assert_parse_error ("{'version': 1, 'services': [{'name': 'e', 'accept': 'ws://h'}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].accept", "service “e”");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'e', 'accept': ['ws://h', 80]}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].accept[1]", "not a whole number");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'e', 'limits': {'idle-timeout': '300'}}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].limits.idle-timeout", "should be a whole number");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'e', 'limits': {'idle-timeout': 1.5}}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].limits.idle-timeout", NULL);
  assert_parse_error ("{'version': 1, 'services': [{'name': 'e', 'connect-tls': {'verify': 'yes'}}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].connect-tls.verify", "true or false");
  assert_parse_error ("{'version': 1, 'services': [{'name': 7}]}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "services[0].name", NULL);
  assert_parse_error ("{'version': 1, 'admin': {'listen': 9443}}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "admin.listen", NULL);
  assert_parse_error ("{'version': 1, 'admin': {'identities': {'subject': 'CN=a'}}}", -1,
                      GH_CONFIG_ERROR_WRONG_TYPE, "admin.identities", NULL);
}

/* Reading goes on after a problem, so that all of them are reported at once. */
static void
test_parse_all_problems (void)
{
  g_autofree char *data = json_text ("{'version': 1, 'colour': 'blue', 'properties': {'name': 3},"
                                     " 'services': [{'name': 'a', 'limits': {'max-sessions': '10'}},"
                                     "              {'name': 'b', 'tls': []}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = gh_gateway_config_new_from_data (data, -1, &error);
  GListModel *problems;
  const char *paths[] = {
    "colour", "properties.name", "services[0].limits.max-sessions", "services[1].tls",
  };

  g_assert_null (config);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_UNKNOWN_MEMBER);
  g_assert_nonnull (strstr (error->message, "and 3 more problems"));
  problems = gh_config_error_get_problems (error);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, G_N_ELEMENTS (paths));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);

      g_assert_cmpstr (gh_config_problem_get_path (problem), ==, paths[i]);
    }
}

static void
test_parse_duplicate_member (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GhConfigProblem) problem = NULL;

  assert_parse_error ("{'version': 1, 'version': 1}", -1, GH_CONFIG_ERROR_DUPLICATE_MEMBER, NULL, "“version”");
  assert_parse_error ("{'version': 1, 'services': [{'name': 'a', 'type': 'echo', 'name': 'b'}]}", -1,
                      GH_CONFIG_ERROR_DUPLICATE_MEMBER, NULL, "“name” is given twice");

  config = gh_gateway_config_new_from_data ("{\"version\": 1,\n \"admin\": {\n  \"listen\": \"a:1\",\n"
                                            "  \"listen\": \"b:2\"}}", -1, &error);
  g_assert_null (config);
  problem = g_list_model_get_item (gh_config_error_get_problems (error), 0);
  g_assert_cmpuint (gh_config_problem_get_line (problem), ==, 4);

  /* The same name in two different objects is fine. */
  g_clear_object (&config);
  config = parse ("{'version': 1, 'services': [{'name': 'a'}, {'name': 'b'}]}");
}

static void
test_parse_null_is_absent (void)
{
  g_autoptr(GhGatewayConfig) config = parse ("{'version': 1, 'properties': null, 'security': null, 'admin': null,"
                                             " 'services': [{'name': 'a', 'description': null, 'accept': null,"
                                             "  'tls': null, 'connect-tls': {'verify': null}, 'limits': null}]}");
  GhServiceConfig *service = gh_gateway_config_lookup_service (config, "a");
  g_autoptr(GhGatewayConfig) plain = parse ("{'version': 1, 'services': [{'name': 'a'}]}");

  g_assert_false (gh_gateway_config_has_admin (config));
  g_assert_null (gh_service_config_get_description (service));
  g_assert_null (gh_service_config_get_accept (service)[0]);
  g_assert_true (gh_gateway_config_equal (config, plain));
}

/* Validation: one failing example per rule */

typedef struct {
  const char    *name;
  const char    *services;   /* inside with_services(), or a whole document when it starts with "{'version'" */
  GhConfigError  code;
  const char    *path;
  const char    *service;
  const char    *why;
} Case;

#define ECHO_OK "{'name': 'ok', 'type': 'echo', 'accept': ['wss://localhost:8443/ok']}"

static const Case cases[] = {
  /* names */
  { "name/missing", "{'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_MISSING, "services[0].name", NULL, "needs a name" },
  { "name/empty", "{'name': '', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", NULL, "is empty" },
  { "name/upper-case", "{'name': 'Echo', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", "Echo", "lower-case letters, digits and “-”" },
  { "name/space", "{'name': 'my echo', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", "my echo", "lower-case" },
  { "name/underscore", "{'name': 'my_echo', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", "my_echo", "lower-case" },
  { "name/leading-dash", "{'name': '-echo', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", "-echo", "option" },
  { "name/too-long", "{'name': 'a234567890123456789012345678901234567890123456789012345678901234',"
    " 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].name", "a234567890123456789012345678901234567890123456789012345678901234",
    "at most 63" },
  { "name/duplicate", ECHO_OK ", {'name': 'ok', 'type': 'echo', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_DUPLICATE_NAME, "services[1].name", "ok", "services[0] already has this name" },
  /* types */
  { "type/missing", "{'name': 'e', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_MISSING, "services[0].type", "e", "proxy, echo or directory" },
  { "type/unknown", "{'name': 'e', 'type': 'websocket', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_INVALID, "services[0].type", "e", "“websocket” is not a service type" },
  /* accept */
  { "accept/missing", "{'name': 'e', 'type': 'echo'}",
    GH_CONFIG_ERROR_MISSING, "services[0].accept", "e", "at least one URI" },
  { "accept/empty-list", "{'name': 'e', 'type': 'echo', 'accept': []}",
    GH_CONFIG_ERROR_MISSING, "services[0].accept", "e", "at least one URI" },
  { "accept/empty-string", "{'name': 'e', 'type': 'echo', 'accept': ['']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "is empty" },
  { "accept/not-a-uri", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h:1', 'localhost:8080']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[1]", "e", "wss://localhost:8080/" },
  { "accept/relative", "{'name': 'e', 'type': 'echo', 'accept': ['/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "is not a URI" },
  { "accept/bad-port", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h:99999/']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "is not a URI" },
  { "accept/scheme-echo", "{'name': 'e', 'type': 'echo', 'accept': ['https://h:1/']}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "e", "directory services" },
  { "accept/scheme-proxy", "{'name': 'p', 'type': 'proxy', 'accept': ['udp://h:1'], 'connect': 'tcp://b:1'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "p", "proxy services accept wss, ws, ssl or tcp; they cannot accept “udp”" },
  { "accept/scheme-directory", "{'name': 'd', 'type': 'directory', 'accept': ['wss://h:1/'], 'directory': 'www'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "d", "https or http" },
  { "accept/scheme-directory-ssl", "{'name': 'd', 'type': 'directory', 'accept': ['ssl://h:1'], 'directory': 'www'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "d", "cannot accept “ssl”" },
  { "accept/no-host", "{'name': 'e', 'type': 'echo', 'accept': ['wss:///echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "has no host" },
  { "accept/bad-host", "{'name': 'e', 'type': 'echo', 'accept': ['wss://my host/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "not a host name or an IP address" },
  { "accept/bad-ipv4", "{'name': 'e', 'type': 'echo', 'accept': ['wss://10.0.0/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "“10.0.0” is not a host name" },
  { "accept/star-host", "{'name': 'e', 'type': 'echo', 'accept': ['wss://*:8443/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "not a host name" },
  { "accept/userinfo", "{'name': 'e', 'type': 'echo', 'accept': ['wss://user:pw@h/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "in logs: write wss://h/echo" },
  { "accept/port-zero", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h:0/echo']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "port 0" },
  { "accept/ssl-without-port", "{'name': 'e', 'type': 'echo', 'accept': ['ssl://localhost']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "ssl has no default port; write ssl://localhost:PORT" },
  { "accept/tcp-without-port", "{'name': 'e', 'type': 'echo', 'accept': ['tcp://[::1]']}",
    GH_CONFIG_ERROR_INVALID, "services[0].accept[0]", "e", "tcp://[::1]:PORT" },
  { "accept/path-on-ssl", "{'name': 'e', 'type': 'echo', 'accept': ['ssl://h:9001/echo']}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "e", "no path; remove “/echo”" },
  { "accept/query", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h/echo?v=1']}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "e", "remove the query “?v=1”" },
  { "accept/fragment", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h/echo#top']}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].accept[0]", "e", "“#top”" },
  /* TLS toward clients needs a keystore */
  { "keystore/wss", "{'version': 1, 'services': [{'name': 'e', 'type': 'echo', 'accept': ['wss://localhost:8443/']}]}",
    GH_CONFIG_ERROR_NEEDS_KEYSTORE, "services[0].accept[0]", "e", "set security.keystore" },
  { "keystore/ssl", "{'version': 1, 'services': [{'name': 'e', 'type': 'echo', 'accept': ['ws://h:1', 'ssl://h:2']}]}",
    GH_CONFIG_ERROR_NEEDS_KEYSTORE, "services[0].accept[1]", "e", "ssl is TLS" },
  { "keystore/https", "{'version': 1, 'services': [{'name': 'd', 'type': 'directory', 'accept': ['https://files.example/'],"
    " 'directory': 'www'}]}",
    GH_CONFIG_ERROR_NEEDS_KEYSTORE, "services[0].accept[0]", "d", "“files.example”" },
  { "keystore/password-without-file", "{'version': 1, 'security': {'keystore': {'password-file': 'ks.pw'}}}",
    GH_CONFIG_ERROR_MISSING, "security.keystore.file", NULL, "no store file" },
  { "keystore/empty-file", "{'version': 1, 'security': {'keystore': {'file': ''}}}",
    GH_CONFIG_ERROR_INVALID, "security.keystore.file", NULL, "is empty" },
  { "truststore/empty-password-file", "{'version': 1, 'security': {'truststore': {'file': 't', 'password-file': ''}}}",
    GH_CONFIG_ERROR_INVALID, "security.truststore.password-file", NULL, "is empty" },
  /* connect */
  { "connect/not-for-echo", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h:1'], 'connect': 'tcp://b:1'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect", "e", "only proxy services connect" },
  { "connect/not-for-directory", "{'name': 'd', 'type': 'directory', 'accept': ['http://h:1'], 'directory': 'w',"
    " 'connect': 'tcp://b:1'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect", "d", "directory services have no “connect”" },
  { "connect/missing", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1']}",
    GH_CONFIG_ERROR_MISSING, "services[0].connect", "p", "URI of its back-end" },
  { "connect/scheme", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'http://b/'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect", "p", "tcp, ssl, ws or wss back-ends; “http”" },
  { "connect/wildcard", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'tcp://0.0.0.0:9000'}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect", "p", "every local address" },
  { "connect/no-port", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'ssl://backend.internal'}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect", "p", "ssl://backend.internal:PORT" },
  { "connect/query-on-tcp", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'tcp://b:1?x=1'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect", "p", "no query" },
  { "connect/path-on-tcp", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'tcp://b:1/x'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect", "p", "no path" },
  { "connect/credentials", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'wss://u:p@b/'}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect", "p", "in logs: write wss://b/" },
  { "connect/needs-truststore", "{'version': 1, 'services': [{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'],"
    " 'connect': 'wss://backend.example/'}]}",
    GH_CONFIG_ERROR_NEEDS_TRUSTSTORE, "services[0].connect", "p", "set security.truststore" },
  { "connect-tls/plain-back-end", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'tcp://b:1',"
    " 'connect-tls': {'verify': false}}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect-tls", "p", "connect with ssl" },
  { "connect-tls/not-for-echo", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h:1'],"
    " 'connect-tls': {'server-name': 'b.example'}}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].connect-tls", "e", "“connect-tls”" },
  { "connect-tls/server-name-ip", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'ssl://10.0.0.1:1',"
    " 'connect-tls': {'server-name': '10.0.0.1'}}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect-tls.server-name", "p", "not a DNS name" },
  { "connect-tls/priority", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'ssl://b:1',"
    " 'connect-tls': {'priority': 'NORMAL:+NOPE'}}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect-tls.priority", "p", "“+NOPE”, at character 8" },
  { "connect-tls/client-alias-needs-keystore", "{'version': 1, 'security': {'truststore': {'file': 't'}},"
    " 'services': [{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'ssl://b:1',"
    " 'connect-tls': {'client-certificate-alias': 'client'}}]}",
    GH_CONFIG_ERROR_NEEDS_KEYSTORE, "services[0].connect-tls.client-certificate-alias", "p", "security.keystore" },
  { "connect-tls/client-alias-invalid", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'ssl://b:1',"
    " 'connect-tls': {'client-certificate-alias': ' client'}}",
    GH_CONFIG_ERROR_INVALID, "services[0].connect-tls.client-certificate-alias", "p", "not a keystore alias" },
  /* address conflicts */
  { "conflict/same-uri", ECHO_OK ", {'name': 'two', 'type': 'echo', 'accept': ['wss://localhost:8443/ok']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "two",
    "already accepted by service “ok” (services[0].accept[0])" },
  { "conflict/same-uri-other-spelling", "{'name': 'one', 'type': 'echo', 'accept': ['wss://gw.example/']},"
    " {'name': 'two', 'type': 'echo', 'accept': ['WSS://GW.EXAMPLE:443']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "two", "service “one”" },
  { "conflict/same-service", "{'name': 'e', 'type': 'echo', 'accept': ['ssl://h:9001', 'ssl://h:9001/']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[0].accept[1]", "e", "list it once" },
  { "conflict/http-and-ssl", ECHO_OK ", {'name': 'raw', 'type': 'echo', 'accept': ['ssl://localhost:8443']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "raw", "port 8443 already serves HTTP over TLS" },
  { "conflict/tcp-and-ws", "{'name': 'a', 'type': 'echo', 'accept': ['tcp://0.0.0.0:8080']},"
    " {'name': 'b', 'type': 'echo', 'accept': ['ws://gw.example:8080/b']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "b", "TCP streams (tcp)" },
  { "conflict/tls-and-plain", "{'name': 'a', 'type': 'echo', 'accept': ['wss://h:8443/a']},"
    " {'name': 'b', 'type': 'echo', 'accept': ['ws://h:8443/b']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "b", "HTTP over TLS" },
  { "conflict/tcp-loopback", "{'name': 'a', 'type': 'echo', 'accept': ['tcp://localhost:9000']},"
    " {'name': 'b', 'type': 'echo', 'accept': ['tcp://127.0.0.1:9000']}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[1].accept[0]", "b", "cannot tell host names apart" },
  { "conflict/admin-port", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '0.0.0.0:9443', 'client-ca': 'ca.pem'},"
    " 'services': [{'name': 'e', 'type': 'echo', 'accept': ['wss://localhost:9443/e']}]}",
    GH_CONFIG_ERROR_ADDRESS_CONFLICT, "services[0].accept[0]", "e", "the admin API’s" },
  /* tls toward clients */
  { "tls/priority", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h/'],"
    " 'tls': {'priority': 'NORMAL:-VERS-ALL:+VERS-TLS9.9'}}",
    GH_CONFIG_ERROR_INVALID, "services[0].tls.priority", "e", "“+VERS-TLS9.9”, at character 18" },
  { "tls/priority-empty", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h/'], 'tls': {'priority': ''}}",
    GH_CONFIG_ERROR_INVALID, "services[0].tls.priority", "e", "leave it out" },
  { "tls/verify-client-unknown", "{'name': 'e', 'type': 'echo', 'accept': ['wss://h/'],"
    " 'tls': {'verify-client': 'true'}}",
    GH_CONFIG_ERROR_INVALID, "services[0].tls.verify-client", "e", "none, optional and required" },
  { "tls/verify-client-needs-truststore", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'services': [{'name': 'e', 'type': 'echo', 'accept': ['wss://h/'], 'tls': {'verify-client': 'optional'}}]}",
    GH_CONFIG_ERROR_NEEDS_TRUSTSTORE, "services[0].tls.verify-client", "e", "security.truststore" },
  { "tls/without-tls-accept", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/', 'tcp://h:7'],"
    " 'tls': {'verify-client': 'required'}}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].tls", "e", "this service has none" },
  /* limits */
  { "limits/pending-zero", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/'], 'limits': {'max-pending-bytes': 0}}",
    GH_CONFIG_ERROR_OUT_OF_RANGE, "services[0].limits.max-pending-bytes", "e", "from 1024 to 1073741824" },
  { "limits/pending-huge", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/'],"
    " 'limits': {'max-pending-bytes': 1073741825}}",
    GH_CONFIG_ERROR_OUT_OF_RANGE, "services[0].limits.max-pending-bytes", "e", "is 1073741825" },
  { "limits/message-small", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/'], 'limits': {'max-message-bytes': 1023}}",
    GH_CONFIG_ERROR_OUT_OF_RANGE, "services[0].limits.max-message-bytes", "e", "from 1024 to 1073741824" },
  { "limits/idle-negative", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/'], 'limits': {'idle-timeout': -1}}",
    GH_CONFIG_ERROR_OUT_OF_RANGE, "services[0].limits.idle-timeout", "e", "from 1 to 604800" },
  { "limits/sessions-huge", "{'name': 'e', 'type': 'echo', 'accept': ['ws://h/'],"
    " 'limits': {'max-sessions': 99999999999999999999}}",
    GH_CONFIG_ERROR_OUT_OF_RANGE, "services[0].limits.max-sessions", "e", "from 1 to 1000000" },
  /* directory */
  { "directory/missing", "{'name': 'd', 'type': 'directory', 'accept': ['http://h/']}",
    GH_CONFIG_ERROR_MISSING, "services[0].directory", "d", "directory to serve" },
  { "directory/not-for-proxy", "{'name': 'p', 'type': 'proxy', 'accept': ['ws://h/'], 'connect': 'tcp://b:1',"
    " 'directory': 'www'}",
    GH_CONFIG_ERROR_NOT_ALLOWED, "services[0].directory", "p", "only directory services serve files" },
  { "directory/empty", "{'name': 'd', 'type': 'directory', 'accept': ['http://h/'], 'directory': ''}",
    GH_CONFIG_ERROR_INVALID, "services[0].directory", "d", "is empty" },
  /* properties */
  { "properties/empty-name", "{'version': 1, 'properties': {'name': ''}}",
    GH_CONFIG_ERROR_INVALID, "properties.name", NULL, "host" },
  /* admin */
  { "admin/needs-keystore", "{'version': 1, 'admin': {'client-ca': 'ca.pem'}}",
    GH_CONFIG_ERROR_NEEDS_KEYSTORE, "admin", NULL, "TLS only" },
  { "admin/client-ca-missing", "{'version': 1, 'security': {'keystore': {'file': 'k'}}, 'admin': {}}",
    GH_CONFIG_ERROR_MISSING, "admin.client-ca", NULL, "PEM file" },
  { "admin/listen-no-port", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': 'localhost', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "“localhost” has no port" },
  { "admin/listen-bare-ipv6", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '::1:9443', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "[::1]:9443" },
  { "admin/listen-ipv6-no-port", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '[::1]', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "has no port" },
  { "admin/listen-not-ipv6", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '[localhost]:9443', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "not an IPv6 address" },
  { "admin/listen-port-zero", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '127.0.0.1:0', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "1 to 65535" },
  { "admin/listen-port-big", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '127.0.0.1:65536', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "“65536” is not a port" },
  { "admin/listen-port-sign", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '127.0.0.1:+9443', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "not a port" },
  { "admin/listen-empty", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'listen': '', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "is empty" },
  { "admin/alias", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'certificate-alias': '', 'client-ca': 'c'}}",
    GH_CONFIG_ERROR_INVALID, "admin.certificate-alias", NULL, "not a keystore alias" },
  { "admin/role-unknown", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'subject': 'CN=a', 'role': 'root'}]}}",
    GH_CONFIG_ERROR_INVALID, "admin.identities[0].role", NULL, "viewer, operator and admin" },
  { "admin/role-missing", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'subject': 'CN=a'}]}}",
    GH_CONFIG_ERROR_MISSING, "admin.identities[0].role", NULL, "viewer, operator or admin" },
  { "admin/subject-missing", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'role': 'viewer'}]}}",
    GH_CONFIG_ERROR_MISSING, "admin.identities[0].subject", NULL, "CN=gatehouse-admin" },
  { "admin/subject-not-dn", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'subject': 'gatehouse-admin', 'role': 'viewer'}]}}",
    GH_CONFIG_ERROR_INVALID, "admin.identities[0].subject", NULL, "distinguished name" },
  { "admin/fingerprint", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'subject': 'CN=a', 'role': 'viewer', 'fingerprint': 'abc'}]}}",
    GH_CONFIG_ERROR_INVALID, "admin.identities[0].fingerprint", NULL, "SHA-256" },
  { "admin/duplicate-identity", "{'version': 1, 'security': {'keystore': {'file': 'k'}},"
    " 'admin': {'client-ca': 'c', 'identities': [{'subject': 'CN=a', 'role': 'viewer'},"
    " {'subject': 'CN=a', 'role': 'admin'}]}}",
    GH_CONFIG_ERROR_DUPLICATE_NAME, "admin.identities[1].subject", NULL, "admin.identities[0]" },
};

static void
test_validation_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *text = NULL;

  if (g_str_has_prefix (c->services, "{'version'"))
    text = g_strdup (c->services);
  else
    text = with_services (c->services);

  assert_one_problem (text, c->code, c->path, c->service, c->why);
}

/* What the rules allow */

static void
test_valid_variants (void)
{
  const char *services[] = {
    /* Several services on one TLS port, told apart by host and path. */
    ECHO_OK ", {'name': 'b', 'type': 'echo', 'accept': ['wss://localhost:8443/b', 'wss://other.example:8443/ok']},"
    " {'name': 'f', 'type': 'directory', 'accept': ['https://localhost:8443/files/'], 'directory': '/srv/www'}",
    /* ssl on one port for two host names: SNI tells them apart. */
    "{'name': 'a', 'type': 'echo', 'accept': ['ssl://a.example:9001']},"
    " {'name': 'b', 'type': 'echo', 'accept': ['ssl://b.example:9001/']}",
    /* tcp on one port for two addresses. */
    "{'name': 'a', 'type': 'echo', 'accept': ['tcp://10.0.0.1:9000']},"
    " {'name': 'b', 'type': 'echo', 'accept': ['tcp://10.0.0.2:9000']}",
    /* ws and wss on their default ports; IPv6; a name with digits and dashes. */
    "{'name': 'echo-2', 'type': 'echo', 'accept': ['ws://[::1]/', 'wss://[::1]', 'ws://xn--bcher-kva.example/x']}",
    /* Every connect scheme, query on a WebSocket back-end, verification off without a truststore. */
    "{'name': 'p1', 'type': 'proxy', 'accept': ['ws://h:1'], 'connect': 'tcp://b:1'},"
    " {'name': 'p2', 'type': 'proxy', 'accept': ['ws://h:2'], 'connect': 'ssl://b:2',"
    "  'connect-tls': {'verify': true, 'server-name': 'backend.example', 'client-certificate-alias': 'client',"
    "                  'priority': 'SECURE128:-VERS-ALL:+VERS-TLS1.3'}},"
    " {'name': 'p3', 'type': 'proxy', 'accept': ['ws://h:3'], 'connect': 'ws://b/socket?token=x'},"
    " {'name': 'p4', 'type': 'proxy', 'accept': ['wss://h:4'], 'connect': 'wss://b:4/',"
    "  'tls': {'verify-client': 'required', 'priority': 'PERFORMANCE:%SERVER_PRECEDENCE'}}",
    /* Limits at their bounds. */
    "{'name': 'l1', 'type': 'echo', 'accept': ['ws://h:5'],"
    "  'limits': {'max-pending-bytes': 1024, 'max-message-bytes': 1024, 'idle-timeout': 1, 'max-sessions': 1}},"
    " {'name': 'l2', 'type': 'echo', 'accept': ['ws://h:6'],"
    "  'limits': {'max-pending-bytes': 1073741824, 'max-message-bytes': 1073741824, 'idle-timeout': 604800,"
    "             'max-sessions': 1000000}}",
    /* Different ports for different kinds. */
    "{'name': 'a', 'type': 'echo', 'accept': ['wss://h:1', 'ws://h:2', 'ssl://h:3', 'tcp://h:4']}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *text = with_services (services[i]);

      g_test_message ("variant %u", i);
      assert_valid (text);
    }

  /* A proxy to a TLS back-end without verification needs no truststore. */
  assert_valid ("{'version': 1, 'services': [{'name': 'p', 'type': 'proxy', 'accept': ['ws://h:1'],"
                " 'connect': 'ssl://b:1', 'connect-tls': {'verify': false}}]}");
  /* An admin listener on IPv6 and a name. */
  assert_valid ("{'version': 1, 'security': {'keystore': {'file': 'k'}},"
                " 'admin': {'listen': '[::1]:9443', 'client-ca': 'ca.pem', 'identities': ["
                "  {'subject': 'CN=a', 'role': 'viewer'},"
                "  {'subject': 'CN=a', 'role': 'admin', 'fingerprint': "
                "'0000000000000000000000000000000000000000000000000000000000000000'}]}}");
  assert_valid ("{'version': 1, 'security': {'keystore': {'file': 'k'}},"
                " 'admin': {'listen': 'admin.gw.example:443', 'client-ca': 'ca.pem'}}");
}

/* Several problems in one service, all reported, in order. */
static void
test_all_problems_reported (void)
{
  g_autofree char *text = with_services ("{'name': 'p', 'type': 'proxy', 'accept': ['ftp://h', 'ssl://h'],"
                                         " 'directory': 'x', 'limits': {'max-sessions': 0}}");
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GListModel) problems = gh_gateway_config_check (config);
  const char *paths[] = {
    "services[0].accept[0]", "services[0].accept[1]", "services[0].connect",
    "services[0].directory", "services[0].limits.max-sessions",
  };

  print_problems (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, G_N_ELEMENTS (paths));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);

      g_assert_cmpstr (gh_config_problem_get_path (problem), ==, paths[i]);
      g_assert_cmpstr (gh_config_problem_get_service (problem), ==, "p");
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/sketch", test_sketch);
  g_test_add_func ("/config/validate/shared-tls-port", test_shared_tls_port);
  g_test_add_func ("/config/sketch-protocols", test_sketch_protocols);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/round-trip-everything", test_round_trip_everything);
  g_test_add_func ("/config/round-trip-at-size-limit", test_round_trip_at_size_limit);
  g_test_add_func ("/config/minimal-stays-minimal", test_minimal_stays_minimal);
  g_test_add_func ("/config/equal", test_equal);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/fail-closed", test_fail_closed);
  g_test_add_func ("/config/admin-roles", test_admin_roles);
  g_test_add_func ("/config/admin-timeouts", test_admin_timeouts);
  g_test_add_func ("/config/files", test_files);
  g_test_add_func ("/config/base-directory", test_base_directory);
  g_test_add_func ("/config/same-files", test_same_files);
  g_test_add_func ("/config/error-details", test_error_details);
  g_test_add_func ("/config/problem-limit", test_problem_limit);
  g_test_add_func ("/config/parse/syntax", test_parse_syntax);
  g_test_add_func ("/config/parse/nul", test_parse_nul);
  g_test_add_func ("/config/parse/length", test_parse_length);
  g_test_add_func ("/config/parse/list-limits", test_parse_list_limits);
  g_test_add_func ("/config/parse/version", test_parse_version);
  g_test_add_func ("/config/parse/unknown-member", test_parse_unknown_member);
  g_test_add_func ("/config/parse/wrong-type", test_parse_wrong_type);
  g_test_add_func ("/config/parse/all-problems", test_parse_all_problems);
  g_test_add_func ("/config/parse/duplicate-member", test_parse_duplicate_member);
  g_test_add_func ("/config/parse/null-is-absent", test_parse_null_is_absent);
  g_test_add_func ("/config/validate/valid-variants", test_valid_variants);
  g_test_add_func ("/config/validate/all-problems", test_all_problems_reported);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/validate/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_validation_case);
    }

  return g_test_run ();
}
