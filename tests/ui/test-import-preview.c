/* test-import-preview.c — the import dialog's preview against the real gatehoused:
 * files of every tool imported through it, and "preview before apply": the import
 * dialog's rotate and the service editor ask the gateway what each accept would serve
 * (POST /config/preview) and show it before anything is applied
 *
 * import-matrix.sh writes files at test time: PKCS#12 modern and legacy, a PEM key and
 * certificate, an encrypted PKCS#8 key with its chain, a DER certificate and a PKCS#7
 * chain (openssl); PKCS#12 and PEM (certtool); PKCS#12 with an RSA and with an EC key
 * (keytool). Each goes through the dialog as a user takes it: the password on its
 * field when the file asks for one, the alias typed, Import. The gateway then holds
 * the entry under that alias with the chain's length and the key the file had. A
 * wrong password, a truncated file, a key with a certificate that is not its own, and
 * 20 KB of noise each get a clear message in the preview, Import stays off, and the
 * gateway's configuration version (the keystore's ETag) does not move.
 *
 * `gatehoused init` into the build directory gives a keystore entry "gateway" for
 * localhost, served by the echo service's wss accept. Files are written at test time
 * by openssl, as a user would make them. A rotate to an expired certificate is
 * flagged on the accept, and Import asks first: cancelling changes nothing on the
 * gateway (the configuration's version and the served certificate are the same). A
 * rotate to a good certificate, made while 20 WSS sessions run through the echo
 * service, shows the accept that will serve it, and after it every session still
 * exchanges a message, none closed, and a new connection gets the new certificate.
 * The service editor shows what the echo service's accept would serve, and flags an
 * accept whose host no entry covers once the gateway's entry is narrowed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-certificates-page.h"
#include "gh-import-dialog.h"
#include "gh-serve-preview.h"
#include "gh-service-editor.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 30
#define N_SESSIONS 20
#define PASSWORD "matrix secret"

typedef struct {
  GhTestGateway       *gateway;
  GTlsCertificate     *identity;
  char                *files;      /* what import-matrix.sh wrote */
  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhCertificatesPage  *page;
} Setup;

static Setup setup;

/* A file that holds a key entry. */
typedef struct {
  const char *file;
  gboolean    password;       /* the file asks for one */
  guint       chain_length;
  const char *key_algorithm;  /* what the leaf's key is, as the API's certificate says */
  guint       key_bits;
  const char *subject;
} KeyCase;

static const KeyCase key_cases[] = {
  { "openssl-modern.p12", TRUE,  2, "ECDSA P-256", 256,  "CN=Matrix OpenSSL" },
  { "openssl-legacy.p12", TRUE,  2, "ECDSA P-256", 256,  "CN=Matrix OpenSSL" },
  { "openssl-pair.pem",   FALSE, 1, "ECDSA P-256", 256,  "CN=Matrix OpenSSL" },
  { "openssl-pkcs8.pem",  TRUE,  2, "ECDSA P-256", 256,  "CN=Matrix OpenSSL" },
  { "certtool.p12",       TRUE,  2, "ECDSA P-384", 384,  "CN=Matrix certtool" },
  { "certtool.pem",       FALSE, 1, "RSA",         3072, "CN=Matrix certtool PEM" },
  { "keytool-rsa.p12",    TRUE,  1, "RSA",         2048, "CN=Matrix keytool RSA" },
  { "keytool-ec.p12",     TRUE,  1, "ECDSA P-256", 256,  "CN=Matrix keytool EC" },
};

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

static GhAdminClient *
new_client (void)
{
  return gh_admin_client_new (setup.gateway->admin_url, setup.identity, setup.gateway->fingerprint);
}

