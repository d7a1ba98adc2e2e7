/* test-trust.c — the Trust page against the real gatehoused and back-ends we did not
 * write (openssl s_server), with a PKI made at run time by trust-pki.sh (openssl):
 *
 *   echo        the gateway's entry "gateway" replaced, through the API, by a
 *               certificate that expired in 2021: the clients' leaf is expired
 *   good        a back-end whose CA is in the truststore, for its own name
 *   stranger    a back-end whose CA (sent with its chain) is not in the truststore
 *   wronghost   a back-end with a certificate for elsewhere.test, reached as localhost
 *   nointer     a back-end sending its leaf without the intermediate the truststore
 *               lacks (its root is trusted)
 *   mtls        clients' certificates asked for (tls.verify-client), and the gateway's
 *               entry "gateway" presented to the good back-end as a client certificate
 *   revoked     a back-end whose certificate the Back-end CA revoked, its list
 *               (openssl ca -gencrl) uploaded to the truststore through the API
 *
 * Each case shows its finding at the certificate it is about, with its fix as an
 * action; a viewer finds every fix off, the role named; the fixes taken (the CA added
 * to the truststore through the import preview, the expired entry rotated, the server
 * name set in the service editor) turn the nodes green against the real gateway; a change made by someone else (the missing
 * intermediate added by another client) shows without any action of the page; every
 * node can be focused and has a name and a description; the page keeps the last
 * chains, marked, when the gateway goes away. What the probe saw as a session (the SNI
 * sent, the TLS, the verdict) is said under each back-end; a back-end's certificate
 * opens in the certificate details as the back-end sent it, and a revoked one shows the
 * list that revoked it.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page is rendered there (light and dark, wide
 * and narrow), before and after the fixes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "gh-admin-client-crls.h"
#include "gh-api.h"
#include "gh-certificate-details.h"
#include "gh-gateway-connection.h"
#include "gh-import-dialog.h"
#include "gh-service-editor.h"
#include "gh-test-gateway.h"
#include "gh-test-identity.h"
#include "gh-test-widgets.h"
#include "gh-trust-page.h"
#include "gh-window.h"

#define TIMEOUT_SECONDS 60
#define VIEWER_PASSWORD "viewer password of the test"

typedef struct {
  const char *service;
  const char *cert;
  const char *key;
  const char *chain;      /* nullable: sent after the leaf */
  guint16     port;
  GSubprocess *server;
} Backend;

static Backend backends[] = {
  { "good", "backend.pem", "backend.key", NULL },
  { "stranger", "stranger.pem", "stranger.key", "stranger-ca.pem" },
  { "wronghost", "wronghost.pem", "wronghost.key", NULL },
  { "nointer", "leaf-of-intermediate.pem", "leaf-of-intermediate.key", NULL },
  { "revoked", "revoked.pem", "revoked.key", NULL },
};

typedef struct {
  GhTestGateway       *gateway;
  GTlsCertificate     *identity;
  char                *pki;
  char                *viewer_path;

  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhTrustPage         *page;
} Setup;

static Setup setup;

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

static GhAdminClient *
new_client (void)
{
  return gh_admin_client_new (setup.gateway->admin_url, setup.identity, setup.gateway->fingerprint);
}

static GBytes *
pki_file (const char *name)
{
  g_autofree char *path = g_build_filename (setup.pki, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static char *
pki_text (const char *name)
{
  g_autoptr(GBytes) bytes = pki_file (name);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Setup: the PKI, the back-ends, the services */

static void
die_with_parent (gpointer user_data)
{
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (127);
}

static void
make_pki (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("GATEHOUSE_SOURCE_ROOT"), "tests", "ui", "trust-pki.sh", NULL);
  g_autoptr(GSubprocess) process = NULL;

  setup.pki = g_build_filename (setup.gateway->dir, "pki", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sh", script, setup.pki, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static void
start_backends (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      Backend *backend = &backends[i];
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                                                           G_SUBPROCESS_FLAGS_STDIN_PIPE);
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;

      backend->port = gh_test_free_port ();
      g_subprocess_launcher_set_cwd (launcher, setup.pki);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER ((int) getpid ()), NULL);
      g_ptr_array_add (argv, g_strdup ("openssl"));
      g_ptr_array_add (argv, g_strdup ("s_server"));
      g_ptr_array_add (argv, g_strdup ("-www"));
      g_ptr_array_add (argv, g_strdup ("-accept"));
      g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", backend->port));
      g_ptr_array_add (argv, g_strdup ("-cert"));
      g_ptr_array_add (argv, g_strdup (backend->cert));
      g_ptr_array_add (argv, g_strdup ("-key"));
      g_ptr_array_add (argv, g_strdup (backend->key));
      if (backend->chain != NULL)
        {
          g_ptr_array_add (argv, g_strdup ("-cert_chain"));
          g_ptr_array_add (argv, g_strdup (backend->chain));
        }
      g_ptr_array_add (argv, NULL);
      backend->server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
    }
  /* Polled: nothing wakes the main context when a port opens. */
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      guint tries = 0;

      while (!gh_test_port_accepts (backends[i].port) && tries++ < TIMEOUT_SECONDS * 10)
        g_usleep (G_USEC_PER_SEC / 10);
      g_assert_true (gh_test_port_accepts (backends[i].port));
    }
}

