/* test-keystores.c — local keystore files in the window, with real tools on both
 * sides: a key and certificate that `openssl req` wrote are imported through the
 * preview into a new file; the file is read back from the disk; its key entry is
 * exported as PKCS#12 (modern and compatible) and as encrypted PKCS#8, and `openssl
 * pkcs12 -info`, `openssl pkey` and Java's `keytool -list` read the exports; an entry
 * is renamed and deleted through the page's dialogs and the file on disk follows; a
 * file that needs a password asks for it, says when it is wrong, and opens with the
 * right one; and a local key entry is uploaded to a real gatehoused through the
 * gateway's import preview, then read back through the admin API. A file of three
 * keys that Java's keytool wrote gets a new password through the page's dialog, its
 * progress bar rising to the end: openssl then opens it with the new password only,
 * and a change cancelled leaves the file as it was.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page is rendered there (light and dark, wide
 * and narrow).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "gh-api.h"
#include "gh-certificate-details.h"
#include "gh-import-dialog.h"
#include "gh-keystore-file.h"
#include "gh-keystore-page.h"
#include "gh-keystore-password-dialog.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"
#include "gh-window.h"

#define TIMEOUT_SECONDS 30
#define PASSWORD "local keystore password"
#define EXPORT_PASSWORD "export password"
#define CN "local.example.test"

static GhTestGateway *gateway;
static char *tmp_dir;
static GBytes *openssl_pem;   /* the certificate and key openssl wrote */
static GhWindow *window;

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs a tool that must succeed (argv, no shell); its stdout. */
static char *
run_tool (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                               NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], err, out);
  return g_steal_pointer (&out);
}

static void
make_openssl_pem (void)
{
  g_autofree char *key = tmp_path ("openssl.key");
  g_autofree char *cert = tmp_path ("openssl.crt");
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
    "-keyout", key, "-out", cert, "-subj", "/CN=" CN, "-days", "30",
    "-addext", "subjectAltName=DNS:" CN, NULL,
  };

  out = run_tool (argv);
  g_assert_true (g_file_get_contents (cert, &cert_pem, NULL, &error));
  g_assert_true (g_file_get_contents (key, &key_pem, NULL, &error));
  g_assert_no_error (error);
  openssl_pem = g_bytes_new_take (g_strconcat (cert_pem, key_pem, NULL), strlen (cert_pem) + strlen (key_pem));
}

static AdwDialog *
find_dialog (GType type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (window), type, found);
  return found->len > 0 ? g_ptr_array_index (found, found->len - 1) : NULL;
}

/* Closes @dialog and waits until it has left the window, so that the next dialog
 * found is a new one. */
static void
close_dialog (AdwDialog *dialog)
{
  g_autoptr(AdwDialog) closing = g_object_ref (dialog);

  adw_dialog_force_close (dialog);
  WAIT_FOR (gtk_widget_get_parent (GTK_WIDGET (closing)) == NULL, "the dialog to close");
  gh_test_drain ();
}

/* The alert dialog shown now, with the response @response given, then closed. */
static void
respond (AdwAlertDialog *dialog,
         const char     *response)
{
  g_assert_true (adw_alert_dialog_get_response_enabled (dialog, response));
  g_signal_emit_by_name (dialog, "response", response);
  close_dialog (ADW_DIALOG (dialog));
}

static GtkWidget *
form_row (AdwAlertDialog *dialog,
          GType           type,
          guint           index)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  gh_test_collect (adw_alert_dialog_get_extra_child (dialog), type, found);
  g_assert_cmpuint (found->len, >, index);
  return g_ptr_array_index (found, index);
}

/* The sidebar's list of keystore files. */
static GtkWidget *
sidebar_list (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, found);
  for (guint i = 0; i < found->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (found, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

      if (row != NULL && ADW_IS_ACTION_ROW (row) && g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ".p12"))
        return list;
    }
  g_assert_not_reached ();
}

static GhKeystoreFile *
new_file (const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GhKeystoreFile *keystore = gh_keystore_file_create (file, GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN,
                                                      PASSWORD, &error);

  g_assert_no_error (error);
  return keystore;
}

