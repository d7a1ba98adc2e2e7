/* gh-command.c — subcommand dispatch for gatehoused and gatehousectl
 *
 * A program is a tree of GhCommand: each level parses its own options with a
 * GOptionContext (stopping at the first word that is not an option, so that global
 * options come before the command and the command's options after it), then hands
 * the rest to the named subcommand. The options of a command marked
 * GH_COMMAND_GLOBAL_OPTIONS are handed down too: each level below parses them as well,
 * in a group of their own (out of its --help, which stays the command's), so they may
 * come anywhere after the command word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-command"

#include "config.h"

#include <locale.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "gh-command.h"

G_DEFINE_QUARK (gh-command-error-quark, gh_command_error)

typedef struct {
  gboolean help;
  gboolean version;
} BuiltinOptions;

const GhCommand *
gh_command_lookup (const GhCommand *parent,
                   const char      *name)
{
  g_return_val_if_fail (parent != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (const GhCommand *sub = parent->subcommands; sub != NULL && sub->name != NULL; sub++)
    {
      if (g_str_equal (sub->name, name))
        return sub;
    }

  return NULL;
}

static char *
describe (const GhCommand *command)
{
  GString *text = g_string_new (NULL);

  if (command->subcommands != NULL)
    {
      int width = 0;

      for (const GhCommand *sub = command->subcommands; sub->name != NULL; sub++)
        width = MAX (width, (int) strlen (sub->name));

      g_string_append (text, _("Commands:"));
      g_string_append_c (text, '\n');
      for (const GhCommand *sub = command->subcommands; sub->name != NULL; sub++)
        {
          g_string_append_printf (text, "  %-*s  %s%s\n", width, sub->name,
                                  sub->summary ? _(sub->summary) : "",
                                  sub->func == NULL && sub->subcommands == NULL
                                    ? _(" (not available yet)") : "");
        }
    }

  if (command->description != NULL)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, _(command->description));
      g_string_append_c (text, '\n');
    }

  return g_string_free_and_steal (text);
}

static gboolean
entries_have_name (const GOptionEntry *entries,
                   const GOptionEntry *entry)
{
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    {
      if (g_str_equal (e->long_name, entry->long_name) ||
          (entry->short_name != '\0' && e->short_name == entry->short_name))
        return TRUE;
    }

  return FALSE;
}

/* The inherited (global) options a level parses besides its own: those of
 * @inherited (arrays of GOptionEntry, outermost first) that none of @own names. */
static GOptionGroup *
make_global_group (const GPtrArray    *inherited,
                   const GOptionEntry *own,
                   const GOptionEntry *builtin)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  GOptionGroup *group;

  for (guint i = 0; inherited != NULL && i < inherited->len; i++)
    {
      for (const GOptionEntry *e = g_ptr_array_index (inherited, i); e->long_name != NULL; e++)
        {
          if (!entries_have_name (own, e) && !entries_have_name (builtin, e) &&
              !entries_have_name ((const GOptionEntry *) (gpointer) entries->data, e))
            g_array_append_val (entries, *e);
        }
    }

  if (entries->len == 0)
    return NULL;

  group = g_option_group_new ("global", _("Global Options:"), _("Show the global options"), NULL, NULL);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, (const GOptionEntry *) (gpointer) entries->data);

  return group;
}

static GOptionContext *
make_context (const GhCommand *command,
              gboolean         is_root,
              const GPtrArray *inherited,
              BuiltinOptions  *builtin,
              char           **description)
{
  const GOptionEntry builtin_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &builtin->help, N_("Show this help and exit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &builtin->version, N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry help_only[] = { builtin_entries[0], G_OPTION_ENTRY_NULL };
  const char *parameters = command->parameters;
  GOptionContext *context;
  GOptionGroup *global;

  if (command->subcommands != NULL)
    parameters = command->func != NULL ? _("[COMMAND]") : _("COMMAND");

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, command->subcommands != NULL);
  if (command->summary != NULL)
    g_option_context_set_summary (context, _(command->summary));
  *description = describe (command);
  if (**description != '\0')
    g_option_context_set_description (context, *description);
  g_option_context_add_main_entries (context, is_root ? builtin_entries : help_only, GETTEXT_PACKAGE);
  if (command->options != NULL)
    g_option_context_add_main_entries (context, command->options, GETTEXT_PACKAGE);
  if ((global = make_global_group (inherited, command->options, builtin_entries)) != NULL)
    g_option_context_add_group (context, global);

  return context;
}

/**
 * gh_command_get_help:
 * @command: a command
 * @path: the words that invoke it, such as "gatehousectl keystore list"
 *
 * Returns: (transfer full): the text of `@path --help`
 */
char *
gh_command_get_help (const GhCommand *command,
                     const char      *path)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  BuiltinOptions builtin = { 0 };
  g_autofree char *prgname = g_strdup (g_get_prgname ());
  char *help;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  context = make_context (command, strchr (path, ' ') == NULL, NULL, &builtin, &description);
  /* GOptionContext names the program in the usage line. */
  g_set_prgname (path);
  help = g_option_context_get_help (context, TRUE, NULL);
  if (prgname != NULL)
    g_set_prgname (prgname);

  return help;
}

