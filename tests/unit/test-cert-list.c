/* test-cert-list.c — the Certificates page's model without a widget: how an expiry is
 * judged against the warning window, what uses which entry (accepts, the admin
 * listener, back-end client certificates, the anchors of the chains), and the list
 * updated in place (the same objects, only the changes notified)
 *
 * JSON is written with single quotes, turned into double quotes by parse_json();
 * "@LEAF@" and "@CA@" stand for real certificates made at run time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "gh-api.h"
#include "gh-import.h"
#include "gh-private-key.h"

static char *leaf_pem;      /* JSON-escaped PEM: CN=localhost, issued by the CA, 20 days */
static char *ca_pem;        /* JSON-escaped PEM: CN=Test Root CA, 3650 days */
static char *ca_sha256;
static GDateTime *leaf_not_after;

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new (text);

  g_string_replace (json, "'", "\"", 0);
  g_string_replace (json, "@LEAF@", leaf_pem, 0);
  g_string_replace (json, "@CA@", ca_pem, 0);
  g_string_replace (json, "@CA_SHA256@", ca_sha256, 0);
  json_parser_load_from_data (parser, json->str, -1, &error);
  g_assert_no_error (error);

  return json_parser_steal_root (parser);
}

static char *
escape_pem (GhCertificate *certificate)
{
  g_autofree char *pem = gh_certificate_to_pem (certificate);
  g_autoptr(GString) escaped = g_string_new (pem);

  g_string_replace (escaped, "\n", "\\n", 0);
  return g_string_free (g_steal_pointer (&escaped), FALSE);
}

static void
make_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhPrivateKey) leaf_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GhCertificate) leaf = NULL;
  static const char * const sans[] = { "localhost", NULL };

  g_assert_no_error (error);
  ca = gh_private_key_issue_certificate (ca_key, NULL, NULL, "CN=Test Root CA", NULL, 3650, GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  leaf = gh_private_key_issue_certificate (ca_key, ca, leaf_key, "CN=localhost", sans, 20, GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);

  ca_pem = escape_pem (ca);
  leaf_pem = escape_pem (leaf);
  ca_sha256 = g_strdup (gh_certificate_get_sha256_fingerprint (ca));
  leaf_not_after = g_date_time_ref (gh_certificate_get_not_after (leaf));
}

static GListModel *
entries_from_json (const char *text,
                   gboolean    truststore)
{
  g_autoptr(JsonNode) root = parse_json (text);
  JsonArray *array = json_node_get_array (root);
  GListStore *store = g_list_store_new (truststore ? GH_TYPE_API_TRUSTSTORE_ENTRY : GH_TYPE_API_KEYSTORE_ENTRY);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) entry = truststore
        ? G_OBJECT (gh_api_truststore_entry_new_from_json (json_array_get_element (array, i), &error))
        : G_OBJECT (gh_api_keystore_entry_new_from_json (json_array_get_element (array, i), &error));

      g_assert_no_error (error);
      g_list_store_append (store, entry);
    }
  return G_LIST_MODEL (store);
}

static const char keystore_json[] =
  "[ { 'alias': 'gateway', 'kind': 'key', 'chain': [ { 'pem': '@LEAF@' }, { 'pem': '@CA@' } ] },"
  "  { 'alias': 'admin', 'kind': 'key', 'chain': [ { 'pem': '@LEAF@' } ] },"
  "  { 'alias': 'spare', 'kind': 'trusted', 'chain': [ { 'pem': '@CA@' } ] } ]";

static const char truststore_json[] =
  "[ { 'alias': 'backend-ca', 'certificate': { 'pem': '@CA@' } } ]";

/* One accept served by "gateway" (its chain anchored at the CA), a plain one, and a
 * back-end whose probe found the same CA as its anchor. */