static GhKeystore *
reopen (GhKeystoreFile *file)
{
  g_autoptr(GError) error = NULL;
  GhKeystore *keystore = gh_keystore_new_from_file (gh_keystore_file_get_file (file), PASSWORD,
                                                    GH_KEYSTORE_LOAD_NONE, &error);

  g_assert_no_error (error);
  return keystore;
}

/* Imports what openssl wrote through the page's preview; the alias it got. */
static char *
import_openssl (GhKeystorePage *page)
{
  AdwDialog *dialog = gh_keystore_page_preview_import (page, openssl_pem, "openssl.pem");
  GListModel *model = gh_keystore_page_get_model (page);
  g_autoptr(GhApiCertEntry) entry = NULL;

  g_assert_true (GH_IS_IMPORT_DIALOG (dialog));
  g_assert_cmpuint (gh_import_dialog_get_n_items (GH_IMPORT_DIALOG (dialog)), ==, 1);
  g_assert_null (gh_import_dialog_get_problem (GH_IMPORT_DIALOG (dialog)));
  /* The alias is the file's, not a gateway's. */
  g_assert_nonnull (gh_test_find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Alias in the File"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL);
  WAIT_FOR (g_list_model_get_n_items (model) == 1, "the imported entry");
  gh_test_drain ();

  entry = g_list_model_get_item (model, 0);
  g_assert_cmpint (gh_api_cert_entry_get_kind (entry), ==, GH_API_CERT_KIND_KEY);
  g_assert_cmpstr (gh_api_cert_entry_get_display_name (entry), ==, CN);
  return g_strdup (gh_api_cert_entry_get_alias (entry));
}

static void
test_create_import_export (void)
{
  g_autoptr(GhKeystoreFile) file = new_file ("local.p12");
  g_autoptr(GhKeystore) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *p12_modern = tmp_path ("export-modern.p12");
  g_autofree char *p12_compatible = tmp_path ("export-compatible.p12");
  g_autofree char *p8 = tmp_path ("export.key.pem");
  GhKeystorePage *page = gh_window_add_keystore_file (window, file);
  GhKeystoreEntry *entry;
  GhCertificateDetails *details;
  const struct {
    const char      *path;
    GhPkcs12Profile  profile;
  } p12s[] = {
    { p12_modern, GH_PKCS12_PROFILE_MODERN },
    { p12_compatible, GH_PKCS12_PROFILE_COMPATIBLE },
  };

  /* The file's page is shown, empty. */
  g_assert_true (gh_window_get_keystore_page (window) == page);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)), "the file's page");
  g_assert_cmpuint (g_list_model_get_n_items (gh_keystore_page_get_model (page)), ==, 0);

  alias = import_openssl (page);

  /* Search, as on the Certificates page: Ctrl+F's entry filters by alias, subject, issuer. */
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();
    GtkEditable *search;

    gh_test_collect (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, entries);
    g_assert_cmpuint (entries->len, ==, 1);
    search = g_ptr_array_index (entries, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "keystore.search", NULL));
    gtk_editable_set_text (search, "no such entry");
    WAIT_FOR (g_list_model_get_n_items (gh_keystore_page_get_model (page)) == 0, "the search to leave nothing");
    gtk_editable_set_text (search, "LOCAL.EXAMPLE");
    WAIT_FOR (g_list_model_get_n_items (gh_keystore_page_get_model (page)) == 1, "the search to find the entry");
    gtk_editable_set_text (search, "");
    WAIT_FOR (g_list_model_get_n_items (gh_keystore_page_get_model (page)) == 1, "every entry again");
  }

  /* Saved at once: the file on disk has the entry with its key. */
  saved = reopen (file);
  entry = gh_keystore_lookup (saved, alias);
  g_assert_nonnull (entry);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpstr (gh_certificate_get_display_name (gh_keystore_entry_get_certificate (entry)), ==, CN);

  /* The details, as for a gateway's entry. */
  g_assert_true (gh_keystore_page_select (page, alias));
  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.details", NULL);
  WAIT_FOR ((details = (GhCertificateDetails *) find_dialog (GH_TYPE_CERTIFICATE_DETAILS)) != NULL, "the details");
  g_assert_cmpstr (gh_api_cert_entry_get_alias (gh_certificate_details_get_entry (details)), ==, alias);
  close_dialog (ADW_DIALOG (details));

  gh_test_assert_all_named (GTK_WIDGET (page));
  gh_test_assert_all_named (gtk_widget_get_parent (sidebar_list ()));
  gh_test_screenshots (GTK_WINDOW (window), "keystore-page", NULL);

  /* Exported with the key; read by openssl and keytool. */
  for (guint i = 0; i < G_N_ELEMENTS (p12s); i++)
    {
      g_autoptr(GFile) target = g_file_new_for_path (p12s[i].path);
      g_autofree char *info = NULL;
      g_autofree char *list = NULL;
      GStatBuf st;
      const char *openssl[] = { "openssl", "pkcs12", "-info", "-noenc", "-in", p12s[i].path,
                                "-passin", "pass:" EXPORT_PASSWORD, NULL };
      const char *keytool[] = { "keytool", "-list", "-v", "-keystore", p12s[i].path, "-storetype", "PKCS12",
                                "-storepass", EXPORT_PASSWORD, NULL };

      g_assert_true (gh_keystore_page_export_key (page, alias, GH_KEY_EXPORT_PKCS12, p12s[i].profile,
                                                  EXPORT_PASSWORD, target, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (p12s[i].path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);

      info = run_tool (openssl);
      g_assert_nonnull (strstr (info, "-----BEGIN PRIVATE KEY-----"));
      g_assert_nonnull (strstr (info, "CN=" CN));
      list = run_tool (keytool);
      g_assert_nonnull (strstr (list, "PrivateKeyEntry"));
      g_assert_nonnull (strstr (list, "CN=" CN));
    }
  {
    g_autoptr(GFile) target = g_file_new_for_path (p8);
    g_autofree char *text = NULL;
    g_autofree char *public_key = NULL;
    const char *pkey[] = { "openssl", "pkey", "-in", p8, "-passin", "pass:" EXPORT_PASSWORD, "-pubout", NULL };

    g_assert_true (gh_keystore_page_export_key (page, alias, GH_KEY_EXPORT_PKCS8, GH_PKCS12_PROFILE_MODERN,
                                                EXPORT_PASSWORD, target, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (p8, &text, NULL, &error));
    g_assert_true (g_str_has_prefix (text, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    public_key = run_tool (pkey);
    g_assert_nonnull (strstr (public_key, "-----BEGIN PUBLIC KEY-----"));
  }

  /* Export asks for a password twice; they must agree and not be empty. */
  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.export", NULL);
  {
    AdwAlertDialog *dialog;

    WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the export dialog");
    gh_test_assert_all_named (GTK_WIDGET (dialog));
    g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "export"));
    gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 0)), "one");
    gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 1)), "other");
    g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "export"));
    gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 1)), "one");
    g_assert_true (adw_alert_dialog_get_response_enabled (dialog, "export"));
    close_dialog (ADW_DIALOG (dialog));
  }
}

