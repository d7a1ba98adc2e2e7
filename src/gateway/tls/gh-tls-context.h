/* gh-tls-context.h — how one side of a service does TLS: credentials, priorities,
 * verification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/gnutls.h>

#include "gh-crl.h"
#include "gh-keystore.h"
#include "gh-service-config.h"
#include "gh-tls-identities.h"

G_BEGIN_DECLS

/* TLS 1.2 and 1.3 with GnuTLS's secure suites. */
#define GH_TLS_DEFAULT_PRIORITY "SECURE:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%PROFILE_MEDIUM"

#define GH_TYPE_TLS_SERVER_CONTEXT (gh_tls_server_context_get_type ())
G_DECLARE_FINAL_TYPE (GhTlsServerContext, gh_tls_server_context, GH, TLS_SERVER_CONTEXT, GObject)

GhTlsServerContext *gh_tls_server_context_new          (GhTlsIdentities     *identities,
                                                        const char          *fallback_host,
                                                        const char          *priority,
                                                        GhVerifyClient       verify_client,
                                                        GPtrArray           *client_anchors,
                                                        GError             **error);
GhTlsIdentities    *gh_tls_server_context_get_identities (GhTlsServerContext *self);
const char         *gh_tls_server_context_get_fallback_host (GhTlsServerContext *self);
GhVerifyClient      gh_tls_server_context_get_verify_client (GhTlsServerContext *self);
gnutls_certificate_credentials_t gh_tls_server_context_get_credentials (GhTlsServerContext *self);
gnutls_priority_t   gh_tls_server_context_get_priority (GhTlsServerContext  *self);
/* Before the context serves: revocation lists (of GhCrl) for client certificates. */
gboolean            gh_tls_server_context_add_crls     (GhTlsServerContext  *self,
                                                        GPtrArray           *crls,
                                                        GError             **error);

#define GH_TYPE_TLS_CLIENT_CONTEXT (gh_tls_client_context_get_type ())
G_DECLARE_FINAL_TYPE (GhTlsClientContext, gh_tls_client_context, GH, TLS_CLIENT_CONTEXT, GObject)

GhTlsClientContext *gh_tls_client_context_new          (const char          *priority,
                                                        gboolean             verify,
                                                        GPtrArray           *anchors,
                                                        GhKeystoreEntry     *client_identity,
                                                        GError             **error);
gboolean            gh_tls_client_context_get_verify   (GhTlsClientContext  *self);
gnutls_certificate_credentials_t gh_tls_client_context_get_credentials (GhTlsClientContext *self);
gnutls_priority_t   gh_tls_client_context_get_priority (GhTlsClientContext  *self);
/* Before the context serves: revocation lists (of GhCrl) for the server's chain. */
gboolean            gh_tls_client_context_add_crls     (GhTlsClientContext  *self,
                                                        GPtrArray           *crls,
                                                        GError             **error);

G_END_DECLS
