/* gh-overview-page.h — the selected gateway at a glance, live from its event stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_OVERVIEW_PAGE (gh_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (GhOverviewPage, gh_overview_page, GH, OVERVIEW_PAGE, AdwBin)

GtkWidget           *gh_overview_page_new            (void);
GhGatewayConnection *gh_overview_page_get_connection (GhOverviewPage      *self);
void                 gh_overview_page_set_connection (GhOverviewPage      *self,
                                                      GhGatewayConnection *connection);
/* What a figure shows: "version", "uptime", "sessions", "total", "received", "sent",
 * "services-up", "services-down" ("—" when unknown). */
const char          *gh_overview_page_get_figure     (GhOverviewPage      *self,
                                                      const char          *name);
/* The line under the name: the URL when live, "Last known — …" when stale. */
const char          *gh_overview_page_get_subtitle   (GhOverviewPage      *self);
/* TRUE while the page is marked as showing the last known data. */
gboolean             gh_overview_page_get_stale      (GhOverviewPage      *self);

/* "3 h 12 min", … */
char                *gh_format_duration              (gint64               seconds);

G_END_DECLS