static void
test_rename_delete (void)
{
  g_autoptr(GhKeystoreFile) file = new_file ("rename.p12");
  GhKeystorePage *page = gh_window_add_keystore_file (window, file);
  g_autofree char *alias = import_openssl (page);
  g_autoptr(GhKeystore) renamed = NULL;
  g_autoptr(GhKeystore) deleted = NULL;
  AdwAlertDialog *dialog;

  g_assert_true (gh_keystore_page_select (page, alias));
  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.rename", NULL);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the rename dialog");
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  /* The same alias, or one that is no alias, cannot be chosen. */
  g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 0)), " padded");
  g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 0)), "");
  g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 0)), "renamed");
  respond (dialog, "rename");

  renamed = reopen (file);
  g_assert_null (gh_keystore_lookup (renamed, alias));
  g_assert_nonnull (gh_keystore_lookup (renamed, "renamed"));
  g_assert_true (gh_keystore_page_select (page, "renamed"));

  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.delete", NULL);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the delete dialog");
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "delete");

  deleted = reopen (file);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (deleted)), ==, 0);
  WAIT_FOR (g_list_model_get_n_items (gh_keystore_page_get_model (page)) == 0, "no rows");
}

/* Change Password: three keys that keytool wrote, encrypted again through the dialog. */

