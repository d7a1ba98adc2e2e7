/* gh-admin-identity.h — the admin identity Gatehouse and gatehousectl show the gateway:
 * a PKCS#12 file with a client certificate and its key, opened with a password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_ADMIN_IDENTITY_ERROR (gh_admin_identity_error_quark ())

/**
 * GhAdminIdentityError:
 * Why an identity file cannot be used, each a different thing for a person to do.
 */
typedef enum {
  GH_ADMIN_IDENTITY_ERROR_NOT_FOUND,       /* no file at that path */
  GH_ADMIN_IDENTITY_ERROR_UNREADABLE,      /* there, but it cannot be read (permissions, a folder, …) */
  GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12,      /* the file is not PKCS#12 */
  GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD,  /* PKCS#12, and the password is not its own */
  GH_ADMIN_IDENTITY_ERROR_NO_KEY,          /* PKCS#12, opened, but no certificate with its private key */
} GhAdminIdentityError;

GQuark           gh_admin_identity_error_quark  (void);

GTlsCertificate *gh_admin_identity_load         (const char           *pkcs12_path,
                                                 const char           *password,
                                                 GError              **error);
/* The same in a thread: decrypting PKCS#12 takes a key derivation (0.2 s or more). */
void             gh_admin_identity_load_async   (const char           *pkcs12_path,
                                                 const char           *password,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GTlsCertificate *gh_admin_identity_load_finish  (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
