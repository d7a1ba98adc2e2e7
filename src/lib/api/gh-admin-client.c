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
 * Every request is one GTask: the message, a conversion of the answer's JSON into
 * the typed result, and the configuration version the answer carries.
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

typedef struct _Request Request;

/* The typed result of an answer (transfer full), or NULL with @error set. A NULL
 * without error means a follow-up request was started. */
typedef gpointer (*ConvertFunc) (GhAdminClient  *self,
                                 GTask          *task,
                                 Request        *request,
                                 GBytes         *body,
                                 JsonNode       *root,
                                 GError        **error);

struct _Request {
  SoupMessage    *message;
  ConvertFunc     convert;
  GDestroyNotify  result_free;
  gpointer        convert_data;         /* e.g. GhApiSession parse func */
  gint64          version;              /* from the answer's ETag or body */
  char           *follow_up_path;       /* for rotate: GET this when no entry came */
};

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_free (request->follow_up_path);
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

/* A problem+json answer (or any error status) as a GError. */
static GError *
problem_error (SoupMessage *message,
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

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhAdminClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
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
      else if (SOUP_STATUS_IS_SUCCESSFUL (status) && request->convert != NULL)
        {
          g_task_return_new_error (task, GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                                   _("The gateway’s answer is not JSON: %s"), error->message);
          return;
        }
      g_clear_error (&error);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, problem_error (request->message, root));
      return;
    }

  request->version = version_from_etag (soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                                     "ETag"));

  value = request->convert (self, task, request, body, root, &error);
  if (value != NULL)
    g_task_return_pointer (task, value, request->result_free);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    send_request (self, g_steal_pointer (&task));  /* a follow-up, set up by convert */
}

static void
send_request (GhAdminClient *self,
              GTask         *task)
{
  Request *request = g_task_get_task_data (task);

  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_done, task);
}

/* Starts a request: @path under /api/v1 (already escaped), @body a JSON text (or
 * NULL), @secret_body the same when it holds a password (wiped when freed). */
