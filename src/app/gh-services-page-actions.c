/* gh-services-page-actions.c — what the services page does to a gateway's services
 *
 * New and edit open GhServiceEditor; start and stop call the service's own endpoints;
 * delete asks first, then puts the configuration without the service
 * (gh_config_edit_without_service()). Every change of the configuration leaves a toast
 * offering to undo it: POST /config/rollback to the version before, with If-Match the
 * version the change made, so that nobody else's later change is undone. The list
 * these act on, and its loading, are gh-services-page.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-services-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-config-edit.h"
#include "gh-service-editor.h"
#include "gh-services-page-private.h"

/* Undo */

static void
set_undo (GhServicesPage *self,
          gint64          before,
          gint64          after,
          const char     *message)
{
  AdwToast *toast;

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_object (&self->undo_toast);

  self->undo_to = before;
  self->undo_from = after;

  toast = adw_toast_new (message);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "services.undo");
  adw_toast_set_timeout (toast, 10);
  self->undo_toast = g_object_ref (toast);
  _gh_services_page_add_toast (self, toast);
  _gh_services_page_update_actions (self);
}

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhServicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 new_version = 0;

  if (!gh_admin_client_rollback_config_finish (GH_ADMIN_CLIENT (source), result, &new_version, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (g_error_matches (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED))
            {
              AdwToast *toast = adw_toast_new (_("Not undone: the configuration changed again since"));

              adw_toast_set_timeout (toast, 8);
              _gh_services_page_add_toast (self, toast);
              self->undo_to = 0;
            }
          else
            _gh_services_page_toast_error (self, _("Not undone"), error);
          _gh_services_page_load_done (self);
          _gh_services_page_update_actions (self);
          _gh_services_page_refresh (self);
        }
      else
        _gh_services_page_load_done (self);
      return;
    }

  _gh_services_page_load_done (self);
  self->undo_to = 0;
  _gh_services_page_add_toast (self, adw_toast_new (_("Change undone")));
  _gh_services_page_update_actions (self);
  _gh_services_page_refresh (self);
}

static void
services_undo (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhServicesPage *self = GH_SERVICES_PAGE (widget);

  if (self->undo_to <= 0 || _gh_services_page_get_client (self) == NULL)
    return;

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_object (&self->undo_toast);
  _gh_services_page_load_begin (self);
  gtk_widget_action_set_enabled (widget, "services.undo", FALSE);
  gh_admin_client_rollback_config_async (_gh_services_page_get_client (self), self->undo_to, self->undo_from,
                                         self->cancellable, on_rolled_back, g_object_ref (self));
}

/* New, edit */

static void
on_editor_applied (GhServicesPage  *self,
                   gint64           previous_version,
                   gint64           new_version,
                   const char      *name,
                   GhServiceEditor *editor)
{
  g_autofree char *message = NULL;

  if (gh_service_editor_get_service_name (editor) == NULL)
    message = g_strdup_printf (_("Service “%s” created"), name);
  else
    message = g_strdup_printf (_("Service “%s” changed"), name);
  set_undo (self, previous_version, new_version, message);

  /* Where the edit went: selected after the reload. */
  self->version = 0;
  _gh_services_page_refresh (self);
  g_object_set_data_full (G_OBJECT (self), "gh-select-after", g_strdup (name), g_free);
}

static void
open_editor (GhServicesPage *self,
             const char     *name)
{
  GhServiceEditor *editor;

  if (!_gh_services_page_is_live (self) || self->config == NULL)
    return;

  editor = gh_service_editor_new (_gh_services_page_get_client (self), self->config, self->version, name);
  g_signal_connect_object (editor, "applied", G_CALLBACK (on_editor_applied), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (editor), GTK_WIDGET (self));
}

static void
services_new (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  open_editor (GH_SERVICES_PAGE (widget), NULL);
}

static void
services_edit (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhServicesPage *self = GH_SERVICES_PAGE (widget);
  GhServicesPageItem *item = _gh_services_page_get_selected (self);

  if (item != NULL)
    open_editor (self, gh_services_page_item_get_name (item));
}

static void
on_column_view_activate (GhServicesPage *self,
                         guint           position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "services.edit", NULL);
}

/* Start, stop */

static void
state_changed (GhServicesPage *self,
               GhApiService   *service,
               GError         *error,
               gboolean        start)
{
  _gh_services_page_load_done (self);

  if (service == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gh_services_page_toast_error (self, start ? _("Not started") : _("Not stopped"), error);
      _gh_services_page_refresh (self);
      return;
    }

  _gh_services_page_set_service_state (self, gh_api_service_get_name (service), gh_api_service_get_state (service));
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhServicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiService) service = gh_admin_client_start_service_finish (GH_ADMIN_CLIENT (source), result, &error);

  state_changed (self, service, error, TRUE);
}

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhServicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiService) service = gh_admin_client_stop_service_finish (GH_ADMIN_CLIENT (source), result, &error);

  state_changed (self, service, error, FALSE);
}

