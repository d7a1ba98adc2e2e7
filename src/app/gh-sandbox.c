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
 *   app's help; without one the online help opens through the portal.
 *
 * The decisions are pure functions of (sandboxed, viewer present) so that tests run
 * them on the host; gh_sandbox_show_help() asks the system and acts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-sandbox"

#include "config.h"

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

static void
help_launched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
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
  uri = gh_sandbox_help_uri (page, sandboxed, viewer != NULL);
  g_debug ("Opening help at %s", uri);

  if (viewer != NULL)
    {
      g_autoptr(GdkAppLaunchContext) context = NULL;
      g_autoptr(GError) error = NULL;

      if (parent != NULL)
        context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));
      if (g_app_info_launch_default_for_uri (uri, G_APP_LAUNCH_CONTEXT (context), &error))
        return;
      g_warning ("Could not open the help with %s: %s", g_app_info_get_name (viewer), error->message);
      g_clear_pointer (&uri, g_free);
      uri = gh_sandbox_help_uri (page, sandboxed, FALSE);
    }

  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, parent, NULL, help_launched, NULL);
  }
}
