/* gh-admin-server-guard.c — the admin server's side of the guard in front of libsoup
 *
 * Every connection's decrypted stream reaches libsoup through a GhAdminGuardStream
 * (gh-admin-guard-stream.c), which refuses request heads before libsoup reads them:
 * a body announced over GH_ADMIN_MAX_BODY (413) while the client is still sending it,
 * a Content-Length that is not one number or comes with Transfer-Encoding (400),
 * chunked bodies (411), heads over GH_ADMIN_MAX_HEAD_BYTES or GH_ADMIN_MAX_HEAD_FIELDS
 * (431). Here the refusal gets its answer, a problem document like every other, and
 * its audit record when the request line said what was asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <string.h>

#include "gh-admin-guard-stream.h"
#include "gh-admin-server-private.h"

typedef struct {
  GhAdminServer *server;  /* weak */
  char          *peer;
} Guarded;

static void
guarded_free (gpointer data)
{
  Guarded *guarded = data;

  if (guarded->server != NULL)
    g_object_remove_weak_pointer (G_OBJECT (guarded->server), (gpointer *) &guarded->server);
  g_free (guarded->peer);
  g_free (guarded);
}

static void
audit_refusal (GhAdminServer            *self,
               const char               *peer,
               const GhAdminRequestHead *head,
               guint                     status,
               const char               *detail)
{
  GhAdminCaller *caller = gh_admin_connections_lookup_peer (self->connections, peer);
  g_autofree char *path = NULL;
  GhAdminRole role;

  if (caller == NULL || head->method == NULL || head->path == NULL)
    {
      g_message ("admin %s: refused (%u): %s", peer, status, detail);
      return;
    }

  path = g_strndup (head->path, strcspn (head->path, "?"));
  role = gh_gateway_config_lookup_admin_role (gh_gateway_get_config (self->gateway), caller->subject,
                                              caller->fingerprint);
  gh_admin_audit_record (self->audit, caller->subject, caller->fingerprint, gh_admin_role_to_string (role),
                         head->method, path, NULL, status, detail);
}

static GBytes *
refuse (GhAdminGuardStream       *stream,
        const GhAdminRequestHead *head,
        const GError             *error,
        gpointer                  user_data)
{
  Guarded *guarded = user_data;
  const char *name;
  guint status = gh_admin_request_error_status (error, &name);
  g_autofree char *text = NULL;
  gsize length;

  if (guarded->server != NULL)
    audit_refusal (guarded->server, guarded->peer, head, status, error->message);

  text = _gh_admin_problem_to_text (status, name, error->message, NULL);
  length = strlen (text);
  return gh_admin_guard_response_new (status, _gh_admin_status_phrase (status), "application/problem+json",
                                      text, length);
}

GIOStream *
_gh_admin_guard_connection (GhAdminServer *self,
                            GIOStream     *tls,
                            const char    *peer)
{
  Guarded *guarded = g_new0 (Guarded, 1);

  guarded->server = self;
  guarded->peer = g_strdup (peer);
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &guarded->server);

  return G_IO_STREAM (gh_admin_guard_stream_new (tls, GH_ADMIN_MAX_BODY, "/api/v1/events", refuse,
                                                 guarded, guarded_free));
}
