/* gh-keystore-page.c — a local keystore file in the window
 *
 * The rows are the Certificates page's: one GhApiCertEntry (src/lib/api) per entry of
 * the file, judged against the same warning window, shown by the same columns and
 * opened in the same GhCertificateDetails; "Used By" is left out, as nothing on a
 * gateway uses a file on this computer. The file is a GhKeystoreFile (src/lib/pki):
 * every change (import, rename, delete, a new key) is saved at once, atomically, and
 * the rows are made again from what the file then holds, so there is no unsaved
 * state to lose (docs/design.md says why). Roles do not apply: the file is the user's.
 *
 * The private key leaves only as the user asks: exported encrypted (PKCS#12 in the
 * profile chosen, or PKCS#8), each with a new password typed twice; or uploaded to
 * the gateway selected in the sidebar through the gateway's own import preview,
 * which reads the entry as PEM that stays in memory and goes over the admin API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-accessible.h"
#include "gh-api-cert-entry.h"
#include "gh-certificate-details.h"
#include "gh-file-util.h"
#include "gh-import-dialog.h"
#include "gh-keystore-page.h"
#include "gh-keystore-page-private.h"
#include "gh-window.h"

struct _GhKeystorePage
{
  AdwBin              parent_instance;

  GhKeystoreFile     *file;
  GSettings          *settings;
  GListStore         *entries;          /* of GhApiCertEntry, remade per change */
  char               *search;           /* what the search entry says, or NULL */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkLabel           *description_label;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkWidget          *more_button;
  GtkSearchEntry     *search_entry;
};

G_DEFINE_FINAL_TYPE (GhKeystorePage, gh_keystore_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GhApiCertEntry *
_gh_keystore_page_get_selected (GhKeystorePage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

void
_gh_keystore_page_toast (GhKeystorePage *self,
                         const char     *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_actions (GhKeystorePage *self)
{
  GhApiCertEntry *entry = _gh_keystore_page_get_selected (self);
  gboolean key = entry != NULL && gh_api_cert_entry_get_kind (entry) == GH_API_CERT_KIND_KEY;
  GhWindow *window = GH_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)))
                     ? GH_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keystore.details", entry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keystore.rename", entry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keystore.delete", entry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keystore.export", key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keystore.upload",
                                 key && window != NULL && gh_window_get_selected_gateway (window) != NULL);
}

/* The rows, made again from what the file holds. */
static void
reload (GhKeystorePage *self)
{
  GListModel *keystore = G_LIST_MODEL (gh_keystore_file_get_keystore (self->file));
  guint n = g_list_model_get_n_items (keystore);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint warning_days = g_settings_get_uint (self->settings, "expiry-warning-days");
  g_autofree char *selected = NULL;
  g_autofree char *description = gh_keystore_file_describe (self->file);
  g_autofree char *text = NULL;

  if (_gh_keystore_page_get_selected (self) != NULL)
    selected = g_strdup (gh_api_cert_entry_get_alias (_gh_keystore_page_get_selected (self)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (keystore, i);
      GhApiCertEntry *row = gh_api_cert_entry_new (GH_API_CERT_STORE_KEYSTORE, gh_keystore_entry_get_alias (entry));
      const char *none[] = { NULL };

      gh_api_cert_entry_update (row, gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY
                                     ? GH_API_CERT_KIND_KEY : GH_API_CERT_KIND_TRUSTED,
                                gh_keystore_entry_get_chain (entry), none, now, warning_days);
      g_ptr_array_add (rows, row);
    }
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       rows->pdata, rows->len);

  /* The file's name too: on a wide window the header shows no title. */
  text = g_strdup_printf ("%s — %s", gh_keystore_file_get_name (self->file), description);
  gtk_label_set_label (self->description_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label),
                               g_file_peek_path (gh_keystore_file_get_file (self->file)));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  if (selected == NULL || !gh_keystore_page_select (self, selected))
    update_actions (self);
}

gboolean
gh_keystore_page_select (GhKeystorePage *self,
                         const char     *alias)
{
  GListModel *model;

  g_return_val_if_fail (GH_IS_KEYSTORE_PAGE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhApiCertEntry) entry = g_list_model_get_item (model, i);

      if (g_str_equal (gh_api_cert_entry_get_alias (entry), alias))
        {
          gtk_single_selection_set_selected (self->selection, i);
          update_actions (self);
          return TRUE;
        }
    }

  return FALSE;
}

/* Details */

static void
show_details (GhKeystorePage *self,
              GhApiCertEntry *entry)
{
  if (entry == NULL)
    return;
  adw_dialog_present (gh_certificate_details_new (entry, NULL), GTK_WIDGET (self));
}

