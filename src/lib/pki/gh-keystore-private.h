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
  guint             keys_opened_to_pair;  /* keys the loader had to decrypt to pair */
  GPtrArray        *kept_bags;            /* of GBytes: PKCS#12 bags that are no entry's
                                           * (CRLs, secrets, …), written back as read */
};

/* gh-keystore.c */
GhKeystore   *_gh_keystore_copy            (GhKeystore       *self);

/* gh-sealed-key.c: a private key as its encrypted PKCS#8 bytes, opened on demand. */
typedef struct _GhSealedKey GhSealedKey;

/* The "profile" of a key sealed in a PEM bundle: its encryption is whatever the
 * bundle's writer chose, so a PKCS#12 save never takes its bytes as they are. */
#define GH_SEALED_KEY_PEM ((GhPkcs12Profile) 0x50454d)

/* A password shared by the sealed keys of a file, wiped when the last one goes. */
char         *_gh_keystore_password_new    (const char       *password);
void          _gh_keystore_password_unref  (char             *password);
GhSealedKey  *_gh_sealed_key_new           (GBytes           *pkcs8,
                                            char             *password,
                                            GhPkcs12Profile   profile);
GhSealedKey  *_gh_sealed_key_ref           (GhSealedKey      *self);
void          _gh_sealed_key_unref         (GhSealedKey      *self);
GBytes       *_gh_sealed_key_get_bytes_for (GhSealedKey      *self,
                                            const char       *password,
                                            GhPkcs12Profile   profile);
/* @key encrypted with @password (a box) as @profile writes keys (PEM: PBES2). */
GhSealedKey  *_gh_sealed_key_seal          (GhPrivateKey     *key,
                                            char             *password,
                                            GhPkcs12Profile   profile,
                                            GError          **error);
GhPrivateKey *_gh_sealed_key_open          (GhSealedKey      *self,
                                            GhCertificate    *leaf,
                                            GError          **error);
gboolean      _gh_keystore_set_key_error   (GError          **error,
                                            int               ret);
/* How many times this process has decrypted (or tried to) a sealed key: for tests. */
guint         _gh_sealed_key_count_opened  (void);

/* gh-keystore-entry.c */
GhKeystoreEntry *_gh_keystore_entry_new_sealed    (const char      *alias,
                                                   GhSealedKey     *key,
                                                   GPtrArray       *chain);
/* (nullable): the sealed key of an entry whose key was not given decrypted */
GhSealedKey     *_gh_keystore_entry_get_sealed    (GhKeystoreEntry *self);
/* A key entry under another alias, its key sealed or not as it is. */
GhKeystoreEntry *_gh_keystore_entry_copy_renamed  (GhKeystoreEntry *self,
                                                   const char      *alias);

/* What a file holds, before it becomes entries. */
typedef struct {
  GObject     *object;  /* GhCertificate or GhPrivateKey; NULL for a sealed key */
  GhSealedKey *sealed;  /* a private key not yet decrypted */
  char        *name;    /* friendlyName, or NULL */
  char        *key_id;  /* localKeyID as hex, or NULL */
  gboolean     used;
} GhKeystoreItem;

void      _gh_keystore_item_free        (gpointer              data);
/* Takes @object (a GhCertificate or GhPrivateKey). */
void      _gh_keystore_add_item         (GPtrArray            *items,
                                         gpointer              object,
                                         const char           *name,
                                         const char           *key_id);
/* Takes a reference to @key. */
void      _gh_keystore_add_sealed_item  (GPtrArray            *items,
                                         GhSealedKey          *key,
                                         const char           *name,
                                         const char           *key_id);
/* Makes entries of @items, replacing the keystore's: each key with the certificate
 * holding its public key and that certificate's issuers, in order; the certificates
 * left over as trusted-certificate entries. */
gboolean  _gh_keystore_assemble_entries (GhKeystore           *self,
                                         GPtrArray            *items,
                                         GError              **error);

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