#define NEW_PASSWORD "a new password"

/* Whether a tool exits with 0 (argv, no shell). */
static gboolean
tool_succeeds (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static gboolean
openssl_opens (const char *path,
               const char *password)
{
  g_autofree char *pass = g_strconcat ("pass:", password, NULL);
  const char *argv[] = { "openssl", "pkcs12", "-in", path, "-passin", pass, "-noout", NULL };

  return tool_succeeds (argv);
}

static GhKeystoreFile *
keytool_file (const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GhKeystoreFile *keystore;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *alias = g_strdup_printf ("key-%u", i);
      g_autofree char *dname = g_strdup_printf ("CN=key-%u.example.test", i);
      const char *argv[] = { "keytool", "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                             "-alias", alias, "-dname", dname, "-validity", "30", "-storetype", "PKCS12",
                             "-keystore", path, "-storepass", PASSWORD, NULL };
      g_autofree char *out = run_tool (argv);
    }
  keystore = gh_keystore_file_open (file, PASSWORD, &error);
  g_assert_no_error (error);
  return keystore;
}

typedef struct {
  GArray *fractions;   /* of double, as the bar showed them */
  char   *text;        /* the bar's last text */
} Shown;

static void
on_fraction (GtkProgressBar *bar,
             GParamSpec     *pspec,
             Shown          *shown)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  g_array_append_val (shown->fractions, fraction);
}

static void
on_text (GtkProgressBar *bar,
         GParamSpec     *pspec,
         Shown          *shown)
{
  g_free (shown->text);
  shown->text = g_strdup (gtk_progress_bar_get_text (bar));
}

/* The password dialog opened on @page, with @password typed twice; its Change and
 * Cancel buttons. */
static AdwDialog *
open_password_dialog (GhKeystorePage  *page,
                      const char      *password,
                      GtkWidget      **change,
                      GtkWidget      **cancel)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  AdwDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "keystore.change-password", NULL));
  WAIT_FOR ((dialog = find_dialog (GH_TYPE_KEYSTORE_PASSWORD_DIALOG)) != NULL, "the password dialog");
  gh_test_collect (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  gh_test_collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  *change = *cancel = NULL;
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (gtk_widget_has_css_class (button, "suggested-action"))
        *change = button;
      else if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "_Cancel") == 0)
        *cancel = button;
    }
  g_assert_nonnull (*change);
  g_assert_nonnull (*cancel);

  /* Change is off until the two agree and are not empty. */
  g_assert_false (gtk_widget_get_sensitive (*change));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 0)), password);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), "something else");
  g_assert_false (gtk_widget_get_sensitive (*change));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), password);
  g_assert_true (gtk_widget_get_sensitive (*change));
  return dialog;
}

static void
assert_lists_keys (GhKeystorePage *page)
{
  GListModel *model = gh_keystore_page_get_model (page);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *alias = g_strdup_printf ("key-%u", i);

      g_assert_true (gh_keystore_page_select (page, alias));
      g_assert_cmpint (gh_api_cert_entry_get_kind (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model))),
                       ==, GH_API_CERT_KIND_KEY);
    }
}

