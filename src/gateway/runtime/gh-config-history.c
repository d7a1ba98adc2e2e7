/* gh-config-history.c — the numbered versions of a gateway's configuration
 *
 * A directory beside the configuration file holds one file per version
 * (v<N>.json, the configuration document as applied) and index.json, the list of
 * versions with who made them and why. Every file is written atomically and is
 * mode 0600; the directory is 0700.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-config-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-config-history.h"
#include "gh-json.h"

typedef struct {
  gint64  version;
  char   *time;
  char   *identity;
  char   *action;
} Version;

struct _GhConfigHistory
{
  GObject    parent_instance;

  GFile     *directory;
  GPtrArray *versions;  /* of Version, newest first */
};

G_DEFINE_FINAL_TYPE (GhConfigHistory, gh_config_history, G_TYPE_OBJECT)

static void
version_free (gpointer data)
{
  Version *version = data;

  g_free (version->time);
  g_free (version->identity);
  g_free (version->action);
  g_free (version);
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

  for (guint i = 0; i < json_array_get_length (versions) && i < GH_CONFIG_HISTORY_MAX; i++)
    {
      JsonObject *object = json_array_get_object_element (versions, i);
      Version *version;

      if (object == NULL || !json_object_has_member (object, "version"))
        continue;

      version = g_new0 (Version, 1);
      version->version = json_object_get_int_member_with_default (object, "version", 0);
      version->time = g_strdup (json_object_get_string_member_with_default (object, "time", NULL));
      version->identity = g_strdup (json_object_get_string_member_with_default (object, "identity", NULL));
      version->action = g_strdup (json_object_get_string_member_with_default (object, "action", NULL));
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
  return ((Version *) g_ptr_array_index (self->versions, 0))->version;
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
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), NULL);

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "current", gh_config_history_get_current (self));
  json_builder_set_member_name (builder, "versions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->versions->len; i++)
    {
      Version *version = g_ptr_array_index (self->versions, i);

      json_builder_begin_object (builder);
      gh_json_add_int (builder, "version", version->version);
      gh_json_add_string (builder, "time", version->time);
      gh_json_add_string (builder, "identity", version->identity);
      gh_json_add_string (builder, "action", version->action);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
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
  Version *version;
  gsize length;
  const char *data;

  g_return_val_if_fail (GH_IS_CONFIG_HISTORY (self), 0);
  g_return_val_if_fail (document != NULL, 0);

  version = g_new0 (Version, 1);
  version->version = gh_config_history_get_current (self) + 1;
  version->time = gh_json_format_time (g_get_real_time ());
  version->identity = g_strdup (identity);
  version->action = g_strdup (action);

  data = g_bytes_get_data (document, &length);
  file = version_file (self, version->version);
  if (!write_file (file, data, length, error))
    {
      version_free (version);
      return 0;
    }

  g_ptr_array_insert (self->versions, 0, version);
  while (self->versions->len > GH_CONFIG_HISTORY_MAX)
    {
      Version *oldest = g_ptr_array_index (self->versions, self->versions->len - 1);
      g_autoptr(GFile) old_file = version_file (self, oldest->version);

      g_file_delete (old_file, NULL, NULL);
      g_ptr_array_remove_index (self->versions, self->versions->len - 1);
    }

  if (!save_index (self, error))
    return 0;

  return version->version;
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
    if (((Version *) g_ptr_array_index (self->versions, i))->version == version)
      kept = TRUE;

  if (!kept)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Version %" G_GINT64_FORMAT " of the configuration is not kept"), version);
      return NULL;
    }

  file = version_file (self, version);
  return g_file_load_bytes (file, NULL, NULL, error);
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
  self->versions = g_ptr_array_new_with_free_func (version_free);
}
