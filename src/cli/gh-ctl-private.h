/* gh-ctl-private.h — what the files of gatehousectl share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-admin-client.h"
#include "gh-command.h"

G_BEGIN_DECLS

/* Every option of every command, filled in by the option parser. */
typedef struct {
  /* global: which gateway, as whom, and how to print */
  char     *gateway;
  char     *identity;
  char     *identity_password_file;
  char     *pin;
  char     *gateway_profile;       /* --profile NAME before the command */
  gboolean  trust_on_first_use;
  gboolean  json;

  /* keystore commands */
  char     *keystore;
  char     *password_file;
  char     *alias;
  char     *format;
  gboolean  chain;
  char     *profile;
  char     *output;
  char     *output_password_file;
  char     *key_type;
  char     *subject;
  char    **san;
  int       days;
  char     *host;
  char     *truststore;
  gboolean  system;
  gboolean  verify;                /* list --verify */
  gboolean  dry_run;
  char     *source_password_file;
  char     *new_password_file;

  /* writes on a gateway */
  char     *if_match;
  char     *source_alias;

  /* sessions, audit and events */
  char     *service;
  char     *state;
  int       limit;
  int       count;

  /* config diff */
  char     *color;
} GhCtlOptions;

extern GhCtlOptions gh_ctl_options;