static void
stop_backends (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (backends[i].server != NULL)
      {
        g_subprocess_force_exit (backends[i].server);
        g_subprocess_wait (backends[i].server, NULL, NULL);
        g_clear_object (&backends[i].server);
      }
}

/* A proxy service per back-end, its chain and host name verified. */
static void
add_services (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *services;

  json_parser_load_from_file (parser, setup.gateway->config_path, &error);
  g_assert_no_error (error);
  services = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "services");
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"name\": \"%s\", \"type\": \"proxy\","
                                               " \"accept\": [\"wss://localhost:%u/%s\"],"
                                               " \"connect\": \"ssl://localhost:%u\","
                                               " \"connect-tls\": {\"verify\": true}}",
                                               backends[i].service, setup.gateway->port, backends[i].service,
                                               backends[i].port);
      JsonNode *service = json_from_string (text, &error);

      g_assert_no_error (error);
      json_array_add_element (services, service);
    }
  /* On a port of its own: one TLS setup per port. */
  {
    g_autofree char *text = g_strdup_printf ("{\"name\": \"mtls\", \"type\": \"proxy\","
                                             " \"accept\": [\"wss://localhost:%u/mtls\"],"
                                             " \"tls\": {\"verify-client\": \"optional\"},"
                                             " \"connect\": \"ssl://localhost:%u\","
                                             " \"connect-tls\": {\"verify\": true,"
                                             " \"client-certificate-alias\": \"gateway\"}}",
                                             gh_test_free_port (), backends[0].port);

    json_array_add_element (services, json_from_string (text, &error));
    g_assert_no_error (error);
  }
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  g_assert_true (json_generator_to_file (generator, setup.gateway->config_path, &error));
  g_assert_no_error (error);
}

static gint64
config_version (GhAdminClient *client)
{
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  gint64 version = 0;

  config = gh_admin_client_get_config_finish (client, result, &version, &error);
  g_assert_no_error (error);
  return version;
}

static void
trust (GhAdminClient *client,
       const char    *alias,
       const char    *file)
{
  g_autofree char *pem = pki_text (file);
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_add_trusted_async, client, alias, pem,
                                        config_version (client));
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_admin_client_add_trusted_finish (client, result, NULL, &error));
  g_assert_no_error (error);
}

/* Through the API, as an administrator would: the CAs the gateway trusts, and an
 * expired certificate in place of the gateway's. */
static void
break_gateway_entry (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GBytes) expired = pki_file ("gateway-expired.pem");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  trust (client, "gateway-ca", "gateway-ca.pem");
  trust (client, "backend-ca", "backend-ca.pem");
  trust (client, "root-ca", "root-ca.pem");
  {
    g_autofree char *crl = pki_text ("backend-ca.crl");
    g_autoptr(GAsyncResult) added = RUN (gh_admin_client_add_crls_async, client, crl, config_version (client));

    g_assert_true (gh_admin_client_add_crls_finish (client, added, NULL, &error));
    g_assert_no_error (error);
  }
  result = RUN (gh_admin_client_rotate_key_async, client, "gateway", GH_API_KEY_FORMAT_PEM, expired, NULL, NULL,
                config_version (client));
  entry = gh_admin_client_rotate_key_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
}

static void
make_setup (void)
{
  g_autoptr(GError) error = NULL;

  setup.gateway = gh_test_gateway_new ("ui/trust");
  setup.viewer_path = gh_test_gateway_add_identity (setup.gateway, "test-viewer", "viewer", VIEWER_PASSWORD);
  make_pki ();
  start_backends ();
  add_services ();
  setup.identity = gh_admin_client_load_identity (setup.gateway->identity_path, setup.gateway->password, &error);
  g_assert_no_error (error);
  gh_test_gateway_start (setup.gateway);
  break_gateway_entry ();
}

