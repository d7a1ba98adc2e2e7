/* gh-window-actions.c — the window's actions on gateways, and their dialogs
 *
 * win.add-gateway opens GhAddGatewayDialog; the others take a gateway's URL ("" for
 * the selected one, as the banner passes) so that a sidebar row's menu can act on its
 * own gateway. Rename, remove, confirm a changed fingerprint and enter the password
 * ask with an AdwAlertDialog from gh-window-dialogs.ui; only the gateway's words are
 * filled in here, and the gateway rides on the dialog until it answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-add-gateway-dialog.h"
#include "gh-window-private.h"

#define DIALOGS_RESOURCE "/io/github/gatehouse/Gatehouse/gh-window-dialogs.ui"

/* The answer to a dialog; what it needs of the dialog rides on it as "gh-…" data. */
typedef void (*GatewayResponse) (GhWindow            *self,
                                 GhGatewayConnection *connection,
                                 AdwDialog           *dialog);

/* Builds the dialog named @id alone from gh-window-dialogs.ui. */
static GtkBuilder *
dialog_builder_new (const char *id)
{
  const char *ids[] = { id, NULL };
  GtkBuilder *builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!gtk_builder_add_objects_from_resource (builder, DIALOGS_RESOURCE, ids, &error))
    g_error ("%s: %s", DIALOGS_RESOURCE, error->message);

  return builder;
}

static void
on_gateway_dialog_response (AdwAlertDialog *dialog,
                            const char     *response,
                            GhWindow       *self)
{
  const char *accept = g_object_get_data (G_OBJECT (dialog), "gh-accept");
  GatewayResponse callback = g_object_get_data (G_OBJECT (dialog), "gh-callback");

  if (g_str_equal (response, accept))
    callback (self, g_object_get_data (G_OBJECT (dialog), "gh-connection"), ADW_DIALOG (dialog));
}

/* The gateway that @parameter names and a builder of its dialog @id alone; NULL when
 * there is no such gateway. */
static GtkBuilder *
gateway_dialog_builder_new (GhWindow             *self,
                            GVariant             *parameter,
                            const char           *id,
                            GhGatewayConnection **connection)
{
  *connection = _gh_window_lookup_target (self, parameter);

  return *connection != NULL ? dialog_builder_new (id) : NULL;
}

/* Shows the dialog @id of @builder about @connection; @callback runs on @accept. */
static AdwDialog *
present_gateway_dialog (GhWindow            *self,
                        GtkBuilder          *builder,
                        const char          *id,
                        GhGatewayConnection *connection,
                        const char          *accept,
                        GatewayResponse      callback)
{
  AdwDialog *dialog = ADW_DIALOG (gtk_builder_get_object (builder, id));

  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "gh-accept", (gpointer) accept);
  g_object_set_data (G_OBJECT (dialog), "gh-callback", callback);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_gateway_dialog_response), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));

  return dialog;
}

GhGatewayConnection *
_gh_window_lookup_target (GhWindow *self,
                          GVariant *parameter)
{
  const char *url = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  if (url[0] == '\0')
    return self->selected;

  return gh_gateway_list_lookup (self->gateways, url);
}

/* Add */

static void
on_gateway_added (GhWindow            *self,
                  GhGatewayConnection *connection)
{
  g_autofree char *text = g_strdup_printf (_("“%s” added"), gh_gateway_connection_get_name (connection));

  gh_window_select_gateway (self, connection);
  gh_window_add_toast (self, adw_toast_new (text));
}

GhAddGatewayDialog *
gh_window_show_add_gateway (GhWindow *self)
{
  GhAddGatewayDialog *dialog;

  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  dialog = gh_add_gateway_dialog_new (self->gateways);
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_gateway_added), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));

  return dialog;
}

static void
add_gateway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gh_window_show_add_gateway (GH_WINDOW (widget));
}

/* Reconnect */

static void
reconnect_gateway_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GhGatewayConnection *connection = _gh_window_lookup_target (GH_WINDOW (widget), parameter);

  if (connection != NULL)
    gh_gateway_connection_reconnect (connection);
}

/* Rename */

static void
rename_gateway (GhWindow            *self,
                GhGatewayConnection *connection,
                AdwDialog           *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "gh-entry");

  gh_gateway_connection_set_name (connection, gtk_editable_get_text (entry));
}

static void
rename_gateway_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection;
  g_autoptr(GtkBuilder) builder = gateway_dialog_builder_new (self, parameter, "rename_dialog", &connection);
  GtkWidget *entry;
  AdwDialog *dialog;

  if (builder == NULL)
    return;

  entry = GTK_WIDGET (gtk_builder_get_object (builder, "rename_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), gh_gateway_connection_get_name (connection));
  dialog = present_gateway_dialog (self, builder, "rename_dialog", connection, "rename", rename_gateway);
  g_object_set_data (G_OBJECT (dialog), "gh-entry", entry);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog), _("The name shown for %s in Gatehouse."),
                                gh_gateway_connection_get_url (connection));
  gtk_widget_grab_focus (entry);
}

/* Remove */

