/* gh-api-config-preview.c — POST /config/preview's answer
 *
 * Each accept is GhApiTlsAccept's object with two members more ("service", "flag"),
 * read by the same parser, so the Trust page's chain views take it as they take
 * /services/{name}/tls's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-config-preview"

#include "config.h"

#include "gh-api-config-preview.h"
#include "gh-api-private.h"

struct _GhApiAcceptPreview
{
  GObject         parent_instance;

  char           *service;
  char           *flag;
  GhApiTlsAccept *accept;
};

G_DEFINE_FINAL_TYPE (GhApiAcceptPreview, gh_api_accept_preview, G_TYPE_OBJECT)

static void
gh_api_accept_preview_finalize (GObject *object)
{
  GhApiAcceptPreview *self = GH_API_ACCEPT_PREVIEW (object);

  g_free (self->service);
  g_free (self->flag);
  g_clear_object (&self->accept);

  G_OBJECT_CLASS (gh_api_accept_preview_parent_class)->finalize (object);
}

static void
gh_api_accept_preview_class_init (GhApiAcceptPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_accept_preview_finalize;
}

static void
gh_api_accept_preview_init (GhApiAcceptPreview *self)
{
}

GhApiAcceptPreview *
gh_api_accept_preview_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GhApiAcceptPreview) self = g_object_new (GH_TYPE_API_ACCEPT_PREVIEW, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "preview accept", error);

  if (object == NULL ||
      !_gh_api_get_string (object, "preview accept", "service", GH_API_REQUIRED, &self->service, error) ||
      !_gh_api_get_string (object, "preview accept", "flag", GH_API_NULLABLE, &self->flag, error) ||
      (self->accept = gh_api_tls_accept_new_from_json (node, error)) == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_accept_preview_get_service (GhApiAcceptPreview *self)
{
  g_return_val_if_fail (GH_IS_API_ACCEPT_PREVIEW (self), NULL);
  return self->service;
}

GhApiTlsAccept *
gh_api_accept_preview_get_accept (GhApiAcceptPreview *self)
{
  g_return_val_if_fail (GH_IS_API_ACCEPT_PREVIEW (self), NULL);
  return self->accept;
}

const char *
gh_api_accept_preview_get_flag (GhApiAcceptPreview *self)
{
  g_return_val_if_fail (GH_IS_API_ACCEPT_PREVIEW (self), NULL);
  return self->flag;
}

struct _GhApiConfigPreview
{
  GObject     parent_instance;

  gboolean    valid;
  GListModel *problems;
  GListModel *accepts;
};

G_DEFINE_FINAL_TYPE (GhApiConfigPreview, gh_api_config_preview, G_TYPE_OBJECT)

GH_API_DEFINE_PARSE_FUNC (accept_preview)

static void
gh_api_config_preview_finalize (GObject *object)
{
  GhApiConfigPreview *self = GH_API_CONFIG_PREVIEW (object);

  g_clear_object (&self->problems);
  g_clear_object (&self->accepts);

  G_OBJECT_CLASS (gh_api_config_preview_parent_class)->finalize (object);
}

static void
gh_api_config_preview_class_init (GhApiConfigPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_config_preview_finalize;
}

static void
gh_api_config_preview_init (GhApiConfigPreview *self)
{
}

/**
 * gh_api_config_preview_new_from_json:
 * @node: the answer of POST /config/preview
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the preview
 */
GhApiConfigPreview *
gh_api_config_preview_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GhApiConfigPreview) self = g_object_new (GH_TYPE_API_CONFIG_PREVIEW, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "config preview", error);
  JsonArray *problems = NULL;
  JsonArray *accepts = NULL;

  if (object == NULL ||
      !_gh_api_get_boolean (object, "config preview", "valid", GH_API_REQUIRED, &self->valid, error) ||
      !_gh_api_get_array (object, "config preview", "problems", GH_API_NULLABLE, &problems, error) ||
      !_gh_api_get_array (object, "config preview", "accepts", GH_API_NULLABLE, &accepts, error))
    return NULL;

  if ((self->problems = _gh_api_problems_from_array (problems, error)) == NULL)
    return NULL;
  if (accepts != NULL)
    self->accepts = _gh_api_list_from_array (accepts, GH_TYPE_API_ACCEPT_PREVIEW, parse_accept_preview,
                                             "config preview accepts", error);
  else
    self->accepts = G_LIST_MODEL (g_list_store_new (GH_TYPE_API_ACCEPT_PREVIEW));
  if (self->accepts == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
gh_api_config_preview_get_valid (GhApiConfigPreview *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_PREVIEW (self), FALSE);
  return self->valid;
}

GListModel *
gh_api_config_preview_get_problems (GhApiConfigPreview *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_PREVIEW (self), NULL);
  return self->problems;
}

GListModel *
gh_api_config_preview_get_accepts (GhApiConfigPreview *self)
{
  g_return_val_if_fail (GH_IS_API_CONFIG_PREVIEW (self), NULL);
  return self->accepts;
}

guint
gh_api_config_preview_get_n_flagged (GhApiConfigPreview *self)
{
  guint n = 0;

  g_return_val_if_fail (GH_IS_API_CONFIG_PREVIEW (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (self->accepts); i++)
    {
      g_autoptr(GhApiAcceptPreview) accept = g_list_model_get_item (self->accepts, i);

      n += accept->flag != NULL;
    }
  return n;
}
