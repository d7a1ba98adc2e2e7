/* gh-preferences-dialog.h — the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_PREFERENCES_DIALOG (gh_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhPreferencesDialog, gh_preferences_dialog, GH, PREFERENCES_DIALOG, AdwPreferencesDialog)

GhPreferencesDialog *gh_preferences_dialog_new (GSettings *settings);

G_END_DECLS
