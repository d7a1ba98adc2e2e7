/* gh-application.h — the Gatehouse application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_APPLICATION (gh_application_get_type ())

G_DECLARE_FINAL_TYPE (GhApplication, gh_application, GH, APPLICATION, AdwApplication)

GhApplication *gh_application_new          (void);
GSettings     *gh_application_get_settings (GhApplication *self);

G_END_DECLS
