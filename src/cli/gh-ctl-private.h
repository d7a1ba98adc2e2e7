/* gh-ctl-private.h — what the files of gatehousectl share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-command.h"

G_BEGIN_DECLS

/* Every option of every command, filled in by the option parser. */
typedef struct {
  /* global: which gateway, as whom, and how to print */
  char     *gateway;
  char     *identity;
  char     *identity_password_file;
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
  gboolean  dry_run;
  char     *source_password_file;

  /* sessions and events */
  char     *service;
  int       limit;
  char     *reason;
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
gboolean gh_ctl_keystore_verify   (const GhCommand *command, int argc, char **argv, GError **error);

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

/* Shared helpers (gh-ctl-output.c). */
char    *gh_ctl_read_password     (const char  *file,
                                   const char  *variable,
                                   const char  *prompt,
                                   gboolean     confirm,
                                   GError     **error);
void     gh_ctl_print_json        (JsonNode    *node);
gboolean gh_ctl_check_arguments   (const GhCommand *command,
                                   int          argc,
                                   char       **argv,
                                   int          n_wanted,
                                   GError     **error);

G_END_DECLS
