/* gh-action-roles.c — page actions and the roles they need
 *
 * A page lists its write actions with the role each needs (the gateway's rule, from
 * docs/admin-api.md) and asks gh_action_roles_allow() when it turns its actions on;
 * the controls of an action that is off for the role say why in their tooltip, so a
 * viewer reads "Needs the admin role" instead of meeting a 403. A control's own
 * tooltip is kept on it the first time, to be put back when the role allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-action-roles"

#include "config.h"

#include "gh-action-roles.h"

#define OWN_TOOLTIP "gh-own-tooltip"

static const GhActionRole *
lookup (const GhActionRole *roles,
        gsize               n_roles,
        const char         *action)
{
  for (gsize i = 0; action != NULL && i < n_roles; i++)
    if (g_str_equal (roles[i].action, action))
      return &roles[i];
  return NULL;
}

gboolean
gh_action_roles_allow (const GhActionRole *roles,
                       gsize               n_roles,
                       const char         *action,
                       GhAdminRole         role)
{
  const GhActionRole *entry = lookup (roles, n_roles, action);

  return entry == NULL || gh_admin_role_allows (role, entry->needed);
}

static void
update_control (GtkWidget          *widget,
                const GhActionRole *entry,
                GhAdminRole         role)
{
  if (g_object_get_data (G_OBJECT (widget), OWN_TOOLTIP) == NULL)
    g_object_set_data_full (G_OBJECT (widget), OWN_TOOLTIP,
                            g_strdup (gtk_widget_get_tooltip_text (widget) != NULL ? gtk_widget_get_tooltip_text (widget) : ""),
                            g_free);

  if (gh_admin_role_allows (role, entry->needed))
    {
      const char *own = g_object_get_data (G_OBJECT (widget), OWN_TOOLTIP);

      gtk_widget_set_tooltip_text (widget, *own != '\0' ? own : NULL);
    }
  else
    {
      g_autofree char *need = gh_admin_role_describe_need (entry->needed, role);

      gtk_widget_set_tooltip_text (widget, need);
    }
}

void
gh_action_roles_update_controls (GtkWidget          *root,
                                 const GhActionRole *roles,
                                 gsize               n_roles,
                                 GhAdminRole         role)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_ACTIONABLE (root))
    {
      const GhActionRole *entry = lookup (roles, n_roles, gtk_actionable_get_action_name (GTK_ACTIONABLE (root)));

      if (entry != NULL)
        update_control (root, entry, role);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    gh_action_roles_update_controls (child, roles, n_roles, role);
}
