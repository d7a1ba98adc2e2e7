/* gh-admin-server-respond.c — answering admin requests, and the checks they share
 *
 * Every answer goes through here: JSON or application/problem+json with a stable type,
 * no caching, and the audit record of a change or a refusal. The checks every handler
 * needs (role, If-Match, the body's members, a limit) answer by themselves when they
 * refuse, so a handler only returns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n.h>

#include "gh-admin-request.h"
#include "gh-admin-server-private.h"
#include "gh-json.h"

#define PROBLEM_BASE "https://gatehouse.invalid/problems/"

char *
_gh_admin_caller_name (GhAdminRequest *request)
{
  return g_strdup (request->caller ? request->caller->subject : "?");
}

char *
_gh_admin_etag (GhAdminServer *self)
{
  return g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", gh_gateway_get_config_version (self->gateway));
}

static gboolean
is_mutation (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  return g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0;
}

static void
audit (GhAdminRequest *request,
       guint           status,
       const char     *detail)
{
  GhAdminCaller *caller = request->caller;
  const char *method = soup_server_message_get_method (request->msg);
  const char *full_path = g_uri_get_path (soup_server_message_get_uri (request->msg));

  if (request->audited)
    return;
  request->audited = TRUE;

  /* Changes and refusals; plain successful reads are not worth a record. */
  if (!is_mutation (request->msg) && status < 400)
    return;
  if (status == SOUP_STATUS_NOT_FOUND && !is_mutation (request->msg))
    return;

  gh_admin_audit_record (request->server->audit,
                         caller ? caller->subject : NULL,
                         caller ? caller->fingerprint : NULL,
                         gh_admin_role_to_string (request->role),
                         method, full_path, request->action, status, detail);
}

static void
finish_response (GhAdminRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  if (request->paused)
    {
      request->paused = FALSE;
      soup_server_message_unpause (request->msg);
    }
}

void
_gh_admin_respond_json (GhAdminRequest *request,
                        guint           status,
                        JsonNode       *node)
{
  g_autoptr(JsonNode) owned = node;
  g_autofree char *text = json_to_string (node, TRUE);
  gsize length = strlen (text);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
  audit (request, status, NULL);
  finish_response (request);
}

static const char *
problem_title (const char *name)
{
  static const struct {
    const char *name;
    const char *title;
  } titles[] = {
    { "not-an-identity", N_("The client certificate is not an identity of this gateway") },
    { "forbidden-role", N_("The identity’s role does not allow this") },
    { "origin-refused", N_("Requests from web pages are refused") },
    { "misdirected", N_("The Host header does not name this listener") },
    { "not-found", N_("Not found") },
    { "method-not-allowed", N_("The method is not allowed here") },
    { "length-required", N_("A request body needs a Content-Length") },
    { "headers-too-large", N_("The request’s header fields are too large") },
    { "body-too-large", N_("The request body is too large") },
    { "unsupported-media-type", N_("The request body is not of the expected type") },
    { "malformed", N_("The request is malformed") },
    { "precondition-required", N_("A change needs If-Match with the configuration version") },
    { "precondition-failed", N_("The configuration changed since that version") },
    { "config-invalid", N_("The configuration is not valid") },
    { "conflict", N_("The request conflicts with the gateway’s state") },
    { "pki-error", N_("The keys or certificates cannot be used") },
    { "unavailable", N_("The gateway is not available") },
    { "too-many-connections", N_("Too many admin connections are open") },
    { "request-timeout", N_("The request did not arrive in time") },
    { "internal", N_("Internal error") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (titles[i].name, name))
      return _(titles[i].title);
  return name;
}

/* A problem document with its first members; the caller adds more and ends it. */
static JsonBuilder *
problem_begin (guint       status,
               const char *name,
               const char *detail)
{
  JsonBuilder *builder = json_builder_new ();
  g_autofree char *type = g_strconcat (PROBLEM_BASE, name, NULL);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "type", type);
  gh_json_add_string (builder, "title", problem_title (name));
  gh_json_add_int (builder, "status", status);
  gh_json_add_string (builder, "detail", detail);
  return builder;
}

static char *
problem_end (JsonBuilder *builder,
             gsize       *length)
{
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  *length = strlen (text);
  return text;
}

char *
_gh_admin_problem_to_text (guint       status,
                           const char *name,
                           const char *detail,
                           JsonNode   *problems)
{
  g_autoptr(JsonBuilder) builder = problem_begin (status, name, detail);
  gsize length;

  if (problems != NULL)
    {
      json_builder_set_member_name (builder, "problems");
      json_builder_add_value (builder, problems);
    }
  return problem_end (builder, &length);
}

const char *
_gh_admin_status_phrase (guint status)
{
  /* Not in libsoup's table. */
  if (status == 428)
    return "Precondition Required";
  if (status == 431)
    return "Request Header Fields Too Large";
  return soup_status_get_phrase (status);
}

