/* gh-chart.c — a line chart drawn with cairo in the widget's snapshot
 *
 * The chart draws what it is given (GhStatsSeries from src/lib/api) and decides
 * nothing about the data. The legend names each series beside its colour, so that
 * no one has to tell colours apart to read it; the axes carry the time back to the
 * window's start and a few rounded values. The colours are GNOME's palette, a darker
 * shade on a light style and a lighter one on a dark style; text and grid lines take
 * the widget's own colour. What a sighted reader takes from the lines is also in
 * words, in the accessible description (and gh_chart_get_summary()).
 *
 * Right to left, the chart mirrors as the reader's eye does: time runs leftward (now at
 * the left edge), the values stand on the right and the legend starts at the right;
 * only the text itself is not mirrored (along() and show_text()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "gh-chart.h"
#include "gh-stats-series.h"

#define PADDING      6
#define SWATCH       10
#define LEGEND_GAP   12
#define LABEL_GAP    6

struct _GhChart
{
  GtkWidget    parent_instance;

  char        *title;
  GhChartUnit  unit;
  gint64       window;
  GPtrArray   *series;    /* of GhStatsSeries */
  char        *summary;
  int          mirror;    /* while drawing: the width to mirror x in, right to left; 0 */
};

G_DEFINE_FINAL_TYPE (GhChart, gh_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_UNIT,
  PROP_WINDOW,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GNOME's palette: blue, green, orange, purple, red, brown, yellow; (light, dark). */
static const char * const palette[][2] = {
  { "#1c71d8", "#62a0ea" },
  { "#26a269", "#57e389" },
  { "#c64600", "#ffa348" },
  { "#813d9c", "#c061cb" },
  { "#c01c28", "#f66151" },
  { "#865e3c", "#cdab8f" },
  { "#9c6e03", "#f8e45c" },
};

static void
series_color (guint    index,
              GdkRGBA *color)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)][dark ? 1 : 0]);
}

static GType
gh_chart_unit_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { GH_CHART_UNIT_COUNT, "GH_CHART_UNIT_COUNT", "count" },
        { GH_CHART_UNIT_BYTES_PER_SECOND, "GH_CHART_UNIT_BYTES_PER_SECOND", "bytes-per-second" },
        { 0, NULL, NULL },
      };

      g_once_init_leave (&type, g_enum_register_static ("GhChartUnit", values));
    }
  return type;
}

char *
gh_chart_format_value (GhChart *self,
                       double   value)
{
  g_return_val_if_fail (GH_IS_CHART (self), NULL);

  if (self->unit == GH_CHART_UNIT_BYTES_PER_SECOND)
    {
      g_autofree char *size = g_format_size ((guint64) MAX (value + 0.5, 0));

      /* TRANSLATORS: a rate, as "1.2 kB/s" */
      return g_strdup_printf (_("%s/s"), size);
    }
  return g_strdup_printf ("%.0f", value);
}

static gint64
newest_time (GhChart *self)
{
  gint64 newest = 0;

  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    newest = MAX (newest, gh_stats_series_get_last_time (g_ptr_array_index (self->series, i)));
  return newest;
}

/* The largest value of the series within the window. */
static double
largest (GhChart *self)
{
  gint64 start = newest_time (self) - self->window;
  double max = 0;

  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      guint n;
      const GhStatsPoint *points = gh_stats_series_get_points (g_ptr_array_index (self->series, i), &n);

      for (guint j = 0; j < n; j++)
        if (points[j].time >= start)
          max = MAX (max, points[j].value);
    }
  return max;
}

/* The top of the y axis: 1, 2 or 5 times a power of ten, at least the largest value. */
static double
axis_top (GhChart *self)
{
  double max = largest (self);
  double floor_value = self->unit == GH_CHART_UNIT_BYTES_PER_SECOND ? 1000 : 4;
  double power = 1;

  max = MAX (max, floor_value);
  while (power * 10 < max)
    power *= 10;
  if (max <= power)
    return power;
  if (max <= 2 * power)
    return 2 * power;
  if (max <= 5 * power)
    /* Whole numbers keep a whole half: 6, not 5. */
    return self->unit == GH_CHART_UNIT_COUNT && power == 1 ? 6 : 5 * power;
  return 10 * power;
}

