/* gh-admin-client.c — the admin API of gatehoused on libsoup 3
 *
 * TLS: the session has no certificate database, so every server certificate fails
 * verification and SoupMessage::accept-certificate decides: it accepts exactly the
 * certificate whose SHA-256 fingerprint is the pin, and records what the server
 * showed (for the probe of first contact, and for the error message of a mismatch).
 * The answer is checked again against the pin once it arrives, in case a connection
 * was reused. The client certificate is set on each message before it is sent
 * (soup_message_set_tls_client_certificate(), which libsoup 3.6 gives to the first
 * connection the message gets), and again from SoupMessage::request-certificate for
 * a message that lands on another connection.
 *
 * Every request is one GTask made from a GhAdminCall, the endpoint's description
 * (method, path, how the answer reads: gh-admin-client-private.h), with the message
 * and the configuration version the answer carries. This file is the core: the
 * session, the TLS pin and the client certificate, sending, and the mapping of
 * failures and problem answers to GH_API_ERROR; the endpoints live in one file per
 * resource, as the server's handlers do (gh-admin-client-config.c, -services.c,
 * -keystore.c, -sessions.c, -info.c, -audit.c), and the generic call at the end
 * serves what has no typed call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-admin-client-private.h"
#include "gh-admin-identity.h"
#include "gh-api-private.h"

struct _GhAdminClient
{
  GObject          parent_instance;

  char            *base_url;       /* "https://host:port", no trailing slash */
  GTlsCertificate *identity;
  char            *pin;            /* normalized, or NULL */
  gboolean         pin_given;      /* a pin was given, valid or not */
  SoupSession     *session;
};

G_DEFINE_FINAL_TYPE (GhAdminClient, gh_admin_client, G_TYPE_OBJECT)

/* What a message learned in its TLS handshake (qdata of the SoupMessage). */
typedef struct {
  GTlsCertificate *peer;          /* what the server showed */
  char            *fingerprint;   /* its SHA-256 */
  gboolean         refused;       /* accept-certificate said no */
  gboolean         probe;         /* a probe: accept nothing */
} MessageTls;

static GQuark message_tls_quark;

static void
message_tls_free (MessageTls *tls)
{
  g_clear_object (&tls->peer);
  g_free (tls->fingerprint);
  g_free (tls);
}

static MessageTls *
message_get_tls (SoupMessage *message)
{
  MessageTls *tls = g_object_get_qdata (G_OBJECT (message), message_tls_quark);

  if (tls == NULL)
    {
      tls = g_new0 (MessageTls, 1);
      g_object_set_qdata_full (G_OBJECT (message), message_tls_quark, tls, (GDestroyNotify) message_tls_free);
    }

  return tls;
}

static void
gh_admin_client_finalize (GObject *object)
{
  GhAdminClient *self = GH_ADMIN_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->pin, g_free);

  G_OBJECT_CLASS (gh_admin_client_parent_class)->finalize (object);
}

static void
gh_admin_client_class_init (GhAdminClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_admin_client_finalize;

  message_tls_quark = g_quark_from_static_string ("gh-admin-client-message-tls");
}

static void
gh_admin_client_init (GhAdminClient *self)
{
}

/* Fingerprints */

char *
gh_api_fingerprint_normalize (const char *text)
{
  GString *out;
  guint n = 0;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (95);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isxdigit (*p) || n == 64)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (n > 0 && n % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (*p));
      n++;
    }

  if (n != 64)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

char *
gh_api_fingerprint_of_certificate (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return gh_api_fingerprint_normalize (hex);
}

/* Identity */

