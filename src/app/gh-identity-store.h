/* gh-identity-store.h — the passwords of admin identities in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* FALSE once the keyring failed in this process: it is not asked again. */
gboolean  gh_identity_store_get_available   (void);
/* Records that the keyring failed (@error: why, or NULL). TRUE the first time: the
 * caller tells the user once. */
gboolean  gh_identity_store_set_unavailable (const GError        *error);

/* The password stored for the identity @identity_path of the gateway at @url. */
void      gh_identity_store_lookup_async    (const char          *url,
                                             const char          *identity_path,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* (transfer full) (nullable): NULL when none is stored, or on error; free it with
 * gh_secret_free(). */
char     *gh_identity_store_lookup_finish   (GAsyncResult        *result,
                                             GError             **error);
void      gh_identity_store_save_async      (const char          *url,
                                             const char          *identity_path,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  gh_identity_store_save_finish     (GAsyncResult        *result,
                                             GError             **error);
/* Removes it, in the background, when the keyring is available. */
void      gh_identity_store_forget          (const char          *url,
                                             const char          *identity_path);

G_END_DECLS
