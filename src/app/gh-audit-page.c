/* gh-audit-page.c — who changed what on a gateway, when, with which result
 *
 * The list is the gateway's audit log (GET /audit, the 1,000 entries it keeps), not
 * the connection's ten latest, which are the Overview's. It is fetched again, a moment
 * after the event stream's "audit" event (the gateway sends what it recorded, refusals
 * too, at most once a second), and when the stream resynchronises; the entries already
 * shown stay in place and the new ones are inserted on top, so the selection and the
 * scroll hold. The page's Refresh (F5) fetches at once.
 *
 * Filtering and search are gh_audit_entry_matches() (src/lib/api) behind a
 * GtkCustomFilter; the drop-downs offer the identities and actions found in the log.
 *
 * An entry that produced a configuration version (paired by gh_audit_match_versions()
 * with GET /config/versions) can be rolled back to (admin; POST /config/rollback with
 * If-Match), after a confirmation, and compared with the version before it
 * (gh-version-compare.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-audit-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-accessible.h"
#include "gh-action-roles.h"
#include "gh-audit-filter.h"
#include "gh-audit-page.h"
#include "gh-version-compare.h"

#define AUDIT_LIMIT    1000
#define REFRESH_DELAY  500    /* ms: events come in bursts */
#define VERSION_SLACK  5      /* s between a version's time and its audit entry's */

struct _GhAuditPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals;
  GSignalGroup        *event_signals;
  GCancellable        *cancellable;
  guint                refresh_id;
  gboolean             loaded;
  char                *load_error;
  GListStore          *entries;       /* GhApiAuditEntry, newest first */
  GListStore          *versions;      /* GhApiConfigVersion, newest first */
  GHashTable          *produced;      /* GhApiAuditEntry → gint64 version (boxed in the pointer) */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *shown;
  GtkSingleSelection  *selection;
  GhAdminRole          shown_role;

  char                *identity_filter;
  char                *action_filter;
  GhAuditResult        result_filter;
  char                *search;

  AdwToastOverlay     *toast_overlay;
  AdwBanner           *banner;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *identity_dropdown;
  GtkStringList       *identity_names;
  GtkDropDown         *action_dropdown;
  GtkStringList       *action_names;
  GtkDropDown         *result_dropdown;
  GtkLabel            *count_label;
  GtkStack            *stack;
  AdwStatusPage       *error_status;
  GtkColumnView       *column_view;
};

