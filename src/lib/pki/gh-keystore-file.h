/* gh-keystore-file.h — a keystore file on the user's disk, opened to be changed: every
 * change is saved at once, atomically, or not made at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-import.h"
#include "gh-keystore.h"

G_BEGIN_DECLS

typedef enum {
  GH_KEY_EXPORT_PKCS12, /* the key and its chain, in the profile asked for */
  GH_KEY_EXPORT_PKCS8,  /* the key alone, encrypted PKCS#8 PEM (PBES2 AES-256) */
} GhKeyExportFormat;

#define GH_TYPE_KEYSTORE_FILE (gh_keystore_file_get_type ())

G_DECLARE_FINAL_TYPE (GhKeystoreFile, gh_keystore_file, GH, KEYSTORE_FILE, GObject)

/* Signal "changed": a change was saved; the keystore's entries are as the file holds
 * them. */
GhKeystoreFile *gh_keystore_file_open          (GFile              *file,
                                                const char         *password,
                                                GError            **error);
/* A new, empty keystore written to @file now (replacing what is there). */
GhKeystoreFile *gh_keystore_file_create        (GFile              *file,
                                                GhKeystoreFormat    format,
                                                GhPkcs12Profile     profile,
                                                const char         *password,
                                                GError            **error);

GFile          *gh_keystore_file_get_file      (GhKeystoreFile     *self);
GhKeystore     *gh_keystore_file_get_keystore  (GhKeystoreFile     *self);
/* The file's name as a person reads it. */
const char     *gh_keystore_file_get_name      (GhKeystoreFile     *self);
/* "PKCS#12, modern profile", "PEM bundle". */
char           *gh_keystore_file_describe      (GhKeystoreFile     *self);

/* The changes: each is saved before it returns TRUE; on FALSE the file and the
 * keystore are as they were. */
gboolean        gh_keystore_file_import        (GhKeystoreFile     *self,
                                                GhImport           *import,
                                                const char         *alias,
                                                GError            **error);
gboolean        gh_keystore_file_rename        (GhKeystoreFile     *self,
                                                const char         *alias,
                                                const char         *new_alias,
                                                GError            **error);
gboolean        gh_keystore_file_remove        (GhKeystoreFile     *self,
                                                const char         *alias,
                                                GError            **error);
/* Adds @key under @alias with a self-signed placeholder certificate for @subject and
 * @sans (as `keytool -genkeypair` does) and returns the request for a CA (PEM). The
 * CA's reply, imported later, replaces the placeholder. */
char           *gh_keystore_file_add_key_with_csr (GhKeystoreFile  *self,
                                                const char         *alias,
                                                GhPrivateKey       *key,
                                                const char         *subject,
                                                const char * const *sans,
                                                GError            **error);

/* Every key encrypted again with @password, on all cores, and the file saved with it;
 * @progress comes in the caller's main context. */
void            gh_keystore_file_change_password_async  (GhKeystoreFile         *self,
                                                         const char             *password,
                                                         GhKeystoreProgressFunc  progress,
                                                         gpointer                progress_data,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
gboolean        gh_keystore_file_change_password_finish (GhKeystoreFile         *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);

/* The key entry @alias with its private key, encrypted with @password (not empty). */
GBytes         *gh_keystore_file_export_key    (GhKeystoreFile     *self,
                                                const char         *alias,
                                                GhKeyExportFormat   format,
                                                const char         *password,
                                                GhPkcs12Profile     profile,
                                                GError            **error);
/* The key entry @alias as unencrypted PEM (chain, then the PKCS#8 key), for an upload
 * that stays in memory: what the gateway's import preview reads. */
GBytes         *gh_keystore_file_upload_pem    (GhKeystoreFile     *self,
                                                const char         *alias,
                                                GError            **error);

G_END_DECLS
