/* gh-admin-client.h — the admin API of gatehoused (docs/admin-api.md) on libsoup 3
 *
 * Every request goes over mutual TLS: the client shows the admin identity (a
 * GTlsCertificate with its private key, from a PKCS#12 file) and accepts the server
 * only when the SHA-256 fingerprint of its certificate is the pinned one. No CA is
 * consulted for the admin API. Without a pin nothing is accepted: on first contact,
 * gh_admin_client_probe_async() gives the certificate the server shows, for the user
 * to compare with what `gatehoused init` printed, like SSH.
 *
 * Each endpoint is an _async/_finish pair returning typed objects; a problem+json
 * answer becomes a GH_API_ERROR with the server's detail as its message.
 *
 * Writes take the configuration version they apply to (If-Match): a version N > 0
 * sends "vN", GH_API_VERSION_ANY sends "*", GH_API_VERSION_NONE sends no If-Match
 * (the server then answers precondition-required). Successful writes give the new
 * version in @new_version (may be NULL).
 *
 * Passwords given for uploads are sent in the request body only, never logged, and
 * the copies this client makes are wiped when the request is done (the caller's own
 * string is the caller's to wipe).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-api-audit-entry.h"
#include "gh-api-config-version.h"
#include "gh-api-error.h"
#include "gh-api-info.h"
#include "gh-api-keystore-entry.h"
#include "gh-api-service.h"
#include "gh-api-service-tls.h"
#include "gh-api-session.h"
#include "gh-api-stats.h"
#include "gh-gateway-config.h"

G_BEGIN_DECLS

#define GH_API_VERSION_NONE  ((gint64) 0)
#define GH_API_VERSION_ANY   ((gint64) -1)

/* The default admin URL, as config.md's admin.listen default. */
#define GH_ADMIN_CLIENT_DEFAULT_URL "https://127.0.0.1:9443"

typedef enum {
  GH_API_KEY_FORMAT_PKCS12,   /* the bytes of a PKCS#12 file */
  GH_API_KEY_FORMAT_PEM,      /* a PEM private key (PKCS#8, maybe encrypted) and its chain */
} GhApiKeyFormat;

#define GH_TYPE_ADMIN_CLIENT (gh_admin_client_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminClient, gh_admin_client, GH, ADMIN_CLIENT, GObject)

/* The admin identity from a PKCS#12 file. GH_API_ERROR_IDENTITY when the file is
 * missing, is not PKCS#12, or the password is not its own (the message says which);
 * gh_admin_identity_load() gives the reason as its own error code. */
GTlsCertificate *gh_admin_client_load_identity           (const char        *pkcs12_path,
                                                          const char        *password,
                                                          GError           **error);

/* "AB:CD:…" (upper case, colons) for 64 hex digits with or without colons, any case;
 * NULL when @text is not a SHA-256 fingerprint. */
char            *gh_api_fingerprint_normalize            (const char        *text);
/* The SHA-256 fingerprint of @certificate's DER, as gh_api_fingerprint_normalize(). */
char            *gh_api_fingerprint_of_certificate       (GTlsCertificate   *certificate);

/* @base_url: "https://127.0.0.1:9443" (a trailing "/" or "/api/v1" is accepted);
 * @identity: the client certificate with its key (NULL: none, the server refuses);
 * @pinned_sha256: hex with or without colons, any case; NULL before first contact. */
GhAdminClient   *gh_admin_client_new                     (const char        *base_url,
                                                          GTlsCertificate   *identity,
                                                          const char        *pinned_sha256);

const char      *gh_admin_client_get_base_url            (GhAdminClient     *self);
GTlsCertificate *gh_admin_client_get_identity            (GhAdminClient     *self);
/* Normalized ("AB:CD:…"), NULL when none (or when the pin given was not a fingerprint). */
const char      *gh_admin_client_get_pinned_sha256       (GhAdminClient     *self);
/* First contact: connect, take the certificate the server shows, accept nothing.
 * Works with or without a pin. Returns the server's certificate and its fingerprint. */
