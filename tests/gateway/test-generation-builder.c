/* test-generation-builder.c — what a configuration becomes in the running gateway: its
 * services, and a binding per address with the paths it serves; the errors that name
 * the member at fault; no socket bound on the way; and of a keystore's keys, only
 * those it serves decrypted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/pkcs12.h>

#include "gh-config-error.h"
#include "gh-config-problem.h"
#include "gh-generation-builder.h"
#include "gh-keystore-private.h"
#include "gh-test-files.h"
#include "gh-test-gateway.h"
#include "gh-tls-identities.h"

typedef struct {
  char   *dir;
  GFile  *base;
  guint16 port_a;
  guint16 port_b;
  guint16 port_c;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gh-generation-XXXXXX", &error);
  g_assert_no_error (error);
  f->base = g_file_new_for_path (f->dir);
  f->port_a = gh_test_free_port ();
  f->port_b = gh_test_free_port ();
  f->port_c = gh_test_free_port ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->base);
  gh_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* @text with ' for " and @A@, @B@, @C@ the fixture's ports, as a configuration. */
static GhGatewayConfig *
parse (Fixture    *f,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new (text);
  guint16 ports[] = { f->port_a, f->port_b, f->port_c };
  const char *names[] = { "@A@", "@B@", "@C@" };
  GhGatewayConfig *config;

  g_string_replace (json, "'", "\"", 0);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *port = g_strdup_printf ("%u", ports[i]);

      g_string_replace (json, names[i], port, 0);
    }
  config = gh_gateway_config_new_from_data (json->str, -1, &error);
  g_assert_no_error (error);
  gh_gateway_config_set_base_directory (config, f->base);
  return config;
}

static char *
key (guint16 port)
{
  return g_strdup_printf ("127.0.0.1:%u", port);
}

static const char services_config[] =
  "{ 'version': 1, 'services': ["
  "  { 'name': 'echo', 'type': 'echo', 'accept': ['ws://127.0.0.1:@A@/echo', 'tcp://127.0.0.1:@B@'] },"
  "  { 'name': 'files', 'type': 'directory', 'accept': ['http://127.0.0.1:@A@/files/'], 'directory': 'www' },"
  "  { 'name': 'proxy', 'type': 'proxy', 'accept': ['tcp://localhost:@C@'], 'connect': 'tcp://127.0.0.1:7' }"
  "] }";

static void
test_services_and_bindings (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f, services_config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, NULL, NULL, &error);
  g_autofree char *http_key = key (f->port_a);
  g_autofree char *tcp_key = key (f->port_b);
  g_autofree char *proxy_key = key (f->port_c);
  g_autoptr(GFile) www = g_file_get_child (f->base, "www");
  GhService *echo, *files, *proxy;
  GhBinding *http, *tcp, *raw;

  g_assert_no_error (error);
  g_assert_nonnull (generation);
  g_assert_true (generation->config == config);

  /* Without stores in the configuration: an empty keystore, no anchors, no admin. */
  g_assert_nonnull (generation->keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (generation->keystore)), ==, 0);
  g_assert_null (generation->truststore);
  g_assert_cmpuint (generation->anchors->len, ==, 0);
  g_assert_null (generation->admin_tls);

  g_assert_cmpuint (g_hash_table_size (generation->services), ==, 3);
  echo = g_hash_table_lookup (generation->services, "echo");
  files = g_hash_table_lookup (generation->services, "files");
  proxy = g_hash_table_lookup (generation->services, "proxy");
  g_assert_nonnull (echo);
  g_assert_cmpstr (echo->name, ==, "echo");
  g_assert_null (echo->directory);
  /* A directory is the configuration's, relative to its base directory. */
  g_assert_true (g_file_equal (files->directory, www));
  /* A plain tcp back-end needs no TLS. */
  g_assert_null (proxy->connect_tls);

  /* ws and http on one address share one binding; its paths name their services. */
  g_assert_cmpuint (g_hash_table_size (generation->bindings), ==, 3);
  http = g_hash_table_lookup (generation->bindings, http_key);
  g_assert_nonnull (http);
  g_assert_cmpstr (http->key, ==, http_key);
  g_assert_cmpstr (http->path, ==, "services[0].accept[0]");
  g_assert_true (http->http);
  g_assert_false (http->secure);
  g_assert_null (http->tls);
  g_assert_null (http->raw);
  g_assert_cmpuint (g_hash_table_size (http->paths), ==, 2);
  g_assert_true (g_hash_table_lookup (http->paths, "/echo") == echo);
  g_assert_true (g_hash_table_lookup (http->paths, "/files/") == files);
  g_assert_true (g_hash_table_contains (http->websocket, "/echo"));
  g_assert_false (g_hash_table_contains (http->websocket, "/files/"));

  tcp = g_hash_table_lookup (generation->bindings, tcp_key);
  g_assert_nonnull (tcp);
  g_assert_false (tcp->http);
  g_assert_true (tcp->raw == echo);
  g_assert_cmpstr (tcp->path, ==, "services[0].accept[1]");

  /* "localhost" is the IPv4 loopback. */
  raw = g_hash_table_lookup (generation->bindings, proxy_key);
  g_assert_nonnull (raw);
  g_assert_true (raw->raw == proxy);
}

