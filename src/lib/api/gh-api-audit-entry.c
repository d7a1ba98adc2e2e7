/* gh-api-audit-entry.c — one record of GET /api/v1/audit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-audit-entry"

#include "config.h"

#include "gh-api-audit-entry.h"
#include "gh-api-private.h"

struct _GhApiAuditEntry
{
  GObject    parent_instance;

  GDateTime *time;
  char      *subject;
  char      *fingerprint;
  char      *role;
  char      *method;
  char      *path;
  char      *action;
  gint64     status;
  char      *detail;
};

G_DEFINE_FINAL_TYPE (GhApiAuditEntry, gh_api_audit_entry, G_TYPE_OBJECT)

static void
gh_api_audit_entry_finalize (GObject *object)
{
  GhApiAuditEntry *self = GH_API_AUDIT_ENTRY (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (gh_api_audit_entry_parent_class)->finalize (object);
}

static void
gh_api_audit_entry_class_init (GhApiAuditEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_audit_entry_finalize;
}

static void
gh_api_audit_entry_init (GhApiAuditEntry *self)
{
}

/**
 * gh_api_audit_entry_new_from_json:
 * @node: {"time", "subject", "fingerprint", "role", "method", "path", "action",
 *   "status", "detail"}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the record
 */
GhApiAuditEntry *
gh_api_audit_entry_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GhApiAuditEntry) self = g_object_new (GH_TYPE_API_AUDIT_ENTRY, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "audit entry", error);

  if (object == NULL ||
      !_gh_api_get_time (object, "audit entry", "time", GH_API_REQUIRED | GH_API_NULLABLE, &self->time, error) ||
      !_gh_api_get_string (object, "audit entry", "subject", GH_API_NULLABLE, &self->subject, error) ||
      !_gh_api_get_string (object, "audit entry", "fingerprint", GH_API_NULLABLE, &self->fingerprint, error) ||
      !_gh_api_get_string (object, "audit entry", "role", GH_API_NULLABLE, &self->role, error) ||
      !_gh_api_get_string (object, "audit entry", "method", GH_API_REQUIRED, &self->method, error) ||
      !_gh_api_get_string (object, "audit entry", "path", GH_API_REQUIRED, &self->path, error) ||
      !_gh_api_get_string (object, "audit entry", "action", GH_API_NULLABLE, &self->action, error) ||
      !_gh_api_get_int (object, "audit entry", "status", GH_API_REQUIRED, &self->status, error) ||
      !_gh_api_get_string (object, "audit entry", "detail", GH_API_NULLABLE, &self->detail, error))
    return NULL;

  if (self->status < 100 || self->status > 599)
    {
      _gh_api_set_protocol_error (error, "audit entry.status %" G_GINT64_FORMAT " is not an HTTP status",
                                  self->status);
      return NULL;
    }

  return g_steal_pointer (&self);
}

GDateTime *
gh_api_audit_entry_get_time (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->time;
}

const char *
gh_api_audit_entry_get_subject (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->subject;
}

const char *
gh_api_audit_entry_get_fingerprint (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->fingerprint;
}

const char *
gh_api_audit_entry_get_role (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->role;
}

const char *
gh_api_audit_entry_get_method (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->method;
}

const char *
gh_api_audit_entry_get_path (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->path;
}

const char *
gh_api_audit_entry_get_action (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->action;
}

guint
gh_api_audit_entry_get_status (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), 0);
  return (guint) self->status;
}

const char *
gh_api_audit_entry_get_detail (GhApiAuditEntry *self)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (self), NULL);
  return self->detail;
}
