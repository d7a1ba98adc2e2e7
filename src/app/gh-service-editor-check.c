/* gh-service-editor-check.c — what is wrong with what the editor's fields make
 *
 * Every change of a field builds the whole configuration that would be applied — the
 * service object put back in its place — and checks it with gh_gateway_config_check(),
 * so that each problem lands on its field (by its JSON path, "services[2].accept[1]")
 * before Apply. A field shows its problems once the admin touched it, or all of them
 * after Apply; problems with a path no field owns go to the banner. The gateway's own
 * problems (422) are shown the same way by gh-service-editor-apply.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-service-editor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-config-edit.h"
#include "gh-service-editor-private.h"

/* The fields' paths after "services[i].", in the order of Field. */
static const char * const field_paths[N_FIELDS] = {
  "name", "description", "type", "connect", "directory", "accept",
  "tls", "tls.priority", "tls.verify-client",
  "connect-tls", "connect-tls.priority", "connect-tls.verify", "connect-tls.server-name",
  "connect-tls.client-certificate-alias",
  "limits.max-pending-bytes", "limits.idle-timeout", "limits.max-sessions",
};

/* Problems */

static FieldView *
field_for_path (GhServiceEditor *self,
                const char      *path)
{
  const char *rest = gh_config_edit_service_member_path (path, self->index);

  if (rest == NULL)
    return NULL;
  if (*rest == '\0')
    return &self->fields[FIELD_NAME];

  if (g_str_has_prefix (rest, "accept["))
    {
      guint64 position = g_ascii_strtoull (rest + strlen ("accept["), NULL, 10);

      if (position < self->accepts->len)
        return &((AcceptRow *) g_ptr_array_index (self->accepts, position))->view;
      return &self->fields[FIELD_ACCEPT];
    }

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (rest, field_paths[i]))
      return &self->fields[i];

  /* "tls.something-else": the group's. */
  if (g_str_has_prefix (rest, "connect-tls."))
    return &self->fields[FIELD_CONNECT_TLS];
  if (g_str_has_prefix (rest, "tls."))
    return &self->fields[FIELD_TLS];
  if (g_str_has_prefix (rest, "limits."))
    return &self->fields[FIELD_PENDING];
  return NULL;
}

static void
clear_problems (GhServiceEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    _gh_service_editor_field_view_set (&self->fields[i], NULL);
  for (guint i = 0; i < self->accepts->len; i++)
    _gh_service_editor_field_view_set (&((AcceptRow *) g_ptr_array_index (self->accepts, i))->view, NULL);
  adw_banner_set_revealed (self->banner, FALSE);
}

/* Puts each problem on its field; the others in the banner. Returns the first field
 * shown with a problem, or NULL. */
FieldView *
_gh_service_editor_show_problems (GhServiceEditor *self,
                                  GListModel      *problems,
                                  gboolean         all,
                                  const char      *fallback)
{
  g_autoptr(GString) others = g_string_new (NULL);
  FieldView *first = NULL;
  guint n_others = 0;

  clear_problems (self);
  for (guint i = 0; problems != NULL && i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);
      FieldView *view = field_for_path (self, gh_config_problem_get_path (problem));

      /* A field hidden for this type, or one being typed for the first time. */
      if (view != NULL && (view->row == NULL || gtk_widget_is_visible (view->row) ||
                           view == &self->fields[FIELD_ACCEPT] || view == &self->fields[FIELD_TLS] ||
                           view == &self->fields[FIELD_CONNECT_TLS]))
        {
          if (all || view->touched)
            {
              _gh_service_editor_field_view_set (view, gh_config_problem_get_message (problem));
              if (first == NULL)
                first = view;
            }
        }
      else if (all)
        {
          g_autofree char *text = gh_config_problem_to_string (problem);

          if (n_others++ == 0)
            g_string_append (others, text);
        }
    }

  if (n_others > 1)
    g_string_append_printf (others, ngettext (" (and %u more problem)", " (and %u more problems)", n_others - 1),
                            n_others - 1);
  if (n_others == 0 && first == NULL && fallback != NULL)
    g_string_append (others, fallback);

  if (others->len > 0)
    {
      adw_banner_set_title (self->banner, others->str);
      adw_banner_set_revealed (self->banner, TRUE);
    }
  return first;
}

GhGatewayConfig *
_gh_service_editor_build_config (GhServiceEditor  *self,
                                 GError          **error)
{
  g_autoptr(JsonObject) service = _gh_service_editor_build_service_object (self);

  return gh_config_edit_with_service (self->base_config, self->service_name, service, &self->index, error);
}

/* Checks what the fields make; returns the problems. */
GListModel *
_gh_service_editor_check (GhServiceEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = _gh_service_editor_build_config (self, &error);
  g_autoptr(GListModel) problems = NULL;

  g_list_store_remove_all (self->problems);
  if (config == NULL)
    {
      GListModel *attached = gh_config_error_get_problems (error);

      if (attached == NULL)
        {
          g_autoptr(GhConfigProblem) problem = gh_config_problem_new (GH_CONFIG_ERROR_FAILED, "", NULL,
                                                                      error->message);
          g_list_store_append (self->problems, problem);
        }
      for (guint i = 0; attached != NULL && i < g_list_model_get_n_items (attached); i++)
        {
          g_autoptr(GObject) problem = g_list_model_get_item (attached, i);
          g_list_store_append (self->problems, problem);
        }
      return G_LIST_MODEL (self->problems);
    }

  problems = gh_gateway_config_check (config);
  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(GObject) problem = g_list_model_get_item (problems, i);
      g_list_store_append (self->problems, problem);
    }
  return G_LIST_MODEL (self->problems);
}

void
_gh_service_editor_revalidate (GhServiceEditor *self)
{
  if (self->loading || self->base_config == NULL)
    return;
  _gh_service_editor_update_visibility (self);
  _gh_service_editor_show_problems (self, _gh_service_editor_check (self), self->show_all, NULL);
  _gh_service_editor_schedule_preview (self, g_list_model_get_n_items (G_LIST_MODEL (self->problems)) == 0);
}

void
_gh_service_editor_field_changed (GhServiceEditor *self,
                                  GParamSpec      *pspec,
                                  GObject         *row)
{
  if (self->loading)
    return;
  for (guint i = 0; i < N_FIELDS; i++)
    if (self->fields[i].row == (GtkWidget *) row)
      self->fields[i].touched = TRUE;
  /* The custom string's row shares its field with the preset row. */
  if (row == (GObject *) self->tls_custom_row)
    self->fields[FIELD_TLS_PRIORITY].touched = TRUE;
  if (row == (GObject *) self->connect_custom_row)
    self->fields[FIELD_CONNECT_PRIORITY].touched = TRUE;
  /* A new type changes which schemes fit: the URIs typed so far are judged again. */
  if (row == (GObject *) self->type_row)
    for (guint i = 0; i < self->accepts->len; i++)
      {
        AcceptRow *accept = g_ptr_array_index (self->accepts, i);

        if (*gtk_editable_get_text (GTK_EDITABLE (accept->row)) != '\0')
          accept->view.touched = TRUE;
      }
  _gh_service_editor_revalidate (self);
}
