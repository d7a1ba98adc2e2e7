/* gh-connections-page.c — the live sessions of a gateway
 *
 * The table is a GtkColumnView over a GhSessionView (src/lib/api) of the event
 * stream's sessions: the view owns the filter and the order, so that 100,000
 * sessions updating in place cost the table a few rows, not a re-sort. The column
 * view's own sorter is only where a click on a header is read: the page hands the
 * column and direction to the view. Rows are the stream's GhApiSession objects, and
 * their cells follow the objects' notifications.
 *
 * Closing needs the operator role: for a viewer the action is off and its button says
 * which role it needs. A close is confirmed unless the Preference "Confirm Closing
 * Sessions" is off; the row leaves when the gateway's session.closed arrives.
 *
 * While the gateway is away the stream keeps its last sessions, and the page says
 * that they are the last known ones.
 *
 * Above the table, at each stats.tick: the open sessions per service (the stream's
 * stats history), the throughput per service and the busiest sessions (rates from the
 * sessions' successive counters, GhSessionRates). The data is made in src/lib/api;
 * GhChart only draws it. The charts fold away behind a toggle, and start folded on a
 * narrow window; folded, the sessions' rates are not sampled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-connections-page"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>

#include "gh-accessible.h"
#include "gh-action-roles.h"
#include "gh-chart.h"
#include "gh-connections-page.h"
#include "gh-session-details.h"
#include "gh-session-rates.h"
#include "gh-stats-series.h"

#define CHART_WINDOW (5 * 60 * G_USEC_PER_SEC)
#define N_BUSIEST    5

struct _GhConnectionsPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals;
  GSignalGroup        *history_signals;    /* the stream's stats history: service names */
  GhSessionView       *view;
  GtkMultiSelection   *selection;
  GHashTable          *selected;     /* GhApiSession → itself (owned): what the user chose */
  gboolean             restoring;
  guint                prune_id;
  GhAdminRole          shown_role;   /* the role the buttons' tooltips were set for */
  GSettings           *settings;
  GhSessionRates      *rates;
  gint64               charted_time; /* the time of the tick the charts show */

  AdwToastOverlay     *toast_overlay;
  AdwBanner           *banner;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *service_dropdown;
  GtkStringList       *service_names;
  GtkDropDown         *state_dropdown;
  GtkWidget           *close_button;
  AdwOverlaySplitView *split_view;
  GhSessionDetails    *details;
  GtkLabel            *count_label;
  GtkRevealer         *charts_revealer;
  GhChart             *sessions_chart;
  GhChart             *throughput_chart;
  GtkWidget           *busiest_placeholder;
  GtkBox              *busiest_box;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *service_column;
  GtkColumnViewColumn *client_column;
  GtkColumnViewColumn *state_column;
  GtkColumnViewColumn *started_column;
  GtkColumnViewColumn *tls_column;
  GtkColumnViewColumn *subject_column;
  GtkColumnViewColumn *backend_column;
  GtkColumnViewColumn *in_column;
  GtkColumnViewColumn *out_column;
  GtkColumnViewColumn *messages_column;
};