/* The page */

static GhTrustNode *
find_node (GhTrustPage *page,
           const char  *service,
           GhTrustSide  side,
           guint        index)
{
  GhTrustDiagram *diagram = gh_trust_page_get_diagram (page, service);
  GPtrArray *nodes;

  if (diagram == NULL)
    return NULL;
  nodes = gh_trust_diagram_get_nodes (diagram, side);
  return index < nodes->len ? g_ptr_array_index (nodes, index) : NULL;
}

static gboolean
node_has (GhTrustPage *page,
          const char  *service,
          GhTrustSide  side,
          guint        index,
          const char  *kind)
{
  GhTrustNode *node = find_node (page, service, side, index);

  return node != NULL && gh_trust_node_has_finding (node, kind);
}

/* Every node of @side fine (and there is one at least). */
static gboolean
side_fine (GhTrustPage *page,
           const char  *service,
           GhTrustSide  side)
{
  GhTrustDiagram *diagram = gh_trust_page_get_diagram (page, service);
  GPtrArray *nodes = diagram != NULL ? gh_trust_diagram_get_nodes (diagram, side) : NULL;

  if (nodes == NULL || nodes->len == 0)
    return FALSE;
  for (guint i = 0; i < nodes->len; i++)
    if (!g_str_equal (gh_trust_node_get_style_class (g_ptr_array_index (nodes, i)), "success"))
      return FALSE;
  return TRUE;
}

/* A node named @name on @side, from @first on. */
static gboolean
has_node_named (GhTrustPage *page,
                const char  *service,
                GhTrustSide  side,
                const char  *name,
                guint        first)
{
  GhTrustNode *node;

  for (guint i = first; (node = find_node (page, service, side, i)) != NULL; i++)
    if (g_str_equal (gh_trust_node_get_name (node), name))
      return TRUE;
  return FALSE;
}

/* Whether a label of @service's diagram says @text. */
static gboolean
diagram_says (const char *service,
              const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (gh_trust_page_get_diagram (setup.page, service)), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The id of the Back-end CA's list in the gateway's truststore. */
static const char *
crl_id (void)
{
  static char *id;
  g_autoptr(GhAdminClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) crls = NULL;
  g_autoptr(GhApiCrl) crl = NULL;
  g_autoptr(GError) error = NULL;

  if (id != NULL)
    return id;
  client = new_client ();
  result = RUN (gh_admin_client_list_crls_async, client);
  crls = gh_admin_client_list_crls_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (crls), ==, 1);
  crl = g_list_model_get_item (crls, 0);
  g_assert_cmpstr (gh_api_crl_get_issuer (crl), ==, "CN=Trust Test Back-end CA");
  id = g_strdup (gh_api_crl_get_id (crl));
  return id;
}

static gboolean
page_shows_all_cases (GhTrustPage *page)
{
  return gh_trust_page_get_idle (page) &&
         node_has (page, "echo", GH_TRUST_SIDE_CLIENTS, 0, "expired") &&
         node_has (page, "stranger", GH_TRUST_SIDE_BACKEND, 1, "untrusted-root") &&
         node_has (page, "wronghost", GH_TRUST_SIDE_BACKEND, 0, "host-mismatch") &&
         node_has (page, "nointer", GH_TRUST_SIDE_BACKEND, 0, "missing-intermediate") &&
         side_fine (page, "good", GH_TRUST_SIDE_BACKEND) &&
         node_has (page, "revoked", GH_TRUST_SIDE_BACKEND, 0, "revoked") &&
         node_has (page, "mtls", GH_TRUST_SIDE_BACKEND, 2, "expired");
}

static void
open_window (void)
{
  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_TRUST_PAGE (g_object_ref (gh_trust_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);
  gh_trust_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (page_shows_all_cases (setup.page), "the diagrams");
}

static void
assert_fix (GhTrustNode *node,
            const char  *kind,
            const char  *action,
            const char  *target)
{
  GtkWidget *fix = gh_trust_node_get_fix (node, kind);
  GVariant *value;

  g_assert_nonnull (fix);
  g_assert_true (gtk_widget_is_ancestor (fix, GTK_WIDGET (node)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (fix)), ==, action);
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (fix));
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, target);
  /* An admin may take it. */
  g_assert_true (gtk_widget_is_sensitive (fix));
}