/* openssl, as a user would run it, in the test's directory. */
static void
openssl (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, "openssl");
  g_ptr_array_add (argv, (gpointer) first);
  va_start (args, first);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, setup.gateway->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* A key and a certificate for localhost in one PEM file, NAME.pem, valid from
 * @not_before to @not_after (openssl's dates). */
static GBytes *
localhost_pem (const char *name,
               const char *not_before,
               const char *not_after)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *certificate = g_strconcat (name, ".crt", NULL);
  g_autofree char *key_path = g_build_filename (setup.gateway->dir, key, NULL);
  g_autofree char *certificate_path = g_build_filename (setup.gateway->dir, certificate, NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *certificate_text = NULL;
  g_autoptr(GError) error = NULL;

  openssl ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key, NULL);
  openssl ("req", "-x509", "-key", key, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
           "-not_before", not_before, "-not_after", not_after, "-out", certificate, NULL);
  g_file_get_contents (key_path, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (certificate_path, &certificate_text, NULL, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_strconcat (key_text, certificate_text, NULL),
                           strlen (key_text) + strlen (certificate_text));
}

static char *
pem_fingerprint (GBytes *pem)
{
  const char *text = g_bytes_get_data (pem, NULL);
  const char *begin = strstr (text, "-----BEGIN CERTIFICATE-----");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhCertificate) certificate = gh_certificate_new_from_pem (begin, -1, &error);

  g_assert_no_error (error);
  return g_strdup (gh_certificate_get_sha256_fingerprint (certificate));
}

static gint64
config_version (void)
{
  g_autoptr(GhAdminClient) client = new_client ();

  return gh_test_config_version (client, TIMEOUT_SECONDS);
}

static char *
keystore_fingerprint (const char *alias)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_keystore_entry_async, client, alias);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = gh_admin_client_get_keystore_entry_finish (client, result, &error);

  g_assert_no_error (error);
  return g_strdup (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (entry)));
}

static gboolean
accept_any (void)
{
  return TRUE;
}

static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_any), NULL);
}

/* What a new client asking for localhost gets now: the leaf's SHA-256 fingerprint. */
static char *
served_fingerprint (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GhCertificate) certificate = NULL;
  GTlsCertificate *peer;

  g_socket_client_set_tls (client, TRUE);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event), NULL);
  result = RUN (g_socket_client_connect_to_host_async, client, "localhost", setup.gateway->port);
  connection = g_socket_client_connect_to_host_finish (client, result, &error);
  g_assert_no_error (error);
  /* A TLS connection comes wrapped, as a GSocketConnection. */
  peer = g_tls_connection_get_peer_certificate (
    G_TLS_CONNECTION (g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (connection))));
  g_assert_nonnull (peer);
  g_object_get (peer, "certificate", &der, NULL);
  bytes = g_bytes_new (der->data, der->len);
  certificate = gh_certificate_new_from_der (bytes, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return g_strdup (gh_certificate_get_sha256_fingerprint (certificate));
}

