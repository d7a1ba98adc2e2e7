/* gh-test-widgets.h — what the widget tests share: finding widgets, the check that
 * every control has an accessible name, and the screenshots (light and dark, wide and
 * narrow) written when GATEHOUSE_SCREENSHOT_DIR is set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"
#include "gh-test-gateway.h"

G_BEGIN_DECLS

/* The AdwPreferencesRow of @type titled @title under @root; fails the test when none. */
gpointer gh_test_find_titled_row (GtkWidget  *root,
                                  GType       type,
                                  const char *title);
/* Every widget of @type under @widget (itself included), depth first. */
void gh_test_collect          (GtkWidget  *widget,
                               GType       type,
                               GPtrArray  *found);
/* Fails the test when a widget one can focus or activate under @root has no
 * accessible name (a label property, a labelled-by relation, or text it shows). */
void gh_test_assert_all_named (GtkWidget  *root);
/* @widget as DIR/@name, when GATEHOUSE_SCREENSHOT_DIR is set. */
void gh_test_save_png         (GtkWidget  *widget,
                               const char *name);
/* @widget (NULL: @window) as <what>-{light,dark}-{1280,360}.png, when
 * GATEHOUSE_SCREENSHOT_DIR is set; the window is resized for each and back. */
void gh_test_screenshots      (GtkWindow  *window,
                               const char *what,
                               GtkWidget  *widget);

/* @window resized to @width × @height, its layout settled. */
void gh_test_resize           (GtkWindow  *window,
                               int         width,
                               int         height);

/* Whether a label shown under @root says @part (a toast's title, say). */
gboolean gh_test_label_shown  (GtkWidget  *root,
                               const char *part);

/* Destroys @window once it has drawn a frame (no X11 round trip left pending). */
void gh_test_destroy_window   (GtkWindow  *window);

/* A connection to @gateway with its admin identity, connected, as the window makes one. */
GhGatewayConnection *gh_test_connect         (GhTestGateway *gateway,
                                              guint          timeout_seconds);
/* (transfer none) A 1280×800 window showing @page, presented and mapped. */
AdwWindow           *gh_test_window_for_page (GtkWidget     *page,
                                              guint          timeout_seconds);

/* PUT /config with the gateway's name changed to @name, against @if_match (0: the
 * current version): a new version of the configuration, or 0 with @error set. */
gint64 gh_test_rename_gateway (GhAdminClient  *client,
                               const char     *name,
                               gint64          if_match,
                               guint           timeout_seconds,
                               GError        **error);

/* The configuration's version now (GET /config's ETag): what a change moves. */
gint64 gh_test_config_version (GhAdminClient  *client,
                               guint           timeout_seconds);
/* (transfer full) The app's whole window (1180×760) with a connection of its own to
 * @gateway, on the page named @page_name, once @ready says it shows what it should;
 * gh_test_window_close() destroys it. */
GtkWidget *gh_test_window_open  (GhTestGateway *gateway,
                                 const char    *page_name,
                                 gboolean     (*ready) (GtkWidget *window),
                                 guint          timeout_seconds);
void       gh_test_window_close (GtkWidget     *window);
/* The metainfo's screenshots: the app's whole window (1180×760) with a connection of its
 * own to @gateway, on the page named @page_name, saved as DIR/@file once @ready says
 * the window shows what it should. Skips the test without GATEHOUSE_SCREENSHOT_DIR. */
void gh_test_window_screenshot (GhTestGateway *gateway,
                                const char    *page_name,
                                gboolean     (*ready) (GtkWidget *window),
                                const char    *file,
                                guint          timeout_seconds);
/* (transfer none) The one page of type @page_type in @window when it is mapped and no
 * stack of the window is in the middle of a transition; else NULL. */
GtkWidget *gh_test_window_page_shown (GtkWidget *window,
                                      GType      page_type);

G_END_DECLS
