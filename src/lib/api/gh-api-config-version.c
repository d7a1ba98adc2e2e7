/* gh-api-config-version.c — one version of GET /api/v1/config/versions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-config-version"

#include "config.h"

#include "gh-api-config-version.h"
#include "gh-api-private.h"
#include "gh-json.h"

struct _GhApiConfigVersion
{
  GObject    parent_instance;

  gint64     version;
  GDateTime *time;
  char      *identity;
  char      *action;
};

G_DEFINE_FINAL_TYPE (GhApiConfigVersion, gh_api_config_version, G_TYPE_OBJECT)

static void
gh_api_config_version_finalize (GObject *object)
{
  GhApiConfigVersion *self = GH_API_CONFIG_VERSION (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->identity, g_free);
  g_clear_pointer (&self->action, g_free);

  G_OBJECT_CLASS (gh_api_config_version_parent_class)->finalize (object);
}

static void
gh_api_config_version_class_init (GhApiConfigVersionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_config_version_finalize;
}

static void
gh_api_config_version_init (GhApiConfigVersion *self)
{
}

/**
 * gh_api_config_version_new_from_json:
 * @node: {"version", "time", "identity", "action"}; "identity" is the subject, or an
 *   object with a "subject"
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the version
 */
GhApiConfigVersion *
gh_api_config_version_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GhApiConfigVersion) self = g_object_new (GH_TYPE_API_CONFIG_VERSION, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "configuration version", error);
  JsonNode *identity;

  if (object == NULL ||
      !_gh_api_get_int (object, "configuration version", "version", GH_API_REQUIRED, &self->version, error) ||
      !_gh_api_get_time (object, "configuration version", "time", GH_API_NULLABLE, &self->time, error) ||
      !_gh_api_get_string (object, "configuration version", "action", GH_API_NULLABLE, &self->action, error))
    return NULL;

  identity = json_object_get_member (object, "identity");
  if (identity != NULL && JSON_NODE_HOLDS_OBJECT (identity))
    {
      if (!_gh_api_get_string (json_node_get_object (identity), "configuration version.identity", "subject",
                               GH_API_NULLABLE, &self->identity, error))
        return NULL;
    }
  else if (!_gh_api_get_string (object, "configuration version", "identity", GH_API_NULLABLE, &self->identity, error))
    return NULL;

  if (self->version < 0)
    {
      _gh_api_set_protocol_error (error, "configuration version %" G_GINT64_FORMAT " is negative", self->version);
      return NULL;
    }

  return g_steal_pointer (&self);
}

gint64
gh_api_config_version_get_version (GhApiConfigVersion *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_VERSION (self), 0);
  return self->version;
}

GDateTime *
gh_api_config_version_get_time (GhApiConfigVersion *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_VERSION (self), NULL);
  return self->time;
}

const char *
gh_api_config_version_get_identity (GhApiConfigVersion *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_VERSION (self), NULL);
  return self->identity;
}

const char *
gh_api_config_version_get_action (GhApiConfigVersion *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_VERSION (self), NULL);
  return self->action;
}

/**
 * gh_api_config_version_new:
 * @version: the version number, from 1
 * @time: (nullable): when it was made
 * @identity: (nullable): who made it (a certificate subject)
 * @action: (nullable): what made it ("PUT /config", …)
 *
 * Returns: (transfer full): a new #GhApiConfigVersion
 */
GhApiConfigVersion *
gh_api_config_version_new (gint64      version,
                           GDateTime  *time,
                           const char *identity,
                           const char *action)
{
  GhApiConfigVersion *self;

  g_return_val_if_fail (version >= 0, NULL);

  self = g_object_new (GH_TYPE_API_CONFIG_VERSION, NULL);
  self->version = version;
  self->time = time != NULL ? g_date_time_ref (time) : NULL;
  self->identity = g_strdup (identity);
  self->action = g_strdup (action);

  return self;
}

static void
add_version (JsonBuilder        *builder,
             GhApiConfigVersion *self)
{
  g_autofree char *time = NULL;

  if (self->time != NULL)
    time = gh_json_format_time (g_date_time_to_unix_usec (self->time));

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "version", self->version);
  gh_json_add_string (builder, "time", time);
  gh_json_add_string (builder, "identity", self->identity);
  gh_json_add_string (builder, "action", self->action);
  json_builder_end_object (builder);
}

/**
 * gh_api_config_version_to_json:
 * @self: a #GhApiConfigVersion
 *
 * The one place that writes a version of the admin API (and of gatehoused's history
 * index); gh_api_config_version_new_from_json() is the one that reads it.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
gh_api_config_version_to_json (GhApiConfigVersion *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (GH_IS_API_CONFIG_VERSION (self), NULL);

  add_version (builder, self);
  return json_builder_get_root (builder);
}

/**
 * gh_api_config_versions_to_json:
 * @current: the version in force
 * @versions: (element-type GhApiConfigVersion): the versions kept, newest first
 *
 * Returns: (transfer full): the answer of GET /config/versions
 */
JsonNode *
gh_api_config_versions_to_json (gint64     current,
                                GPtrArray *versions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (versions != NULL, NULL);

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "current", current);
  json_builder_set_member_name (builder, "versions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < versions->len; i++)
    add_version (builder, g_ptr_array_index (versions, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