static void
test_change_password (void)
{
  g_autoptr(GhKeystoreFile) file = keytool_file ("password.p12");
  const char *path = g_file_peek_path (gh_keystore_file_get_file (file));
  GhKeystorePage *page = gh_window_add_keystore_file (window, file);
  Shown shown = { g_array_new (FALSE, FALSE, sizeof (double)), NULL };
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();
  GtkWidget *change, *cancel;
  AdwDialog *dialog;

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)), "the file's page");
  assert_lists_keys (page);

  /* Cancelled as soon as it starts: the file keeps its password. */
  dialog = open_password_dialog (page, NEW_PASSWORD, &change, &cancel);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (change, "clicked");
  g_assert_false (gtk_widget_get_sensitive (change));
  g_signal_emit_by_name (cancel, "clicked");
  WAIT_FOR (dialog == NULL, "the cancelled change to end");
  gh_test_drain ();
  g_assert_true (openssl_opens (path, PASSWORD));
  g_assert_false (openssl_opens (path, NEW_PASSWORD));
  assert_lists_keys (page);

  /* Done: the bar rises to the end, 3 of 3 keys; the dialog closes. */
  dialog = open_password_dialog (page, NEW_PASSWORD, &change, &cancel);
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  gh_test_screenshots (GTK_WINDOW (window), "keystore-password", NULL);
  gh_test_collect (GTK_WIDGET (dialog), GTK_TYPE_PROGRESS_BAR, bars);
  g_assert_cmpuint (bars->len, ==, 1);
  g_signal_connect (g_ptr_array_index (bars, 0), "notify::fraction", G_CALLBACK (on_fraction), &shown);
  g_signal_connect (g_ptr_array_index (bars, 0), "notify::text", G_CALLBACK (on_text), &shown);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (change, "clicked");
  WAIT_FOR (dialog == NULL, "the change to end");
  gh_test_drain ();

  g_assert_cmpuint (shown.fractions->len, >=, 2);
  for (guint i = 1; i < shown.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (shown.fractions, double, i - 1), <=, g_array_index (shown.fractions, double, i));
  g_assert_cmpfloat (g_array_index (shown.fractions, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (shown.fractions, double, shown.fractions->len - 1), ==, 1.0);
  g_assert_cmpstr (shown.text, ==, "3 of 3 keys");
  g_assert_true (gh_test_label_shown (GTK_WIDGET (window), "password of “password.p12” was changed"));

  g_assert_true (openssl_opens (path, NEW_PASSWORD));
  g_assert_false (openssl_opens (path, PASSWORD));
  assert_lists_keys (page);

  g_array_unref (shown.fractions);
  g_free (shown.text);
}

/* A new key made in the file, its request shown; the CA's reply imported onto it. */
static void
test_new_key_request (void)
{
  g_autoptr(GhKeystoreFile) file = new_file ("request.p12");
  GhKeystorePage *page = gh_window_add_keystore_file (window, file);
  g_autoptr(GhKeystore) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csr_path = tmp_path ("request.csr");
  g_autofree char *ca_key = tmp_path ("ca.key");
  g_autofree char *ca_cert = tmp_path ("ca.crt");
  g_autofree char *reply_path = tmp_path ("reply.crt");
  g_autofree char *reply = NULL;
  g_autoptr(GBytes) reply_bytes = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *csr = NULL;
  AdwAlertDialog *dialog;
  AdwDialog *preview;
  GhKeystoreEntry *entry;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  const char *make_ca[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
    "-keyout", ca_key, "-out", ca_cert, "-subj", "/CN=Local Test CA", "-days", "30", NULL,
  };
  const char *sign[] = {
    "openssl", "x509", "-req", "-in", csr_path, "-CA", ca_cert, "-CAkey", ca_key, "-days", "20",
    "-copy_extensions", "copy", "-out", reply_path, NULL,
  };

  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.new-key", NULL);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the new key dialog");
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  g_assert_false (adw_alert_dialog_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 0)), "www");
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 1)), "www.example.test");
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_ENTRY_ROW, 2)), "www.example.test, 192.0.2.7");
  respond (dialog, "create");

  /* The request is shown; the key is in the file with a provisional certificate. */
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the request");
  gh_test_collect (adw_alert_dialog_get_extra_child (dialog), GTK_TYPE_TEXT_VIEW, views);
  g_assert_cmpuint (views->len, ==, 1);
  buffer = gtk_text_view_get_buffer (g_ptr_array_index (views, 0));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  csr = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (csr, "CERTIFICATE REQUEST-----"));
  respond (dialog, "close");
  saved = reopen (file);
  entry = gh_keystore_lookup (saved, "www");
  g_assert_nonnull (entry);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);

  /* openssl reads the request and its CA signs it; the reply goes onto the entry. */
  g_assert_true (g_file_set_contents (csr_path, csr, -1, &error));
  g_assert_no_error (error);
  g_free (run_tool (make_ca));
  g_free (run_tool (sign));
  g_assert_true (g_file_get_contents (reply_path, &reply, NULL, &error));
  g_assert_no_error (error);
  reply_bytes = g_bytes_new (reply, strlen (reply));
  preview = gh_keystore_page_preview_import (page, reply_bytes, "reply.crt");
  g_assert_cmpuint (gh_import_dialog_get_n_items (GH_IMPORT_DIALOG (preview)), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (preview), "import.commit", NULL);
  WAIT_FOR (find_dialog (GH_TYPE_IMPORT_DIALOG) == NULL, "the reply imported");

  g_clear_object (&saved);
  saved = reopen (file);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (saved)), ==, 1);
  entry = gh_keystore_lookup (saved, "www");
  g_assert_nonnull (strstr (gh_certificate_get_issuer (gh_keystore_entry_get_certificate (entry)), "Local Test CA"));
}