static void
start_request (GhAdminClient       *self,
               gpointer             source_tag,
               const char          *method,
               const char          *path,
               const char          *body,
               GString             *secret_body,
               gint64               if_match,
               ConvertFunc          convert,
               GDestroyNotify       result_free,
               gpointer             convert_data,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = _gh_admin_client_dup_url (self, path, FALSE);
  Request *request;
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->convert = convert;
  request->result_free = result_free;
  request->convert_data = convert_data;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  request->message = _gh_admin_client_new_message (self, method, url);
  if (request->message == NULL)
    {
      if (secret_body != NULL)
        wipe_and_free (secret_body);
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
  if (secret_body != NULL || body != NULL)
    soup_message_add_flags (request->message, SOUP_MESSAGE_NEW_CONNECTION);

  if (secret_body != NULL)
    {
      gsize length = secret_body->len;
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (secret_body->str, length,
                                                            wipe_and_free, secret_body);

      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }
  else if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

  send_request (self, g_steal_pointer (&task));
}

static char *
node_to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* Conversions */

GH_API_DEFINE_PARSE_FUNC (audit_entry)
GH_API_DEFINE_PARSE_FUNC (config_version)
GH_API_DEFINE_PARSE_FUNC (info)
GH_API_DEFINE_PARSE_FUNC (keystore_entry)
GH_API_DEFINE_PARSE_FUNC (service)
GH_API_DEFINE_PARSE_FUNC (service_tls)
GH_API_DEFINE_PARSE_FUNC (session)
GH_API_DEFINE_PARSE_FUNC (session_page)
GH_API_DEFINE_PARSE_FUNC (stats)
GH_API_DEFINE_PARSE_FUNC (truststore_entry)

static gpointer
convert_object (GhAdminClient  *self,
                GTask          *task,
                Request        *request,
                GBytes         *body,
                JsonNode       *root,
                GError        **error)
{
  GhApiParseFunc parse = request->convert_data;

  return parse (root, error);
}

/* {"<member>": [item…]} — convert_data is a ListSpec. */
typedef struct {
  const char     *member;
  GType         (*get_type) (void);
  GhApiParseFunc  parse;
} ListSpec;

static const ListSpec services_spec = { "services", gh_api_service_get_type, parse_service };
static const ListSpec keystore_spec = { "entries", gh_api_keystore_entry_get_type, parse_keystore_entry };
static const ListSpec truststore_spec = { "entries", gh_api_truststore_entry_get_type, parse_truststore_entry };
static const ListSpec audit_spec = { "entries", gh_api_audit_entry_get_type, parse_audit_entry };
static const ListSpec versions_spec = { "versions", gh_api_config_version_get_type, parse_config_version };

static gpointer
convert_list (GhAdminClient  *self,
              GTask          *task,
              Request        *request,
              GBytes         *body,
              JsonNode       *root,
              GError        **error)
{
  const ListSpec *spec = request->convert_data;
  JsonObject *object = _gh_api_node_get_object (root, "the answer", error);
  JsonArray *array = NULL;

  if (object == NULL ||
      !_gh_api_get_array (object, "the answer", spec->member, GH_API_REQUIRED, &array, error))
    return NULL;

  if (spec == &versions_spec &&
      !_gh_api_get_int (object, "the answer", "current", GH_API_REQUIRED, &request->version, error))
    return NULL;

  return _gh_api_list_from_array (array, spec->get_type (), spec->parse, spec->member, error);
}

static gpointer
convert_config (GhAdminClient  *self,
                GTask          *task,
                Request        *request,
                GBytes         *body,
                JsonNode       *root,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  GhGatewayConfig *config;

  if (request->convert_data != NULL && request->version <= 0)
    {
      _gh_api_set_protocol_error (error, "the configuration comes without its version (ETag: \"vN\")");
      return NULL;
    }

  config = gh_gateway_config_new_from_data (data, size, &local_error);
  if (config == NULL)
    _gh_api_set_protocol_error (error, "the configuration does not read: %s", local_error->message);

  return config;
}

/* {"version": N, …}: the version into request->version; returns a dummy. */
static gpointer
convert_version (GhAdminClient  *self,
                 GTask          *task,
                 Request        *request,
                 GBytes         *body,
                 JsonNode       *root,
                 GError        **error)
{
  JsonObject *object;

  if (root == NULL && request->version > 0)
    return GINT_TO_POINTER (TRUE);

  object = _gh_api_node_get_object (root, "the answer", error);
  if (object == NULL ||
      !_gh_api_get_int (object, "the answer", "version", request->version > 0 ? GH_API_OPTIONAL : GH_API_REQUIRED,
                        &request->version, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static gpointer
convert_entry_write (GhAdminClient  *self,
                     GTask          *task,
                     Request        *request,
                     GBytes         *body,
                     JsonNode       *root,
                     GError        **error)
{
  JsonObject *object;
  JsonObject *entry = NULL;

  if (_gh_api_node_get_object (root, "the answer", error) == NULL ||
      convert_version (self, task, request, body, root, error) == NULL)
    return NULL;

  object = json_node_get_object (root);
  if (!_gh_api_get_object (object, "the answer", "entry",
                           request->follow_up_path != NULL ? GH_API_NULLABLE : GH_API_REQUIRED,
                           &entry, error))
    return NULL;

  if (entry == NULL)
    {
      /* Rotated without the entry in the answer: fetch it, keeping the version. */
      g_autofree char *url = _gh_admin_client_dup_url (self, request->follow_up_path, FALSE);

      g_clear_object (&request->message);
      request->message = _gh_admin_client_new_message (self, "GET", url);
      g_clear_pointer (&request->follow_up_path, g_free);
      request->convert = convert_object;
      request->convert_data = parse_keystore_entry;
      return NULL;
    }

  return gh_api_keystore_entry_new_from_json (json_object_get_member (object, "entry"), error);
}

static gpointer
convert_validation (GhAdminClient  *self,
                    GTask          *task,
                    Request        *request,
                    GBytes         *body,
                    JsonNode       *root,
                    GError        **error)
{
  JsonObject *object = _gh_api_node_get_object (root, "the answer", error);
  gboolean valid = FALSE;
  JsonArray *problems = NULL;
  GListModel *list;

  if (object == NULL ||
      !_gh_api_get_boolean (object, "the answer", "valid", GH_API_REQUIRED, &valid, error) ||
      !_gh_api_get_array (object, "the answer", "problems", GH_API_NULLABLE, &problems, error))
    return NULL;

  list = _gh_api_problems_from_array (problems, error);
  if (list == NULL)
    return NULL;

  if (valid != (g_list_model_get_n_items (list) == 0))
    {
      g_object_unref (list);
      _gh_api_set_protocol_error (error, "“valid” and “problems” disagree");
      return NULL;
    }

  return list;
}

static gpointer
convert_csr (GhAdminClient  *self,
             GTask          *task,
             Request        *request,
             GBytes         *body,
             JsonNode       *root,
             GError        **error)
{
  g_autofree char *csr = NULL;

  if (_gh_api_node_get_object (root, "the answer", error) == NULL ||
      convert_version (self, task, request, body, root, error) == NULL ||
      !_gh_api_get_string (json_node_get_object (root), "the answer", "csr", GH_API_REQUIRED, &csr, error))
    return NULL;

  if (!g_str_has_prefix (csr, "-----BEGIN"))
    {
      _gh_api_set_protocol_error (error, "“csr” is not PEM");
      return NULL;
    }

  return g_steal_pointer (&csr);
}

/* Finishing */

static gpointer
finish_pointer (GhAdminClient  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                gint64         *version,
                GError        **error)
{
  Request *request;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (version != NULL)
    *version = request != NULL ? request->version : 0;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (GhAdminClient  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                gint64         *version,
                GError        **error)
{
  gpointer value = finish_pointer (self, result, source_tag, version, error);

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

/* Endpoints */

#define GET_OBJECT(tag, path, parse) \
  start_request (self, tag, "GET", path, NULL, NULL, GH_API_VERSION_NONE, convert_object, g_object_unref, \
                 (gpointer) (parse), cancellable, callback, user_data)

void
gh_admin_client_get_info_async (GhAdminClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  GET_OBJECT (gh_admin_client_get_info_async, "info", parse_info);
}

GhApiInfo *
gh_admin_client_get_info_finish (GhAdminClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_info_async, NULL, error);
}

void
gh_admin_client_get_stats_async (GhAdminClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  GET_OBJECT (gh_admin_client_get_stats_async, "stats", parse_stats);
}

GhApiStats *
gh_admin_client_get_stats_finish (GhAdminClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_stats_async, NULL, error);
}

void
gh_admin_client_get_config_async (GhAdminClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  /* convert_data non-NULL: the version (ETag) is required. */
  start_request (self, gh_admin_client_get_config_async, "GET", "config", NULL, NULL, GH_API_VERSION_NONE,
                 convert_config, g_object_unref, GINT_TO_POINTER (TRUE), cancellable, callback, user_data);
}

GhGatewayConfig *
gh_admin_client_get_config_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *version,
                                   GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_config_async, version, error);
}

void
gh_admin_client_put_config_async (GhAdminClient       *self,
                                  GhGatewayConfig     *config,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (config));

  text = gh_gateway_config_to_data (config, NULL);
  start_request (self, gh_admin_client_put_config_async, "PUT", "config", text, NULL, if_match,
                 convert_version, NULL, NULL, cancellable, callback, user_data);
}

gboolean
gh_admin_client_put_config_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_put_config_async, new_version, error);
}

