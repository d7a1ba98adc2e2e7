/* gh-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_WINDOW (gh_window_get_type ())

G_DECLARE_FINAL_TYPE (GhWindow, gh_window, GH, WINDOW, AdwApplicationWindow)

GhWindow   *gh_window_new         (AdwApplication *application);
const char *gh_window_get_page    (GhWindow       *self);
void        gh_window_set_page    (GhWindow       *self,
                                   const char     *page);
void        gh_window_add_toast   (GhWindow       *self,
                                   AdwToast       *toast);

G_END_DECLS