static GBytes *
matrix_file (const char *name)
{
  g_autofree char *path = g_build_filename (setup.files, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static guint
n_gateway_entries (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) keys = RUN (gh_admin_client_list_keystore_async, client);
  g_autoptr(GAsyncResult) trusted = RUN (gh_admin_client_list_truststore_async, client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) keystore = gh_admin_client_list_keystore_finish (client, keys, &error);
  g_autoptr(GListModel) truststore = NULL;

  g_assert_no_error (error);
  truststore = gh_admin_client_list_truststore_finish (client, trusted, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (keystore) + g_list_model_get_n_items (truststore);
}

static GhApiTruststoreEntry *
trusted_entry (const char *alias)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_truststore_async, client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = gh_admin_client_list_truststore_finish (client, result, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiTruststoreEntry) entry = g_list_model_get_item (entries, i);

      if (g_str_equal (gh_api_truststore_entry_get_alias (entry), alias))
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static GhImportDialog *
visible_import (void)
{
  AdwDialog *dialog = adw_window_get_visible_dialog (setup.window);

  return GH_IS_IMPORT_DIALOG (dialog) ? GH_IMPORT_DIALOG (dialog) : NULL;
}

/* The file @name in the import dialog, as the file chooser opens it. */
static GhImportDialog *
open_file (const char *name)
{
  g_autoptr(GBytes) data = matrix_file (name);
  g_autoptr(GhAdminClient) client = new_client ();
  AdwDialog *dialog = gh_import_dialog_new (client, data, name, config_version ());

  adw_dialog_present (dialog, GTK_WIDGET (setup.window));
  gh_test_drain ();
  g_assert_true (visible_import () == GH_IMPORT_DIALOG (dialog));
  return GH_IMPORT_DIALOG (dialog);
}

static void
type_password (GhImportDialog *dialog,
               const char     *password)
{
  AdwPasswordEntryRow *row = gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "File Password");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  gtk_editable_set_text (GTK_EDITABLE (row), password);
  g_signal_emit_by_name (row, "entry-activated");
}

static void
import_as (GhImportDialog *dialog,
           const char     *alias)
{
  gtk_editable_set_text (GTK_EDITABLE (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Alias on the Gateway")),
                         alias);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (visible_import () == NULL || gh_import_dialog_get_problem (dialog) != NULL, "the import");
  g_assert_null (visible_import ());
}

static void
close_import (GhImportDialog *dialog)
{
  adw_dialog_force_close (ADW_DIALOG (dialog));
  WAIT_FOR (visible_import () == NULL, "the dialog to close");
}

static AdwDialog *
visible_dialog (void)
{
  return adw_window_get_visible_dialog (setup.window);
}

/* The import dialog rotating "gateway" to @data, its preview answered: opened by the
 * page (its "Rotate…" comes here once the file chooser read the file), or on its own
 * with the configuration's current version. */
static GhImportDialog *
open_rotate (GBytes     *data,
             const char *name,
             gboolean    by_page)
{
  g_autoptr(GhAdminClient) client = new_client ();
  AdwDialog *dialog;
  GhServePreview *preview;

  if (by_page)
    {
      gh_certificates_page_preview_rotate (setup.page, "gateway", data, name);
      dialog = visible_dialog ();
      g_assert_true (GH_IS_IMPORT_DIALOG (dialog));
    }
  else
    {
      dialog = gh_import_dialog_new (client, data, name, config_version ());
      gh_import_dialog_set_rotate_alias (GH_IMPORT_DIALOG (dialog), "gateway");
      adw_dialog_present (dialog, GTK_WIDGET (setup.window));
    }
  preview = gh_import_dialog_get_serve_preview (GH_IMPORT_DIALOG (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preview)));
  WAIT_FOR (gh_serve_preview_get_ready (preview), "the preview");
  g_assert_cmpuint (gh_import_dialog_get_n_items (GH_IMPORT_DIALOG (dialog)), ==, 1);
  return GH_IMPORT_DIALOG (dialog);
}

static void
press_response (AdwDialog  *dialog,
                const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      {
        g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
        gh_test_drain ();
        return;
      }
  g_error ("no button “%s”", label);
}

/* Tests */

static void
test_key_entry (gconstpointer data)
{
  const KeyCase *key_case = data;
  g_autofree char *alias = g_strdelimit (g_strdup (key_case->file), ".", '-');
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = NULL;
  GhImportDialog *dialog = open_file (key_case->file);
  GhCertificate *leaf;

  if (key_case->password)
    {
      /* Nothing read before the password. */
      g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
      g_assert_false (gh_import_dialog_get_wrong_password (dialog));
      type_password (dialog, PASSWORD);
      g_assert_false (gh_import_dialog_get_wrong_password (dialog));
    }
  g_assert_null (gh_import_dialog_get_problem (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  import_as (dialog, alias);

  result = RUN (gh_admin_client_get_keystore_entry_async, client, alias);
  entry = gh_admin_client_get_keystore_entry_finish (client, result, &error);
  g_assert_no_error (error);
  leaf = gh_api_keystore_entry_get_certificate (entry);
  g_test_message ("%s → “%s”: %s, %s %u bits, chain of %u", key_case->file, alias, gh_certificate_get_subject (leaf),
                  gh_certificate_get_key_algorithm (leaf), gh_certificate_get_key_bits (leaf),
                  gh_api_keystore_entry_get_chain (entry)->len);
  g_assert_cmpint (gh_api_keystore_entry_get_kind (entry), ==, GH_API_KEYSTORE_ENTRY_KEY);
  g_assert_cmpstr (gh_certificate_get_subject (leaf), ==, key_case->subject);
  g_assert_cmpstr (gh_certificate_get_key_algorithm (leaf), ==, key_case->key_algorithm);
  g_assert_cmpuint (gh_certificate_get_key_bits (leaf), ==, key_case->key_bits);
  g_assert_cmpuint (gh_api_keystore_entry_get_chain (entry)->len, ==, key_case->chain_length);
}

static void
test_der_certificate (void)
{
  GhImportDialog *dialog = open_file ("openssl-ca.der");
  g_autoptr(GhApiTruststoreEntry) entry = NULL;

  g_assert_null (gh_import_dialog_get_problem (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 1);
  import_as (dialog, "openssl-ca-der");

  entry = trusted_entry ("openssl-ca-der");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gh_certificate_get_subject (gh_api_truststore_entry_get_certificate (entry)), ==, "CN=Matrix Root CA");
}

static void
test_pkcs7_chain (void)
{
  GhImportDialog *dialog = open_file ("openssl-chain.p7b");
  g_autoptr(GhApiTruststoreEntry) first = NULL;
  g_autoptr(GhApiTruststoreEntry) second = NULL;

  g_assert_null (gh_import_dialog_get_problem (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 2);
  import_as (dialog, "openssl-chain");

  /* The first under the alias typed, the second under its own name. */
  first = trusted_entry ("openssl-chain");
  second = trusted_entry ("matrix third ca");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpstr (gh_certificate_get_subject (gh_api_truststore_entry_get_certificate (first)), ==, "CN=Matrix Other CA");
  g_assert_cmpstr (gh_certificate_get_subject (gh_api_truststore_entry_get_certificate (second)), ==, "CN=Matrix Third CA");
}

/* A file that cannot be imported: the preview says why, Import is off, and the
 * gateway is left as it was. */
static void
assert_refused (GhImportDialog *dialog,
                gint64          version,
                guint           n_entries)
{
  g_assert_cmpuint (gh_import_dialog_get_n_items (dialog), ==, 0);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL) &&
                  visible_import () == NULL);
  gh_test_drain ();
  g_assert_true (visible_import () == dialog);
  g_assert_cmpint (config_version (), ==, version);
  g_assert_cmpuint (n_gateway_entries (), ==, n_entries);
  close_import (dialog);
}

static void
test_refused (void)
{
  gint64 version = config_version ();
  guint n_entries = n_gateway_entries ();
  GhImportDialog *dialog;
  const char *problem;

  /* A wrong password: said on the field. */
  dialog = open_file ("keytool-ec.p12");
  type_password (dialog, "not the password");
  g_assert_true (gh_import_dialog_get_wrong_password (dialog));
  g_assert_null (gh_import_dialog_get_problem (dialog));
  assert_refused (dialog, version, n_entries);

  /* Truncated: said before any password is asked. */
  dialog = open_file ("truncated.p12");
  problem = gh_import_dialog_get_problem (dialog);
  g_test_message ("truncated: %s", problem);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "truncated"));
  g_assert_false (gh_import_dialog_get_wrong_password (dialog));
  assert_refused (dialog, version, n_entries);

  /* A key with a certificate not its own: both named. */
  dialog = open_file ("mismatch.pem");
  problem = gh_import_dialog_get_problem (dialog);
  g_test_message ("mismatch: %s", problem);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "private key (ECDSA"));
  g_assert_nonnull (strstr (problem, "“Matrix certtool PEM”"));
  gh_test_screenshots (GTK_WINDOW (setup.window), "import-mismatch", NULL);
  assert_refused (dialog, version, n_entries);

  /* Noise. */
  dialog = open_file ("noise.bin");
  problem = gh_import_dialog_get_problem (dialog);
  g_test_message ("noise: %s", problem);
  g_assert_nonnull (problem);
  g_assert_false (gh_import_dialog_get_wrong_password (dialog));
  assert_refused (dialog, version, n_entries);
}

