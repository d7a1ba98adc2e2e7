/* gh-keystore-password-dialog.c — a local keystore file's password changed, with the
 * progress of its keys
 *
 * The one question of the Keystore Files that does not answer at once: every key is
 * encrypted again (600,000 PBKDF2 iterations each for the keys Gatehouse writes), so
 * a file of thousands of keys takes minutes. The dialog therefore stays open while
 * gh_keystore_file_change_password_async() works on all cores, shows the keys done so
 * far, and can be cancelled; an AdwAlertDialog closes on its response, hence a small
 * AdwDialog of its own. The current password is the one the file was opened with.
 * Cancelled, closed or failed, the file is as it was; an error stays in the dialog
 * with the passwords typed, to try again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-password-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-alert-form.h"
#include "gh-keystore-password-dialog.h"
#include "gh-keystore-passwords.h"

struct _GhKeystorePasswordDialog
{
  AdwDialog       parent_instance;

  GhKeystoreFile *file;
  GCancellable   *cancellable;  /* while the change runs */

  GtkWidget      *password;
  GtkWidget      *again;
  GtkWidget      *change_button;
  GtkWidget      *cancel_button;
  GtkWidget      *progress_bar;
  GtkWidget      *error_label;
};

G_DEFINE_FINAL_TYPE (GhKeystorePasswordDialog, gh_keystore_password_dialog, ADW_TYPE_DIALOG)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_sensitivity (GhKeystorePasswordDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->again));
  gboolean running = self->cancellable != NULL;

  gtk_widget_set_sensitive (self->password, !running);
  gtk_widget_set_sensitive (self->again, !running);
  gtk_widget_set_sensitive (self->change_button, !running && *password != '\0' && g_str_equal (password, again));
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  GhKeystorePasswordDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u key", "%u of %u keys", total),
                                           done, total);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

/* The keyring holds the old password when the user had it remembered: the new one
 * replaces it, so that the next open does not fail and ask. Nothing is stored for a
 * file whose password was not remembered. */
typedef struct {
  char *path;
  char *password;  /* the new one; wiped */
} Remembered;

static void
on_stored_password (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Remembered *remembered = user_data;
  g_autoptr(GhSecret) stored = gh_keystore_passwords_lookup_finish (result);

  if (stored != NULL)
    gh_keystore_passwords_save (remembered->path, remembered->password);
  g_free (remembered->path);
  gh_secret_free (remembered->password);
  g_free (remembered);
}

static void
update_remembered_password (GhKeystorePasswordDialog *self)
{
  const char *path = g_file_peek_path (gh_keystore_file_get_file (self->file));
  Remembered *remembered;

  if (path == NULL)
    return;
  remembered = g_new0 (Remembered, 1);
  remembered->path = g_strdup (path);
  remembered->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password)));
  gh_keystore_passwords_lookup_async (path, NULL, on_stored_password, remembered);
}

static void
on_changed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhKeystorePasswordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_clear_object (&self->cancellable);
  if (gh_keystore_file_change_password_finish (GH_KEYSTORE_FILE (source), result, &error))
    {
      update_remembered_password (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      adw_dialog_force_close (ADW_DIALOG (self));
      return;
    }

  update_sensitivity (self);
  gtk_widget_set_visible (self->progress_bar, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = g_strdup_printf (_("The password was not changed: %s"), error->message);
  gtk_label_set_label (GTK_LABEL (self->error_label), text);
  gtk_widget_set_visible (self->error_label, TRUE);
}

static void
on_change_clicked (GhKeystorePasswordDialog *self)
{
  if (self->cancellable != NULL || !gtk_widget_get_sensitive (self->change_button))
    return;

  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_set_visible (self->progress_bar, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
  gh_keystore_file_change_password_async (self->file, gtk_editable_get_text (GTK_EDITABLE (self->password)),
                                          on_progress, self, self->cancellable, on_changed, g_object_ref (self));
}

/* Cancel, Escape or the dialog closed: a change under way stops before it is saved. */
static void
on_closed (GhKeystorePasswordDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked (GhKeystorePasswordDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

AdwDialog *
gh_keystore_password_dialog_new (GhKeystoreFile *file)
{
  GhKeystorePasswordDialog *self;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (file), NULL);

  self = g_object_new (GH_TYPE_KEYSTORE_PASSWORD_DIALOG, NULL);
  self->file = g_object_ref (file);
  return ADW_DIALOG (self);
}

static void
gh_keystore_password_dialog_dispose (GObject *object)
{
  GhKeystorePasswordDialog *self = GH_KEYSTORE_PASSWORD_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (gh_keystore_password_dialog_parent_class)->dispose (object);
}

static void
gh_keystore_password_dialog_class_init (GhKeystorePasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_keystore_password_dialog_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gh_keystore_password_dialog_init (GhKeystorePasswordDialog *self)
{
  GtkWidget *view = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *body = gtk_label_new (_("Every private key of the file is encrypted again with the new password, "
                                     "then the file is saved with it. A file of many keys takes a while; "
                                     "until it is saved, the old password stays."));
  GtkWidget *list = gtk_list_box_new ();

  adw_dialog_set_title (ADW_DIALOG (self), _("Change Password"));
  adw_dialog_set_content_width (ADW_DIALOG (self), 420);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  self->change_button = gtk_button_new_with_mnemonic (_("C_hange"));
  gtk_widget_add_css_class (self->change_button, "suggested-action");
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->change_button);
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (view), header);

  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_xalign (GTK_LABEL (body), 0.0);
  self->password = gh_alert_form_password_row (_("New Password"));
  self->again = gh_alert_form_password_row (_("Confirm the Password"));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), self->password);
  gtk_list_box_append (GTK_LIST_BOX (list), self->again);

  self->progress_bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress_bar), TRUE);
  gtk_widget_set_visible (self->progress_bar, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Keys Encrypted Again"), -1);
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0.0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), body);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), self->progress_bar);
  gtk_box_append (GTK_BOX (box), self->error_label);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (view), box);
  adw_dialog_set_child (ADW_DIALOG (self), view);
  adw_dialog_set_default_widget (ADW_DIALOG (self), self->change_button);

  g_signal_connect_swapped (self->password, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->again, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->again, "entry-activated", G_CALLBACK (on_change_clicked), self);
  g_signal_connect_swapped (self->change_button, "clicked", G_CALLBACK (on_change_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect (self, "closed", G_CALLBACK (on_closed), NULL);
  update_sensitivity (self);
}
