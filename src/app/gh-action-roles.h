/* gh-action-roles.h — the role each page action needs, applied to the page's controls:
 * an action the connection's identity may not take is off, and its controls say which
 * role it needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gh-api-role.h"

G_BEGIN_DECLS

typedef struct {
  const char  *action;   /* "services.new" */
  GhAdminRole  needed;
} GhActionRole;

/* TRUE when @role may take @action (an action not in @roles needs no role). */
gboolean gh_action_roles_allow           (const GhActionRole *roles,
                                          gsize               n_roles,
                                          const char         *action,
                                          GhAdminRole         role);
/* Each button under @root whose action is in @roles gets, as its tooltip, the role it
 * needs when @role lacks it, or back its own. */
void     gh_action_roles_update_controls (GtkWidget          *root,
                                          const GhActionRole *roles,
                                          gsize               n_roles,
                                          GhAdminRole         role);

G_END_DECLS
