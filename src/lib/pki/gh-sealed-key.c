/* gh-sealed-key.c — a private key still as the PKCS#12 file holds it
 *
 * Listing a keystore needs no private key: a key entry is its certificates, paired
 * with the key's bag by the bags' attributes. So the loader keeps each shrouded key
 * bag as its bytes, with the password it was read with (shared by all the keys of a
 * file, wiped when the last of them goes), and a key is decrypted only when someone
 * asks for it: export, CSR, the TLS identity, the import's key check. Saving with the
 * same password and profile writes the bytes back unchanged, no derivation at all.
 *
 * Java writes an EC private key without its public point (RFC 5915 makes it
 * optional), and GnuTLS 3.8 does not read such a key. Opening one, this file decrypts
 * it itself, takes the point from the entry's certificate, and checks with a
 * signature that key and certificate belong together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-keystore-private.h"
#include "gh-pkcs12-private.h"

struct _GhSealedKey
{
  gatomicrefcount  ref_count;
  GBytes          *pkcs8;      /* EncryptedPrivateKeyInfo DER */
  char            *password;   /* a g_atomic_rc_box; NULL for none */
  GhPkcs12Profile  profile;
};

/* Keys this process tried to decrypt, for the tests that check who opens which. */
static guint n_opened;

guint
_gh_sealed_key_count_opened (void)
{
  return g_atomic_int_get (&n_opened);
}

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

/* Encrypts @key afresh (a new salt), for a save in @profile with @password: PBES2
 * AES-256 for the modern profile and PEM bundles, PKCS#12 3DES for the compatible one. */
GhSealedKey *
_gh_sealed_key_seal (GhPrivateKey     *key,
                     char             *password,
                     GhPkcs12Profile   profile,
                     GError          **error)
{
  unsigned int flags = profile == GH_PKCS12_PROFILE_COMPATIBLE ? GNUTLS_PKCS_PKCS12_3DES : GNUTLS_PKCS_PBES2_AES_256;
  gnutls_datum_t pkcs8 = { NULL, 0 };
  g_autoptr(GBytes) bytes = NULL;
  int ret;

  ret = gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (key), GNUTLS_X509_FMT_DER, password, flags, &pkcs8);
  if (ret < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not encrypt the private key"));
      return NULL;
    }
  bytes = g_bytes_new (pkcs8.data, pkcs8.size);
  gnutls_free (pkcs8.data);
  return _gh_sealed_key_new (bytes, password, profile);
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