void
_gh_admin_respond_problem (GhAdminRequest *request,
                           guint           status,
                           const char     *name,
                           const char     *detail,
                           JsonNode       *problems)
{
  g_autofree char *text = _gh_admin_problem_to_text (status, name, detail, problems);
  gsize length = strlen (text);

  soup_server_message_set_status (request->msg, status, _gh_admin_status_phrase (status));
  soup_server_message_set_response (request->msg, "application/problem+json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
  audit (request, status, detail ? detail : name);
  finish_response (request);
}

JsonNode *
_gh_admin_problems_to_json (GListModel   *problems,
                            const GError *fallback)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = problems != NULL ? g_list_model_get_n_items (problems) : 0;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);

      json_builder_begin_object (builder);
      gh_json_add_string (builder, "path", gh_config_problem_get_path (problem));
      gh_json_add_string (builder, "message", gh_config_problem_get_message (problem));
      json_builder_end_object (builder);
    }
  if (n == 0 && fallback != NULL)
    {
      json_builder_begin_object (builder);
      gh_json_add_string (builder, "path", "");
      gh_json_add_string (builder, "message", fallback->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

void
_gh_admin_respond_apply_error (GhAdminRequest *request,
                               const GError   *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", error->message, NULL);
      return;
    }

  /* A store that does not load, a listener that does not bind: the configuration as
   * it would be is not one the gateway can run. */
  _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "config-invalid", error->message,
                             error->domain == GH_CONFIG_ERROR
                             ? _gh_admin_problems_to_json (gh_config_error_get_problems (error), NULL)
                             : _gh_admin_problems_to_json (NULL, error));
}

void
_gh_admin_request_pause (GhAdminRequest *request)
{
  if (request->paused)
    return;
  request->paused = TRUE;
  soup_server_message_pause (request->msg);
}

gboolean
_gh_admin_require_role (GhAdminRequest *request,
                        GhAdminRole     role)
{
  g_autofree char *detail = NULL;

  if (request->role >= role)
    return TRUE;

  detail = g_strdup_printf (_("This needs the role “%s”; %s has “%s”"), gh_admin_role_to_string (role),
                            request->caller->subject, gh_admin_role_to_string (request->role));
  _gh_admin_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden-role", detail, NULL);
  return FALSE;
}

gboolean
_gh_admin_check_if_match (GhAdminRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *if_match = soup_message_headers_get_list (headers, "If-Match");
  g_autofree char *etag = _gh_admin_etag (request->server);

  if (if_match == NULL)
    {
      _gh_admin_respond_problem (request, 428, "precondition-required",
                                 _("Send If-Match with the ETag of GET /api/v1/config (or “*”)"), NULL);
      return FALSE;
    }

  switch (gh_admin_if_match_evaluate (if_match, etag))
    {
    case GH_ADMIN_IF_MATCH_MATCHES:
      return TRUE;
    case GH_ADMIN_IF_MATCH_MALFORMED:
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 _("If-Match is “*” alone or a list of entity-tags such as \"v3\""), NULL);
      return FALSE;
    case GH_ADMIN_IF_MATCH_FAILS:
      break;
    }

  {
    g_autofree char *detail = g_strdup_printf (_("The configuration is at version %" PRId64
                                                 " now; read it again and re-apply the change"),
                                               gh_gateway_get_config_version (request->server->gateway));
    g_autoptr(JsonBuilder) builder = problem_begin (SOUP_STATUS_PRECONDITION_FAILED, "precondition-failed", detail);
    g_autofree char *text = NULL;
    gsize length;

    gh_json_add_int (builder, "current_version", gh_gateway_get_config_version (request->server->gateway));
    text = problem_end (builder, &length);
    soup_server_message_set_status (request->msg, SOUP_STATUS_PRECONDITION_FAILED, NULL);
    soup_server_message_set_response (request->msg, "application/problem+json", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&text), length);
    soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "ETag", etag);
    audit (request, SOUP_STATUS_PRECONDITION_FAILED, detail);
    finish_response (request);
  }
  return FALSE;
}

JsonObject *
_gh_admin_parse_body_object (GhAdminRequest      *request,
                             const char * const  *allowed,
                             JsonNode           **root)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonObject *object;

  object = gh_admin_body_parse (soup_message_headers_get_list (headers, "Content-Type"), data, length,
                                allowed, root, &error);
  if (object == NULL)
    {
      if (g_error_matches (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MEDIA_TYPE))
        _gh_admin_respond_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                   error->message, NULL);
      else
        _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", error->message, NULL);
    }
  return object;
}

void
_gh_admin_respond_request_error (GhAdminRequest *request,
                                 const GError   *error)
{
  const char *name;
  guint status = gh_admin_request_error_status (error, &name);

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Connection", "close");
  _gh_admin_respond_problem (request, status, name, error->message, NULL);
}

void
_gh_admin_respond_malformed (GhAdminRequest *request,
                             const GError   *error)
{
  _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", error->message, NULL);
}

void
_gh_admin_respond_method_not_allowed (GhAdminRequest *request,
                                      const char     *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Allow", allow);
  _gh_admin_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", NULL, NULL);
}

void
_gh_admin_respond_not_found (GhAdminRequest *request,
                             const char     *detail)
{
  _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", detail, NULL);
}

gboolean
_gh_admin_method_is (GhAdminRequest *request,
                     const char     *method)
{
  return g_strcmp0 (soup_server_message_get_method (request->msg), method) == 0;
}

JsonNode *
_gh_admin_certificate_to_json (GhCertificate *certificate)
{
  JsonNode *node = gh_certificate_to_json (certificate);
  g_autofree char *pem = gh_certificate_to_pem (certificate);

  json_object_set_string_member (json_node_get_object (node), "pem", pem);
  return node;
}

gboolean
_gh_admin_parse_limit (GhAdminRequest *request,
                       const char     *text,
                       guint           fallback,
                       guint           maximum,
                       guint          *limit)
{
  guint64 value;

  if (text == NULL)
    {
      *limit = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, maximum, &value, NULL))
    {
      g_autofree char *detail = g_strdup_printf (_("limit must be a number from 1 to %u"), maximum);

      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", detail, NULL);
      return FALSE;
    }
  *limit = value;
  return TRUE;
}