static void
test_rotate_to_expired_is_flagged (void)
{
  g_autoptr(GBytes) expired = localhost_pem ("expired", "20200101000000Z", "20210101000000Z");
  g_autofree char *before = keystore_fingerprint ("gateway");
  g_autofree char *served_before = served_fingerprint ();
  g_autofree char *served_after = NULL;
  g_autofree char *after = NULL;
  gint64 version = config_version ();
  GhImportDialog *dialog = open_rotate (expired, "expired.pem", TRUE);
  GhServePreview *preview = gh_import_dialog_get_serve_preview (dialog);
  AdwDialog *question;

  /* The echo service's accept would serve it, and it is flagged. */
  g_assert_cmpuint (gh_serve_preview_get_n_accepts (preview), >=, 1);
  g_assert_cmpuint (gh_serve_preview_get_n_flagged (preview), >=, 1);
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  gh_test_screenshots (GTK_WINDOW (setup.window), "rotate-preview-flagged", NULL);

  /* Import asks first; Cancel changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  gh_test_drain ();
  question = visible_dialog ();
  g_assert_true (ADW_IS_ALERT_DIALOG (question));
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (question), "apply"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (ADW_ALERT_DIALOG (question)), ==, "cancel");
  g_test_message ("asked: %s", adw_alert_dialog_get_body (ADW_ALERT_DIALOG (question)));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (question)), "expired"));
  press_response (question, "_Cancel");
  WAIT_FOR (visible_dialog () == ADW_DIALOG (dialog), "the question to go");

  after = keystore_fingerprint ("gateway");
  served_after = served_fingerprint ();
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (served_after, ==, served_before);
  g_assert_cmpint (config_version (), ==, version);

  adw_dialog_close (ADW_DIALOG (dialog));
  WAIT_FOR (visible_dialog () == NULL, "the dialog to close");
}

static gboolean
all_echoed (GhTestWsClient **clients,
            guint            n_expected)
{
  for (guint i = 0; i < N_SESSIONS; i++)
    if (clients[i]->n_received < n_expected)
      return FALSE;
  return TRUE;
}

static void
exchange (GhTestWsClient **clients,
          guint            round)
{
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autofree char *message = g_strdup_printf ("session %u round %u", i, round);

      g_assert_cmpint (soup_websocket_connection_get_state (clients[i]->connection), ==, SOUP_WEBSOCKET_STATE_OPEN);
      soup_websocket_connection_send_text (clients[i]->connection, message);
    }
  WAIT_FOR (all_echoed (clients, round), "every session's echo");
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autofree char *message = g_strdup_printf ("session %u round %u", i, round);

      g_assert_nonnull (strstr (clients[i]->received->str, message));
    }
}

static void
test_rotate_under_live_sessions (void)
{
  GhTestWsClient *clients[N_SESSIONS];
  g_autoptr(GBytes) fresh = localhost_pem ("fresh", "20250101000000Z", "20350101000000Z");
  g_autofree char *fresh_sha256 = pem_fingerprint (fresh);
  g_autofree char *served = NULL;
  g_autofree char *stored = NULL;
  GhImportDialog *dialog;
  GhServePreview *preview;
  gint64 version;

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      clients[i] = gh_test_ws_client_new (setup.gateway, "/echo", TIMEOUT_SECONDS);
      g_assert_no_error (clients[i]->error);
      g_assert_nonnull (clients[i]->connection);
    }
  exchange (clients, 1);

  /* The preview: the echo accept will serve it from the next handshake, unflagged. */
  dialog = open_rotate (fresh, "fresh.pem", FALSE);
  preview = gh_import_dialog_get_serve_preview (dialog);
  g_assert_cmpuint (gh_serve_preview_get_n_accepts (preview), >=, 1);
  g_assert_cmpuint (gh_serve_preview_get_n_flagged (preview), ==, 0);
  gh_test_screenshots (GTK_WINDOW (setup.window), "rotate-preview", NULL);

  /* Rotated, without a question. */
  version = config_version ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  WAIT_FOR (visible_dialog () == NULL, "the rotate");
  g_assert_cmpint (config_version (), >, version);
  stored = keystore_fingerprint ("gateway");
  g_assert_cmpstr (stored, ==, fresh_sha256);

  /* No session dropped: each still echoes. */
  exchange (clients, 2);
  for (guint i = 0; i < N_SESSIONS; i++)
    g_assert_cmpint (soup_websocket_connection_get_state (clients[i]->connection), ==, SOUP_WEBSOCKET_STATE_OPEN);

  /* A new client gets the new certificate. */
  served = served_fingerprint ();
  g_assert_cmpstr (served, ==, fresh_sha256);

  for (guint i = 0; i < N_SESSIONS; i++)
    gh_test_ws_client_free (clients[i], TIMEOUT_SECONDS);
}