/* Keystore commands on local files (gh-ctl-keystore.c). */
gboolean gh_ctl_keystore_list     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_show     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_genkey   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_csr      (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_delete   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_rename   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_import   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_import_reply (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_export   (const GhCommand *command, int argc, char **argv, GError **error);
/* gh-ctl-keystore-verify.c */
gboolean gh_ctl_keystore_verify   (const GhCommand *command, int argc, char **argv, GError **error);
/* gh-ctl-keystore-passwd.c */
gboolean gh_ctl_keystore_passwd   (const GhCommand *command, int argc, char **argv, GError **error);

/* Shared by the keystore commands (gh-ctl-keystore.c). */
typedef struct _GhKeystore GhKeystore;
typedef struct _GhKeystoreEntry GhKeystoreEntry;
typedef struct {
  GFile      *file;
  GhKeystore *keystore;
  char       *password;
} GhCtlKeystore;

gboolean gh_ctl_keystore_open     (GhCtlKeystore *ks, gboolean create, GError **error);
gboolean gh_ctl_keystore_save     (GhCtlKeystore *ks, GError **error);
void     gh_ctl_keystore_clear    (GhCtlKeystore *ks);
GhKeystoreEntry *gh_ctl_keystore_lookup (GhCtlKeystore *ks, const char *alias, GError **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GhCtlKeystore, gh_ctl_keystore_clear)

/* `keystore list --verify` (gh-ctl-keystore-verify.c): the truststore read once, then
 * each key entry's chain verified for a TLS server. */
typedef struct {
  GPtrArray  *anchors;      /* of GhCertificate */
  GHashTable *results;      /* GhKeystoreEntry → why not trusted, "" when trusted */
  guint       n_checked;
  guint       n_untrusted;
} GhCtlChainCheck;

/* Reads --truststore, else the keystore's trusted entries; a usage error when none. */
gboolean gh_ctl_chain_check_init  (GhCtlChainCheck *check, GhCtlKeystore *ks, GError **error);
/* Verifies the chain of every key entry of @entries, one thread per core. */
void     gh_ctl_chain_check_run   (GhCtlChainCheck *check, GListModel *entries);
/* After _run(): TRUE when @entry's chain is trusted; else FALSE and in @problem why
 * not, in words. */
gboolean gh_ctl_chain_check_entry (GhCtlChainCheck *check, GhKeystoreEntry *entry, char **problem);
/* A failure when any chain checked was not trusted. */
gboolean gh_ctl_chain_check_finish (GhCtlChainCheck *check, GError **error);
void     gh_ctl_chain_check_clear (GhCtlChainCheck *check);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GhCtlChainCheck, gh_ctl_chain_check_clear)

/* The keystore command table's entries: a local file with --keystore, else the
 * gateway when one is named (gh-ctl-gateway-keystore.c). */
gboolean gh_ctl_keystore_cmd_list         (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_show         (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_csr          (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_import_reply (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_delete       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_upload       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_rotate       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_keystore_cmd_local_only   (const GhCommand *command, int argc, char **argv, GError **error);

/* Commands on a running gateway, one file per resource (gh-ctl-gateway-RESOURCE.c). */
gboolean gh_ctl_info              (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_list     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_show     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_apply    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_start    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_stop     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_list   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_add    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_delete (const GhCommand *command, int argc, char **argv, GError **error);
/* gh-ctl-gateway-trust.c */
gboolean gh_ctl_services_tls      (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_services_probe    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_crl_list   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_crl_add    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_truststore_crl_remove (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_sessions_list     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_sessions_show     (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_sessions_close    (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_events            (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_audit             (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_config_versions   (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_config_show       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_config_diff       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_config_rollback   (const GhCommand *command, int argc, char **argv, GError **error);

/* Saved connections (gh-ctl-profile.c). */
typedef struct {
  char *name;
  char *gateway;
  char *identity;
  char *identity_password_file;
  char *pin;
} GhCtlProfile;

void          gh_ctl_profile_free   (GhCtlProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCtlProfile, gh_ctl_profile_free)
/* The profile named @name, or NULL with a usage error. */
GhCtlProfile *gh_ctl_profile_load   (const char *name, GError **error);
/* Adds or replaces @profile in the profiles file (atomically, mode 0600). */
gboolean      gh_ctl_profile_store  (const GhCtlProfile *profile, GError **error);
gboolean gh_ctl_profile_add       (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_profile_list      (const GhCommand *command, int argc, char **argv, GError **error);
gboolean gh_ctl_profile_remove    (const GhCommand *command, int argc, char **argv, GError **error);

/* A connection to the gateway the options (or a profile) name (gh-ctl-gateway.c). */
typedef struct {
  GhAdminClient *client;
  char          *path;      /* "gatehousectl keystore rotate", the prefix of messages */
  gint64         if_match;  /* the version a write was made for */
} GhCtlGateway;

/* TRUE when --gateway, --profile or $GATEHOUSE_PROFILE names a gateway. */
gboolean  gh_ctl_gateway_wanted   (void);
/* Connects as the options say: identity loaded, pin checked (or, with none, the
 * server's fingerprint shown and the command refused). */
gboolean  gh_ctl_gateway_open     (GhCtlGateway  *gateway,
                                   const char    *group,
                                   const GhCommand *command,
                                   GError       **error);
/* gh_ctl_check_arguments() for @n_arguments, then gh_ctl_gateway_open(). */
gboolean  gh_ctl_gateway_open_for (GhCtlGateway    *gateway,
                                   const char      *group,
                                   const GhCommand *command,
                                   int              argc,
                                   char           **argv,
                                   int              n_arguments,
                                   GError         **error);
void      gh_ctl_gateway_clear    (GhCtlGateway  *gateway);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GhCtlGateway, gh_ctl_gateway_clear)
/* Runs the main context until *@result is set by gh_ctl_gateway_store_result(). */
void      gh_ctl_gateway_wait     (GAsyncResult **result);
void      gh_ctl_gateway_store_result (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
/* Reports @api_error (a GH_API_ERROR, taken) and ends the program with its exit
 * status when it has one of its own; otherwise moves it into @error. FALSE. */
gboolean  gh_ctl_gateway_fail     (GhCtlGateway  *gateway,
                                   GError        *api_error,
                                   GError       **error);

/* gh-ctl-gateway-keystore-preview.c: upload|rotate --dry-run on a gateway */
gboolean  gh_ctl_gateway_preview_key (GhCtlGateway  *gateway,
                                      const char    *alias,
                                      const char    *path,
                                      GBytes        *data,
                                      const char    *password,
                                      gboolean       rotate,
                                      GError       **error);
/* GET @path under /api/v1: the answer's JSON. */
JsonNode *gh_ctl_gateway_get      (GhCtlGateway  *gateway,
                                   const char    *path,
                                   GError       **error);
/* The same, and in @version (nullable) the version of the answer's ETag (0: none). */
JsonNode *gh_ctl_gateway_get_versioned (GhCtlGateway *gateway,
                                        const char   *path,
                                        gint64       *version,
                                        GError      **error);
/* A configuration version, "v12" or "12", into 12; FALSE when @text is not one. */
gboolean  gh_ctl_parse_version    (const char   *text,
                                   gint64       *version);
/* The If-Match for a write: --if-match, else the current version (GET /config). */
gboolean  gh_ctl_gateway_write_version (GhCtlGateway *gateway,
                                        gint64       *version,
                                        GError      **error);
/* "v12" after a write, for the messages. */
void      gh_ctl_gateway_print_version (gint64 version);
/* A path segment, escaped. */
char     *gh_ctl_escape           (const char *segment);

/* Shared helpers (gh-ctl-output.c). */
char    *gh_ctl_read_password     (const char  *file,
                                   const char  *variable,
                                   const char  *prompt,
                                   gboolean     confirm,
                                   GError     **error);
void     gh_ctl_print_json        (JsonNode    *node);
/* One line of compact JSON, flushed at once (for `events`). */
void     gh_ctl_print_json_line   (JsonNode    *node);
/* Member @name of @object as a string ("" when absent or null; numbers as text). */
const char *gh_ctl_json_string    (JsonObject  *object,
                                   const char  *name);
gint64   gh_ctl_json_int          (JsonObject  *object,
                                   const char  *name);
/* The strings of array @member of @object joined by @separator ("" when none). */
char    *gh_ctl_json_join         (JsonObject  *object,
                                   const char  *member,
                                   const char  *separator);
/* Member @member of @root's object when it is an array (an object), else NULL. */
JsonArray  *gh_ctl_json_array     (JsonNode    *root,
                                   const char  *member);
JsonObject *gh_ctl_json_object    (JsonObject  *object,
                                   const char  *member);
/* Element @index of @array when it is an object, else NULL. */
JsonObject *gh_ctl_json_element   (JsonArray   *array,
                                   guint        index);
/* "2026-11-26 22:30" from an RFC 3339 time, or the text as it is. */
char    *gh_ctl_format_time       (const char  *rfc3339);
/* "2026-11-26" from an RFC 3339 time. */
char    *gh_ctl_format_date       (const char  *rfc3339);
gboolean gh_ctl_check_arguments   (const GhCommand *command,
                                   int          argc,
                                   char       **argv,
                                   int          n_wanted,
                                   GError     **error);
/* --limit (sessions list, audit) is 0 (the gateway's default) or from 1 to 1000. */
gboolean gh_ctl_check_limit       (GError     **error);

G_END_DECLS