static void
on_column_view_activate (GhKeystorePage *self,
                         guint           position)
{
  g_autoptr(GhApiCertEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  show_details (self, entry);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (widget);

  show_details (self, _gh_keystore_page_get_selected (self));
}

/* Import: a file chosen, read, and shown in the import preview. */

AdwDialog *
gh_keystore_page_preview_import (GhKeystorePage *self,
                                 GBytes         *data,
                                 const char     *name)
{
  AdwDialog *dialog;

  g_return_val_if_fail (GH_IS_KEYSTORE_PAGE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  dialog = gh_import_dialog_new_local (self->file, data, name);
  adw_dialog_present (dialog, GTK_WIDGET (self));
  return dialog;
}

static void
on_import_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GhKeystorePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” cannot be read: %s"), name, error->message);

      _gh_keystore_page_toast (self, text);
      return;
    }
  gh_keystore_page_preview_import (self, data, name);
}

static void
on_import_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GhKeystorePage) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    g_file_load_bytes_async (file, NULL, on_import_loaded, g_object_ref (self));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Import Keys and Certificates"));
  gtk_file_dialog_open (dialog, GTK_WINDOW (gtk_widget_get_root (widget)), NULL, on_import_chosen,
                        g_object_ref (widget));
}

/* Export of a key entry: the choice is gh-keystore-page-dialogs.c's. */

gboolean
gh_keystore_page_export_key (GhKeystorePage     *self,
                             const char         *alias,
                             GhKeyExportFormat   format,
                             GhPkcs12Profile     profile,
                             const char         *password,
                             GFile              *target,
                             GError            **error)
{
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (GH_IS_KEYSTORE_PAGE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (target), FALSE);

  data = gh_keystore_file_export_key (self->file, alias, format, password, profile, error);
  if (data == NULL)
    return FALSE;

  /* Mode 0600, as every file here that holds a key. */
  return gh_file_replace_atomically (target, data, error);
}

/* Public */

GtkWidget *
gh_keystore_page_new (GhKeystoreFile *file)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (file), NULL);

  return g_object_new (GH_TYPE_KEYSTORE_PAGE,
                       "file", file,
                       NULL);
}

GhKeystoreFile *
gh_keystore_page_get_file (GhKeystorePage *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_PAGE (self), NULL);
  return self->file;
}

GListModel *
gh_keystore_page_get_model (GhKeystorePage *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

/* GObject */

static void
gh_keystore_page_constructed (GObject *object)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (object);

  G_OBJECT_CLASS (gh_keystore_page_parent_class)->constructed (object);

  g_assert (self->file != NULL);
  g_signal_connect_object (self->file, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
gh_keystore_page_dispose (GObject *object)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (object);

  /* AdwBin keeps its child: let it go before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_KEYSTORE_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->search, g_free);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (gh_keystore_page_parent_class)->dispose (object);
}

static void
gh_keystore_page_finalize (GObject *object)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_keystore_page_parent_class)->finalize (object);
}

static void
gh_keystore_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_keystore_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhKeystorePage *self = GH_KEYSTORE_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Search: the same match as the Certificates page's (gh_api_cert_entry_matches()). */

static gboolean
entry_matches (gpointer item,
               gpointer user_data)
{
  GhKeystorePage *self = user_data;

  return self->search == NULL || gh_api_cert_entry_matches (item, self->search);
}

static void
on_search_changed (GhKeystorePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->search);
  self->search = *text != '\0' ? g_strdup (text) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_stop_search (GhKeystorePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (GH_KEYSTORE_PAGE (widget)->search_entry));
}

static void
gh_keystore_page_class_init (GhKeystorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gh_keystore_page_constructed;
  object_class->dispose = gh_keystore_page_dispose;
  object_class->finalize = gh_keystore_page_finalize;
  object_class->get_property = gh_keystore_page_get_property;
  object_class->set_property = gh_keystore_page_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         GH_TYPE_KEYSTORE_FILE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-keystore-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, description_label);
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, more_button);
  gtk_widget_class_bind_template_child (widget_class, GhKeystorePage, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);

  gtk_widget_class_install_action (widget_class, "keystore.details", NULL, details_action);
  gtk_widget_class_install_action (widget_class, "keystore.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "keystore.search", NULL, search_action);
  _gh_keystore_page_class_init_dialogs (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "keystore.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "keystore.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "keystore.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "keystore.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "keystore.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "keystore.upload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "keystore.change-password", NULL);
}

static void
gh_keystore_page_init (GhKeystorePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->entries = g_list_store_new (GH_TYPE_API_CERT_ENTRY);
  self->filter = gtk_custom_filter_new (entry_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self, "realize", G_CALLBACK (update_actions), self);

  /* The search entry's text is what takes the focus: it carries the entry's name. */
  gh_accessible_name_inner (GTK_WIDGET (self->search_entry), GTK_TYPE_TEXT, _("Search the Entries"));

  /* What takes the focus is the menu button's toggle and the rows' list: name them. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (self->more_button)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("More Actions"), -1);
  gh_accessible_name_inner (GTK_WIDGET (self->column_view), GTK_TYPE_LIST_VIEW, _("Keystore Entries"));
}