static void
test_service_editor_preview (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client);
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  g_autoptr(GhGatewayConfig) config = gh_admin_client_get_config_finish (client, result, &version, &error);
  g_autoptr(GPtrArray) previews = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *elsewhere = g_strdup_printf ("wss://elsewhere.test:%u/echo", setup.gateway->port);
  GhServiceEditor *editor;
  GhServePreview *preview;
  AdwEntryRow *accept_row = NULL;

  g_assert_no_error (error);
  editor = gh_service_editor_new (client, config, version, "echo");
  adw_dialog_present (ADW_DIALOG (editor), GTK_WIDGET (setup.window));
  gh_test_collect (GTK_WIDGET (editor), GH_TYPE_SERVE_PREVIEW, previews);
  g_assert_cmpuint (previews->len, ==, 1);
  preview = g_ptr_array_index (previews, 0);

  /* As loaded: the echo accept serves "gateway" for localhost, nothing flagged. */
  WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (preview)) && gh_serve_preview_get_ready (preview), "the preview");
  g_assert_cmpuint (gh_serve_preview_get_n_accepts (preview), ==, 1);
  g_assert_cmpuint (gh_serve_preview_get_n_flagged (preview), ==, 0);
  gh_test_assert_all_named (GTK_WIDGET (editor));

  /* An accept host no entry covers: flagged, before Apply. */
  gh_test_collect (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (gtk_editable_get_text (g_ptr_array_index (rows, i)), "wss://"))
      accept_row = g_ptr_array_index (rows, i);
  g_assert_nonnull (accept_row);
  gtk_editable_set_text (GTK_EDITABLE (accept_row), elsewhere);
  g_assert_false (gh_serve_preview_get_ready (preview));
  WAIT_FOR (gh_serve_preview_get_ready (preview), "the new preview");
  g_test_message ("elsewhere: %u accepts, %u flagged", gh_serve_preview_get_n_accepts (preview),
                  gh_serve_preview_get_n_flagged (preview));
  g_assert_cmpuint (gh_serve_preview_get_n_accepts (preview), ==, 1);
  g_assert_cmpuint (gh_serve_preview_get_n_flagged (preview), ==, 1);
  gh_test_screenshots (GTK_WINDOW (setup.window), "service-editor-preview", NULL);

  /* Apply asks first; Cancel keeps the gateway's configuration. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  gh_test_drain ();
  g_assert_true (ADW_IS_ALERT_DIALOG (visible_dialog ()));
  press_response (visible_dialog (), "_Cancel");
  WAIT_FOR (visible_dialog () == ADW_DIALOG (editor), "the question to go");
  g_assert_cmpint (config_version (), ==, version);

  adw_dialog_force_close (ADW_DIALOG (editor));
  WAIT_FOR (visible_dialog () == NULL, "the editor to close");
}

static GhCertificatesPage *
window_certificates_page (GtkWidget *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  gh_test_collect (window, GH_TYPE_CERTIFICATES_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  return g_ptr_array_index (pages, 0);
}

static gboolean
window_page_listed (GtkWidget *window)
{
  GhCertificatesPage *page = window_certificates_page (window);

  return g_list_model_get_n_items (G_LIST_MODEL (gh_certificates_page_get_model (page))) > 0 &&
         gh_certificates_page_get_idle (page);
}

static gboolean
on_settled (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A dialog slides in: the picture is taken once it is in place. */
static void
wait_for_dialog_in_place (AdwDialog *dialog)
{
  gboolean settled = FALSE;

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)), "the dialog to show");
  g_timeout_add (800, on_settled, &settled);
  WAIT_FOR (settled, "the dialog's animation");
}

