/* gh-api-service.h — one service as GET /api/v1/services/{name} describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_TYPE_API_SERVICE (gh_api_service_get_type ())

G_DECLARE_FINAL_TYPE (GhApiService, gh_api_service, GH, API_SERVICE, GObject)

GhApiService       *gh_api_service_new_from_json        (JsonNode     *node,
                                                         GError      **error);

const char         *gh_api_service_get_name             (GhApiService *self);
const char         *gh_api_service_get_service_type     (GhApiService *self);  /* "proxy", "echo", "directory" */
const char         *gh_api_service_get_description      (GhApiService *self);  /* nullable */
const char * const *gh_api_service_get_accept           (GhApiService *self);  /* never NULL */
const char         *gh_api_service_get_connect          (GhApiService *self);  /* nullable */
const char         *gh_api_service_get_state            (GhApiService *self);  /* "started", "stopped" */
gboolean            gh_api_service_is_started           (GhApiService *self);
gint64              gh_api_service_get_sessions_open    (GhApiService *self);
gint64              gh_api_service_get_sessions_total   (GhApiService *self);
/* The service's object as in the configuration (config.md names), or NULL. */
JsonNode           *gh_api_service_get_config           (GhApiService *self);

G_END_DECLS
