/* gh-services-page-item.h — one row of the services page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-client.h"
#include "gh-gateway-config.h"

G_BEGIN_DECLS

#define GH_TYPE_SERVICES_PAGE_ITEM (gh_services_page_item_get_type ())

G_DECLARE_FINAL_TYPE (GhServicesPageItem, gh_services_page_item, GH, SERVICES_PAGE_ITEM, GObject)

/* @service: (nullable): its state, when known */
GhServicesPageItem *gh_services_page_item_new               (GhServiceConfig    *config,
                                                             GhApiService       *service);
const char         *gh_services_page_item_get_name          (GhServicesPageItem *self);
/* "started", "stopped", or NULL when not known */
const char         *gh_services_page_item_get_state         (GhServicesPageItem *self);
gint64              gh_services_page_item_get_sessions_open (GhServicesPageItem *self);
void                gh_services_page_item_set_state         (GhServicesPageItem *self,
                                                             const char         *state,
                                                             gint64              sessions_open);

G_END_DECLS
