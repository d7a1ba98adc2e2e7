/* gh-pkcs12-private.h — PKCS#12 as bytes: the DER of its structures and the crypto
 * of its bags and MAC (gh-pkcs12-codec.c)
 *
 * The keystore reads and writes PKCS#12 through these instead of GnuTLS's
 * gnutls_pkcs12_* API because that API decrypts each SafeContents whole (at most 32
 * bags of it), writes a friendlyName byte by byte instead of as a BMPString, and
 * cannot hand a shrouded key bag back as the bytes it was read from. Only the
 * primitives (PBKDF2, ciphers, HMAC, PKCS#8 keys) come from GnuTLS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-pki-private.h"

G_BEGIN_DECLS

/* The iteration count of every key derivation Gatehouse writes (certificates' bag,
 * MAC), as GnuTLS uses for each key it encrypts. */
#define GH_PKCS12_ITERATIONS 600000

/* DER reading: one TLV at a time from a slice. Definite lengths only. */
typedef struct {
  const guchar *data;
  gsize         size;
} GhDer;

typedef struct {
  guchar        tag;
  const guchar *start;   /* header included */
  gsize         total;
  GhDer         value;
} GhDerTlv;

gboolean  _gh_der_read        (GhDer          *in,
                               GhDerTlv       *tlv);
/* DER and nothing looser: minimal lengths too. */
gboolean  _gh_der_read_strict (GhDer          *in,
                               GhDerTlv       *tlv);
gboolean  _gh_der_read_tag    (GhDer          *in,
                               guchar          tag,
                               GhDer          *value);
gboolean  _gh_der_read_uint   (GhDer          *in,
                               guint64        *number);
gboolean  _gh_der_equal       (const GhDer    *der,
                               const guchar   *bytes,
                               gsize           length);
#define _GH_DER_IS(der, oid) _gh_der_equal ((der), (oid), sizeof (oid))

/* DER writing: _gh_der_begin() remembers where a value starts, _gh_der_end() puts
 * the tag and length in front of everything written since. */
gsize     _gh_der_begin       (GByteArray     *out);
void      _gh_der_end         (GByteArray     *out,
                               guchar          tag,
                               gsize           start);
void      _gh_der_append      (GByteArray     *out,
                               guchar          tag,
                               const guchar   *value,
                               gsize           length);
void      _gh_der_append_uint (GByteArray     *out,
                               guint64         number);

/* OIDs, as the bytes of their DER value. */
extern const guchar GH_OID_DATA[9];
extern const guchar GH_OID_ENCRYPTED_DATA[9];
extern const guchar GH_OID_KEY_BAG[11];
extern const guchar GH_OID_SHROUDED_KEY_BAG[11];
extern const guchar GH_OID_CERT_BAG[11];
extern const guchar GH_OID_X509_CERTIFICATE[10];
extern const guchar GH_OID_FRIENDLY_NAME[9];
extern const guchar GH_OID_LOCAL_KEY_ID[9];
extern const guchar GH_OID_JAVA_TRUSTED_KEY_USAGE[12];
extern const guchar GH_OID_ANY_EXTENDED_KEY_USAGE[4];

/* BMPString (UTF-16 big endian) ↔ UTF-8; NULL when it is not valid. */
char     *_gh_bmp_to_utf8     (const guchar   *bmp,
                               gsize           length);
guchar   *_gh_utf8_to_bmp     (const char     *utf8,
                               gsize          *length);

/* Encrypted content: @algorithm is an AlgorithmIdentifier (PBES2, or PKCS#12's
 * pbeWithSHAAnd3-KeyTripleDES-CBC / 40BitRC2-CBC). Returns the plain text, or NULL:
 * @unsupported says whether it is an algorithm this code does not do (the caller may
 * then hand the file to GnuTLS) rather than a wrong password or broken data. */
GBytes   *_gh_pkcs12_decrypt  (const GhDer    *algorithm,
                               const GhDer    *ciphertext,
                               const char     *password,
                               gboolean       *unsupported);
/* Appends an AlgorithmIdentifier and then the encrypted content (an OCTET STRING,
 * tagged @content_tag), with a fresh salt and IV: PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC) when @modern, else pbeWithSHAAnd3-KeyTripleDES-CBC. */
gboolean  _gh_pkcs12_encrypt  (GByteArray     *out,
                               const guchar   *plain,
                               gsize           length,
                               const char     *password,
                               gboolean        modern,
                               guchar          content_tag);

/* The MAC over @content (the AuthenticatedSafe's bytes). _gh_pkcs12_check_mac()
 * says FALSE for a wrong password and sets @unsupported for a MAC it cannot compute. */
gboolean  _gh_pkcs12_check_mac (const GhDer   *mac_data,
                                const GhDer   *content,
                                const char    *password,
                                gboolean      *unsupported);
gboolean  _gh_pkcs12_append_mac (GByteArray   *out,
                                 const guchar *content,
                                 gsize         length,
                                 const char   *password,
                                 gboolean      sha256);

G_END_DECLS
