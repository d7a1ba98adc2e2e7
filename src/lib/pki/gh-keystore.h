/* gh-keystore.h — a keystore or truststore file: a GListModel of GhKeystoreEntry
 *
 * Backends, chosen by content when loading: PKCS#12 and PEM bundle. Saving is atomic
 * (temporary file, fsync, rename; the previous file kept as FILE.bak), mode 0600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-keystore-entry.h"

G_BEGIN_DECLS

#define GH_TYPE_KEYSTORE (gh_keystore_get_type ())

G_DECLARE_FINAL_TYPE (GhKeystore, gh_keystore, GH, KEYSTORE, GObject)

typedef enum {
  GH_KEYSTORE_FORMAT_PKCS12,
  GH_KEYSTORE_FORMAT_PEM,
} GhKeystoreFormat;

typedef enum {
  GH_PKCS12_PROFILE_MODERN,     /* PBES2 AES-256 bags, HMAC-SHA256 MAC */
  GH_PKCS12_PROFILE_COMPATIBLE, /* PKCS#12 3DES bags, HMAC-SHA1 MAC: old Java, macOS, Windows */
} GhPkcs12Profile;

typedef enum {
  GH_KEYSTORE_LOAD_NONE         = 0,
  GH_KEYSTORE_LOAD_ALLOW_NO_MAC = 1 << 0, /* open a PKCS#12 that has no integrity protection */
} GhKeystoreLoadFlags;

gboolean          gh_pkcs12_profile_from_string (const char        *name,
                                                 GhPkcs12Profile   *profile);

GhKeystore       *gh_keystore_new               (GhKeystoreFormat   format);
GhKeystore       *gh_keystore_new_from_bytes    (GBytes            *data,
                                                 const char        *password,
                                                 GhKeystoreLoadFlags flags,
                                                 GError           **error);
GhKeystore       *gh_keystore_new_from_file     (GFile             *file,
                                                 const char        *password,
                                                 GhKeystoreLoadFlags flags,
                                                 GError           **error);

GhKeystoreFormat  gh_keystore_get_format        (GhKeystore        *self);
void              gh_keystore_set_format        (GhKeystore        *self,
                                                 GhKeystoreFormat   format);
GhPkcs12Profile   gh_keystore_get_profile       (GhKeystore        *self);
void              gh_keystore_set_profile       (GhKeystore        *self,
                                                 GhPkcs12Profile    profile);

GhKeystoreEntry  *gh_keystore_lookup            (GhKeystore        *self,
                                                 const char        *alias);
GhKeystoreEntry  *gh_keystore_find_key_for      (GhKeystore        *self,
                                                 GhCertificate     *certificate);
gboolean          gh_keystore_add               (GhKeystore        *self,
                                                 GhKeystoreEntry   *entry,
                                                 GError           **error);
gboolean          gh_keystore_replace           (GhKeystore        *self,
                                                 GhKeystoreEntry   *entry,
                                                 GError           **error);
gboolean          gh_keystore_remove            (GhKeystore        *self,
                                                 const char        *alias,
                                                 GError           **error);
gboolean          gh_keystore_rename            (GhKeystore        *self,
                                                 const char        *alias,
                                                 const char        *new_alias,
                                                 GError           **error);
char             *gh_keystore_make_alias        (GhKeystore        *self,
                                                 GhCertificate     *certificate);
GPtrArray        *gh_keystore_get_trusted_certificates (GhKeystore *self);

/* Progress of a long operation: @done of @total, called in the caller's thread. */
typedef void (*GhKeystoreProgressFunc) (guint     done,
                                        guint     total,
                                        gpointer  user_data);

gboolean          gh_keystore_reseal            (GhKeystore        *self,
                                                 const char        *password,
                                                 GhKeystoreProgressFunc progress,
                                                 gpointer           user_data,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

GBytes           *gh_keystore_serialize         (GhKeystore        *self,
                                                 const char        *password,
                                                 GError           **error);
gboolean          gh_keystore_save              (GhKeystore        *self,
                                                 GFile             *file,
                                                 const char        *password,
                                                 GError           **error);

G_END_DECLS
