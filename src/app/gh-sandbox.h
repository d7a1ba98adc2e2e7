/* gh-sandbox.h — what changes when Gatehouse runs inside a Flatpak sandbox:
 * files named on the command line, and where help opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE inside a Flatpak sandbox (/.flatpak-info exists). */
gboolean gh_sandbox_is_flatpak            (void);

/* Reads @path, named by the command-line @option, whole. When it cannot be read
 * and @sandboxed, the error says that the path may be outside what the sandbox
 * sees and how to pass it with `flatpak run --file-forwarding`. */
gboolean gh_sandbox_read_command_line_file (const char  *option,
                                            const char  *path,
                                            gboolean     sandboxed,
                                            char       **contents,
                                            gsize       *length,
                                            GError     **error);

/* Where help is opened: `help:gatehouse[/PAGE]` outside a sandbox, or inside one
 * whose runtime has a help viewer of its own; otherwise the online help, through the
 * OpenURI portal (the host's viewer cannot see the help inside the sandbox). */
char    *gh_sandbox_help_uri              (const char  *page,
                                           gboolean     sandboxed,
                                           gboolean     local_help_viewer);

/* Copies the help as one HTML file, @help_html, into @cache_dir/gatehouse/ for the
 * host's browser, with a line of script that goes to @page's anchor when it is opened
 * without one (@page NULL: the top, the index). Returns the copy. */
GFile   *gh_sandbox_write_help_html       (const char  *help_html,
                                           const char  *page,
                                           const char  *cache_dir,
                                           GError     **error);

/* Opens help at @page (NULL: the index) for @parent. */
void     gh_sandbox_show_help             (GtkWindow   *parent,
                                           const char  *page);

G_END_DECLS