static void
test_findings (void)
{
  GhTrustNode *node;
  g_autofree char *summary = NULL;

  /* The clients of echo are served the expired entry: at its leaf, with the rotation. */
  node = find_node (setup.page, "echo", GH_TRUST_SIDE_CLIENTS, 0);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "localhost");
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  assert_fix (node, "expired", "trust.rotate", "gateway");

  /* A good back-end: every link green, no finding. */
  g_assert_true (side_fine (setup.page, "good", GH_TRUST_SIDE_BACKEND));
  node = find_node (setup.page, "good", GH_TRUST_SIDE_BACKEND, 0);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "localhost");
  g_assert_null (gh_trust_node_get_fix (node, "untrusted-root"));
  g_assert_cmpstr (gh_trust_node_get_name (find_node (setup.page, "good", GH_TRUST_SIDE_BACKEND, 1)), ==,
                   "Trust Test Back-end CA");

  /* The stranger's root is not trusted: at the root, adding it to the truststore. */
  node = find_node (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 1);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "Trust Test Stranger CA");
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  assert_fix (node, "untrusted-root", "trust.add-ca", "stranger");
  g_assert_false (gh_trust_node_has_finding (find_node (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 0),
                                             "untrusted-root"));

  /* The wrong name: at the leaf, setting server-name in the service's editor. */
  node = find_node (setup.page, "wronghost", GH_TRUST_SIDE_BACKEND, 0);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "elsewhere.test");
  assert_fix (node, "host-mismatch", "trust.edit-service", "wronghost");

  /* The leaf alone, its issuer unknown: at the leaf, adding the intermediate. */
  node = find_node (setup.page, "nointer", GH_TRUST_SIDE_BACKEND, 0);
  assert_fix (node, "missing-intermediate", "trust.add-ca", "nointer");

  /* Client certificates asked for: the truststore's anchors they must chain to, after
   * the accept's chain (leaf, anchor). */
  g_assert_true (has_node_named (setup.page, "mtls", GH_TRUST_SIDE_CLIENTS, "Trust Test Back-end CA", 2));
  g_assert_true (has_node_named (setup.page, "mtls", GH_TRUST_SIDE_CLIENTS, "Trust Test Root CA", 2));
  /* The client certificate the gateway presents to the back-end, after its chain: the
   * expired entry, with its rotation. */
  node = find_node (setup.page, "mtls", GH_TRUST_SIDE_BACKEND, 2);
  g_assert_nonnull (node);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "localhost");
  assert_fix (node, "expired", "trust.rotate", "gateway");

  /* Revoked by its CA, whose list is in the truststore: at the leaf, in words whose fix
   * it is, with the list one click away; its issuer's other leaves are marked checked. */
  node = find_node (setup.page, "revoked", GH_TRUST_SIDE_BACKEND, 0);
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  assert_fix (node, "revoked", "trust.show-crl", crl_id ());
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "back-end’s operator"));
  g_assert_true (node_has (setup.page, "good", GH_TRUST_SIDE_BACKEND, 0, "revocation-checked"));
  g_assert_true (node_has (setup.page, "wronghost", GH_TRUST_SIDE_BACKEND, 0, "revocation-checked"));
  g_assert_false (node_has (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 0, "revocation-checked"));

  /* What a session would know, under each back-end: the name sent, the TLS, the verdict. */
  g_assert_true (diagram_says ("good", "Server name sent (SNI): localhost"));
  g_assert_true (diagram_says ("good", "TLS: TLS1."));
  g_assert_true (diagram_says ("good", "A session now: connected to ssl://localhost:"));
  g_assert_true (diagram_says ("revoked", "A session now: refused: back-end ssl://localhost:"));
  /* The clients' side says whose trust its chain needs: the gateway's CA is in the
   * truststore (the back-ends' trust), so clients need it too. */
  g_assert_true (diagram_says ("good", "Anchored in the gateway’s truststore, which is the back-ends’ trust"));
  /* openssl s_server asks no client certificate: the gateway's is not presented. */
  g_assert_true (diagram_says ("mtls", "The back-end did not ask for it: not presented"));

  /* The summary counts them: seven services; of their thirteen chains (seven accepts,
   * six back-ends: echo has none) no accept is fine (expired), two back-ends are. */
  summary = gh_trust_page_get_summary (setup.page);
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "7 Services"));
  g_assert_nonnull (strstr (summary, "2 of 13 Chains fine"));
  g_assert_nonnull (strstr (summary, "Need attention"));
  g_assert_nonnull (strstr (summary, "2021-01-01 Nearest expiry: localhost"));

  /* Probed again on demand: the same verdict. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "trust.probe", "s", "nointer"));
  g_assert_false (gh_trust_page_get_idle (setup.page));
  WAIT_FOR (gh_trust_page_get_idle (setup.page), "the probe");
  g_assert_true (node_has (setup.page, "nointer", GH_TRUST_SIDE_BACKEND, 0, "missing-intermediate"));
  gh_test_screenshots (GTK_WINDOW (setup.window), "trust-page-findings", NULL);
  /* The revoked back-end and the session facts, up close. */
  gh_test_screenshots (GTK_WINDOW (setup.window), "trust-revoked",
                       GTK_WIDGET (gh_trust_page_get_diagram (setup.page, "revoked")));
}

