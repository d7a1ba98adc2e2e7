/* gh-admin-request.c — reading admin API requests: their heads and JSON bodies
 *
 * Heads: what the admin listener decides before any body is read (the size of the
 * head, the framing and size of the body), on the bytes as they came in, so that the
 * guard in front of libsoup (gh-admin-guard-stream.c) and the fuzzer run the same
 * code; and the header fields a handler reads itself (Content-Type, If-Match), to
 * the letter of RFC 9110.
 *
 * Bodies: strict: UTF-8 without NUL, one JSON object, no member the endpoint does not
 * know, every member of its type. Errors name the member.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-request"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-admin-request.h"

G_DEFINE_QUARK (gh-admin-body-error-quark, gh_admin_body_error)
G_DEFINE_QUARK (gh-admin-request-error-quark, gh_admin_request_error)

const char * const gh_admin_upload_members[] = { "alias", "pkcs12", "pem", "password", "source_alias", NULL };
const char * const gh_admin_csr_members[] = { "key_type", "subject", "dns_names", NULL };
const char * const gh_admin_reply_members[] = { "pem", NULL };
const char * const gh_admin_trust_members[] = { "alias", "pem", NULL };
const char * const gh_admin_rollback_members[] = { "version", NULL };

static gboolean malformed (GError     **error,
                           const char  *format,
                           ...) G_GNUC_PRINTF (2, 3);

static gboolean
malformed (GError     **error,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MALFORMED, message);
  return FALSE;
}

/* An escaped NUL in a string: json-glib would cut the string there, silently. */
static gboolean
has_escaped_nul (const char *data,
                 gsize       length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 6 <= length && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;  /* the escaped character, which may be a backslash */
    }

  return FALSE;
}

JsonObject *
gh_admin_body_parse (const char          *content_type,
                     const char          *data,
                     gsize                length,
                     const char * const  *allowed,
                     JsonNode           **root,
                     GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *node;

  *root = NULL;

  if (!gh_admin_media_type_is_json (content_type))
    {
      g_set_error_literal (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MEDIA_TYPE,
                           _("Send the body as application/json (UTF-8)"));
      return NULL;
    }

  if (length == 0 || data == NULL)
    {
      malformed (error, _("The body is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      malformed (error, _("The body is not UTF-8 text"));
      return NULL;
    }
  if (has_escaped_nul (data, length))
    {
      malformed (error, _("A string in the body holds \\u0000 (NUL), which no value may hold"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib's messages quote the input: keep them short, they may end up in a
       * log. The position is what helps. */
      g_set_error (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MALFORMED,
                   _("The body is not JSON: %.200s"), local_error->message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, _("The body must be a JSON object"));
      return NULL;
    }

  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    if (allowed != NULL && !g_strv_contains (allowed, l->data))
      {
        g_autofree char *name = g_utf8_make_valid (l->data, MIN (strlen (l->data), 64));

        malformed (error, _("There is no member “%s” here"), name);
        return NULL;
      }

  *root = json_node_ref (node);
  return json_node_get_object (*root);
}

static gboolean
get_string (JsonObject   *object,
            const char   *name,
            gboolean      required,
            const char  **value,
            GError      **error)
{
  JsonNode *member = json_object_get_member (object, name);

  *value = NULL;
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return required ? malformed (error, _("The member “%s” is required"), name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
    return malformed (error, _("The member “%s” must be a string"), name);

  *value = json_node_get_string (member);
  if (required && **value == '\0')
    return malformed (error, _("The member “%s” must not be empty"), name);
  return TRUE;
}

gboolean
gh_admin_parse_upload (JsonObject     *object,
                       gboolean        alias_required,
                       GhAdminUpload  *upload,
                       GError        **error)
{
  memset (upload, 0, sizeof *upload);

  if (!get_string (object, "alias", alias_required, &upload->alias, error) ||
      !get_string (object, "pkcs12", FALSE, &upload->pkcs12, error) ||
      !get_string (object, "pem", FALSE, &upload->pem, error) ||
      !get_string (object, "password", FALSE, &upload->password, error) ||
      !get_string (object, "source_alias", FALSE, &upload->source_alias, error))
    return FALSE;

  if ((upload->pkcs12 == NULL) == (upload->pem == NULL))
    return malformed (error, _("Give either “pkcs12” (base64) or “pem”"));

  return TRUE;
}

gboolean
gh_admin_parse_csr (JsonObject   *object,
                    const char  **key_type,
                    const char  **subject,
                    GStrv        *dns_names,
                    GError      **error)
{
  g_autoptr(GStrvBuilder) sans = g_strv_builder_new ();
  JsonNode *names;

  *dns_names = NULL;
  if (!get_string (object, "key_type", FALSE, key_type, error) ||
      !get_string (object, "subject", TRUE, subject, error))
    return FALSE;

  names = json_object_get_member (object, "dns_names");
  if (names != NULL && !JSON_NODE_HOLDS_NULL (names))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (names))
        return malformed (error, _("The member “%s” must be a list of strings"), "dns_names");

      array = json_node_get_array (names);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
              *json_node_get_string (element) == '\0')
            return malformed (error, _("The member “%s” must be a list of names"), "dns_names");
          g_strv_builder_add (sans, json_node_get_string (element));
        }
    }

  *dns_names = g_strv_builder_end (sans);
  return TRUE;
}

gboolean
gh_admin_parse_reply (JsonObject   *object,
                      const char  **pem,
                      GError      **error)
{
  return get_string (object, "pem", TRUE, pem, error);
}

gboolean
gh_admin_parse_trust (JsonObject   *object,
                      const char  **alias,
                      const char  **pem,
                      GError      **error)
{
  return get_string (object, "alias", TRUE, alias, error) && get_string (object, "pem", TRUE, pem, error);
}

gboolean
gh_admin_parse_rollback (JsonObject  *object,
                         gint64      *version,
                         GError     **error)
{
  JsonNode *member = json_object_get_member (object, "version");

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) < 1)
    return malformed (error, _("The member “%s” must be a version number"), "version");

  *version = json_node_get_int (member);
  return TRUE;
}