void             gh_admin_client_probe_async             (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GTlsCertificate *gh_admin_client_probe_finish            (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          char             **fingerprint,
                                                          GError           **error);

/* Any request of the admin API, for what has no typed call below: @method on @path
 * under /api/v1 (segments escaped, a query allowed: "sessions?state=open"), @body a
 * JSON document or NULL, @if_match as the writes take it. Pinning, the client
 * certificate and the errors are those of every call. The answer's JSON as the
 * gateway sent it (a null node when it has no body), and in @version the
 * configuration version of its ETag (0 when none). */
void             gh_admin_client_request_async           (GhAdminClient     *self,
                                                          const char        *method,
                                                          const char        *path,
                                                          JsonNode          *body,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
JsonNode        *gh_admin_client_request_finish          (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *version,
                                                          GError           **error);

/* GET /info */
void             gh_admin_client_get_info_async          (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiInfo       *gh_admin_client_get_info_finish         (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /stats */
void             gh_admin_client_get_stats_async         (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiStats      *gh_admin_client_get_stats_finish        (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /config: the document and its version (from the ETag). */
void             gh_admin_client_get_config_async        (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhGatewayConfig *gh_admin_client_get_config_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *version,
                                                          GError           **error);

/* PUT /config */
void             gh_admin_client_put_config_async        (GhAdminClient     *self,
                                                          GhGatewayConfig   *config,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean         gh_admin_client_put_config_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* POST /config/validate: the problems (of GhConfigProblem), empty when valid. */
void             gh_admin_client_validate_config_async   (GhAdminClient     *self,
                                                          GhGatewayConfig   *config,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GListModel      *gh_admin_client_validate_config_finish  (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /config/versions: of GhApiConfigVersion, newest first. */
void             gh_admin_client_list_config_versions_async  (GhAdminClient     *self,
                                                              GCancellable      *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer           user_data);
GListModel      *gh_admin_client_list_config_versions_finish (GhAdminClient     *self,
                                                              GAsyncResult      *result,
                                                              gint64            *current,
                                                              GError           **error);

/* GET /config/versions/{N} */
void             gh_admin_client_get_config_version_async  (GhAdminClient     *self,
                                                            gint64             version,
                                                            GCancellable      *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer           user_data);
GhGatewayConfig *gh_admin_client_get_config_version_finish (GhAdminClient     *self,
                                                            GAsyncResult      *result,
                                                            GError           **error);

/* POST /config/rollback {"version": @version} */
void             gh_admin_client_rollback_config_async   (GhAdminClient     *self,
                                                          gint64             version,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean         gh_admin_client_rollback_config_finish  (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* GET /services: of GhApiService. */
void             gh_admin_client_list_services_async     (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GListModel      *gh_admin_client_list_services_finish    (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /services/{name} */
void             gh_admin_client_get_service_async       (GhAdminClient     *self,
                                                          const char        *name,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiService    *gh_admin_client_get_service_finish      (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* POST /services/{name}/start or /stop: the service as it is after. */
void             gh_admin_client_start_service_async     (GhAdminClient     *self,
                                                          const char        *name,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiService    *gh_admin_client_start_service_finish    (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);
void             gh_admin_client_stop_service_async      (GhAdminClient     *self,
                                                          const char        *name,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiService    *gh_admin_client_stop_service_finish     (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /services/{name}/tls (the back-end probe takes up to 10 s). */
void             gh_admin_client_get_service_tls_async   (GhAdminClient     *self,
                                                          const char        *name,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiServiceTls *gh_admin_client_get_service_tls_finish  (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /keystore: of GhApiKeystoreEntry. */
void             gh_admin_client_list_keystore_async     (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GListModel      *gh_admin_client_list_keystore_finish    (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /keystore/{alias} */
void                gh_admin_client_get_keystore_entry_async  (GhAdminClient     *self,
                                                               const char        *alias,
                                                               GCancellable      *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer           user_data);
GhApiKeystoreEntry *gh_admin_client_get_keystore_entry_finish (GhAdminClient     *self,
                                                               GAsyncResult      *result,
                                                               GError           **error);

/* POST /keystore (add; conflict when @alias exists) or PUT /keystore/{alias} (rotate).
 * @data: the PKCS#12 file's bytes, or the PEM text (key and chain);
 * @source_alias: for PKCS#12, the entry of the file to take (NULL: the first key entry);
 * @password: the PKCS#12 password, or an encrypted PEM key's (NULL: none). Wiped
 * from this client's memory once sent. */
void                gh_admin_client_add_key_async        (GhAdminClient     *self,
                                                          const char        *alias,
                                                          GhApiKeyFormat     format,
                                                          GBytes            *data,
                                                          const char        *source_alias,
                                                          const char        *password,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiKeystoreEntry *gh_admin_client_add_key_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);
void                gh_admin_client_rotate_key_async     (GhAdminClient     *self,
                                                          const char        *alias,
                                                          GhApiKeyFormat     format,
                                                          GBytes            *data,
                                                          const char        *source_alias,
                                                          const char        *password,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
/* The entry as it is after (fetched when the answer has none). */
GhApiKeystoreEntry *gh_admin_client_rotate_key_finish    (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* DELETE /keystore/{alias} */
void             gh_admin_client_delete_key_async        (GhAdminClient     *self,
                                                          const char        *alias,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean         gh_admin_client_delete_key_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* POST /keystore/{alias}/csr: @key_type "p256", "p384", "rsa2048", "rsa3072",
 * "rsa4096" or "ed25519" (NULL: the gateway's default, p256); returns the CSR's PEM. */
void             gh_admin_client_create_csr_async        (GhAdminClient      *self,
                                                          const char         *alias,
                                                          const char         *key_type,
                                                          const char         *subject,
                                                          const char * const *dns_names,
                                                          gint64              if_match,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
char            *gh_admin_client_create_csr_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* PUT /keystore/{alias}/certificate: the CA's reply to a CSR (PEM chain). */
void             gh_admin_client_import_certificate_reply_async  (GhAdminClient     *self,
                                                                  const char        *alias,
                                                                  const char        *pem,
                                                                  gint64             if_match,
                                                                  GCancellable      *cancellable,
                                                                  GAsyncReadyCallback callback,
                                                                  gpointer           user_data);
gboolean         gh_admin_client_import_certificate_reply_finish (GhAdminClient     *self,
                                                                  GAsyncResult      *result,
                                                                  gint64            *new_version,
                                                                  GError           **error);

/* GET /truststore: of GhApiTruststoreEntry. */
void             gh_admin_client_list_truststore_async   (GhAdminClient     *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GListModel      *gh_admin_client_list_truststore_finish  (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* POST /truststore {"alias", "pem"}: one certificate. */
void             gh_admin_client_add_trusted_async       (GhAdminClient     *self,
                                                          const char        *alias,
                                                          const char        *pem,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean         gh_admin_client_add_trusted_finish      (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* DELETE /truststore/{alias} */
void             gh_admin_client_delete_trusted_async    (GhAdminClient     *self,
                                                          const char        *alias,
                                                          gint64             if_match,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean         gh_admin_client_delete_trusted_finish   (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          gint64            *new_version,
                                                          GError           **error);

/* GET /sessions?service=&state=&limit=&cursor=: @service, @state, @cursor NULL for
 * none; @limit 0 for the server's default (100), at most 1000. */
void              gh_admin_client_list_sessions_async    (GhAdminClient     *self,
                                                          const char        *service,
                                                          const char        *state,
                                                          guint              limit,
                                                          const char        *cursor,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiSessionPage *gh_admin_client_list_sessions_finish   (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /sessions/{id} */
void             gh_admin_client_get_session_async       (GhAdminClient     *self,
                                                          const char        *id,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiSession    *gh_admin_client_get_session_finish      (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* DELETE /sessions/{id}: the session as it closed. */
void             gh_admin_client_close_session_async     (GhAdminClient     *self,
                                                          const char        *id,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GhApiSession    *gh_admin_client_close_session_finish    (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

/* GET /audit?limit=: of GhApiAuditEntry, newest first; @limit 0 for the default. */
void             gh_admin_client_list_audit_async        (GhAdminClient     *self,
                                                          guint              limit,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GListModel      *gh_admin_client_list_audit_finish       (GhAdminClient     *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

G_END_DECLS
