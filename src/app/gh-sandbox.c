/* gh-sandbox.c — what changes when Gatehouse runs inside a Flatpak sandbox
 *
 * Two things a sandbox breaks that work on the host:
 *
 * - Files named on the command line. The sandbox sees the host's files only through
 *   the document portal: `flatpak run --file-forwarding io.github.gatehouse.Gatehouse
 *   --identity @@ FILE @@` hands the app a path under /run/user/UID/doc/ that it can
 *   read. A plain host path is "No such file or directory" inside, which says nothing
 *   of why; the error here names the sandbox and the way to pass the file.
 * - Help. `help:gatehouse` through GtkUriLauncher goes to the OpenURI portal, and the
 *   host's help viewer cannot see /app/share/help ("Document Not Found"). Inside a
 *   sandbox, a help viewer of the runtime's own (one that handles help: there) is
 *   launched directly with g_app_info_launch_default_for_uri(), where it sees the
 *   app's help. The GNOME runtime has none, so the Flatpak build also installs the
 *   help as one self-contained HTML file (help/help-html.py, -Dhelp_html=true), and
 *   the host's browser shows it: GtkFileLauncher hands the OpenURI portal a file
 *   descriptor, not a path, so nothing beside the file and no #fragment would reach
 *   the browser. The file is copied into the app's cache directory (a path the host
 *   sees too) with one line of script that goes to the page asked for; the index,
 *   which lists every page, is at its top. Only without that file does the online
 *   help open.
 *
 * The decisions are pure functions of (sandboxed, viewer present) so that tests run
 * them on the host; gh_sandbox_show_help() asks the system and acts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-sandbox"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "gh-sandbox.h"

#define HELP_URI        "help:gatehouse"
#define ONLINE_HELP_URI "https://github.com/gatehouse/gatehouse/tree/main/help/C"

gboolean
gh_sandbox_is_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

gboolean
gh_sandbox_read_command_line_file (const char  *option,
                                   const char  *path,
                                   gboolean     sandboxed,
                                   char       **contents,
                                   gsize       *length,
                                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (option != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_get_contents (path, contents, length, &local_error))
    return TRUE;

  if (sandboxed && (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
                    g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, local_error->code,
                   /* Translators: %1$s is a command-line option (--identity), %2$s a file's
                    * path, %3$s why it cannot be opened, %4$s the application's id */
                   _("%1$s: “%2$s” cannot be seen inside the Flatpak sandbox (%3$s). "
                     "Pass it through the document portal: flatpak run --file-forwarding "
                     "%4$s %1$s @@ %2$s @@"),
                   option, display, local_error->message, APPLICATION_ID);
      return FALSE;
    }

  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", option);
  return FALSE;
}

char *
gh_sandbox_help_uri (const char *page,
                     gboolean    sandboxed,
                     gboolean    local_help_viewer)
{
  if (sandboxed && !local_help_viewer)
    return g_strdup (ONLINE_HELP_URI "/");
  if (page == NULL)
    return g_strdup (HELP_URI);
  return g_strconcat (HELP_URI "/", page, NULL);
}

/* A help page's id, as the help's anchors have it (help/C/PAGE.page). */
static gboolean
is_page_id (const char *page)
{
  if (page == NULL || *page == '\0')
    return FALSE;
  for (const char *c = page; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

GFile *
gh_sandbox_write_help_html (const char  *help_html,
                            const char  *page,
                            const char  *cache_dir,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) copy = NULL;
  const char *body_end;

  g_return_val_if_fail (help_html != NULL, NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  if (!g_file_get_contents (help_html, &contents, NULL, error))
    return NULL;

  copy = g_string_new (contents);
  body_end = g_strrstr (copy->str, "</body>");
  if (is_page_id (page) && body_end != NULL)
    {
      g_autofree char *jump = g_strdup_printf ("<script>if (!location.hash) location.replace (\"#%s\");</script>\n",
                                               page);

      g_string_insert (copy, body_end - copy->str, jump);
    }

  dir = g_build_filename (cache_dir, "gatehouse", NULL);
  path = g_build_filename (dir, "gatehouse-help.html", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_set_contents (path, copy->str, copy->len, error))
    return NULL;
  return g_file_new_for_path (path);
}

static void
help_launched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean launched;

  if (GTK_IS_FILE_LAUNCHER (source))
    launched = gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (source), result, &error);
  else
    launched = gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error);
  if (!launched && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("Could not open the help: %s", error->message);
}

void
gh_sandbox_show_help (GtkWindow  *parent,
                      const char *page)
{
  gboolean sandboxed = gh_sandbox_is_flatpak ();
  g_autoptr(GAppInfo) viewer = NULL;
  g_autofree char *uri = NULL;

  if (sandboxed)
    viewer = g_app_info_get_default_for_uri_scheme ("help");

  if (viewer != NULL)
    {
      g_autoptr(GdkAppLaunchContext) context = NULL;
      g_autoptr(GError) error = NULL;

      uri = gh_sandbox_help_uri (page, sandboxed, TRUE);
      g_debug ("Opening help at %s with %s", uri, g_app_info_get_name (viewer));
      if (parent != NULL)
        context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));
      if (g_app_info_launch_default_for_uri (uri, G_APP_LAUNCH_CONTEXT (context), &error))
        return;
      g_warning ("Could not open the help with %s: %s", g_app_info_get_name (viewer), error->message);
    }

  if (sandboxed && g_file_test (HELP_HTML_FILE, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = gh_sandbox_write_help_html (HELP_HTML_FILE, page,
                                                          g_get_user_cache_dir (), &error);

      if (file != NULL)
        {
          g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);
          g_autofree char *file_uri = g_file_get_uri (file);

          g_debug ("Opening help at %s (page %s)", file_uri, page != NULL ? page : "index");
          gtk_file_launcher_launch (launcher, parent, NULL, help_launched, NULL);
          return;
        }
      g_warning ("Could not copy the help for the browser: %s", error->message);
    }

  {
    g_autoptr(GtkUriLauncher) launcher = NULL;

    g_clear_pointer (&uri, g_free);
    uri = gh_sandbox_help_uri (page, sandboxed, FALSE);
    g_debug ("Opening help at %s", uri);
    launcher = gtk_uri_launcher_new (uri);
    gtk_uri_launcher_launch (launcher, parent, NULL, help_launched, NULL);
  }
}
