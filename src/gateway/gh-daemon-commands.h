/* gh-daemon-commands.h — the command line of gatehoused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-command.h"

G_BEGIN_DECLS

const GhCommand *gh_daemon_get_command (void);

G_END_DECLS
