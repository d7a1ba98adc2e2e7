/* gh-session-registry.h — every live session of the gateway: a GListModel of GhSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_SESSION_REGISTRY (gh_session_registry_get_type ())

G_DECLARE_FINAL_TYPE (GhSessionRegistry, gh_session_registry, GH, SESSION_REGISTRY, GObject)

GhSessionRegistry *gh_session_registry_new           (void);
void               gh_session_registry_add           (GhSessionRegistry *self,
                                                      GhSession         *session);
GhSession         *gh_session_registry_lookup        (GhSessionRegistry *self,
                                                      const char        *id);
guint              gh_session_registry_count_service (GhSessionRegistry *self,
                                                      const char        *service);
guint64            gh_session_registry_get_total     (GhSessionRegistry *self);
guint              gh_session_registry_count_service_total (GhSessionRegistry *self,
                                                            const char        *service);
void               gh_session_registry_get_traffic   (GhSessionRegistry *self,
                                                      GhSessionTraffic  *traffic);

G_END_DECLS