GTlsCertificate *
gh_admin_client_load_identity (const char  *pkcs12_path,
                               const char  *password,
                               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (pkcs12_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The loader says why (gh-admin-identity.h); the client's callers need only that it failed. */
  certificate = gh_admin_identity_load (pkcs12_path, password, &local_error);
  if (certificate == NULL)
    g_set_error_literal (error, GH_API_ERROR, GH_API_ERROR_IDENTITY, local_error->message);
  return certificate;
}

/* The client */

GhAdminClient *
gh_admin_client_new (const char      *base_url,
                     GTlsCertificate *identity,
                     const char      *pinned_sha256)
{
  GhAdminClient *self;
  g_autofree char *url = NULL;
  gsize length;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (identity == NULL || G_IS_TLS_CERTIFICATE (identity), NULL);

  self = g_object_new (GH_TYPE_ADMIN_CLIENT, NULL);

  url = g_strdup (base_url);
  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';
  if (g_str_has_suffix (url, "/api/v1"))
    url[length - strlen ("/api/v1")] = '\0';
  self->base_url = g_steal_pointer (&url);

  g_set_object (&self->identity, identity);
  self->pin_given = pinned_sha256 != NULL;
  self->pin = gh_api_fingerprint_normalize (pinned_sha256);

  self->session = soup_session_new_with_options ("user-agent", "gatehouse/" PACKAGE_VERSION,
                                                 "timeout", 30,
                                                 NULL);
  /* No database: every certificate goes through accept-certificate and the pin. */
  soup_session_set_tls_database (self->session, NULL);

  return self;
}

const char *
gh_admin_client_get_base_url (GhAdminClient *self)
{
  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  return self->base_url;
}

GTlsCertificate *
gh_admin_client_get_identity (GhAdminClient *self)
{
  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  return self->identity;
}

const char *
gh_admin_client_get_pinned_sha256 (GhAdminClient *self)
{
  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  return self->pin;
}

SoupSession *
_gh_admin_client_get_session (GhAdminClient *self)
{
  return self->session;
}

char *
_gh_admin_client_dup_url (GhAdminClient *self,
                          const char    *path,
                          gboolean       websocket)
{
  const char *base = self->base_url;

  if (websocket && g_str_has_prefix (base, "https://"))
    return g_strconcat ("wss://", base + strlen ("https://"), "/api/v1/", path, NULL);

  return g_strconcat (base, "/api/v1/", path, NULL);
}

static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GhAdminClient *self = user_data;
  MessageTls *tls = message_get_tls (message);

  g_set_object (&tls->peer, certificate);
  g_free (tls->fingerprint);
  tls->fingerprint = gh_api_fingerprint_of_certificate (certificate);

  if (!tls->probe && self->pin != NULL && tls->fingerprint != NULL &&
      strcmp (tls->fingerprint, self->pin) == 0)
    return TRUE;

  tls->refused = TRUE;
  return FALSE;
}

/* libsoup hands the certificate set on a message to the first connection the message
 * gets, once; a message moved to another connection (a closed keep-alive connection,
 * a retry) asks again here. */
static gboolean
on_request_certificate (SoupMessage          *message,
                        GTlsClientConnection *connection,
                        gpointer              user_data)
{
  GhAdminClient *self = user_data;

  if (self->identity == NULL)
    return FALSE;

  soup_message_set_tls_client_certificate (message, self->identity);
  return TRUE;
}

SoupMessage *
_gh_admin_client_new_message (GhAdminClient *self,
                              const char    *method,
                              const char    *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessage *message;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0))
    return NULL;

  message = soup_message_new_from_uri (method, uri);
  if (message == NULL)
    return NULL;

  message_get_tls (message);
  if (self->identity != NULL)
    soup_message_set_tls_client_certificate (message, self->identity);
  g_signal_connect_object (message, "accept-certificate", G_CALLBACK (on_accept_certificate), self, 0);
  g_signal_connect_object (message, "request-certificate", G_CALLBACK (on_request_certificate), self, 0);

  return message;
}

static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED);
}

