/* gh-keystore-page-dialogs.c — what the local keystore page asks before it changes
 * anything: a new alias, a confirmation, an export's format and password, a new
 * key's subject, where an upload goes, a new password for the file
 *
 * Each is an AdwAlertDialog with a small form as its extra child: these are one
 * question each, answered in place, and the page's actions stay in class_init. The
 * changes themselves are GhKeystoreFile's (src/lib/pki), saved as they are made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-alert-form.h"
#include "gh-import-dialog.h"
#include "gh-keystore-page-private.h"
#include "gh-keystore-password-dialog.h"
#include "gh-window.h"

static const char *
selected_alias (GhKeystorePage *self)
{
  GhApiCertEntry *entry = _gh_keystore_page_get_selected (self);

  return entry != NULL ? gh_api_cert_entry_get_alias (entry) : NULL;
}

/* Says what a change did, or why it was not made. */
static void
report (GhKeystorePage *self,
        gboolean        done,
        const char     *done_text,
        GError         *error)
{
  g_autofree char *text = NULL;

  if (!done)
    text = g_strdup_printf (_("Nothing was changed: %s"), error->message);
  _gh_keystore_page_toast (self, done ? done_text : text);
}

/* Rename */

static void
on_rename_changed (AdwAlertDialog *dialog,
                   GtkEditable    *row)
{
  const char *text = gtk_editable_get_text (row);
  const char *alias = g_object_get_data (G_OBJECT (dialog), "gh-alias");

  adw_alert_dialog_set_response_enabled (dialog, "rename",
                                         gh_keystore_alias_is_valid (text) && g_strcmp0 (text, alias) != 0);
}

static void
on_rename_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhKeystorePage *self)
{
  const char *alias = g_object_get_data (G_OBJECT (dialog), "gh-alias");
  g_autofree char *new_alias = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (!g_str_equal (response, "rename"))
    return;

  new_alias = g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-row")));
  done = gh_keystore_file_rename (gh_keystore_page_get_file (self), alias, new_alias, &error);
  text = g_strdup_printf (_("“%s” is now “%s”"), alias, new_alias);
  report (self, done, text, error);
  if (done)
    gh_keystore_page_select (self, new_alias);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  const char *alias = selected_alias (self);
  g_autofree char *body = NULL;
  GtkWidget *row;
  AdwDialog *dialog;

  if (alias == NULL)
    return;

  /* The alias goes in the body: a long one does not wrap in a heading. */
  body = g_strdup_printf (_("The new alias of “%s”, unique in the file."), alias);
  row = gh_alert_form_entry_row (_("New Alias"), alias);
  dialog = gh_alert_form_new (_("Rename the Entry"), body, "rename", _("_Rename"), row, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "gh-alias", g_strdup (alias), g_free);
  g_object_set_data (G_OBJECT (dialog), "gh-row", row);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_rename_changed), dialog);
  on_rename_changed (ADW_ALERT_DIALOG (dialog), GTK_EDITABLE (row));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* Delete */

static void
on_delete_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhKeystorePage *self)
{
  const char *alias = g_object_get_data (G_OBJECT (dialog), "gh-alias");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (!g_str_equal (response, "delete"))
    return;

  done = gh_keystore_file_remove (gh_keystore_page_get_file (self), alias, &error);
  text = g_strdup_printf (_("“%s” deleted"), alias);
  report (self, done, text, error);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  GhApiCertEntry *entry = _gh_keystore_page_get_selected (self);
  g_autofree char *body = NULL;
  AdwDialog *dialog;

  if (entry == NULL)
    return;

  if (gh_api_cert_entry_get_kind (entry) == GH_API_CERT_KIND_KEY)
    body = g_strdup_printf (_("The private key of “%s” and its chain leave the file, which is saved at once. "
                              "Without a copy elsewhere the key is lost; the file’s previous version stays "
                              "beside it as a .bak file."), gh_api_cert_entry_get_alias (entry));
  else
    body = g_strdup_printf (_("The certificate “%s” leaves the file, which is saved at once."),
                            gh_api_cert_entry_get_alias (entry));
  dialog = gh_alert_form_new (_("Delete the Entry?"), body, "delete", _("_Delete"), NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-alias", g_strdup (gh_api_cert_entry_get_alias (entry)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* Export of a key entry with its key: the format and a new password, then where. */

typedef struct {
  GhKeystorePage    *self;
  char              *alias;
  GhKeyExportFormat  format;
  GhPkcs12Profile    profile;
  GhSecret          *password;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->self);
  g_clear_pointer (&export->alias, g_free);
  g_clear_pointer (&export->password, gh_secret_free);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
on_export_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GFile) target = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (target == NULL)
    return;

  name = g_file_get_basename (target);
  if (gh_keystore_page_export_key (export->self, export->alias, export->format, export->profile, export->password,
                                   target, &error))
    text = g_strdup_printf (_("“%s” exported to “%s”"), export->alias, name);
  else
    text = g_strdup_printf (_("“%s” was not exported: %s"), export->alias, error->message);
  _gh_keystore_page_toast (export->self, text);
}