G_DEFINE_FINAL_TYPE (GhAuditPage, gh_audit_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The result filter's choices, in the drop-down's order. */
static const GhAuditResult result_filters[] = {
  GH_AUDIT_RESULT_ANY, GH_AUDIT_RESULT_SUCCEEDED, GH_AUDIT_RESULT_REFUSED, GH_AUDIT_RESULT_FAILED,
};

/* The actions that need more than the viewer role (gh-action-roles.c). */
static const GhActionRole action_roles[] = {
  { "audit.rollback", GH_ADMIN_ROLE_ADMIN },
};

/* Cells: the rows are GhApiAuditEntry, which has no properties; each closure takes
 * the entry itself. */

static char *
time_label (gpointer         unused,
            GhApiAuditEntry *entry)
{
  GDateTime *time = entry != NULL ? gh_api_audit_entry_get_time (entry) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%x %X");
}

static char *
identity_label (gpointer         unused,
                GhApiAuditEntry *entry)
{
  return entry != NULL ? gh_audit_entry_dup_identity (entry) : g_strdup ("");
}

static char *
action_label (gpointer         unused,
              GhApiAuditEntry *entry)
{
  const char *action = entry != NULL ? gh_api_audit_entry_get_action (entry) : NULL;

  return g_strdup (action != NULL ? action : "—");
}

static char *
target_label (gpointer         unused,
              GhApiAuditEntry *entry)
{
  if (entry == NULL)
    return g_strdup ("");
  /* TRANSLATORS: a request's method and path, "PUT /api/v1/config" */
  return g_strdup_printf (_("%s %s"), gh_api_audit_entry_get_method (entry), gh_api_audit_entry_get_path (entry));
}

static char *
result_label (gpointer         unused,
              GhApiAuditEntry *entry)
{
  guint status;

  if (entry == NULL)
    return g_strdup ("");
  status = gh_api_audit_entry_get_status (entry);
  /* TRANSLATORS: an audited request's result and its HTTP status, "Refused (403)" */
  return g_strdup_printf (_("%s (%u)"), gh_audit_result_get_label (gh_audit_result_classify (status)), status);
}

static GStrv
result_classes (gpointer         unused,
                GhApiAuditEntry *entry)
{
  const char *classes[] = { NULL, NULL };

  switch (entry != NULL ? gh_audit_result_classify (gh_api_audit_entry_get_status (entry)) : GH_AUDIT_RESULT_ANY)
    {
    case GH_AUDIT_RESULT_SUCCEEDED:
      classes[0] = "success";
      break;
    case GH_AUDIT_RESULT_REFUSED:
      classes[0] = "warning";
      break;
    case GH_AUDIT_RESULT_FAILED:
      classes[0] = "error";
      break;
    case GH_AUDIT_RESULT_ANY:
    default:
      break;
    }
  return g_strdupv ((char **) classes);
}

static char *
detail_label (gpointer         unused,
              GhApiAuditEntry *entry)
{
  const char *detail = entry != NULL ? gh_api_audit_entry_get_detail (entry) : NULL;

  return g_strdup (detail != NULL ? detail : "—");
}

/* State */

static GhAdminRole
role (GhAuditPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;
}

static GhAdminClient *
client (GhAuditPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_client (self->connection) : NULL;
}

static gboolean
is_live (GhAuditPage *self)
{
  return client (self) != NULL &&
         gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
         !gh_gateway_connection_get_stale (self->connection);
}

static GhApiAuditEntry *
selected_entry (GhAuditPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

gint64
gh_audit_page_get_entry_version (GhAuditPage     *self,
                                 GhApiAuditEntry *entry)
{
  g_return_val_if_fail (GH_IS_AUDIT_PAGE (self), 0);

  if (entry == NULL)
    return 0;
  return GPOINTER_TO_SIZE (g_hash_table_lookup (self->produced, entry));
}

static void
update_actions (GhAuditPage *self)
{
  GhApiAuditEntry *entry = selected_entry (self);
  gint64 version = gh_audit_page_get_entry_version (self, entry);
  gboolean may_roll_back = gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles), "audit.rollback",
                                                  role (self));
  gint64 current = self->connection != NULL ? gh_gateway_connection_get_config_version (self->connection) : 0;

  /* Rolling back to the version in force would change nothing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.rollback",
                                 is_live (self) && may_roll_back && version > 0 && version != current);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.compare",
                                 client (self) != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->versions)) > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.refresh", client (self) != NULL);
  if (role (self) != self->shown_role)
    {
      self->shown_role = role (self);
      gh_action_roles_update_controls (GTK_WIDGET (self), action_roles, G_N_ELEMENTS (action_roles), self->shown_role);
    }
}

static void
update_count (GhAuditPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  g_autofree char *text = NULL;

  if (self->connection == NULL || !self->loaded)
    text = g_strdup ("");
  else if (shown == total)
    text = g_strdup_printf (ngettext ("%u entry", "%u entries", total), total);
  else
    /* TRANSLATORS: the audit entries the filters let through, of all that are known */
    text = g_strdup_printf (ngettext ("%u of %u entry", "%u of %u entries", total), shown, total);
  gtk_label_set_text (self->count_label, text);

  if (self->connection == NULL)
    gtk_stack_set_visible_child_name (self->stack, "none");
  else if (!self->loaded && self->load_error != NULL)
    {
      adw_status_page_set_description (self->error_status, self->load_error);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (!self->loaded && gh_gateway_connection_get_state (self->connection) != GH_GATEWAY_STATE_CONNECTING &&
           gh_gateway_connection_get_state (self->connection) != GH_GATEWAY_STATE_CONNECTED)
    {
      /* Nothing to wait for until the connection is back: say why, not a spinner. */
      adw_status_page_set_description (self->error_status,
                                       gh_gateway_connection_get_state_message (self->connection));
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (total == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
update_banner (GhAuditPage *self)
{
  adw_banner_set_revealed (self->banner, self->connection != NULL && self->loaded &&
                                         gh_gateway_connection_get_stale (self->connection));
}

static void on_identity_selected (GhAuditPage *self);
static void on_action_selected   (GhAuditPage *self);

/* A drop-down of the values found in the log ("All …" first), rebuilt only when they
 * change, keeping the choice. */
static void
update_choices (GhAuditPage   *self,
                GtkDropDown   *dropdown,
                GtkStringList *names,
                const char    *all,
                char *       (*value) (GhApiAuditEntry *entry),
                const char    *chosen,
                GCallback      handler)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) choices = NULL;
  gboolean same;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->entries)); i++)
    {
      g_autoptr(GhApiAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      char *text = value (entry);

      /* (g_hash_table_add() would free the copy already in @values.) */
      if (text == NULL || g_hash_table_contains (seen, text))
        {
          g_free (text);
          continue;
        }
      g_hash_table_add (seen, text);
      g_ptr_array_add (values, text);
    }
  g_ptr_array_sort_values (values, (GCompareFunc) g_utf8_collate);
  g_strv_builder_add (builder, all);
  for (guint i = 0; i < values->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (values, i));
  choices = g_strv_builder_end (builder);

  same = g_list_model_get_n_items (G_LIST_MODEL (names)) == g_strv_length (choices);
  for (guint i = 0; same && choices[i] != NULL; i++)
    same = g_str_equal (gtk_string_list_get_string (names, i), choices[i]);
  if (same)
    return;

  g_signal_handlers_block_by_func (dropdown, handler, self);
  gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)), (const char * const *) choices);
  gtk_drop_down_set_selected (dropdown, 0);
  for (guint i = 1; chosen != NULL && choices[i] != NULL; i++)
    if (g_str_equal (choices[i], chosen))
      gtk_drop_down_set_selected (dropdown, i);
  g_signal_handlers_unblock_by_func (dropdown, handler, self);
}

