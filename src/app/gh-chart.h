/* gh-chart.h — a line chart of a few named series over the last minutes, with a
 * legend, two axes and a text summary for assistive technologies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  GH_CHART_UNIT_COUNT,              /* whole numbers */
  GH_CHART_UNIT_BYTES_PER_SECOND,
} GhChartUnit;

#define GH_TYPE_CHART (gh_chart_get_type ())

G_DECLARE_FINAL_TYPE (GhChart, gh_chart, GH, CHART, GtkWidget)

GhChart     *gh_chart_new          (void);

/* What the chart shows, as a title ("Open Sessions"): its accessible label. */
const char  *gh_chart_get_title    (GhChart     *self);
void         gh_chart_set_title    (GhChart     *self,
                                    const char  *title);
GhChartUnit  gh_chart_get_unit     (GhChart     *self);
void         gh_chart_set_unit     (GhChart     *self,
                                    GhChartUnit  unit);
/* How far back the x axis reaches, in µs before the newest point. */
gint64       gh_chart_get_window   (GhChart     *self);
void         gh_chart_set_window   (GhChart     *self,
                                    gint64       window);
/* (element-type GhStatsSeries) (nullable): what to draw; the chart keeps a reference. */
GPtrArray   *gh_chart_get_series   (GhChart     *self);
void         gh_chart_set_series   (GhChart     *self,
                                    GPtrArray   *series);
/* The newest value of each series and the largest in the window, in words (also the
 * accessible description): "echo: 4, chat: 2; the most in the last 5 minutes: 6". */
const char  *gh_chart_get_summary  (GhChart     *self);
/* @value in the chart's unit ("4", "1.2 kB/s"). */
char        *gh_chart_format_value (GhChart     *self,
                                    double       value);

/* For a drawing without text over time (a sparkline): mirrors @cr's x axis in @width
 * when @widget reads right to left, so that time runs leftward there too. */
void         gh_chart_mirror_for_direction (GtkWidget *widget,
                                            cairo_t   *cr,
                                            int        width);

G_END_DECLS