G_DEFINE_FINAL_TYPE (GhConnectionsPage, gh_connections_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The state filter's choices, in the drop-down's order ("All States" first). */
static const char * const state_filters[] = { NULL, "handshake", "connecting", "open" };

/* Cells */

static char *
state_label (gpointer    unused,
             const char *state)
{
  return gh_session_details_format_state (state);
}

static char *
time_label (gpointer   unused,
            GDateTime *started)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (started == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (started);
  now = g_date_time_new_now_local ();
  /* Today's sessions by the time; older ones with the date. */
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%X");
  return g_date_time_format (local, "%x %X");
}

static char *
tls_label (gpointer    unused,
           const char *protocol,
           const char *server_name)
{
  if (protocol == NULL)
    return g_strdup (C_("session TLS", "Plain"));
  if (server_name == NULL)
    return g_strdup (protocol);
  /* TRANSLATORS: a session's TLS version and the host its client asked for */
  return g_strdup_printf (_("%s · %s"), protocol, server_name);
}

static char *
optional_label (gpointer    unused,
                const char *text)
{
  return g_strdup (text != NULL && *text != '\0' ? text : "—");
}

static char *
bytes_label (gpointer unused,
             gint64   bytes)
{
  return g_format_size ((guint64) MAX (bytes, 0));
}

static char *
messages_label (gpointer unused,
                gint64   in,
                gint64   out)
{
  /* TRANSLATORS: messages received from the client and sent to it */
  return g_strdup_printf (_("%" PRId64 " in · %" PRId64 " out"), in, out);
}

/* State of the page */

/* The actions that need more than the viewer role (gh-action-roles.c). */
static const GhActionRole action_roles[] = {
  { "connections.close", GH_ADMIN_ROLE_OPERATOR },
};

static GhAdminRole
role (GhConnectionsPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;
}

static gboolean
is_live (GhConnectionsPage *self)
{
  return self->connection != NULL &&
         gh_gateway_connection_get_client (self->connection) != NULL &&
         gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
         !gh_gateway_connection_get_stale (self->connection);
}

static guint
n_selected (GhConnectionsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) gtk_bitset_get_size (selected);
}

static void
update_actions (GhConnectionsPage *self)
{
  gboolean may_close = gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles), "connections.close",
                                              role (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connections.close",
                                 is_live (self) && may_close && n_selected (self) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connections.copy-json", n_selected (self) == 1);
  gh_session_details_set_client (self->details, is_live (self) ? gh_gateway_connection_get_client (self->connection) : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connections.export",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->view)) > 0);
  /* A viewer's Close buttons say which role they need (a walk of the page's widgets:
   * only when the role changes, not at every change of the table). */
  if (role (self) != self->shown_role)
    {
      self->shown_role = role (self);
      gh_action_roles_update_controls (GTK_WIDGET (self), action_roles, G_N_ELEMENTS (action_roles), self->shown_role);
    }
}

/* The details pane shows the one selected session, and goes when there is none. */
static void
update_details (GhConnectionsPage *self)
{
  GhApiSession *session = NULL;

  if (g_hash_table_size (self->selected) == 1)
    {
      GHashTableIter iter;

      g_hash_table_iter_init (&iter, self->selected);
      g_hash_table_iter_next (&iter, (gpointer *) &session, NULL);
    }
  gh_session_details_set_session (self->details, session);
  adw_overlay_split_view_set_show_sidebar (self->split_view, session != NULL);
}

/* Selects @session in the list and shows it; a session the filters hide makes them
 * show every session again (the user asked for this one). */
static void
select_session (GhConnectionsPage *self,
                GhApiSession      *session)
{
  guint position;

  if (!gh_session_view_matches (self->view, session))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gh_session_view_set_search (self->view, NULL);
      gtk_drop_down_set_selected (self->service_dropdown, 0);
      gtk_drop_down_set_selected (self->state_dropdown, 0);
    }
  gh_session_view_flush (self->view);
  position = gh_session_view_get_position (self->view, session);
  if (position == G_MAXUINT)
    return;   /* closed meanwhile */
  gtk_column_view_scroll_to (self->column_view, position, NULL, GTK_LIST_SCROLL_SELECT | GTK_LIST_SCROLL_FOCUS, NULL);
}

/* What the user selected, as sessions: the selection follows them when the view moves
 * them (a change of order removes and inserts rows, which drops their selection). */
static void
remember_selection (GhConnectionsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  g_hash_table_remove_all (self->selected);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      GhApiSession *session = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      g_hash_table_add (self->selected, session);
    }
}

static void
restore_selection (GhConnectionsPage *self)
{
  GHashTableIter iter;
  gpointer session;

  if (g_hash_table_size (self->selected) == 0)
    return;

  self->restoring = TRUE;
  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &session, NULL))
    {
      guint position = gh_session_view_get_position (self->view, session);

      if (position != G_MAXUINT && !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
    }
  self->restoring = FALSE;
}