static char *
entry_action (GhApiAuditEntry *entry)
{
  return gh_audit_action_dup_kind (gh_api_audit_entry_get_action (entry));
}

static void
update_all_choices (GhAuditPage *self)
{
  update_choices (self, self->identity_dropdown, self->identity_names, _("All Identities"),
                  gh_audit_entry_dup_identity, self->identity_filter, G_CALLBACK (on_identity_selected));
  update_choices (self, self->action_dropdown, self->action_names, _("All Actions"),
                  entry_action, self->action_filter, G_CALLBACK (on_action_selected));
}

static void
update_produced (GhAuditPage *self)
{
  g_autoptr(GArray) produced = gh_audit_match_versions (G_LIST_MODEL (self->entries),
                                                        G_LIST_MODEL (self->versions), VERSION_SLACK);

  g_hash_table_remove_all (self->produced);
  for (guint i = 0; i < produced->len; i++)
    if (g_array_index (produced, gint64, i) > 0)
      {
        g_autoptr(GhApiAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

        g_hash_table_insert (self->produced, entry, GSIZE_TO_POINTER ((gsize) g_array_index (produced, gint64, i)));
      }
}

static void
update_all (GhAuditPage *self)
{
  update_all_choices (self);
  update_produced (self);
  update_count (self);
  update_banner (self);
  update_actions (self);
}

/* Loading */

static gboolean
same_entry (GhApiAuditEntry *a,
            GhApiAuditEntry *b)
{
  GDateTime *ta = gh_api_audit_entry_get_time (a);
  GDateTime *tb = gh_api_audit_entry_get_time (b);

  return ((ta == NULL && tb == NULL) || (ta != NULL && tb != NULL && g_date_time_equal (ta, tb))) &&
         gh_api_audit_entry_get_status (a) == gh_api_audit_entry_get_status (b) &&
         g_strcmp0 (gh_api_audit_entry_get_method (a), gh_api_audit_entry_get_method (b)) == 0 &&
         g_strcmp0 (gh_api_audit_entry_get_path (a), gh_api_audit_entry_get_path (b)) == 0 &&
         g_strcmp0 (gh_api_audit_entry_get_fingerprint (a), gh_api_audit_entry_get_fingerprint (b)) == 0;
}

/* The new log over the shown one: when the newest shown entry is still in it, only
 * what came since is inserted on top (and what the gateway forgot goes at the end). */
static void
merge_entries (GhAuditPage *self,
               GListModel  *fetched)
{
  guint n_fetched = g_list_model_get_n_items (fetched);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autoptr(GhApiAuditEntry) newest = n_shown > 0 ? g_list_model_get_item (G_LIST_MODEL (self->entries), 0) : NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint k = G_MAXUINT;

  for (guint i = 0; newest != NULL && i < n_fetched && k == G_MAXUINT; i++)
    {
      g_autoptr(GhApiAuditEntry) entry = g_list_model_get_item (fetched, i);

      if (same_entry (entry, newest))
        k = i;
    }

  if (k == G_MAXUINT)
    {
      for (guint i = 0; i < n_fetched; i++)
        g_ptr_array_add (added, g_list_model_get_item (fetched, i));
      g_list_store_splice (self->entries, 0, n_shown, added->pdata, added->len);
      return;
    }

  for (guint i = 0; i < k; i++)
    g_ptr_array_add (added, g_list_model_get_item (fetched, i));
  if (added->len > 0)
    g_list_store_splice (self->entries, 0, 0, added->pdata, added->len);
  n_shown += added->len;
  if (n_shown > n_fetched)
    g_list_store_splice (self->entries, n_fetched, n_shown - n_fetched, NULL, 0);
}

static void
on_versions (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) versions = gh_admin_client_list_config_versions_finish (GH_ADMIN_CLIENT (source), result,
                                                                               NULL, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (versions == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("GET /config/versions: %s", error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (versions); i++)
    g_ptr_array_add (items, g_list_model_get_item (versions, i));
  g_list_store_splice (self->versions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->versions)),
                       items->pdata, items->len);
  update_produced (self);
  update_actions (self);
}

