/* test-certificates.c — the Certificates page and its details against the real
 * gatehoused: `gatehoused init` into the build directory (a keystore with "gateway"
 * and "admin", a truststore with the gateway CA), a short-lived CA added to the
 * truststore through the API, and the page on a GhGatewayConnection as the window
 * makes one. The page lists the entries with their kinds, expiry badges and what uses
 * them; the search, the store and the Expiring filter pick the right rows; the
 * details show an entry's certificates field by field and its chain's findings; every
 * control has an accessible name; an identity with the viewer role finds every write
 * control of this page and of the Services page off, naming the role it needs; an
 * admin deletes a truststore certificate after a confirmation, and the gateway refuses
 * to delete a key entry its configuration names; and when the gateway goes away the
 * rows stay, marked as last seen.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page and the details are also rendered to
 * PNG files there (light and dark, wide and narrow).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-ca-reply-dialog.h"
#include "gh-certificate-details.h"
#include "gh-csr-dialog.h"
#include "gh-certificates-page.h"
#include "gh-import-dialog.h"
#include "gh-file-util.h"
#include "gh-gateway-connection.h"
#include "gh-keystore.h"
#include "gh-private-key.h"
#include "gh-services-page.h"
#include "gh-test-gateway.h"
#include "gh-test-identity.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 30
#define SOON_DAYS 10
#define VIEWER_PASSWORD "viewer password of the test"

typedef struct {
  GhTestGateway       *gateway;
  GTlsCertificate     *identity;
  char                *gateway_sha256;   /* the "gateway" entry's leaf, as the API gives it */
  char                *viewer_path;      /* an identity with the viewer role (PKCS#12) */

  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhCertificatesPage  *page;
} Setup;

static Setup setup;

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

static GhAdminClient *
new_client (void)
{
  return gh_admin_client_new (setup.gateway->admin_url, setup.identity, setup.gateway->fingerprint);
}

/* A CA that expires within the warning window, into the gateway's truststore. */
static void
add_short_lived_ca (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GAsyncResult) config_result = NULL;
  g_autoptr(GAsyncResult) add_result = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autofree char *pem = NULL;
  gint64 version = 0;

  g_assert_no_error (error);
  ca = gh_private_key_issue_certificate (key, NULL, NULL, "CN=Short-Lived Test CA", NULL, SOON_DAYS,
                                         GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  pem = gh_certificate_to_pem (ca);

  config_result = RUN (gh_admin_client_get_config_async, client);
  config = gh_admin_client_get_config_finish (client, config_result, &version, &error);
  g_assert_no_error (error);
  add_result = RUN (gh_admin_client_add_trusted_async, client, "soon-ca", pem, version);
  g_assert_true (gh_admin_client_add_trusted_finish (client, add_result, NULL, &error));
  g_assert_no_error (error);
}

static void
read_gateway_fingerprint (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_keystore_entry_async, client, "gateway");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_get_keystore_entry_finish (client, result, &error);

  g_assert_no_error (error);
  setup.gateway_sha256 = g_strdup (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (entry)));
}

static void
make_setup (void)
{
  g_autoptr(GError) error = NULL;

  setup.gateway = gh_test_gateway_new ("ui/certificates");
  /* A second admin identity, named in the configuration with the viewer role. */
  setup.viewer_path = gh_test_gateway_add_identity (setup.gateway, "test-viewer", "viewer", VIEWER_PASSWORD);
  setup.identity = gh_admin_client_load_identity (setup.gateway->identity_path, setup.gateway->password, &error);
  g_assert_no_error (error);
  gh_test_gateway_start (setup.gateway);
  add_short_lived_ca ();
  read_gateway_fingerprint ();
}

/* The page */

static gboolean
page_idle (void)
{
  return gh_certificates_page_get_idle (setup.page);
}

static GhApiCertEntry *
entry (GhApiCertStore  store,
       const char     *alias)
{
  return gh_api_cert_list_lookup (gh_certificates_page_get_entries (setup.page), store, alias);
}

/* The truststore entry of the gateway CA that `gatehoused init` wrote. */
static GhApiCertEntry *
gateway_ca_entry (void)
{
  GListModel *entries = G_LIST_MODEL (gh_certificates_page_get_entries (setup.page));

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiCertEntry) item = g_list_model_get_item (entries, i);

      if (gh_api_cert_entry_get_store (item) == GH_API_CERT_STORE_TRUSTSTORE &&
          g_str_has_prefix (gh_api_cert_entry_get_subject (item), "CN=Gatehouse Gateway CA"))
        return item;   /* the list holds it */
    }
  return NULL;
}

/* The aliases of the rows shown, in order, joined by spaces. */
static char *
shown_aliases (void)
{
  GListModel *model = gh_certificates_page_get_model (setup.page);
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_null_terminated (8, NULL, TRUE);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      GhApiCertEntry *item = g_list_model_get_item (model, i);

      g_ptr_array_add (items, item);
      g_ptr_array_add (aliases, (gpointer) gh_api_cert_entry_get_alias (item));
    }
  return g_strjoinv (" ", (char **) aliases->pdata);
}

