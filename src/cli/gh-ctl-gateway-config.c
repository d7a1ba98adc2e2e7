/* gh-ctl-gateway-config.c — `gatehousectl config …`: the configuration's versions,
 * one version's document, the difference of two, and a rollback
 *
 * versions and show read /config/versions and /config/versions/N (or /config for the
 * current one) and print what the gateway answered. diff reads both documents and
 * prints them through the same JSON pretty printer before comparing them line by line
 * (gh-text-diff.c), so only real changes differ; it exits 1 when they differ, as
 * diff(1) does. rollback is the typed call, sent with If-Match (the current version,
 * or --if-match), so that a rollback never undoes a change it has not seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-config"

#include "config.h"

#include <inttypes.h>

#include <unistd.h>
#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-json.h"
#include "gh-text-diff.h"

#define DIFF_CONTEXT_LINES 3

/* gh_ctl_parse_version(), with a usage error. */
static gboolean
parse_version (const char  *text,
               gint64      *version,
               GError     **error)
{
  if (gh_ctl_parse_version (text, version))
    return TRUE;

  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
               _("“%s” is not a configuration version such as v12 (see “gatehousectl config versions”)"), text);
  return FALSE;
}

/* Version @version's document (0: the current one), pretty-printed with a final line
 * end, and in @version_out the version it is. */
