/* gh-window-help.c — the help page for what the window shows
 *
 * F1 and the main menu's Help open the help's index (app.help, in gh-application.c).
 * win.help-page (Shift+F1, and "Help on This Page" in the main menu) opens the page of
 * the help that describes what the window shows now: each page of a gateway has its
 * own, a keystore file the page on local keystore files, the empty window the page on
 * getting started. gh_window_get_help_page() makes the choice from the window's state
 * alone, so a test checks it without starting a help viewer; opening goes through
 * gh_sandbox_show_help(), which knows where help can be read inside a Flatpak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include "gh-sandbox.h"
#include "gh-window-private.h"

/**
 * gh_window_get_help_page:
 * @self: a #GhWindow
 *
 * Returns: the id of the help page about what @self shows: its gateway page, a
 *   keystore file ("local-keystores") or, without a gateway, "getting-started"
 */
const char *
gh_window_get_help_page (GhWindow *self)
{
  const char *shown;

  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  shown = gtk_stack_get_visible_child_name (self->content_stack);
  if (g_strcmp0 (shown, "keystore") == 0)
    return "local-keystores";
  if (g_strcmp0 (shown, "gateway") != 0)
    return "getting-started";

  /* Each page of a gateway has the help page of its own name (help/C/PAGE.page). */
  return gh_window_get_page (self);
}

static void
help_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);

  gh_sandbox_show_help (GTK_WINDOW (self), gh_window_get_help_page (self));
}

void
_gh_window_class_help_init (GhWindowClass *klass)
{
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "win.help-page", NULL, help_page_action);
}