static int
exit_status_for_error (const GError *error)
{
  if (g_error_matches (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE) ||
      error->domain == G_OPTION_ERROR)
    return GH_EXIT_USAGE;
  if (error->domain != GH_COMMAND_ERROR)
    return GH_EXIT_FAILURE;

  switch ((GhCommandError) error->code)
    {
    case GH_COMMAND_ERROR_UNAVAILABLE: return GH_EXIT_UNAVAILABLE;
    case GH_COMMAND_ERROR_INVALID:     return GH_EXIT_INVALID;
    case GH_COMMAND_ERROR_UNREACHABLE: return GH_EXIT_UNREACHABLE;
    case GH_COMMAND_ERROR_STALE:       return GH_EXIT_STALE;
    case GH_COMMAND_ERROR_UNTRUSTED:   return GH_EXIT_UNTRUSTED;
    case GH_COMMAND_ERROR_FORBIDDEN:   return GH_EXIT_FORBIDDEN;
    case GH_COMMAND_ERROR_USAGE:
    case GH_COMMAND_ERROR_FAILED:
    case GH_COMMAND_ERROR_QUIET_FAILURE:
    default:                           return GH_EXIT_FAILURE;
    }
}

static int
report (const char   *path,
        const GError *error)
{
  int status = exit_status_for_error (error);

  if (g_error_matches (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_QUIET_FAILURE))
    return status;

  g_printerr ("%s: %s\n", path, error->message);
  if (status == GH_EXIT_USAGE)
    g_printerr (_("Try “%s --help” for more information.\n"), path);

  return status;
}

static int
run_command (const GhCommand  *command,
             const char       *path,
             const char       *version,
             GPtrArray        *inherited,
             int               argc,
             char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  BuiltinOptions builtin = { 0 };
  const GhCommand *sub;

  context = make_context (command, version != NULL, inherited, &builtin, &description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return report (path, error);

  if (builtin.help)
    {
      g_autofree char *help = gh_command_get_help (command, path);
      g_print ("%s", help);
      return GH_EXIT_OK;
    }

  if (builtin.version)
    {
      g_print ("%s %s\n", path, version);
      return GH_EXIT_OK;
    }

  if (command->subcommands != NULL && argc >= 2)
    {
      if ((sub = gh_command_lookup (command, argv[1])) != NULL)
        {
          g_autofree char *sub_path = g_strconcat (path, " ", sub->name, NULL);
          g_autoptr(GPtrArray) sub_inherited = g_ptr_array_new ();

          for (guint i = 0; inherited != NULL && i < inherited->len; i++)
            g_ptr_array_add (sub_inherited, g_ptr_array_index (inherited, i));
          if ((command->flags & GH_COMMAND_GLOBAL_OPTIONS) != 0 && command->options != NULL)
            g_ptr_array_add (sub_inherited, (gpointer) command->options);

          return run_command (sub, sub_path, NULL, sub_inherited, argc - 1, argv + 1);
        }

      if (g_str_equal (argv[1], "help"))
        {
          /* “help keystore list” is “keystore list --help”. */
          g_autoptr(GString) help_path = g_string_new (path);
          const GhCommand *target = command;
          g_autofree char *help = NULL;

          for (int i = 2; i < argc; i++)
            {
              if ((target = gh_command_lookup (target, argv[i])) == NULL)
                {
                  g_set_error (&error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                               _("“%s” is not a command of “%s”"), argv[i], help_path->str);
                  return report (path, error);
                }
              g_string_append_printf (help_path, " %s", argv[i]);
            }

          help = gh_command_get_help (target, help_path->str);
          g_print ("%s", help);
          return GH_EXIT_OK;
        }

      if (command->func == NULL)
        {
          g_set_error (&error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                       _("“%s” is not a command of “%s”"), argv[1], path);
          return report (path, error);
        }
    }

  if (command->subcommands != NULL && argc < 2 && command->func == NULL)
    {
      g_autofree char *help = gh_command_get_help (command, path);
      g_printerr ("%s", help);
      return GH_EXIT_USAGE;
    }

  if (command->func == NULL)
    {
      g_set_error (&error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_UNAVAILABLE,
                   _("not available in Gatehouse %s yet"), PACKAGE_VERSION);
      return report (path, error);
    }

  if (!command->func (command, argc, argv, &error))
    return report (path, error);

  return GH_EXIT_OK;
}

/**
 * gh_command_run:
 * @root: the program's command tree; its name is the program's name
 * @version: the version that `--version` prints
 * @argc: the program's argument count
 * @argv: (array length=argc): the program's arguments, which are consumed
 *
 * Parses @argv down the command tree and runs the command it names.
 *
 * Returns: the exit status for the program (see #GhExitStatus)
 */
int
gh_command_run (const GhCommand  *root,
                const char       *version,
                int               argc,
                char            **argv)
{
  g_return_val_if_fail (root != NULL, GH_EXIT_FAILURE);
  g_return_val_if_fail (root->name != NULL, GH_EXIT_FAILURE);
  g_return_val_if_fail (version != NULL, GH_EXIT_FAILURE);
  g_return_val_if_fail (argc >= 1, GH_EXIT_FAILURE);

  return run_command (root, root->name, version, NULL, argc, argv);
}

/**
 * gh_command_main:
 * @root: the program's command tree
 * @argc: main()'s argument count
 * @argv: main()'s arguments
 *
 * The whole of a command-line program's main(): turns core dumps off (the programs
 * hold keys and passwords), sets up the locale and the translations, then runs @root
 * with Gatehouse's version.
 *
 * Returns: the exit status for the program
 */
int
gh_command_main (const GhCommand  *root,
                 int               argc,
                 char            **argv)
{
  /* Both programs hold private keys and passwords in memory: no core dumps. */
  setrlimit (RLIMIT_CORE, &(struct rlimit) { 0, 0 });

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return gh_command_run (root, PACKAGE_VERSION, argc, argv);
}
