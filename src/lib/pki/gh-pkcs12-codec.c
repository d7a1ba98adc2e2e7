/* gh-pkcs12-codec.c — the DER and the crypto of PKCS#12 (RFC 7292), in small pieces
 *
 * A DER reader over slices of the input (nothing is copied, nothing is allocated
 * while walking), a writer that puts each header in front of its value once the value
 * is written, and the three kinds of key derivation a PKCS#12 file uses: PKCS#12's
 * own (RFC 7292 B.2, for its MAC and its old PBE algorithms) and PBKDF2 (PBES2). The
 * ciphers, PBKDF2 and HMAC are GnuTLS's. Limits: tags below 31, lengths of at most
 * four bytes, no indefinite lengths (BER); whatever this code does not read is
 * reported as unsupported, and the caller hands such a file to GnuTLS whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <string.h>

#include "gh-pkcs12-private.h"

/* A key derivation costs its iteration count; a file may ask for any. Above this,
 * the file is refused rather than read for minutes. */
#define MAX_ITERATIONS 10000000

const guchar GH_OID_DATA[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
const guchar GH_OID_ENCRYPTED_DATA[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06 };
const guchar GH_OID_KEY_BAG[11] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01 };
const guchar GH_OID_SHROUDED_KEY_BAG[11] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02 };
const guchar GH_OID_CERT_BAG[11] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03 };
const guchar GH_OID_X509_CERTIFICATE[10] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01 };
const guchar GH_OID_FRIENDLY_NAME[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14 };
const guchar GH_OID_LOCAL_KEY_ID[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15 };
const guchar GH_OID_JAVA_TRUSTED_KEY_USAGE[12] = { 0x60, 0x86, 0x48, 0x01, 0x86, 0xf9, 0x66, 0xad, 0xca, 0x7b, 0x01, 0x01 };
const guchar GH_OID_ANY_EXTENDED_KEY_USAGE[4] = { 0x55, 0x1d, 0x25, 0x00 };

static const guchar OID_PBES2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
static const guchar OID_PBKDF2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
static const guchar OID_PBE_SHA_3DES[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03 };
static const guchar OID_PBE_SHA_RC2_40[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06 };
static const guchar OID_DES_EDE3_CBC[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07 };
static const guchar OID_AES_128_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02 };
static const guchar OID_AES_192_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16 };
static const guchar OID_AES_256_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };

/* Hashes, by the OID of the digest (MAC) and of the HMAC (PBKDF2's PRF). */
static const struct {
  guchar                    digest_oid[9];
  gsize                     digest_oid_size;
  guchar                    hmac_oid[8];
  gnutls_digest_algorithm_t digest;
  gnutls_mac_algorithm_t    mac;
} hashes[] = {
  { { 0x2b, 0x0e, 0x03, 0x02, 0x1a }, 5,
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07 }, GNUTLS_DIG_SHA1, GNUTLS_MAC_SHA1 },
  { { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04 }, 9,
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x08 }, GNUTLS_DIG_SHA224, GNUTLS_MAC_SHA224 },
  { { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 }, 9,
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09 }, GNUTLS_DIG_SHA256, GNUTLS_MAC_SHA256 },
  { { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 }, 9,
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a }, GNUTLS_DIG_SHA384, GNUTLS_MAC_SHA384 },
  { { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 }, 9,
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b }, GNUTLS_DIG_SHA512, GNUTLS_MAC_SHA512 },
};

/* DER reading */

/* @strict: a long length only where a short one would not do, in the fewest bytes
 * (gh-der-reader.c, which must refuse what GnuTLS's strict decoder refuses). */
