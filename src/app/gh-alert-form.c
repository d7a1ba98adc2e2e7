/* gh-alert-form.c — an AdwAlertDialog that asks a short form
 *
 * The Keystore Files ask one question at a time (a password, a new alias, an export's
 * format and password, a new key's names): each is an alert dialog with a few rows,
 * answered in place, rather than a dialog class of its own. What they share is here,
 * so that every such dialog has the same responses, defaults and row styles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-alert-form"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-alert-form.h"

AdwDialog *
gh_alert_form_new (const char *heading,
                   const char *body,
                   const char *response,
                   const char *label,
                   ...)
{
  AdwDialog *dialog = adw_alert_dialog_new (heading, body);
  GtkWidget *list = NULL;
  GtkWidget *row;
  va_list args;

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "cancel", _("_Cancel"), response, label, NULL);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), response);
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response, ADW_RESPONSE_SUGGESTED);
  va_start (args, label);
  while ((row = va_arg (args, GtkWidget *)) != NULL)
    {
      if (list == NULL)
        {
          list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), list);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  va_end (args);

  return dialog;
}

GtkWidget *
gh_alert_form_entry_row (const char *title,
                         const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  return row;
}

GtkWidget *
gh_alert_form_password_row (const char *title)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

GtkWidget *
gh_alert_form_combo_row (const char         *title,
                         const char * const *labels)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return row;
}

static void
check_passwords (AdwAlertDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "gh-form-response");
  const char *password = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-form-password"));
  const char *again = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "gh-form-again"));

  adw_alert_dialog_set_response_enabled (dialog, response, *password != '\0' && g_str_equal (password, again));
}

void
gh_alert_form_require_password (AdwAlertDialog *dialog,
                                 const char     *response,
                                 GtkWidget      *password,
                                 GtkWidget      *again)
{
  g_return_if_fail (ADW_IS_ALERT_DIALOG (dialog));
  g_return_if_fail (GTK_IS_EDITABLE (password) && GTK_IS_EDITABLE (again));

  g_object_set_data_full (G_OBJECT (dialog), "gh-form-response", g_strdup (response), g_free);
  g_object_set_data (G_OBJECT (dialog), "gh-form-password", password);
  g_object_set_data (G_OBJECT (dialog), "gh-form-again", again);
  g_signal_connect_swapped (password, "changed", G_CALLBACK (check_passwords), dialog);
  g_signal_connect_swapped (again, "changed", G_CALLBACK (check_passwords), dialog);
  check_passwords (dialog);
}
