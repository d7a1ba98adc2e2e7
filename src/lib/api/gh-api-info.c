/* gh-api-info.c — GET /api/v1/info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-info"

#include "config.h"

#include "gh-api-info.h"
#include "gh-api-private.h"

struct _GhApiInfo
{
  GObject    parent_instance;

  char      *name;
  char      *version;
  gint64     api;
  GDateTime *started;
  gint64     uptime;
  gint64     config_version;
  GStrv      listeners;
  char      *admin_listen;
  char      *identity_subject;
  char      *identity_fingerprint;
  char      *identity_role;
};

G_DEFINE_FINAL_TYPE (GhApiInfo, gh_api_info, G_TYPE_OBJECT)

static void
gh_api_info_finalize (GObject *object)
{
  GhApiInfo *self = GH_API_INFO (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->listeners, g_strfreev);
  g_clear_pointer (&self->admin_listen, g_free);
  g_clear_pointer (&self->identity_subject, g_free);
  g_clear_pointer (&self->identity_fingerprint, g_free);
  g_clear_pointer (&self->identity_role, g_free);

  G_OBJECT_CLASS (gh_api_info_parent_class)->finalize (object);
}

static void
gh_api_info_class_init (GhApiInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_info_finalize;
}

static void
gh_api_info_init (GhApiInfo *self)
{
}

/**
 * gh_api_info_new_from_json:
 * @node: the answer of GET /info
 * @error: %GH_API_ERROR_PROTOCOL when it is not one
 *
 * Returns: (transfer full) (nullable): the info
 */
GhApiInfo *
gh_api_info_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(GhApiInfo) self = g_object_new (GH_TYPE_API_INFO, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "info", error);
  JsonObject *identity = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "info", "name", GH_API_REQUIRED, &self->name, error) ||
      !_gh_api_get_string (object, "info", "version", GH_API_REQUIRED, &self->version, error) ||
      !_gh_api_get_int (object, "info", "api", GH_API_REQUIRED, &self->api, error) ||
      !_gh_api_get_time (object, "info", "started", GH_API_NULLABLE, &self->started, error) ||
      !_gh_api_get_int (object, "info", "uptime", GH_API_NULLABLE, &self->uptime, error) ||
      !_gh_api_get_int (object, "info", "config_version", GH_API_REQUIRED, &self->config_version, error) ||
      !_gh_api_get_strv (object, "info", "listeners", GH_API_NULLABLE, &self->listeners, error) ||
      !_gh_api_get_string (object, "info", "admin_listen", GH_API_NULLABLE, &self->admin_listen, error) ||
      !_gh_api_get_object (object, "info", "identity", GH_API_NULLABLE, &identity, error))
    return NULL;

  if (identity != NULL &&
      (!_gh_api_get_string (identity, "info.identity", "subject", GH_API_NULLABLE, &self->identity_subject, error) ||
       !_gh_api_get_string (identity, "info.identity", "fingerprint", GH_API_NULLABLE, &self->identity_fingerprint, error) ||
       !_gh_api_get_string (identity, "info.identity", "role", GH_API_NULLABLE, &self->identity_role, error)))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_info_get_name (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->name;
}

const char *
gh_api_info_get_version (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->version;
}

gint64
gh_api_info_get_api (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), 0);
  return self->api;
}

GDateTime *
gh_api_info_get_started (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->started;
}

gint64
gh_api_info_get_uptime (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), 0);
  return self->uptime;
}

gint64
gh_api_info_get_config_version (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), 0);
  return self->config_version;
}

const char * const *
gh_api_info_get_listeners (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return (const char * const *) self->listeners;
}

const char *
gh_api_info_get_admin_listen (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->admin_listen;
}

const char *
gh_api_info_get_identity_subject (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->identity_subject;
}

const char *
gh_api_info_get_identity_fingerprint (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->identity_fingerprint;
}

const char *
gh_api_info_get_identity_role_name (GhApiInfo *self)
{
  g_return_val_if_fail (GH_IS_API_INFO (self), NULL);
  return self->identity_role;
}

GhAdminRole
gh_api_info_get_identity_role (GhApiInfo *self)
{
  GhAdminRole role = GH_ADMIN_ROLE_NONE;

  g_return_val_if_fail (GH_IS_API_INFO (self), GH_ADMIN_ROLE_NONE);

  if (self->identity_role == NULL || !gh_admin_role_from_string (self->identity_role, &role))
    return GH_ADMIN_ROLE_NONE;

  return role;
}