static gboolean
der_read (GhDer    *in,
          GhDerTlv *tlv,
          gboolean  strict)
{
  gsize length, header = 2;

  if (in->size < 2 || (in->data[0] & 0x1f) == 0x1f)
    return FALSE;

  length = in->data[1];
  if (length >= 0x80)
    {
      guint n = length & 0x7f;

      /* 0x80 is BER's indefinite length: not DER. */
      if (n == 0 || n > 4 || in->size < 2 + n)
        return FALSE;
      if (strict && in->data[2] == 0)
        return FALSE;
      length = 0;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | in->data[2 + i];
      if (strict && length < 0x80)
        return FALSE;
      header += n;
    }
  if (length > in->size - header)
    return FALSE;

  tlv->tag = in->data[0];
  tlv->start = in->data;
  tlv->total = header + length;
  tlv->value.data = in->data + header;
  tlv->value.size = length;
  in->data += tlv->total;
  in->size -= tlv->total;
  return TRUE;
}

gboolean
_gh_der_read (GhDer    *in,
              GhDerTlv *tlv)
{
  return der_read (in, tlv, FALSE);
}

gboolean
_gh_der_read_strict (GhDer    *in,
                     GhDerTlv *tlv)
{
  return der_read (in, tlv, TRUE);
}

gboolean
_gh_der_read_tag (GhDer  *in,
                  guchar  tag,
                  GhDer  *value)
{
  GhDerTlv tlv;

  if (!_gh_der_read (in, &tlv) || tlv.tag != tag)
    return FALSE;
  if (value != NULL)
    *value = tlv.value;
  return TRUE;
}

gboolean
_gh_der_read_uint (GhDer   *in,
                   guint64 *number)
{
  GhDer value;

  if (!_gh_der_read_tag (in, 0x02, &value) || value.size == 0 || (value.data[0] & 0x80) != 0)
    return FALSE;
  while (value.size > 1 && value.data[0] == 0)
    {
      value.data++;
      value.size--;
    }
  if (value.size > 8)
    return FALSE;

  *number = 0;
  for (gsize i = 0; i < value.size; i++)
    *number = (*number << 8) | value.data[i];
  return TRUE;
}

gboolean
_gh_der_equal (const GhDer  *der,
               const guchar *bytes,
               gsize         length)
{
  return der->size == length && memcmp (der->data, bytes, length) == 0;
}

/* DER writing */

gsize
_gh_der_begin (GByteArray *out)
{
  return out->len;
}

void
_gh_der_end (GByteArray *out,
             guchar      tag,
             gsize       start)
{
  gsize length = out->len - start;
  guchar header[6];
  guint n = 0;

  header[n++] = tag;
  if (length < 0x80)
    {
      header[n++] = length;
    }
  else
    {
      guint bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;

      header[n++] = 0x80 | bytes;
      for (guint i = bytes; i > 0; i--)
        header[n++] = (length >> (8 * (i - 1))) & 0xff;
    }

  g_byte_array_set_size (out, out->len + n);
  memmove (out->data + start + n, out->data + start, length);
  memcpy (out->data + start, header, n);
}

void
_gh_der_append (GByteArray   *out,
                guchar        tag,
                const guchar *value,
                gsize         length)
{
  gsize start = _gh_der_begin (out);

  if (length > 0)
    g_byte_array_append (out, value, length);
  _gh_der_end (out, tag, start);
}

void
_gh_der_append_uint (GByteArray *out,
                     guint64     number)
{
  guchar bytes[9];
  guint n = 0;

  for (int shift = 56; shift >= 0; shift -= 8)
    {
      guchar byte = (number >> shift) & 0xff;

      if (n == 0 && byte == 0 && shift > 0)
        continue;
      if (n == 0 && (byte & 0x80) != 0)
        bytes[n++] = 0;
      bytes[n++] = byte;
    }
  _gh_der_append (out, 0x02, bytes, n);
}

/* BMPString */

char *
_gh_bmp_to_utf8 (const guchar *bmp,
                 gsize         length)
{
  g_autofree gunichar2 *units = NULL;
  gsize n;

  if (length % 2 != 0)
    return NULL;
  n = length / 2;
  /* Some writers end the name with a NUL; one inside it would cut it short. */
  while (n > 0 && bmp[2 * n - 2] == 0 && bmp[2 * n - 1] == 0)
    n--;

  units = g_new (gunichar2, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      units[i] = (bmp[2 * i] << 8) | bmp[2 * i + 1];
      if (units[i] == 0)
        return NULL;
    }

  return g_utf16_to_utf8 (units, n, NULL, NULL, NULL);
}