static void
update_summary (GhChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint minutes = (guint) MAX (1, self->window / (60 * G_USEC_PER_SEC));

  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      GhStatsSeries *series = g_ptr_array_index (self->series, i);
      g_autofree char *value = gh_chart_format_value (self, gh_stats_series_get_last (series));

      if (i > 0)
        g_string_append (text, _(", "));
      /* TRANSLATORS: a series of a chart and its newest value, as "chat: 120" */
      g_string_append_printf (text, _("%s: %s"), gh_stats_series_get_name (series), value);
    }
  if (text->len == 0)
    g_string_append (text, _("No data yet"));
  else
    {
      g_autofree char *max = gh_chart_format_value (self, largest (self));

      g_string_append (text, "; ");
      if (minutes == 1)
        /* TRANSLATORS: the largest value a chart shows */
        g_string_append_printf (text, _("the most in the last minute: %s"), max);
      else
        /* TRANSLATORS: the largest value a chart shows, as "the most in the last 5 minutes: 150" */
        g_string_append_printf (text, ngettext ("the most in the last %u minute: %s",
                                                "the most in the last %u minutes: %s", minutes),
                                minutes, max);
    }

  if (g_strcmp0 (self->summary, text->str) == 0)
    return;
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* Drawing */

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* @x from the start edge: from the left, or from the right when right to left. */
static double
along (GhChart *self,
       double   x)
{
  return self->mirror > 0 ? self->mirror - x : x;
}

static int
show_text (GhChart    *self,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      xalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  if (self->mirror > 0)
    xalign = 1 - xalign;
  cairo_move_to (cr, along (self, x) - xalign * width, y);
  pango_cairo_show_layout (cr, layout);
  return width;
}

static int
text_width (GhChart    *self,
            const char *text,
            int        *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, height);
  return width;
}

/* The legend's rows from the top; returns their height. */
static int
draw_legend (GhChart       *self,
             cairo_t       *cr,
             int            width,
             const GdkRGBA *fg)
{
  int line_height = 0;
  double x = PADDING, y = PADDING;

  text_width (self, "M", &line_height);
  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      const char *name = gh_stats_series_get_name (g_ptr_array_index (self->series, i));
      int name_width = text_width (self, name, NULL);
      GdkRGBA color;

      if (x > PADDING && x + SWATCH + 4 + name_width > width - PADDING)
        {
          x = PADDING;
          y += line_height + 2;
        }
      series_color (i, &color);
      set_source (cr, &color, 1);
      cairo_rectangle (cr, self->mirror > 0 ? along (self, x) - SWATCH : x, y + (line_height - SWATCH) / 2.0,
                       SWATCH, SWATCH);
      cairo_fill (cr);
      set_source (cr, fg, 1);
      x += SWATCH + 4;
      x += show_text (self, cr, name, x, y, 0) + LEGEND_GAP;
    }
  return (int) (y - PADDING) + line_height + LABEL_GAP;
}

static void
draw_chart (GhChart *self,
            cairo_t *cr,
            int      width,
            int      height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg;
  double top = axis_top (self);
  gint64 newest = newest_time (self);
  g_autofree char *top_label = gh_chart_format_value (self, top);
  g_autofree char *mid_label = gh_chart_format_value (self, top / 2);
  g_autofree char *start_label = NULL;
  guint minutes = (guint) MAX (1, self->window / (60 * G_USEC_PER_SEC));
  int line_height = 0;
  double left, right, plot_top, bottom;

  gtk_widget_get_color (widget, &fg);
  self->mirror = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? width : 0;

  /* The legend, then the plot below it, the y labels on its left and the time below. */
  text_width (self, "0", &line_height);
  plot_top = PADDING + draw_legend (self, cr, width, &fg) + line_height / 2.0;
  left = PADDING + MAX (text_width (self, top_label, NULL), text_width (self, mid_label, NULL)) + LABEL_GAP;
  right = width - PADDING;
  bottom = height - PADDING - line_height - 2;
  if (bottom - plot_top < 8 || right - left < 8)
    return;

  /* Grid lines at 0, half and the top, with their values. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i <= 2; i++)
    {
      double y = (int) (bottom - (bottom - plot_top) * i / 2.0) + 0.5;   /* on a pixel row */
      const char *label = i == 0 ? "0" : i == 1 ? mid_label : top_label;

      set_source (cr, &fg, i == 0 ? 0.4 : 0.12);
      cairo_move_to (cr, along (self, left), y);
      cairo_line_to (cr, along (self, right), y);
      cairo_stroke (cr);
      set_source (cr, &fg, 0.7);
      show_text (self, cr, label, left - LABEL_GAP, y - line_height / 2.0, 1);
    }

  /* Time: the window's start and now. */
  /* TRANSLATORS: the start of a chart's time axis */
  start_label = g_strdup_printf (ngettext ("%u minute ago", "%u minutes ago", minutes), minutes);
  set_source (cr, &fg, 0.7);
  show_text (self, cr, start_label, left, bottom + 2, 0);
  /* TRANSLATORS: the end of a chart's time axis */
  show_text (self, cr, C_("chart time", "now"), right, bottom + 2, 1);

  /* The series, clipped to the plot. */
  cairo_rectangle (cr, MIN (along (self, left), along (self, right)), plot_top - 1, right - left,
                   bottom - plot_top + 2);
  cairo_clip (cr);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      guint n;
      const GhStatsPoint *points = gh_stats_series_get_points (g_ptr_array_index (self->series, i), &n);
      gboolean started = FALSE;
      GdkRGBA color;

      for (guint j = 0; j < n; j++)
        {
          double x = along (self, right - (right - left) * (double) (newest - points[j].time) / self->window);
          double y = bottom - (bottom - plot_top) * points[j].value / top;

          if (!started)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
          started = TRUE;
        }
      if (n == 1)
        cairo_rel_line_to (cr, self->mirror > 0 ? 2 : -2, 0);   /* one point: a dot at the end, now */
      series_color (i, &color);
      set_source (cr, &color, 1);
      cairo_stroke (cr);
    }
}