static gboolean
window_page_shown (GtkWidget *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  gh_test_collect (window, GH_TYPE_TRUST_PAGE, pages);
  if (pages->len != 1 || !gtk_widget_get_mapped (g_ptr_array_index (pages, 0)) ||
      !page_shows_all_cases (g_ptr_array_index (pages, 0)))
    return FALSE;
  /* Not in the middle of a crossfade */
  gh_test_collect (window, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (g_ptr_array_index (stacks, i)))
      return FALSE;
  return TRUE;
}

/* The metainfo's screenshot: the whole window on the Trust page, its chains broken,
 * at the top of the page with the summary (only with GATEHOUSE_SCREENSHOT_DIR). */
static void
test_window_screenshot (void)
{
  g_autoptr(GhGatewayConnection) connection = NULL;
  GtkWidget *window;

  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("no GATEHOUSE_SCREENSHOT_DIR");
      return;
    }

  /* What GtkApplication does for the app: its icons from its resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/gatehouse/Gatehouse/icons");
  window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  gtk_window_present (GTK_WINDOW (window));
  /* A connection of its own: the window stops its gateways when it goes. */
  connection = gh_gateway_connection_new ("Lab", setup.gateway->admin_url, setup.gateway->identity_path,
                                          setup.gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, setup.gateway->password, FALSE);
  gh_window_add_gateway (GH_WINDOW (window), connection);
  gh_window_set_page (GH_WINDOW (window), "trust");
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED && window_page_shown (window),
            "the window's trust diagrams");
  /* At the top of the page: the summary, then the first diagrams with their breaks. */
  {
    g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();

    gh_test_drain ();
    gh_test_collect (window, GTK_TYPE_SCROLLED_WINDOW, scrolled);
    for (guint i = 0; i < scrolled->len; i++)
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, i)), 0);
  }
  gh_test_drain ();
  gh_test_save_png (window, "trust-window.png");
  gtk_window_destroy (GTK_WINDOW (window));
  gh_test_drain ();
  g_object_unref (window);
}

static void
test_accessible (void)
{
  GhTrustNode *node = find_node (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 1);
  GtkWidget *card = gh_trust_node_get_card (node);
  g_autofree char *description = NULL;

  /* Every node's card is focusable and says what it is, when it expires and what is
   * wrong with it. */
  g_assert_true (gtk_widget_get_focusable (card));
  g_assert_true (gtk_widget_grab_focus (card));
  description = gtk_widget_get_tooltip_text (card) != NULL ? g_strdup (gtk_widget_get_tooltip_text (card)) : NULL;
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, "Problem"));
  g_assert_nonnull (strstr (description, "Expires on"));
  g_assert_nonnull (strstr (description, "not a trusted anchor"));
  gh_test_assert_all_named (GTK_WIDGET (setup.window));
}