GError *
_gh_admin_client_translate_error (GhAdminClient *self,
                                  SoupMessage   *message,
                                  GError        *error)
{
  MessageTls *tls = message != NULL ? message_get_tls (message) : NULL;
  GError *translated;

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == GH_API_ERROR)
    return error;

  if (tls != NULL && tls->refused && !tls->probe)
    {
      if (self->pin != NULL)
        translated = g_error_new (GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH,
                                  _("The gateway’s certificate is not the one pinned: its SHA-256 fingerprint is %s, "
                                    "and %s was expected. If the gateway’s admin certificate was replaced on purpose, "
                                    "confirm the new fingerprint; otherwise something is between you and the gateway"),
                                  tls->fingerprint != NULL ? tls->fingerprint : "?", self->pin);
      else if (self->pin_given)
        translated = g_error_new_literal (GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH,
                                          _("The pinned fingerprint is not a SHA-256 fingerprint (64 hexadecimal digits)"));
      else
        translated = g_error_new (GH_API_ERROR, GH_API_ERROR_PIN_MISMATCH,
                                  _("No fingerprint is pinned for this gateway yet: confirm its certificate "
                                    "(SHA-256 %s) first"),
                                  tls->fingerprint != NULL ? tls->fingerprint : "?");
    }
  else if (is_unreachable (error))
    translated = g_error_new (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                              _("Could not reach the gateway at %s: %s"), self->base_url, error->message);
  else if (error->domain == G_TLS_ERROR ||
           (tls != NULL && tls->peer != NULL &&
            (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED))))
    translated = g_error_new (GH_API_ERROR, GH_API_ERROR_TLS,
                              _("The TLS handshake with the gateway failed (is the admin identity one the gateway "
                                "accepts?): %s"), error->message);
  else if (error->domain == SOUP_SESSION_ERROR)
    translated = g_error_new (GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                              _("The gateway’s answer could not be read: %s"), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    translated = g_error_new (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                              _("The gateway at %s closed the connection: %s"), self->base_url, error->message);
  else
    translated = g_error_new (GH_API_ERROR, GH_API_ERROR_FAILED,
                              _("The request to the gateway failed: %s"), error->message);

  g_error_free (error);
  return translated;
}

/* Requests */

static void
request_free (GhAdminRequest *request)
{
  g_clear_object (&request->message);
  g_free (request->path);
  g_free (request);
}

/* A GBytes whose memory is zeroed when freed: request bodies with a password. */
static void
wipe_and_free (gpointer data)
{
  GString *text = data;

  memset (text->str, 0, text->allocated_len);
  g_string_free (text, TRUE);
}

GBytes *
_gh_admin_body_new_secret (GString *text)
{
  gsize length = text->len;

  return g_bytes_new_with_free_func (text->str, length, wipe_and_free, text);
}

GBytes *
_gh_admin_body_new_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static gint64
version_from_etag (const char *etag)
{
  const char *p;
  char *end = NULL;
  gint64 version;

  if (etag == NULL)
    return 0;
  p = etag;
  if (g_str_has_prefix (p, "W/"))
    p += 2;
  if (*p == '"')
    p++;
  if (*p != 'v')
    return 0;
  p++;
  if (!g_ascii_isdigit (*p))
    return 0;
  version = g_ascii_strtoll (p, &end, 10);
  if (end == NULL || (*end != '"' && *end != '\0'))
    return 0;

  return version;
}

static GhApiError
code_from_status (guint status)
{
  switch (status)
    {
    case 400: return GH_API_ERROR_MALFORMED;
    case 403: return GH_API_ERROR_FORBIDDEN_ROLE;
    case 404: return GH_API_ERROR_NOT_FOUND;
    case 405: return GH_API_ERROR_METHOD_NOT_ALLOWED;
    case 409: return GH_API_ERROR_CONFLICT;
    case 411: return GH_API_ERROR_LENGTH_REQUIRED;
    case 412: return GH_API_ERROR_PRECONDITION_FAILED;
    case 413: return GH_API_ERROR_BODY_TOO_LARGE;
    case 415: return GH_API_ERROR_UNSUPPORTED_MEDIA_TYPE;
    case 421: return GH_API_ERROR_MISDIRECTED;
    case 422: return GH_API_ERROR_CONFIG_INVALID;
    case 428: return GH_API_ERROR_PRECONDITION_REQUIRED;
    case 500: return GH_API_ERROR_INTERNAL;
    case 503: return GH_API_ERROR_UNAVAILABLE;
    default: return GH_API_ERROR_FAILED;
    }
}