static gboolean
used_by_contains (GhApiCertEntry *item,
                  const char     *text)
{
  const char * const *used_by = gh_api_cert_entry_get_used_by (item);

  for (guint i = 0; used_by[i] != NULL; i++)
    if (strstr (used_by[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  gh_test_collect (root, type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The subtitle of the action row titled @title under @root, or NULL. */
static const char *
row_value (GtkWidget  *root,
           const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gh_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)) &&
        g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return adw_action_row_get_subtitle (g_ptr_array_index (rows, i));
  return NULL;
}

static GhCertificateDetails *
visible_details (void)
{
  AdwDialog *dialog = adw_window_get_visible_dialog (setup.window);

  return GH_IS_CERTIFICATE_DETAILS (dialog) ? GH_CERTIFICATE_DETAILS (dialog) : NULL;
}

static void
close_details (void)
{
  adw_dialog_force_close (ADW_DIALOG (visible_details ()));
  gh_test_drain ();
  g_assert_null (visible_details ());
}

/* Fixtures: one connection and one window for the whole run, as the app has. */

static void
open_window (void)
{
  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_CERTIFICATES_PAGE (g_object_ref (gh_certificates_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);

  gh_certificates_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (entry (GH_API_CERT_STORE_KEYSTORE, "gateway") != NULL && page_idle (), "the certificates");
}

/* Tests */

static void
test_page_lists_entries (void)
{
  GhApiCertEntry *gateway = entry (GH_API_CERT_STORE_KEYSTORE, "gateway");
  GhApiCertEntry *admin = entry (GH_API_CERT_STORE_KEYSTORE, "admin");
  GhApiCertEntry *soon = entry (GH_API_CERT_STORE_TRUSTSTORE, "soon-ca");
  GhApiCertEntry *ca = gateway_ca_entry ();
  g_autofree char *echo_port = g_strdup_printf (":%u/echo", setup.gateway->port);
  g_autofree char *soon_label = NULL;
  GListModel *entries = G_LIST_MODEL (gh_certificates_page_get_entries (setup.page));

  /* What init made, and the CA added: nothing more, nothing less. */
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 4);
  g_assert_nonnull (gateway);
  g_assert_nonnull (admin);
  g_assert_nonnull (soon);
  g_assert_nonnull (ca);

  /* Kinds. */
  g_assert_cmpint (gh_api_cert_entry_get_kind (gateway), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (gateway), ==, "Key Entry");
  g_assert_cmpint (gh_api_cert_entry_get_kind (admin), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpint (gh_api_cert_entry_get_kind (soon), ==, GH_API_CERT_KIND_TRUSTED);
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (soon), ==, "Trusted Authority");

  /* Subject, issuer, key. */
  g_assert_cmpstr (gh_api_cert_entry_get_subject (gateway), ==, "CN=localhost");
  g_assert_true (g_str_has_prefix (gh_api_cert_entry_get_issuer (gateway), "Gatehouse Gateway CA"));
  g_assert_cmpstr (gh_api_cert_entry_get_key_label (gateway), ==, "ECDSA P-256");
  g_assert_cmpuint (gh_api_cert_entry_get_chain (gateway)->len, ==, 2);

  /* Expiry against the default warning window (30 days): 825 days is fine, 10 soon. */
  g_assert_cmpint (gh_api_cert_entry_get_expiry (gateway), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpstr (gh_api_cert_entry_get_expiry_label (gateway), ==, "Valid");
  g_assert_cmpint (gh_api_cert_entry_get_expiry (ca), ==, GH_API_EXPIRY_FINE);
  g_assert_cmpint (gh_api_cert_entry_get_expiry (soon), ==, GH_API_EXPIRY_SOON);
  /* Issued a moment ago for 10 days: 9 whole days and some hours left. */
  soon_label = g_strdup_printf ("Expires in %u days", SOON_DAYS - 1);
  g_assert_cmpstr (gh_api_cert_entry_get_expiry_label (soon), ==, soon_label);

  /* What uses them: the echo accept serves "gateway", the admin listener "admin"; the
   * accept's chain is anchored by the gateway CA of the truststore. */
  g_assert_true (used_by_contains (gateway, "echo: wss://"));
  g_assert_true (used_by_contains (gateway, echo_port));
  g_assert_false (used_by_contains (gateway, "Admin API"));
  g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (admin), ==, "Admin API");
  g_assert_true (used_by_contains (ca, echo_port));
  g_assert_cmpstr (gh_api_cert_entry_get_used_by_label (soon), ==, "");

  /* The keystore first, then the truststore. */
  {
    g_autoptr(GhApiCertEntry) first = g_list_model_get_item (entries, 0);

    g_assert_cmpint (gh_api_cert_entry_get_store (first), ==, GH_API_CERT_STORE_KEYSTORE);
  }
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 4);

  gh_test_assert_all_named (GTK_WIDGET (setup.window));
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificates-page", NULL);
}

static void
test_search_and_filters (void)
{
  g_autofree char *shown = NULL;

  /* By alias. */
  gh_certificates_page_set_search (setup.page, "SOON");
  g_free (shown), shown = shown_aliases ();
  g_assert_cmpstr (shown, ==, "soon-ca");

  /* By issuer: what the gateway CA issued, and the CA itself (its own issuer). */
  gh_certificates_page_set_search (setup.page, "gateway ca");
  g_free (shown), shown = shown_aliases ();
  g_assert_nonnull (strstr (shown, "gateway"));
  g_assert_nonnull (strstr (shown, "admin"));
  g_assert_null (strstr (shown, "soon-ca"));
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 3);

  /* By subject. */
  gh_certificates_page_set_search (setup.page, "short-lived");
  g_free (shown), shown = shown_aliases ();
  g_assert_cmpstr (shown, ==, "soon-ca");

  /* Nothing matches: the page says so, and offers to show everything. */
  gh_certificates_page_set_search (setup.page, "no such certificate");
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.show-all", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 4);

  /* The store. */
  gh_certificates_page_set_store_filter (setup.page, "truststore");
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 2);
  gh_certificates_page_set_store_filter (setup.page, "keystore");
  g_free (shown), shown = shown_aliases ();
  g_assert_nonnull (strstr (shown, "gateway"));
  g_assert_nonnull (strstr (shown, "admin"));
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 2);
  gh_certificates_page_set_store_filter (setup.page, "all");

  /* Expiring, through the page's action (the Overview's button sets the same). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.expiring", NULL));
  g_assert_true (gh_certificates_page_get_expiring_only (setup.page));
  g_free (shown), shown = shown_aliases ();
  g_assert_cmpstr (shown, ==, "soon-ca");
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificates-page-expiring", NULL);

  /* A narrower warning window: nothing expires soon any more. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_uint (settings, "expiry-warning-days", 7);
    gh_test_drain ();
    g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 0);
    g_assert_cmpint (gh_api_cert_entry_get_expiry (entry (GH_API_CERT_STORE_TRUSTSTORE, "soon-ca")), ==,
                     GH_API_EXPIRY_FINE);
    g_settings_reset (settings, "expiry-warning-days");
    gh_test_drain ();
    g_free (shown), shown = shown_aliases ();
    g_assert_cmpstr (shown, ==, "soon-ca");
  }

  gh_certificates_page_show_all (setup.page);
  g_assert_false (gh_certificates_page_get_expiring_only (setup.page));
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 4);
}

static gboolean
details_verified (void)
{
  return visible_details () != NULL && gh_certificate_details_get_verified (visible_details ());
}

/* What openssl prints for @argv (run in the gateway's directory). */
static char *
openssl_says (const char * const *argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_strv_builder_add (builder, "openssl");
  g_strv_builder_addv (builder, (const char **) argv);
  full = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (setup.gateway->dir, full, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static guint
count_of (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The entry's certificate and chain exported in each format, as openssl reads them. */
static void
assert_exports (GhCertificateDetails *details)
{
  const char *kinds[] = { "pem", "der", "pem-chain", "p7b" };
  guint chain_length = gh_api_cert_entry_get_chain (gh_certificate_details_get_entry (details))->len;

  g_assert_cmpuint (chain_length, >=, 2);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("exported.%s", kinds[i]);
      g_autofree char *path = g_build_filename (setup.gateway->dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GAsyncResult) result = RUN (gh_certificate_details_export_async, details, kinds[i], file);
      g_autoptr(GError) error = NULL;
      g_autofree char *printed = NULL;

      g_assert_true (gh_certificate_details_export_finish (details, result, &error));
      g_assert_no_error (error);
      if (g_str_equal (kinds[i], "pem"))
        printed = openssl_says ((const char *[]) { "x509", "-in", name, "-noout", "-subject", NULL });
      else if (g_str_equal (kinds[i], "der"))
        printed = openssl_says ((const char *[]) { "x509", "-inform", "DER", "-in", name, "-noout", "-subject", NULL });
      else if (g_str_equal (kinds[i], "pem-chain"))
        printed = openssl_says ((const char *[]) { "storeutl", "-text", "-certs", name, NULL });
      else
        printed = openssl_says ((const char *[]) { "pkcs7", "-inform", "DER", "-in", name, "-print_certs", NULL });
      g_test_message ("%s: %s", kinds[i], printed);
      g_assert_nonnull (strstr (printed, "CN=localhost"));
      /* The chains hold every certificate; nothing ever holds a key. */
      if (g_str_equal (kinds[i], "pem-chain"))
        g_assert_cmpuint (count_of (printed, ": Certificate\n"), ==, chain_length);
      else if (g_str_equal (kinds[i], "p7b"))
        g_assert_cmpuint (count_of (printed, "subject="), ==, chain_length);
      {
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_null (g_strstr_len (contents, length, "PRIVATE KEY"));
      }
    }
}

static void
test_details (void)
{
  GhCertificateDetails *details;
  GtkWidget *root;
  g_autoptr(GPtrArray) findings = g_ptr_array_new ();

  /* The "gateway" entry: its chain, and its leaf field by field. */
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_KEYSTORE, "gateway"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.details", NULL));
  gh_test_drain ();
  details = visible_details ();
  g_assert_nonnull (details);
  g_assert_true (gh_certificate_details_get_entry (details) == entry (GH_API_CERT_STORE_KEYSTORE, "gateway"));
  WAIT_FOR (details_verified (), "the chain to be verified");
  root = GTK_WIDGET (details);
  g_assert_cmpstr (row_value (root, "Alias"), ==, "gateway");
  g_assert_cmpstr (row_value (root, "Kind"), ==, "Key Entry");
  g_assert_nonnull (strstr (row_value (root, "Used By"), "echo: wss://"));
  /* Issued by a CA of the truststore: trusted, nothing to fix. */
  g_assert_nonnull (row_value (root, "No Problems Found"));
  gh_test_assert_all_named (root);
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificate-details", NULL);

  gh_certificate_details_show_certificate (details, 0);
  gh_test_drain ();
  WAIT_FOR (row_value (root, "SHA-256") != NULL, "the certificate's page");
  g_assert_cmpstr (row_value (root, "SHA-256"), ==, setup.gateway_sha256);
  g_assert_cmpstr (row_value (root, "Distinguished Name"), ==, "CN=localhost");
  g_assert_nonnull (strstr (row_value (root, "DNS Names"), "localhost"));
  g_assert_cmpstr (row_value (root, "Algorithm"), ==, "ECDSA P-256");
  g_assert_nonnull (strstr (row_value (root, "Extended Key Usage"), "TLS server authentication"));
  g_assert_cmpstr (row_value (root, "Basic Constraints"), ==, "Not a certificate authority");
  gh_test_assert_all_named (root);
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificate-details-fields", NULL);
  assert_exports (details);
  close_details ();

  /* The short-lived CA: its finding, with its fix. */
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_TRUSTSTORE, "soon-ca"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.details", NULL));
  gh_test_drain ();
  WAIT_FOR (details_verified (), "the chain to be verified");
  gh_test_collect (GTK_WIDGET (visible_details ()), ADW_TYPE_ACTION_ROW, findings);
  for (guint i = findings->len; i > 0; i--)
    if (!gtk_widget_has_css_class (g_ptr_array_index (findings, i - 1), "gh-finding"))
      g_ptr_array_remove_index (findings, i - 1);
  g_assert_cmpuint (findings->len, >=, 1);
  {
    gboolean expires_soon = FALSE;

    for (guint i = 0; i < findings->len; i++)
      {
        const char *title = adw_preferences_row_get_title (g_ptr_array_index (findings, i));
        const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (findings, i));

        /* Each with its certificate and its fix. */
        g_assert_nonnull (strstr (subtitle, "Short-Lived Test CA — "));
        if (strstr (title, "expire") != NULL)
          expires_soon = TRUE;
      }
    g_assert_true (expires_soon);
  }
  close_details ();
}

/* The actions that change nothing on the gateway. */
static gboolean
is_read_only_action (const char *action)
{
  static const char * const read_only[] = {
    "certificates.refresh", "certificates.details", "certificates.search", "certificates.show-all",
    "certificates.expiring", "services.refresh", "services.menu", NULL
  };

  return g_strv_contains (read_only, action);
}

/* Every control of a write action under @root is off, and says which role it needs;
 * returns how many there are. */
static guint
assert_writes_off (GtkWidget  *root,
                   const char *prefix)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n = 0;

  gh_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));
      const char *tooltip = gtk_widget_get_tooltip_text (button);

      if (action == NULL || !g_str_has_prefix (action, prefix) || is_read_only_action (action))
        continue;
      g_test_message ("%s: sensitive %d, tooltip “%s”", action, gtk_widget_is_sensitive (button), tooltip);
      g_assert_false (gtk_widget_is_sensitive (button));
      g_assert_nonnull (tooltip);
      g_assert_true (g_str_has_prefix (tooltip, "Needs the "));
      g_assert_nonnull (strstr (tooltip, "the role of this identity is viewer"));
      n++;
    }
  return n;
}