guchar *
_gh_utf8_to_bmp (const char *utf8,
                 gsize      *length)
{
  g_autofree gunichar2 *units = NULL;
  glong n = 0;
  guchar *bmp;

  units = g_utf8_to_utf16 (utf8, -1, NULL, &n, NULL);
  if (units == NULL)
    return NULL;

  bmp = g_malloc (2 * n + 2);
  for (glong i = 0; i < n; i++)
    {
      bmp[2 * i] = units[i] >> 8;
      bmp[2 * i + 1] = units[i] & 0xff;
    }
  *length = 2 * n;
  return bmp;
}

/* Key derivation */

static gboolean
hash_for_digest_oid (const GhDer               *oid,
                     gnutls_digest_algorithm_t *digest,
                     gnutls_mac_algorithm_t    *mac)
{
  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    {
      if (_gh_der_equal (oid, hashes[i].digest_oid, hashes[i].digest_oid_size))
        {
          *digest = hashes[i].digest;
          *mac = hashes[i].mac;
          return TRUE;
        }
    }
  return FALSE;
}

static void
wipe_free (guchar *data,
           gsize   length)
{
  if (data != NULL)
    gnutls_memset (data, 0, length);
  g_free (data);
}

/* RFC 7292 B.2: @id 1 derives a key, 2 an IV, 3 a MAC key. The password is its
 * BMPString with a terminating NUL; no password is no bytes at all. */
static gboolean
pkcs12_kdf (gnutls_digest_algorithm_t  digest,
            guchar                     id,
            const GhDer               *salt,
            const char                *password,
            guint64                    iterations,
            guchar                    *out,
            gsize                      size)
{
  gsize u = gnutls_hash_get_len (digest);
  gsize v = (digest == GNUTLS_DIG_SHA384 || digest == GNUTLS_DIG_SHA512) ? 128 : 64;
  guchar *bmp = NULL, *input = NULL;
  gsize bmp_length = 0, s_length, p_length, done = 0;
  guchar a[64], b[128], d[128];
  gnutls_hash_hd_t hash = NULL;
  gboolean ok = FALSE;

  if (iterations == 0 || iterations > MAX_ITERATIONS || u == 0 || u > sizeof a)
    return FALSE;

  if (password != NULL)
    {
      if ((bmp = _gh_utf8_to_bmp (password, &bmp_length)) == NULL)
        return FALSE;
      bmp[bmp_length++] = 0;
      bmp[bmp_length++] = 0;
    }

  s_length = v * ((salt->size + v - 1) / v);
  p_length = v * ((bmp_length + v - 1) / v);
  input = g_malloc (s_length + p_length + 1);
  for (gsize i = 0; i < s_length; i++)
    input[i] = salt->data[i % salt->size];
  for (gsize i = 0; i < p_length; i++)
    input[s_length + i] = bmp[i % bmp_length];
  memset (d, id, v);

  if (gnutls_hash_init (&hash, digest) < 0)
    goto out;

  for (;;)
    {
      gsize take;

      if (gnutls_hash (hash, d, v) < 0 || gnutls_hash (hash, input, s_length + p_length) < 0)
        goto out;
      gnutls_hash_output (hash, a);
      for (guint64 i = 1; i < iterations; i++)
        {
          if (gnutls_hash (hash, a, u) < 0)
            goto out;
          gnutls_hash_output (hash, a);
        }

      take = MIN (u, size - done);
      memcpy (out + done, a, take);
      done += take;
      if (done == size)
        break;

      /* I_j = (I_j + B + 1) mod 2^(8v), for each v-byte block of I. */
      for (gsize i = 0; i < v; i++)
        b[i] = a[i % u];
      for (gsize j = 0; j < s_length + p_length; j += v)
        {
          guint carry = 1;

          for (gsize i = v; i > 0; i--)
            {
              carry += input[j + i - 1] + b[i - 1];
              input[j + i - 1] = carry & 0xff;
              carry >>= 8;
            }
        }
    }
  ok = TRUE;

out:
  if (hash != NULL)
    gnutls_hash_deinit (hash, NULL);
  gnutls_memset (a, 0, sizeof a);
  gnutls_memset (b, 0, sizeof b);
  wipe_free (input, s_length + p_length + 1);
  wipe_free (bmp, bmp_length);
  return ok;
}