static char *
read_document (GhCtlGateway  *gateway,
               gint64         version,
               gint64        *version_out,
               GError       **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  path = version > 0 ? g_strdup_printf ("config/versions/%" G_GINT64_FORMAT, version) : g_strdup ("config");
  if ((root = gh_ctl_gateway_get_versioned (gateway, path, version_out, error)) == NULL)
    return NULL;
  if (version > 0 && version_out != NULL)
    *version_out = version;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

gboolean
gh_ctl_config_versions (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *versions;
  gint64 current;

  if (!gh_ctl_gateway_open_for (&gateway, "config", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "config/versions", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  current = gh_ctl_json_int (json_node_get_object (root), "current");
  versions = gh_ctl_json_array (root, "versions");
  g_print ("  %-8s %-19s %-32s %s\n", _("VERSION"), _("TIME (UTC)"), _("WHO"), _("ACTION"));
  for (guint i = 0; versions != NULL && i < json_array_get_length (versions); i++)
    {
      JsonObject *entry = gh_ctl_json_element (versions, i);
      g_autofree char *time = gh_ctl_format_time (gh_ctl_json_string (entry, "time"));
      g_autofree char *label = g_strdup_printf ("v%" G_GINT64_FORMAT, gh_ctl_json_int (entry, "version"));
      JsonObject *identity = gh_ctl_json_object (entry, "identity");
      const char *who = identity != NULL ? gh_ctl_json_string (identity, "subject")
                                         : gh_ctl_json_string (entry, "identity");

      g_print ("%c %-8s %-19s %-32s %s\n", gh_ctl_json_int (entry, "version") == current ? '*' : ' ',
               label, time, who, gh_ctl_json_string (entry, "action"));
    }
  g_print (_("* the current version\n"));

  return TRUE;
}

gboolean
gh_ctl_config_show (const GhCommand  *command,
                    int               argc,
                    char            **argv,
                    GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autofree char *document = NULL;
  gint64 version = 0;

  if ((argc > 1 && !parse_version (argv[1], &version, error)) ||
      !gh_ctl_gateway_open_for (&gateway, "config", command, argc, argv, MIN (argc - 1, 1), error) ||
      (document = read_document (&gateway, version, NULL, error)) == NULL)
    return FALSE;

  g_print ("%s", document);
  return TRUE;
}

/* --color: auto (a terminal, and no $NO_COLOR), always or never. */
static gboolean
want_color (gboolean  *color,
            GError   **error)
{
  const char *when = gh_ctl_options.color ? gh_ctl_options.color : "auto";

  if (g_str_equal (when, "always"))
    *color = TRUE;
  else if (g_str_equal (when, "never"))
    *color = FALSE;
  else if (g_str_equal (when, "auto"))
    *color = isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;
  else
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--color is auto, always or never, not “%s”"), when);
      return FALSE;
    }

  return TRUE;
}

static void
print_diff (GPtrArray  *hunks,
            const char *old_label,
            const char *new_label,
            gboolean    color)
{
  static const char *const line_color[] = { [GH_TEXT_DIFF_SAME] = "", [GH_TEXT_DIFF_REMOVED] = "\033[31m",
                                            [GH_TEXT_DIFF_ADDED] = "\033[32m" };
  const char *bold = color ? "\033[1m" : "", *cyan = color ? "\033[36m" : "", *reset = color ? "\033[m" : "";

  g_print ("%s--- %s%s\n%s+++ %s%s\n", bold, old_label, reset, bold, new_label, reset);
  for (guint i = 0; i < hunks->len; i++)
    {
      const GhTextDiffHunk *hunk = g_ptr_array_index (hunks, i);
      g_autofree char *header = gh_text_diff_hunk_header (hunk);

      g_print ("%s%s%s\n", cyan, header, reset);
      for (guint j = 0; j < hunk->lines->len; j++)
        {
          const GhTextDiffLine *line = g_ptr_array_index (hunk->lines, j);
          gboolean colored = color && line->kind != GH_TEXT_DIFF_SAME;

          g_print ("%s%c%s%s\n", colored ? line_color[line->kind] : "", gh_text_diff_kind_to_char (line->kind), line->text,
                   colored ? reset : "");
          if (line->missing_newline)
            g_print ("\\ No newline at end of file\n");
        }
    }
}

/* {"from", "to", "equal", "hunks": [{"old_start", "old_count", "new_start", "new_count",
 * "lines": [" text", "-text", "+text"…]}…]} */
static void
print_diff_json (GPtrArray *hunks,
                 gint64     from,
                 gint64     to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "from", from);
  gh_json_add_int (builder, "to", to);
  json_builder_set_member_name (builder, "equal");
  json_builder_add_boolean_value (builder, hunks->len == 0);
  json_builder_set_member_name (builder, "hunks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < hunks->len; i++)
    {
      const GhTextDiffHunk *hunk = g_ptr_array_index (hunks, i);

      json_builder_begin_object (builder);
      gh_json_add_int (builder, "old_start", hunk->old_start);
      gh_json_add_int (builder, "old_count", hunk->old_count);
      gh_json_add_int (builder, "new_start", hunk->new_start);
      gh_json_add_int (builder, "new_count", hunk->new_count);
      json_builder_set_member_name (builder, "lines");
      json_builder_begin_array (builder);
      for (guint j = 0; j < hunk->lines->len; j++)
        {
          const GhTextDiffLine *line = g_ptr_array_index (hunk->lines, j);
          g_autofree char *text = g_strdup_printf ("%c%s", gh_text_diff_kind_to_char (line->kind), line->text);

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  gh_ctl_print_json (root);
}

gboolean
gh_ctl_config_diff (const GhCommand  *command,
                    int               argc,
                    char            **argv,
                    GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GPtrArray) hunks = NULL;
  g_autofree char *old_document = NULL;
  g_autofree char *new_document = NULL;
  g_autofree char *old_label = NULL;
  g_autofree char *new_label = NULL;
  gint64 from = 0, to = 0;
  gboolean color = FALSE;

  if (!want_color (&color, error) ||
      (argc > 1 && !parse_version (argv[1], &from, error)) ||
      (argc > 2 && !parse_version (argv[2], &to, error)) ||
      !gh_ctl_gateway_open_for (&gateway, "config", command, argc, argv, CLAMP (argc - 1, 1, 2), error) ||
      (old_document = read_document (&gateway, from, &from, error)) == NULL ||
      (new_document = read_document (&gateway, to, &to, error)) == NULL)
    return FALSE;

  hunks = gh_text_diff_hunks (old_document, new_document, DIFF_CONTEXT_LINES);
  if (gh_ctl_options.json)
    {
      print_diff_json (hunks, from, to);
    }
  else if (hunks->len > 0)
    {
      old_label = g_strdup_printf ("v%" G_GINT64_FORMAT, from);
      new_label = argc > 2 ? g_strdup_printf ("v%" G_GINT64_FORMAT, to)
                           : g_strdup_printf (_("v%" PRId64 " (current)"), to);
      print_diff (hunks, old_label, new_label, color);
    }

  if (hunks->len > 0)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_QUIET_FAILURE, _("The versions differ"));
      return FALSE;
    }

  return TRUE;
}

gboolean
gh_ctl_config_rollback (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  GError *local_error = NULL;
  gint64 version = 0, if_match = 0, new_version = 0;

  if ((argc > 1 && !parse_version (argv[1], &version, error)) ||
      !gh_ctl_gateway_open_for (&gateway, "config", command, argc, argv, 1, error) ||
      !gh_ctl_gateway_write_version (&gateway, &if_match, error))
    return FALSE;

  gh_admin_client_rollback_config_async (gateway.client, version, if_match, NULL,
                                         gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_rollback_config_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("Rolled back to the configuration of v%" PRId64 "\n"), version);
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}