static const guchar OID_EC_PUBLIC_KEY[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

static const struct {
  guchar                    oid[8];
  gsize                     oid_size;
  gnutls_ecc_curve_t        curve;
  gnutls_sign_algorithm_t   sign;
} curves[] = {
  { { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }, 8, GNUTLS_ECC_CURVE_SECP256R1, GNUTLS_SIGN_ECDSA_SHA256 },
  { { 0x2b, 0x81, 0x04, 0x00, 0x22 }, 5, GNUTLS_ECC_CURVE_SECP384R1, GNUTLS_SIGN_ECDSA_SHA384 },
  { { 0x2b, 0x81, 0x04, 0x00, 0x23 }, 5, GNUTLS_ECC_CURVE_SECP521R1, GNUTLS_SIGN_ECDSA_SHA512 },
};

/* Does @key sign what @crt's public key verifies? */
static gboolean
signs_for (gnutls_x509_privkey_t    key,
           gnutls_x509_crt_t        crt,
           gnutls_sign_algorithm_t  sign)
{
  static const guchar message[] = "gatehouse: does this key belong to this certificate?";
  gnutls_datum_t data = { (guchar *) message, sizeof message }, signature = { NULL, 0 };
  gnutls_privkey_t signer = NULL;
  gnutls_pubkey_t verifier = NULL;
  gboolean ok;

  ok = gnutls_privkey_init (&signer) >= 0 && gnutls_privkey_import_x509 (signer, key, 0) >= 0 &&
       gnutls_privkey_sign_data2 (signer, sign, 0, &data, &signature) >= 0 &&
       gnutls_pubkey_init (&verifier) >= 0 && gnutls_pubkey_import_x509 (verifier, crt, 0) >= 0 &&
       gnutls_pubkey_verify_data2 (verifier, sign, 0, &data, &signature) >= 0;

  gnutls_free (signature.data);
  if (verifier != NULL)
    gnutls_pubkey_deinit (verifier);
  if (signer != NULL)
    gnutls_privkey_deinit (signer);
  return ok;
}

/* PrivateKeyInfo { 0, { ecPublicKey, curve }, ECPrivateKey { 1, k, … } }: the key,
 * completed with the point of @leaf when the curve is the same and the two sign
 * and verify alike. */
static gnutls_x509_privkey_t
complete_ec_key (GBytes        *private_key_info,
                 GhCertificate *leaf)
{
  gnutls_x509_crt_t crt = _gh_certificate_get_gnutls (leaf);
  GhDer in = { g_bytes_get_data (private_key_info, NULL), g_bytes_get_size (private_key_info) };
  GhDer info, algorithm, oid, curve_oid, wrapped, ec, scalar;
  gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, k;
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_x509_privkey_t key = NULL;
  guint64 version;
  gint found = -1;

  if (!_gh_der_read_tag (&in, 0x30, &info) || !_gh_der_read_uint (&info, &version) ||
      !_gh_der_read_tag (&info, 0x30, &algorithm) || !_gh_der_read_tag (&algorithm, 0x06, &oid) ||
      !_GH_DER_IS (&oid, OID_EC_PUBLIC_KEY) || !_gh_der_read_tag (&algorithm, 0x06, &curve_oid) ||
      !_gh_der_read_tag (&info, 0x04, &wrapped) || !_gh_der_read_tag (&wrapped, 0x30, &ec) ||
      !_gh_der_read_uint (&ec, &version) || version != 1 || !_gh_der_read_tag (&ec, 0x04, &scalar))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    if (_gh_der_equal (&curve_oid, curves[i].oid, curves[i].oid_size))
      found = i;
  if (found < 0 || gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y) < 0 || curve != curves[found].curve)
    {
      gnutls_free (x.data);
      gnutls_free (y.data);
      return NULL;
    }

  k = (gnutls_datum_t) { (guchar *) scalar.data, scalar.size };
  if (gnutls_x509_privkey_init (&key) < 0 || gnutls_x509_privkey_import_ecc_raw (key, curve, &x, &y, &k) < 0 ||
      !signs_for (key, crt, curves[found].sign))
    g_clear_pointer (&key, gnutls_x509_privkey_deinit);
  gnutls_free (x.data);
  gnutls_free (y.data);
  return key;
}

/* The key as Java wrote it, or NULL. */
static gnutls_x509_privkey_t
open_java_ec_key (GhSealedKey   *self,
                  GhCertificate *leaf)
{
  GhDer in = { g_bytes_get_data (self->pkcs8, NULL), g_bytes_get_size (self->pkcs8) };
  GhDer info, ciphertext, algorithm;
  GhDerTlv algorithm_tlv;
  g_autoptr(GBytes) plain = NULL;
  gnutls_x509_privkey_t key;
  gboolean unsupported;

  if (leaf == NULL || gnutls_x509_crt_get_pk_algorithm (_gh_certificate_get_gnutls (leaf), NULL) != GNUTLS_PK_ECDSA ||
      !_gh_der_read_tag (&in, 0x30, &info) || !_gh_der_read (&info, &algorithm_tlv) || algorithm_tlv.tag != 0x30 ||
      !_gh_der_read_tag (&info, 0x04, &ciphertext))
    return NULL;

  algorithm = (GhDer) { algorithm_tlv.start, algorithm_tlv.total };
  if ((plain = _gh_pkcs12_decrypt (&algorithm, &ciphertext, self->password, &unsupported)) == NULL)
    return NULL;
  key = complete_ec_key (plain, leaf);
  /* The plain text is the key: wipe it before it goes. */
  gnutls_memset ((gpointer) g_bytes_get_data (plain, NULL), 0, g_bytes_get_size (plain));
  return key;
}

/* @leaf: (nullable): the entry's certificate, which completes an EC key as Java
 * writes them */
GhPrivateKey *
_gh_sealed_key_open (GhSealedKey    *self,
                     GhCertificate  *leaf,
                     GError        **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t der;
  gsize size = 0;
  int ret;

  g_atomic_int_inc (&n_opened);
  der.data = (guchar *) g_bytes_get_data (self->pkcs8, &size);
  der.size = size;
  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_import_pkcs8 (key, &der, GNUTLS_X509_FMT_DER, self->password, 0)) < 0)
    {
      g_clear_pointer (&key, gnutls_x509_privkey_deinit);
      if (ret == GNUTLS_E_DECRYPTION_FAILED && (key = open_java_ec_key (self, leaf)) != NULL)
        return _gh_private_key_new_take (key);
      _gh_keystore_set_key_error (error, ret);
      return NULL;
    }

  return _gh_private_key_new_take (key);
}