static void
on_audit (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GhAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = gh_admin_client_list_audit_finish (GH_ADMIN_CLIENT (source), result, &error);

  if (entries == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("GET /audit: %s", error->message);
      /* What was shown stays (marked stale by the banner); the first load says why. */
      g_free (self->load_error);
      self->load_error = g_strdup (error->message);
      update_count (self);
      return;
    }

  g_clear_pointer (&self->load_error, g_free);
  self->loaded = TRUE;
  merge_entries (self, entries);
  update_all (self);
}

static void
refresh (GhAuditPage *self)
{
  GhAdminClient *admin_client = client (self);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (admin_client == NULL || self->cancellable == NULL)
    return;
  gh_admin_client_list_audit_async (admin_client, AUDIT_LIMIT, self->cancellable, on_audit, g_object_ref (self));
  gh_admin_client_list_config_versions_async (admin_client, self->cancellable, on_versions, g_object_ref (self));
}

static gboolean
refresh_cb (gpointer data)
{
  GhAuditPage *self = data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_soon (GhAuditPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY, refresh_cb, self);
}

/* Signal handlers */

static void
on_event (GhAuditPage *self,
          const char  *type,
          JsonNode    *data)
{
  /* What the gateway recorded since its last "audit" event: fetched with the rest,
   * so the list is GET /audit's order and nothing is counted twice. */
  if (g_str_equal (type, "audit"))
    refresh_soon (self);
}

static void
on_connection_changed (GhAuditPage *self)
{
  GhEventStream *events = self->connection != NULL ? gh_gateway_connection_get_events (self->connection) : NULL;

  g_signal_group_set_target (self->event_signals, events);
  /* Back from away: what happened meanwhile. */
  if (is_live (self))
    refresh_soon (self);
  update_count (self);
  update_banner (self);
  update_actions (self);
}

