/* gh-test-ui.h — what the app's UI tests share: finding widgets, the accessibility
 * check, and screenshots rendered from the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds every widget of @type at or under @widget to @found. */
void gh_test_collect_widgets  (GtkWidget  *widget,
                               GType       type,
                               GPtrArray  *found);
/* Fails the test, listing them, when a visible widget one can focus or activate has no
 * accessible name (a label property, a label relation, or the text it shows). Needs
 * GTK_A11Y=test. */
void gh_test_assert_all_named (GtkWidget  *root);
/* With GATEHOUSE_SCREENSHOT_DIR set: @widget rendered to DIR/@name. */
void gh_test_save_png         (GtkWidget  *widget,
                               const char *name);
/* With GATEHOUSE_SCREENSHOT_DIR set: @widget (or @window) as WHAT-{light,dark}-{1280,360}.png,
 * the window resized for each. */
void gh_test_screenshots      (GtkWindow  *window,
                               const char *what,
                               GtkWidget  *widget);

G_END_DECLS
