/* gh-service-editor.h — a dialog editing one service of a gateway's configuration,
 * validated as the admin types, applied with If-Match
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

#define GH_TYPE_SERVICE_EDITOR (gh_service_editor_get_type ())

G_DECLARE_FINAL_TYPE (GhServiceEditor, gh_service_editor, GH, SERVICE_EDITOR, AdwDialog)

/* Edits the service @service_name of @config (the configuration at @version), or a
 * new service when @service_name is NULL. Apply puts the whole configuration with
 * If-Match @version; on success the dialog emits
 *   "applied" (gint64 previous_version, gint64 new_version, const char *service_name)
 * and closes. */
GhServiceEditor *gh_service_editor_new                (GhAdminClient   *client,
                                                       GhGatewayConfig *config,
                                                       gint64           version,
                                                       const char      *service_name);

/* The name of the service edited as it was, NULL for a new service. */
const char      *gh_service_editor_get_service_name   (GhServiceEditor *self);
/* The version the next apply puts on top of (it moves on after a re-apply). */
gint64           gh_service_editor_get_base_version   (GhServiceEditor *self);
/* The configuration the editor would apply now, or NULL when its fields cannot make
 * one; and the problems of it that the fields show (of GhConfigProblem). */
GhGatewayConfig *gh_service_editor_build_config       (GhServiceEditor *self);
GListModel      *gh_service_editor_get_problems       (GhServiceEditor *self);

G_END_DECLS
