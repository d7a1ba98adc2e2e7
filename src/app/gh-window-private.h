/* gh-window-private.h — what the files of GhWindow share
 *
 * GhWindow is split by concern: gh-window.c (template, pages, the selected gateway),
 * gh-window-actions.c (the gateway actions and their dialogs), gh-window-keystores.c
 * (the local keystore files).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-audit-page.h"
#include "gh-connections-page.h"
#include "gh-gateway-list.h"
#include "gh-keystore-page.h"
#include "gh-overview-page.h"
#include "gh-certificates-page.h"
#include "gh-services-page.h"
#include "gh-trust-page.h"
#include "gh-window.h"

G_BEGIN_DECLS

struct _GhWindow
{
  AdwApplicationWindow    parent_instance;

  GSettings              *settings;
  GhGatewayList          *gateways;
  GhGatewayConnection    *selected;

  /* Follow the selected gateway; retargeted in select_connection(). */
  GSignalGroup           *selected_signals;
  GBindingGroup          *selected_bindings;

  /* template widgets */
  AdwToastOverlay        *toast_overlay;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage      *content_page;
  AdwViewStack           *stack;
  GtkStack               *content_stack;
  GtkListBox             *gateway_list;
  AdwBanner              *banner;
  GhOverviewPage         *overview_page;
  GhServicesPage         *services_page;
  GhConnectionsPage      *connections_page;
  GhCertificatesPage     *certificates_page;
  GhTrustPage            *trust_page;
  GhAuditPage            *audit_page;
  GtkWidget              *header_switcher;
  GtkWidget              *switcher_bar;
  GtkListBox             *keystore_list;
  GtkStack               *keystore_stack;
  GMenu                  *recent_keystores;
  GtkWidget              *keystore_menu_button;

  gboolean                phone_width;  /* the bottom bar has room for five pages */
};

void                 _gh_window_class_actions_init (GhWindowClass *klass);
/* gh-window-help.c: win.help-page, the help about what the window shows. */
void                 _gh_window_class_help_init    (GhWindowClass *klass);
/* gh-window-keystores.c: the sidebar's Keystore Files. */
void                 _gh_window_class_keystores_init (GhWindowClass *klass);
void                 _gh_window_init_keystores       (GhWindow      *self);
void                 _gh_window_keystores_unselect   (GhWindow      *self);
/* The gateway a win.*-gateway action's URL names; "" is the selected one. */
GhGatewayConnection *_gh_window_lookup_target      (GhWindow      *self,
                                                    GVariant      *parameter);

G_END_DECLS