void
gh_chart_mirror_for_direction (GtkWidget *widget,
                               cairo_t   *cr,
                               int        width)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      cairo_translate (cr, width, 0);
      cairo_scale (cr, -1, 1);
    }
}

static void
gh_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_chart (GH_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
gh_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 140;
}

static void
on_dark_changed (GhChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GObject */

static void
gh_chart_finalize (GObject *object)
{
  GhChart *self = GH_CHART (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (gh_chart_parent_class)->finalize (object);
}

static void
gh_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GhChart *self = GH_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_UNIT:
      g_value_set_enum (value, self->unit);
      break;
    case PROP_WINDOW:
      g_value_set_int64 (value, self->window);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GhChart *self = GH_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      gh_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_UNIT:
      gh_chart_set_unit (self, g_value_get_enum (value));
      break;
    case PROP_WINDOW:
      gh_chart_set_window (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_chart_class_init (GhChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gh_chart_finalize;
  object_class->get_property = gh_chart_get_property;
  object_class->set_property = gh_chart_set_property;
  widget_class->snapshot = gh_chart_snapshot;
  widget_class->measure = gh_chart_measure;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL, gh_chart_unit_get_type (), GH_CHART_UNIT_COUNT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW] =
    g_param_spec_int64 ("window", NULL, NULL, G_USEC_PER_SEC, G_MAXINT64, 5 * 60 * G_USEC_PER_SEC,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gh_chart_init (GhChart *self)
{
  self->window = 5 * 60 * G_USEC_PER_SEC;
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self,
                           G_CONNECT_SWAPPED);
  update_summary (self);
}

GhChart *
gh_chart_new (void)
{
  return g_object_new (GH_TYPE_CHART, NULL);
}

const char *
gh_chart_get_title (GhChart *self)
{
  g_return_val_if_fail (GH_IS_CHART (self), NULL);
  return self->title;
}

void
gh_chart_set_title (GhChart    *self,
                    const char *title)
{
  g_return_if_fail (GH_IS_CHART (self));

  if (!g_set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

GhChartUnit
gh_chart_get_unit (GhChart *self)
{
  g_return_val_if_fail (GH_IS_CHART (self), GH_CHART_UNIT_COUNT);
  return self->unit;
}

void
gh_chart_set_unit (GhChart     *self,
                   GhChartUnit  unit)
{
  g_return_if_fail (GH_IS_CHART (self));

  if (self->unit == unit)
    return;
  self->unit = unit;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

gint64
gh_chart_get_window (GhChart *self)
{
  g_return_val_if_fail (GH_IS_CHART (self), 0);
  return self->window;
}

void
gh_chart_set_window (GhChart *self,
                     gint64   window)
{
  g_return_if_fail (GH_IS_CHART (self));
  g_return_if_fail (window > 0);

  if (self->window == window)
    return;
  self->window = window;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

/**
 * gh_chart_get_series:
 * @self: a #GhChart
 *
 * Returns: (transfer none) (nullable) (element-type GhStatsSeries): what it draws
 */
GPtrArray *
gh_chart_get_series (GhChart *self)
{
  g_return_val_if_fail (GH_IS_CHART (self), NULL);
  return self->series;
}

void
gh_chart_set_series (GhChart   *self,
                     GPtrArray *series)
{
  g_return_if_fail (GH_IS_CHART (self));

  if (series != NULL)
    g_ptr_array_ref (series);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  self->series = series;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
gh_chart_get_summary (GhChart *self)
{
  g_return_val_if_fail (GH_IS_CHART (self), NULL);
  return self->summary;
}
