/* gh-tls-identities.h — the certificates a TLS server can present, chosen by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "gh-keystore.h"

G_BEGIN_DECLS

#define GH_TYPE_TLS_IDENTITIES (gh_tls_identities_get_type ())

G_DECLARE_FINAL_TYPE (GhTlsIdentities, gh_tls_identities, GH, TLS_IDENTITIES, GObject)

typedef struct _GhTlsIdentity GhTlsIdentity;

GhTlsIdentities *gh_tls_identities_new_from_keystore (GhKeystore      *keystore,
                                                      GError         **error);
GhTlsIdentities *gh_tls_identities_new_single        (GhKeystoreEntry *entry,
                                                      GError         **error);
guint            gh_tls_identities_get_n_identities  (GhTlsIdentities *self);

/* The identity for @server_name (SNI), else for @fallback_host; NULL when neither
 * matches. Names match a certificate's DNS names (CN only when it has none), case
 * insensitively, a wildcard standing for exactly one leftmost label. */
GhTlsIdentity   *gh_tls_identities_select            (GhTlsIdentities *self,
                                                      const char      *server_name,
                                                      const char      *fallback_host);

const char      *gh_tls_identity_get_alias           (GhTlsIdentity   *identity);
GhCertificate   *gh_tls_identity_get_certificate     (GhTlsIdentity   *identity);
gnutls_pcert_st *gh_tls_identity_get_pcerts          (GhTlsIdentity   *identity,
                                                      unsigned int    *n_pcerts);
gboolean         gh_tls_identity_open_key            (GhTlsIdentity   *identity,
                                                      GError         **error);
/* Opens every key not yet opened, on all cores; a key that cannot be opened is
 * remembered and logged, and fails only the handshakes that select it. */
void             gh_tls_identities_open_all          (GhTlsIdentities *self);
/* Opens the key on first use; NULL when it cannot be opened. */
gnutls_privkey_t gh_tls_identity_get_privkey         (GhTlsIdentity   *identity);

/* RFC 6125 host matching of one name pattern, exposed for tests and fuzzing. */
gboolean         gh_tls_name_matches                 (const char      *pattern,
                                                      const char      *host);

G_END_DECLS
