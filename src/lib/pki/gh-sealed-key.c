/* gh-sealed-key.c — a private key still as the PKCS#12 file holds it
 *
 * Listing a keystore needs no private key: a key entry is its certificates, paired
 * with the key's bag by the bags' attributes. So the loader keeps each shrouded key
 * bag as its bytes, with the password it was read with (shared by all the keys of a
 * file, wiped when the last of them goes), and a key is decrypted only when someone
 * asks for it: export, CSR, the TLS identity, the import's key check. Saving with the
 * same password and profile writes the bytes back unchanged, no derivation at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-keystore-private.h"

struct _GhSealedKey
{
  gatomicrefcount  ref_count;
  GBytes          *pkcs8;      /* EncryptedPrivateKeyInfo DER */
  char            *password;   /* a g_atomic_rc_box; NULL for none */
  GhPkcs12Profile  profile;
};

static void
wipe_password (gpointer data)
{
  char *password = data;

  gnutls_memset (password, 0, strlen (password));
}

char *
_gh_keystore_password_new (const char *password)
{
  char *box;

  if (password == NULL)
    return NULL;

  box = g_atomic_rc_box_alloc (strlen (password) + 1);
  memcpy (box, password, strlen (password) + 1);
  return box;
}

void
_gh_keystore_password_unref (char *password)
{
  if (password != NULL)
    g_atomic_rc_box_release_full (password, wipe_password);
}

/* Takes a reference to @password (from _gh_keystore_password_new()). */
GhSealedKey *
_gh_sealed_key_new (GBytes          *pkcs8,
                    char            *password,
                    GhPkcs12Profile  profile)
{
  GhSealedKey *self = g_new0 (GhSealedKey, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->pkcs8 = g_bytes_ref (pkcs8);
  self->password = password != NULL ? g_atomic_rc_box_acquire (password) : NULL;
  self->profile = profile;
  return self;
}

GhSealedKey *
_gh_sealed_key_ref (GhSealedKey *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_gh_sealed_key_unref (GhSealedKey *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_bytes_unref (self->pkcs8);
  _gh_keystore_password_unref (self->password);
  g_free (self);
}

/* The EncryptedPrivateKeyInfo, when it is encrypted with @password in @profile. */
GBytes *
_gh_sealed_key_get_bytes_for (GhSealedKey     *self,
                              const char      *password,
                              GhPkcs12Profile  profile)
{
  if (self->profile != profile || g_strcmp0 (self->password, password) != 0)
    return NULL;

  return self->pkcs8;
}

/* Why a key of the keystore (GnuTLS error @ret) does not open. */
gboolean
_gh_keystore_set_key_error (GError **error,
                            int      ret)
{
  /* GnuTLS also says this of a key it decrypted but cannot parse: an EC key
   * without its (optional) public key, as Java writes every EC key. */
  if (ret == GNUTLS_E_DECRYPTION_FAILED)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNSUPPORTED_ALGORITHM,
                           _("A private key in the keystore cannot be read with the keystore’s password: it has "
                             "a password of its own, or it is an EC key stored without its public key, as Java’s "
                             "keytool stores them. Rewrite such a key with “openssl ec” and export the keystore again"));
      return FALSE;
    }

  return _gh_pki_set_gnutls_error (error, ret, _("A private key in the keystore cannot be read"));
}

GhPrivateKey *
_gh_sealed_key_open (GhSealedKey  *self,
                     GError      **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t der;
  gsize size = 0;
  int ret;

  der.data = (guchar *) g_bytes_get_data (self->pkcs8, &size);
  der.size = size;
  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_import_pkcs8 (key, &der, GNUTLS_X509_FMT_DER, self->password, 0)) < 0)
    {
      g_clear_pointer (&key, gnutls_x509_privkey_deinit);
      _gh_keystore_set_key_error (error, ret);
      return NULL;
    }

  return _gh_private_key_new_take (key);
}
