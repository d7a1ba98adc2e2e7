/* gh-overview-page.c — the selected gateway at a glance
 *
 * Name, version, uptime (ticking), sessions now and since start, traffic, services up
 * and down, a chart of sessions and throughput from the event stream's stats history,
 * the certificates that expire soon, and the latest audit entries. Everything follows
 * the connection's event stream; while the connection is not live the page keeps the
 * last known figures, dimmed and marked as such.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-overview-page"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>

#include "gh-chart.h"
#include "gh-overview-page.h"

typedef enum {
  FIGURE_VERSION,
  FIGURE_UPTIME,
  FIGURE_SESSIONS,
  FIGURE_TOTAL,
  FIGURE_RECEIVED,
  FIGURE_SENT,
  FIGURE_SERVICES_UP,
  FIGURE_SERVICES_DOWN,
  N_FIGURES
} Figure;

static const char *figure_captions[N_FIGURES] = {
  N_("Version"),
  N_("Uptime"),
  N_("Sessions Now"),
  N_("Sessions Since Start"),
  N_("Received"),
  N_("Sent"),
  N_("Services Running"),
  N_("Services Stopped"),
};

struct _GhOverviewPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals;  /* on connection; retargeted with it */
  GhEventStream       *events;        /* the connection's, whose signals we hold */
  GSettings           *settings;
  guint                tick_id;

  /* the last stats, and when they came (monotonic) */
  gint64               uptime;
  gint64               uptime_at;
  gboolean             have_uptime;

  GtkWidget           *figure_tiles[N_FIGURES];
  GtkLabel            *figure_values[N_FIGURES];

  /* template widgets */
  GtkWidget           *content;
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  GtkFlowBox          *figures;
  GtkDrawingArea      *chart;
  GtkLabel            *legend_sessions;
  GtkLabel            *legend_throughput;
  AdwActionRow        *expiring_row;
  GtkListBox          *audit_list;
};

