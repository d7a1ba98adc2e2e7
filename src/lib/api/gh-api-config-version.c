/* gh-api-config-version.c — one version of GET /api/v1/config/versions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-config-version"

#include "config.h"

#include "gh-api-config-version.h"
#include "gh-api-private.h"

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