static void
test_binds_nothing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f, services_config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, NULL, NULL, &error);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 ports[] = { f->port_a, f->port_b, f->port_c };

  g_assert_no_error (error);

  /* Every address of the generation is still free to bind. */
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, ports[i]);

      g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                    G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_socket_listener_close (listener);
}

static void
test_stores_given (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f, services_config);
  g_autoptr(GError) error = NULL;
  GhKeystore *keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  GhKeystore *truststore = gh_keystore_new (GH_KEYSTORE_FORMAT_PEM);
  GhGeneration *generation = gh_generation_build (config, keystore, truststore, &error);

  g_assert_no_error (error);
  /* The stores an admin request brings replace the files. */
  g_assert_true (generation->keystore == keystore);
  g_assert_true (generation->truststore == truststore);

  /* The generation holds its stores for as long as it lives, and no longer. */
  g_object_unref (keystore);
  g_object_unref (truststore);
  g_assert_true (GH_IS_KEYSTORE (generation->keystore));
  g_object_add_weak_pointer (G_OBJECT (keystore), (gpointer *) &keystore);
  g_object_add_weak_pointer (G_OBJECT (truststore), (gpointer *) &truststore);
  gh_generation_unref (generation);
  g_assert_null (keystore);
  g_assert_null (truststore);
}

static GhConfigProblem *
first_problem (const GError *error)
{
  GListModel *problems = gh_config_error_get_problems (error);

  g_assert_nonnull (problems);
  g_assert_cmpuint (g_list_model_get_n_items (problems), >=, 1);
  return g_list_model_get_item (problems, 0);
}

static void
test_invalid_config (Fixture       *f,
                     gconstpointer  data)
{
  /* Two services of one name: the validator's own error. */
  g_autoptr(GhGatewayConfig) config = parse (f,
    "{ 'version': 1, 'services': ["
    "  { 'name': 'a', 'type': 'echo', 'accept': ['tcp://127.0.0.1:@A@'] },"
    "  { 'name': 'a', 'type': 'echo', 'accept': ['tcp://127.0.0.1:@B@'] } ] }");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, NULL, NULL, &error);
  g_autoptr(GhConfigProblem) problem = NULL;

  g_assert_null (generation);
  g_assert_true (error != NULL && error->domain == GH_CONFIG_ERROR);
  problem = first_problem (error);
  g_assert_nonnull (strstr (gh_config_problem_get_path (problem), "services[1]"));
}

static void
test_missing_keystore (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f,
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'missing.p12' } }, 'services': ["
    "  { 'name': 'e', 'type': 'echo', 'accept': ['tcp://127.0.0.1:@A@'] } ] }");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, NULL, NULL, &error);
  g_autoptr(GhConfigProblem) problem = NULL;

  g_assert_null (generation);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_INVALID);
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "security.keystore");
  g_assert_nonnull (strstr (error->message, "missing.p12"));
}

static void
test_missing_client_certificate (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f,
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'ks.p12', 'password-file': 'ks.pw' } }, 'services': ["
    "  { 'name': 'p', 'type': 'proxy', 'accept': ['tcp://127.0.0.1:@A@'], 'connect': 'ssl://127.0.0.1:7',"
    "    'connect-tls': { 'verify': false, 'client-certificate-alias': 'nobody' } } ] }");
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, keystore, NULL, &error);
  g_autoptr(GhConfigProblem) problem = NULL;

  g_assert_null (generation);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_INVALID);
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "services[0].connect-tls.client-certificate-alias");
  g_assert_nonnull (strstr (error->message, "nobody"));
}

static void
test_secure_without_identity (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse (f,
    "{ 'version': 1, 'services': ["
    "  { 'name': 'e', 'type': 'echo', 'accept': ['ws://127.0.0.1:@A@/plain'] },"
    "  { 'name': 's', 'type': 'echo', 'accept': ['wss://127.0.0.1:@B@/secure'] } ] }");
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build (config, keystore, NULL, &error);
  g_autoptr(GhConfigProblem) problem = NULL;

  /* A TLS accept with no certificate for its host: refused at that accept. */
  g_assert_null (generation);
  g_assert_true (error != NULL && error->domain == GH_CONFIG_ERROR);
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "services[1].accept[0]");
}

