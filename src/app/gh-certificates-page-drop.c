/* gh-certificates-page-drop.c — importing what is dropped on the Certificates page, or
 * pasted into it
 *
 * A file (from a file manager) or text (PEM, from an editor or a browser) dropped
 * anywhere on the page, or pasted with Ctrl+V while no text field has the focus, goes
 * to the same preview as a file chosen with Import: what it holds is found by its
 * content, nothing is sent before the user says so. Only for an identity that may
 * import: otherwise a drop is refused (the pointer shows it) and Paste is off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-certificates-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-certificates-page-private.h"

/* Text handed over directly: PEM is at most a few hundred kilobytes. */
#define MAX_TEXT (4 * 1024 * 1024)

static void
import_text (GhCertificatesPage *self,
             const char         *text,
             const char         *name)
{
  gsize length = strlen (text);
  g_autoptr(GBytes) data = NULL;

  if (length == 0)
    return;
  if (length > MAX_TEXT)
    {
      _gh_certificates_page_toast (self, _("The text is too large to hold keys or certificates"));
      return;
    }
  data = g_bytes_new (text, length);
  gh_certificates_page_preview_import (self, data, name);
}

static void
import_files (GhCertificatesPage *self,
              GSList             *files)
{
  if (files == NULL)
    return;
  if (files->next != NULL)
    _gh_certificates_page_toast (self, _("One file at a time: the first is shown"));
  _gh_certificates_page_import_file (self, files->data, NULL);
}

/* Dropping */

static GdkDragAction
on_drop_enter (GtkDropTarget      *target,
               double              x,
               double              y,
               GhCertificatesPage *self)
{
  return _gh_certificates_page_may_import (self) ? GDK_ACTION_COPY : 0;
}

static gboolean
on_drop (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         GhCertificatesPage *self)
{
  if (!_gh_certificates_page_may_import (self))
    return FALSE;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    import_files (self, gdk_file_list_get_files (g_value_get_boxed (value)));
  else if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    import_text (self, g_value_get_string (value), _("Dropped Text"));
  else
    return FALSE;
  return TRUE;
}

/* Pasting */

static void
on_text_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhCertificatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing to paste: %s"),
                                                  error ? error->message : _("the clipboard is empty"));

      _gh_certificates_page_toast (self, message);
      return;
    }
  import_text (self, text, _("Pasted Text"));
}

static void
on_files_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GhCertificatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (value == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing to paste: %s"), error->message);

      _gh_certificates_page_toast (self, message);
      return;
    }
  import_files (self, gdk_file_list_get_files (g_value_get_boxed (value)));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  if (!_gh_certificates_page_may_import (self))
    return;

  /* Files copied in a file manager come as a file list (and often as text too: their
   * paths, which are not what the user meant). */
  if (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard), GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    on_files_read, g_object_ref (self));
  else
    gdk_clipboard_read_text_async (clipboard, NULL, on_text_read, g_object_ref (self));
}

void
_gh_certificates_page_class_init_drop (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "certificates.paste", NULL, paste_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "certificates.paste", NULL);
}

void
_gh_certificates_page_init_drop (GhCertificatesPage *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "enter", G_CALLBACK (on_drop_enter), self, 0);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
