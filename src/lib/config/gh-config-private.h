/* gh-config-private.h — what the files of src/lib/config share, and nothing outside them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-config-problem.h"
#include "gh-gateway-config.h"
#include "gh-service-config.h"

G_BEGIN_DECLS

/* A number the file may or may not give: absent and given are kept apart, so that a
 * default is never written back into the file. */
typedef struct {
  gboolean set;
  gint64   value;
} GhConfigInt;

/* A boolean the file may or may not give. */
typedef enum {
  GH_CONFIG_BOOL_UNSET = -1,
  GH_CONFIG_BOOL_FALSE = 0,
  GH_CONFIG_BOOL_TRUE = 1,
} GhConfigBool;

struct _GhServiceConfig
{
  GObject      parent_instance;

  /* As written (NULL when absent); an absent list is an empty one. */
  char        *name;
  char        *description;
  char        *type;
  GStrv        accept;
  char        *connect;
  char        *directory;
  char        *tls_priority;             /* "tls" */
  char        *verify_client;
  char        *connect_priority;         /* "connect-tls" */
  GhConfigBool connect_verify;
  char        *server_name;
  char        *client_certificate_alias;
  GhConfigInt  max_pending_bytes;        /* "limits" */
  GhConfigInt  max_message_bytes;
  GhConfigInt  idle_timeout;
  GhConfigInt  max_sessions;

  /* Derived by _gh_service_config_derive(). */
  GhServiceType  service_type;
  GhVerifyClient verify_client_mode;
  GPtrArray     *accept_uris;            /* of GUri, the accepts that parse, port filled in */
  GUri          *connect_uri;            /* NULL when absent or not a URI */
};

typedef struct {
  char *subject;
  char *fingerprint;
  char *role;
} GhConfigIdentity;

struct _GhGatewayConfig
{
  GObject      parent_instance;

  gint64       version;
  char        *name;                     /* "properties" */
  char        *keystore_file;            /* "security" */
  char        *keystore_password_file;
  char        *truststore_file;
  char        *truststore_password_file;
  gboolean     has_admin;                /* "admin" present, even empty: the admin API is on */
  char        *admin_listen;
  char        *admin_certificate_alias;
  char        *admin_client_ca;
  GhConfigInt  admin_timeouts[GH_ADMIN_N_TIMEOUTS];
  GPtrArray   *identities;               /* of GhConfigIdentity */
  GListStore  *services;                 /* of GhServiceConfig */

  GFile       *base_directory;           /* not part of the model: where relative paths start */
};

GhServiceConfig *_gh_service_config_new              (void);
/* Fills the derived fields from the written ones. */
void             _gh_service_config_derive           (GhServiceConfig *self);

GhGatewayConfig *_gh_gateway_config_new              (void);
void             _gh_config_identity_free            (gpointer         data);

/* Collects problems, up to GH_CONFIG_MAX_PROBLEMS; counts those left out. */
typedef struct {
  GPtrArray *problems;   /* of GhConfigProblem */
  guint      n_dropped;
} GhConfigProblems;

void             _gh_config_problems_init            (GhConfigProblems *problems);
void             _gh_config_problems_clear           (GhConfigProblems *problems);
void             _gh_config_problems_add             (GhConfigProblems *problems,
                                                      GhConfigError     code,
                                                      const char       *path,
                                                      const char       *service,
                                                      const char       *format,
                                                      ...) G_GNUC_PRINTF (5, 6);
void             _gh_config_problems_add_at          (GhConfigProblems *problems,
                                                      GhConfigError     code,
                                                      guint             line,
                                                      guint             column,
                                                      const char       *format,
                                                      ...) G_GNUC_PRINTF (5, 6);
gboolean         _gh_config_problems_is_empty        (GhConfigProblems *problems);
/* Sets @error to the first problem, with all of them attached. */
void             _gh_config_problems_propagate       (GhConfigProblems *problems,
                                                      GError          **error);
GListModel      *_gh_config_problems_to_model        (GhConfigProblems *problems);

GhConfigProblem *_gh_config_problem_new_at           (GhConfigError    code,
                                                      guint            line,
                                                      guint            column,
                                                      const char      *message);

/* "host:port", "[v6]:port": the host without brackets. On failure, @why (when not
 * NULL) says why, for a person. */
gboolean         _gh_config_parse_listen             (const char      *text,
                                                      char           **host,
                                                      guint16         *port,
                                                      char           **why);
/* A SHA-256 fingerprint in hex, colons or not, in lower case without colons; NULL
 * when it is not one. */
char            *_gh_config_normalize_fingerprint    (const char      *fingerprint);

/* Whether @host is a wildcard address (0.0.0.0, ::) or a loopback one (127.0.0.0/8,
 * ::1, localhost); names are not resolved. */
void             _gh_config_classify_host            (const char      *host,
                                                      gboolean        *wildcard,
                                                      gboolean        *loopback);

/* The addresses a configuration binds, and their conflicts, reported into @problems as
 * they are added (gh-config-endpoints.c). */
typedef struct _GhConfigEndpoints GhConfigEndpoints;

GhConfigEndpoints *_gh_config_endpoints_new          (GhConfigProblems  *problems);
void             _gh_config_endpoints_free           (GhConfigEndpoints *self);
/* The admin API's listener at @host:@port; @listen is admin.listen as written. */
void             _gh_config_endpoints_add_admin      (GhConfigEndpoints *self,
                                                      const char        *host,
                                                      guint16            port,
                                                      const char        *listen);
/* Accept @text, at JSON path @path, of service @service (index @service_index): @uri
 * as it parsed, @port with the scheme's default filled in. */
void             _gh_config_endpoints_add_accept     (GhConfigEndpoints *self,
                                                      GUri              *uri,
                                                      int                port,
                                                      const char        *text,
                                                      const char        *path,
                                                      const char        *service,
                                                      guint              service_index);
/* Once every accept is in: services that share a TLS port agree on its TLS setup. */
void             _gh_config_endpoints_check_tls_ports (GhConfigEndpoints *self,
                                                       GListModel        *services);

/* Default ports by scheme; 0 when the scheme has none (ssl, tcp). */
int              _gh_config_default_port             (const char      *scheme);

G_END_DECLS
