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
  return gh_command_main (gh_ctl_get_command (), argc, argv);
}