/* Request heads */

guint
gh_admin_request_error_status (const GError  *error,
                               const char   **problem)
{
  static const struct {
    guint       status;
    const char *problem;
  } statuses[] = {
    [GH_ADMIN_REQUEST_ERROR_MALFORMED] = { SOUP_STATUS_BAD_REQUEST, "malformed" },
    [GH_ADMIN_REQUEST_ERROR_LENGTH_REQUIRED] = { SOUP_STATUS_LENGTH_REQUIRED, "length-required" },
    [GH_ADMIN_REQUEST_ERROR_BODY_TOO_LARGE] = { SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body-too-large" },
    [GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE] = { 431, "headers-too-large" },
  };
  guint code = GH_ADMIN_REQUEST_ERROR_MALFORMED;

  if (error != NULL && error->domain == GH_ADMIN_REQUEST_ERROR && (guint) error->code < G_N_ELEMENTS (statuses))
    code = error->code;
  *problem = statuses[code].problem;
  return statuses[code].status;
}

void
gh_admin_request_head_clear (GhAdminRequestHead *head)
{
  g_clear_pointer (&head->method, g_free);
  g_clear_pointer (&head->path, g_free);
  head->content_length = 0;
  head->upgrade = FALSE;
}

gssize
gh_admin_request_head_end (const char *data,
                           gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] != '\n')
        continue;
      if (i + 1 < length && data[i + 1] == '\n')
        return i + 2;
      if (i + 2 < length && data[i + 1] == '\r' && data[i + 2] == '\n')
        return i + 3;
    }
  return -1;
}

gboolean
gh_admin_parse_content_length (const char *value,
                               goffset    *length)
{
  guint64 n = 0;

  if (value == NULL || *value == '\0')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) || n > ((guint64) G_MAXINT64 - (guint64) (*p - '0')) / 10)
        return FALSE;
      n = n * 10 + (guint64) (*p - '0');
    }
  *length = (goffset) n;
  return TRUE;
}

typedef struct {
  guint fields;
  gsize bytes;
} FieldCount;

static void
count_field (const char *name,
             const char *value,
             gpointer    user_data)
{
  FieldCount *count = user_data;

  count->fields++;
  count->bytes += strlen (name) + strlen (value) + 4;  /* ": " and CRLF */
}

static gboolean
request_error (GError     **error,
               int          code,
               const char  *message)
{
  g_set_error_literal (error, GH_ADMIN_REQUEST_ERROR, code, message);
  return FALSE;
}

