/* gh-keystore-entry.h — one entry of a keystore: a key with its chain, or a trusted
 * certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-certificate.h"
#include "gh-private-key.h"

G_BEGIN_DECLS

#define GH_TYPE_KEYSTORE_ENTRY (gh_keystore_entry_get_type ())

G_DECLARE_FINAL_TYPE (GhKeystoreEntry, gh_keystore_entry, GH, KEYSTORE_ENTRY, GObject)

typedef enum {
  GH_KEYSTORE_ENTRY_KEY,          /* private key + certificate chain, leaf first */
  GH_KEYSTORE_ENTRY_TRUSTED_CERT, /* a certificate trusted as an anchor */
} GhKeystoreEntryKind;

GhKeystoreEntry     *gh_keystore_entry_new_key          (const char      *alias,
                                                         GhPrivateKey    *key,
                                                         GPtrArray       *chain);
GhKeystoreEntry     *gh_keystore_entry_new_trusted      (const char      *alias,
                                                         GhCertificate   *certificate);

const char          *gh_keystore_entry_get_alias        (GhKeystoreEntry *self);
GhKeystoreEntryKind  gh_keystore_entry_get_kind         (GhKeystoreEntry *self);
GhCertificate       *gh_keystore_entry_get_certificate  (GhKeystoreEntry *self);
GPtrArray           *gh_keystore_entry_get_chain        (GhKeystoreEntry *self);
GhPrivateKey        *gh_keystore_entry_get_private_key  (GhKeystoreEntry *self);
GhPrivateKey        *gh_keystore_entry_load_private_key (GhKeystoreEntry *self,
                                                         GError         **error);

gboolean             gh_keystore_alias_is_valid         (const char      *alias);

G_END_DECLS
