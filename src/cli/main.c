/* main.c — gatehousectl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-ctl-commands.h"

int
main (int   argc,
      char *argv[])
{
  /* Held for the whole run, as g_application_run() does: the waits iterate it, and
   * between two iterations no other thread may take it (glib-networking's handshake
   * thread iterates a free context to ask libsoup for the client certificate). */
  if (!g_main_context_acquire (NULL))
    return 1;
  return gh_command_main (gh_ctl_get_command (), argc, argv);
}