static gboolean
head_too_large (GError **error)
{
  g_set_error (error, GH_ADMIN_REQUEST_ERROR, GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE,
               _("Request heads are limited to %u header fields and %u bytes"),
               GH_ADMIN_MAX_HEAD_FIELDS, GH_ADMIN_MAX_HEAD_BYTES);
  return FALSE;
}

gboolean
gh_admin_request_headers_check (SoupMessageHeaders  *headers,
                                goffset              max_body,
                                goffset             *content_length,
                                GError             **error)
{
  const char *length_value = soup_message_headers_get_list (headers, "Content-Length");
  const char *encoding = soup_message_headers_get_list (headers, "Transfer-Encoding");
  FieldCount count = { 0, 0 };
  goffset length = 0;

  *content_length = 0;

  soup_message_headers_foreach (headers, count_field, &count);
  if (count.fields > GH_ADMIN_MAX_HEAD_FIELDS || count.bytes > GH_ADMIN_MAX_HEAD_BYTES)
    return head_too_large (error);

  /* Both framings at once is how requests are smuggled past a proxy that reads the
   * other one: never guess which one the client meant. */
  if (encoding != NULL && length_value != NULL)
    return request_error (error, GH_ADMIN_REQUEST_ERROR_MALFORMED,
                          _("A request has either Transfer-Encoding or Content-Length, not both"));
  if (encoding != NULL)
    return request_error (error, GH_ADMIN_REQUEST_ERROR_LENGTH_REQUIRED, _("Send the body with a Content-Length"));

  if (length_value != NULL && !gh_admin_parse_content_length (length_value, &length))
    return request_error (error, GH_ADMIN_REQUEST_ERROR_MALFORMED,
                          _("Content-Length must be one number of bytes"));
  if (length > max_body)
    {
      g_autofree char *message = g_strdup_printf (_("Bodies are limited to %" PRId64 " bytes"), max_body);

      return request_error (error, GH_ADMIN_REQUEST_ERROR_BODY_TOO_LARGE, message);
    }

  *content_length = length;
  return TRUE;
}

/* The method and path of a head too large to parse, for the audit: printable ASCII. */
static void
split_request_line (const char         *data,
                    gsize               length,
                    GhAdminRequestHead *head)
{
  const char *line_end = memchr (data, '\n', MIN (length, 8192));
  const char *method_end, *path_end;

  if (line_end == NULL || (method_end = memchr (data, ' ', line_end - data)) == NULL ||
      (path_end = memchr (method_end + 1, ' ', line_end - method_end - 1)) == NULL)
    return;
  for (const char *p = data; p < path_end; p++)
    if (!g_ascii_isgraph (*p) && p != method_end)
      return;
  if (method_end == data || path_end == method_end + 1)
    return;

  head->method = g_strndup (data, method_end - data);
  head->path = g_strndup (method_end + 1, path_end - method_end - 1);
}

gboolean
gh_admin_request_head_check (const char          *data,
                             gsize                length,
                             goffset              max_body,
                             GhAdminRequestHead  *head,
                             GError             **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *copy = NULL;
  char *method = NULL, *path = NULL;
  SoupHTTPVersion version;
  guint status;

  memset (head, 0, sizeof *head);

  if (length > GH_ADMIN_MAX_HEAD_BYTES)
    {
      split_request_line (data, length, head);
      return head_too_large (error);
    }

  /* libsoup reads up to the last field's line end, without the empty line. */
  if (length >= 2 && data[length - 1] == '\n' && data[length - 2] == '\n')
    length--;
  else if (length >= 3 && data[length - 1] == '\n' && data[length - 2] == '\r' && data[length - 3] == '\n')
    length -= 2;
  copy = g_strndup (data, length);
  if (memchr (data, '\0', length) != NULL)
    return request_error (error, GH_ADMIN_REQUEST_ERROR_MALFORMED, _("The request head cannot be read"));

  status = soup_headers_parse_request (copy, (int) length, headers, &method, &path, &version);
  if (method != NULL && path != NULL && g_utf8_validate (method, -1, NULL) && g_utf8_validate (path, -1, NULL))
    {
      head->method = g_steal_pointer (&method);
      head->path = g_steal_pointer (&path);
    }
  g_free (method);
  g_free (path);
  if (status != SOUP_STATUS_OK || head->method == NULL)
    return request_error (error, GH_ADMIN_REQUEST_ERROR_MALFORMED, _("The request head cannot be read"));

  if (!gh_admin_request_headers_check (headers, max_body, &head->content_length, error))
    return FALSE;

  head->upgrade = soup_message_headers_get_list (headers, "Upgrade") != NULL;
  return TRUE;
}

