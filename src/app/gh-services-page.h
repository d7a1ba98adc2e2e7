/* gh-services-page.h — the services of a gateway: list, state, and what to do with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_SERVICES_PAGE (gh_services_page_get_type ())

G_DECLARE_FINAL_TYPE (GhServicesPage, gh_services_page, GH, SERVICES_PAGE, AdwBin)

GtkWidget  *gh_services_page_new             (void);
/* The gateway whose services the page shows, or NULL for none. */
void        gh_services_page_set_connection  (GhServicesPage      *self,
                                              GhGatewayConnection *connection);
GhGatewayConnection *gh_services_page_get_connection (GhServicesPage *self);

/* Of the page's rows (each a GObject with the properties "name", "description",
 * "service-type", "accept", "connect", "state", "started", "sessions-open"), in the
 * order shown. */
GListModel *gh_services_page_get_model       (GhServicesPage      *self);
/* Selects the service named @name; FALSE when there is none. */
gboolean    gh_services_page_select          (GhServicesPage      *self,
                                              const char          *name);
/* TRUE while nothing is being loaded or applied. */
gboolean    gh_services_page_get_idle        (GhServicesPage      *self);

G_END_DECLS
