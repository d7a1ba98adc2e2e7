/* gh-certificate.h — an X.509 certificate and every field a details view needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_TYPE_CERTIFICATE (gh_certificate_get_type ())

G_DECLARE_FINAL_TYPE (GhCertificate, gh_certificate, GH, CERTIFICATE, GObject)

/* X.509 key usage bits, as GnuTLS numbers them (GNUTLS_KEY_*). */
typedef enum {
  GH_KEY_USAGE_DIGITAL_SIGNATURE = 128,
  GH_KEY_USAGE_NON_REPUDIATION   = 64,
  GH_KEY_USAGE_KEY_ENCIPHERMENT  = 32,
  GH_KEY_USAGE_DATA_ENCIPHERMENT = 16,
  GH_KEY_USAGE_KEY_AGREEMENT     = 8,
  GH_KEY_USAGE_KEY_CERT_SIGN     = 4,
  GH_KEY_USAGE_CRL_SIGN          = 2,
  GH_KEY_USAGE_ENCIPHER_ONLY     = 1,
  GH_KEY_USAGE_DECIPHER_ONLY     = 32768,
} GhKeyUsage;

#define GH_EKU_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define GH_EKU_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"

GhCertificate *gh_certificate_new_from_der          (GBytes         *der,
                                                     GError        **error);
GhCertificate *gh_certificate_new_from_pem          (const char     *pem,
                                                     gssize          length,
                                                     GError        **error);
GPtrArray     *gh_certificate_list_from_pem         (const char     *pem,
                                                     gssize          length,
                                                     GError        **error);

GBytes        *gh_certificate_get_der               (GhCertificate  *self);
char          *gh_certificate_to_pem                (GhCertificate  *self);

const char    *gh_certificate_get_subject           (GhCertificate  *self);
const char    *gh_certificate_get_issuer            (GhCertificate  *self);
char          *gh_certificate_get_subject_field     (GhCertificate  *self,
                                                     const char     *oid_or_name);
char          *gh_certificate_get_issuer_field      (GhCertificate  *self,
                                                     const char     *oid_or_name);
const char    *gh_certificate_get_display_name      (GhCertificate  *self);
const char    *gh_certificate_get_serial            (GhCertificate  *self);
guint          gh_certificate_get_version           (GhCertificate  *self);
GDateTime     *gh_certificate_get_not_before        (GhCertificate  *self);
GDateTime     *gh_certificate_get_not_after         (GhCertificate  *self);
const char * const *gh_certificate_get_dns_names    (GhCertificate  *self);
const char * const *gh_certificate_get_ip_addresses (GhCertificate  *self);
const char * const *gh_certificate_get_emails       (GhCertificate  *self);
const char    *gh_certificate_get_key_algorithm     (GhCertificate  *self);
guint          gh_certificate_get_key_bits          (GhCertificate  *self);
const char    *gh_certificate_get_signature_algorithm (GhCertificate *self);
gboolean       gh_certificate_has_weak_signature    (GhCertificate  *self);
const char    *gh_certificate_get_sha256_fingerprint (GhCertificate *self);
const char    *gh_certificate_get_sha1_fingerprint  (GhCertificate  *self);
const char    *gh_certificate_get_public_key_id     (GhCertificate  *self);
guint          gh_certificate_get_key_usage         (GhCertificate  *self);
gboolean       gh_certificate_has_key_usage         (GhCertificate  *self);
const char * const *gh_certificate_get_extended_key_usage (GhCertificate *self);
gboolean       gh_certificate_is_ca                 (GhCertificate  *self);
int            gh_certificate_get_path_length       (GhCertificate  *self);
const char    *gh_certificate_get_subject_key_id    (GhCertificate  *self);
const char    *gh_certificate_get_authority_key_id  (GhCertificate  *self);
gboolean       gh_certificate_is_self_issued        (GhCertificate  *self);
gboolean       gh_certificate_is_self_signed        (GhCertificate  *self);
gboolean       gh_certificate_is_issued_by          (GhCertificate  *self,
                                                     GhCertificate  *issuer);
gboolean       gh_certificate_matches_host          (GhCertificate  *self,
                                                     const char     *hostname);
gboolean       gh_certificate_equal                 (GhCertificate  *self,
                                                     GhCertificate  *other);
JsonNode      *gh_certificate_to_json               (GhCertificate  *self);

G_END_DECLS