/* Encryption */

typedef struct {
  gnutls_cipher_algorithm_t cipher;
  guchar                    key[32];
  guchar                    iv[16];
  gsize                     key_size;
  gsize                     iv_size;
} Cipher;

static void
cipher_clear (Cipher *cipher)
{
  gnutls_memset (cipher, 0, sizeof *cipher);
}

/* PBES2-params: PBKDF2 with its salt, count and PRF; the cipher with its IV. */
static gboolean
pbes2_cipher (GhDer      *params,
              const char *password,
              Cipher     *cipher,
              gboolean   *unsupported)
{
  GhDer seq, kdf, kdf_params, kdf_oid, salt, scheme, scheme_oid, iv;
  gnutls_mac_algorithm_t prf = GNUTLS_MAC_SHA1;
  guint64 iterations = 0, key_length = 0;
  gnutls_datum_t secret = { (guchar *) (password ? password : ""), password ? strlen (password) : 0 };
  gnutls_datum_t salt_datum;

  if (!_gh_der_read_tag (params, 0x30, &seq) ||
      !_gh_der_read_tag (&seq, 0x30, &kdf) ||
      !_gh_der_read_tag (&kdf, 0x06, &kdf_oid) ||
      !_gh_der_read_tag (&kdf, 0x30, &kdf_params) ||
      !_gh_der_read_tag (&seq, 0x30, &scheme) ||
      !_gh_der_read_tag (&scheme, 0x06, &scheme_oid))
    return FALSE;
  if (!_GH_DER_IS (&kdf_oid, OID_PBKDF2))
    return (*unsupported = TRUE, FALSE);

  if (!_gh_der_read_tag (&kdf_params, 0x04, &salt) || salt.size == 0 ||
      !_gh_der_read_uint (&kdf_params, &iterations))
    return FALSE;
  if (kdf_params.size > 0 && kdf_params.data[0] == 0x02 && !_gh_der_read_uint (&kdf_params, &key_length))
    return FALSE;
  if (kdf_params.size > 0)
    {
      GhDer prf_seq, prf_oid;
      gboolean known = FALSE;

      if (!_gh_der_read_tag (&kdf_params, 0x30, &prf_seq) || !_gh_der_read_tag (&prf_seq, 0x06, &prf_oid))
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (hashes) && !known; i++)
        if (_gh_der_equal (&prf_oid, hashes[i].hmac_oid, sizeof hashes[i].hmac_oid))
          {
            prf = hashes[i].mac;
            known = TRUE;
          }
      if (!known)
        return (*unsupported = TRUE, FALSE);
    }

  if (_GH_DER_IS (&scheme_oid, OID_AES_128_CBC))
    *cipher = (Cipher) { .cipher = GNUTLS_CIPHER_AES_128_CBC, .key_size = 16, .iv_size = 16 };
  else if (_GH_DER_IS (&scheme_oid, OID_AES_192_CBC))
    *cipher = (Cipher) { .cipher = GNUTLS_CIPHER_AES_192_CBC, .key_size = 24, .iv_size = 16 };
  else if (_GH_DER_IS (&scheme_oid, OID_AES_256_CBC))
    *cipher = (Cipher) { .cipher = GNUTLS_CIPHER_AES_256_CBC, .key_size = 32, .iv_size = 16 };
  else if (_GH_DER_IS (&scheme_oid, OID_DES_EDE3_CBC))
    *cipher = (Cipher) { .cipher = GNUTLS_CIPHER_3DES_CBC, .key_size = 24, .iv_size = 8 };
  else
    return (*unsupported = TRUE, FALSE);

  if ((key_length != 0 && key_length != cipher->key_size) ||
      !_gh_der_read_tag (&scheme, 0x04, &iv) || iv.size != cipher->iv_size ||
      iterations == 0 || iterations > MAX_ITERATIONS)
    return FALSE;
  memcpy (cipher->iv, iv.data, iv.size);

  salt_datum = (gnutls_datum_t) { (guchar *) salt.data, salt.size };
  return gnutls_pbkdf2 (prf, &secret, &salt_datum, iterations, cipher->key, cipher->key_size) >= 0;
}