#define KS_PASSWORD "keystore pass"

/* Adds a self-signed key entry to @certs (its certificate) and @p12 (its key, in a
 * bag of its own, encrypted with @key_password) as GnuTLS writes them. */
static void
add_p12_entry (gnutls_pkcs12_t     p12,
               gnutls_pkcs12_bag_t certs,
               const char         *alias,
               const char         *san,
               const char         *key_password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) cert = NULL;
  g_autofree char *subject = g_strdup_printf ("CN=%s", alias);
  const char *sans[] = { san, NULL };
  gnutls_datum_t pkcs8 = { NULL, 0 }, id = { (guchar *) alias, strlen (alias) };
  gnutls_pkcs12_bag_t keys = NULL;
  int index;

  g_assert_no_error (error);
  cert = gh_private_key_create_self_signed (key, subject, sans, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index = gnutls_pkcs12_bag_set_crt (certs, _gh_certificate_get_gnutls (cert)), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_friendly_name (certs, index, alias), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_key_id (certs, index, &id), >=, 0);

  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (key), GNUTLS_X509_FMT_DER,
                                                      key_password, GNUTLS_PKCS_PBES2_AES_256, &pkcs8), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_init (&keys), >=, 0);
  g_assert_cmpint (index = gnutls_pkcs12_bag_set_data (keys, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &pkcs8), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_friendly_name (keys, index, alias), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_set_key_id (keys, index, &id), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_set_bag (p12, keys), >=, 0);
  gnutls_pkcs12_bag_deinit (keys);
  gnutls_free (pkcs8.data);
}

/* ks.p12 (and ks.pw) in the fixture's directory: "local" for 127.0.0.1, "client" for
 * a back-end, five entries nothing uses, and "broken" for localhost, whose key has a
 * password of its own: the keystore's password does not open it. */
