/* gh-api-service.c — one service of GET /api/v1/services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-service"

#include "config.h"

#include "gh-api-private.h"
#include "gh-api-service.h"

struct _GhApiService
{
  GObject   parent_instance;

  char     *name;
  char     *type;
  char     *description;
  GStrv     accept;
  char     *connect;
  char     *state;
  gint64    sessions_open;
  gint64    sessions_total;
  JsonNode *config;
};

G_DEFINE_FINAL_TYPE (GhApiService, gh_api_service, G_TYPE_OBJECT)

static void
gh_api_service_finalize (GObject *object)
{
  GhApiService *self = GH_API_SERVICE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->accept, g_strfreev);
  g_clear_pointer (&self->connect, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->config, json_node_unref);

  G_OBJECT_CLASS (gh_api_service_parent_class)->finalize (object);
}

static void
gh_api_service_class_init (GhApiServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_service_finalize;
}

static void
gh_api_service_init (GhApiService *self)
{
}

/**
 * gh_api_service_new_from_json:
 * @node: a service of the admin API
 * @error: %GH_API_ERROR_PROTOCOL when it is not one
 *
 * Returns: (transfer full) (nullable): the service
 */
GhApiService *
gh_api_service_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(GhApiService) self = g_object_new (GH_TYPE_API_SERVICE, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "service", error);
  JsonObject *config = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "service", "name", GH_API_REQUIRED, &self->name, error) ||
      !_gh_api_get_string (object, "service", "type", GH_API_REQUIRED, &self->type, error) ||
      !_gh_api_get_string (object, "service", "description", GH_API_NULLABLE, &self->description, error) ||
      !_gh_api_get_strv (object, "service", "accept", GH_API_NULLABLE, &self->accept, error) ||
      !_gh_api_get_string (object, "service", "connect", GH_API_NULLABLE, &self->connect, error) ||
      !_gh_api_get_string (object, "service", "state", GH_API_REQUIRED, &self->state, error) ||
      !_gh_api_get_int (object, "service", "sessions_open", GH_API_NULLABLE, &self->sessions_open, error) ||
      !_gh_api_get_int (object, "service", "sessions_total", GH_API_NULLABLE, &self->sessions_total, error) ||
      !_gh_api_get_object (object, "service", "config", GH_API_NULLABLE, &config, error))
    return NULL;

  if (config != NULL)
    self->config = json_node_copy (json_object_get_member (object, "config"));

  return g_steal_pointer (&self);
}

const char *
gh_api_service_get_name (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->name;
}

const char *
gh_api_service_get_service_type (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->type;
}

const char *
gh_api_service_get_description (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->description;
}

const char * const *
gh_api_service_get_accept (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return (const char * const *) self->accept;
}

const char *
gh_api_service_get_connect (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->connect;
}

const char *
gh_api_service_get_state (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->state;
}

gboolean
gh_api_service_is_started (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), FALSE);
  return g_strcmp0 (self->state, "started") == 0;
}

gint64
gh_api_service_get_sessions_open (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), 0);
  return self->sessions_open;
}

gint64
gh_api_service_get_sessions_total (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), 0);
  return self->sessions_total;
}

/**
 * gh_api_service_get_config:
 * @self: a #GhApiService
 *
 * Returns: (transfer none) (nullable): the service's object as in the configuration
 */
JsonNode *
gh_api_service_get_config (GhApiService *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE (self), NULL);
  return self->config;
}