static void
test_viewer (void)
{
  g_autoptr(GhGatewayConnection) viewer = gh_gateway_connection_new ("viewer", setup.gateway->admin_url,
                                                                     setup.viewer_path, setup.gateway->fingerprint,
                                                                     FALSE);
  GhTrustPage *page = GH_TRUST_PAGE (gh_trust_page_new ());
  AdwWindow *window;
  struct { const char *service; GhTrustSide side; guint index; const char *kind; } fixes[] = {
    { "echo", GH_TRUST_SIDE_CLIENTS, 0, "expired" },
    { "stranger", GH_TRUST_SIDE_BACKEND, 1, "untrusted-root" },
    { "wronghost", GH_TRUST_SIDE_BACKEND, 0, "host-mismatch" },
    { "nointer", GH_TRUST_SIDE_BACKEND, 0, "missing-intermediate" },
  };

  gh_gateway_connection_set_password (viewer, VIEWER_PASSWORD, FALSE);
  gh_gateway_connection_start (viewer);
  WAIT_FOR (gh_gateway_connection_get_state (viewer) == GH_GATEWAY_STATE_CONNECTED &&
            gh_gateway_connection_get_role (viewer) == GH_ADMIN_ROLE_VIEWER, "the viewer's connection");
  window = gh_test_window_for_page (GTK_WIDGET (page), TIMEOUT_SECONDS);
  gh_trust_page_set_connection (page, viewer);
  WAIT_FOR (page_shows_all_cases (page), "the viewer's diagrams");
  gh_test_drain ();

  /* The viewer sees every finding; each fix is off and names the role it needs. */
  for (guint i = 0; i < G_N_ELEMENTS (fixes); i++)
    {
      GtkWidget *fix = gh_trust_node_get_fix (find_node (page, fixes[i].service, fixes[i].side, fixes[i].index),
                                              fixes[i].kind);

      g_assert_nonnull (fix);
      g_assert_false (gtk_widget_is_sensitive (fix));
      g_assert_nonnull (gtk_widget_get_tooltip_text (fix));
      g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (fix), "Needs the admin role"));
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (fix), "viewer"));
    }
  /* Showing a revocation list is reading: on. */
  g_assert_true (gtk_widget_is_sensitive (gh_trust_node_get_fix (find_node (page, "revoked", GH_TRUST_SIDE_BACKEND, 0),
                                                                 "revoked")));
  /* Probing again is reading: on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "trust.probe", "s", "good"));
  WAIT_FOR (gh_trust_page_get_idle (page), "the viewer's probe");
  gh_test_assert_all_named (GTK_WIDGET (window));

  gh_trust_page_set_connection (page, NULL);
  gh_test_destroy_window (GTK_WINDOW (window));
  gh_gateway_connection_stop (viewer);
  gh_test_drain ();
}

/* A back-end's certificate opens as the back-end sent it, in the details of the
 * Certificates page, verified as the gateway verifies it. */
static void
test_backend_details (void)
{
  GhTrustNode *node = find_node (setup.page, "good", GH_TRUST_SIDE_BACKEND, 0);
  g_autofree char *pem = pki_text ("backend.pem");
  g_autoptr(GhCertificate) expected = gh_certificate_new_from_pem (pem, -1, NULL);
  GhCertificateDetails *details;
  GhApiCertEntry *entry;
  GhCertificate *shown;

  g_assert_nonnull (expected);
  g_assert_null (adw_window_get_visible_dialog (setup.window));
  g_assert_true (gtk_widget_activate (gh_trust_node_get_card (node)));
  WAIT_FOR (GH_IS_CERTIFICATE_DETAILS (adw_window_get_visible_dialog (setup.window)), "the back-end's certificate");
  details = GH_CERTIFICATE_DETAILS (adw_window_get_visible_dialog (setup.window));
  entry = gh_certificate_details_get_entry (details);
  g_assert_cmpint (gh_api_cert_entry_get_store (entry), ==, GH_API_CERT_STORE_BACKEND);
  g_assert_cmpstr (gh_api_cert_entry_get_subject (entry), ==, "CN=localhost");
  /* The back-end's own certificate, byte for byte, with the issuer it sent after it. */
  shown = gh_api_cert_entry_get_certificate (entry);
  g_assert_true (g_bytes_equal (gh_certificate_get_der (shown), gh_certificate_get_der (expected)));
  WAIT_FOR (gh_certificate_details_get_verified (details), "the back-end's chain verified");
  adw_dialog_force_close (ADW_DIALOG (details));
  gh_test_drain ();

  /* The revoked back-end's fix shows the list that revoked it. */
  g_assert_true (gtk_widget_activate (gh_trust_node_get_fix (find_node (setup.page, "revoked", GH_TRUST_SIDE_BACKEND, 0),
                                                             "revoked")));
  WAIT_FOR (ADW_IS_ALERT_DIALOG (adw_window_get_visible_dialog (setup.window)), "the revocation list");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (adw_window_get_visible_dialog (setup.window))),
                            "From CN=Trust Test Back-end CA."));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (adw_window_get_visible_dialog (setup.window))),
                            "It revokes 1 certificate"));
  adw_dialog_force_close (adw_window_get_visible_dialog (setup.window));
  gh_test_drain ();
  g_assert_null (adw_window_get_visible_dialog (setup.window));
}

