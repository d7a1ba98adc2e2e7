/* gh-service-editor-apply.c — sending the editor's change to the gateway
 *
 * Apply checks once more with every problem shown, then PUTs the configuration the
 * fields make with If-Match the version the editor started from. The gateway's own
 * problems (422) land on the fields as the local ones do. When the configuration
 * changed meanwhile (412), the editor fetches the current one, lists what changed since
 * the version it edited next to the admin's own change, and offers to re-apply: the
 * members the admin changed are merged into the service as it is now (a three-way merge
 * of the service object, gh_config_edit_merge_service()), and applied on top of the
 * new version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-service-editor"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-config-edit.h"
#include "gh-service-editor-private.h"

static void
set_busy (GhServiceEditor *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.apply", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reapply", !busy);
}

static void
focus_field (FieldView *view)
{
  if (view != NULL && view->row != NULL && gtk_widget_is_visible (view->row))
    gtk_widget_grab_focus (view->row);
}

static void
add_conflict_row (GhServiceEditor *self,
                  const char      *line)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (self->conflict_group, row);
  g_ptr_array_add (self->conflict_rows, row);
}

static void
show_conflict (GhServiceEditor *self)
{
  g_auto(GStrv) lines = gh_config_edit_describe_changes (self->base_config, self->their_config);
  g_autoptr(JsonObject) mine = _gh_service_editor_build_service_object (self);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *description = NULL;

  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_preferences_group_remove (self->conflict_group, g_ptr_array_index (self->conflict_rows, i));
  g_ptr_array_set_size (self->conflict_rows, 0);

  description = g_strdup_printf (_("You edited version %" PRId64 "; the gateway is at version %"
                                   PRId64 " now. These changes were made meanwhile. "
                                   "Re-applying puts the fields you changed on top of them."),
                                 self->base_version, self->their_version);
  adw_preferences_group_set_description (self->conflict_group, description);

  for (guint i = 0; lines[i] != NULL; i++)
    add_conflict_row (self, lines[i]);

  /* And what the admin changed, to compare. */
  if (self->original == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("Your change: service “%s” added"), name);

      add_conflict_row (self, line);
    }
  else
    {
      g_auto(GStrv) own = gh_config_edit_describe_service (name, self->original, mine);

      for (guint i = 0; own[i] != NULL; i++)
        {
          g_autofree char *line = g_strdup_printf (_("Your change: %s"), own[i]);

          add_conflict_row (self, line);
        }
    }

  adw_banner_set_revealed (self->banner, FALSE);
  adw_dialog_set_title (ADW_DIALOG (self), _("Changed Meanwhile"));
  gtk_stack_set_visible_child_name (self->stack, "conflict");
  gtk_widget_set_visible (self->apply_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.apply", FALSE);
  gtk_widget_grab_focus (self->reapply_button);
}

static void
on_current_config (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GhServiceEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  g_autoptr(GhGatewayConfig) config = gh_admin_client_get_config_finish (GH_ADMIN_CLIENT (source), result,
                                                                         &version, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (config == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The configuration changed meanwhile, and the current one "
                                                 "cannot be read: %s"), error->message);
      adw_banner_set_title (self->banner, text);
      adw_banner_set_revealed (self->banner, TRUE);
      return;
    }

  g_set_object (&self->their_config, config);
  self->their_version = version;
  show_conflict (self);
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GhServiceEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 new_version = 0;
  const char *name;

  if (!gh_admin_client_put_config_finish (GH_ADMIN_CLIENT (source), result, &new_version, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED))
        {
          gh_admin_client_get_config_async (self->client, self->cancellable, on_current_config,
                                            g_object_ref (self));
          return;
        }

      set_busy (self, FALSE);
      if (g_error_matches (error, GH_API_ERROR, GH_API_ERROR_CONFIG_INVALID))
        {
          GListModel *problems = gh_api_error_get_problems (error);

          focus_field (_gh_service_editor_show_problems (self, problems, TRUE, error->message));
        }
      else
        {
          g_autofree char *text = g_strdup_printf (_("Not applied: %s"), error->message);

          adw_banner_set_title (self->banner, text);
          adw_banner_set_revealed (self->banner, TRUE);
        }
      return;
    }

  set_busy (self, FALSE);
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  _gh_service_editor_emit_applied (self, new_version, name);
  adw_dialog_force_close (ADW_DIALOG (self));
}

static void
apply (GhServiceEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  FieldView *first;

  if (self->busy)
    return;

  self->show_all = TRUE;
  _gh_service_editor_update_visibility (self);
  first = _gh_service_editor_show_problems (self, _gh_service_editor_check (self), TRUE, NULL);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->problems)) > 0)
    {
      focus_field (first);
      return;
    }
  if (!_gh_service_editor_confirm_flags (self))
    return;

  config = _gh_service_editor_build_config (self, &error);
  if (config == NULL)
    {
      adw_banner_set_title (self->banner, error->message);
      adw_banner_set_revealed (self->banner, TRUE);
      return;
    }

  set_busy (self, TRUE);
  gh_admin_client_put_config_async (self->client, config, self->base_version, self->cancellable,
                                    on_put, g_object_ref (self));
}

static void
editor_apply (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  apply (GH_SERVICE_EDITOR (widget));
}

static void
editor_reapply (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhServiceEditor *self = GH_SERVICE_EDITOR (widget);
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) merged = NULL;

  if (self->their_config == NULL || self->busy)
    return;

  mine = _gh_service_editor_build_service_object (self);
  theirs = self->service_name != NULL ? gh_config_edit_dup_service (self->their_config, self->service_name, NULL) : NULL;
  merged = gh_config_edit_merge_service (self->original, mine, theirs, NULL);

  /* The edit now goes on top of the current configuration. */
  g_set_object (&self->base_config, self->their_config);
  self->base_version = self->their_version;
  g_clear_object (&self->their_config);
  g_clear_pointer (&self->original, json_object_unref);
  if (theirs != NULL)
    self->original = json_object_ref (theirs);
  else
    g_clear_pointer (&self->service_name, g_free);   /* deleted meanwhile: added again */

  _gh_service_editor_load_service (self, merged);
  adw_dialog_set_title (ADW_DIALOG (self), self->service_name != NULL ? _("Edit Service") : _("New Service"));
  gtk_stack_set_visible_child_name (self->stack, "edit");
  gtk_widget_set_visible (self->apply_button, TRUE);
  apply (self);
}

/* Cancel in the form, Discard in the conflict view. */
static void
editor_close (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  adw_dialog_force_close (ADW_DIALOG (widget));
}

void
_gh_service_editor_class_apply_init (GhServiceEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "editor.apply", NULL, editor_apply);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, editor_close);
  gtk_widget_class_install_action (widget_class, "editor.reapply", NULL, editor_reapply);
  gtk_widget_class_install_action (widget_class, "editor.discard", NULL, editor_close);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.apply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.apply", NULL);
}
