/* gh-config-error.c — errors of the gateway configuration
 *
 * An extended error domain (G_DEFINE_EXTENDED_ERROR): each GError carries the list of
 * problems, shared between copies since it never changes once raised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-config-error"

#include "config.h"

#include "gh-config-private.h"

typedef struct {
  GListModel *problems;   /* of GhConfigProblem, or NULL */
} GhConfigErrorPrivate;

/* The three below are called with what gh_config_error_get_private() returns, which is
 * NULL only when GLib is misused; they check rather than crash. */
static void
gh_config_error_private_init (GhConfigErrorPrivate *priv)
{
  if (priv != NULL)
    priv->problems = NULL;
}

static void
gh_config_error_private_copy (const GhConfigErrorPrivate *src,
                              GhConfigErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL)
    dest->problems = src->problems != NULL ? g_object_ref (src->problems) : NULL;
}

static void
gh_config_error_private_clear (GhConfigErrorPrivate *priv)
{
  if (priv != NULL)
    g_clear_object (&priv->problems);
}

G_DEFINE_EXTENDED_ERROR (GhConfigError, gh_config_error)

/**
 * gh_config_error_code_to_string:
 * @code: a #GhConfigError
 *
 * Returns: the stable name of @code, for JSON (the admin API's problem types) and
 *   scripts: "syntax", "unknown-member", "address-conflict", …
 */
const char *
gh_config_error_code_to_string (GhConfigError code)
{
  switch (code)
    {
    case GH_CONFIG_ERROR_FAILED: return "failed";
    case GH_CONFIG_ERROR_IO: return "io";
    case GH_CONFIG_ERROR_TOO_LARGE: return "too-large";
    case GH_CONFIG_ERROR_SYNTAX: return "syntax";
    case GH_CONFIG_ERROR_DUPLICATE_MEMBER: return "duplicate-member";
    case GH_CONFIG_ERROR_UNSUPPORTED_VERSION: return "unsupported-version";
    case GH_CONFIG_ERROR_UNKNOWN_MEMBER: return "unknown-member";
    case GH_CONFIG_ERROR_WRONG_TYPE: return "wrong-type";
    case GH_CONFIG_ERROR_MISSING: return "missing";
    case GH_CONFIG_ERROR_INVALID: return "invalid";
    case GH_CONFIG_ERROR_OUT_OF_RANGE: return "out-of-range";
    case GH_CONFIG_ERROR_NOT_ALLOWED: return "not-allowed";
    case GH_CONFIG_ERROR_DUPLICATE_NAME: return "duplicate-name";
    case GH_CONFIG_ERROR_ADDRESS_CONFLICT: return "address-conflict";
    case GH_CONFIG_ERROR_NEEDS_KEYSTORE: return "needs-keystore";
    case GH_CONFIG_ERROR_NEEDS_TRUSTSTORE: return "needs-truststore";
    default: break;
    }

  g_return_val_if_reached (NULL);
}

/**
 * gh_config_error_get_problems:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): the problems @error carries, of
 *   #GhConfigProblem, or %NULL when @error is not a %GH_CONFIG_ERROR raised by the
 *   configuration code
 */
GListModel *
gh_config_error_get_problems (const GError *error)
{
  GhConfigErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != GH_CONFIG_ERROR)
    return NULL;

  priv = gh_config_error_get_private (error);
  return priv != NULL ? priv->problems : NULL;
}

/**
 * gh_config_error_get_path:
 * @error: a #GError
 *
 * Returns: (nullable): the JSON path of the first problem @error carries
 */
const char *
gh_config_error_get_path (const GError *error)
{
  GListModel *problems = gh_config_error_get_problems (error);
  g_autoptr(GhConfigProblem) first = NULL;

  if (problems == NULL || g_list_model_get_n_items (problems) == 0)
    return NULL;

  first = g_list_model_get_item (problems, 0);
  /* The list holds its own reference: the string outlives ours. */
  return gh_config_problem_get_path (first);
}

void
_gh_config_problems_propagate (GhConfigProblems  *problems,
                               GError           **error)
{
  GhConfigProblem *first;
  g_autofree char *text = NULL;
  GError *new_error;
  GhConfigErrorPrivate *priv;
  guint n;

  g_assert (problems->problems->len > 0);

  first = g_ptr_array_index (problems->problems, 0);
  text = gh_config_problem_to_string (first);
  n = problems->problems->len - 1 + problems->n_dropped;

  if (n == 0)
    new_error = g_error_new_literal (GH_CONFIG_ERROR, gh_config_problem_get_code (first), text);
  else
    new_error = g_error_new (GH_CONFIG_ERROR, gh_config_problem_get_code (first),
                             g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)",
                                          "%s (and %u more problems)", n),
                             text, n);

  priv = gh_config_error_get_private (new_error);
  if (priv != NULL)
    {
      g_clear_object (&priv->problems);
      priv->problems = _gh_config_problems_to_model (problems);
    }

  g_propagate_error (error, new_error);
}

/**
 * gh_config_error_set_problem:
 * @error: return location for a #GError
 * @code: what kind of problem
 * @path: the JSON path of the member the problem is about ("security.keystore.file")
 * @message: what is wrong, for people
 *
 * Sets @error to a %GH_CONFIG_ERROR carrying one problem, for problems found outside
 * the configuration itself (a keystore that does not load, an admin certificate
 * alias the keystore lacks) that still belong to one of its members.
 */
void
gh_config_error_set_problem (GError      **error,
                             GhConfigError code,
                             const char   *path,
                             const char   *message)
{
  GhConfigProblems problems;

  g_return_if_fail (path != NULL && message != NULL);

  _gh_config_problems_init (&problems);
  _gh_config_problems_add (&problems, code, path, NULL, "%s", message);
  _gh_config_problems_propagate (&problems, error);
  _gh_config_problems_clear (&problems);
}