static void
refilter (GhAuditPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
filter_entry (gpointer item,
              gpointer user_data)
{
  GhAuditPage *self = user_data;

  return gh_audit_entry_matches (item, self->identity_filter, self->action_filter, self->result_filter, self->search);
}

static void
on_search_changed (GhAuditPage    *self,
                   GtkSearchEntry *entry)
{
  g_free (self->search);
  self->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  refilter (self);
}

static char *
chosen_name (GtkDropDown   *dropdown,
             GtkStringList *names)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_strdup (gtk_string_list_get_string (names, selected));
}

static void
on_identity_selected (GhAuditPage *self)
{
  g_free (self->identity_filter);
  self->identity_filter = chosen_name (self->identity_dropdown, self->identity_names);
  refilter (self);
}

static void
on_action_selected (GhAuditPage *self)
{
  g_free (self->action_filter);
  self->action_filter = chosen_name (self->action_dropdown, self->action_names);
  refilter (self);
}

static void
on_result_selected (GhAuditPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->result_dropdown);

  self->result_filter = selected < G_N_ELEMENTS (result_filters) ? result_filters[selected] : GH_AUDIT_RESULT_ANY;
  refilter (self);
}

/* Actions */

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 new_version = 0;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (gh_admin_client_rollback_config_finish (GH_ADMIN_CLIENT (source), result, &new_version, &error))
    /* TRANSLATORS: the configuration version the rollback made */
    title = g_strdup_printf (_("Rolled back: the configuration is now version %" PRId64), new_version);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    title = g_strdup_printf (_("Not rolled back: %s"), error->message);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  refresh_soon (self);
}

static void
on_rollback_response (AdwAlertDialog *dialog,
                      const char     *response,
                      GhAuditPage    *self)
{
  gint64 version = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "gh-version"));

  if (!g_str_equal (response, "rollback") || client (self) == NULL)
    return;
  gh_admin_client_rollback_config_async (client (self), version,
                                         gh_gateway_connection_get_config_version (self->connection),
                                         self->cancellable, on_rolled_back, g_object_ref (self));
}

static void
audit_rollback (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhAuditPage *self = GH_AUDIT_PAGE (widget);
  gint64 version = gh_audit_page_get_entry_version (self, selected_entry (self));
  g_autofree char *heading = NULL;
  AdwDialog *dialog;

  if (version == 0 || !is_live (self) || role (self) < GH_ADMIN_ROLE_ADMIN)
    return;

  heading = g_strdup_printf (_("Roll Back to Version %" PRId64 "?"), version);
  dialog = adw_alert_dialog_new (heading,
                                 _("The gateway applies that version’s configuration as a new version. "
                                   "Live sessions keep running; the keystore and truststore stay as they are."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "rollback", _("_Roll Back"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "rollback", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "gh-version", GSIZE_TO_POINTER ((gsize) version));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rollback_response), self, 0);
  adw_dialog_present (dialog, widget);
}

static void
audit_compare (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhAuditPage *self = GH_AUDIT_PAGE (widget);
  gint64 version = gh_audit_page_get_entry_version (self, selected_entry (self));
  GhVersionCompare *dialog;

  if (client (self) == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->versions)) < 2)
    return;
  /* The selected change against the version before it, or the two newest. */
  dialog = gh_version_compare_new (client (self), G_LIST_MODEL (self->versions), version > 1 ? version - 1 : 0,
                                   version);
  adw_dialog_present (ADW_DIALOG (dialog), widget);
}

static void
audit_search (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (GH_AUDIT_PAGE (widget)->search_entry));
}

static void
audit_refresh (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  refresh (GH_AUDIT_PAGE (widget));
}

/* GObject */