/* Opening a file that needs a password: asked, a wrong one said, the right one opens. */
static void
test_open_asks_password (void)
{
  g_autoptr(GhKeystoreFile) made = new_file ("locked.p12");
  g_autoptr(GFile) file = g_object_ref (gh_keystore_file_get_file (made));
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) recent = NULL;
  AdwAlertDialog *dialog;
  GhKeystorePage *page;

  g_clear_object (&made);
  gh_window_open_keystore (window, file);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the password dialog");
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Keystore File Password");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "“locked.p12”"));
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 0)), "wrong password");
  respond (dialog, "open");

  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the dialog again");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "does not open"));
  g_assert_true (gtk_widget_has_css_class (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 0), "error"));
  gtk_editable_set_text (GTK_EDITABLE (form_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, 0)), PASSWORD);
  respond (dialog, "open");

  WAIT_FOR ((page = gh_window_get_keystore_page (window)) != NULL &&
            g_file_equal (gh_keystore_file_get_file (gh_keystore_page_get_file (page)), file), "the file's page");
  recent = g_settings_get_strv (settings, "recent-keystores");
  g_assert_cmpstr (recent[0], ==, g_file_peek_path (file));
}

/* A local key entry sent to a real gateway through its import preview. */
static void
test_upload_to_gateway (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_client_load_identity (gateway->identity_path, gateway->password,
                                                                       &error);
  g_autoptr(GhAdminClient) client = NULL;
  g_autoptr(GhGatewayConnection) connection = NULL;
  g_autoptr(GhKeystoreFile) file = new_file ("upload.p12");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiKeystoreEntry) uploaded = NULL;
  g_autofree char *alias = NULL;
  GhKeystorePage *page;
  AdwAlertDialog *dialog;
  GhImportDialog *preview;
  GhKeystoreEntry *local;
  gint64 version_before;

  g_assert_no_error (error);
  connection = gh_gateway_connection_new ("Test gateway", gateway->admin_url, gateway->identity_path,
                                          gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_window_add_gateway (window, connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  WAIT_FOR (gh_gateway_connection_get_config_version (connection) > 0, "the configuration's version");

  version_before = gh_gateway_connection_get_config_version (connection);
  page = gh_window_add_keystore_file (window, file);
  alias = import_openssl (page);
  /* An alias of the file's own, not the certificate's name: the gateway gets it too. */
  {
    g_autofree char *named = g_steal_pointer (&alias);

    alias = g_strdup ("uploaded-from-file");
    g_assert_true (gh_keystore_file_rename (file, named, alias, &error));
    g_assert_no_error (error);
  }
  WAIT_FOR (gh_keystore_page_select (page, alias), "the renamed entry on the page");

  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.upload", NULL);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the upload dialog");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "“Test gateway”"));
  respond (dialog, "new");

  WAIT_FOR ((preview = (GhImportDialog *) find_dialog (GH_TYPE_IMPORT_DIALOG)) != NULL, "the import preview");
  g_assert_cmpuint (gh_import_dialog_get_n_items (preview), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (preview), "import.commit", NULL);
  WAIT_FOR (find_dialog (GH_TYPE_IMPORT_DIALOG) == NULL || gh_import_dialog_get_problem (preview) != NULL,
            "the upload");
  g_assert_null (find_dialog (GH_TYPE_IMPORT_DIALOG));

  /* The gateway's keystore has it, with the file's certificate. */
  client = gh_admin_client_new (gateway->admin_url, identity, gateway->fingerprint);
  result = RUN (gh_admin_client_get_keystore_entry_async, client, alias);
  uploaded = gh_admin_client_get_keystore_entry_finish (client, result, &error);
  g_assert_no_error (error);
  local = gh_keystore_lookup (gh_keystore_file_get_keystore (file), alias);
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (uploaded)), ==,
                   gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (local)));

  /* Again, in place of the gateway's entry of the same alias (a rotation). */
  WAIT_FOR (gh_gateway_connection_get_config_version (connection) > version_before, "the new version");
  version_before = gh_gateway_connection_get_config_version (connection);
  gtk_widget_activate_action (GTK_WIDGET (page), "keystore.upload", NULL);
  WAIT_FOR ((dialog = (AdwAlertDialog *) find_dialog (ADW_TYPE_ALERT_DIALOG)) != NULL, "the upload dialog");
  respond (dialog, "rotate");
  WAIT_FOR ((preview = (GhImportDialog *) find_dialog (GH_TYPE_IMPORT_DIALOG)) != NULL, "the rotate preview");
  gtk_widget_activate_action (GTK_WIDGET (preview), "import.commit", NULL);
  WAIT_FOR (find_dialog (GH_TYPE_IMPORT_DIALOG) == NULL || gh_import_dialog_get_problem (preview) != NULL,
            "the rotation");
  g_assert_null (find_dialog (GH_TYPE_IMPORT_DIALOG));
  /* The rotation made a version of its own. */
  WAIT_FOR (gh_gateway_connection_get_config_version (connection) > version_before, "the rotation's version");
  g_clear_object (&result);
  g_clear_object (&uploaded);
  result = RUN (gh_admin_client_get_keystore_entry_async, client, alias);
  uploaded = gh_admin_client_get_keystore_entry_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_certificate_get_sha256_fingerprint (gh_api_keystore_entry_get_certificate (uploaded)), ==,
                   gh_certificate_get_sha256_fingerprint (gh_keystore_entry_get_certificate (local)));

  gh_gateway_connection_stop (connection);
  gh_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  gateway = gh_test_gateway_new ("ui/keystores");
  gh_test_gateway_start (gateway);
  tmp_dir = g_dir_make_tmp ("gh-test-keystores-XXXXXX", &error);
  g_assert_no_error (error);
  make_openssl_pem ();

  window = g_object_ref_sink (g_object_new (GH_TYPE_WINDOW, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/keystores/create-import-export", test_create_import_export);
  g_test_add_func ("/keystores/rename-delete", test_rename_delete);
  g_test_add_func ("/keystores/new-key-request", test_new_key_request);
  g_test_add_func ("/keystores/open-asks-password", test_open_asks_password);
  g_test_add_func ("/keystores/upload-to-gateway", test_upload_to_gateway);
  g_test_add_func ("/keystores/change-password", test_change_password);

  status = g_test_run ();

  gh_test_destroy_window (GTK_WINDOW (window));
  gh_test_drain ();
  g_clear_object (&window);
  g_clear_pointer (&openssl_pem, g_bytes_unref);
  gh_test_gateway_kill (gateway);
  gateway->keep_dir = status != 0;
  g_clear_pointer (&gateway, gh_test_gateway_free);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = tmp_path (name);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return status;
}