void
gh_admin_client_validate_config_async (GhAdminClient       *self,
                                       GhGatewayConfig     *config,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (config));

  text = gh_gateway_config_to_data (config, NULL);
  start_request (self, gh_admin_client_validate_config_async, "POST", "config/validate", text, NULL,
                 GH_API_VERSION_NONE, convert_validation, g_object_unref, NULL, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_validate_config_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_validate_config_async, NULL, error);
}

void
gh_admin_client_list_config_versions_async (GhAdminClient       *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  start_request (self, gh_admin_client_list_config_versions_async, "GET", "config/versions", NULL, NULL,
                 GH_API_VERSION_NONE, convert_list, g_object_unref, (gpointer) &versions_spec,
                 cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_config_versions_finish (GhAdminClient  *self,
                                             GAsyncResult   *result,
                                             gint64         *current,
                                             GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_config_versions_async, current, error);
}

void
gh_admin_client_get_config_version_async (GhAdminClient       *self,
                                          gint64               version,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (version > 0);

  path = g_strdup_printf ("config/versions/%" G_GINT64_FORMAT, version);
  start_request (self, gh_admin_client_get_config_version_async, "GET", path, NULL, NULL, GH_API_VERSION_NONE,
                 convert_config, g_object_unref, NULL, cancellable, callback, user_data);
}

GhGatewayConfig *
gh_admin_client_get_config_version_finish (GhAdminClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_config_version_async, NULL, error);
}

