/* gh-config-edit.h — changing a configuration a service at a time, as an editor does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-gateway-config.h"

G_BEGIN_DECLS

/* Reading a service object as written: NULL when @object is NULL, the member is
 * missing, or it holds something else. */
const char      *gh_config_edit_get_string          (JsonObject       *object,
                                                     const char       *member);
JsonObject      *gh_config_edit_get_object          (JsonObject       *object,
                                                     const char       *member);

/* Writing one: each keeps what the file says when it means the same. */
JsonObject      *gh_config_edit_copy_object         (JsonObject       *object);
JsonObject      *gh_config_edit_dup_member_object   (JsonObject       *object,
                                                     const char       *member);
void             gh_config_edit_put_member_object   (JsonObject       *object,
                                                     const char       *member,
                                                     JsonObject       *inner);
void             gh_config_edit_update_member       (JsonObject       *object,
                                                     const char       *member,
                                                     JsonNode         *value,
                                                     JsonNode         *same_as_absent);
JsonNode        *gh_config_edit_string_node         (const char       *text);
JsonNode        *gh_config_edit_int_node            (gint64            value);

/* The protocols-and-ciphers presets an editor offers: 0 the default (left out of the
 * file), 1 TLS 1.3 only, 2 compatible (more ciphers). */
#define GH_CONFIG_EDIT_N_PRIORITY_PRESETS 3
const char      *gh_config_edit_get_priority_preset (guint             preset);
/* The preset @priority is, or GH_CONFIG_EDIT_N_PRIORITY_PRESETS for none (custom). */
guint            gh_config_edit_find_priority_preset (const char      *priority);

/* The services of a configuration as JSON objects. */
JsonObject      *gh_config_edit_dup_service         (GhGatewayConfig  *config,
                                                     const char       *name,
                                                     guint            *index);
GhGatewayConfig *gh_config_edit_with_service        (GhGatewayConfig  *config,
                                                     const char       *replace,
                                                     JsonObject       *service,
                                                     guint            *index,
                                                     GError          **error);
GhGatewayConfig *gh_config_edit_without_service     (GhGatewayConfig  *config,
                                                     const char       *name,
                                                     GError          **error);
/* The rest of a problem's @path inside the service at @index ("" for the service
 * itself, "accept[1]", "tls.priority"), or NULL when it is elsewhere. */
const char      *gh_config_edit_service_member_path (const char       *path,
                                                     guint             index);

/* The three-way merge of an edit made on @base onto @theirs. */
JsonObject      *gh_config_edit_merge_service       (JsonObject       *base,
                                                     JsonObject       *mine,
                                                     JsonObject       *theirs,
                                                     GStrv            *conflicts);

/* What changed, as lines a person reads. */
GStrv            gh_config_edit_describe_service    (const char       *name,
                                                     JsonObject       *before,
                                                     JsonObject       *after);
GStrv            gh_config_edit_describe_changes    (GhGatewayConfig  *before,
                                                     GhGatewayConfig  *after);

G_END_DECLS