static const char service_tls_json[] =
  "{ 'accept': [ { 'uri': 'wss://localhost:8443/echo', 'host': 'localhost', 'secure': true, 'alias': 'gateway',"
  "                'chain': { 'trusted': true, 'severity': 'info', 'links': ["
  "                  { 'role': 'leaf', 'severity': 'info', 'certificate': { 'subject': 'CN=localhost' }, 'findings': [] },"
  "                  { 'role': 'anchor', 'severity': 'info',"
  "                    'certificate': { 'subject': 'CN=Test Root CA', 'sha256_fingerprint': '@CA_SHA256@' },"
  "                    'findings': [] } ] } },"
  "              { 'uri': 'ws://localhost:8080/plain', 'host': 'localhost', 'secure': false, 'alias': null,"
  "                'chain': null } ],"
  "  'connect': { 'uri': 'ssl://backend:9443', 'verify': true,"
  "               'probe': { 'ok': true, 'error': null, 'chain': { 'trusted': true, 'severity': 'info', 'links': ["
  "                  { 'role': 'leaf', 'severity': 'info', 'certificate': { 'subject': 'CN=backend' }, 'findings': [] },"
  "                  { 'role': 'anchor', 'severity': 'info',"
  "                    'certificate': { 'subject': 'CN=Test Root CA', 'sha256_fingerprint': '@CA_SHA256@' },"
  "                    'findings': [] } ] } } } }";

static const char config_json[] =
  "{ 'version': 1,"
  "  'security': { 'keystore': { 'file': 'ks.p12', 'password-file': 'ks.pw' }, 'truststore': { 'file': 'ts.pem' } },"
  "  'admin': { 'listen': '127.0.0.1:9443', 'certificate-alias': 'admin', 'client-ca': 'ca.pem' },"
  "  'services': ["
  "    { 'name': 'echo', 'type': 'echo', 'accept': ['wss://localhost:8443/echo'] },"
  "    { 'name': 'relay', 'type': 'proxy', 'accept': ['wss://localhost:8444/relay'],"
  "      'connect': 'ssl://backend:9443', 'connect-tls': { 'client-certificate-alias': 'gateway' } } ] }";

static GhApiCertUsage *
make_usage (void)
{
  g_autoptr(GhApiCertUsage) usage = gh_api_cert_usage_new ();
  g_autoptr(JsonNode) tls_node = parse_json (service_tls_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiServiceTls) tls = gh_api_service_tls_new_from_json (tls_node, &error);
  g_autoptr(GString) config_text = g_string_new (config_json);
  g_autoptr(GhGatewayConfig) config = NULL;

  g_assert_no_error (error);
  g_string_replace (config_text, "'", "\"", 0);
  config = gh_gateway_config_new_from_data (config_text->str, -1, &error);
  g_assert_no_error (error);

  gh_api_cert_usage_add_config (usage, config);
  gh_api_cert_usage_add_service_tls (usage, "echo", tls);
  /* Twice the same: each use once. */
  gh_api_cert_usage_add_service_tls (usage, "echo", tls);

  return g_steal_pointer (&usage);
}