static void
change_state (GhServicesPage *self,
              gboolean        start)
{
  GhServicesPageItem *item = _gh_services_page_get_selected (self);

  if (item == NULL || !_gh_services_page_is_live (self))
    return;

  _gh_services_page_load_begin (self);
  if (start)
    gh_admin_client_start_service_async (_gh_services_page_get_client (self), gh_services_page_item_get_name (item), self->cancellable,
                                         on_started, g_object_ref (self));
  else
    gh_admin_client_stop_service_async (_gh_services_page_get_client (self), gh_services_page_item_get_name (item), self->cancellable,
                                        on_stopped, g_object_ref (self));
}

static void
services_start (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  change_state (GH_SERVICES_PAGE (widget), TRUE);
}

static void
services_stop (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  change_state (GH_SERVICES_PAGE (widget), FALSE);
}

/* Delete */

typedef struct {
  GhServicesPage *self;
  char           *name;
  gint64          version;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_clear_object (&deletion->self);
  g_free (deletion->name);
  g_free (deletion);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  GhServicesPage *self = deletion->self;
  g_autoptr(GError) error = NULL;
  gint64 new_version = 0;

  _gh_services_page_load_done (self);
  if (!gh_admin_client_put_config_finish (GH_ADMIN_CLIENT (source), result, &new_version, &error))
    {
      if (g_error_matches (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED))
        {
          AdwToast *toast = adw_toast_new (_("Not deleted: the configuration changed meanwhile. "
                                             "The list is up to date now; look again."));

          adw_toast_set_timeout (toast, 8);
          _gh_services_page_add_toast (self, toast);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gh_services_page_toast_error (self, _("Not deleted"), error);
      _gh_services_page_refresh (self);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Service “%s” deleted"), deletion->name);

      set_undo (self, deletion->version, new_version, message);
      _gh_services_page_refresh (self);
    }
  deletion_free (deletion);
}

static void
on_delete_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhServicesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "gh-service");
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  Deletion *deletion;

  g_debug ("delete response “%s” for %s", response, name);
  if (!g_str_equal (response, "delete") || !_gh_services_page_is_live (self) || self->config == NULL)
    return;

  config = gh_config_edit_without_service (self->config, name, &error);
  if (config == NULL)
    {
      _gh_services_page_toast_error (self, _("Not deleted"), error);
      return;
    }

  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->name = g_strdup (name);
  deletion->version = self->version;
  _gh_services_page_load_begin (self);
  gh_admin_client_put_config_async (_gh_services_page_get_client (self), config, self->version, self->cancellable,
                                    on_deleted, deletion);
}

static void
services_delete (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GhServicesPage *self = GH_SERVICES_PAGE (widget);
  GhServicesPageItem *item = _gh_services_page_get_selected (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwDialog *dialog;

  if (item == NULL || !_gh_services_page_is_live (self))
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), gh_services_page_item_get_name (item));
  if (gh_services_page_item_get_sessions_open (item) > 0)
    body = g_strdup_printf (ngettext ("Its URIs stop accepting clients, and its %" PRId64 " open session closes.",
                                      "Its URIs stop accepting clients, and its %" PRId64 " open sessions close.",
                                      gh_services_page_item_get_sessions_open (item)),
                            gh_services_page_item_get_sessions_open (item));
  else
    body = g_strdup (_("Its URIs stop accepting clients. Right after, you can undo the change."));

  dialog = adw_alert_dialog_new (heading, body);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "delete", _("_Delete"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-service", g_strdup (gh_services_page_item_get_name (item)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  adw_dialog_present (dialog, widget);
}

static void
services_refresh (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _gh_services_page_refresh (GH_SERVICES_PAGE (widget));
}

void
_gh_services_page_class_actions_init (GhServicesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);

  gtk_widget_class_install_action (widget_class, "services.new", NULL, services_new);
  gtk_widget_class_install_action (widget_class, "services.edit", NULL, services_edit);
  gtk_widget_class_install_action (widget_class, "services.start", NULL, services_start);
  gtk_widget_class_install_action (widget_class, "services.stop", NULL, services_stop);
  gtk_widget_class_install_action (widget_class, "services.delete", NULL, services_delete);
  gtk_widget_class_install_action (widget_class, "services.undo", NULL, services_undo);
  gtk_widget_class_install_action (widget_class, "services.refresh", NULL, services_refresh);

  /* Not Ctrl+N: that is the application's Add Gateway, which would win (as in Files,
   * Ctrl+N for the big thing, Shift+Ctrl+N for a new item in the view). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "services.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "services.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "services.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_X, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "services.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "services.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "services.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "services.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "services.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "services.refresh", NULL);
}