static gboolean
pkcs12_pbe_derive (const GhDer *salt,
                   guint64      iterations,
                   const char  *password,
                   Cipher      *cipher)
{
  return pkcs12_kdf (GNUTLS_DIG_SHA1, 1, salt, password, iterations, cipher->key, cipher->key_size) &&
         pkcs12_kdf (GNUTLS_DIG_SHA1, 2, salt, password, iterations, cipher->iv, cipher->iv_size);
}

/* pkcs-12PbeParams: the salt and count of PKCS#12's own derivation. */
static gboolean
pkcs12_pbe_cipher (GhDer      *params,
                   const char *password,
                   Cipher     *cipher)
{
  GhDer seq, salt;
  guint64 iterations = 0;

  if (!_gh_der_read_tag (params, 0x30, &seq) ||
      !_gh_der_read_tag (&seq, 0x04, &salt) || salt.size == 0 ||
      !_gh_der_read_uint (&seq, &iterations))
    return FALSE;

  return pkcs12_pbe_derive (&salt, iterations, password, cipher);
}

GBytes *
_gh_pkcs12_decrypt (const GhDer *algorithm,
                    const GhDer *ciphertext,
                    const char  *password,
                    gboolean    *unsupported)
{
  GhDer in = *algorithm, seq, oid;
  Cipher cipher = { 0 };
  gnutls_cipher_hd_t handle = NULL;
  gnutls_datum_t key, iv;
  guchar *plain = NULL;
  gsize block, pad;
  gboolean ok;

  *unsupported = FALSE;
  if (!_gh_der_read_tag (&in, 0x30, &seq) || !_gh_der_read_tag (&seq, 0x06, &oid))
    return NULL;

  if (_GH_DER_IS (&oid, OID_PBES2))
    {
      ok = pbes2_cipher (&seq, password, &cipher, unsupported);
    }
  else if (_GH_DER_IS (&oid, OID_PBE_SHA_3DES))
    {
      cipher = (Cipher) { .cipher = GNUTLS_CIPHER_3DES_CBC, .key_size = 24, .iv_size = 8 };
      ok = pkcs12_pbe_cipher (&seq, password, &cipher);
    }
  else if (_GH_DER_IS (&oid, OID_PBE_SHA_RC2_40))
    {
      cipher = (Cipher) { .cipher = GNUTLS_CIPHER_RC2_40_CBC, .key_size = 5, .iv_size = 8 };
      ok = pkcs12_pbe_cipher (&seq, password, &cipher);
    }
  else
    {
      *unsupported = TRUE;
      return NULL;
    }

  block = cipher.iv_size;
  key = (gnutls_datum_t) { cipher.key, cipher.key_size };
  iv = (gnutls_datum_t) { cipher.iv, cipher.iv_size };
  if (!ok || ciphertext->size == 0 || ciphertext->size % block != 0)
    {
      cipher_clear (&cipher);
      return NULL;
    }
  if (gnutls_cipher_init (&handle, cipher.cipher, &key, &iv) < 0)
    {
      cipher_clear (&cipher);
      *unsupported = TRUE;
      return NULL;
    }

  plain = g_malloc (ciphertext->size);
  ok = gnutls_cipher_decrypt2 (handle, ciphertext->data, ciphertext->size, plain, ciphertext->size) >= 0;
  gnutls_cipher_deinit (handle);
  cipher_clear (&cipher);

  /* PKCS#7 padding: a wrong password shows here (or, rarely, in the DER after). */
  pad = ok ? plain[ciphertext->size - 1] : 0;
  ok = ok && pad >= 1 && pad <= block;
  for (gsize i = 0; ok && i < pad; i++)
    ok = plain[ciphertext->size - 1 - i] == pad;
  if (!ok)
    {
      wipe_free (plain, ciphertext->size);
      return NULL;
    }

  return g_bytes_new_with_free_func (plain, ciphertext->size - pad, g_free, plain);
}

