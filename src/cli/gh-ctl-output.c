/* gh-ctl-output.c — what every gatehousectl command needs: passwords, JSON, arguments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-output"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-file-util.h"
#include "gh-private-key.h"

static char *
prompt_once (int          tty,
             const char  *prompt,
             GError     **error)
{
  struct termios saved, quiet;
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean echo_off;
  char c;

  if (write (tty, prompt, strlen (prompt)) < 0)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", g_strerror (errno));
      return NULL;
    }

  echo_off = tcgetattr (tty, &saved) == 0;
  if (echo_off)
    {
      quiet = saved;
      quiet.c_lflag &= ~(ECHO | ECHONL);
      quiet.c_lflag |= ICANON;
      tcsetattr (tty, TCSAFLUSH, &quiet);
    }

  while (read (tty, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);

  if (echo_off)
    tcsetattr (tty, TCSAFLUSH, &saved);
  if (write (tty, "\n", 1) < 0)
    g_debug ("Could not end the prompt line");

  {
    char *password = g_strdup (line->str);
    memset (line->str, 0, line->len);
    return password;
  }
}

/**
 * gh_ctl_read_password:
 * @file: (nullable): a file whose first line is the password
 * @variable: an environment variable to read when there is no file
 * @prompt: what to ask on the terminal when there is neither
 * @confirm: ask twice (for a new password)
 * @error: return location for a #GH_COMMAND_ERROR
 *
 * Passwords never come from the command line, where other users see them.
 *
 * Returns: (transfer full): the password; free it with gh_secret_free()
 */
char *
gh_ctl_read_password (const char  *file,
                      const char  *variable,
                      const char  *prompt,
                      gboolean     confirm,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *value;
  int tty;

  if (file != NULL)
    {
      g_autoptr(GFile) password_file = g_file_new_for_path (file);
      char *password = gh_file_read_password (password_file, &local_error);

      if (password == NULL)
        g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                     _("Cannot read the password file: %s"), local_error->message);
      return password;
    }

  if ((value = g_getenv (variable)) != NULL)
    return g_strdup (value);

  tty = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("No password: give --password-file FILE or set %s (there is no terminal to ask on)"),
                   variable);
      return NULL;
    }

  {
    g_autoptr(GhSecret) first = prompt_once (tty, prompt, error);
    g_autoptr(GhSecret) second = NULL;

    if (first == NULL || !confirm)
      {
        close (tty);
        return g_steal_pointer (&first);
      }

    second = prompt_once (tty, _("Again: "), error);
    close (tty);
    if (second == NULL)
      return NULL;
    if (!g_str_equal (first, second))
      {
        g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                             _("The passwords differ"));
        return NULL;
      }
    return g_steal_pointer (&first);
  }
}

void
gh_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
gh_ctl_print_json_line (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_print ("%s\n", text);
  fflush (stdout);
}

const char *
gh_ctl_json_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

gint64
gh_ctl_json_int (JsonObject *object,
                 const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

/* The strings of array @member of @object, joined by @separator ("" when absent). */
char *
gh_ctl_json_join (JsonObject *object,
                  const char *member,
                  const char *separator)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_string_append_printf (text, "%s%s", text->len > 0 ? separator : "", json_node_get_string (element));
    }

  return g_string_free_and_steal (g_steal_pointer (&text));
}

JsonArray *
gh_ctl_json_array (JsonNode   *root,
                   const char *member)
{
  JsonNode *node = json_object_get_member (json_node_get_object (root), member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
gh_ctl_json_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
gh_ctl_json_element (JsonArray *array,
                     guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
format_time (const char *rfc3339,
             const char *format)
{
  g_autoptr(GDateTime) time = NULL;

  if (rfc3339 == NULL || rfc3339[0] == '\0')
    return g_strdup ("-");
  if ((time = g_date_time_new_from_iso8601 (rfc3339, NULL)) == NULL)
    return g_strdup (rfc3339);
  return g_date_time_format (time, format);
}

char *
gh_ctl_format_time (const char *rfc3339)
{
  return format_time (rfc3339, "%Y-%m-%d %H:%M:%S");
}

char *
gh_ctl_format_date (const char *rfc3339)
{
  return format_time (rfc3339, "%Y-%m-%d");
}

/* The command takes exactly @n_wanted positional arguments. */
gboolean
gh_ctl_check_arguments (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        int               n_wanted,
                        GError          **error)
{
  if (argc - 1 == n_wanted)
    return TRUE;

  if (argc - 1 < n_wanted)
    g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                 _("missing argument: %s"), command->parameters ? _(command->parameters) : "");
  else
    g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                 _("unexpected argument “%s”"), argv[n_wanted + 1]);
  return FALSE;
}

/* --limit, when given, is from 1 to 1000 (the admin API's page size). */
gboolean
gh_ctl_check_limit (GError **error)
{
  if (gh_ctl_options.limit >= 0 && gh_ctl_options.limit <= 1000)
    return TRUE;

  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
               _("--limit is from 1 to 1000, not %d"), gh_ctl_options.limit);
  return FALSE;
}
