/* test-command.c — the command-line dispatcher shared by gatehoused and gatehousectl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-command.h"

static char *opt_global;
static char *opt_format;
static char **seen_args;

static gboolean
record_args (const GhCommand  *command,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_strfreev (seen_args);
  seen_args = g_strdupv (argv);
  return TRUE;
}

static gboolean
fail_always (const GhCommand  *command,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "the disk is on fire");
  return FALSE;
}

static gboolean
differ_quietly (const GhCommand  *command,
                int               argc,
                char            **argv,
                GError          **error)
{
  g_print ("the files differ\n");
  g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_QUIET_FAILURE, "not shown");
  return FALSE;
}

static const GOptionEntry global_options[] = {
  { "global", 'g', 0, G_OPTION_ARG_STRING, &opt_global, "A global option", "VALUE" },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry export_options[] = {
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "Output format", "FORMAT" },
  G_OPTION_ENTRY_NULL
};

static const GhCommand store_commands[] = {
  { "export", "ALIAS", "Export an entry", NULL, export_options, record_args, NULL },
  { "burn", NULL, "Fail on purpose", NULL, NULL, fail_always, NULL },
  { "compare", NULL, "Answer no, as diff(1) does", NULL, NULL, differ_quietly, NULL },
  { "later", NULL, "Not written yet", NULL, NULL, NULL, NULL },
  { NULL }
};

static const GhCommand root_commands[] = {
  { "store", NULL, "Work on a store", NULL, NULL, NULL, store_commands },
  { NULL }
};

static const GhCommand root = {
  "testprog", NULL, "A program to test the dispatcher.", "Exit status: documented here.",
  global_options, NULL, root_commands,
};

/* The same program with its options global (GH_COMMAND_GLOBAL_OPTIONS), as
 * gatehousectl's; "own" has an option of the same name as the global one. */
static char *opt_own_global;

static const GOptionEntry own_global_options[] = {
  { "global", 0, 0, G_OPTION_ARG_STRING, &opt_own_global, "The command's own --global", "VALUE" },
  G_OPTION_ENTRY_NULL
};

static const GhCommand global_store_commands[] = {
  { "export", "ALIAS", "Export an entry", NULL, export_options, record_args, NULL },
  { "own", NULL, "Has an option named as a global one", NULL, own_global_options, record_args, NULL },
  { NULL }
};

static const GhCommand global_root_commands[] = {
  { "store", NULL, "Work on a store", NULL, NULL, NULL, global_store_commands },
  { NULL }
};

static const GhCommand global_root = {
  "testprog", NULL, "A program to test the dispatcher.", NULL,
  global_options, NULL, global_root_commands, GH_COMMAND_GLOBAL_OPTIONS,
};

/* Runs @tree on @args (NULL-terminated, without the program's name). */
static int
run_tree (const GhCommand *tree,
          const char      *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "testprog");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&seen_args, g_strfreev);
  /* GOptionContext rearranges argv: it is this copy's pointer array. */
  return gh_command_run (tree, "1.2.3", (int) argv->len - 1, (char **) argv->pdata);
}

static void
clear_options (void)
{
  g_clear_pointer (&opt_global, g_free);
  g_clear_pointer (&opt_format, g_free);
  g_clear_pointer (&opt_own_global, g_free);
  g_clear_pointer (&seen_args, g_strfreev);
}

