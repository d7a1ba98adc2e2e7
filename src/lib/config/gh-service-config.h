/* gh-service-config.h — one service of a gateway configuration: what it accepts, where
 * it connects, and its options
 *
 * Immutable: made by GhGatewayConfig from JSON. The string getters return what the
 * file says (NULL when it says nothing); the typed getters fill in the defaults and are
 * meant for a configuration that gh_gateway_config_validate() accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_SERVICE_CONFIG (gh_service_config_get_type ())

G_DECLARE_FINAL_TYPE (GhServiceConfig, gh_service_config, GH, SERVICE_CONFIG, GObject)

typedef enum {
  GH_SERVICE_TYPE_UNKNOWN,    /* the "type" is missing or not one of these */
  GH_SERVICE_TYPE_PROXY,
  GH_SERVICE_TYPE_ECHO,
  GH_SERVICE_TYPE_DIRECTORY,
} GhServiceType;

typedef enum {
  GH_VERIFY_CLIENT_NONE,      /* no client certificate asked for */
  GH_VERIFY_CLIENT_OPTIONAL,  /* asked for; verified against the truststore when sent */
  GH_VERIFY_CLIENT_REQUIRED,  /* no certificate, or one that does not verify: no session */
} GhVerifyClient;

/* TLS 1.3 and 1.2, AEAD ciphers with forward secrecy only: toward clients and back-ends. */
#define GH_CONFIG_DEFAULT_TLS_PRIORITY \
  "SECURE:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
  "-CIPHER-ALL:+CHACHA20-POLY1305:+AES-256-GCM:+AES-128-GCM:" \
  "-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-MAC-ALL:+AEAD"

#define GH_CONFIG_DEFAULT_MAX_PENDING_BYTES  (1024 * 1024)
#define GH_CONFIG_DEFAULT_MAX_MESSAGE_BYTES  (16 * 1024 * 1024)
#define GH_CONFIG_DEFAULT_IDLE_TIMEOUT       300        /* seconds */
#define GH_CONFIG_DEFAULT_MAX_SESSIONS       10000

/* Bounds of the limits, both included. */
#define GH_CONFIG_MIN_PENDING_BYTES          1024
#define GH_CONFIG_MAX_PENDING_BYTES          (1024 * 1024 * 1024)
#define GH_CONFIG_MIN_MESSAGE_BYTES          1024
#define GH_CONFIG_MAX_MESSAGE_BYTES          (1024 * 1024 * 1024)
#define GH_CONFIG_MIN_IDLE_TIMEOUT           1
#define GH_CONFIG_MAX_IDLE_TIMEOUT           (7 * 24 * 3600)
#define GH_CONFIG_MIN_SESSIONS               1
#define GH_CONFIG_MAX_SESSIONS               1000000

const char         *gh_service_type_to_string                      (GhServiceType    type);
gboolean            gh_service_type_from_string                    (const char      *name,
                                                                    GhServiceType   *type);
const char         *gh_verify_client_to_string                     (GhVerifyClient   mode);
gboolean            gh_verify_client_from_string                   (const char      *name,
                                                                    GhVerifyClient  *mode);

/* As written. */
const char         *gh_service_config_get_name                     (GhServiceConfig *self);
const char         *gh_service_config_get_description              (GhServiceConfig *self);
const char         *gh_service_config_get_type_name                (GhServiceConfig *self);
const char * const *gh_service_config_get_accept                   (GhServiceConfig *self);  /* never NULL */
const char         *gh_service_config_get_connect                  (GhServiceConfig *self);
/* Relative to the configuration file's directory when relative:
 * gh_gateway_config_resolve_file() makes it a GFile. */
const char         *gh_service_config_get_directory                (GhServiceConfig *self);
const char         *gh_service_config_get_client_certificate_alias (GhServiceConfig *self);

/* With the defaults filled in. */
GhServiceType       gh_service_config_get_service_type             (GhServiceConfig *self);
/* Of GUri with the port filled in (wss 443, …): the accepts that parse, in order. */
GPtrArray          *gh_service_config_get_accept_uris              (GhServiceConfig *self);
/* With the port filled in; NULL when there is none or it does not parse. */
GUri               *gh_service_config_get_connect_uri              (GhServiceConfig *self);
const char         *gh_service_config_get_tls_priority             (GhServiceConfig *self);
/* An unknown value reads as REQUIRED: an invalid file never weakens client checks. */
GhVerifyClient      gh_service_config_get_verify_client            (GhServiceConfig *self);
const char         *gh_service_config_get_connect_tls_priority     (GhServiceConfig *self);
gboolean            gh_service_config_get_connect_verify           (GhServiceConfig *self);
/* The name sent as SNI and checked against the back-end's certificate: connect-tls's
 * "server-name", else the connect URI's host. */
const char         *gh_service_config_get_connect_server_name      (GhServiceConfig *self);
guint64             gh_service_config_get_max_pending_bytes        (GhServiceConfig *self);
/* What one WebSocket message may hold, all its fragments together. */
guint64             gh_service_config_get_max_message_bytes        (GhServiceConfig *self);
guint               gh_service_config_get_idle_timeout             (GhServiceConfig *self);  /* seconds */
guint               gh_service_config_get_max_sessions             (GhServiceConfig *self);

/* Whether the two say the same, field by field, as written. */
gboolean            gh_service_config_equal                        (GhServiceConfig *a,
                                                                    GhServiceConfig *b);

G_END_DECLS