GError *
_gh_admin_client_problem_error (SoupMessage *message,
                                JsonNode    *root)
{
  guint status = soup_message_get_status (message);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  g_autofree char *type = NULL, *title = NULL, *detail = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autoptr(GError) ignored = NULL;
  gint64 current_version = 0;
  GhApiError code;
  JsonArray *list = NULL;
  g_autofree char *message_text = NULL;

  if (object != NULL)
    {
      /* A malformed problem is still an error: read what can be read. */
      if (!_gh_api_get_string (object, "problem", "type", GH_API_NULLABLE, &type, &ignored))
        g_clear_error (&ignored);
      if (!_gh_api_get_string (object, "problem", "title", GH_API_NULLABLE, &title, &ignored))
        g_clear_error (&ignored);
      if (!_gh_api_get_string (object, "problem", "detail", GH_API_NULLABLE, &detail, &ignored))
        g_clear_error (&ignored);
      if (!_gh_api_get_int (object, "problem", "current_version", GH_API_NULLABLE, &current_version, &ignored))
        g_clear_error (&ignored);
      if (!_gh_api_get_array (object, "problem", "problems", GH_API_NULLABLE, &list, &ignored))
        g_clear_error (&ignored);
      if (list != NULL && (problems = _gh_api_problems_from_array (list, &ignored)) == NULL)
        g_clear_error (&ignored);
    }

  if (!gh_api_error_code_from_string (type, &code))
    code = code_from_status (status);

  if (detail != NULL && detail[0] != '\0')
    message_text = g_steal_pointer (&detail);
  else if (title != NULL && title[0] != '\0')
    message_text = g_steal_pointer (&title);
  else
    message_text = g_strdup_printf (_("The gateway answered %u %s"), status,
                                    soup_message_get_reason_phrase (message) != NULL
                                    ? soup_message_get_reason_phrase (message) : "");

  if (!g_utf8_validate (message_text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message_text, -1);

      g_free (message_text);
      message_text = valid;
    }

  return _gh_api_error_new_problem (code, status, message_text,
                                    code == GH_API_ERROR_CONFIG_INVALID ? problems : NULL,
                                    current_version);
}

static void send_request (GhAdminClient *self, GTask *task);

gboolean
_gh_admin_request_read_version (GhAdminRequest  *request,
                                JsonNode        *root,
                                GError         **error)
{
  JsonObject *object;

  if (root == NULL && request->version > 0)
    return TRUE;

  object = _gh_api_node_get_object (root, "the answer", error);
  return object != NULL &&
         _gh_api_get_int (object, "the answer", "version", request->version > 0 ? GH_API_OPTIONAL : GH_API_REQUIRED,
                          &request->version, error);
}

/* {"<member>": [item…]}, and the version from another member when the call says. */
static GListModel *
read_list (GhAdminRequest  *request,
           JsonNode        *root,
           GError         **error)
{
  const GhAdminCall *call = request->call;
  JsonObject *object = _gh_api_node_get_object (root, "the answer", error);
  JsonArray *array = NULL;

  if (object == NULL ||
      !_gh_api_get_array (object, "the answer", call->member, GH_API_REQUIRED, &array, error))
    return NULL;

  if (call->version_member != NULL &&
      !_gh_api_get_int (object, "the answer", call->version_member, GH_API_REQUIRED, &request->version, error))
    return NULL;

  return _gh_api_list_from_array (array, call->item_type (), call->parse, call->member, error);
}

/* The result of a successful answer, as the request's call reads it. */
static gpointer
read_answer (GhAdminClient   *self,
             GhAdminRequest  *request,
             GBytes          *body,
             JsonNode        *root,
             GError         **error)
{
  switch (request->call->answer)
    {
    case GH_ADMIN_ANSWER_OBJECT:
      return request->call->parse (root, error);
    case GH_ADMIN_ANSWER_LIST:
      return read_list (request, root, error);
    case GH_ADMIN_ANSWER_VERSION:
      return _gh_admin_request_read_version (request, root, error) ? GINT_TO_POINTER (TRUE) : NULL;
    case GH_ADMIN_ANSWER_JSON:
      return root != NULL ? json_node_ref (root) : json_node_new (JSON_NODE_NULL);
    case GH_ADMIN_ANSWER_CUSTOM:
      return request->call->convert (self, request, body, root, error);
    default:
      g_assert_not_reached ();
    }
}

