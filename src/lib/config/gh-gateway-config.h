/* gh-gateway-config.h — the configuration of gatehoused: services, security, admin
 * listener; JSON in and out, validation with precise problems
 *
 * Reading (gh_gateway_config_new_from_data(), _new_from_file()) only fails when the
 * input cannot be a configuration: not JSON, over a limit, a member of the wrong type
 * or one the schema does not have. Everything else (missing fields, bad URIs,
 * conflicts) is for gh_gateway_config_validate(), so that an invalid configuration
 * can still be opened in an editor and shown with its problems.
 *
 * The model keeps what the file says: relative paths as written, defaults left out.
 * Serializing gives back the same model (a minimal file stays minimal); the getters
 * fill in defaults and resolve paths against the base directory (the configuration
 * file's directory). The schema is documented in docs/config.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-config-error.h"
#include "gh-config-problem.h"
#include "gh-service-config.h"

G_BEGIN_DECLS

#define GH_TYPE_GATEWAY_CONFIG (gh_gateway_config_get_type ())

G_DECLARE_FINAL_TYPE (GhGatewayConfig, gh_gateway_config, GH, GATEWAY_CONFIG, GObject)

/* The schema version this code reads and writes. */
#define GH_CONFIG_VERSION 1

#define GH_CONFIG_DEFAULT_ADMIN_LISTEN             "127.0.0.1:9443"
#define GH_CONFIG_DEFAULT_ADMIN_CERTIFICATE_ALIAS  "admin"

/* Ordered: each role may do what the ones before it may. */
typedef enum {
  GH_ADMIN_ROLE_NONE,       /* not an identity of this gateway */
  GH_ADMIN_ROLE_VIEWER,     /* GET and events */
  GH_ADMIN_ROLE_OPERATOR,   /* also close sessions, start and stop services */
  GH_ADMIN_ROLE_ADMIN,      /* also configuration, keystore, truststore */
} GhAdminRole;

/* admin.timeouts, in seconds: the TLS handshake; a request's headers; its body; the
 * wait between requests on a kept-alive connection. */
typedef enum {
  GH_ADMIN_TIMEOUT_HANDSHAKE,
  GH_ADMIN_TIMEOUT_REQUEST,
  GH_ADMIN_TIMEOUT_BODY,
  GH_ADMIN_TIMEOUT_IDLE,
  GH_ADMIN_N_TIMEOUTS,
} GhAdminTimeout;

#define GH_CONFIG_MIN_ADMIN_TIMEOUT 1
#define GH_CONFIG_MAX_ADMIN_TIMEOUT 3600

const char         *gh_admin_role_to_string                  (GhAdminRole       role);
/* The member of admin.timeouts: "handshake", "request", "body", "idle". */
const char         *gh_admin_timeout_to_string               (GhAdminTimeout    which);
gboolean            gh_admin_role_from_string                (const char       *name,
                                                              GhAdminRole      *role);

GhGatewayConfig    *gh_gateway_config_new_from_data          (const char       *data,
                                                              gssize            length,
                                                              GError          **error);
/* Also sets the base directory to @file's directory. */
GhGatewayConfig    *gh_gateway_config_new_from_file          (GFile            *file,
                                                              GCancellable     *cancellable,
                                                              GError          **error);
char               *gh_gateway_config_to_data                (GhGatewayConfig  *self,
                                                              gsize            *length);
JsonNode           *gh_gateway_config_to_json                (GhGatewayConfig  *self);

/* Every problem, in document order (of GhConfigProblem); empty when valid. */
GListModel         *gh_gateway_config_check                  (GhGatewayConfig  *self);
/* FALSE with the first problem as @error, all of them attached
 * (gh_config_error_get_problems()). */
gboolean            gh_gateway_config_validate               (GhGatewayConfig  *self,
                                                              GError          **error);