static void
test_expiry_classify (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 12, 0, 0);
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) in_10_days = g_date_time_add_days (now, 10);
  g_autoptr(GDateTime) in_30_days = g_date_time_add_days (now, 30);
  g_autoptr(GDateTime) in_31_days = g_date_time_add_days (now, 31);

  g_assert_cmpint (gh_api_expiry_classify (NULL, now, 30), ==, GH_API_EXPIRY_NONE);
  g_assert_cmpint (gh_api_expiry_classify (past, now, 30), ==, GH_API_EXPIRY_EXPIRED);
  /* The instant itself is past: not after means "not after". */
  g_assert_cmpint (gh_api_expiry_classify (now, now, 30), ==, GH_API_EXPIRY_EXPIRED);
  g_assert_cmpint (gh_api_expiry_classify (in_10_days, now, 30), ==, GH_API_EXPIRY_SOON);
  g_assert_cmpint (gh_api_expiry_classify (in_30_days, now, 30), ==, GH_API_EXPIRY_SOON);
  g_assert_cmpint (gh_api_expiry_classify (in_31_days, now, 30), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpint (gh_api_expiry_classify (in_10_days, now, 7), ==, GH_API_EXPIRY_FINE);
  /* A window of 0 days: only what has expired. */
  g_assert_cmpint (gh_api_expiry_classify (in_10_days, now, 0), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpint (gh_api_expiry_classify (past, now, 0), ==, GH_API_EXPIRY_EXPIRED);

  g_assert_cmpint (gh_api_expiry_days_left (in_10_days, now), ==, 10);
  g_assert_cmpint (gh_api_expiry_days_left (past, now), ==, -1);
  g_assert_cmpint (gh_api_expiry_days_left (now, now), ==, 0);
}

static void
test_usage (void)
{
  g_autoptr(GhApiCertUsage) usage = make_usage ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GString) pem = g_string_new (ca_pem);
  g_auto(GStrv) gateway = gh_api_cert_usage_lookup (usage, GH_API_CERT_STORE_KEYSTORE, "gateway", NULL);
  g_auto(GStrv) admin = gh_api_cert_usage_lookup (usage, GH_API_CERT_STORE_KEYSTORE, "admin", NULL);
  g_auto(GStrv) unused = gh_api_cert_usage_lookup (usage, GH_API_CERT_STORE_KEYSTORE, "spare", NULL);
  g_auto(GStrv) trusted = NULL;
  g_auto(GStrv) same_alias_in_truststore = gh_api_cert_usage_lookup (usage, GH_API_CERT_STORE_TRUSTSTORE, "gateway", NULL);

  g_string_replace (pem, "\\n", "\n", 0);
  ca = gh_certificate_new_from_pem (pem->str, -1, &error);
  g_assert_no_error (error);

  /* The accept that serves it (once, though added twice), and the back-end client
   * certificate the configuration names. */
  g_assert_cmpuint (g_strv_length (gateway), ==, 2);
  g_assert_cmpstr (gateway[0], ==, "relay: client certificate to the back-end");
  g_assert_cmpstr (gateway[1], ==, "echo: wss://localhost:8443/echo");
  g_assert_cmpuint (g_strv_length (admin), ==, 1);
  g_assert_cmpstr (admin[0], ==, "Admin API");
  g_assert_cmpuint (g_strv_length (unused), ==, 0);
  /* The configuration and the accepts name keystore aliases, not the truststore's. */
  g_assert_cmpuint (g_strv_length (same_alias_in_truststore), ==, 0);

  /* A truststore certificate: the chains it anchors, by fingerprint. */
  trusted = gh_api_cert_usage_lookup (usage, GH_API_CERT_STORE_TRUSTSTORE, "backend-ca", ca);
  g_assert_cmpuint (g_strv_length (trusted), ==, 2);
  g_assert_cmpstr (trusted[0], ==, "echo: wss://localhost:8443/echo");
  g_assert_cmpstr (trusted[1], ==, "echo: back-end ssl://backend:9443");
}

