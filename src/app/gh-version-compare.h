/* gh-version-compare.h — a dialog that compares two versions of a gateway's
 * configuration as a unified line diff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

#define GH_TYPE_VERSION_COMPARE (gh_version_compare_get_type ())

G_DECLARE_FINAL_TYPE (GhVersionCompare, gh_version_compare, GH, VERSION_COMPARE, AdwDialog)

/* @versions: of GhApiConfigVersion, newest first; @old_version and @new_version are
 * preselected (0: the two newest). */
GhVersionCompare *gh_version_compare_new      (GhAdminClient    *client,
                                               GListModel       *versions,
                                               gint64            old_version,
                                               gint64            new_version);

/* The diff shown (for the tests): "-" / "+" / " " before each line; NULL while
 * loading. */
const char       *gh_version_compare_get_diff (GhVersionCompare *self);

G_END_DECLS
