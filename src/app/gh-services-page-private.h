/* gh-services-page-private.h — what the files of GhServicesPage share
 *
 * GhServicesPage is split by concern: gh-services-page.c (the list: loading, the
 * column view, live state, the context menu), gh-services-page-actions.c (new, edit,
 * start, stop, delete, undo, and their confirmations and toasts), and its rows,
 * gh-services-page-item.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-services-page.h"
#include "gh-services-page-item.h"

G_BEGIN_DECLS

struct _GhServicesPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals; /* on connection; retargeted with it */
  GhEventStream       *events;           /* the connection's, for the live session counts */
  GCancellable        *cancellable;      /* of the loads; a new one per connection */
  GhGatewayConfig     *config;           /* the last one read */
  gint64               version;
  GListStore          *store;            /* of GhServicesPageItem */
  GtkSingleSelection  *selection;
  guint                loads;            /* loads and changes under way */
  guint                refresh_id;
  gboolean             refresh_again;
  gint64               undo_to;          /* the version before the last change, 0: none */
  gint64               undo_from;        /* the version that change made */
  AdwToast            *undo_toast;
  GtkWidget           *menu;

  /* template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwBanner           *banner;
  GtkStack            *stack;
  AdwStatusPage       *error_status;
  GtkColumnView       *column_view;
  GMenuModel          *row_menu;
  GtkWidget           *toolbar;
};

void                _gh_services_page_class_actions_init (GhServicesPageClass *klass);

/* NULL while the page has no gateway, or it is not connected. */
GhAdminClient      *_gh_services_page_get_client         (GhServicesPage      *self);
/* Connected and not stale: changes are on. */
gboolean            _gh_services_page_is_live            (GhServicesPage      *self);
GhServicesPageItem *_gh_services_page_get_selected       (GhServicesPage      *self);
gboolean            _gh_services_page_select_name        (GhServicesPage      *self,
                                                          const char          *name);
void                _gh_services_page_update_actions     (GhServicesPage      *self);
/* Loads the list again, or after the load under way. */
void                _gh_services_page_refresh            (GhServicesPage      *self);
/* A load or change begins, or ends: the page is idle when none is under way. */
void                _gh_services_page_load_begin         (GhServicesPage      *self);
void                _gh_services_page_load_done          (GhServicesPage      *self);
/* A service's state as the gateway reported it. */
void                _gh_services_page_set_service_state  (GhServicesPage      *self,
                                                          const char          *name,
                                                          const char          *state);
void                _gh_services_page_add_toast          (GhServicesPage      *self,
                                                          AdwToast            *toast);
void                _gh_services_page_toast_error        (GhServicesPage      *self,
                                                          const char          *what,
                                                          const GError        *error);

G_END_DECLS