static void
update_count (GhConnectionsPage *self)
{
  GListModel *sessions = gh_session_view_get_sessions (self->view);
  guint total = sessions != NULL ? g_list_model_get_n_items (sessions) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->view));
  g_autofree char *text = NULL;

  if (self->connection == NULL)
    text = g_strdup ("");
  else if (shown == total)
    text = g_strdup_printf (ngettext ("%u session", "%u sessions", total), total);
  else
    /* TRANSLATORS: the sessions the filters let through, of all the live sessions */
    text = g_strdup_printf (ngettext ("%u of %u session", "%u of %u sessions", total), shown, total);
  gtk_label_set_text (self->count_label, text);

  if (self->connection == NULL)
    gtk_stack_set_visible_child_name (self->stack, "none");
  else if (total == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
update_banner (GhConnectionsPage *self)
{
  GListModel *sessions = gh_session_view_get_sessions (self->view);

  adw_banner_set_revealed (self->banner, self->connection != NULL && sessions != NULL &&
                                         gh_gateway_connection_get_stale (self->connection));
}

static void on_service_selected (GhConnectionsPage *self,
                                 GParamSpec        *pspec,
                                 GtkDropDown       *dropdown);

/* The services to filter by: those the gateway reports in its stats, kept in the
 * drop-down without disturbing the choice while they stay the same. */
static void
update_service_names (GhConnectionsPage *self)
{
  GhEventStream *events = self->connection ? gh_gateway_connection_get_events (self->connection) : NULL;
  GhApiStats *stats = events ? gh_event_stream_get_stats (events) : NULL;
  GListModel *services = stats ? gh_api_stats_get_services (stats) : NULL;
  guint n = services ? g_list_model_get_n_items (services) : 0;
  const char *chosen = gh_session_view_get_service (self->view);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  gboolean same;

  g_strv_builder_add (builder, _("All Services"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, i);

      g_strv_builder_add (builder, gh_api_service_stats_get_name (service));
    }
  names = g_strv_builder_end (builder);

  same = g_list_model_get_n_items (G_LIST_MODEL (self->service_names)) == g_strv_length (names);
  for (guint i = 0; same && names[i] != NULL; i++)
    same = g_str_equal (gtk_string_list_get_string (self->service_names, i), names[i]);
  if (same)
    return;

  g_signal_handlers_block_by_func (self->service_dropdown, on_service_selected, self);
  gtk_string_list_splice (self->service_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->service_names)),
                          (const char * const *) names);
  gtk_drop_down_set_selected (self->service_dropdown, 0);
  for (guint i = 1; chosen != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], chosen))
      gtk_drop_down_set_selected (self->service_dropdown, i);
  g_signal_handlers_unblock_by_func (self->service_dropdown, on_service_selected, self);
}

static void select_session (GhConnectionsPage *self,
                            GhApiSession      *session);

static void
on_busiest_clicked (GtkButton         *button,
                    GhConnectionsPage *self)
{
  select_session (self, g_object_get_data (G_OBJECT (button), "gh-session"));
}

/* A button: a click selects the session in the list. */
static GtkWidget *
busiest_row (GhConnectionsPage *self,
             GhApiSession      *session)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *client = gtk_label_new (gh_api_session_get_client (session));
  GtkWidget *service = gtk_label_new (gh_api_session_get_service (session));
  g_autofree char *rate_text = gh_chart_format_value (self->throughput_chart,
                                                      gh_session_rates_get_rate (self->rates, session));
  GtkWidget *rate = gtk_label_new (rate_text);
  /* TRANSLATORS: a session among the busiest: its client address, service and rate */
  g_autofree char *label = g_strdup_printf (_("%s, %s, %s"), gh_api_session_get_client (session),
                                            gh_api_session_get_service (session), rate_text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (button, _("Select the session in the list"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "busiest-session");
  g_object_set_data_full (G_OBJECT (button), "gh-session", g_object_ref (session), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_busiest_clicked), self, 0);
  gtk_label_set_xalign (GTK_LABEL (client), 0);
  gtk_label_set_ellipsize (GTK_LABEL (client), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (client, TRUE);
  gtk_widget_add_css_class (client, "monospace");
  gtk_label_set_ellipsize (GTK_LABEL (service), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (service, "dim-label");
  gtk_widget_add_css_class (rate, "numeric");
  gtk_box_append (GTK_BOX (box), client);
  gtk_box_append (GTK_BOX (box), service);
  gtk_box_append (GTK_BOX (box), rate);
  gtk_button_set_child (GTK_BUTTON (button), box);
  return button;
}

static void
show_busiest (GhConnectionsPage *self,
              GPtrArray         *busiest)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->busiest_box))) != NULL)
    gtk_box_remove (self->busiest_box, child);
  for (guint i = 0; busiest != NULL && i < busiest->len; i++)
    gtk_box_append (self->busiest_box, busiest_row (self, g_ptr_array_index (busiest, i)));
  gtk_widget_set_visible (self->busiest_placeholder, busiest == NULL || busiest->len == 0);
}