/* The export dialog's choices, in the order of its format row. */
static const struct {
  const char        *label;
  GhKeyExportFormat  format;
  GhPkcs12Profile    profile;
  const char        *suffix;
} export_formats[] = {
  { N_("PKCS#12, Modern"), GH_KEY_EXPORT_PKCS12, GH_PKCS12_PROFILE_MODERN, ".p12" },
  { N_("PKCS#12, Compatible"), GH_KEY_EXPORT_PKCS12, GH_PKCS12_PROFILE_COMPATIBLE, ".p12" },
  { N_("PKCS#8, Key Only"), GH_KEY_EXPORT_PKCS8, GH_PKCS12_PROFILE_MODERN, ".key.pem" },
};

static void
on_export_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhKeystorePage *self)
{
  g_autoptr(GtkFileDialog) chooser = NULL;
  g_autofree char *name = NULL;
  Export *export;
  guint choice;

  if (!g_str_equal (response, "export"))
    return;

  choice = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (dialog), "gh-format"));
  g_assert (choice < G_N_ELEMENTS (export_formats));
  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->alias = g_strdup (g_object_get_data (G_OBJECT (dialog), "gh-alias"));
  export->format = export_formats[choice].format;
  export->profile = export_formats[choice].profile;
  export->password = g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-password")));

  name = g_strconcat (export->alias, export_formats[choice].suffix, NULL);
  chooser = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (chooser, _("Export the Key"));
  gtk_file_dialog_set_initial_name (chooser, name);
  gtk_file_dialog_save (chooser, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL, on_export_chosen,
                        export);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  const char *alias = selected_alias (self);
  const char *labels[G_N_ELEMENTS (export_formats) + 1] = { NULL };
  g_autofree char *body = NULL;
  GtkWidget *format, *password, *again;
  AdwDialog *dialog;

  if (alias == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    labels[i] = _(export_formats[i].label);
  format = gh_alert_form_combo_row (_("Format"), labels);
  password = gh_alert_form_password_row (_("New Password"));
  again = gh_alert_form_password_row (_("Confirm the Password"));
  body = g_strdup_printf (_("The key of “%s” leaves this file encrypted with a password of its own; whoever "
                            "opens the export needs it. PKCS#12 holds the key and its chain: modern (AES-256) for "
                            "current tools, compatible (3DES) for old Java, macOS and Windows. PKCS#8 holds the "
                            "key alone."), alias);
  dialog = gh_alert_form_new (_("Export with the Private Key"), body, "export", _("_Export…"),
                              format, password, again, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "gh-alias", g_strdup (alias), g_free);
  g_object_set_data (G_OBJECT (dialog), "gh-format", format);
  g_object_set_data (G_OBJECT (dialog), "gh-password", password);
  gh_alert_form_require_password (ADW_ALERT_DIALOG (dialog), "export", password, again);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* A new key and its request: made here, the request shown to copy or save. */

typedef struct {
  GhKeystorePage *self;
  char           *alias;
  char           *subject;
  GStrv           sans;
} NewKey;

static void
new_key_free (NewKey *new_key)
{
  g_clear_object (&new_key->self);
  g_clear_pointer (&new_key->alias, g_free);
  g_clear_pointer (&new_key->subject, g_free);
  g_clear_pointer (&new_key->sans, g_strfreev);
  g_free (new_key);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NewKey, new_key_free)

static void
on_request_response (AdwAlertDialog *dialog,
                     const char     *response,
                     GhKeystorePage *self)
{
  const char *csr = g_object_get_data (G_OBJECT (dialog), "gh-csr");

  if (g_str_equal (response, "copy"))
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), csr);
      _gh_keystore_page_toast (self, _("The request was copied"));
    }
}

