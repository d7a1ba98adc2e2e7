/* gh-api-crl.h — one revocation list of the gateway's truststore, as GET
 * /truststore/crls gives it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_TYPE_API_CRL (gh_api_crl_get_type ())

G_DECLARE_FINAL_TYPE (GhApiCrl, gh_api_crl, GH, API_CRL, GObject)

/* {"id", "issuer", "this_update", "next_update", "revoked", "revoked_serials",
 *  "verified_by", "pem"} */
GhApiCrl    *gh_api_crl_new_from_json       (JsonNode  *node,
                                             GError   **error);
/* The SHA-256 of its DER: what DELETE /truststore/crls/{id} takes. */
const char  *gh_api_crl_get_id              (GhApiCrl  *self);
const char  *gh_api_crl_get_issuer          (GhApiCrl  *self);  /* nullable */
GDateTime   *gh_api_crl_get_this_update     (GhApiCrl  *self);  /* nullable */
GDateTime   *gh_api_crl_get_next_update     (GhApiCrl  *self);  /* nullable */
gint64       gh_api_crl_get_n_revoked       (GhApiCrl  *self);
/* Hex serial numbers, the first 1,000 at most; never NULL. */
const char * const *gh_api_crl_get_revoked_serials (GhApiCrl *self);
/* The truststore entry that signed it, or NULL (an intermediate's list). */
const char  *gh_api_crl_get_verified_by     (GhApiCrl  *self);
const char  *gh_api_crl_get_pem             (GhApiCrl  *self);  /* nullable */

G_END_DECLS