/* The charts at a stats tick: the series are remade from the history, the rates
 * sampled at the tick's time. The history changes twice for a tick once it is full (one
 * in, the oldest out): the charts follow once. */
static void
update_charts (GhConnectionsPage *self)
{
  GhEventStream *events = self->connection ? gh_gateway_connection_get_events (self->connection) : NULL;
  GhApiStats *stats = events ? gh_event_stream_get_stats (events) : NULL;
  g_autoptr(GPtrArray) sessions_series = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GPtrArray) throughput = NULL;
  g_autoptr(GPtrArray) busiest = NULL;
  gint64 time = stats != NULL && gh_api_stats_get_time (stats) != NULL
                ? g_date_time_to_unix_usec (gh_api_stats_get_time (stats)) : 0;

  if (events != NULL && time != 0 && time == self->charted_time)
    return;
  self->charted_time = time;
  if (events == NULL)
    {
      gh_chart_set_series (self->sessions_chart, NULL);
      gh_chart_set_series (self->throughput_chart, NULL);
      show_busiest (self, NULL);
      return;
    }

  sessions_series = gh_stats_series_sessions_per_service (gh_event_stream_get_stats_history (events), CHART_WINDOW);
  gh_chart_set_series (self->sessions_chart, sessions_series);

  /* A sample walks every session (about 20 ms at 100,000 on a busy 2-core machine):
   * only while someone can see its result. */
  if (time != 0 && gtk_revealer_get_reveal_child (self->charts_revealer) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gh_session_rates_sample (self->rates, gh_event_stream_get_sessions (events), time);
  /* A service has one colour in both charts: its place among the services. */
  rates = gh_session_rates_get_throughput (self->rates);
  throughput = gh_stats_series_align (rates, sessions_series);
  gh_chart_set_series (self->throughput_chart, throughput);

  busiest = gh_session_rates_get_busiest (self->rates, N_BUSIEST);
  show_busiest (self, busiest);
}

static void
update_sessions (GhConnectionsPage *self)
{
  GhEventStream *events = self->connection ? gh_gateway_connection_get_events (self->connection) : NULL;

  gh_session_view_set_sessions (self->view, events ? gh_event_stream_get_sessions (events) : NULL);
  g_signal_group_set_target (self->history_signals, events ? gh_event_stream_get_stats_history (events) : NULL);
  update_service_names (self);
  update_charts (self);
  update_count (self);
  update_banner (self);
  update_actions (self);
}

/* Signal handlers */

static void
on_search_changed (GhConnectionsPage *self,
                   GtkSearchEntry    *entry)
{
  gh_session_view_set_search (self->view, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_service_selected (GhConnectionsPage *self,
                     GParamSpec        *pspec,
                     GtkDropDown       *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  gh_session_view_set_service (self->view, selected == 0 || selected == GTK_INVALID_LIST_POSITION
                                             ? NULL : gtk_string_list_get_string (self->service_names, selected));
}

static void
on_state_selected (GhConnectionsPage *self,
                   GParamSpec        *pspec,
                   GtkDropDown       *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  gh_session_view_set_state (self->view, selected < G_N_ELEMENTS (state_filters) ? state_filters[selected] : NULL);
}

static void
on_sorter_changed (GhConnectionsPage *self,
                   GtkSorterChange    change,
                   GtkSorter         *sorter)
{
  GtkColumnViewSorter *column_sorter = GTK_COLUMN_VIEW_SORTER (sorter);
  GtkColumnViewColumn *column = gtk_column_view_sorter_get_primary_sort_column (column_sorter);
  GtkSortType order = gtk_column_view_sorter_get_primary_sort_order (column_sorter);

  if (column == NULL)
    gh_session_view_set_sort (self->view, GH_SESSION_SORT_STARTED, FALSE);
  else
    gh_session_view_set_sort (self->view,
                              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (column), "gh-sort-key")),
                              order == GTK_SORT_DESCENDING);
}

