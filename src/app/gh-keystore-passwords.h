/* gh-keystore-passwords.h — the passwords of local keystore files in the user's
 * keyring, kept only when the user asks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The password stored for the keystore file at @path. */
void      gh_keystore_passwords_lookup_async  (const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* (transfer full) (nullable): NULL when none is stored or the keyring failed (which
 * is then not asked again); free it with gh_secret_free(). */
char     *gh_keystore_passwords_lookup_finish (GAsyncResult        *result);
/* Stores it in the background; a failure is logged and the keyring not asked again. */
void      gh_keystore_passwords_save          (const char          *path,
                                               const char          *password);

G_END_DECLS