static void
append_oid (GByteArray   *out,
            const guchar *oid,
            gsize         length)
{
  _gh_der_append (out, 0x06, oid, length);
}

gboolean
_gh_pkcs12_encrypt (GByteArray   *out,
                    const guchar *plain,
                    gsize         length,
                    const char   *password,
                    gboolean      modern,
                    guchar        content_tag)
{
  Cipher cipher = { 0 };
  guchar salt[16];
  gsize salt_size = modern ? 16 : 8;
  gnutls_cipher_hd_t handle = NULL;
  gnutls_datum_t key, iv;
  gsize algorithm, params, padded, start;
  GhDer salt_der = { salt, salt_size };
  gboolean ok;

  if (gnutls_rnd (GNUTLS_RND_NONCE, salt, salt_size) < 0)
    return FALSE;

  algorithm = _gh_der_begin (out);
  if (modern)
    {
      gnutls_datum_t secret = { (guchar *) password, strlen (password) };
      gnutls_datum_t salt_datum = { salt, salt_size };
      gsize kdf, scheme, prf;

      cipher = (Cipher) { .cipher = GNUTLS_CIPHER_AES_256_CBC, .key_size = 32, .iv_size = 16 };
      if (gnutls_rnd (GNUTLS_RND_NONCE, cipher.iv, cipher.iv_size) < 0 ||
          gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &secret, &salt_datum, GH_PKCS12_ITERATIONS,
                         cipher.key, cipher.key_size) < 0)
        return FALSE;

      append_oid (out, OID_PBES2, sizeof OID_PBES2);
      params = _gh_der_begin (out);
      kdf = _gh_der_begin (out);
      append_oid (out, OID_PBKDF2, sizeof OID_PBKDF2);
      start = _gh_der_begin (out);
      _gh_der_append (out, 0x04, salt, salt_size);
      _gh_der_append_uint (out, GH_PKCS12_ITERATIONS);
      prf = _gh_der_begin (out);
      append_oid (out, hashes[2].hmac_oid, sizeof hashes[2].hmac_oid);
      _gh_der_append (out, 0x05, NULL, 0);
      _gh_der_end (out, 0x30, prf);
      _gh_der_end (out, 0x30, start);
      _gh_der_end (out, 0x30, kdf);
      scheme = _gh_der_begin (out);
      append_oid (out, OID_AES_256_CBC, sizeof OID_AES_256_CBC);
      _gh_der_append (out, 0x04, cipher.iv, cipher.iv_size);
      _gh_der_end (out, 0x30, scheme);
      _gh_der_end (out, 0x30, params);
    }
  else
    {
      cipher = (Cipher) { .cipher = GNUTLS_CIPHER_3DES_CBC, .key_size = 24, .iv_size = 8 };
      if (!pkcs12_pbe_derive (&salt_der, GH_PKCS12_ITERATIONS, password, &cipher))
        return FALSE;

      append_oid (out, OID_PBE_SHA_3DES, sizeof OID_PBE_SHA_3DES);
      params = _gh_der_begin (out);
      _gh_der_append (out, 0x04, salt, salt_size);
      _gh_der_append_uint (out, GH_PKCS12_ITERATIONS);
      _gh_der_end (out, 0x30, params);
    }
  _gh_der_end (out, 0x30, algorithm);

  key = (gnutls_datum_t) { cipher.key, cipher.key_size };
  iv = (gnutls_datum_t) { cipher.iv, cipher.iv_size };
  padded = length + cipher.iv_size - length % cipher.iv_size;
  start = _gh_der_begin (out);
  g_byte_array_append (out, plain, length);
  for (gsize i = length; i < padded; i++)
    g_byte_array_append (out, (guchar[]) { padded - length }, 1);

  ok = gnutls_cipher_init (&handle, cipher.cipher, &key, &iv) >= 0;
  ok = ok && gnutls_cipher_encrypt (handle, out->data + start, padded) >= 0;
  if (handle != NULL)
    gnutls_cipher_deinit (handle);
  cipher_clear (&cipher);
  _gh_der_end (out, content_tag, start);

  return ok;
}

