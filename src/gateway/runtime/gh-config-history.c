/* gh-config-history.c — the numbered versions of a gateway's configuration
 *
 * A directory beside the configuration file holds one file per version
 * (v<N>.json, the configuration document as applied) and index.json, the list of
 * versions with who made them and why. Every file is written atomically and is
 * mode 0600; the directory is 0700.
 *
 * The index is the answer of GET /config/versions as it stands: its versions are
 * GhApiConfigVersion, read and written by lib/api, so the file and the API cannot
 * drift apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-config-history"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-api-config-version.h"
#include "gh-config-error.h"
#include "gh-config-history.h"
#include "gh-file-util.h"

struct _GhConfigHistory
{
  GObject    parent_instance;

  GFile     *directory;
  GPtrArray *versions;  /* of GhApiConfigVersion, newest first */
};

G_DEFINE_FINAL_TYPE (GhConfigHistory, gh_config_history, G_TYPE_OBJECT)

static gint64
version_at (GhConfigHistory *self,
            guint            index)
{
  return gh_api_config_version_get_version (g_ptr_array_index (self->versions, index));
}

static GFile *
version_file (GhConfigHistory *self,
              gint64           version)
{
  g_autofree char *name = g_strdup_printf ("v%" G_GINT64_FORMAT ".json", version);

  return g_file_get_child (self->directory, name);
}

static gboolean
write_file (GFile       *file,
            const char  *data,
            gsize        length,
            GError     **error)
{
  return g_file_set_contents_full (g_file_peek_path (file), data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static void
load_index (GhConfigHistory *self)
{
  g_autoptr(GFile) index = g_file_get_child (self->directory, "index.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonArray *versions;

  if (!g_file_query_exists (index, NULL))
    return;

  if (!json_parser_load_from_mapped_file (parser, g_file_peek_path (index), &error))
    {
      g_warning ("%s: %s; starting a new history", g_file_peek_path (index), error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (versions = json_object_get_array_member (json_node_get_object (root), "versions")) == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (versions) && self->versions->len < GH_CONFIG_HISTORY_MAX; i++)
    {
      g_autoptr(GError) local_error = NULL;
      GhApiConfigVersion *version = gh_api_config_version_new_from_json (json_array_get_element (versions, i),
                                                                         &local_error);

      if (version == NULL)
        {
          g_warning ("%s: version %u left out: %s", g_file_peek_path (index), i, local_error->message);
          continue;
        }
      g_ptr_array_add (self->versions, version);
    }
}

/**
 * gh_config_history_new:
 * @directory: where the history is kept
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the history, or %NULL when @directory cannot be made
 */
GhConfigHistory *
gh_config_history_new (GFile   *directory,
                       GError **error)
{
  g_autoptr(GhConfigHistory) self = NULL;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  if (g_mkdir_with_parents (g_file_peek_path (directory), 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the configuration history %s: %s"),
                   g_file_peek_path (directory), g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (GH_TYPE_CONFIG_HISTORY, NULL);
  self->directory = g_object_ref (directory);
  load_index (self);
  return g_steal_pointer (&self);
}

gint64
gh_config_history_get_current (GhConfigHistory *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), 0);

  if (self->versions->len == 0)
    return 0;
  return version_at (self, 0);
}

GBytes *
gh_config_history_dup_latest (GhConfigHistory *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), NULL);

  if (self->versions->len == 0)
    return NULL;
  return gh_config_history_load (self, gh_config_history_get_current (self), NULL);
}

JsonNode *
gh_config_history_to_json (GhConfigHistory *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), NULL);

  return gh_api_config_versions_to_json (gh_config_history_get_current (self), self->versions);
}

static gboolean
save_index (GhConfigHistory  *self,
            GError          **error)
{
  g_autoptr(GFile) index = g_file_get_child (self->directory, "index.json");
  g_autoptr(JsonNode) root = gh_config_history_to_json (self);
  g_autofree char *text = json_to_string (root, TRUE);

  return write_file (index, text, strlen (text), error);
}

gint64
gh_config_history_record (GhConfigHistory  *self,
                          GBytes           *document,
                          const char       *identity,
                          const char       *action,
                          GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 number;
  gsize length;
  const char *data;

  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), 0);
  g_return_val_if_fail (document != NULL, 0);

  number = gh_config_history_get_current (self) + 1;
  data = g_bytes_get_data (document, &length);
  file = version_file (self, number);
  if (!write_file (file, data, length, error))
    return 0;

  now = g_date_time_new_from_unix_utc_usec (g_get_real_time ());
  g_ptr_array_insert (self->versions, 0, gh_api_config_version_new (number, now, identity, action));
  while (self->versions->len > GH_CONFIG_HISTORY_MAX)
    {
      g_autoptr(GFile) old_file = version_file (self, version_at (self, self->versions->len - 1));

      g_file_delete (old_file, NULL, NULL);
      g_ptr_array_remove_index (self->versions, self->versions->len - 1);
    }

  if (!save_index (self, error))
    return 0;

  return number;
}

GBytes *
gh_config_history_load (GhConfigHistory  *self,
                        gint64            version,
                        GError          **error)
{
  g_autoptr(GFile) file = NULL;
  gboolean kept = FALSE;

  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), NULL);

  for (guint i = 0; i < self->versions->len; i++)
    if (version_at (self, i) == version)
      kept = TRUE;

  if (!kept)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Version %" PRId64 " of the configuration is not kept"), version);
      return NULL;
    }

  /* The history is the gateway's own directory: a link there is someone else's doing. */
  file = version_file (self, version);
  return gh_file_load_bounded (file, GH_CONFIG_MAX_SIZE, GH_FILE_LOAD_NO_FOLLOW, error);
}

static void
gh_config_history_finalize (GObject *object)
{
  GhConfigHistory *self = GH_CONFIG_HISTORY (object);

  g_clear_object (&self->directory);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_config_history_parent_class)->finalize (object);
}

static void
gh_config_history_class_init (GhConfigHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_config_history_finalize;
}

static void
gh_config_history_init (GhConfigHistory *self)
{
  self->versions = g_ptr_array_new_with_free_func (g_object_unref);
}
