/* gh-window-keystores.c — the sidebar's Keystore Files: opening, creating and closing
 * local keystore files, each shown as a GhKeystorePage
 *
 * A file is opened with the password the keyring holds for it (when the Preferences
 * let Gatehouse remember passwords), else with none, and the password is asked only
 * when the file needs one; a wrong one is said in the dialog, which asks again. The
 * password goes to the keyring only when the user ticks "Remember". A new file is
 * asked for its format and a password typed twice before GtkFileDialog asks where,
 * and is written at once. The files opened lately are a GSettings key, offered in the
 * sidebar's Keystore Files menu; passwords are never in GSettings.
 *
 * Selecting a file's row shows its page in place of the gateway's pages; selecting a
 * gateway again shows that gateway. The two lists never both have a selected row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-alert-form.h"
#include "gh-identity-store.h"
#include "gh-keystore-page.h"
#include "gh-keystore-passwords.h"
#include "gh-pki-error.h"
#include "gh-window-private.h"

#define MAX_RECENT 8

static GtkWidget *
page_of_row (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "gh-page") : NULL;
}

static void
update_recent_menu (GhWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-keystores");

  g_menu_remove_all (self->recent_keystores);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent-keystore", g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_keystores, item);
    }
}

static void
remember_recent (GhWindow *self,
                 GFile    *file)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-keystores");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  const char *path = g_file_peek_path (file);
  guint n = 1;

  if (path == NULL)
    return;
  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (recent[i], path))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-keystores", (const char * const *) updated);
  update_recent_menu (self);
}

/* Showing a file */

static void
on_keystore_row_selected (GhWindow      *self,
                          GtkListBoxRow *row)
{
  GtkWidget *page = page_of_row (row);

  if (page == NULL)
    return;

  gtk_list_box_unselect_all (self->gateway_list);
  gtk_stack_set_visible_child (self->keystore_stack, page);
  gtk_stack_set_visible_child_name (self->content_stack, "keystore");
  adw_navigation_page_set_title (self->content_page,
                                 gh_keystore_file_get_name (gh_keystore_page_get_file (GH_KEYSTORE_PAGE (page))));
  gtk_widget_set_visible (self->header_switcher, FALSE);
  gtk_widget_set_visible (self->switcher_bar, FALSE);
  adw_banner_set_revealed (self->banner, FALSE);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-keystore", TRUE);
}

void
_gh_window_keystores_unselect (GhWindow *self)
{
  gtk_list_box_unselect_all (self->keystore_list);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-keystore", FALSE);
}

static GtkListBoxRow *
find_row (GhWindow *self,
          GFile    *file)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->keystore_list, i);

      if (row == NULL)
        return NULL;
      if (g_file_equal (gh_keystore_file_get_file (gh_keystore_page_get_file (GH_KEYSTORE_PAGE (page_of_row (row)))),
                        file))
        return row;
    }
}

/**
 * gh_window_add_keystore_file:
 * @self: a #GhWindow
 * @file: an opened keystore file
 *
 * Adds @file under "Keystore Files" and shows its page; a file that is open already is
 * shown instead.
 *
 * Returns: (transfer none): the file's page
 */
GhKeystorePage *
gh_window_add_keystore_file (GhWindow       *self,
                             GhKeystoreFile *file)
{
  GtkListBoxRow *row;
  GtkWidget *page;
  GtkWidget *action_row;
  g_autofree char *description = NULL;

  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (file), NULL);

  row = find_row (self, gh_keystore_file_get_file (file));
  if (row == NULL)
    {
      page = gh_keystore_page_new (file);
      gtk_stack_add_child (self->keystore_stack, page);
      description = gh_keystore_file_describe (file);
      action_row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), gh_keystore_file_get_name (file));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), description);
      adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), gtk_image_new_from_icon_name ("gh-certificate-symbolic"));
      gtk_widget_set_tooltip_text (action_row, g_file_peek_path (gh_keystore_file_get_file (file)));
      g_object_set_data (G_OBJECT (action_row), "gh-page", page);
      gtk_list_box_append (self->keystore_list, action_row);
      row = GTK_LIST_BOX_ROW (action_row);
      remember_recent (self, gh_keystore_file_get_file (file));
    }

  gtk_list_box_select_row (self->keystore_list, row);
  return GH_KEYSTORE_PAGE (page_of_row (row));
}

/**
 * gh_window_get_keystore_page:
 * @self: a #GhWindow
 *
 * Returns: (transfer none) (nullable): the page of the keystore file shown, if any
 */
GhKeystorePage *
gh_window_get_keystore_page (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return GH_KEYSTORE_PAGE (page_of_row (gtk_list_box_get_selected_row (self->keystore_list)));
}

static void
close_keystore_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->keystore_list);

  if (row == NULL)
    return;

  /* Every change was saved as it was made: nothing to ask. */
  _gh_window_keystores_unselect (self);
  gtk_stack_remove (self->keystore_stack, page_of_row (row));
  gtk_list_box_remove (self->keystore_list, GTK_WIDGET (row));
  if (self->selected != NULL)
    gh_window_select_gateway (self, self->selected);
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