static gboolean
services_page_has_echo (GhServicesPage *page)
{
  GListModel *model = gh_services_page_get_model (page);

  return g_list_model_get_n_items (model) > 0 && gh_services_page_get_idle (page);
}

static GtkDropTarget *
page_drop_target (GhCertificatesPage *page)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_error ("no drop target on the page");
}

/* What a file manager drops: @path as a file list. */
static gboolean
drop_file (GhCertificatesPage *page,
           const char         *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSList) files = g_slist_prepend (NULL, file);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean taken = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (page_drop_target (page), "drop", &value, 10.0, 10.0, &taken);
  return taken;
}

static GhImportDialog *visible_import (void);

static void
test_viewer_read_only (void)
{
  g_autoptr(GhGatewayConnection) viewer = gh_gateway_connection_new ("viewer", setup.gateway->admin_url, setup.viewer_path,
                                                                     setup.gateway->fingerprint, FALSE);
  AdwWindow *window = ADW_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GhServicesPage *services = GH_SERVICES_PAGE (gh_services_page_new ());
  GhCertificatesPage *certificates = GH_CERTIFICATES_PAGE (gh_certificates_page_new ());
  g_autoptr(GPtrArray) stop_buttons = g_ptr_array_new ();
  guint n_services_writes;

  gh_gateway_connection_set_password (viewer, VIEWER_PASSWORD, FALSE);
  gh_gateway_connection_start (viewer);
  WAIT_FOR (gh_gateway_connection_get_state (viewer) == GH_GATEWAY_STATE_CONNECTED &&
            gh_gateway_connection_get_role (viewer) == GH_ADMIN_ROLE_VIEWER, "the viewer's connection");

  gtk_widget_set_vexpand (GTK_WIDGET (services), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (certificates), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (services));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (certificates));
  adw_window_set_content (window, box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  gh_services_page_set_connection (services, viewer);
  gh_certificates_page_set_connection (certificates, viewer);
  WAIT_FOR (services_page_has_echo (services) && gh_certificates_page_get_idle (certificates) &&
            g_list_model_get_n_items (gh_certificates_page_get_model (certificates)) == 4,
            "the viewer's pages");

  /* A viewer reads everything... */
  g_assert_true (gh_services_page_select (services, "echo"));
  gh_test_drain ();

  /* ...and changes nothing: every write control is off and names the role it needs. */
  n_services_writes = assert_writes_off (GTK_WIDGET (services), "services.");
  g_assert_cmpuint (n_services_writes, >=, 5);   /* new, edit, start, stop, delete */
  g_assert_cmpuint (assert_writes_off (GTK_WIDGET (certificates), "certificates."), >=, 2);   /* import, delete */
  /* Nor by dropping a file on the page, or pasting. */
  {
    g_autofree char *ca = g_build_filename (setup.gateway->dir, "ca.pem", NULL);

    g_assert_false (drop_file (certificates, ca));
    g_assert_false (gtk_widget_activate_action (GTK_WIDGET (certificates), "certificates.paste", NULL) &&
                    visible_import () != NULL);
  }

  /* Stopping the started echo service needs an operator. */
  gh_test_collect (GTK_WIDGET (services), GTK_TYPE_BUTTON, stop_buttons);
  for (guint i = 0; i < stop_buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (stop_buttons, i)), "services.stop") == 0)
      g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (g_ptr_array_index (stop_buttons, i)),
                                       "Needs the operator role"));

  /* The read actions stay on. */
  g_assert_true (gh_certificates_page_select (certificates, GH_API_CERT_STORE_KEYSTORE, "gateway"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (certificates), "certificates.details", NULL));
  gh_test_drain ();
  g_assert_true (GH_IS_CERTIFICATE_DETAILS (adw_window_get_visible_dialog (window)));
  gh_test_assert_all_named (GTK_WIDGET (window));
  adw_dialog_force_close (adw_window_get_visible_dialog (window));
  gh_test_drain ();

  gh_services_page_set_connection (services, NULL);
  gh_certificates_page_set_connection (certificates, NULL);
  gh_test_destroy_window (GTK_WINDOW (window));
  gh_gateway_connection_stop (viewer);
  gh_test_drain ();
}

