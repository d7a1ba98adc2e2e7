/* gh-admin-audit.c — who did what through the admin API, and what came of it
 *
 * Records are kept in memory (the newest GH_ADMIN_AUDIT_KEPT) and appended to a file,
 * one JSON object a line. Nothing a caller sends goes into a record but the method,
 * the path and what the server made of it: never a body, so never a key or password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-audit"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "gh-admin-audit.h"
#include "gh-json.h"

struct _GhAdminAudit
{
  GObject   parent_instance;

  GFile    *file;
  GQueue    records;  /* of JsonNode, newest first */
  guint64   count;    /* records made since the start */
  gboolean  warned;
};

G_DEFINE_FINAL_TYPE (GhAdminAudit, gh_admin_audit, G_TYPE_OBJECT)

GhAdminAudit *
gh_admin_audit_new (GFile *file)
{
  GhAdminAudit *self = g_object_new (GH_TYPE_ADMIN_AUDIT, NULL);

  g_set_object (&self->file, file);
  return self;
}

static void
append_line (GhAdminAudit *self,
             const char   *line)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gsize length = strlen (text);
  gsize written = 0;
  int fd;

  fd = g_open (g_file_peek_path (self->file), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  while (fd >= 0 && written < length)
    {
      gssize n = write (fd, text + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      written += n;
    }

  if ((fd < 0 || written < length) && !self->warned)
    {
      /* Said once: the in-memory records go on. */
      g_warning ("cannot write the audit log %s: %s", g_file_peek_path (self->file), g_strerror (errno));
      self->warned = TRUE;
    }
  if (fd >= 0)
    close (fd);
}

void
gh_admin_audit_record (GhAdminAudit *self,
                       const char   *subject,
                       const char   *fingerprint,
                       const char   *role,
                       const char   *method,
                       const char   *path,
                       const char   *action,
                       guint         status,
                       const char   *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = gh_json_format_time (g_get_real_time ());
  JsonNode *record;

  g_return_if_fail (GH_IS_ADMIN_AUDIT (self));

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "time", time);
  gh_json_add_string (builder, "subject", subject);
  gh_json_add_string (builder, "fingerprint", fingerprint);
  gh_json_add_string (builder, "role", role);
  gh_json_add_string (builder, "method", method);
  gh_json_add_string (builder, "path", path);
  gh_json_add_string (builder, "action", action);
  gh_json_add_int (builder, "status", status);
  gh_json_add_string (builder, "detail", detail);
  json_builder_end_object (builder);
  record = json_builder_get_root (builder);

  g_message ("audit: %s %s %s by %s (%s): %u%s%s", method, path, action ? action : "",
             subject ? subject : "?", role ? role : "no role", status,
             detail ? ": " : "", detail ? detail : "");

  if (self->file != NULL)
    {
      g_autofree char *line = json_to_string (record, FALSE);

      append_line (self, line);
    }

  g_queue_push_head (&self->records, record);
  self->count++;
  while (self->records.length > GH_ADMIN_AUDIT_KEPT)
    json_node_unref (g_queue_pop_tail (&self->records));
}

JsonNode *
gh_admin_audit_to_json (GhAdminAudit *self,
                        guint         limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = 0;

  g_return_val_if_fail (GH_IS_ADMIN_AUDIT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (GList *l = self->records.head; l != NULL && n < limit; l = l->next, n++)
    json_builder_add_value (builder, json_node_copy (l->data));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

guint64
gh_admin_audit_get_count (GhAdminAudit *self)
{
  g_return_val_if_fail (GH_IS_ADMIN_AUDIT (self), 0);

  return self->count;
}

JsonNode *
gh_admin_audit_since (GhAdminAudit *self,
                      guint64       count,
                      guint         limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 wanted;
  guint n = 0;

  g_return_val_if_fail (GH_IS_ADMIN_AUDIT (self), NULL);

  wanted = self->count > count ? self->count - count : 0;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (GList *l = self->records.head; l != NULL && n < limit && n < wanted; l = l->next, n++)
    json_builder_add_value (builder, json_node_copy (l->data));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, wanted > n);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
gh_admin_audit_finalize (GObject *object)
{
  GhAdminAudit *self = GH_ADMIN_AUDIT (object);

  g_queue_clear_full (&self->records, (GDestroyNotify) json_node_unref);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (gh_admin_audit_parent_class)->finalize (object);
}

static void
gh_admin_audit_class_init (GhAdminAuditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_admin_audit_finalize;
}

static void
gh_admin_audit_init (GhAdminAudit *self)
{
  g_queue_init (&self->records);
}