static GDestroyNotify
free_result_func (const GhAdminCall *call)
{
  switch (call->answer)
    {
    case GH_ADMIN_ANSWER_OBJECT:
    case GH_ADMIN_ANSWER_LIST:
      return g_object_unref;
    case GH_ADMIN_ANSWER_JSON:
      return (GDestroyNotify) json_node_unref;
    case GH_ADMIN_ANSWER_CUSTOM:
      return call->free_result;
    case GH_ADMIN_ANSWER_VERSION:
    default:
      return NULL;
    }
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhAdminClient *self = g_task_get_source_object (task);
  GhAdminRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  MessageTls *tls = message_get_tls (request->message);
  GTlsCertificate *peer;
  guint status;
  gpointer value;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, _gh_admin_client_translate_error (self, request->message, g_steal_pointer (&error)));
      return;
    }

  /* A reused connection skips accept-certificate: check the pin on every answer. */
  peer = soup_message_get_tls_peer_certificate (request->message);
  if (peer != NULL && !tls->probe)
    {
      g_autofree char *fingerprint = gh_api_fingerprint_of_certificate (peer);

      if (self->pin == NULL || g_strcmp0 (fingerprint, self->pin) != 0)
        {
          g_set_object (&tls->peer, peer);
          g_free (tls->fingerprint);
          tls->fingerprint = g_steal_pointer (&fingerprint);
          tls->refused = TRUE;
          g_task_return_error (task, _gh_admin_client_translate_error (self, request->message,
                                                                       g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "pin")));
          return;
        }
    }

  status = soup_message_get_status (request->message);

  if (g_bytes_get_size (body) > 0)
    {
      /* Not json_parser_new_immutable(): json-glib 1.10 aborts in get_root() on some
       * inputs it reads ("9{…}"), and the answer is the peer's to choose. */
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      if (json_parser_load_from_data (parser, data, size, &error))
        root = json_parser_steal_root (parser);
      else if (SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_task_return_new_error (task, GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                                   _("The gateway’s answer is not JSON: %s"), error->message);
          return;
        }
      g_clear_error (&error);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, _gh_admin_client_problem_error (request->message, root));
      return;
    }

  request->version = version_from_etag (soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                                     "ETag"));

  value = read_answer (self, request, body, root, &error);
  if (value != NULL)
    g_task_return_pointer (task, value, free_result_func (request->call));
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    send_request (self, g_steal_pointer (&task));  /* a follow-up, set up by the call */
}

static void
send_request (GhAdminClient *self,
              GTask         *task)
{
  GhAdminRequest *request = g_task_get_task_data (task);

  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_done, task);
}

/* @call's path with @argument in it. */
static char *
call_path (const GhAdminCall *call,
           const char        *argument)
{
  const char *hole;
  g_autofree char *escaped = NULL;

  if (call->path == NULL)
    return g_strdup (argument);

  hole = strstr (call->path, "%s");
  if (hole == NULL)
    return g_strdup (call->path);

  g_assert (argument != NULL);
  escaped = g_uri_escape_string (argument, NULL, FALSE);
  return g_strdup_printf ("%.*s%s%s", (int) (hole - call->path), call->path, escaped, hole + strlen ("%s"));
}

/* @method: the call's, but for the generic call's. */
static void
start_call (GhAdminClient       *self,
            const GhAdminCall   *call,
            const char          *method,
            const char          *argument,
            GBytes              *body,
            gint64               if_match,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = NULL;
  GhAdminRequest *request;
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, (gpointer) call);

  request = g_new0 (GhAdminRequest, 1);
  request->call = call;
  request->path = call_path (call, argument);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  url = _gh_admin_client_dup_url (self, request->path, FALSE);
  request->message = _gh_admin_client_new_message (self, method, url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                               _("“%s” is not an https:// URL of a gateway"), self->base_url);
      return;
    }

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");

  if (if_match == GH_API_VERSION_ANY)
    soup_message_headers_replace (headers, "If-Match", "*");
  else if (if_match > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }

  /* A body is sent once: libsoup 3.6 does not rewind a request body when it moves a
   * message from a keep-alive connection the server closed meanwhile to a new one
   * (the server then reads an empty body). Writes take a connection of their own. */
  if (body != NULL)
    {
      soup_message_add_flags (request->message, SOUP_MESSAGE_NEW_CONNECTION);
      soup_message_set_request_body_from_bytes (request->message, "application/json", body);
    }

  send_request (self, g_steal_pointer (&task));
}