static gboolean
listed_by_gateway (GhApiCertStore  store,
                   const char     *alias)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = store == GH_API_CERT_STORE_KEYSTORE
    ? RUN (gh_admin_client_list_keystore_async, client)
    : RUN (gh_admin_client_list_truststore_async, client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = store == GH_API_CERT_STORE_KEYSTORE
    ? gh_admin_client_list_keystore_finish (client, result, &error)
    : gh_admin_client_list_truststore_finish (client, result, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (entries, i);
      const char *name = store == GH_API_CERT_STORE_KEYSTORE
        ? gh_api_keystore_entry_get_alias (GH_API_KEYSTORE_ENTRY (item))
        : gh_api_truststore_entry_get_alias (GH_API_TRUSTSTORE_ENTRY (item));

      if (g_str_equal (name, alias))
        return TRUE;
    }
  return FALSE;
}

/* Deletes the selected entry through the confirmation's destructive button. */
static void
confirm_delete (const char *expected_body_part)
{
  AdwDialog *dialog;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *delete_button = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.delete", NULL));
  gh_test_drain ();
  dialog = adw_window_get_visible_dialog (setup.window);
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (dialog), "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (ADW_ALERT_DIALOG (dialog)), ==, "cancel");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (dialog)), expected_body_part));
  gh_test_assert_all_named (GTK_WIDGET (dialog));

  gh_test_collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Delete") == 0)
      delete_button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (delete_button);
  g_signal_emit_by_name (delete_button, "clicked");
  gh_test_drain ();
}

