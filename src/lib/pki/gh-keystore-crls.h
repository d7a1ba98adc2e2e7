/* gh-keystore-crls.h — the revocation lists a truststore keeps beside its certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-crl.h"
#include "gh-keystore.h"

G_BEGIN_DECLS

/* (element-type GhCrl): never NULL; a PEM store reads and writes them as its "X509
 * CRL" blocks, a PKCS#12 one has none. */
GPtrArray *gh_keystore_get_crls    (GhKeystore  *self);
/* Replaces the lists with @crls (copied; NULL for none). */
void       gh_keystore_set_crls    (GhKeystore  *self,
                                    GPtrArray   *crls);
/* The list with that id (gh_crl_get_sha256_fingerprint()), or NULL. */
GhCrl     *gh_keystore_lookup_crl  (GhKeystore  *self,
                                    const char  *id);
/* @crls (element-type GhCrl) as PEM blocks, for the store's file. */
void       _gh_keystore_append_crls_pem (GString   *text,
                                         GPtrArray *crls);

G_END_DECLS
