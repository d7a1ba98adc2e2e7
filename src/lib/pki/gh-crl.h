/* gh-crl.h — a certificate revocation list, as the truststore keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

#define GH_TYPE_CRL (gh_crl_get_type ())

G_DECLARE_FINAL_TYPE (GhCrl, gh_crl, GH, CRL, GObject)

GhCrl      *gh_crl_new_from_der          (GBytes        *der,
                                          GError       **error);
/* Every "X509 CRL" block of @text (other blocks are skipped); fails when one does not
 * parse or when there is none. */
GPtrArray  *gh_crl_list_from_pem         (const char    *text,
                                          gssize         length,
                                          GError       **error);  /* of GhCrl */

GBytes     *gh_crl_get_der               (GhCrl         *self);
char       *gh_crl_to_pem                (GhCrl         *self);
/* The SHA-256 of the DER, as hex with colons: the CRL's id in the admin API. */
const char *gh_crl_get_sha256_fingerprint (GhCrl        *self);
const char *gh_crl_get_issuer            (GhCrl         *self);
GDateTime  *gh_crl_get_this_update       (GhCrl         *self);
GDateTime  *gh_crl_get_next_update       (GhCrl         *self);  /* nullable */
guint       gh_crl_get_n_revoked         (GhCrl         *self);
/* The revoked serial numbers as hex, without colons: "1002". */
GStrv       gh_crl_dup_revoked_serials   (GhCrl         *self);
/* Whether @issuer signed this list (its DN, then the signature). */
gboolean    gh_crl_is_issued_by          (GhCrl         *self,
                                          GhCertificate *issuer);
/* {"id", "issuer", "this_update", "next_update", "revoked", "revoked_serials", "pem"} */
JsonNode   *gh_crl_to_json               (GhCrl         *self);

G_END_DECLS