typedef struct {
  guint changes;
  guint added;
  guint removed;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->changes++;
  changes->added += added;
  changes->removed += removed;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_list_update (void)
{
  g_autoptr(GhApiCertList) list = gh_api_cert_list_new ();
  g_autoptr(GListModel) keystore = entries_from_json (keystore_json, FALSE);
  g_autoptr(GListModel) truststore = entries_from_json (truststore_json, TRUE);
  g_autoptr(GListModel) smaller = entries_from_json ("[ { 'alias': 'admin', 'kind': 'key', 'chain': [ { 'pem': '@LEAF@' } ] } ]", FALSE);
  g_autoptr(GhApiCertUsage) usage = make_usage ();
  g_autoptr(GDateTime) now = g_date_time_add_days (leaf_not_after, -10);
  g_autoptr(GDateTime) later = g_date_time_add_days (leaf_not_after, 1);
  g_autoptr(GhApiCertEntry) gateway = NULL;
  g_autoptr(GhApiCertEntry) admin = NULL;
  GhApiCertEntry *backend_ca;
  GhApiCertEntry *spare;
  Changes changes = { 0 };
  guint notifies = 0;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == GH_TYPE_API_CERT_ENTRY);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  gh_api_cert_list_update (list, keystore, truststore, usage, now, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpuint (changes.added, ==, 4);

  /* The keystore first, in the gateway's order, then the truststore. */
  gateway = g_list_model_get_item (G_LIST_MODEL (list), 0);
  admin = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpstr (gh_api_cert_entry_get_alias (gateway), ==, "gateway");
  g_assert_cmpint (gh_api_cert_entry_get_store (gateway), ==, GH_API_CERT_STORE_KEYSTORE);
  g_assert_cmpint (gh_api_cert_entry_get_kind (gateway), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (gateway), ==, "Key Entry");
  g_assert_cmpstr (gh_api_cert_entry_get_display_name (gateway), ==, "localhost");
  g_assert_cmpstr (gh_api_cert_entry_get_subject (gateway), ==, "CN=localhost");
  g_assert_cmpstr (gh_api_cert_entry_get_issuer (gateway), ==, "Test Root CA");
  g_assert_cmpstr (gh_api_cert_entry_get_key_label (gateway), ==, "ECDSA P-256");
  g_assert_cmpuint (gh_api_cert_entry_get_chain (gateway)->len, ==, 2);
  /* 20-day certificate, judged 10 days before its end with a 30-day window. */
  g_assert_cmpint (gh_api_cert_entry_get_expiry (gateway), ==, GH_API_EXPIRY_SOON);
  g_assert_cmpstr (gh_api_cert_entry_get_expiry_label (gateway), ==, "Expires in 10 days");
  g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (gateway), ==,
                   "relay: client certificate to the back-end, echo: wss://localhost:8443/echo");

  spare = gh_api_cert_list_lookup (list, GH_API_CERT_STORE_KEYSTORE, "spare");
  g_assert_nonnull (spare);
  g_assert_cmpint (gh_api_cert_entry_get_kind (spare), ==, GH_API_CERT_KIND_TRUSTED);
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (spare), ==, "Trusted Certificate");
  g_assert_cmpint (gh_api_cert_entry_get_expiry (spare), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpstr (gh_api_cert_entry_get_expiry_label (spare), ==, "Valid");
  g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (spare), ==, "");

  backend_ca = gh_api_cert_list_lookup (list, GH_API_CERT_STORE_TRUSTSTORE, "backend-ca");
  g_assert_nonnull (backend_ca);
  g_assert_null (gh_api_cert_list_lookup (list, GH_API_CERT_STORE_TRUSTSTORE, "gateway"));
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (backend_ca), ==, "Trusted Authority");
  g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (backend_ca), ==,
                   "echo: wss://localhost:8443/echo, echo: back-end ssl://backend:9443");

  /* Two soon, nothing expired. */
  g_assert_cmpuint (gh_api_cert_list_count_expiring (list), ==, 2);

  /* Search: alias, subject and issuer, ignoring case. */
  g_assert_true (gh_api_cert_entry_matches (gateway, "GATE"));
  g_assert_true (gh_api_cert_entry_matches (gateway, "root ca"));
  g_assert_true (gh_api_cert_entry_matches (backend_ca, "cn=test"));
  g_assert_false (gh_api_cert_entry_matches (gateway, "backend"));
  g_assert_true (gh_api_cert_entry_matches (gateway, ""));

  /* The same data again: nothing changes, nothing is notified. */
  changes = (Changes) { 0 };
  g_signal_connect (gateway, "notify", G_CALLBACK (count_notify), &notifies);
  gh_api_cert_list_update (list, keystore, truststore, usage, now, 30);
  g_assert_cmpuint (changes.changes, ==, 0);
  g_assert_cmpuint (notifies, ==, 0);

  /* A narrower window: reclassified in place. */
  gh_api_cert_list_classify (list, now, 7);
  g_assert_cmpint (gh_api_cert_entry_get_expiry (gateway), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpuint (notifies, >, 0);
  g_assert_cmpuint (gh_api_cert_list_count_expiring (list), ==, 0);

  /* Past its end: expired. */
  gh_api_cert_list_update (list, keystore, truststore, usage, later, 30);
  g_assert_cmpint (gh_api_cert_entry_get_expiry (gateway), ==, GH_API_EXPIRY_EXPIRED);
  g_assert_cmpstr (gh_api_cert_entry_get_expiry_label (gateway), ==, "Expired");
  g_assert_cmpuint (changes.changes, ==, 0);

  /* Entries gone: removed; what stays is the same object; nothing is added. */
  changes = (Changes) { 0 };
  gh_api_cert_list_update (list, smaller, NULL, NULL, now, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (changes.removed, ==, 3);
  g_assert_cmpuint (changes.added, ==, 0);
  {
    g_autoptr(GhApiCertEntry) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (first == admin);
    /* Without the usage, no longer in use. */
    g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (admin), ==, "");
  }

  /* Back again: "admin" keeps its object and moves to its place. */
  gh_api_cert_list_update (list, keystore, truststore, usage, now, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  {
    g_autoptr(GhApiCertEntry) second = g_list_model_get_item (G_LIST_MODEL (list), 1);

    g_assert_true (second == admin);
  }
  g_signal_handlers_disconnect_by_data (gateway, &notifies);
  g_signal_handlers_disconnect_by_data (list, &changes);

  gh_api_cert_list_clear (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&admin));
  g_assert_finalize_object (g_steal_pointer (&gateway));
  g_assert_finalize_object (g_steal_pointer (&list));
}

