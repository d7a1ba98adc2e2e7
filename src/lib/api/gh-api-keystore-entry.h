/* gh-api-keystore-entry.h — the gateway's keystore and truststore entries as the admin
 * API describes them: by their certificates only, never a key
 *
 * The certificates are rebuilt from each certificate's "pem" member, so that every
 * field GhCertificate has is there, computed here rather than trusted from the wire.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

typedef enum {
  GH_API_KEYSTORE_ENTRY_KEY,      /* a private key (write-only) and its chain */
  GH_API_KEYSTORE_ENTRY_TRUSTED,  /* a trusted certificate */
} GhApiKeystoreEntryKind;

/* A certificate of the API ({"subject", …, "pem"}), from its PEM. */
GhCertificate *gh_api_certificate_new_from_json (JsonNode    *node,
                                                 GError     **error);
/* A JSON array of certificates, as a GPtrArray of GhCertificate. */
GPtrArray     *gh_api_certificate_list_from_json (JsonNode   *node,
                                                  GError    **error);

#define GH_TYPE_API_KEYSTORE_ENTRY (gh_api_keystore_entry_get_type ())

G_DECLARE_FINAL_TYPE (GhApiKeystoreEntry, gh_api_keystore_entry, GH, API_KEYSTORE_ENTRY, GObject)

GhApiKeystoreEntry     *gh_api_keystore_entry_new_from_json  (JsonNode           *node,
                                                              GError            **error);
const char             *gh_api_keystore_entry_get_alias      (GhApiKeystoreEntry *self);
GhApiKeystoreEntryKind  gh_api_keystore_entry_get_kind       (GhApiKeystoreEntry *self);
/* Of GhCertificate, leaf first; never NULL, may be empty. */
GPtrArray              *gh_api_keystore_entry_get_chain      (GhApiKeystoreEntry *self);
/* The first certificate of the chain, or NULL. */
GhCertificate          *gh_api_keystore_entry_get_certificate (GhApiKeystoreEntry *self);

#define GH_TYPE_API_TRUSTSTORE_ENTRY (gh_api_truststore_entry_get_type ())

G_DECLARE_FINAL_TYPE (GhApiTruststoreEntry, gh_api_truststore_entry, GH, API_TRUSTSTORE_ENTRY, GObject)

GhApiTruststoreEntry   *gh_api_truststore_entry_new_from_json   (JsonNode             *node,
                                                                 GError              **error);
const char             *gh_api_truststore_entry_get_alias       (GhApiTruststoreEntry *self);
GhCertificate          *gh_api_truststore_entry_get_certificate (GhApiTruststoreEntry *self);

G_END_DECLS