/* RFC 9110 5.6: OWS, token, quoted-string. */

static const char *
skip_ows (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The token at @p, its end in @end; FALSE when there is none. */
static gboolean
read_token (const char  *p,
            const char **end)
{
  const char *q = p;

  while (is_tchar (*q))
    q++;
  *end = q;
  return q != p;
}

/* A quoted-string at @p, unquoted into @out; FALSE when it is not one. */
static gboolean
read_quoted (const char  *p,
             const char **end,
             GString     *out)
{
  if (*p++ != '"')
    return FALSE;
  for (; *p != '"'; p++)
    {
      if (*p == '\\')
        p++;
      if (*p == '\0' || (guchar) *p < 0x20 || *p == 0x7f)
        {
          if (*p != '\t')
            return FALSE;
        }
      g_string_append_c (out, *p);
    }
  *end = p + 1;
  return TRUE;
}

gboolean
gh_admin_media_type_is_json (const char *value)
{
  const char *p, *end;

  if (value == NULL)
    return FALSE;

  p = skip_ows (value);
  if (!read_token (p, &end) || (gsize) (end - p) != strlen ("application") || g_ascii_strncasecmp (p, "application", end - p) != 0)
    return FALSE;
  p = end;
  if (*p++ != '/')
    return FALSE;
  if (!read_token (p, &end) || (gsize) (end - p) != strlen ("json") || g_ascii_strncasecmp (p, "json", end - p) != 0)
    return FALSE;
  p = skip_ows (end);

  /* parameters = *( OWS ";" OWS [ parameter ] ) */
  while (*p == ';')
    {
      g_autoptr(GString) parameter_value = g_string_new (NULL);
      const char *name = skip_ows (p + 1);

      if (*name == ';' || *name == '\0')
        {
          p = name;
          continue;
        }
      if (!read_token (name, &end) || (gsize) (end - name) != strlen ("charset") ||
          g_ascii_strncasecmp (name, "charset", end - name) != 0 || *end != '=')
        return FALSE;
      p = end + 1;
      if (read_token (p, &end))
        g_string_append_len (parameter_value, p, end - p);
      else if (!read_quoted (p, &end, parameter_value))
        return FALSE;
      if (g_ascii_strcasecmp (parameter_value->str, "utf-8") != 0)
        return FALSE;
      p = skip_ows (end);
    }

  return *p == '\0';
}

/* entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; @end after it. */
static gboolean
read_entity_tag (const char  *p,
                 const char **end,
                 gboolean    *weak)
{
  *weak = g_str_has_prefix (p, "W/");
  if (*weak)
    p += 2;
  if (*p++ != '"')
    return FALSE;
  while (*p == 0x21 || ((guchar) *p >= 0x23 && *p != 0x7f))
    p++;
  if (*p != '"')
    return FALSE;
  *end = p + 1;
  return TRUE;
}

GhAdminIfMatch
gh_admin_if_match_evaluate (const char *value,
                            const char *etag)
{
  GhAdminIfMatch result = GH_ADMIN_IF_MATCH_FAILS;
  const char *p;
  guint tags = 0;

  if (value == NULL)
    return GH_ADMIN_IF_MATCH_MALFORMED;

  p = skip_ows (value);
  if (*p == '*')
    return *skip_ows (p + 1) == '\0' ? GH_ADMIN_IF_MATCH_MATCHES : GH_ADMIN_IF_MATCH_MALFORMED;

  /* #entity-tag: elements separated by OWS "," OWS; empty elements are allowed. */
  for (;;)
    {
      const char *start;
      const char *end;
      gboolean weak;

      p = skip_ows (p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p == '\0')
        break;

      start = p;
      if (!read_entity_tag (p, &end, &weak))
        return GH_ADMIN_IF_MATCH_MALFORMED;
      tags++;
      if (!weak && etag != NULL && (gsize) (end - start) == strlen (etag) && strncmp (start, etag, end - start) == 0)
        result = GH_ADMIN_IF_MATCH_MATCHES;

      p = skip_ows (end);
      if (*p != ',' && *p != '\0')
        return GH_ADMIN_IF_MATCH_MALFORMED;
    }

  return tags > 0 ? result : GH_ADMIN_IF_MATCH_MALFORMED;
}