/* What an import sends: a key entry as PEM (key, then chain) that reads back as the same
 * entry; a certificate alone goes to the truststore. */
static guint
count_blocks (const char *pem)
{
  guint n = 0;

  for (const char *at = strstr (pem, "-----BEGIN CERTIFICATE-----"); at != NULL;
       at = strstr (at + 1, "-----BEGIN CERTIFICATE-----"))
    n++;
  return n;
}

static void
test_key_upload (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) certificate = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GhKeystoreEntry) trusted = NULL;
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GhImport) again = NULL;
  g_autoptr(GhKeystoreEntry) read_back = NULL;
  g_autofree char *chain_pem = NULL;
  g_autofree char *upload_leaf_pem = NULL;
  g_autoptr(GhPrivateKey) ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) ca_certificate = NULL;

  g_assert_no_error (error);
  ca_certificate = gh_private_key_issue_certificate (ca_key, NULL, NULL, "CN=Upload CA", NULL, 30,
                                                     GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  certificate = gh_private_key_issue_certificate (ca_key, ca_certificate, key, "CN=upload.example", NULL, 30,
                                                  GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);
  g_ptr_array_add (chain, g_object_ref (certificate));
  g_ptr_array_add (chain, g_object_ref (ca_certificate));
  entry = gh_keystore_entry_new_key ("upload", key, chain);
  trusted = gh_keystore_entry_new_trusted ("ca", ca_certificate);

  g_assert_cmpint (gh_api_import_destination (entry), ==, GH_API_CERT_STORE_KEYSTORE);
  g_assert_cmpint (gh_api_import_destination (trusted), ==, GH_API_CERT_STORE_TRUSTSTORE);

  pem = gh_api_key_upload_pem (entry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), "-----BEGIN PRIVATE KEY-----"));

  again = gh_import_new_from_bytes (pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_import_get_entries (again)), ==, 1);
  read_back = g_list_model_get_item (gh_import_get_entries (again), 0);
  g_assert_cmpint (gh_keystore_entry_get_kind (read_back), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpuint (gh_keystore_entry_get_chain (read_back)->len, ==, 2);
  g_assert_true (gh_certificate_equal (gh_keystore_entry_get_certificate (read_back), certificate));
  g_assert_true (gh_private_key_matches (gh_keystore_entry_get_private_key (read_back), certificate));

  /* The preview's body: the chain alone, leaf first, and no key. */
  chain_pem = gh_api_key_upload_chain_pem (entry);
  g_assert_null (strstr (chain_pem, "PRIVATE KEY"));
  upload_leaf_pem = gh_certificate_to_pem (certificate);
  g_assert_true (g_str_has_prefix (chain_pem, upload_leaf_pem));
  g_assert_cmpuint (count_blocks (chain_pem), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  make_certificates ();

  g_test_add_func ("/cert-list/expiry-classify", test_expiry_classify);
  g_test_add_func ("/cert-list/usage", test_usage);
  g_test_add_func ("/cert-list/update", test_list_update);
  g_test_add_func ("/cert-list/key-upload", test_key_upload);

  status = g_test_run ();

  g_free (leaf_pem);
  g_free (ca_pem);
  g_free (ca_sha256);
  g_date_time_unref (leaf_not_after);
  return status;
}
