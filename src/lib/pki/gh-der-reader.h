/* gh-der-reader.h — the fields a keystore list shows, read from a certificate's DER
 *
 * Private to src/lib/pki (and its tests). See gh-der-reader.c for why it exists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-pkcs12-private.h"

G_BEGIN_DECLS

/* A certificate's parts, as slices of the DER it was read from (which must outlive
 * it). Names are whole Name TLVs (what GnuTLS compares as the "raw" DN). */
typedef struct {
  guint    version;            /* 1, 2 or 3 */
  GhDer    serial;             /* the INTEGER's content bytes */
  GhDer    signature_oid;      /* OID content bytes */
  gboolean signature_has_params;
  GhDer    issuer;
  GhDer    subject;
  gint64   not_before;         /* seconds since the epoch, UTC */
  gint64   not_after;
  GhDer    spki;               /* the whole SubjectPublicKeyInfo TLV */
  GhDer    key_oid;            /* OID content bytes */
  GhDerTlv key_params;         /* tag 0 when absent */
  GhDer    key;                /* the BIT STRING's bits (unused-bits byte skipped) */
  GhDer    subject_alt_name;   /* the extensions' values (inside their OCTET STRING), */
  GhDer    subject_key_id;     /*   size 0 when absent; key ids are the key */
  GhDer    authority_key_id;   /*   identifier's bytes */
  gboolean has_authority_key_id;
  gboolean has_subject_key_id;
} GhDerCertificate;

/* Walks the whole certificate, strictly (DER, definite and minimal lengths, nothing
 * after it). FALSE for anything it does not read, which is not to say the
 * certificate is broken: the caller then asks GnuTLS. */
gboolean  _gh_der_certificate_parse  (const guchar           *data,
                                      gsize                   length,
                                      GhDerCertificate       *cert);

/* Each returns FALSE (and nothing) where its answer could differ from GnuTLS's:
 * an attribute, string type or character it does not format, a key or signature
 * algorithm it does not know. */

/* RFC 4514, the last RDN first, as gnutls_x509_crt_get_dn3 (…, 0). */
gboolean  _gh_der_name_to_string     (const GhDer            *name,
                                      char                  **string);
/* The first common name (in encoding order), or NULL when there is none. */
gboolean  _gh_der_name_get_cn        (const GhDer            *name,
                                      char                  **cn);
gboolean  _gh_der_read_alt_names     (const GhDer            *extension,
                                      GStrv                  *dns_names,
                                      GStrv                  *ip_addresses,
                                      GStrv                  *emails);
/* "RSA", "ECDSA P-256", … and the bits GnuTLS gives. TRUE also means that the SPKI
 * is encoded as GnuTLS encodes the key again, so that its SHA-256 is GnuTLS's key id. */
gboolean  _gh_der_certificate_key    (const GhDerCertificate *cert,
                                      char                  **algorithm,
                                      guint                  *bits);
gboolean  _gh_der_certificate_signature (const GhDerCertificate *cert,
                                         gnutls_sign_algorithm_t *sign);

/* What a list shows of a certificate (gh-certificate.c's "names" group), all of it
 * or nothing: FALSE when any one field needs GnuTLS. */
typedef struct {
  char       *subject;
  char       *issuer;
  char       *display_name;
  char       *serial;
  guint       version;
  GDateTime  *not_before;
  GDateTime  *not_after;
  GStrv       dns_names;
  GStrv       ip_addresses;
  GStrv       emails;
  char       *key_algorithm;
  guint       key_bits;
  char       *signature_algorithm;
  gboolean    weak_signature;
  gboolean    self_issued;
} GhDerListFields;

gboolean  _gh_der_certificate_list_fields (const GhDerCertificate *cert,
                                           GhDerListFields        *fields);
void      _gh_der_list_fields_clear  (GhDerListFields        *fields);

/* A GHashFunc for a certificate's DER (GBytes): its length and last bytes, which are
 * its signature's, instead of every byte as g_bytes_hash() reads them. */
guint     _gh_der_bytes_hash         (gconstpointer           bytes);

/* Dotted decimal, or NULL when it is no valid OID. */
char     *_gh_der_oid_to_string      (const GhDer            *oid);

G_END_DECLS
