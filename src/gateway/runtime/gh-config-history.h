/* gh-config-history.h — the numbered versions of a gateway's configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How many versions are kept; older ones are deleted. */
#define GH_CONFIG_HISTORY_MAX 50

#define GH_TYPE_CONFIG_HISTORY (gh_config_history_get_type ())

G_DECLARE_FINAL_TYPE (GhConfigHistory, gh_config_history, GH, CONFIG_HISTORY, GObject)

/* Opens (or creates, mode 0700) the history kept in @directory. */
GhConfigHistory *gh_config_history_new         (GFile            *directory,
                                                GError          **error);
/* 0 while nothing is recorded. */
gint64           gh_config_history_get_current (GhConfigHistory  *self);
/* The newest recorded document, or NULL. */
GBytes          *gh_config_history_dup_latest  (GhConfigHistory  *self);
/* Records @document as a new version and returns its number, or 0 on error. */
gint64           gh_config_history_record      (GhConfigHistory  *self,
                                                GBytes           *document,
                                                const char       *identity,
                                                const char       *action,
                                                GError          **error);
/* {"current": N, "versions": [{"version", "time", "identity", "action"}…]}, newest first. */
JsonNode        *gh_config_history_to_json     (GhConfigHistory  *self);
/* The document of @version; G_IO_ERROR_NOT_FOUND when it is not kept. */
GBytes          *gh_config_history_load        (GhConfigHistory  *self,
                                                gint64            version,
                                                GError          **error);

G_END_DECLS
