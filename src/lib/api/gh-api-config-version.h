/* gh-api-config-version.h — one version of the configuration, as
 * GET /api/v1/config/versions lists them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_TYPE_API_CONFIG_VERSION (gh_api_config_version_get_type ())

G_DECLARE_FINAL_TYPE (GhApiConfigVersion, gh_api_config_version, GH, API_CONFIG_VERSION, GObject)

GhApiConfigVersion *gh_api_config_version_new             (gint64              version,
                                                           GDateTime          *time,
                                                           const char         *identity,
                                                           const char         *action);
GhApiConfigVersion *gh_api_config_version_new_from_json   (JsonNode           *node,
                                                           GError            **error);
JsonNode           *gh_api_config_version_to_json         (GhApiConfigVersion *self);
/* GET /config/versions: {"current", "versions": [newest first]}; @versions of
 * GhApiConfigVersion. */
JsonNode           *gh_api_config_versions_to_json        (gint64              current,
                                                           GPtrArray          *versions);
gint64              gh_api_config_version_get_version     (GhApiConfigVersion *self);
GDateTime          *gh_api_config_version_get_time        (GhApiConfigVersion *self);  /* nullable */
const char         *gh_api_config_version_get_identity    (GhApiConfigVersion *self);  /* nullable: who */
const char         *gh_api_config_version_get_action      (GhApiConfigVersion *self);  /* nullable: what */

G_END_DECLS
