/* gh-ctl-commands.h — the command line of gatehousectl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-command.h"

G_BEGIN_DECLS

const GhCommand *gh_ctl_get_command (void);

G_END_DECLS
