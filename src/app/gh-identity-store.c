/* gh-identity-store.c — the passwords of admin identities in the user's keyring
 *
 * A password is stored with libsecret under the schema
 * io.github.gatehouse.Gatehouse.Identity, keyed by the gateway's URL and the identity
 * file's path (the Secret portal inside Flatpak). It is never written anywhere else.
 *
 * Not a GObject: the keyring is one per session, and so is what this file remembers
 * of it: once it failed, it is not asked again in this process, and the user is told
 * once (the caller says it; gh_identity_store_set_unavailable() says when).
 * The lookup and the save are libsecret's own calls: their results go to the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-identity-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "gh-identity-store.h"

static gboolean unavailable;
static gboolean noticed;

static const SecretSchema identity_schema = {
  "io.github.gatehouse.Gatehouse.Identity", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "identity-path", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

gboolean
gh_identity_store_get_available (void)
{
  return !unavailable;
}

gboolean
gh_identity_store_set_unavailable (const GError *error)
{
  unavailable = TRUE;
  g_debug ("No Secret Service: %s", error != NULL ? error->message : "?");

  if (noticed)
    return FALSE;
  noticed = TRUE;
  return TRUE;
}

void
gh_identity_store_lookup_async (const char          *url,
                                const char          *identity_path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (url != NULL);
  g_return_if_fail (identity_path != NULL);

  secret_password_lookup (&identity_schema, cancellable, callback, user_data,
                          "url", url,
                          "identity-path", identity_path,
                          NULL);
}

char *
gh_identity_store_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  char *password = secret_password_lookup_finish (result, error);
  char *copy = g_strdup (password);

  secret_password_free (password);
  return copy;
}

void
gh_identity_store_save_async (const char          *url,
                              const char          *identity_path,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (url != NULL);
  g_return_if_fail (identity_path != NULL);
  g_return_if_fail (password != NULL);

  label = g_strdup_printf (_("Gatehouse admin identity for %s"), url);
  secret_password_store (&identity_schema, SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         callback, user_data,
                         "url", url,
                         "identity-path", identity_path,
                         NULL);
}

gboolean
gh_identity_store_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
gh_identity_store_forget (const char *url,
                          const char *identity_path)
{
  g_return_if_fail (url != NULL);
  g_return_if_fail (identity_path != NULL);

  if (unavailable)
    return;

  secret_password_clear (&identity_schema, NULL, NULL, NULL,
                         "url", url,
                         "identity-path", identity_path,
                         NULL);
}