/* MAC */

gboolean
_gh_pkcs12_check_mac (const GhDer *mac_data,
                      const GhDer *content,
                      const char  *password,
                      gboolean    *unsupported)
{
  GhDer in = *mac_data, seq, digest_info, algorithm, oid, digest, salt;
  gnutls_digest_algorithm_t hash;
  gnutls_mac_algorithm_t mac;
  guint64 iterations = 1;
  guchar key[64], computed[64];
  guchar diff = 0;
  gsize size;

  *unsupported = FALSE;
  if (!_gh_der_read_tag (&in, 0x30, &seq) ||
      !_gh_der_read_tag (&seq, 0x30, &digest_info) ||
      !_gh_der_read_tag (&digest_info, 0x30, &algorithm) ||
      !_gh_der_read_tag (&algorithm, 0x06, &oid) ||
      !_gh_der_read_tag (&digest_info, 0x04, &digest) ||
      !_gh_der_read_tag (&seq, 0x04, &salt) ||
      (seq.size > 0 && !_gh_der_read_uint (&seq, &iterations)))
    return (*unsupported = TRUE, FALSE);
  if (!hash_for_digest_oid (&oid, &hash, &mac) || salt.size == 0)
    return (*unsupported = TRUE, FALSE);

  size = gnutls_hash_get_len (hash);
  if (digest.size != size)
    return FALSE;
  if (!pkcs12_kdf (hash, 3, &salt, password, iterations, key, size) ||
      gnutls_hmac_fast (mac, key, size, content->data, content->size, computed) < 0)
    {
      gnutls_memset (key, 0, sizeof key);
      return (*unsupported = iterations <= MAX_ITERATIONS, FALSE);
    }
  gnutls_memset (key, 0, sizeof key);

  for (gsize i = 0; i < size; i++)
    diff |= computed[i] ^ digest.data[i];
  return diff == 0;
}

gboolean
_gh_pkcs12_append_mac (GByteArray   *out,
                       const guchar *content,
                       gsize         length,
                       const char   *password,
                       gboolean      sha256)
{
  guint h = sha256 ? 2 : 0;
  gsize size = gnutls_hash_get_len (hashes[h].digest);
  guchar salt[16], key[64], digest[64];
  GhDer salt_der = { salt, sizeof salt };
  gsize mac_data, digest_info, algorithm;
  gboolean ok;

  ok = gnutls_rnd (GNUTLS_RND_NONCE, salt, sizeof salt) >= 0 &&
       pkcs12_kdf (hashes[h].digest, 3, &salt_der, password, GH_PKCS12_ITERATIONS, key, size) &&
       gnutls_hmac_fast (hashes[h].mac, key, size, content, length, digest) >= 0;
  gnutls_memset (key, 0, sizeof key);
  if (!ok)
    return FALSE;

  mac_data = _gh_der_begin (out);
  digest_info = _gh_der_begin (out);
  algorithm = _gh_der_begin (out);
  append_oid (out, hashes[h].digest_oid, hashes[h].digest_oid_size);
  _gh_der_append (out, 0x05, NULL, 0);
  _gh_der_end (out, 0x30, algorithm);
  _gh_der_append (out, 0x04, digest, size);
  _gh_der_end (out, 0x30, digest_info);
  _gh_der_append (out, 0x04, salt, sizeof salt);
  _gh_der_append_uint (out, GH_PKCS12_ITERATIONS);
  _gh_der_end (out, 0x30, mac_data);

  return TRUE;
}