static void
test_delete (void)
{
  /* In use by the admin listener: the confirmation says so, and the gateway refuses. */
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_KEYSTORE, "admin"));
  confirm_delete ("Admin API");
  /* Only a toast says it. */
  WAIT_FOR (gh_test_label_shown (GTK_WIDGET (setup.page), "“admin” was not deleted"), "the refusal");
  WAIT_FOR (page_idle (), "the page");
  g_assert_nonnull (entry (GH_API_CERT_STORE_KEYSTORE, "admin"));
  g_assert_true (listed_by_gateway (GH_API_CERT_STORE_KEYSTORE, "admin"));

  /* A truststore certificate nothing uses: gone, from the gateway and from the page. */
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_TRUSTSTORE, "soon-ca"));
  confirm_delete ("stops trusting");
  WAIT_FOR (entry (GH_API_CERT_STORE_TRUSTSTORE, "soon-ca") == NULL && page_idle (), "the entry to go");
  g_assert_false (listed_by_gateway (GH_API_CERT_STORE_TRUSTSTORE, "soon-ca"));
  g_assert_nonnull (entry (GH_API_CERT_STORE_KEYSTORE, "gateway"));
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 3);
}

/* openssl, as a user would run it, in the test's directory; returns the file's bytes. */
static GBytes *
openssl_file (const char *name,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (setup.gateway->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GBytes *bytes;
  va_list args;

  g_ptr_array_add (argv, "openssl");
  va_start (args, name);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, setup.gateway->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  return bytes;
}

static GhImportDialog *
visible_import (void)
{
  AdwDialog *dialog = adw_window_get_visible_dialog (setup.window);

  return GH_IS_IMPORT_DIALOG (dialog) ? GH_IMPORT_DIALOG (dialog) : NULL;
}

static guint
gateway_keystore_size (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_keystore_async, client);
  g_autoptr(GListModel) entries = gh_admin_client_list_keystore_finish (client, result, NULL);

  return g_list_model_get_n_items (entries);
}

