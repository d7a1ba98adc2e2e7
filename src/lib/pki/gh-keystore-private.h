/* gh-keystore-private.h — what the keystore's files share: the keystore, the items a
 * backend reads, and each backend's reader and writer
 *
 * Both backends read into the same intermediate form (keys and certificates with
 * their friendly names and local key ids, as PKCS#12 bags carry them), and
 * gh-keystore.c assembles entries from it the same way for both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-keystore.h"
#include "gh-pki-private.h"

G_BEGIN_DECLS

struct _GhKeystore
{
  GObject           parent_instance;

  GPtrArray        *entries;   /* of GhKeystoreEntry, in file order */
  GHashTable       *by_alias;  /* alias → GhKeystoreEntry (borrowed) */
  GhKeystoreFormat  format;
  GhPkcs12Profile   profile;
  GPtrArray        *crls;      /* of GhCrl, or NULL: gh-keystore-crls.c */
};

/* What a file holds, before it becomes entries. */
typedef struct {
  GObject *object;     /* GhCertificate or GhPrivateKey */
  char    *name;       /* friendlyName, or NULL */
  char    *key_id;     /* localKeyID as hex, or NULL */
  gboolean used;
} GhKeystoreItem;

void      _gh_keystore_item_free        (gpointer              data);
/* Takes @object (a GhCertificate or GhPrivateKey). */
void      _gh_keystore_add_item         (GPtrArray            *items,
                                         gpointer              object,
                                         const char           *name,
                                         const char           *key_id);
/* Makes entries of @items, replacing the keystore's: each key with the certificate
 * holding its public key and that certificate's issuers, in order; the certificates
 * left over as trusted-certificate entries. */
void      _gh_keystore_assemble_entries (GhKeystore           *self,
                                         GPtrArray            *items);

/* gh-keystore-pkcs12.c */
gboolean  _gh_keystore_load_pkcs12      (GhKeystore           *self,
                                         const guchar         *bytes,
                                         gsize                 length,
                                         const char           *password,
                                         GhKeystoreLoadFlags   flags,
                                         GError              **error);
GBytes   *_gh_keystore_serialize_pkcs12 (GhKeystore           *self,
                                         const char           *password,
                                         GError              **error);

/* gh-keystore-pem.c */
gboolean  _gh_keystore_load_pem         (GhKeystore           *self,
                                         const char           *text,
                                         gsize                 length,
                                         const char           *password,
                                         GError              **error);
GBytes   *_gh_keystore_serialize_pem    (GhKeystore           *self,
                                         const char           *password,
                                         GError              **error);

G_END_DECLS