void
gh_admin_client_rollback_config_async (GhAdminClient       *self,
                                       gint64               version,
                                       gint64               if_match,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (version > 0);

  text = g_strdup_printf ("{\"version\":%" G_GINT64_FORMAT "}", version);
  start_request (self, gh_admin_client_rollback_config_async, "POST", "config/rollback", text, NULL, if_match,
                 convert_version, NULL, NULL, cancellable, callback, user_data);
}

gboolean
gh_admin_client_rollback_config_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        gint64         *new_version,
                                        GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_rollback_config_async, new_version, error);
}

void
gh_admin_client_list_services_async (GhAdminClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  start_request (self, gh_admin_client_list_services_async, "GET", "services", NULL, NULL, GH_API_VERSION_NONE,
                 convert_list, g_object_unref, (gpointer) &services_spec, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_services_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_services_async, NULL, error);
}

static void
service_request (GhAdminClient       *self,
                 gpointer             tag,
                 const char          *method,
                 const char          *name,
                 const char          *suffix,
                 GhApiParseFunc       parse,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autofree char *escaped = escape_segment (name);
  g_autofree char *path = g_strconcat ("services/", escaped, suffix, NULL);

  start_request (self, tag, method, path, NULL, NULL, GH_API_VERSION_NONE, convert_object, g_object_unref,
                 (gpointer) parse, cancellable, callback, user_data);
}

void
gh_admin_client_get_service_async (GhAdminClient       *self,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  service_request (self, gh_admin_client_get_service_async, "GET", name, "",
                   parse_service, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_get_service_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_service_async, NULL, error);
}

void
gh_admin_client_start_service_async (GhAdminClient       *self,
                                     const char          *name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  service_request (self, gh_admin_client_start_service_async, "POST", name, "/start",
                   parse_service, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_start_service_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_start_service_async, NULL, error);
}

void
gh_admin_client_stop_service_async (GhAdminClient       *self,
                                    const char          *name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  service_request (self, gh_admin_client_stop_service_async, "POST", name, "/stop",
                   parse_service, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_stop_service_finish (GhAdminClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_stop_service_async, NULL, error);
}

void
gh_admin_client_get_service_tls_async (GhAdminClient       *self,
                                       const char          *name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  service_request (self, gh_admin_client_get_service_tls_async, "GET", name, "/tls",
                   parse_service_tls, cancellable, callback, user_data);
}

GhApiServiceTls *
gh_admin_client_get_service_tls_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_service_tls_async, NULL, error);
}

void
gh_admin_client_list_keystore_async (GhAdminClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  start_request (self, gh_admin_client_list_keystore_async, "GET", "keystore", NULL, NULL, GH_API_VERSION_NONE,
                 convert_list, g_object_unref, (gpointer) &keystore_spec, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_keystore_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_keystore_async, NULL, error);
}

void
gh_admin_client_get_keystore_entry_async (GhAdminClient       *self,
                                          const char          *alias,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  escaped = escape_segment (alias);
  path = g_strconcat ("keystore/", escaped, NULL);
  GET_OBJECT (gh_admin_client_get_keystore_entry_async, path, parse_keystore_entry);
}

GhApiKeystoreEntry *
gh_admin_client_get_keystore_entry_finish (GhAdminClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_keystore_entry_async, NULL, error);
}

/* A JSON string literal of @text, appended to @out. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The body of an upload: the password is written straight into a buffer that is
 * wiped when libsoup lets it go, never into a JsonNode. */
static GString *
key_upload_body (const char     *alias,
                 GhApiKeyFormat  format,
                 GBytes         *data,
                 const char     *source_alias,
                 const char     *password)
{
  GString *body = g_string_sized_new (g_bytes_get_size (data) * 4 / 3 + 256);
  gsize size;
  const guchar *bytes = g_bytes_get_data (data, &size);

  g_string_append (body, "{");
  if (alias != NULL)
    {
      g_string_append (body, "\"alias\":");
      append_json_string (body, alias);
      g_string_append (body, ",");
    }
  if (format == GH_API_KEY_FORMAT_PKCS12)
    {
      g_autofree char *base64 = g_base64_encode (bytes, size);

      g_string_append (body, "\"pkcs12\":\"");
      g_string_append (body, base64);
      g_string_append (body, "\"");
      if (source_alias != NULL)
        {
          g_string_append (body, ",\"source_alias\":");
          append_json_string (body, source_alias);
        }
    }
  else
    {
      g_autofree char *pem = g_strndup ((const char *) bytes, size);

      g_string_append (body, "\"pem\":");
      append_json_string (body, pem);
      /* The PEM may hold an unencrypted key: no copy left behind. */
      memset (pem, 0, size);
    }
  if (password != NULL)
    {
      g_string_append (body, ",\"password\":");
      append_json_string (body, password);
    }
  g_string_append (body, "}");

  return body;
}