static void
show_request (GhKeystorePage *self,
              const char     *alias,
              const char     *csr)
{
  g_autofree char *body = g_strdup_printf (_("The request of “%s”: send it to your certificate authority, then "
                                             "import its reply into this file, where it takes the place of the "
                                             "entry’s provisional self-signed certificate."), alias);
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  AdwDialog *dialog = adw_alert_dialog_new (_("Certificate Signing Request"), body);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), csr, -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Certificate Signing Request"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), scrolled);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "copy", _("C_opy"), "close", _("_Close"), NULL);
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "gh-csr", g_strdup (csr), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_request_response), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
on_key_generated (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NewKey) new_key = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate_finish (result, &error);
  g_autofree char *csr = NULL;

  if (key != NULL)
    csr = gh_keystore_file_add_key_with_csr (gh_keystore_page_get_file (new_key->self), new_key->alias, key,
                                             new_key->subject, (const char * const *) new_key->sans, &error);
  if (csr == NULL)
    {
      report (new_key->self, FALSE, NULL, error);
      return;
    }
  gh_keystore_page_select (new_key->self, new_key->alias);
  show_request (new_key->self, new_key->alias, csr);
}

/* The key types offered, in the order of the dialog's row. */
static const GhKeyType key_types[] = {
  GH_KEY_TYPE_ECDSA_P256, GH_KEY_TYPE_ECDSA_P384, GH_KEY_TYPE_RSA_2048, GH_KEY_TYPE_RSA_3072,
  GH_KEY_TYPE_RSA_4096, GH_KEY_TYPE_ED25519,
};

static void
on_new_key_changed (AdwAlertDialog *dialog)
{
  const char *alias = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-alias"));
  const char *name = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-name"));

  adw_alert_dialog_set_response_enabled (dialog, "create", gh_keystore_alias_is_valid (alias) && *name != '\0');
}

static void
on_new_key_response (AdwAlertDialog *dialog,
                     const char     *response,
                     GhKeystorePage *self)
{
  const char *name = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-name"));
  const char *names = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-names"));
  guint type = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (dialog), "gh-type"));
  g_autoptr(GStrvBuilder) sans = g_strv_builder_new ();
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,]+", names, 0, 0);
  NewKey *new_key;

  if (!g_str_equal (response, "create"))
    return;

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (sans, parts[i]);
  new_key = g_new0 (NewKey, 1);
  new_key->self = g_object_ref (self);
  new_key->alias = g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-alias")));
  new_key->subject = g_strdup_printf ("CN=%s", name);
  new_key->sans = g_strv_builder_end (sans);
  _gh_keystore_page_toast (self, _("Making the key…"));
  gh_private_key_generate_async (key_types[MIN (type, G_N_ELEMENTS (key_types) - 1)], NULL, on_key_generated,
                                 new_key);
}

