/* gh-import.h — reading keys and certificates of any common format, with a preview
 * before anything is committed to a keystore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-keystore.h"

G_BEGIN_DECLS

typedef enum {
  GH_IMPORT_FORMAT_PEM,              /* one or more PEM blocks of any kind */
  GH_IMPORT_FORMAT_DER_CERTIFICATE,
  GH_IMPORT_FORMAT_DER_PRIVATE_KEY,  /* PKCS#1 or SEC1 */
  GH_IMPORT_FORMAT_PKCS7,            /* DER or PEM */
  GH_IMPORT_FORMAT_PKCS8,            /* DER, plain or encrypted */
  GH_IMPORT_FORMAT_PKCS12,
} GhImportFormat;

#define GH_TYPE_IMPORT (gh_import_get_type ())

G_DECLARE_FINAL_TYPE (GhImport, gh_import, GH, IMPORT, GObject)

/* Detects the format by content and reads everything; commits nothing. */
GhImport        *gh_import_new_from_bytes     (GBytes      *data,
                                               const char  *password,
                                               GError     **error);

GhImportFormat   gh_import_get_format         (GhImport    *self);
const char      *gh_import_get_format_name    (GhImport    *self);  /* "PKCS#12", "PEM bundle", … */
GPtrArray       *gh_import_get_certificates   (GhImport    *self);  /* (element-type GhCertificate) all found */
GPtrArray       *gh_import_get_private_keys   (GhImport    *self);  /* (element-type GhPrivateKey) */
GListModel      *gh_import_get_entries        (GhImport    *self);  /* of GhKeystoreEntry: what a commit adds */
const char * const *gh_import_get_notes       (GhImport    *self);  /* what is missing or left out, for people */

/* Whether the certificates are a CA's reply for a key entry of @keystore (the
 * leaf holds that entry's public key); returns that entry. */
GhKeystoreEntry *gh_import_find_reply_target  (GhImport    *self,
                                               GhKeystore  *keystore);

/* Adds the entries to @keystore (the first key entry, or the only trusted certificate,
 * gets @alias when given). A CA reply replaces the chain of the key entry it is for,
 * as `keytool -importcert` with that entry's alias does; @alias, when given, must
 * name that entry. On error @keystore is unchanged. */
gboolean         gh_import_commit             (GhImport    *self,
                                               GhKeystore  *keystore,
                                               const char  *alias,
                                               GError     **error);

G_END_DECLS