static GhImportDialog *
visible_import (void)
{
  AdwDialog *dialog = adw_window_get_visible_dialog (setup.window);

  return GH_IS_IMPORT_DIALOG (dialog) ? GH_IMPORT_DIALOG (dialog) : NULL;
}

/* The fix's file chosen (the file chooser is the desktop's): the preview, then Import. */
static void
take_import_fix (const char *rotate_alias,
                 const char *file)
{
  g_autoptr(GBytes) data = pki_file (file);
  GhImportDialog *dialog;

  gh_trust_page_preview_import (setup.page, rotate_alias, data, file);
  gh_test_drain ();
  dialog = visible_import ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), >=, 1);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (visible_import () == NULL, "the import");
}

static void
test_fix_add_ca (void)
{
  GtkWidget *fix = gh_trust_node_get_fix (find_node (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 1),
                                          "untrusted-root");

  g_assert_true (gtk_widget_is_sensitive (fix));
  take_import_fix (NULL, "stranger-ca.pem");
  WAIT_FOR (side_fine (setup.page, "stranger", GH_TRUST_SIDE_BACKEND) && gh_trust_page_get_idle (setup.page),
            "the stranger's chain to turn green");
  g_assert_false (node_has (setup.page, "stranger", GH_TRUST_SIDE_BACKEND, 1, "untrusted-root"));
}

static void
test_fix_rotate (void)
{
  take_import_fix ("gateway", "gateway-good.pem");
  WAIT_FOR (side_fine (setup.page, "echo", GH_TRUST_SIDE_CLIENTS) && gh_trust_page_get_idle (setup.page),
            "the clients' chain to turn green");
  g_assert_false (node_has (setup.page, "echo", GH_TRUST_SIDE_CLIENTS, 0, "expired"));
  /* Every service's accepts use the entry: all green now, and the good back-end too. */
  g_assert_true (side_fine (setup.page, "good", GH_TRUST_SIDE_CLIENTS));
  g_assert_true (side_fine (setup.page, "good", GH_TRUST_SIDE_BACKEND));
  /* The client certificate toward the back-end is that entry too. */
  g_assert_true (side_fine (setup.page, "mtls", GH_TRUST_SIDE_BACKEND));
  g_assert_false (node_has (setup.page, "mtls", GH_TRUST_SIDE_BACKEND, 2, "expired"));
}

static void
test_fix_server_name (void)
{
  GtkWidget *fix = gh_trust_node_get_fix (find_node (setup.page, "wronghost", GH_TRUST_SIDE_BACKEND, 0),
                                          "host-mismatch");
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *server_name = NULL;
  GhServiceEditor *editor;

  /* The fix opens the service's editor... */
  g_assert_true (gtk_widget_activate (fix));
  WAIT_FOR (GH_IS_SERVICE_EDITOR (adw_window_get_visible_dialog (setup.window)), "the service editor");
  editor = GH_SERVICE_EDITOR (adw_window_get_visible_dialog (setup.window));
  g_assert_cmpstr (gh_service_editor_get_service_name (editor), ==, "wronghost");

  /* ...where the name the back-end's certificate has is set and applied. */
  gh_test_collect (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (strstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "Server Name") != NULL)
      server_name = g_ptr_array_index (rows, i);
  g_assert_nonnull (server_name);
  gtk_editable_set_text (GTK_EDITABLE (server_name), "elsewhere.test");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  WAIT_FOR (adw_window_get_visible_dialog (setup.window) == NULL, "the editor to apply");
  WAIT_FOR (side_fine (setup.page, "wronghost", GH_TRUST_SIDE_BACKEND) && gh_trust_page_get_idle (setup.page),
            "the back-end's chain to verify for its name");
  g_assert_false (node_has (setup.page, "wronghost", GH_TRUST_SIDE_BACKEND, 0, "host-mismatch"));
}

static void
test_fix_add_intermediate (void)
{
  GtkWidget *fix = gh_trust_node_get_fix (find_node (setup.page, "nointer", GH_TRUST_SIDE_BACKEND, 0),
                                          "missing-intermediate");

  g_assert_true (gtk_widget_is_sensitive (fix));
  take_import_fix (NULL, "intermediate-ca.pem");
  WAIT_FOR (side_fine (setup.page, "nointer", GH_TRUST_SIDE_BACKEND) && gh_trust_page_get_idle (setup.page),
            "the leaf's chain to reach the truststore through the intermediate");
  g_assert_false (node_has (setup.page, "nointer", GH_TRUST_SIDE_BACKEND, 0, "missing-intermediate"));
}