/* After the view's changes are all out: the sessions it no longer shows (closed,
 * filtered out) are no longer selected. */
static gboolean
prune_selection (gpointer data)
{
  GhConnectionsPage *self = data;
  GHashTableIter iter;
  gpointer session;
  gboolean pruned = FALSE;

  self->prune_id = 0;
  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &session, NULL))
    if (gh_session_view_get_position (self->view, session) == G_MAXUINT)
      {
        g_hash_table_iter_remove (&iter);
        pruned = TRUE;
      }
  if (pruned)
    {
      update_details (self);
      update_actions (self);
    }
  return G_SOURCE_REMOVE;
}

static void
on_view_items_changed (GhConnectionsPage *self)
{
  restore_selection (self);
  if (self->prune_id == 0 && g_hash_table_size (self->selected) > 0)
    self->prune_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 5, prune_selection, self, NULL);
  update_count (self);
  update_actions (self);
}

static void
on_selection_changed (GhConnectionsPage *self)
{
  if (self->restoring)
    return;
  remember_selection (self);
  update_details (self);
  update_actions (self);
}

static void
on_connection_changed (GhConnectionsPage *self)
{
  update_sessions (self);
}

static void
on_stats_tick (GhConnectionsPage *self)
{
  update_service_names (self);
  update_charts (self);
}

/* Closing */

typedef struct {
  GhConnectionsPage *self;
  guint              pending;
  guint              failed;
  char              *first_error;
  guint              closed;
  GhApiSession      *first_closed;   /* as the gateway closed it, with its reason */
} Closing;

static void
on_session_closed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Closing *closing = user_data;
  g_autoptr(GhApiSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = gh_admin_client_close_session_finish (GH_ADMIN_CLIENT (source), result, &error);
  if (session != NULL && closing->closed++ == 0)
    closing->first_closed = g_object_ref (session);
  else if (session == NULL && !g_error_matches (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND))
    {
      /* A session that ended meanwhile is not a failure: it is closed. */
      if (closing->failed++ == 0)
        closing->first_error = g_strdup (error->message);
    }

  if (--closing->pending > 0)
    return;

  /* The rows go with the gateway's session.closed; what ended them is said here. */
  if (closing->closed == 1 && closing->failed == 0)
    {
      const char *reason = gh_api_session_get_close_reason (closing->first_closed);
      g_autofree char *title = NULL;

      if (reason != NULL && reason[0] != '\0')
        /* TRANSLATORS: a session's client address, then why it ended: "closed by CN=…" */
        title = g_strdup_printf (_("Session of %s closed: %s"), gh_api_session_get_client (closing->first_closed), reason);
      else
        title = g_strdup_printf (_("Session of %s closed"), gh_api_session_get_client (closing->first_closed));
      adw_toast_overlay_add_toast (closing->self->toast_overlay, adw_toast_new (title));
    }
  else if (closing->closed > 1 && closing->failed == 0)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u session closed", "%u sessions closed", closing->closed),
                                                closing->closed);

      adw_toast_overlay_add_toast (closing->self->toast_overlay, adw_toast_new (title));
    }
  if (closing->failed > 0)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u session not closed: %s",
                                                          "%u sessions not closed: %s", closing->failed),
                                                closing->failed, closing->first_error);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_timeout (toast, 8);
      adw_toast_overlay_add_toast (closing->self->toast_overlay, toast);
    }
  g_object_unref (closing->self);
  g_clear_object (&closing->first_closed);
  g_free (closing->first_error);
  g_free (closing);
}

