/* gh-api-crl.c — one revocation list of the gateway's truststore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-crl"

#include "config.h"

#include "gh-api-crl.h"
#include "gh-api-private.h"

struct _GhApiCrl
{
  GObject    parent_instance;

  char      *id;
  char      *issuer;
  GDateTime *this_update;
  GDateTime *next_update;
  gint64     n_revoked;
  GStrv      serials;
  char      *verified_by;
  char      *pem;
};

G_DEFINE_FINAL_TYPE (GhApiCrl, gh_api_crl, G_TYPE_OBJECT)

static void
gh_api_crl_finalize (GObject *object)
{
  GhApiCrl *self = GH_API_CRL (object);

  g_free (self->id);
  g_free (self->issuer);
  g_clear_pointer (&self->this_update, g_date_time_unref);
  g_clear_pointer (&self->next_update, g_date_time_unref);
  g_strfreev (self->serials);
  g_free (self->verified_by);
  g_free (self->pem);

  G_OBJECT_CLASS (gh_api_crl_parent_class)->finalize (object);
}

static void
gh_api_crl_class_init (GhApiCrlClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_crl_finalize;
}

static void
gh_api_crl_init (GhApiCrl *self)
{
}

/**
 * gh_api_crl_new_from_json:
 * @node: a crl of GET /truststore/crls
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the list
 */
GhApiCrl *
gh_api_crl_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(GhApiCrl) self = g_object_new (GH_TYPE_API_CRL, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "crl", error);

  if (object == NULL ||
      !_gh_api_get_string (object, "crl", "id", GH_API_REQUIRED, &self->id, error) ||
      !_gh_api_get_string (object, "crl", "issuer", GH_API_NULLABLE, &self->issuer, error) ||
      !_gh_api_get_time (object, "crl", "this_update", GH_API_NULLABLE, &self->this_update, error) ||
      !_gh_api_get_time (object, "crl", "next_update", GH_API_NULLABLE, &self->next_update, error) ||
      !_gh_api_get_int (object, "crl", "revoked", GH_API_OPTIONAL, &self->n_revoked, error) ||
      !_gh_api_get_strv (object, "crl", "revoked_serials", GH_API_NULLABLE, &self->serials, error) ||
      !_gh_api_get_string (object, "crl", "verified_by", GH_API_NULLABLE, &self->verified_by, error) ||
      !_gh_api_get_string (object, "crl", "pem", GH_API_NULLABLE, &self->pem, error))
    return NULL;

  return g_steal_pointer (&self);
}

#define GETTER(type, name, field, fallback) \
  type \
  gh_api_crl_get_##name (GhApiCrl *self) \
  { \
    g_return_val_if_fail (GH_IS_API_CRL (self), fallback); \
    return self->field; \
  }

GETTER (const char *, id, id, NULL)
GETTER (const char *, issuer, issuer, NULL)
GETTER (GDateTime *, this_update, this_update, NULL)
GETTER (GDateTime *, next_update, next_update, NULL)
GETTER (gint64, n_revoked, n_revoked, 0)
GETTER (const char *, verified_by, verified_by, NULL)
GETTER (const char *, pem, pem, NULL)

#undef GETTER

const char * const *
gh_api_crl_get_revoked_serials (GhApiCrl *self)
{
  g_return_val_if_fail (GH_IS_API_CRL (self), NULL);
  return (const char * const *) self->serials;
}