/* The same model, as written; the base directory is not part of it. */
gboolean            gh_gateway_config_equal                  (GhGatewayConfig  *a,
                                                              GhGatewayConfig  *b);

/* Where relative paths start: the configuration file's directory, or NULL (the
 * process's current directory) for a configuration read from data. */
GFile              *gh_gateway_config_get_base_directory     (GhGatewayConfig  *self);
void                gh_gateway_config_set_base_directory     (GhGatewayConfig  *self,
                                                              GFile            *directory);
/* @path as the configuration writes it, resolved; NULL for NULL. */
GFile              *gh_gateway_config_resolve_file           (GhGatewayConfig  *self,
                                                              const char       *path);

gint64              gh_gateway_config_get_version            (GhGatewayConfig  *self);
/* properties.name, else the host name. */
const char         *gh_gateway_config_get_name               (GhGatewayConfig  *self);

/* security: the paths as written (NULL when absent), and resolved. */
const char         *gh_gateway_config_get_keystore_path              (GhGatewayConfig *self);
const char         *gh_gateway_config_get_keystore_password_path     (GhGatewayConfig *self);
const char         *gh_gateway_config_get_truststore_path            (GhGatewayConfig *self);
const char         *gh_gateway_config_get_truststore_password_path   (GhGatewayConfig *self);
GFile              *gh_gateway_config_dup_keystore_file              (GhGatewayConfig *self);
GFile              *gh_gateway_config_dup_keystore_password_file     (GhGatewayConfig *self);
GFile              *gh_gateway_config_dup_truststore_file            (GhGatewayConfig *self);
GFile              *gh_gateway_config_dup_truststore_password_file   (GhGatewayConfig *self);
/* Whether both name the same keystore, truststore, password files and admin client CA. */
gboolean            gh_gateway_config_names_same_files               (GhGatewayConfig *self,
                                                                      GhGatewayConfig *other);

/* admin: absent means no admin listener. */
gboolean            gh_gateway_config_has_admin                      (GhGatewayConfig *self);
const char         *gh_gateway_config_get_admin_listen               (GhGatewayConfig *self);
/* A GNetworkAddress for admin.listen, or NULL when it is not host:port. */
GSocketConnectable *gh_gateway_config_dup_admin_address              (GhGatewayConfig *self);
const char         *gh_gateway_config_get_admin_certificate_alias    (GhGatewayConfig *self);
const char         *gh_gateway_config_get_admin_client_ca_path       (GhGatewayConfig *self);
GFile              *gh_gateway_config_dup_admin_client_ca_file       (GhGatewayConfig *self);
/* admin.timeouts.@which, or its default (10, 10, 60, 75). */
guint               gh_gateway_config_get_admin_timeout              (GhGatewayConfig *self,
                                                                      GhAdminTimeout   which);
guint               gh_gateway_config_get_n_admin_identities         (GhGatewayConfig *self);
const char         *gh_gateway_config_get_admin_identity_subject     (GhGatewayConfig *self,
                                                                      guint            position);
const char         *gh_gateway_config_get_admin_identity_fingerprint (GhGatewayConfig *self,
                                                                      guint            position);
GhAdminRole         gh_gateway_config_get_admin_identity_role        (GhGatewayConfig *self,
                                                                      guint            position);
/* The role of a verified client certificate: its subject (RFC 4514, as
 * gnutls_x509_crt_get_dn3() gives it) and SHA-256 fingerprint (hex, colons or not).
 * An identity with a fingerprint matches only that certificate. */
GhAdminRole         gh_gateway_config_lookup_admin_role              (GhGatewayConfig *self,
                                                                      const char      *subject,
                                                                      const char      *fingerprint);

GListModel         *gh_gateway_config_get_services           (GhGatewayConfig  *self);  /* of GhServiceConfig */
GhServiceConfig    *gh_gateway_config_lookup_service         (GhGatewayConfig  *self,
                                                              const char       *name);

G_END_DECLS