/* A new EC key and a self-signed certificate for @subject, as openssl writes them
 * (STEM-key.pem and STEM.pem in the test's directory), one after the other. */
static GBytes *
key_and_certificate_pem (const char *stem,
                         const char *subject)
{
  g_autofree char *key_name = g_strdup_printf ("%s-key.pem", stem);
  g_autofree char *certificate_name = g_strdup_printf ("%s.pem", stem);
  g_autoptr(GBytes) key = openssl_file (key_name, "genpkey", "-algorithm", "EC", "-pkeyopt",
                                        "ec_paramgen_curve:P-256", "-out", key_name, NULL);
  g_autoptr(GBytes) certificate = openssl_file (certificate_name, "req", "-x509", "-key", key_name, "-subj", subject,
                                                "-days", "60", "-out", certificate_name, NULL);
  g_autoptr(GByteArray) pem = g_byte_array_new ();

  g_byte_array_append (pem, g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  g_byte_array_append (pem, g_bytes_get_data (certificate, NULL), g_bytes_get_size (certificate));
  return g_byte_array_free_to_bytes (g_steal_pointer (&pem));
}

static void
test_import (void)
{
  /* A PEM key and its certificate, as openssl wrote them. */
  g_autoptr(GBytes) key_and_certificate = key_and_certificate_pem ("web", "/CN=web.example");
  g_autoptr(GBytes) pkcs12 = openssl_file ("web.p12", "pkcs12", "-export", "-inkey", "web-key.pem", "-in", "web.pem",
                                           "-passout", "pass:file secret", "-out", "web.p12", NULL);
  g_autoptr(GBytes) random = g_bytes_new_take (g_malloc (20 * 1024), 20 * 1024);
  guint before = gateway_keystore_size ();
  GhImportDialog *dialog;
  GhApiCertEntry *web;

  /* A wrong password is said on its field; nothing is sent. */
  gh_certificates_page_preview_import (setup.page, pkcs12, "web.p12");
  gh_test_drain ();
  dialog = visible_import ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password")),
                         "not it");
  g_signal_emit_by_name (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password"),
                         "entry-activated");
  g_assert_true (gh_import_dialog_get_wrong_password (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password")),
                         "file secret");
  g_signal_emit_by_name (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password"),
                         "entry-activated");
  g_assert_false (gh_import_dialog_get_wrong_password (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  adw_dialog_force_close (ADW_DIALOG (dialog));
  gh_test_drain ();

  /* 20 KB of noise: a clear message, nothing to import. */
  for (gsize i = 0; i < g_bytes_get_size (random); i++)
    ((guint8 *) g_bytes_get_data (random, NULL))[i] = (guint8) g_random_int ();
  gh_certificates_page_preview_import (setup.page, random, "noise.bin");
  gh_test_drain ();
  dialog = visible_import ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
  g_assert_nonnull (gh_import_dialog_get_problem (dialog));
  g_test_message ("noise: %s", gh_import_dialog_get_problem (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL) &&
                  visible_import () == NULL);
  adw_dialog_force_close (ADW_DIALOG (dialog));
  gh_test_drain ();
  g_assert_cmpuint (gateway_keystore_size (), ==, before);

  /* The PEM pair: previewed, then imported under the alias typed. */
  gh_certificates_page_preview_import (setup.page, key_and_certificate, "web.pem");
  gh_test_drain ();
  dialog = visible_import ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Alias on the Gateway")),
                         "web");
  gh_test_screenshots (GTK_WINDOW (setup.window), "import-preview", NULL);

  /* Someone changes the gateway meanwhile: the import is refused (412), the dialog says
   * who changed what, and Import again goes through against the new version. */
  {
    g_autoptr(GhAdminClient) client = new_client ();
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (gh_test_rename_gateway (client, "changed meanwhile", 0, TIMEOUT_SECONDS, &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (gh_import_dialog_get_problem (dialog) != NULL, "the conflict");
  g_test_message ("412: %s", gh_import_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (gh_import_dialog_get_problem (dialog), "changed while you were looking"));
  g_assert_nonnull (strstr (gh_import_dialog_get_problem (dialog), "CN=gatehouse-admin"));
  g_assert_cmpuint (gateway_keystore_size (), ==, before);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (visible_import () == NULL, "the import");
  WAIT_FOR (entry (GH_API_CERT_STORE_KEYSTORE, "web") != NULL && page_idle (), "the new entry");
  web = entry (GH_API_CERT_STORE_KEYSTORE, "web");
  g_assert_cmpint (gh_api_cert_entry_get_kind (web), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpstr (gh_api_cert_entry_get_subject (web), ==, "CN=web.example");
  g_assert_true (listed_by_gateway (GH_API_CERT_STORE_KEYSTORE, "web"));
  g_assert_cmpuint (gateway_keystore_size (), ==, before + 1);
}

/* Rotated from the page: a new key and certificate replace "web" (imported above)
 * under the same alias, through the import's preview; the alias is not the user's to
 * change there, and the keystore keeps its size. */
static void
test_rotate (void)
{
  g_autoptr(GBytes) key_and_certificate = key_and_certificate_pem ("web2", "/CN=web2.example");
  guint before = gateway_keystore_size ();
  GhImportDialog *dialog;
  GtkWidget *alias_row;
  GhApiCertEntry *web;

  WAIT_FOR (entry (GH_API_CERT_STORE_KEYSTORE, "web") != NULL && page_idle (), "the entry to rotate");
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_KEYSTORE, "web"));
  gh_certificates_page_preview_rotate (setup.page, "web", key_and_certificate, "web2.pem");
  gh_test_drain ();
  dialog = visible_import ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  alias_row = gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Alias on the Gateway");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (alias_row)), ==, "web");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (alias_row)));
  g_assert_cmpstr (adw_dialog_get_title (ADW_DIALOG (dialog)), ==, "Rotate “web”");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (visible_import () == NULL, "the rotation");
  WAIT_FOR ((web = entry (GH_API_CERT_STORE_KEYSTORE, "web")) != NULL && page_idle () &&
            g_strcmp0 (gh_api_cert_entry_get_subject (web), "CN=web2.example") == 0,
            "the entry with its new certificate");
  g_assert_cmpint (gh_api_cert_entry_get_kind (web), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpuint (gateway_keystore_size (), ==, before);
}

/* Dropped and pasted: a file, or PEM text, goes to the same preview as Import. */
static void
test_drop_and_paste (void)
{
  g_autofree char *certificate_path = g_build_filename (setup.gateway->dir, "web.pem", NULL);
  g_autofree char *pkcs12_path = g_build_filename (setup.gateway->dir, "web.p12", NULL);
  g_autofree char *certificate = NULL;
  g_autoptr(GError) error = NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (setup.page));
  guint before = gateway_keystore_size ();
  GhImportDialog *dialog;

  /* The files test_import made with openssl. */
  g_assert_true (g_file_get_contents (certificate_path, &certificate, NULL, &error));

  /* PEM text pasted (Ctrl+V): one certificate, for the truststore. */
  gdk_clipboard_set_text (clipboard, certificate);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.paste", NULL));
  WAIT_FOR ((dialog = visible_import ()) != NULL, "the preview of the pasted text");
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  adw_dialog_force_close (ADW_DIALOG (dialog));
  gh_test_drain ();

  /* A file copied in a file manager, then pasted: the file, not its path as text. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (pkcs12_path);
    g_autoptr(GSList) files = g_slist_prepend (NULL, file);
    GdkFileList *list = gdk_file_list_new_from_list (files);

    gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
    g_boxed_free (GDK_TYPE_FILE_LIST, list);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.paste", NULL));
  WAIT_FOR ((dialog = visible_import ()) != NULL, "the preview of the pasted file");
  /* A PKCS#12 file: it asks for its password first. */
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
  g_assert_null (gh_import_dialog_get_problem (dialog));
  gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password");
  adw_dialog_force_close (ADW_DIALOG (dialog));
  gh_test_drain ();

  /* A file dropped on the page. */
  g_assert_true (drop_file (setup.page, certificate_path));
  WAIT_FOR ((dialog = visible_import ()) != NULL, "the preview of the dropped file");
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  adw_dialog_force_close (ADW_DIALOG (dialog));
  gh_test_drain ();

  /* Nothing was sent. */
  g_assert_cmpuint (gateway_keystore_size (), ==, before);
}

static gint64
config_version (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client);
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  config = gh_admin_client_get_config_finish (client, result, &version, &error);
  g_assert_no_error (error);
  return version;
}

/* A key made in the gateway with its request (prefilled from the accepts), the request
 * signed by a CA with openssl, the reply installed on the entry: a wrong certificate
 * is refused in the dialog first. */
static void
test_csr_and_reply (void)
{
  g_autofree char *csr_path = g_build_filename (setup.gateway->dir, "csr-web.csr", NULL);
  g_autofree char *wrong = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  GhCsrDialog *csr;
  GhCaReplyDialog *install;
  AdwDialog *dialog;
  GhApiCertEntry *made;
  g_autoptr(GhAdminClient) client = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;

  /* The request: the names the gateway answers to are there already. */
  WAIT_FOR (page_idle (), "the page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.new-key", NULL));
  WAIT_FOR (GH_IS_CSR_DIALOG (dialog = adw_window_get_visible_dialog (setup.window)), "the request's dialog");
  csr = GH_CSR_DIALOG (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (csr), ADW_TYPE_ENTRY_ROW,
                                                                          "Host Names and IP Addresses"))),
                   ==, "localhost");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (csr), ADW_TYPE_ENTRY_ROW,
                                                                          "Subject"))), ==, "CN=localhost");
  gtk_editable_set_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (csr), ADW_TYPE_ENTRY_ROW, "Alias on the Gateway")),
                         "csr-web");
  gh_test_assert_all_named (GTK_WIDGET (csr));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (csr), "csr.generate", NULL));
  WAIT_FOR (gh_csr_dialog_get_request (csr) != NULL || gh_csr_dialog_get_problem (csr) != NULL, "the request");
  g_assert_null (gh_csr_dialog_get_problem (csr));
  g_assert_true (g_str_has_prefix (gh_csr_dialog_get_request (csr), "-----BEGIN"));
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificates-csr", NULL);
  g_assert_true (g_file_set_contents (csr_path, gh_csr_dialog_get_request (csr), -1, &error));
  adw_dialog_force_close (dialog);
  WAIT_FOR (entry (GH_API_CERT_STORE_KEYSTORE, "csr-web") != NULL && page_idle (), "the new entry");

  /* The CA signs it (openssl), as the admin's CA would. */
  openssl_file ("ca.key", "pkcs12", "-in", "ca-key.p12", "-passin", "file:ca-key.pw", "-nodes", "-nocerts",
                "-out", "ca.key", NULL);
  reply = openssl_file ("csr-web.pem", "x509", "-req", "-in", "csr-web.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                        "-days", "30", "-copy_extensions", "copy", "-out", "csr-web.pem", NULL);

  /* Installed on the entry: another key's certificate first, refused in the dialog. */
  g_assert_true (gh_certificates_page_select (setup.page, GH_API_CERT_STORE_KEYSTORE, "csr-web"));
  gh_test_drain ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "certificates.install-reply", NULL));
  WAIT_FOR (GH_IS_CA_REPLY_DIALOG (dialog = adw_window_get_visible_dialog (setup.window)), "the reply's dialog");
  install = GH_CA_REPLY_DIALOG (dialog);
  gh_test_assert_all_named (GTK_WIDGET (install));
  {
    g_autofree char *wrong_path = g_build_filename (setup.gateway->dir, "web.pem", NULL);

    g_assert_true (g_file_get_contents (wrong_path, &wrong, NULL, &error));
  }
  gh_ca_reply_dialog_set_text (install, wrong);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (install), "reply.install", NULL));
  WAIT_FOR (gh_ca_reply_dialog_get_problem (install) != NULL, "the refusal");
  g_test_message ("wrong reply: %s", gh_ca_reply_dialog_get_problem (install));
  g_assert_true (adw_window_get_visible_dialog (setup.window) == dialog);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

    gh_ca_reply_dialog_set_text (install, text);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (install), "reply.install", NULL));
  WAIT_FOR (adw_window_get_visible_dialog (setup.window) == NULL, "the reply installed");
  WAIT_FOR ((made = entry (GH_API_CERT_STORE_KEYSTORE, "csr-web")) != NULL && page_idle () &&
            g_strcmp0 (gh_api_cert_entry_get_issuer (made), "Gatehouse Gateway CA (localhost)") == 0,
            "the entry with the CA's certificate");

  /* Taken away again for the tests that follow. */
  client = new_client ();
  deleted = RUN (gh_admin_client_delete_key_async, client, "csr-web", config_version ());
  g_assert_true (gh_admin_client_delete_key_finish (client, deleted, NULL, &error));
  g_assert_no_error (error);
  WAIT_FOR (entry (GH_API_CERT_STORE_KEYSTORE, "csr-web") == NULL && page_idle (), "the entry gone");
}

