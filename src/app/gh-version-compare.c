/* gh-version-compare.c — two configuration versions side by side, as one diff
 *
 * The dialog fetches both documents (GET /config/versions/{N}), pretty-prints them
 * the same way and shows gh_text_diff_hunks()' unified diff: a removed line starts with
 * "-" on a red background, an added one with "+" on a green one, so the text says
 * what the colour says. A choice of versions that arrives after another is ignored
 * (each load carries its generation). Built in code: it is a header, two drop-downs
 * and a text view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-version-compare"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-text-diff.h"
#include "gh-version-compare.h"

#define CONTEXT_LINES 3

struct _GhVersionCompare
{
  AdwDialog      parent_instance;

  GhAdminClient *client;
  GListModel    *versions;
  GCancellable  *cancellable;
  guint          generation;
  char          *documents[2];
  guint          pending;
  char          *diff;

  GtkDropDown   *old_dropdown;
  GtkDropDown   *new_dropdown;
  GtkStack      *stack;
  AdwStatusPage *error_status;
  GtkTextView   *text_view;
};

G_DEFINE_FINAL_TYPE (GhVersionCompare, gh_version_compare, ADW_TYPE_DIALOG)

typedef struct {
  GhVersionCompare *self;
  guint             generation;
  guint             side;   /* 0 old, 1 new */
} Load;

static gint64
chosen_version (GhVersionCompare *self,
                GtkDropDown      *dropdown)
{
  guint position = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GhApiConfigVersion) version = NULL;

  if (position == GTK_INVALID_LIST_POSITION || position >= g_list_model_get_n_items (self->versions))
    return 0;
  version = g_list_model_get_item (self->versions, position);
  return gh_api_config_version_get_version (version);
}

static void
show_diff (GhVersionCompare *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GPtrArray) hunks = gh_text_diff_hunks (self->documents[0], self->documents[1], CONTEXT_LINES);
  GString *diff = g_string_new (NULL);
  g_auto(GStrv) rows = NULL;
  GtkTextIter end;

  /* The hunks as diff -u writes them, without the file names. */
  for (guint i = 0; i < hunks->len; i++)
    {
      GhTextDiffHunk *hunk = g_ptr_array_index (hunks, i);
      g_autofree char *header = gh_text_diff_hunk_header (hunk);

      g_string_append_printf (diff, "%s\n", header);
      for (guint j = 0; j < hunk->lines->len; j++)
        {
          GhTextDiffLine *line = g_ptr_array_index (hunk->lines, j);

          g_string_append_printf (diff, "%c%s\n", gh_text_diff_kind_to_char (line->kind), line->text);
        }
    }
  g_free (self->diff);
  self->diff = g_string_free (diff, FALSE);
  gtk_text_buffer_set_text (buffer, "", 0);
  if (*self->diff == '\0')
    {
      gtk_stack_set_visible_child_name (self->stack, "same");
      return;
    }

  rows = g_strsplit (self->diff, "\n", -1);
  for (guint i = 0; rows[i] != NULL && rows[i + 1] != NULL; i++)
    {
      const char *tag = rows[i][0] == '+' ? "added" : rows[i][0] == '-' ? "removed" : rows[i][0] == '@' ? "hunk" : NULL;

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (tag != NULL)
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, rows[i], -1, tag, NULL);
      else
        gtk_text_buffer_insert (buffer, &end, rows[i], -1);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
    }
  gtk_stack_set_visible_child_name (self->stack, "diff");
}