static void
gh_audit_page_dispose (GObject *object)
{
  GhAuditPage *self = GH_AUDIT_PAGE (object);

  if (self->connection_signals != NULL)
    g_signal_group_set_target (self->connection_signals, NULL);
  if (self->event_signals != NULL)
    g_signal_group_set_target (self->event_signals, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_AUDIT_PAGE);
  g_clear_object (&self->connection);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->event_signals);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->produced, g_hash_table_unref);
  g_clear_object (&self->entries);
  g_clear_object (&self->versions);

  G_OBJECT_CLASS (gh_audit_page_parent_class)->dispose (object);
}

static void
gh_audit_page_finalize (GObject *object)
{
  GhAuditPage *self = GH_AUDIT_PAGE (object);

  g_free (self->identity_filter);
  g_free (self->action_filter);
  g_free (self->search);
  g_free (self->load_error);

  G_OBJECT_CLASS (gh_audit_page_parent_class)->finalize (object);
}

static void
gh_audit_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhAuditPage *self = GH_AUDIT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_audit_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GhAuditPage *self = GH_AUDIT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_audit_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_audit_page_class_init (GhAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_audit_page_dispose;
  object_class->finalize = gh_audit_page_finalize;
  object_class->get_property = gh_audit_page_get_property;
  object_class->set_property = gh_audit_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_API_AUDIT_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, banner);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, identity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, identity_names);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, action_names);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, result_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, GhAuditPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_identity_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_action_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_result_selected);
  gtk_widget_class_bind_template_callback (widget_class, time_label);
  gtk_widget_class_bind_template_callback (widget_class, identity_label);
  gtk_widget_class_bind_template_callback (widget_class, action_label);
  gtk_widget_class_bind_template_callback (widget_class, target_label);
  gtk_widget_class_bind_template_callback (widget_class, result_label);
  gtk_widget_class_bind_template_callback (widget_class, result_classes);
  gtk_widget_class_bind_template_callback (widget_class, detail_label);

  gtk_widget_class_install_action (widget_class, "audit.rollback", NULL, audit_rollback);
  gtk_widget_class_install_action (widget_class, "audit.compare", NULL, audit_compare);
  gtk_widget_class_install_action (widget_class, "audit.search", NULL, audit_search);
  gtk_widget_class_install_action (widget_class, "audit.refresh", NULL, audit_refresh);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "audit.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "audit.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "audit.compare", NULL);
}

static void
gh_audit_page_init (GhAuditPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->entries = g_list_store_new (GH_TYPE_API_AUDIT_ENTRY);
  self->versions = g_list_store_new (GH_TYPE_API_CONFIG_VERSION);
  self->produced = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->filter = gtk_custom_filter_new (filter_entry, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)),
                                           g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search the Audit Log"), -1);
  gh_accessible_name_inner (GTK_WIDGET (self->column_view), GTK_TYPE_LIST_VIEW, _("Audit Log"));

  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state", G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::stale", G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::info", G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::config-version",
                                  G_CALLBACK (update_actions), self);

  self->event_signals = g_signal_group_new (GH_TYPE_EVENT_STREAM);
  g_signal_group_connect_swapped (self->event_signals, "event", G_CALLBACK (on_event), self);

  update_all (self);
}

GhAuditPage *
gh_audit_page_new (void)
{
  return g_object_new (GH_TYPE_AUDIT_PAGE, NULL);
}

GhGatewayConnection *
gh_audit_page_get_connection (GhAuditPage *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_PAGE (self), NULL);

  return self->connection;
}

void
gh_audit_page_set_connection (GhAuditPage         *self,
                              GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_AUDIT_PAGE (self));
  g_return_if_fail (connection == NULL || GH_IS_GATEWAY_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  /* Another gateway: nothing of the last one's log carries over. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  g_clear_pointer (&self->load_error, g_free);
  g_list_store_remove_all (self->entries);
  g_list_store_remove_all (self->versions);
  g_hash_table_remove_all (self->produced);

  g_signal_group_set_target (self->connection_signals, connection);
  on_connection_changed (self);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

GListModel *
gh_audit_page_get_shown (GhAuditPage *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_PAGE (self), NULL);

  return G_LIST_MODEL (self->shown);
}