static void
test_stale_keeps_entries (void)
{
  AdwBanner *banner = ADW_BANNER (find_widget (GTK_WIDGET (setup.page), ADW_TYPE_BANNER));

  g_assert_false (adw_banner_get_revealed (banner));

  /* The gateway goes away: the rows stay, the banner says they are the last seen. */
  gh_test_gateway_kill (setup.gateway);
  WAIT_FOR (gh_gateway_connection_get_state (setup.connection) != GH_GATEWAY_STATE_CONNECTED,
            "the connection to notice");
  gh_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 4);
  g_assert_true (adw_banner_get_revealed (banner));
  g_assert_nonnull (strstr (adw_banner_get_title (banner), "last seen"));
  gh_test_screenshots (GTK_WINDOW (setup.window), "certificates-page-stale", NULL);

  /* No gateway: nothing to show. */
  gh_certificates_page_set_connection (setup.page, NULL);
  gh_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (gh_certificates_page_get_model (setup.page)), ==, 0);
  g_assert_false (adw_banner_get_revealed (banner));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  /* The accessibility checks read what the widgets tell assistive technologies. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  make_setup ();
  open_window ();

  g_test_add_func ("/certificates/list", test_page_lists_entries);
  g_test_add_func ("/certificates/search-filters", test_search_and_filters);
  g_test_add_func ("/certificates/details", test_details);
  g_test_add_func ("/certificates/viewer", test_viewer_read_only);
  g_test_add_func ("/certificates/delete", test_delete);
  g_test_add_func ("/certificates/import", test_import);
  g_test_add_func ("/certificates/rotate", test_rotate);
  g_test_add_func ("/certificates/drop-and-paste", test_drop_and_paste);
  g_test_add_func ("/certificates/csr-and-reply", test_csr_and_reply);
  g_test_add_func ("/certificates/stale", test_stale_keeps_entries);

  status = g_test_run ();

  gh_certificates_page_set_connection (setup.page, NULL);
  gh_test_destroy_window (GTK_WINDOW (setup.window));
  gh_test_drain ();
  g_assert_finalize_object (setup.page);
  gh_gateway_connection_stop (setup.connection);
  gh_test_drain ();
  g_clear_object (&setup.connection);
  gh_test_gateway_kill (setup.gateway);
  g_clear_object (&setup.identity);
  g_free (setup.gateway_sha256);
  g_free (setup.viewer_path);
  /* A failed run keeps its directory (the daemon's log, its configuration). */
  setup.gateway->keep_dir = status != 0;
  g_clear_pointer (&setup.gateway, gh_test_gateway_free);

  return status;
}