static void
on_version_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GhVersionCompare) self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = gh_admin_client_get_config_version_finish (GH_ADMIN_CLIENT (source),
                                                                                 result, &error);
  guint side = load->side;
  gboolean current = load->generation == self->generation;

  g_free (load);
  if (!current)
    return;

  if (config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->generation++;   /* the other half no longer matters */
      adw_status_page_set_description (self->error_status, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  {
    g_autoptr(JsonNode) json = gh_gateway_config_to_json (config);

    g_free (self->documents[side]);
    self->documents[side] = json_to_string (json, TRUE);
  }
  if (--self->pending == 0)
    show_diff (self);
}

static void
load_versions (GhVersionCompare *self)
{
  gint64 chosen[2] = { chosen_version (self, self->old_dropdown), chosen_version (self, self->new_dropdown) };

  self->generation++;
  g_clear_pointer (&self->diff, g_free);
  if (chosen[0] == 0 || chosen[1] == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->pending = 2;
  for (guint side = 0; side < 2; side++)
    {
      Load *load = g_new0 (Load, 1);

      load->self = g_object_ref (self);
      load->generation = self->generation;
      load->side = side;
      gh_admin_client_get_config_version_async (self->client, chosen[side], self->cancellable,
                                                on_version_loaded, load);
    }
}

static char *
version_label (GhApiConfigVersion *version)
{
  const char *action = gh_api_config_version_get_action (version);
  GDateTime *time = gh_api_config_version_get_time (version);
  g_autofree char *when = NULL;

  if (time != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (time);

      when = g_date_time_format (local, "%x %X");
    }
  /* TRANSLATORS: a configuration version, what made it and when: "Version 3 · config · 10:02" */
  return g_strdup_printf (_("Version %" PRId64 " · %s · %s"), gh_api_config_version_get_version (version),
                          action != NULL ? action : "—", when != NULL ? when : "—");
}

static GtkDropDown *
version_dropdown (GhVersionCompare *self,
                  const char       *label)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkDropDown *dropdown;

  for (guint i = 0; i < g_list_model_get_n_items (self->versions); i++)
    {
      g_autoptr(GhApiConfigVersion) version = g_list_model_get_item (self->versions, i);
      g_autofree char *text = version_label (version);

      gtk_string_list_append (labels, text);
    }
  dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (dropdown), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return dropdown;
}

static void
select_version (GhVersionCompare *self,
                GtkDropDown      *dropdown,
                gint64            number,
                guint             fallback)
{
  guint n = g_list_model_get_n_items (self->versions);
  guint position = MIN (fallback, n > 0 ? n - 1 : 0);

  for (guint i = 0; number > 0 && i < n; i++)
    {
      g_autoptr(GhApiConfigVersion) version = g_list_model_get_item (self->versions, i);

      if (gh_api_config_version_get_version (version) == number)
        position = i;
    }
  gtk_drop_down_set_selected (dropdown, position);
}

static GtkWidget *
status_page (const char *icon_name,
             const char *title,
             const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  return page;
}

static void
build (GhVersionCompare *self)
{
  GtkWidget *toolbar_view = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *spinner = adw_spinner_new ();
  GtkTextBuffer *buffer;

  adw_dialog_set_title (ADW_DIALOG (self), _("Compare Versions"));
  adw_dialog_set_content_width (ADW_DIALOG (self), 720);
  adw_dialog_set_content_height (ADW_DIALOG (self), 560);
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar_view), header);

  self->old_dropdown = version_dropdown (self, _("Older Version"));
  self->new_dropdown = version_dropdown (self, _("Newer Version"));
  gtk_widget_set_margin_start (choices, 12);
  gtk_widget_set_margin_end (choices, 12);
  gtk_widget_set_margin_bottom (choices, 6);
  gtk_box_append (GTK_BOX (choices), GTK_WIDGET (self->old_dropdown));
  gtk_box_append (GTK_BOX (choices), GTK_WIDGET (self->new_dropdown));
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar_view), choices);

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 12);
  gtk_text_view_set_bottom_margin (self->text_view, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Differences between the versions"), -1);
  buffer = gtk_text_view_get_buffer (self->text_view);
  /* Translucent, so that they read on light and dark backgrounds alike. */
  gtk_text_buffer_create_tag (buffer, "added", "paragraph-background", "rgba(46,194,126,0.25)", NULL);
  gtk_text_buffer_create_tag (buffer, "removed", "paragraph-background", "rgba(224,27,36,0.25)", NULL);
  gtk_text_buffer_create_tag (buffer, "hunk", "foreground", "rgba(128,128,128,1)", NULL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->text_view));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_stack_add_named (self->stack, spinner, "loading");
  gtk_stack_add_named (self->stack,
                       status_page ("gh-audit-symbolic", _("No Versions to Compare"),
                                    _("The gateway keeps its configuration versions once they change")),
                       "none");
  gtk_stack_add_named (self->stack,
                       status_page ("object-select-symbolic", _("No Differences"),
                                    _("The two versions have the same configuration")),
                       "same");
  self->error_status = ADW_STATUS_PAGE (status_page ("dialog-warning-symbolic", _("Versions Not Loaded"), NULL));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_status), "error");
  gtk_stack_add_named (self->stack, scrolled, "diff");
  gtk_stack_set_visible_child_name (self->stack, "none");
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar_view), GTK_WIDGET (self->stack));

  adw_dialog_set_child (ADW_DIALOG (self), toolbar_view);
}

static void
gh_version_compare_dispose (GObject *object)
{
  GhVersionCompare *self = GH_VERSION_COMPARE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->versions);

  G_OBJECT_CLASS (gh_version_compare_parent_class)->dispose (object);
}

static void
gh_version_compare_finalize (GObject *object)
{
  GhVersionCompare *self = GH_VERSION_COMPARE (object);

  g_free (self->documents[0]);
  g_free (self->documents[1]);
  g_free (self->diff);

  G_OBJECT_CLASS (gh_version_compare_parent_class)->finalize (object);
}

static void
gh_version_compare_class_init (GhVersionCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_version_compare_dispose;
  object_class->finalize = gh_version_compare_finalize;
}

static void
gh_version_compare_init (GhVersionCompare *self)
{
  self->cancellable = g_cancellable_new ();
}

GhVersionCompare *
gh_version_compare_new (GhAdminClient *client,
                        GListModel    *versions,
                        gint64         old_version,
                        gint64         new_version)
{
  GhVersionCompare *self;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (versions), NULL);

  self = g_object_new (GH_TYPE_VERSION_COMPARE, NULL);
  self->client = g_object_ref (client);
  /* A copy: the caller's list may grow while the dialog is open, and the drop-downs'
   * positions are this list's. */
  self->versions = G_LIST_MODEL (g_list_store_new (GH_TYPE_API_CONFIG_VERSION));
  for (guint i = 0; i < g_list_model_get_n_items (versions); i++)
    {
      g_autoptr(GhApiConfigVersion) version = g_list_model_get_item (versions, i);

      g_list_store_append (G_LIST_STORE (self->versions), version);
    }
  build (self);

  /* Newest first: the newer one above, its predecessor below by default. */
  select_version (self, self->new_dropdown, new_version, 0);
  select_version (self, self->old_dropdown, old_version, gtk_drop_down_get_selected (self->new_dropdown) + 1);
  g_signal_connect_object (self->old_dropdown, "notify::selected", G_CALLBACK (load_versions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->new_dropdown, "notify::selected", G_CALLBACK (load_versions), self, G_CONNECT_SWAPPED);
  load_versions (self);
  return self;
}

const char *
gh_version_compare_get_diff (GhVersionCompare *self)
{
  g_return_val_if_fail (GH_IS_VERSION_COMPARE (self), NULL);

  return self->diff;
}