static void
upload_key (GhAdminClient       *self,
            gpointer             tag,
            gboolean             rotate,
            const char          *alias,
            GhApiKeyFormat       format,
            GBytes              *data,
            const char          *source_alias,
            const char          *password,
            gint64               if_match,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autofree char *escaped = escape_segment (alias);
  g_autofree char *path = g_strconcat ("keystore/", escaped, NULL);
  GString *body;

  if (format == GH_API_KEY_FORMAT_PEM && g_bytes_get_size (data) > 0 && memchr (g_bytes_get_data (data, NULL), '\0', g_bytes_get_size (data)) != NULL)
    {
      g_task_report_new_error (self, callback, user_data, tag, GH_API_ERROR, GH_API_ERROR_MALFORMED,
                               _("The PEM text holds a NUL byte"));
      return;
    }

  body = key_upload_body (rotate ? NULL : alias, format, data, source_alias, password);
  start_request (self, tag, rotate ? "PUT" : "POST", rotate ? path : "keystore", NULL, body, if_match,
                 convert_entry_write, g_object_unref, NULL, cancellable, callback, user_data);
}

void
gh_admin_client_add_key_async (GhAdminClient       *self,
                               const char          *alias,
                               GhApiKeyFormat       format,
                               GBytes              *data,
                               const char          *source_alias,
                               const char          *password,
                               gint64               if_match,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  upload_key (self, gh_admin_client_add_key_async, FALSE, alias, format, data, source_alias, password,
              if_match, cancellable, callback, user_data);
}

GhApiKeystoreEntry *
gh_admin_client_add_key_finish (GhAdminClient  *self,
                                GAsyncResult   *result,
                                gint64         *new_version,
                                GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_add_key_async, new_version, error);
}

void
gh_admin_client_rotate_key_async (GhAdminClient       *self,
                                  const char          *alias,
                                  GhApiKeyFormat       format,
                                  GBytes              *data,
                                  const char          *source_alias,
                                  const char          *password,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  upload_key (self, gh_admin_client_rotate_key_async, TRUE, alias, format, data, source_alias, password,
              if_match, cancellable, callback, user_data);
}

GhApiKeystoreEntry *
gh_admin_client_rotate_key_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_rotate_key_async, new_version, error);
}

static void
delete_alias (GhAdminClient       *self,
              gpointer             tag,
              const char          *store,
              const char          *alias,
              gint64               if_match,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autofree char *escaped = escape_segment (alias);
  g_autofree char *path = g_strconcat (store, "/", escaped, NULL);

  start_request (self, tag, "DELETE", path, NULL, NULL, if_match, convert_version, NULL, NULL,
                 cancellable, callback, user_data);
}

void
gh_admin_client_delete_key_async (GhAdminClient       *self,
                                  const char          *alias,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  delete_alias (self, gh_admin_client_delete_key_async, "keystore", alias, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_delete_key_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_delete_key_async, new_version, error);
}

void
gh_admin_client_create_csr_async (GhAdminClient       *self,
                                  const char          *alias,
                                  const char          *key_type,
                                  const char          *subject,
                                  const char * const  *dns_names,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *escaped = NULL, *path = NULL, *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (subject != NULL);

  json_builder_begin_object (builder);
  if (key_type != NULL)
    {
      json_builder_set_member_name (builder, "key_type");
      json_builder_add_string_value (builder, key_type);
    }
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "dns_names");
  json_builder_begin_array (builder);
  for (guint i = 0; dns_names != NULL && dns_names[i] != NULL; i++)
    json_builder_add_string_value (builder, dns_names[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = node_to_text (root);

  escaped = escape_segment (alias);
  path = g_strconcat ("keystore/", escaped, "/csr", NULL);
  start_request (self, gh_admin_client_create_csr_async, "POST", path, text, NULL, if_match,
                 convert_csr, g_free, NULL, cancellable, callback, user_data);
}

char *
gh_admin_client_create_csr_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_create_csr_async, new_version, error);
}

/* {"<member>": "<value>", …} for the simple bodies. */
static char *
string_body (const char *first_member,
             ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return node_to_text (root);
}