/* Opening: the keyring's password, none, or the one the user types. */

typedef struct {
  GhWindow *self;
  GFile    *file;
} Opening;

static void
opening_free (Opening *opening)
{
  g_clear_object (&opening->self);
  g_clear_object (&opening->file);
  g_free (opening);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opening, opening_free)

static void
opening_closure_free (gpointer  data,
                      GClosure *closure)
{
  opening_free (data);
}

static Opening *
opening_new (GhWindow *self,
             GFile    *file)
{
  Opening *opening = g_new0 (Opening, 1);

  opening->self = g_object_ref (self);
  opening->file = g_object_ref (file);
  return opening;
}

static void ask_password (Opening *opening,
                          gboolean wrong);

static void
toast (GhWindow   *self,
       const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* TRUE when opened; FALSE after asking for a password or saying why not. */
static gboolean
try_open (Opening    *opening,
          const char *password,
          gboolean    asked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = gh_keystore_file_open (opening->file, password, &error);

  if (file != NULL)
    {
      gh_window_add_keystore_file (opening->self, file);
      return TRUE;
    }

  if (g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED) ||
      g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD) ||
      g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_EMPTY_PASSWORD))
    ask_password (opening_new (opening->self, opening->file),
                  asked && !g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED));
  else
    {
      g_autofree char *name = g_file_get_basename (opening->file);
      g_autofree char *text = g_strdup_printf (_("“%s” cannot be opened: %s"), name, error->message);

      toast (opening->self, text);
    }
  return FALSE;
}

static void
on_password_response (AdwAlertDialog *dialog,
                      const char     *response,
                      Opening        *opening)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "gh-password");
  AdwSwitchRow *remember = g_object_get_data (G_OBJECT (dialog), "gh-remember");
  g_autoptr(GhSecret) password = g_strdup (gtk_editable_get_text (entry));

  if (!g_str_equal (response, "open"))
    return;

  gtk_editable_set_text (entry, "");
  if (try_open (opening, password, TRUE) && adw_switch_row_get_active (remember) &&
      g_file_peek_path (opening->file) != NULL)
    gh_keystore_passwords_save (g_file_peek_path (opening->file), password);
}

static void
ask_password (Opening  *opening,
              gboolean  wrong)
{
  g_autofree char *name = g_file_get_basename (opening->file);
  /* The name goes in the body: a long one does not wrap in a heading. */
  g_autofree char *body = g_strdup_printf (wrong ? _("That password does not open “%s”. Try again.")
                                                 : _("The keystore file “%s” is protected by a password."), name);
  GtkWidget *password = gh_alert_form_password_row (_("Password"));
  GtkWidget *remember = adw_switch_row_new ();
  AdwDialog *dialog = gh_alert_form_new (_("Keystore File Password"), body, "open", _("_Open"),
                                         password, remember, NULL);

  if (wrong)
    gtk_widget_add_css_class (password, "error");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remember), _("Remember in the Keyring"));
  gtk_widget_set_sensitive (remember, gh_identity_store_get_available ());
  g_object_set_data (G_OBJECT (dialog), "gh-password", password);
  g_object_set_data (G_OBJECT (dialog), "gh-remember", remember);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_password_response), opening,
                         opening_closure_free, 0);
  adw_dialog_present (dialog, GTK_WIDGET (opening->self));
}

static void
on_keyring_password (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Opening) opening = user_data;
  g_autoptr(GhSecret) password = gh_keystore_passwords_lookup_finish (result);

  try_open (opening, password, FALSE);
}

/**
 * gh_window_open_keystore:
 * @self: a #GhWindow
 * @file: a PKCS#12 or PEM keystore file
 *
 * Opens @file: with the password the keyring has for it, or none, and asks for one
 * when the file needs it.
 */
void
gh_window_open_keystore (GhWindow *self,
                         GFile    *file)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (find_row (self, file) != NULL)
    {
      gtk_list_box_select_row (self->keystore_list, find_row (self, file));
      return;
    }
  if (g_settings_get_boolean (self->settings, "remember-passwords") && gh_identity_store_get_available () &&
      g_file_peek_path (file) != NULL)
    gh_keystore_passwords_lookup_async (g_file_peek_path (file), NULL, on_keyring_password, opening_new (self, file));
  else
    {
      g_autoptr(Opening) opening = opening_new (self, file);

      try_open (opening, NULL, FALSE);
    }
}

static GListModel *
keystore_filters (void)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) keystores = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (keystores, _("Keystores (PKCS#12, PEM)"));
  for (const char * const *p = (const char * const[]) { "*.p12", "*.pfx", "*.pem", "*.crt", "*.key", NULL }; *p; p++)
    gtk_file_filter_add_pattern (keystores, *p);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, keystores);
  g_list_store_append (filters, all);
  return G_LIST_MODEL (filters);
}

