/* gh-keystore-passwords.c — the passwords of local keystore files in the keyring
 *
 * Under a schema of their own, io.github.gatehouse.Gatehouse.Keystore, keyed by the
 * file's path: a keystore file is not a gateway's identity, and the keyring's own
 * tools show the two apart. Whether the keyring works is gh-identity-store.c's one
 * memory of it for the process: a failure here also stops the identities asking.
 * Stored only when the user ticks "Remember" in the password dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-passwords"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "gh-identity-store.h"
#include "gh-keystore-passwords.h"

static const SecretSchema keystore_schema = {
  "io.github.gatehouse.Gatehouse.Keystore", SECRET_SCHEMA_NONE,
  {
    { "path", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

void
gh_keystore_passwords_lookup_async (const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  secret_password_lookup (&keystore_schema, cancellable, callback, user_data, "path", path, NULL);
}

char *
gh_keystore_passwords_lookup_finish (GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);
  char *copy = g_strdup (password);

  if (error != NULL)
    gh_identity_store_set_unavailable (error);
  secret_password_free (password);
  return copy;
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    gh_identity_store_set_unavailable (error);
}

void
gh_keystore_passwords_save (const char *path,
                            const char *password)
{
  g_autofree char *label = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (password != NULL);

  if (!gh_identity_store_get_available ())
    return;

  label = g_strdup_printf (_("Gatehouse keystore file %s"), path);
  secret_password_store (&keystore_schema, SECRET_COLLECTION_DEFAULT, label, password, NULL, on_saved, NULL,
                         "path", path, NULL);
}