G_DEFINE_FINAL_TYPE (GhOverviewPage, gh_overview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Formatting */

char *
gh_format_duration (gint64 seconds)
{
  gint64 days = seconds / 86400;
  gint64 hours = (seconds % 86400) / 3600;
  gint64 minutes = (seconds % 3600) / 60;
  gint64 secs = seconds % 60;

  if (seconds < 0)
    return g_strdup ("—");
  /* Translators: durations, short: days and hours, hours and minutes, … */
  if (days > 0)
    return g_strdup_printf (_("%" PRId64 " d %" PRId64 " h"), days, hours);
  if (hours > 0)
    return g_strdup_printf (_("%" PRId64 " h %" PRId64 " min"), hours, minutes);
  if (minutes > 0)
    return g_strdup_printf (_("%" PRId64 " min %" PRId64 " s"), minutes, secs);
  return g_strdup_printf (_("%" PRId64 " s"), secs);
}

static void
set_figure (GhOverviewPage *self,
            Figure          figure,
            const char     *value)
{
  g_autofree char *spoken = NULL;

  if (g_strcmp0 (gtk_label_get_text (self->figure_values[figure]), value) == 0)
    return;

  gtk_label_set_text (self->figure_values[figure], value);
  spoken = g_strdup_printf ("%s: %s", _(figure_captions[figure]), value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->figure_tiles[figure]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

static void
set_figure_int (GhOverviewPage *self,
                Figure          figure,
                gint64          value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  set_figure (self, figure, text);
}

static void
set_figure_size (GhOverviewPage *self,
                 Figure          figure,
                 gint64          bytes)
{
  g_autofree char *text = g_format_size ((guint64) MAX (bytes, 0));

  set_figure (self, figure, text);
}

/* Updates */

static void
update_header (GhOverviewPage *self)
{
  GhGatewayConnection *connection = self->connection;
  GhApiInfo *info;
  g_autofree char *subtitle = NULL;

  if (connection == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->subtitle_label, "");
      gtk_widget_remove_css_class (self->content, "stale");
      return;
    }

  info = gh_gateway_connection_get_info (connection);
  gtk_label_set_text (self->title_label, gh_gateway_connection_get_name (connection));

  switch (gh_gateway_connection_get_state (connection))
    {
    case GH_GATEWAY_STATE_CONNECTED:
      subtitle = g_strdup (gh_gateway_connection_get_url (connection));
      break;
    case GH_GATEWAY_STATE_CONNECTING:
      subtitle = g_strdup (_("Connecting…"));
      break;
    case GH_GATEWAY_STATE_RECONNECTING:
      subtitle = g_strdup (info != NULL ? _("Last known — reconnecting…") : _("Reconnecting…"));
      break;
    case GH_GATEWAY_STATE_UNREACHABLE:
      subtitle = g_strdup (info != NULL ? _("Last known — unreachable, still trying") : _("Unreachable, still trying"));
      break;
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      subtitle = g_strdup (info != NULL ? _("Last known — needs your attention") : _("Needs your attention"));
      break;
    case GH_GATEWAY_STATE_DISCONNECTED:
    default:
      subtitle = g_strdup (info != NULL ? _("Last known — disconnected") : _("Disconnected"));
      break;
    }
  gtk_label_set_text (self->subtitle_label, subtitle);

  if (gh_gateway_connection_get_stale (connection))
    gtk_widget_add_css_class (self->content, "stale");
  else
    gtk_widget_remove_css_class (self->content, "stale");

  set_figure (self, FIGURE_VERSION, info != NULL ? gh_api_info_get_version (info) : "—");
  if (info != NULL && !self->have_uptime)
    {
      self->uptime = gh_api_info_get_uptime (info);
      self->uptime_at = g_get_monotonic_time ();
      self->have_uptime = TRUE;
    }
}

static void
update_uptime (GhOverviewPage *self)
{
  gint64 uptime;
  g_autofree char *text = NULL;

  if (!self->have_uptime)
    {
      set_figure (self, FIGURE_UPTIME, "—");
      return;
    }

  uptime = self->uptime;
  /* Live: it keeps counting between ticks; stale: it stays what it was. */
  if (self->connection != NULL && gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED)
    uptime += (g_get_monotonic_time () - self->uptime_at) / G_USEC_PER_SEC;
  text = gh_format_duration (uptime);
  set_figure (self, FIGURE_UPTIME, text);
}

static gboolean
on_tick (gpointer user_data)
{
  update_uptime (GH_OVERVIEW_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
update_sessions (GhOverviewPage *self)
{
  if (self->events == NULL || gh_event_stream_get_n_synchronizations (self->events) == 0)
    {
      GhApiStats *stats = self->events != NULL ? gh_event_stream_get_stats (self->events) : NULL;

      if (stats == NULL)
        set_figure (self, FIGURE_SESSIONS, "—");
      return;
    }

  set_figure_int (self, FIGURE_SESSIONS, g_list_model_get_n_items (gh_event_stream_get_sessions (self->events)));
}

static void
update_stats (GhOverviewPage *self)
{
  GhApiStats *stats = self->events != NULL ? gh_event_stream_get_stats (self->events) : NULL;
  GListModel *services;
  gint64 up = 0, down = 0;

  if (stats == NULL)
    {
      for (Figure f = FIGURE_TOTAL; f < N_FIGURES; f++)
        set_figure (self, f, "—");
      update_sessions (self);
      return;
    }

  self->uptime = gh_api_stats_get_uptime (stats);
  self->uptime_at = g_get_monotonic_time ();
  self->have_uptime = TRUE;
  update_uptime (self);

  set_figure_int (self, FIGURE_TOTAL, gh_api_stats_get_sessions_total (stats));
  set_figure_size (self, FIGURE_RECEIVED, gh_api_stats_get_bytes_in (stats));
  set_figure_size (self, FIGURE_SENT, gh_api_stats_get_bytes_out (stats));

  services = gh_api_stats_get_services (stats);
  for (guint i = 0; services != NULL && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, i);

      if (g_strcmp0 (gh_api_service_stats_get_state (service), "started") == 0)
        up++;
      else
        down++;
    }
  set_figure_int (self, FIGURE_SERVICES_UP, up);
  set_figure_int (self, FIGURE_SERVICES_DOWN, down);
  if (down > 0)
    gtk_widget_add_css_class (self->figure_tiles[FIGURE_SERVICES_DOWN], "warning");
  else
    gtk_widget_remove_css_class (self->figure_tiles[FIGURE_SERVICES_DOWN], "warning");

  update_sessions (self);
}

/* The chart: sessions open (accent) and throughput in+out per second (dashed). */

typedef struct {
  guint    n;
  double  *sessions;
  double  *throughput;
  double   max_sessions;
  double   max_throughput;
} Series;

static void
series_clear (Series *series)
{
  g_clear_pointer (&series->sessions, g_free);
  g_clear_pointer (&series->throughput, g_free);
}

static void
collect_series (GhOverviewPage *self,
                Series         *series)
{
  GListModel *history = self->events != NULL ? gh_event_stream_get_stats_history (self->events) : NULL;
  gint64 previous = -1;
  gint64 previous_time = 0;

  memset (series, 0, sizeof *series);
  if (history == NULL)
    return;

  series->n = g_list_model_get_n_items (history);
  if (series->n == 0)
    return;
  series->sessions = g_new0 (double, series->n);
  series->throughput = g_new0 (double, series->n);
  for (guint i = 0; i < series->n; i++)
    {
      g_autoptr(GhApiStats) stats = g_list_model_get_item (history, i);
      gint64 bytes = gh_api_stats_get_bytes_in (stats) + gh_api_stats_get_bytes_out (stats);
      gint64 time = gh_api_stats_get_uptime (stats);

      series->sessions[i] = gh_api_stats_get_sessions_open (stats);
      if (previous >= 0 && bytes >= previous && time > previous_time)
        series->throughput[i] = (double) (bytes - previous) / (double) (time - previous_time);
      else if (i > 0)
        series->throughput[i] = series->throughput[i - 1];
      previous = bytes;
      previous_time = time;
      series->max_sessions = MAX (series->max_sessions, series->sessions[i]);
      series->max_throughput = MAX (series->max_throughput, series->throughput[i]);
    }
}

static void
draw_line (cairo_t      *cr,
           const double *values,
           guint         n,
           double        max,
           int           width,
           int           height)
{
  double step = n > 1 ? (double) width / (double) (n - 1) : 0;

  if (n == 0)
    return;
  /* Some room above the highest point. */
  max = MAX (max, 1) * 1.15;
  for (guint i = 0; i < n; i++)
    {
      double x = n > 1 ? i * step : width;
      double y = height - 2 - (values[i] / max) * (height - 8);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  GhOverviewPage *self = user_data;
  AdwStyleManager *style = adw_style_manager_get_default ();
  GdkRGBA accent, foreground;
  Series series;

  adw_accent_color_to_rgba (adw_style_manager_get_accent_color (style), &accent);
  gtk_widget_get_color (GTK_WIDGET (area), &foreground);
  /* Right to left, time runs leftward: now at the left edge. */
  gh_chart_mirror_for_direction (GTK_WIDGET (area), cr, width);

  /* A baseline and a middle line, faint. */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.12);
  cairo_move_to (cr, 0, height - 1.5);
  cairo_line_to (cr, width, height - 1.5);
  cairo_move_to (cr, 0, (height - 8) / 2.0 + 6);
  cairo_line_to (cr, width, (height - 8) / 2.0 + 6);
  cairo_stroke (cr);

  collect_series (self, &series);
  if (series.n == 0)
    return;

  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.55);
  {
    static const double dash[] = { 4, 3 };
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  }
  draw_line (cr, series.throughput, series.n, series.max_throughput, width, height);
  cairo_stroke (cr);

  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_width (cr, 2);
  gdk_cairo_set_source_rgba (cr, &accent);
  draw_line (cr, series.sessions, series.n, series.max_sessions, width, height);
  cairo_stroke (cr);

  series_clear (&series);
}

static void
update_chart (GhOverviewPage *self)
{
  Series series;
  g_autofree char *max_throughput = NULL;
  g_autofree char *legend_sessions = NULL;
  g_autofree char *legend_throughput = NULL;
  g_autofree char *description = NULL;

  collect_series (self, &series);
  max_throughput = g_format_size ((guint64) series.max_throughput);
  legend_sessions = g_strdup_printf (_("━ Sessions (up to %.0f)"), series.max_sessions);
  legend_throughput = g_strdup_printf (_("┅ Throughput (up to %s/s)"), max_throughput);
  gtk_label_set_text (self->legend_sessions, legend_sessions);
  gtk_label_set_text (self->legend_throughput, legend_throughput);

  if (series.n == 0)
    description = g_strdup (_("No figures yet"));
  else
    description = g_strdup_printf (ngettext ("Over the last %u second: up to %.0f sessions, now %.0f; "
                                             "throughput up to %s per second",
                                             "Over the last %u seconds: up to %.0f sessions, now %.0f; "
                                             "throughput up to %s per second", series.n),
                                   series.n, series.max_sessions, series.sessions[series.n - 1], max_throughput);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  series_clear (&series);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
on_history_changed (GhOverviewPage *self)
{
  update_stats (self);
  update_chart (self);
}

static void
update_expiring (GhOverviewPage *self)
{
  guint days = g_settings_get_uint (self->settings, "expiry-warning-days");
  guint count = self->connection != NULL ? gh_gateway_connection_get_expiring_count (self->connection) : 0;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expiring Within %u Day", "Expiring Within %u Days", days),
                           days);
  if (count == 0)
    subtitle = g_strdup (_("None"));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate", "%u certificates", count), count);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->expiring_row), title);
  adw_action_row_set_subtitle (self->expiring_row, subtitle);
  if (count > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->expiring_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->expiring_row), "warning");
}

static GtkWidget *
create_audit_row (gpointer item,
                  gpointer user_data)
{
  GhApiAuditEntry *entry = item;
  GtkWidget *row = adw_action_row_new ();
  GDateTime *time = gh_api_audit_entry_get_time (entry);
  const char *action = gh_api_audit_entry_get_action (entry);
  const char *subject = gh_api_audit_entry_get_subject (entry);
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *status;
  g_autofree char *status_text = g_strdup_printf ("%u", gh_api_audit_entry_get_status (entry));

  title = action != NULL ? g_strdup_printf ("%s — %s %s", action, gh_api_audit_entry_get_method (entry),
                                            gh_api_audit_entry_get_path (entry))
                         : g_strdup_printf ("%s %s", gh_api_audit_entry_get_method (entry),
                                            gh_api_audit_entry_get_path (entry));
  if (time != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (time);
      when = g_date_time_format (local, "%x %X");
    }
  subtitle = g_strdup_printf ("%s · %s", when != NULL ? when : "—", subject != NULL ? subject : _("unknown"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  status = gtk_label_new (status_text);
  gtk_widget_add_css_class (status, "numeric");
  gtk_widget_add_css_class (status, gh_api_audit_entry_get_status (entry) < 400 ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (status),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_text,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);

  return row;
}

static void
update_all (GhOverviewPage *self)
{
  self->have_uptime = FALSE;
  update_header (self);
  update_stats (self);
  update_chart (self);
  update_expiring (self);
  update_uptime (self);
}

static void
on_state_changed (GhOverviewPage *self)
{
  update_header (self);
  update_uptime (self);
}

static void
set_events (GhOverviewPage *self,
            GhEventStream  *events)
{
  if (self->events == events)
    return;

  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (gh_event_stream_get_stats_history (self->events), self);
      g_signal_handlers_disconnect_by_data (gh_event_stream_get_sessions (self->events), self);
      g_signal_handlers_disconnect_by_data (self->events, self);
    }
  g_set_object (&self->events, events);
  if (events != NULL)
    {
      g_signal_connect_object (gh_event_stream_get_stats_history (events), "items-changed",
                               G_CALLBACK (on_history_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (gh_event_stream_get_sessions (events), "items-changed",
                               G_CALLBACK (update_sessions), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (events, "synchronized", G_CALLBACK (update_sessions), self, G_CONNECT_SWAPPED);
    }
}

static void
on_events_changed (GhOverviewPage *self)
{
  set_events (self, self->connection != NULL ? gh_gateway_connection_get_events (self->connection) : NULL);
  update_all (self);
}

/* Public API */

GtkWidget *
gh_overview_page_new (void)
{
  return g_object_new (GH_TYPE_OVERVIEW_PAGE, NULL);
}

GhGatewayConnection *
gh_overview_page_get_connection (GhOverviewPage *self)
{
  g_return_val_if_fail (GH_IS_OVERVIEW_PAGE (self), NULL);

  return self->connection;
}

void
gh_overview_page_set_connection (GhOverviewPage      *self,
                                 GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (connection == NULL || GH_IS_GATEWAY_CONNECTION (connection));

  if (self->connection == connection)
    return;

  set_events (self, NULL);
  g_clear_handle_id (&self->tick_id, g_source_remove);

  g_set_object (&self->connection, connection);
  g_signal_group_set_target (self->connection_signals, connection);

  if (connection != NULL)
    {
      set_events (self, gh_gateway_connection_get_events (connection));
      gtk_list_box_bind_model (self->audit_list, gh_gateway_connection_get_audit (connection),
                               create_audit_row, NULL, NULL);
      self->tick_id = g_timeout_add_seconds (1, on_tick, self);
    }
  else
    gtk_list_box_bind_model (self->audit_list, NULL, NULL, NULL, NULL);

  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

const char *
gh_overview_page_get_figure (GhOverviewPage *self,
                             const char     *name)
{
  static const char *names[N_FIGURES] = {
    "version", "uptime", "sessions", "total", "received", "sent", "services-up", "services-down",
  };

  g_return_val_if_fail (GH_IS_OVERVIEW_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (Figure f = 0; f < N_FIGURES; f++)
    if (g_str_equal (names[f], name))
      return gtk_label_get_text (self->figure_values[f]);

  g_return_val_if_reached (NULL);
}

const char *
gh_overview_page_get_subtitle (GhOverviewPage *self)
{
  g_return_val_if_fail (GH_IS_OVERVIEW_PAGE (self), NULL);

  return gtk_label_get_text (self->subtitle_label);
}

gboolean
gh_overview_page_get_stale (GhOverviewPage *self)
{
  g_return_val_if_fail (GH_IS_OVERVIEW_PAGE (self), FALSE);

  return gtk_widget_has_css_class (self->content, "stale");
}

/* GObject */

static void
gh_overview_page_dispose (GObject *object)
{
  GhOverviewPage *self = GH_OVERVIEW_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_signal_group_set_target (self->connection_signals, NULL);
  set_events (self, NULL);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (gh_overview_page_parent_class)->dispose (object);
}

static void
gh_overview_page_finalize (GObject *object)
{
  GhOverviewPage *self = GH_OVERVIEW_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->connection_signals);

  G_OBJECT_CLASS (gh_overview_page_parent_class)->finalize (object);
}

static void
gh_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhOverviewPage *self = GH_OVERVIEW_PAGE (object);

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
gh_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhOverviewPage *self = GH_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_overview_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_overview_page_class_init (GhOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_overview_page_dispose;
  object_class->finalize = gh_overview_page_finalize;
  object_class->get_property = gh_overview_page_get_property;
  object_class->set_property = gh_overview_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, content);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, figures);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, legend_sessions);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, legend_throughput);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, expiring_row);
  gtk_widget_class_bind_template_child (widget_class, GhOverviewPage, audit_list);
}

static void
gh_overview_page_init (GhOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::expiry-warning-days", G_CALLBACK (update_expiring), self,
                           G_CONNECT_SWAPPED);

  /* The shown gateway: one group, retargeted by gh_overview_page_set_connection(). */
  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "notify::state", G_CALLBACK (on_state_changed), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::stale", G_CALLBACK (update_header), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::name", G_CALLBACK (update_header), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::info", G_CALLBACK (update_header), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::events", G_CALLBACK (on_events_changed), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::expiring-count", G_CALLBACK (update_expiring),
                                 self, G_CONNECT_SWAPPED);

  for (Figure f = 0; f < N_FIGURES; f++)
    {
      GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *caption = gtk_label_new (_(figure_captions[f]));

      gtk_widget_add_css_class (tile, "card");
      gtk_widget_add_css_class (tile, "gh-figure");
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_box_append (GTK_BOX (tile), value);
      gtk_box_append (GTK_BOX (tile), caption);
      gtk_accessible_update_property (GTK_ACCESSIBLE (tile),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(figure_captions[f]),
                                      -1);
      gtk_flow_box_append (self->figures, tile);
      gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
      self->figure_tiles[f] = tile;
      self->figure_values[f] = GTK_LABEL (value);
    }

  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  update_all (self);
}
