/* gh-service-editor-preview.c — what the edited service's accepts would serve
 *
 * Whenever the fields make a configuration without problems, the editor asks the
 * gateway what each accept of the service would serve under it (POST /config/preview
 * with the whole proposed document: the gateway builds the generation as an apply
 * would, and makes its own SNI choice), a moment after the last keystroke, and shows
 * the answer in a GhServePreview under the TLS group. Apply stays possible when an
 * accept is flagged (no certificate, an expired one), but asks first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-service-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-service-editor-private.h"

/* Typing is not asked about key by key. */
#define PREVIEW_DELAY_MS 400

static gboolean
request_preview (gpointer user_data)
{
  GhServiceEditor *self = user_data;
  g_autoptr(GhGatewayConfig) config = NULL;

  self->preview_source = 0;
  config = _gh_service_editor_build_config (self, NULL);
  if (config == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  gh_serve_preview_request (self->serve_preview, self->client, config, NULL, NULL,
                            gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  return G_SOURCE_REMOVE;
}

void
_gh_service_editor_schedule_preview (GhServiceEditor *self,
                                     gboolean         valid)
{
  _gh_service_editor_stop_preview (self);
  self->flags_confirmed = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->serve_preview), valid);
  if (!valid)
    return;
  gh_serve_preview_set_loading (self->serve_preview);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, request_preview, self);
}

void
_gh_service_editor_stop_preview (GhServiceEditor *self)
{
  if (self->serve_preview != NULL)
    gh_serve_preview_cancel (self->serve_preview);
  g_clear_handle_id (&self->preview_source, g_source_remove);
}

static void
on_flags_confirmed (GhServiceEditor *self,
                    const char      *response)
{
  if (g_strcmp0 (response, "apply") != 0)
    return;
  self->flags_confirmed = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.apply", NULL);
}

gboolean
_gh_service_editor_confirm_flags (GhServiceEditor *self)
{
  AdwDialog *dialog;

  if (self->flags_confirmed || !gtk_widget_get_visible (GTK_WIDGET (self->serve_preview)) ||
      gh_serve_preview_get_n_flagged (self->serve_preview) == 0)
    return TRUE;

  dialog = gh_serve_preview_new_confirmation (self->serve_preview, _("Apply Anyway?"), _("_Apply Anyway"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_flags_confirmed), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
  return FALSE;
}