void
_gh_admin_client_call (GhAdminClient       *self,
                       const GhAdminCall   *call,
                       const char          *argument,
                       GBytes              *body,
                       gint64               if_match,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  start_call (self, call, call->method, argument, body, if_match, cancellable, callback, user_data);
}

void
_gh_admin_request_follow (GhAdminClient     *self,
                          GhAdminRequest    *request,
                          const GhAdminCall *call,
                          const char        *path)
{
  g_autofree char *url = _gh_admin_client_dup_url (self, path, FALSE);

  g_clear_object (&request->message);
  request->message = _gh_admin_client_new_message (self, "GET", url);
  request->call = call;
  g_free (request->path);
  request->path = g_strdup (path);
}

gpointer
_gh_admin_client_call_finish (GhAdminClient      *self,
                              GAsyncResult       *result,
                              const GhAdminCall  *call,
                              gint64             *version,
                              GError            **error)
{
  GhAdminRequest *request;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == call, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (version != NULL)
    *version = request != NULL ? request->version : 0;

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_gh_admin_client_call_finish_boolean (GhAdminClient      *self,
                                      GAsyncResult       *result,
                                      const GhAdminCall  *call,
                                      gint64             *version,
                                      GError            **error)
{
  gpointer value = _gh_admin_client_call_finish (self, result, call, version, error);

  if (value == NULL && version != NULL)
    *version = 0;
  return value != NULL;
}

/* Probe */

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhAdminClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  MessageTls *tls = message_get_tls (message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (tls->peer != NULL)
    {
      g_task_return_pointer (task, g_object_ref (tls->peer), g_object_unref);
      return;
    }

  if (error == NULL)
    error = g_error_new_literal (GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                                 _("The gateway showed no certificate"));

  g_task_return_error (task, _gh_admin_client_translate_error (self, message, g_steal_pointer (&error)));
}

void
gh_admin_client_probe_async (GhAdminClient       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  SoupMessage *message;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_admin_client_probe_async);

  url = _gh_admin_client_dup_url (self, "info", FALSE);
  message = _gh_admin_client_new_message (self, "GET", url);
  if (message == NULL)
    {
      g_task_return_new_error (task, GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                               _("“%s” is not an https:// URL of a gateway"), self->base_url);
      return;
    }

  message_get_tls (message)->probe = TRUE;
  /* A fresh connection, so that the handshake (and accept-certificate) happens. */
  soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);
  g_task_set_task_data (task, message, g_object_unref);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    on_probe_done, g_steal_pointer (&task));
}

GTlsCertificate *
gh_admin_client_probe_finish (GhAdminClient  *self,
                              GAsyncResult   *result,
                              char          **fingerprint,
                              GError        **error)
{
  GTlsCertificate *certificate;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_admin_client_probe_async, NULL);

  certificate = g_task_propagate_pointer (G_TASK (result), error);
  if (fingerprint != NULL)
    *fingerprint = certificate != NULL ? gh_api_fingerprint_of_certificate (certificate) : NULL;

  return certificate;
}

/* The generic call */

static const GhAdminCall request_call = { NULL, NULL, GH_ADMIN_ANSWER_JSON };

void
gh_admin_client_request_async (GhAdminClient       *self,
                               const char          *method,
                               const char          *path,
                               JsonNode            *body,
                               gint64               if_match,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);

  if (body != NULL)
    bytes = _gh_admin_body_new_json (body);
  start_call (self, &request_call, method, path, bytes, if_match, cancellable, callback, user_data);
}

JsonNode *
gh_admin_client_request_finish (GhAdminClient  *self,
                                GAsyncResult   *result,
                                gint64         *version,
                                GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &request_call, version, error);
}