static void
new_key_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  const char *labels[G_N_ELEMENTS (key_types) + 1] = { NULL };
  GtkWidget *alias = gh_alert_form_entry_row (_("Alias"), NULL);
  GtkWidget *name = gh_alert_form_entry_row (_("Common Name"), NULL);
  GtkWidget *names = gh_alert_form_entry_row (_("DNS Names and IP Addresses"), NULL);
  GtkWidget *type;
  AdwDialog *dialog;

  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    labels[i] = gh_key_type_to_string (key_types[i]);
  type = gh_alert_form_combo_row (_("Key Type"), labels);
  dialog = gh_alert_form_new (_("New Key and Certificate Request"),
                              _("The key is made and kept in this file, with a provisional self-signed certificate "
                                "until the CA answers. Separate several names with commas."),
                              "create", _("C_reate"), alias, name, names, type, NULL);
  g_object_set_data (G_OBJECT (dialog), "gh-alias", alias);
  g_object_set_data (G_OBJECT (dialog), "gh-name", name);
  g_object_set_data (G_OBJECT (dialog), "gh-names", names);
  g_object_set_data (G_OBJECT (dialog), "gh-type", type);
  g_signal_connect_swapped (alias, "changed", G_CALLBACK (on_new_key_changed), dialog);
  g_signal_connect_swapped (name, "changed", G_CALLBACK (on_new_key_changed), dialog);
  on_new_key_changed (ADW_ALERT_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_key_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* Upload to the gateway selected in the sidebar, through its import preview. */

static void
on_uploaded (GhKeystorePage *self,
             guint           n_entries)
{
  _gh_keystore_page_toast (self, _("Uploaded to the gateway"));
}

static void
on_upload_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhKeystorePage *self)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (dialog), "gh-connection");
  const char *alias = g_object_get_data (G_OBJECT (dialog), "gh-alias");
  GhAdminClient *client = gh_gateway_connection_get_client (connection);
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GError) error = NULL;
  AdwDialog *preview;

  if (!g_str_equal (response, "new") && !g_str_equal (response, "rotate"))
    return;
  if (client == NULL || (pem = gh_keystore_file_upload_pem (gh_keystore_page_get_file (self), alias, &error)) == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” was not uploaded: %s"), alias,
                                               error != NULL ? error->message : _("the gateway is not connected"));

      _gh_keystore_page_toast (self, text);
      return;
    }

  preview = gh_import_dialog_new (client, pem, alias, gh_gateway_connection_get_config_version (connection));
  /* The gateway's alias is the file's, unless the user changes it. */
  if (g_str_equal (response, "rotate"))
    gh_import_dialog_set_rotate_alias (GH_IMPORT_DIALOG (preview), alias);
  else
    gh_import_dialog_set_alias (GH_IMPORT_DIALOG (preview), alias);
  g_signal_connect_object (preview, "imported", G_CALLBACK (on_uploaded), self, G_CONNECT_SWAPPED);
  adw_dialog_present (preview, GTK_WIDGET (self));
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  const char *alias = selected_alias (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  GhGatewayConnection *connection = GH_IS_WINDOW (root) ? gh_window_get_selected_gateway (GH_WINDOW (root)) : NULL;
  g_autofree char *body = NULL;
  AdwDialog *dialog;

  if (alias == NULL || connection == NULL)
    return;

  body = g_strdup_printf (_("The key of “%s” and its chain go to the keystore of “%s” over the admin "
                            "connection, after its import preview. A new entry is served once a service names it; "
                            "replacing the gateway’s entry of the same alias serves the new certificate from the "
                            "next handshake."), alias, gh_gateway_connection_get_name (connection));
  dialog = gh_alert_form_new (_("Upload to the Gateway?"), body, "new", _("Add as a _New Entry"), NULL);
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "rotate", _("_Replace the Same Alias"));
  g_object_set_data_full (G_OBJECT (dialog), "gh-alias", g_strdup (alias), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_upload_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* A new password for the file: gh-keystore-password-dialog.c. */

static void
on_password_changed (GhKeystorePage *self)
{
  g_autofree char *text = g_strdup_printf (_("The password of “%s” was changed"),
                                           gh_keystore_file_get_name (gh_keystore_page_get_file (self)));

  _gh_keystore_page_toast (self, text);
}

static void
change_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);
  AdwDialog *dialog = gh_keystore_password_dialog_new (gh_keystore_page_get_file (self));

  g_signal_connect_object (dialog, "changed", G_CALLBACK (on_password_changed), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, widget);
}

void
_gh_keystore_page_class_init_dialogs (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "keystore.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "keystore.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "keystore.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "keystore.new-key", NULL, new_key_action);
  gtk_widget_class_install_action (widget_class, "keystore.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "keystore.change-password", NULL, change_password_action);
}