static void
close_selected (GhConnectionsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GhAdminClient *client = self->connection ? gh_gateway_connection_get_client (self->connection) : NULL;
  GtkBitsetIter iter;
  guint position;
  Closing *closing;

  if (client == NULL || gtk_bitset_is_empty (selected))
    return;

  closing = g_new0 (Closing, 1);
  closing->self = g_object_ref (self);
  closing->pending = 1;   /* released below, once every request is sent */
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      closing->pending++;
      gh_admin_client_close_session_async (client, gh_api_session_get_id (session), NULL, on_session_closed, closing);
    }

  if (--closing->pending == 0)
    {
      g_object_unref (closing->self);
      g_free (closing);
    }
}

static void
on_close_response (AdwAlertDialog    *dialog,
                   const char        *response,
                   GhConnectionsPage *self)
{
  if (g_str_equal (response, "close"))
    close_selected (self);
}

static void
connections_close (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (widget);
  guint n = n_selected (self);
  g_autofree char *heading = NULL;
  AdwDialog *dialog;

  if (n == 0 || !is_live (self) || role (self) < GH_ADMIN_ROLE_OPERATOR)
    return;

  if (!g_settings_get_boolean (self->settings, "confirm-close-session"))
    {
      close_selected (self);
      return;
    }

  heading = g_strdup_printf (ngettext ("Close %u Session?", "Close %u Sessions?", n), n);
  dialog = adw_alert_dialog_new (heading,
                                 ngettext ("The gateway ends the session toward its client and its back-end. "
                                           "The client may connect again.",
                                           "The gateway ends the sessions toward their clients and back-ends. "
                                           "The clients may connect again.", n));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "close", _("C_lose"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
  adw_dialog_present (dialog, widget);
}

static void
connections_search (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Taking sessions away */

static void
connections_copy_json (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (widget);
  GhApiSession *session = gh_session_details_get_session (self->details);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  if (session == NULL)
    return;
  json = gh_api_session_to_json (session);
  text = json_to_string (json, TRUE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Session copied as JSON")));
}

static void
on_csv_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhConnectionsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    title = g_strdup_printf (_("Not exported: %s"), error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (G_FILE (source));

      title = g_strdup_printf (_("Sessions exported to “%s”"), name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
on_export_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GhConnectionsPage) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  if (file == NULL)
    return;   /* cancelled */
  csv = gh_api_sessions_to_csv (G_LIST_MODEL (self->view));
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       on_csv_written, g_object_ref (self));
}

static void
connections_export (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");
  g_autofree char *name = g_strdup_printf ("sessions-%s.csv", stamp);

  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_suffix (filter, "csv");
  g_list_store_append (filters, filter);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_title (dialog, _("Export the Shown Sessions"));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_save (dialog, GTK_WINDOW (gtk_widget_get_root (widget)), NULL, on_export_chosen, g_object_ref (self));
}

/* GObject */

static void
gh_connections_page_dispose (GObject *object)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (object);

  if (self->connection_signals != NULL)
    g_signal_group_set_target (self->connection_signals, NULL);
  if (self->history_signals != NULL)
    g_signal_group_set_target (self->history_signals, NULL);
  /* The template's child is AdwBin's: let go of it there first, or AdwBin would
   * unparent it again after the template disposed of it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CONNECTIONS_PAGE);
  g_clear_object (&self->connection);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->history_signals);
  g_clear_handle_id (&self->prune_id, g_source_remove);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_object (&self->view);
  g_clear_object (&self->settings);
  g_clear_object (&self->rates);

  G_OBJECT_CLASS (gh_connections_page_parent_class)->dispose (object);
}

static void
gh_connections_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (object);

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
gh_connections_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GhConnectionsPage *self = GH_CONNECTIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_connections_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_connections_page_class_init (GhConnectionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_connections_page_dispose;
  object_class->get_property = gh_connections_page_get_property;
  object_class->set_property = gh_connections_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_API_SESSION);
  g_type_ensure (GH_TYPE_SESSION_DETAILS);
  g_type_ensure (GH_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-connections-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, banner);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, service_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, service_names);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, split_view);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, details);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, charts_revealer);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, sessions_chart);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, throughput_chart);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, busiest_placeholder);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, busiest_box);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, service_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, client_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, state_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, started_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, tls_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, subject_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, backend_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, in_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, out_column);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionsPage, messages_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_service_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_state_selected);
  gtk_widget_class_bind_template_callback (widget_class, state_label);
  gtk_widget_class_bind_template_callback (widget_class, time_label);
  gtk_widget_class_bind_template_callback (widget_class, tls_label);
  gtk_widget_class_bind_template_callback (widget_class, optional_label);
  gtk_widget_class_bind_template_callback (widget_class, bytes_label);
  gtk_widget_class_bind_template_callback (widget_class, messages_label);

  gtk_widget_class_install_action (widget_class, "connections.close", NULL, connections_close);
  gtk_widget_class_install_action (widget_class, "connections.search", NULL, connections_search);
  gtk_widget_class_install_action (widget_class, "connections.copy-json", NULL, connections_copy_json);
  gtk_widget_class_install_action (widget_class, "connections.export", NULL, connections_export);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "connections.copy-json", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "connections.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "connections.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "connections.search", NULL);
}

static void
gh_connections_page_init (GhConnectionsPage *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
  self->rates = gh_session_rates_new (CHART_WINDOW);

  self->selected = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->view = gh_session_view_new (NULL);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->view)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->view, "items-changed", G_CALLBACK (on_view_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed), self,
                           G_CONNECT_SWAPPED);

  /* Each column's sorter only marks it sortable; the view does the sorting. */
  {
    const struct {
      GtkColumnViewColumn *column;
      GhSessionSortKey     key;
    } columns[] = {
      { self->service_column, GH_SESSION_SORT_SERVICE },
      { self->client_column, GH_SESSION_SORT_CLIENT },
      { self->state_column, GH_SESSION_SORT_STATE },
      { self->started_column, GH_SESSION_SORT_STARTED },
      { self->tls_column, GH_SESSION_SORT_SERVER_NAME },
      { self->subject_column, GH_SESSION_SORT_CLIENT_SUBJECT },
      { self->backend_column, GH_SESSION_SORT_BACKEND },
      { self->in_column, GH_SESSION_SORT_BYTES_IN },
      { self->out_column, GH_SESSION_SORT_BYTES_OUT },
      { self->messages_column, GH_SESSION_SORT_MESSAGES_IN },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
      {
        g_autoptr(GtkSorter) marker = GTK_SORTER (gtk_custom_sorter_new (NULL, NULL, NULL));

        g_object_set_data (G_OBJECT (columns[i].column), "gh-sort-key", GINT_TO_POINTER (columns[i].key));
        gtk_column_view_column_set_sorter (columns[i].column, marker);
      }
  }
  /* The widgets that take the focus inside the search entry and the table are named
   * for assistive technologies as their containers are. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Sessions"), -1);
  gh_accessible_name_inner (GTK_WIDGET (self->column_view), GTK_TYPE_LIST_VIEW, _("Live Sessions"));

  sorter = gtk_column_view_get_sorter (self->column_view);
  g_signal_connect_object (sorter, "changed", G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);

  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state", G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::stale", G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::info", G_CALLBACK (on_connection_changed), self);

  self->history_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->history_signals, "items-changed", G_CALLBACK (on_stats_tick), self);

  update_sessions (self);
}

GhConnectionsPage *
gh_connections_page_new (void)
{
  return g_object_new (GH_TYPE_CONNECTIONS_PAGE, NULL);
}

GhGatewayConnection *
gh_connections_page_get_connection (GhConnectionsPage *self)
{
  g_return_val_if_fail (GH_IS_CONNECTIONS_PAGE (self), NULL);

  return self->connection;
}

void
gh_connections_page_set_connection (GhConnectionsPage   *self,
                                    GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_CONNECTIONS_PAGE (self));
  g_return_if_fail (connection == NULL || GH_IS_GATEWAY_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_signal_group_set_target (self->connection_signals, connection);
  gh_session_rates_reset (self->rates);
  self->charted_time = 0;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  update_sessions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

GhSessionView *
gh_connections_page_get_view (GhConnectionsPage *self)
{
  g_return_val_if_fail (GH_IS_CONNECTIONS_PAGE (self), NULL);

  return self->view;
}