void
gh_admin_client_import_certificate_reply_async (GhAdminClient       *self,
                                                const char          *alias,
                                                const char          *pem,
                                                gint64               if_match,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autofree char *escaped = NULL, *path = NULL, *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (pem != NULL);

  escaped = escape_segment (alias);
  path = g_strconcat ("keystore/", escaped, "/certificate", NULL);
  text = string_body ("pem", pem, NULL);
  start_request (self, gh_admin_client_import_certificate_reply_async, "PUT", path, text, NULL, if_match,
                 convert_version, NULL, NULL, cancellable, callback, user_data);
}

gboolean
gh_admin_client_import_certificate_reply_finish (GhAdminClient  *self,
                                                 GAsyncResult   *result,
                                                 gint64         *new_version,
                                                 GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_import_certificate_reply_async, new_version, error);
}

void
gh_admin_client_list_truststore_async (GhAdminClient       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  start_request (self, gh_admin_client_list_truststore_async, "GET", "truststore", NULL, NULL, GH_API_VERSION_NONE,
                 convert_list, g_object_unref, (gpointer) &truststore_spec, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_truststore_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_truststore_async, NULL, error);
}

void
gh_admin_client_add_trusted_async (GhAdminClient       *self,
                                   const char          *alias,
                                   const char          *pem,
                                   gint64               if_match,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (pem != NULL);

  text = string_body ("alias", alias, "pem", pem, NULL);
  start_request (self, gh_admin_client_add_trusted_async, "POST", "truststore", text, NULL, if_match,
                 convert_version, NULL, NULL, cancellable, callback, user_data);
}

gboolean
gh_admin_client_add_trusted_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    gint64         *new_version,
                                    GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_add_trusted_async, new_version, error);
}

void
gh_admin_client_delete_trusted_async (GhAdminClient       *self,
                                      const char          *alias,
                                      gint64               if_match,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  delete_alias (self, gh_admin_client_delete_trusted_async, "truststore", alias, if_match,
                cancellable, callback, user_data);
}

gboolean
gh_admin_client_delete_trusted_finish (GhAdminClient  *self,
                                       GAsyncResult   *result,
                                       gint64         *new_version,
                                       GError        **error)
{
  return finish_boolean (self, result, gh_admin_client_delete_trusted_async, new_version, error);
}

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

void
gh_admin_client_list_sessions_async (GhAdminClient       *self,
                                     const char          *service,
                                     const char          *state,
                                     guint                limit,
                                     const char          *cursor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("sessions");
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", MIN (limit, 1000)) : NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  append_query (path, "service", service);
  append_query (path, "state", state);
  append_query (path, "limit", limit_text);
  append_query (path, "cursor", cursor);

  GET_OBJECT (gh_admin_client_list_sessions_async, path->str, parse_session_page);
}

GhApiSessionPage *
gh_admin_client_list_sessions_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_sessions_async, NULL, error);
}

static void
session_request (GhAdminClient       *self,
                 gpointer             tag,
                 const char          *method,
                 const char          *id,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autofree char *escaped = escape_segment (id);
  g_autofree char *path = g_strconcat ("sessions/", escaped, NULL);

  start_request (self, tag, method, path, NULL, NULL, GH_API_VERSION_NONE, convert_object, g_object_unref,
                 (gpointer) parse_session, cancellable, callback, user_data);
}

void
gh_admin_client_get_session_async (GhAdminClient       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (id != NULL);

  session_request (self, gh_admin_client_get_session_async, "GET", id, cancellable, callback, user_data);
}

GhApiSession *
gh_admin_client_get_session_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_get_session_async, NULL, error);
}

void
gh_admin_client_close_session_async (GhAdminClient       *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (id != NULL);

  session_request (self, gh_admin_client_close_session_async, "DELETE", id, cancellable, callback, user_data);
}

GhApiSession *
gh_admin_client_close_session_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_close_session_async, NULL, error);
}

void
gh_admin_client_list_audit_async (GhAdminClient       *self,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  path = limit > 0 ? g_strdup_printf ("audit?limit=%u", limit) : g_strdup ("audit");
  start_request (self, gh_admin_client_list_audit_async, "GET", path, NULL, NULL, GH_API_VERSION_NONE,
                 convert_list, g_object_unref, (gpointer) &audit_spec, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_audit_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return finish_pointer (self, result, gh_admin_client_list_audit_async, NULL, error);
}
