/* gh-accessible.c — names for the widgets GTK builds inside ours
 *
 * What takes the keyboard focus is often not the widget a template names but one GTK
 * made inside it: a GtkColumnView's GtkListView, a GtkSearchEntry's GtkText. A screen
 * reader reads the focused one, so the name goes there; each page used to walk the
 * children itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-accessible"

#include "config.h"

#include "gh-accessible.h"

/**
 * gh_accessible_name_inner:
 * @widget: a widget with children GTK made
 * @child_type: the type of the child that takes the focus (e.g. %GTK_TYPE_LIST_VIEW)
 * @label: the accessible name, translated
 *
 * Gives every direct child of @widget of @child_type the accessible name @label.
 */
void
gh_accessible_name_inner (GtkWidget  *widget,
                          GType       child_type,
                          const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (label != NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (G_TYPE_CHECK_INSTANCE_TYPE (child, child_type))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}
