/* gh-api-config-preview.h — POST /config/preview: what each accept would serve under a
 * proposed configuration (and keystore entry), before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-api-service-tls.h"

G_BEGIN_DECLS

/* One accept of the preview: the service it belongs to, its GhApiTlsAccept (SNI choice
 * and chain), and a flag when it would serve no certificate or an expired one. */
#define GH_TYPE_API_ACCEPT_PREVIEW (gh_api_accept_preview_get_type ())

G_DECLARE_FINAL_TYPE (GhApiAcceptPreview, gh_api_accept_preview, GH, API_ACCEPT_PREVIEW, GObject)

GhApiAcceptPreview *gh_api_accept_preview_new_from_json (JsonNode           *node,
                                                         GError            **error);
const char         *gh_api_accept_preview_get_service   (GhApiAcceptPreview *self);
GhApiTlsAccept     *gh_api_accept_preview_get_accept    (GhApiAcceptPreview *self);
/* "no-certificate", "expired", or NULL when the accept would serve a current one. */
const char         *gh_api_accept_preview_get_flag      (GhApiAcceptPreview *self);

#define GH_TYPE_API_CONFIG_PREVIEW (gh_api_config_preview_get_type ())

G_DECLARE_FINAL_TYPE (GhApiConfigPreview, gh_api_config_preview, GH, API_CONFIG_PREVIEW, GObject)

/* {"valid", "problems", "accepts": [accept…]|null} */
GhApiConfigPreview *gh_api_config_preview_new_from_json (JsonNode           *node,
                                                         GError            **error);
gboolean            gh_api_config_preview_get_valid     (GhApiConfigPreview *self);
GListModel         *gh_api_config_preview_get_problems  (GhApiConfigPreview *self);  /* of GhConfigProblem */
/* Empty when the gateway could not preview (an invalid document naming other files). */
GListModel         *gh_api_config_preview_get_accepts   (GhApiConfigPreview *self);  /* of GhApiAcceptPreview */
/* How many accepts are flagged. */
guint               gh_api_config_preview_get_n_flagged (GhApiConfigPreview *self);

G_END_DECLS
