/* gh-api-info.h — GET /api/v1/info: the gateway, and the caller as the gateway sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-gateway-config.h"

G_BEGIN_DECLS

#define GH_TYPE_API_INFO (gh_api_info_get_type ())

G_DECLARE_FINAL_TYPE (GhApiInfo, gh_api_info, GH, API_INFO, GObject)

GhApiInfo          *gh_api_info_new_from_json              (JsonNode   *node,
                                                            GError    **error);

const char         *gh_api_info_get_name                   (GhApiInfo  *self);
const char         *gh_api_info_get_version                (GhApiInfo  *self);
gint64              gh_api_info_get_api                    (GhApiInfo  *self);
GDateTime          *gh_api_info_get_started                (GhApiInfo  *self);   /* nullable */
gint64              gh_api_info_get_uptime                 (GhApiInfo  *self);   /* seconds */
gint64              gh_api_info_get_config_version         (GhApiInfo  *self);
const char * const *gh_api_info_get_listeners              (GhApiInfo  *self);   /* never NULL */
const char         *gh_api_info_get_admin_listen           (GhApiInfo  *self);   /* nullable */
/* The caller: its certificate's subject and SHA-256 fingerprint, and its role. */
const char         *gh_api_info_get_identity_subject       (GhApiInfo  *self);
const char         *gh_api_info_get_identity_fingerprint   (GhApiInfo  *self);
const char         *gh_api_info_get_identity_role_name     (GhApiInfo  *self);   /* "viewer", … */
GhAdminRole         gh_api_info_get_identity_role          (GhApiInfo  *self);   /* NONE when unknown */

G_END_DECLS