static void
on_open_chosen (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhWindow) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    gh_window_open_keystore (self, file);
}

static void
open_keystore_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListModel) filters = keystore_filters ();

  gtk_file_dialog_set_title (dialog, _("Open a Keystore File"));
  gtk_file_dialog_set_filters (dialog, filters);
  gtk_file_dialog_open (dialog, GTK_WINDOW (widget), NULL, on_open_chosen, g_object_ref (widget));
}

static void
open_recent_keystore_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  gh_window_open_keystore (GH_WINDOW (widget), file);
}

/* Creating: the format and a password typed twice, then where. */

typedef struct {
  GhWindow         *self;
  GhKeystoreFormat  format;
  GhPkcs12Profile   profile;
  GhSecret         *password;
} Creation;

static void
creation_free (Creation *creation)
{
  g_clear_object (&creation->self);
  g_clear_pointer (&creation->password, gh_secret_free);
  g_free (creation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Creation, creation_free)

static const struct {
  const char       *label;
  GhKeystoreFormat  format;
  GhPkcs12Profile   profile;
  const char       *name;
} new_formats[] = {
  { N_("PKCS#12, Modern"), GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_MODERN, "keystore.p12" },
  { N_("PKCS#12, Compatible"), GH_KEYSTORE_FORMAT_PKCS12, GH_PKCS12_PROFILE_COMPATIBLE, "keystore.p12" },
  { N_("PEM Bundle"), GH_KEYSTORE_FORMAT_PEM, GH_PKCS12_PROFILE_MODERN, "keystore.pem" },
};

static void
on_create_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Creation) creation = user_data;
  g_autoptr(GFile) target = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystoreFile) file = NULL;

  if (target == NULL)
    return;

  file = gh_keystore_file_create (target, creation->format, creation->profile, creation->password, &error);
  if (file == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The keystore file was not created: %s"), error->message);

      toast (creation->self, text);
      return;
    }
  gh_window_add_keystore_file (creation->self, file);
}

static void
on_new_response (AdwAlertDialog *dialog,
                 const char     *response,
                 GhWindow       *self)
{
  guint choice = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (dialog), "gh-format"));
  g_autoptr(GtkFileDialog) chooser = NULL;
  Creation *creation;

  if (!g_str_equal (response, "create"))
    return;

  g_assert (choice < G_N_ELEMENTS (new_formats));
  creation = g_new0 (Creation, 1);
  creation->self = g_object_ref (self);
  creation->format = new_formats[choice].format;
  creation->profile = new_formats[choice].profile;
  creation->password = g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-password")));
  chooser = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (chooser, _("New Keystore File"));
  gtk_file_dialog_set_initial_name (chooser, new_formats[choice].name);
  gtk_file_dialog_save (chooser, GTK_WINDOW (self), NULL, on_create_chosen, creation);
}

static void
new_keystore_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *labels[G_N_ELEMENTS (new_formats) + 1] = { NULL };
  GtkWidget *format, *password, *again;
  AdwDialog *dialog;

  for (guint i = 0; i < G_N_ELEMENTS (new_formats); i++)
    labels[i] = _(new_formats[i].label);
  format = gh_alert_form_combo_row (_("Format"), labels);
  password = gh_alert_form_password_row (_("Password"));
  again = gh_alert_form_password_row (_("Confirm the Password"));
  dialog = gh_alert_form_new (_("New Keystore File"),
                              _("Its password protects the private keys it will hold; Gatehouse saves every "
                                "change at once. PKCS#12 modern (AES-256) suits current tools, compatible (3DES) "
                                "old Java, macOS and Windows; a PEM bundle keeps its keys encrypted."),
                              "create", _("C_reate…"), format, password, again, NULL);
  g_object_set_data (G_OBJECT (dialog), "gh-format", format);
  g_object_set_data (G_OBJECT (dialog), "gh-password", password);
  gh_alert_form_require_password (ADW_ALERT_DIALOG (dialog), "create", password, again);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_response), widget, 0);
  adw_dialog_present (dialog, widget);
}

void
_gh_window_class_keystores_init (GhWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (GH_TYPE_KEYSTORE_PAGE);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, keystore_list);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, keystore_stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, recent_keystores);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, keystore_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_keystore_row_selected);

  gtk_widget_class_install_action (widget_class, "win.open-keystore", NULL, open_keystore_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent-keystore", "s", open_recent_keystore_action);
  gtk_widget_class_install_action (widget_class, "win.new-keystore", NULL, new_keystore_action);
  gtk_widget_class_install_action (widget_class, "win.close-keystore", NULL, close_keystore_action);
}

void
_gh_window_init_keystores (GhWindow *self)
{
  update_recent_menu (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-keystore", FALSE);
  /* The menu button's toggle is what takes the focus. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (self->keystore_menu_button)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Keystore Files Menu"), -1);
}
