/* gh-api-key-upload.h — what an import sends to a gateway: where each entry goes, and
 * the body of a key entry's upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-api-cert-entry.h"
#include "gh-keystore-entry.h"

G_BEGIN_DECLS

/* A key entry goes to the keystore (POST /keystore); a certificate alone to the
 * truststore (POST /truststore), as an authority the gateway trusts. */
GhApiCertStore  gh_api_import_destination (GhKeystoreEntry *entry);
/* POST /keystore's PEM for a key entry: its private key (plain PKCS#8) and its chain,
 * leaf first, whatever the format it was read from. The bytes are wiped when freed. */
GBytes         *gh_api_key_upload_pem     (GhKeystoreEntry *entry,
                                           GError         **error);
/* The entry's chain alone as PEM, leaf first: what POST /config/preview takes for a
 * rotate about to be made (the key stays here). */
char           *gh_api_key_upload_chain_pem (GhKeystoreEntry *entry);

G_END_DECLS