static void
write_keystore (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "ks.p12", NULL);
  g_autofree char *password_path = g_build_filename (f->dir, "ks.pw", NULL);
  g_autoptr(GError) error = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_pkcs12_bag_t certs = NULL;
  gnutls_datum_t out = { NULL, 0 };

  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_bag_init (&certs), >=, 0);
  add_p12_entry (p12, certs, "local", "127.0.0.1", KS_PASSWORD);
  add_p12_entry (p12, certs, "client", "client.test", KS_PASSWORD);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *alias = g_strdup_printf ("unused-%u", i);
      g_autofree char *name = g_strdup_printf ("unused-%u.test", i);

      add_p12_entry (p12, certs, alias, name, KS_PASSWORD);
    }
  add_p12_entry (p12, certs, "broken", "localhost", "a password of its own");
  g_assert_cmpint (gnutls_pkcs12_bag_encrypt (certs, KS_PASSWORD, GNUTLS_PKCS_PBES2_AES_256), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_set_bag (p12, certs), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, KS_PASSWORD), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out), >=, 0);

  g_file_set_contents_full (path, (const char *) out.data, out.size, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (password_path, KS_PASSWORD, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  gnutls_free (out.data);
  gnutls_pkcs12_bag_deinit (certs);
  gnutls_pkcs12_deinit (p12);
}

/* A keystore of eight entries, one used by an accept and one as a back-end's client
 * certificate. Without a TLS accept, building decrypts the client's key and no other.
 * With one, a client's SNI can reach every entry: building opens every key, so that
 * the first handshake with each name derives none (on the data plane); the key that
 * cannot be opened is tried once, at build, and breaks nothing until an accept (or a
 * client's SNI) uses it. */
static void
test_keys_opened_when_used (Fixture       *f,
                            gconstpointer  data)
{
  static const char *names[] = { "unused-1.test", "unused-2.test", "unused-3.test", "unused-4.test",
                                 "unused-5.test", "127.0.0.1" };
  g_autoptr(GhGatewayConfig) plain_config = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GhGatewayConfig) broken_config = NULL;
  g_autoptr(GhGeneration) plain = NULL;
  g_autoptr(GhGeneration) generation = NULL;
  g_autoptr(GhGeneration) refused = NULL;
  g_autoptr(GhConfigProblem) problem = NULL;
  g_autoptr(GError) error = NULL;
  GhTlsIdentity *identity;
  guint opened;

  write_keystore (f);
  plain_config = parse (f,
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'ks.p12', 'password-file': 'ks.pw' } }, 'services': ["
    "  { 'name': 'p', 'type': 'proxy', 'accept': ['tcp://127.0.0.1:@B@'], 'connect': 'ssl://127.0.0.1:7',"
    "    'connect-tls': { 'verify': false, 'client-certificate-alias': 'client' } } ] }");
  opened = _gh_sealed_key_count_opened ();
  plain = gh_generation_build (plain_config, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (plain->keystore)), ==, 8);
  g_assert_cmpuint (_gh_sealed_key_count_opened () - opened, ==, 1);

  config = parse (f,
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'ks.p12', 'password-file': 'ks.pw' } }, 'services': ["
    "  { 'name': 's', 'type': 'echo', 'accept': ['wss://127.0.0.1:@A@/secure'] },"
    "  { 'name': 'p', 'type': 'proxy', 'accept': ['tcp://127.0.0.1:@B@'], 'connect': 'ssl://127.0.0.1:7',"
    "    'connect-tls': { 'verify': false, 'client-certificate-alias': 'client' } } ] }");

  opened = _gh_sealed_key_count_opened ();
  generation = gh_generation_build (config, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (generation->keystore)), ==, 8);
  /* The eight identities' keys (the broken one tried, once) and the client's for
   * the back-end, which the connector holds apart. */
  g_assert_cmpuint (_gh_sealed_key_count_opened () - opened, ==, 9);

  /* Names only SNI reaches: their handshakes find the key open, and derive none. */
  opened = _gh_sealed_key_count_opened ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      identity = gh_tls_identities_select (generation->identities, names[i], "127.0.0.1");
      g_assert_nonnull (identity);
      g_assert_nonnull (gh_tls_identity_get_privkey (identity));
      g_assert_nonnull (gh_tls_identity_get_privkey (identity));
    }
  identity = gh_tls_identities_select (generation->identities, "unused-3.test", "127.0.0.1");
  g_assert_cmpstr (gh_tls_identity_get_alias (identity), ==, "unused-3");
  g_assert_cmpuint (_gh_sealed_key_count_opened () - opened, ==, 0);

  /* The key that does not open fails its handshakes, and was tried once, not per client. */
  identity = gh_tls_identities_select (generation->identities, "localhost", "127.0.0.1");
  g_assert_cmpstr (gh_tls_identity_get_alias (identity), ==, "broken");
  g_assert_null (gh_tls_identity_get_privkey (identity));
  g_assert_null (gh_tls_identity_get_privkey (identity));
  g_assert_false (gh_tls_identity_open_key (identity, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "“broken”"));
  g_clear_error (&error);
  g_assert_cmpuint (_gh_sealed_key_count_opened () - opened, ==, 0);

  /* An accept on the broken entry's host: the configuration is refused, naming it. */
  broken_config = parse (f,
    "{ 'version': 1, 'security': { 'keystore': { 'file': 'ks.p12', 'password-file': 'ks.pw' } }, 'services': ["
    "  { 'name': 's', 'type': 'echo', 'accept': ['wss://localhost:@A@/secure'] } ] }");
  refused = gh_generation_build (broken_config, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_true (error != NULL && error->domain == GH_CONFIG_ERROR);
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "services[0].accept[0]");
  g_assert_nonnull (strstr (error->message, "“broken”"));
}

static void
test_from_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) missing = g_file_get_child (f->base, "gatehoused.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGeneration) generation = gh_generation_build_from_file (missing, &error);

  g_assert_null (generation);
  g_assert_nonnull (error);
}

static void
test_error_to_problem (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "port in use");
  g_autoptr(GhConfigProblem) problem = NULL;
  GError *kept;

  gh_generation_error_to_problem (&error, "services[2].accept[0]");
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "port in use"));
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "services[2].accept[0]");

  /* A configuration problem already says where it is: it stays as it is. */
  kept = error;
  gh_generation_error_to_problem (&error, "elsewhere");
  g_assert_true (error == kept);
  g_clear_object (&problem);
  problem = first_problem (error);
  g_assert_cmpstr (gh_config_problem_get_path (problem), ==, "services[2].accept[0]");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/generation-builder/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("services-and-bindings", test_services_and_bindings);
  ADD ("binds-nothing", test_binds_nothing);
  ADD ("stores-given", test_stores_given);
  ADD ("invalid-config", test_invalid_config);
  ADD ("missing-keystore", test_missing_keystore);
  ADD ("missing-client-certificate", test_missing_client_certificate);
  ADD ("secure-without-identity", test_secure_without_identity);
  ADD ("from-file", test_from_file);
  ADD ("keys-opened-when-used", test_keys_opened_when_used);
#undef ADD
  g_test_add_func ("/generation-builder/error-to-problem", test_error_to_problem);

  return g_test_run ();
}