static void
remove_gateway (GhWindow            *self,
                GhGatewayConnection *connection,
                AdwDialog           *dialog)
{
  g_autofree char *text = g_strdup_printf (_("“%s” removed"), gh_gateway_connection_get_name (connection));

  gh_gateway_connection_forget_password (connection);
  gh_gateway_list_remove (self->gateways, connection);
  gh_window_add_toast (self, adw_toast_new (text));
}

static void
remove_gateway_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection;
  g_autoptr(GtkBuilder) builder = gateway_dialog_builder_new (self, parameter, "remove_dialog", &connection);
  AdwDialog *dialog;

  if (builder == NULL)
    return;

  dialog = present_gateway_dialog (self, builder, "remove_dialog", connection, "remove", remove_gateway);
  adw_alert_dialog_format_heading (ADW_ALERT_DIALOG (dialog), _("Remove “%s”?"),
                                   gh_gateway_connection_get_name (connection));
}

/* Confirm a changed fingerprint */

static void
trust_new_fingerprint (GhWindow            *self,
                       GhGatewayConnection *connection,
                       AdwDialog           *dialog)
{
  /* The one shown, even if the gateway changed its mind since. */
  gh_gateway_connection_set_pin (connection, g_object_get_data (G_OBJECT (dialog), "gh-new-pin"));
}

static void
set_fingerprint_label (GtkBuilder *builder,
                       const char *id,
                       const char *fingerprint)
{
  GtkLabel *label = GTK_LABEL (gtk_builder_get_object (builder, id));
  g_autofree char *readable = gh_format_fingerprint_for_reading (fingerprint);

  gtk_label_set_text (label, readable);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, fingerprint, -1);
}

static void
confirm_fingerprint_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection = _gh_window_lookup_target (self, parameter);
  g_autoptr(GtkBuilder) builder = NULL;
  const char *new_pin;
  AdwDialog *dialog;

  if (connection == NULL ||
      gh_gateway_connection_get_attention (connection) != GH_GATEWAY_ATTENTION_PIN_CHANGED)
    return;

  new_pin = gh_gateway_connection_get_new_pin (connection);
  if (new_pin == NULL)
    {
      /* Not read yet: try again, which reads it. */
      gh_gateway_connection_reconnect (connection);
      return;
    }

  builder = dialog_builder_new ("fingerprint_dialog");
  set_fingerprint_label (builder, "fingerprint_was", gh_gateway_connection_get_pin (connection));
  set_fingerprint_label (builder, "fingerprint_now", new_pin);
  dialog = present_gateway_dialog (self, builder, "fingerprint_dialog", connection, "trust", trust_new_fingerprint);
  g_object_set_data_full (G_OBJECT (dialog), "gh-new-pin", g_strdup (new_pin), g_free);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                _("The admin certificate of %s changed. Trust the new one only if you expected it "
                                  "(the gateway was set up again) and its fingerprint is the one gatehoused init "
                                  "printed; otherwise something may be between you and the gateway."),
                                gh_gateway_connection_get_name (connection));
}

/* Enter the identity's password */

static void
use_password (GhWindow            *self,
              GhGatewayConnection *connection,
              AdwDialog           *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "gh-entry");

  gh_gateway_connection_set_password (connection, gtk_editable_get_text (entry),
                                      g_settings_get_boolean (self->settings, "remember-passwords"));
  gh_gateway_connection_reconnect (connection);
}

static void
on_password_closed (AdwAlertDialog *dialog,
                    const char     *response,
                    GtkEditable    *entry)
{
  /* Whatever the answer, the password does not stay in the widget. */
  gtk_editable_set_text (entry, "");
}

static void
enter_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection;
  g_autoptr(GtkBuilder) builder = gateway_dialog_builder_new (self, parameter, "password_dialog", &connection);
  GtkWidget *entry;
  AdwDialog *dialog;

  if (builder == NULL)
    return;

  entry = GTK_WIDGET (gtk_builder_get_object (builder, "password_entry"));
  dialog = present_gateway_dialog (self, builder, "password_dialog", connection, "connect", use_password);
  g_object_set_data (G_OBJECT (dialog), "gh-entry", entry);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                _("The password of the admin identity %s, for %s. gatehoused init wrote it to "
                                  "gatehouse-admin.pw."),
                                gh_gateway_connection_get_identity_path (connection),
                                gh_gateway_connection_get_name (connection));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_closed), entry, G_CONNECT_AFTER);
  gtk_widget_grab_focus (entry);
}

/* The Overview's "Show Certificates": the Certificates page, with what expires soon. */
static void
show_expiring_certificates_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);

  gh_certificates_page_show_all (self->certificates_page);
  gh_certificates_page_set_expiring_only (self->certificates_page, TRUE);
  gh_window_set_page (self, "certificates");
}

void
_gh_window_class_actions_init (GhWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.add-gateway", NULL, add_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect-gateway", "s", reconnect_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.rename-gateway", "s", rename_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.remove-gateway", "s", remove_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-fingerprint", "s", confirm_fingerprint_action);
  gtk_widget_class_install_action (widget_class, "win.enter-password", "s", enter_password_action);
  gtk_widget_class_install_action (widget_class, "win.show-expiring-certificates", NULL,
                                   show_expiring_certificates_action);
}
