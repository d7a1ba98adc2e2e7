/* gh-shortcuts-dialog.h — the keyboard shortcuts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_SHORTCUTS_DIALOG (gh_shortcuts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhShortcutsDialog, gh_shortcuts_dialog, GH, SHORTCUTS_DIALOG, AdwDialog)

GhShortcutsDialog *gh_shortcuts_dialog_new                (GtkApplication *application);
GPtrArray         *gh_shortcuts_collect_widget_shortcuts (GtkWidget      *root);

G_END_DECLS