static int
run (const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **argv = NULL;
  va_list ap;
  int status;

  g_ptr_array_add (args, g_strdup ("testprog"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);

  /* GOptionContext rearranges argv: give it a copy of the pointers. */
  argv = g_memdup2 (args->pdata, sizeof (char *) * args->len);
  status = gh_command_run (&root, "1.2.3", (int) args->len, argv);

  g_clear_pointer (&opt_global, g_free);
  g_clear_pointer (&opt_format, g_free);

  return status;
}

static void
test_options_at_each_level (void)
{
  g_autofree char **argv = NULL;
  char *args[] = { "testprog", "--global", "G", "store", "export", "--format", "der", "web", NULL };
  int status;

  argv = g_memdup2 (args, sizeof args);
  status = gh_command_run (&root, "1.2.3", G_N_ELEMENTS (args) - 1, argv);

  g_assert_cmpint (status, ==, GH_EXIT_OK);
  g_assert_cmpstr (opt_global, ==, "G");
  g_assert_cmpstr (opt_format, ==, "der");
  g_assert_nonnull (seen_args);
  g_assert_cmpuint (g_strv_length (seen_args), ==, 2);
  g_assert_cmpstr (seen_args[0], ==, "export");
  g_assert_cmpstr (seen_args[1], ==, "web");

  g_clear_pointer (&opt_global, g_free);
  g_clear_pointer (&opt_format, g_free);
  g_clear_pointer (&seen_args, g_strfreev);
}

static void
test_help (void)
{
  if (g_test_subprocess ())
    exit (run ("--help", NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Usage:*testprog*COMMAND*");
  g_test_trap_assert_stdout ("*A program to test the dispatcher.*");
  g_test_trap_assert_stdout ("*--global*A global option*");
  g_test_trap_assert_stdout ("*store*Work on a store*");
  g_test_trap_assert_stdout ("*Exit status: documented here.*");
}

static void
test_sub_help (void)
{
  if (g_test_subprocess ())
    exit (run ("store", "export", "--help", NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*testprog store export*ALIAS*");
  g_test_trap_assert_stdout ("*--format*Output format*");
}

static void
test_help_command (void)
{
  if (g_test_subprocess ())
    exit (run ("help", "store", NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*testprog store*");
  g_test_trap_assert_stdout ("*export*Export an entry*");
  /* A command that does nothing yet says so in the list. */
  g_test_trap_assert_stdout ("*later*Not written yet (not available yet)*");
}

static void
test_version (void)
{
  if (g_test_subprocess ())
    exit (run ("--version", NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("testprog 1.2.3\n");
}

static void
test_unknown_command (void)
{
  if (g_test_subprocess ())
    {
      /* The exit status, checked where it is returned. */
      g_assert_cmpint (run ("store", "frobnicate", NULL), ==, GH_EXIT_USAGE);
      exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*testprog store: “frobnicate” is not a command of “testprog store”*");
  g_test_trap_assert_stderr ("*Try “testprog store --help”*");
}

static void
test_unknown_option (void)
{
  g_assert_cmpint (run ("store", "export", "--nope", NULL), ==, GH_EXIT_USAGE);
  /* --version belongs to the program, not to its commands. */
  g_assert_cmpint (run ("store", "--version", NULL), ==, GH_EXIT_USAGE);
}

static void
test_missing_command (void)
{
  if (g_test_subprocess ())
    {
      /* The exit status, checked where it is returned. */
      g_assert_cmpint (run (NULL), ==, GH_EXIT_USAGE);
      exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("*Usage:*testprog*COMMAND*");
}

static void
test_unavailable (void)
{
  if (g_test_subprocess ())
    {
      /* The exit status, checked where it is returned. */
      g_assert_cmpint (run ("store", "later", NULL), ==, GH_EXIT_UNAVAILABLE);
      exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*testprog store later: not available in Gatehouse*yet*");
}

static void
test_failure (void)
{
  if (g_test_subprocess ())
    {
      /* The exit status, checked where it is returned. */
      g_assert_cmpint (run ("store", "burn", NULL), ==, GH_EXIT_FAILURE);
      exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("testprog store burn: the disk is on fire\n");
}

static void
test_quiet_failure (void)
{
  if (g_test_subprocess ())
    {
      /* Status 1, and only what the command printed itself. */
      g_assert_cmpint (run ("store", "compare", NULL), ==, GH_EXIT_FAILURE);
      exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("the files differ\n");
  g_test_trap_assert_stderr ("");
}

static void
test_lookup (void)
{
  const GhCommand *store = gh_command_lookup (&root, "store");

  g_assert_nonnull (store);
  g_assert_cmpstr (store->name, ==, "store");
  g_assert_nonnull (gh_command_lookup (store, "export"));
  g_assert_null (gh_command_lookup (store, "store"));
  g_assert_null (gh_command_lookup (&root, "export"));
}

static void
test_global_options_anywhere (void)
{
  const char *const after[] = { "store", "export", "web", "--format", "der", "--global", "G", NULL };
  const char *const between[] = { "store", "-g", "G", "export", "web", NULL };
  const char *const before[] = { "--global", "G", "store", "export", "web", NULL };
  const char *const *places[] = { after, between, before };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_assert_cmpint (run_tree (&global_root, places[i]), ==, GH_EXIT_OK);
      g_assert_cmpstr (opt_global, ==, "G");
      g_assert_nonnull (seen_args);
      g_assert_cmpuint (g_strv_length (seen_args), ==, 2);
      g_assert_cmpstr (seen_args[0], ==, "export");
      g_assert_cmpstr (seen_args[1], ==, "web");
      clear_options ();
    }
}

static void
test_global_options_own_wins (void)
{
  const char *const args[] = { "store", "own", "--global", "mine", NULL };

  g_assert_cmpint (run_tree (&global_root, args), ==, GH_EXIT_OK);
  g_assert_cmpstr (opt_own_global, ==, "mine");
  g_assert_null (opt_global);
  clear_options ();
}

static void
test_global_options_need_the_flag (void)
{
  const char *const args[] = { "store", "export", "web", "--global", "G", NULL };

  /* Without GH_COMMAND_GLOBAL_OPTIONS a program's options stay before the command
   * (gatehoused's --config is not an option of `gatehoused init`). */
  g_assert_cmpint (run_tree (&root, args), ==, GH_EXIT_USAGE);
  clear_options ();
}

static void
test_global_options_help (void)
{
  const char *const args[] = { "store", "export", "--help", NULL };

  if (g_test_subprocess ())
    exit (run_tree (&global_root, args));

  /* A command's --help stays its own: the global options are the program's. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*--format*Output format*");
  g_test_trap_assert_stdout_unmatched ("*--global*");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/command/options-at-each-level", test_options_at_each_level);
  g_test_add_func ("/command/help", test_help);
  g_test_add_func ("/command/sub-help", test_sub_help);
  g_test_add_func ("/command/help-command", test_help_command);
  g_test_add_func ("/command/version", test_version);
  g_test_add_func ("/command/unknown-command", test_unknown_command);
  g_test_add_func ("/command/unknown-option", test_unknown_option);
  g_test_add_func ("/command/missing-command", test_missing_command);
  g_test_add_func ("/command/unavailable", test_unavailable);
  g_test_add_func ("/command/failure", test_failure);
  g_test_add_func ("/command/quiet-failure", test_quiet_failure);
  g_test_add_func ("/command/lookup", test_lookup);
  g_test_add_func ("/command/global-options-anywhere", test_global_options_anywhere);
  g_test_add_func ("/command/global-options-own-wins", test_global_options_own_wins);
  g_test_add_func ("/command/global-options-need-the-flag", test_global_options_need_the_flag);
  g_test_add_func ("/command/global-options-help", test_global_options_help);

  return g_test_run ();
}