/* @window as DIR/@name-{light,dark}.png. */
static void
save_light_and_dark (GtkWidget  *window,
                     const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strconcat (name, "-light.png", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark.png", NULL);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gh_test_save_png (window, light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gh_test_save_png (window, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gh_test_drain ();
}

/* The metainfo's screenshots of the Certificates page, an entry's details and the
 * rotate's preview, in the app's window. */
static void
test_metainfo_screenshots (void)
{
  g_autoptr(GBytes) fresh = NULL;
  GhCertificatesPage *page;
  GtkWidget *window;
  AdwDialog *dialog;

  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("no GATEHOUSE_SCREENSHOT_DIR");
      return;
    }

  window = gh_test_window_open (setup.gateway, "certificates", window_page_listed, TIMEOUT_SECONDS);
  page = window_certificates_page (window);
  save_light_and_dark (window, "certificates-window");

  g_assert_true (gh_certificates_page_select (page, GH_API_CERT_STORE_KEYSTORE, "gateway"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "certificates.details", NULL));
  WAIT_FOR ((dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))) != NULL,
            "the details");
  wait_for_dialog_in_place (dialog);
  save_light_and_dark (window, "certificate-details-window");
  adw_dialog_force_close (dialog);
  gh_test_drain ();

  fresh = localhost_pem ("screenshot", "20250101000000Z", "20350101000000Z");
  gh_certificates_page_preview_rotate (page, "gateway", fresh, "gateway-2026.pem");
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GH_IS_IMPORT_DIALOG (dialog));
  WAIT_FOR (gh_serve_preview_get_ready (gh_import_dialog_get_serve_preview (GH_IMPORT_DIALOG (dialog))), "the preview");
  wait_for_dialog_in_place (dialog);
  save_light_and_dark (window, "import-preview-window");
  adw_dialog_force_close (dialog);
  gh_test_drain ();

  gh_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  setup.gateway = gh_test_gateway_new ("ui/import-preview");
  setup.identity = gh_admin_client_load_identity (setup.gateway->identity_path, setup.gateway->password, &error);
  g_assert_no_error (error);
  setup.files = g_build_filename (setup.gateway->dir, "matrix", NULL);
  script = g_build_filename (g_getenv ("GATEHOUSE_SOURCE_ROOT"), "tests", "ui", "import-matrix.sh", NULL);
  {
    const char *argv_script[] = { "sh", script, setup.files, NULL };
    g_autoptr(GSubprocess) process = g_subprocess_newv (argv_script, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (process, NULL, &error));
    g_assert_no_error (error);
  }
  gh_test_gateway_start (setup.gateway);

  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_CERTIFICATES_PAGE (g_object_ref (gh_certificates_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);
  gh_certificates_page_set_connection (setup.page, setup.connection);

  for (guint i = 0; i < G_N_ELEMENTS (key_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import-preview/key-entry/%s", key_cases[i].file);

      g_test_add_data_func (path, &key_cases[i], test_key_entry);
    }
  g_test_add_func ("/import-preview/der-certificate", test_der_certificate);
  g_test_add_func ("/import-preview/pkcs7-chain", test_pkcs7_chain);
  g_test_add_func ("/import-preview/refused", test_refused);
  g_test_add_func ("/import-preview/rotate-expired-flagged", test_rotate_to_expired_is_flagged);
  g_test_add_func ("/import-preview/service-editor", test_service_editor_preview);
  g_test_add_func ("/import-preview/rotate-live-sessions", test_rotate_under_live_sessions);
  g_test_add_func ("/import-preview/metainfo-screenshots", test_metainfo_screenshots);

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
  g_free (setup.files);
  setup.gateway->keep_dir = status != 0;
  g_clear_pointer (&setup.gateway, gh_test_gateway_free);

  return status;
}