/* The alias under which the truststore holds the certificate named @display_name. */
static char *
trusted_alias (GhAdminClient *client,
               const char    *display_name)
{
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_truststore_async, client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = gh_admin_client_list_truststore_finish (client, result, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiTruststoreEntry) entry = g_list_model_get_item (entries, i);
      GhCertificate *certificate = gh_api_truststore_entry_get_certificate (entry);

      if (certificate != NULL && g_strcmp0 (gh_certificate_get_display_name (certificate), display_name) == 0)
        return g_strdup (gh_api_truststore_entry_get_alias (entry));
    }
  return NULL;
}

static void
test_live (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autofree char *alias = trusted_alias (client, "Trust Test Intermediate CA");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Someone else removes the intermediate the page's fix added: the page follows... */
  g_assert_nonnull (alias);
  result = RUN (gh_admin_client_delete_trusted_async, client, alias, config_version (client));
  g_assert_true (gh_admin_client_delete_trusted_finish (client, result, NULL, &error));
  g_assert_no_error (error);
  WAIT_FOR (node_has (setup.page, "nointer", GH_TRUST_SIDE_BACKEND, 0, "missing-intermediate") &&
            gh_trust_page_get_idle (setup.page), "the page to show the intermediate missing again");

  /* ...and when they add it back. */
  trust (client, "intermediate-ca", "intermediate-ca.pem");
  WAIT_FOR (side_fine (setup.page, "nointer", GH_TRUST_SIDE_BACKEND) && gh_trust_page_get_idle (setup.page),
            "the page to follow the truststore");
  gh_test_screenshots (GTK_WINDOW (setup.window), "trust-page-fixed", NULL);
}

static void
test_stale (void)
{
  AdwBanner *banner = NULL;
  g_autoptr(GPtrArray) banners = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), ADW_TYPE_BANNER, banners);
  g_assert_cmpuint (banners->len, ==, 1);
  banner = g_ptr_array_index (banners, 0);
  g_assert_false (adw_banner_get_revealed (banner));

  gh_test_gateway_kill (setup.gateway);
  WAIT_FOR (gh_gateway_connection_get_state (setup.connection) != GH_GATEWAY_STATE_CONNECTED,
            "the connection to notice");
  gh_test_drain ();
  g_assert_true (adw_banner_get_revealed (banner));
  g_assert_nonnull (strstr (adw_banner_get_title (banner), "last seen"));
  /* The chains stay as last seen. */
  g_assert_true (side_fine (setup.page, "stranger", GH_TRUST_SIDE_BACKEND));
  g_assert_nonnull (gh_trust_page_get_diagram (setup.page, "wronghost"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) style = gtk_css_provider_new ();
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The app's stylesheet, as AdwApplication loads it: the screenshots show the app. */
  gtk_css_provider_load_from_resource (style, "/io/github/gatehouse/Gatehouse/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  make_setup ();
  open_window ();

  g_test_add_func ("/trust/findings", test_findings);
  g_test_add_func ("/trust/accessible", test_accessible);
  g_test_add_func ("/trust/window-screenshot", test_window_screenshot);
  g_test_add_func ("/trust/viewer", test_viewer);
  g_test_add_func ("/trust/backend-details", test_backend_details);
  g_test_add_func ("/trust/fix-add-ca", test_fix_add_ca);
  g_test_add_func ("/trust/fix-rotate", test_fix_rotate);
  g_test_add_func ("/trust/fix-server-name", test_fix_server_name);
  g_test_add_func ("/trust/fix-add-intermediate", test_fix_add_intermediate);
  g_test_add_func ("/trust/live", test_live);
  g_test_add_func ("/trust/stale", test_stale);

  status = g_test_run ();

  gh_trust_page_set_connection (setup.page, NULL);
  gh_test_destroy_window (GTK_WINDOW (setup.window));
  gh_test_drain ();
  g_assert_finalize_object (setup.page);
  gh_gateway_connection_stop (setup.connection);
  gh_test_drain ();
  g_clear_object (&setup.connection);
  gh_test_gateway_kill (setup.gateway);
  stop_backends ();
  g_clear_object (&setup.identity);
  g_free (setup.viewer_path);
  g_free (setup.pki);
  setup.gateway->keep_dir = status != 0;
  g_clear_pointer (&setup.gateway, gh_test_gateway_free);

  return status;
}
