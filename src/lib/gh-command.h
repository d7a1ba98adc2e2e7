/* gh-command.h — subcommand dispatch for gatehoused and gatehousectl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_COMMAND_ERROR (gh_command_error_quark ())

typedef enum {
  GH_COMMAND_ERROR_USAGE,        /* bad arguments: exit status 2 */
  GH_COMMAND_ERROR_UNAVAILABLE,  /* not implemented in this version: exit status 69 */
  GH_COMMAND_ERROR_FAILED,       /* the command ran and failed: exit status 1 */
  /* What a script talking to a gateway can act on (docs/gatehousectl.md). */
  GH_COMMAND_ERROR_INVALID,      /* the input was refused as invalid (422): 65 */
  GH_COMMAND_ERROR_UNREACHABLE,  /* no connection, or the gateway went away: 68 */
  GH_COMMAND_ERROR_STALE,        /* the configuration changed meanwhile (412): 75 */
  GH_COMMAND_ERROR_UNTRUSTED,    /* TLS failed, pin mismatch or no pin: 76 */
  GH_COMMAND_ERROR_FORBIDDEN,    /* not an identity, or not its role (403): 77 */
  /* The answer is "no" and the command has printed all it has to say, as diff(1)
   * and cmp(1) exit 1 when the files differ: exit status 1, the message not shown. */
  GH_COMMAND_ERROR_QUIET_FAILURE,
} GhCommandError;

/* Exit statuses shared by the command-line programs (documented in their --help). */
typedef enum {
  GH_EXIT_OK          = 0,
  GH_EXIT_FAILURE     = 1,
  GH_EXIT_USAGE       = 2,
  GH_EXIT_INVALID     = 65,  /* EX_DATAERR */
  GH_EXIT_UNREACHABLE = 68,  /* EX_NOHOST */
  GH_EXIT_UNAVAILABLE = 69,  /* sysexits.h EX_UNAVAILABLE */
  GH_EXIT_STALE       = 75,  /* EX_TEMPFAIL */
  GH_EXIT_UNTRUSTED   = 76,  /* EX_PROTOCOL */
  GH_EXIT_FORBIDDEN   = 77,  /* EX_NOPERM */
} GhExitStatus;

typedef struct _GhCommand GhCommand;

typedef enum {
  GH_COMMAND_FLAGS_NONE      = 0,
  /* This command's options are global: its subcommands (at every depth) take them
   * too, anywhere among their own, as users type them ("keystore list --json").
   * A subcommand's own option of the same name wins. */
  GH_COMMAND_GLOBAL_OPTIONS  = 1 << 0,
} GhCommandFlags;

/* Runs a command with its positional arguments (argv[0] is the command's name, options
 * already parsed into the command's GOptionEntry targets). Returns FALSE with @error
 * set on failure. */
typedef gboolean (*GhCommandFunc) (const GhCommand  *command,
                                   int               argc,
                                   char            **argv,
                                   GError          **error);

struct _GhCommand {
  const char         *name;
  const char         *parameters;   /* positional arguments for the usage line, or NULL */
  const char         *summary;      /* one line, shown in the parent's command list */
  const char         *description;  /* shown after the options in --help, or NULL */
  const GOptionEntry *options;      /* this command's options, or NULL */
  GhCommandFunc       func;         /* NULL: not implemented in this version */
  const GhCommand    *subcommands;  /* terminated by an entry whose name is NULL */
  GhCommandFlags      flags;
};

GQuark        gh_command_error_quark   (void);

int           gh_command_main          (const GhCommand  *root,
                                        int               argc,
                                        char            **argv);

int           gh_command_run           (const GhCommand  *root,
                                        const char       *version,
                                        int               argc,
                                        char            **argv);

char         *gh_command_get_help      (const GhCommand  *command,
                                        const char       *path);

const GhCommand *gh_command_lookup     (const GhCommand  *parent,
                                        const char       *name);

G_END_DECLS
