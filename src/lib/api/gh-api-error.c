/* gh-api-error.c — errors of the admin API client
 *
 * An extended error domain (G_DEFINE_EXTENDED_ERROR): a problem answer keeps its
 * HTTP status, the problems of a config-invalid answer and the current version of a
 * precondition-failed one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-error"

#include "config.h"

#include <string.h>

#include "gh-api-private.h"

typedef struct {
  guint       status;
  GListModel *problems;         /* of GhConfigProblem, or NULL */
  gint64      current_version;
} GhApiErrorPrivate;

static void
gh_api_error_private_init (GhApiErrorPrivate *priv)
{
  if (priv != NULL)
    {
      priv->status = 0;
      priv->problems = NULL;
      priv->current_version = 0;
    }
}

static void
gh_api_error_private_copy (const GhApiErrorPrivate *src,
                           GhApiErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL)
    {
      dest->status = src->status;
      dest->problems = src->problems != NULL ? g_object_ref (src->problems) : NULL;
      dest->current_version = src->current_version;
    }
}

static void
gh_api_error_private_clear (GhApiErrorPrivate *priv)
{
  if (priv != NULL)
    g_clear_object (&priv->problems);
}

G_DEFINE_EXTENDED_ERROR (GhApiError, gh_api_error)

static const struct {
  GhApiError  code;
  const char *name;
} error_names[] = {
  { GH_API_ERROR_FAILED, "failed" },
  { GH_API_ERROR_NOT_AN_IDENTITY, "not-an-identity" },
  { GH_API_ERROR_FORBIDDEN_ROLE, "forbidden-role" },
  { GH_API_ERROR_ORIGIN_REFUSED, "origin-refused" },
  { GH_API_ERROR_MISDIRECTED, "misdirected" },
  { GH_API_ERROR_NOT_FOUND, "not-found" },
  { GH_API_ERROR_METHOD_NOT_ALLOWED, "method-not-allowed" },
  { GH_API_ERROR_LENGTH_REQUIRED, "length-required" },
  { GH_API_ERROR_BODY_TOO_LARGE, "body-too-large" },
  { GH_API_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type" },
  { GH_API_ERROR_MALFORMED, "malformed" },
  { GH_API_ERROR_PRECONDITION_REQUIRED, "precondition-required" },
  { GH_API_ERROR_PRECONDITION_FAILED, "precondition-failed" },
  { GH_API_ERROR_CONFIG_INVALID, "config-invalid" },
  { GH_API_ERROR_CONFLICT, "conflict" },
  { GH_API_ERROR_PKI_ERROR, "pki-error" },
  { GH_API_ERROR_UNAVAILABLE, "unavailable" },
  { GH_API_ERROR_INTERNAL, "internal" },
  { GH_API_ERROR_PIN_MISMATCH, "pin-mismatch" },
  { GH_API_ERROR_TLS, "tls" },
  { GH_API_ERROR_UNREACHABLE, "unreachable" },
  { GH_API_ERROR_IDENTITY, "identity" },
  { GH_API_ERROR_PROTOCOL, "protocol" },
};

/**
 * gh_api_error_code_to_string:
 * @code: a #GhApiError
 *
 * Returns: the stable name of @code: the problem type's for the server's codes
 */
const char *
gh_api_error_code_to_string (GhApiError code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_names); i++)
    if (error_names[i].code == code)
      return error_names[i].name;

  g_return_val_if_reached (NULL);
}

/**
 * gh_api_error_code_from_string:
 * @type: a problem's "type": "https://gatehouse.invalid/problems/not-found" or "not-found"
 * @code: (out): the code, %GH_API_ERROR_FAILED when unknown
 *
 * Only the server's types are recognised (not the names of the client's codes).
 *
 * Returns: whether @type names one of the contract's problem types
 */
gboolean
gh_api_error_code_from_string (const char *type,
                               GhApiError *code)
{
  const char *name;

  g_return_val_if_fail (code != NULL, FALSE);

  *code = GH_API_ERROR_FAILED;
  if (type == NULL)
    return FALSE;

  name = strrchr (type, '/');
  name = name != NULL ? name + 1 : type;

  for (guint i = 0; i < G_N_ELEMENTS (error_names); i++)
    {
      if (error_names[i].code == GH_API_ERROR_FAILED || error_names[i].code >= GH_API_ERROR_PIN_MISMATCH)
        continue;
      if (strcmp (error_names[i].name, name) == 0)
        {
          *code = error_names[i].code;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * gh_api_error_get_problems:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): the problems of a config-invalid answer, of
 *   #GhConfigProblem
 */
GListModel *
gh_api_error_get_problems (const GError *error)
{
  GhApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != GH_API_ERROR)
    return NULL;

  priv = gh_api_error_get_private (error);
  return priv != NULL ? priv->problems : NULL;
}

/**
 * gh_api_error_get_status:
 * @error: a #GError
 *
 * Returns: the HTTP status of the server's answer, 0 when there was none
 */
guint
gh_api_error_get_status (const GError *error)
{
  GhApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != GH_API_ERROR)
    return 0;

  priv = gh_api_error_get_private (error);
  return priv != NULL ? priv->status : 0;
}

/**
 * gh_api_error_get_current_version:
 * @error: a #GError
 *
 * Returns: the configuration version a precondition-failed answer gives, or 0
 */
gint64
gh_api_error_get_current_version (const GError *error)
{
  GhApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != GH_API_ERROR)
    return 0;

  priv = gh_api_error_get_private (error);
  return priv != NULL ? priv->current_version : 0;
}

GError *
_gh_api_error_new_problem (GhApiError  code,
                           guint       status,
                           const char *detail,
                           GListModel *problems,
                           gint64      current_version)
{
  GError *error = g_error_new_literal (GH_API_ERROR, code, detail);
  GhApiErrorPrivate *priv = gh_api_error_get_private (error);

  if (priv != NULL)
    {
      priv->status = status;
      g_set_object (&priv->problems, problems);
      priv->current_version = current_version;
    }

  return error;
}
