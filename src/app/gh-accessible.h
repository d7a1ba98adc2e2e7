/* gh-accessible.h — names for the widgets GTK builds inside ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void gh_accessible_name_inner (GtkWidget  *widget,
                               GType       child_type,
                               const char *label);

G_END_DECLS
