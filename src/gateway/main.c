/* main.c — gatehoused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-daemon-commands.h"

int
main (int   argc,
      char *argv[])
{
  return gh_command_main (gh_daemon_get_command (), argc, argv);
}
