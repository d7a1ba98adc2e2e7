/* gh-gateway-config-validate.c — what makes a gateway configuration one that the
 * daemon can serve
 *
 * Validation looks at the configuration alone: it checks what the file says, not the
 * files it names (whether the keystore exists and holds a certificate for each accept
 * host is for the daemon, when it loads them). Every problem is collected, in
 * document order, each with its JSON path and its service.
 *
 * This file checks each field; whether the addresses of the accepts and of the admin
 * API conflict is gh-config-endpoints.c's part, fed as the fields are checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-config"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>

#include "gh-config-private.h"
#include "gh-keystore-entry.h"

#define MAX_SERVICE_NAME_LENGTH 63

typedef struct {
  GhConfigProblems  *problems;
  GhGatewayConfig   *config;
  gboolean           has_keystore;
  gboolean           has_truststore;
  GhConfigEndpoints *endpoints;  /* the addresses, for their conflicts */
  GHashTable        *names;      /* service name → its JSON path */
} Checker;

/* Names and addresses */

static gboolean
label_is_valid (const char *label,
                gsize       length)
{
  if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/* An IP address, or a DNS name (IDNs arrive in their xn-- form from GUri). */
static gboolean
host_is_valid (const char *host)
{
  gsize length = strlen (host);
  const char *label = host;
  const char *last = host;
  gboolean all_digits = TRUE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  if (length > 0 && host[length - 1] == '.')
    length--;
  if (length == 0 || length > 253)
    return FALSE;

  while (label < host + length)
    {
      const char *dot = memchr (label, '.', host + length - label);
      gsize label_length = (dot != NULL ? dot : host + length) - label;

      if (!label_is_valid (label, label_length))
        return FALSE;

      last = label;
      if (dot == NULL)
        break;
      label = dot + 1;
      if (label == host + length)
        return FALSE;   /* "a..b" or "a.." */
    }

  /* A name whose last label is all digits is a mistyped IPv4 address ("10.0.0"). */
  for (const char *p = last; p < host + length; p++)
    {
      if (!g_ascii_isdigit (*p))
        all_digits = FALSE;
    }

  return !all_digits;
}

gboolean
_gh_config_parse_listen (const char  *text,
                         char       **host,
                         guint16     *port,
                         char       **why)
{
  g_autofree char *name = NULL;
  const char *port_text;
  guint64 number = 0;

  if (*text == '\0')
    {
      if (why != NULL)
        *why = g_strdup_printf (_("is empty; write host:port, for example %s"),
                                GH_CONFIG_DEFAULT_ADMIN_LISTEN);
      return FALSE;
    }

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        {
          if (why != NULL)
            *why = g_strdup_printf (_("“%s” opens “[” and does not close it; write an IPv6 "
                                      "address as [::1]:9443"), text);
          return FALSE;
        }

      name = g_strndup (text + 1, close - text - 1);
      if (strchr (name, ':') == NULL || !g_hostname_is_ip_address (name))
        {
          if (why != NULL)
            *why = g_strdup_printf (_("“%s” is not an IPv6 address; only IPv6 addresses go "
                                      "in brackets"), name);
          return FALSE;
        }

      if (close[1] != ':')
        {
          if (why != NULL)
            *why = g_strdup_printf (_("“%s” has no port; write [%s]:9443"), text, name);
          return FALSE;
        }
      port_text = close + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL)
        {
          if (why != NULL)
            *why = g_strdup_printf (_("“%s” has no port; write host:port, for example %s:9443"),
                                    text, text);
          return FALSE;
        }

      name = g_strndup (text, colon - text);
      if (strchr (name, ':') != NULL)
        {
          if (why != NULL)
            *why = g_strdup_printf (_("an IPv6 address goes in brackets before its port: "
                                      "[%s]:9443"), name);
          return FALSE;
        }

      if (!host_is_valid (name))
        {
          if (why != NULL)
            *why = g_strdup_printf (_("“%s” is not a host name or an IP address"), name);
          return FALSE;
        }
      port_text = colon + 1;
    }

  if (*port_text == '\0' || strlen (port_text) > 5 ||
      !g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &number, NULL))
    {
      if (why != NULL)
        *why = g_strdup_printf (_("“%s” is not a port; a port is a number from 1 to 65535"),
                                port_text);
      return FALSE;
    }

  if (host != NULL)
    *host = g_steal_pointer (&name);
  if (port != NULL)
    *port = number;

  return TRUE;
}

char *
_gh_config_normalize_fingerprint (const char *fingerprint)
{
  GString *hex = g_string_new (NULL);

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isxdigit (*p) || hex->len >= 64)
        {
          g_string_free (hex, TRUE);
          return NULL;
        }
      g_string_append_c (hex, g_ascii_tolower (*p));
    }

  if (hex->len != 64)
    {
      g_string_free (hex, TRUE);
      return NULL;
    }

  return g_string_free (hex, FALSE);
}

/* Checks */

#define add_problem(c, code, path, service, ...) \
  _gh_config_problems_add ((c)->problems, (code), (path), (service), __VA_ARGS__)

static void
check_path_value (Checker    *c,
                  const char *path,
                  const char *service,
                  const char *value)
{
  if (value != NULL && *value == '\0')
    add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                 _("is empty; give a file name, relative to the configuration file’s "
                   "directory or absolute"));
}

static void
check_alias (Checker    *c,
             const char *path,
             const char *service,
             const char *alias)
{
  if (alias != NULL && !gh_keystore_alias_is_valid (alias))
    add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                 _("“%s” is not a keystore alias: an alias is 1 to 255 bytes, without "
                   "control characters or spaces at either end"), alias);
}

static void
check_priority (Checker    *c,
                const char *path,
                const char *service,
                const char *priority)
{
  gnutls_priority_t cache = NULL;
  const char *error_position = NULL;
  int ret;

  if (priority == NULL)
    return;

  if (*priority == '\0')
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("is empty; leave it out to get the default (TLS 1.3 and 1.2, "
                     "secure ciphers only)"));
      return;
    }

  ret = gnutls_priority_init2 (&cache, priority, &error_position, 0);
  if (ret >= 0)
    {
      gnutls_priority_deinit (cache);
      return;
    }

  if (error_position != NULL && error_position >= priority &&
      error_position < priority + strlen (priority))
    {
      gsize offset = error_position - priority;
      gsize token_length = strcspn (error_position, ":");
      g_autofree char *token = g_strndup (error_position, token_length);

      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   /* Translators: a GnuTLS priority keyword, and where it is */
                   _("GnuTLS does not accept “%s”, at character %zu of the priority string; check it against the priority strings of the "
                     "GnuTLS manual, or try it with gnutls-cli --list --priority"),
                   token, offset + 1);
    }
  else
    add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                 _("GnuTLS does not accept this priority string: %s"), gnutls_strerror (ret));
}

static void
check_properties (Checker *c)
{
  if (c->config->name != NULL && *c->config->name == '\0')
    add_problem (c, GH_CONFIG_ERROR_INVALID, "properties.name", NULL,
                 _("is empty; leave it out to name the gateway after its host"));
}

static void
check_store (Checker    *c,
             const char *path,
             const char *file,
             const char *password_file,
             gboolean   *present)
{
  g_autofree char *file_path = g_strdup_printf ("%s.file", path);
  g_autofree char *password_path = g_strdup_printf ("%s.password-file", path);

  if (file == NULL && password_file != NULL)
    add_problem (c, GH_CONFIG_ERROR_MISSING, file_path, NULL,
                 _("gives a password file but no store file: add “file”"));

  check_path_value (c, file_path, NULL, file);
  check_path_value (c, password_path, NULL, password_file);
  *present = file != NULL && *file != '\0';
}

static void
check_security (Checker *c)
{
  check_store (c, "security.keystore", c->config->keystore_file, c->config->keystore_password_file,
               &c->has_keystore);
  check_store (c, "security.truststore", c->config->truststore_file, c->config->truststore_password_file,
               &c->has_truststore);
}

static void
check_admin (Checker *c)
{
  GhGatewayConfig *config = c->config;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *host = NULL;
  g_autofree char *why = NULL;
  guint16 port;

  if (!config->has_admin)
    return;

  if (_gh_config_parse_listen (gh_gateway_config_get_admin_listen (config), &host, &port, &why))
    _gh_config_endpoints_add_admin (c->endpoints, host, port, gh_gateway_config_get_admin_listen (config));
  else
    add_problem (c, GH_CONFIG_ERROR_INVALID, "admin.listen", NULL, "%s", why);

  if (!c->has_keystore)
    add_problem (c, GH_CONFIG_ERROR_NEEDS_KEYSTORE, "admin", NULL,
                 _("the admin API speaks TLS only, and there is no keystore for its "
                   "certificate: set security.keystore"));

  check_alias (c, "admin.certificate-alias", NULL, config->admin_certificate_alias);

  if (config->admin_client_ca == NULL)
    add_problem (c, GH_CONFIG_ERROR_MISSING, "admin.client-ca", NULL,
                 _("is missing: the admin API admits only client certificates issued by "
                   "this CA; give its PEM file"));
  check_path_value (c, "admin.client-ca", NULL, config->admin_client_ca);

  for (guint i = 0; i < GH_ADMIN_N_TIMEOUTS; i++)
    {
      const GhConfigInt *value = &config->admin_timeouts[i];

      g_autofree char *path = NULL;

      if (!value->set || (value->value >= GH_CONFIG_MIN_ADMIN_TIMEOUT && value->value <= GH_CONFIG_MAX_ADMIN_TIMEOUT))
        continue;
      path = g_strdup_printf ("admin.timeouts.%s", gh_admin_timeout_to_string (i));
      add_problem (c, GH_CONFIG_ERROR_OUT_OF_RANGE, path, NULL,
                   ngettext ("is %" PRId64 " second; it must be from %d to %d",
                             "is %" PRId64 " seconds; it must be from %d to %d", (gulong) ABS (value->value)),
                   value->value, GH_CONFIG_MIN_ADMIN_TIMEOUT, GH_CONFIG_MAX_ADMIN_TIMEOUT);
    }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < config->identities->len; i++)
    {
      GhConfigIdentity *identity = g_ptr_array_index (config->identities, i);
      g_autofree char *subject_path = g_strdup_printf ("admin.identities[%u].subject", i);
      g_autofree char *fingerprint_path = g_strdup_printf ("admin.identities[%u].fingerprint", i);
      g_autofree char *role_path = g_strdup_printf ("admin.identities[%u].role", i);
      g_autofree char *fingerprint = NULL;
      GhAdminRole role;

      if (identity->subject == NULL)
        add_problem (c, GH_CONFIG_ERROR_MISSING, subject_path, NULL,
                     _("is missing: give the subject of the client certificate, for example "
                       "CN=gatehouse-admin"));
      else if (strchr (identity->subject, '=') == NULL)
        add_problem (c, GH_CONFIG_ERROR_INVALID, subject_path, NULL,
                     _("“%s” is not a distinguished name; write it as CN=gatehouse-admin"),
                     identity->subject);

      if (identity->fingerprint != NULL &&
          (fingerprint = _gh_config_normalize_fingerprint (identity->fingerprint)) == NULL)
        add_problem (c, GH_CONFIG_ERROR_INVALID, fingerprint_path, NULL,
                     _("is not a SHA-256 fingerprint: 64 hexadecimal digits, with or without "
                       "colons"));

      if (identity->role == NULL)
        add_problem (c, GH_CONFIG_ERROR_MISSING, role_path, NULL,
                     _("is missing: give viewer, operator or admin"));
      else if (!gh_admin_role_from_string (identity->role, &role))
        add_problem (c, GH_CONFIG_ERROR_INVALID, role_path, NULL,
                     _("“%s” is not a role; the roles are viewer, operator and admin"),
                     identity->role);

      if (identity->subject != NULL)
        {
          g_autofree char *key = g_strdup_printf ("%s\n%s", identity->subject,
                                                  fingerprint != NULL ? fingerprint : "");
          const char *first = g_hash_table_lookup (seen, key);

          if (first != NULL)
            add_problem (c, GH_CONFIG_ERROR_DUPLICATE_NAME, subject_path, NULL,
                         _("the same identity is already listed as %s; list it once, with "
                           "one role"), first);
          else
            g_hash_table_insert (seen, g_steal_pointer (&key), g_strdup_printf ("admin.identities[%u]", i));
        }
    }
}

static gboolean
scheme_in (const char         *scheme,
           const char * const *schemes)
{
  return g_strv_contains (schemes, scheme);
}

static const char * const accept_schemes_stream[] = { "wss", "ws", "ssl", "tcp", NULL };
static const char * const accept_schemes_directory[] = { "https", "http", NULL };
static const char * const accept_schemes_any[] = { "wss", "ws", "https", "http", "ssl", "tcp", NULL };
static const char * const connect_schemes[] = { "tcp", "ssl", "ws", "wss", NULL };

/* Checks @text as an accept (@connect FALSE) or connect URI of a service of @type.
 * Returns the URI with its port, or NULL after reporting why not. */
static GUri *
check_uri (Checker       *c,
           const char    *path,
           const char    *service,
           const char    *text,
           gboolean       connect,
           GhServiceType  type,
           int           *port_out)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *allowed;
  const char *scheme;
  const char *host;
  const char *uri_path;
  gboolean stream;
  int port;

  if (*text == '\0')
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("is empty; write a URI such as wss://gateway.example.com:8443/path"));
      return NULL;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("“%s” is not a URI (%s); write one such as wss://gateway.example.com:8443/path"),
                   text, local_error->message);
      return NULL;
    }

  /* "localhost:8080" parses as scheme "localhost" and path "8080". */
  if (g_uri_get_host (uri) == NULL && strstr (text, "://") == NULL)
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("“%s” is not a URI; write it with its scheme, such as %s://%s/"),
                   text, connect ? "ssl" : "wss", text);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (connect)
    allowed = connect_schemes;
  else if (type == GH_SERVICE_TYPE_DIRECTORY)
    allowed = accept_schemes_directory;
  else if (type == GH_SERVICE_TYPE_UNKNOWN)
    allowed = accept_schemes_any;
  else
    allowed = accept_schemes_stream;

  if (!scheme_in (scheme, allowed))
    {
      if (connect)
        add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                     _("a proxy connects to tcp, ssl, ws or wss back-ends; “%s” is not one of "
                       "them"), scheme);
      else if (type == GH_SERVICE_TYPE_DIRECTORY)
        add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                     _("a directory service serves files over https or http; it cannot accept "
                       "“%s”"), scheme);
      else if (type == GH_SERVICE_TYPE_UNKNOWN)
        add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                     _("the gateway accepts wss, ws, https, http, ssl and tcp; “%s” is not one "
                       "of them"), scheme);
      else
        add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                     _("%s services accept wss, ws, ssl or tcp; they cannot accept “%s”%s"),
                     gh_service_type_to_string (type), scheme,
                     scheme_in (scheme, accept_schemes_directory)
                       ? _(" (files over http and https are for directory services)") : "");
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_autofree char *redacted = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);

      /* Not repeated here: the point is to keep it out of logs. */
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("holds a user name or password before “@”; credentials do not belong in "
                     "a URI, where they end up in logs: write %s"), redacted);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("“%s” has no host; write %s://HOST:PORT…"), text, scheme);
      return NULL;
    }

  if (!host_is_valid (host))
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("“%s” is not a host name or an IP address"), host);
      return NULL;
    }

  if (connect)
    {
      gboolean wildcard, loopback;

      _gh_config_classify_host (host, &wildcard, &loopback);
      if (wildcard)
        {
          add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                       _("%s means every local address, and a back-end needs one host to "
                         "connect to"), host);
          return NULL;
        }
    }

  port = g_uri_get_port (uri);
  if (port == 0)
    {
      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("port 0 is no port; give one from 1 to 65535"));
      return NULL;
    }
  if (port == -1)
    port = _gh_config_default_port (scheme);
  if (port <= 0)
    {
      g_autofree char *shown = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);

      add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                   _("“%s” has no port, and %s has no default port; write %s://%s:PORT"),
                   text, scheme, scheme, shown);
      return NULL;
    }

  stream = g_str_equal (scheme, "ssl") || g_str_equal (scheme, "tcp");
  uri_path = g_uri_get_path (uri);
  if (stream && *uri_path != '\0' && !g_str_equal (uri_path, "/"))
    {
      add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                   _("%s carries a byte stream, which has no path; remove “%s”"), scheme, uri_path);
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL && !connect)
    {
      add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                   _("accept URIs are matched on host, port and path; remove the query “?%s”"),
                   g_uri_get_query (uri));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL && stream)
    {
      add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                   _("%s carries a byte stream, which has no query; remove “?%s”"),
                   scheme, g_uri_get_query (uri));
      return NULL;
    }

  if (g_uri_get_fragment (uri) != NULL)
    {
      add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, path, service,
                   _("remove the fragment “#%s”: a fragment never reaches a server"),
                   g_uri_get_fragment (uri));
      return NULL;
    }

  *port_out = port;
  return g_steal_pointer (&uri);
}

static gboolean
scheme_is_secure (const char *scheme)
{
  return g_str_equal (scheme, "wss") || g_str_equal (scheme, "https") || g_str_equal (scheme, "ssl");
}

static gboolean
service_name_check (const char  *name,
                    char       **why)
{
  gsize length = strlen (name);

  if (length == 0)
    {
      *why = g_strdup (_("is empty; a service needs a name, such as “echo” or “backend”"));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        {
          *why = g_strdup_printf (_("“%s” is not a service name: use lower-case letters, digits "
                                    "and “-” only"), name);
          return FALSE;
        }
    }

  if (name[0] == '-')
    {
      *why = g_strdup_printf (_("“%s” starts with “-”, which command lines would take for an "
                                "option; start with a letter or digit"), name);
      return FALSE;
    }

  if (length > MAX_SERVICE_NAME_LENGTH)
    {
      *why = g_strdup_printf (ngettext ("is %zu character long; a service name has at most %u",
                                        "is %zu characters long; a service name has at most %u", length),
                              length, MAX_SERVICE_NAME_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static void
check_limit (Checker           *c,
             const char        *service_path,
             const char        *service,
             const char        *name,
             const GhConfigInt *value,
             gint64             low,
             gint64             high)
{
  g_autofree char *path = NULL;

  if (!value->set || (value->value >= low && value->value <= high))
    return;

  path = g_strdup_printf ("%s.limits.%s", service_path, name);
  add_problem (c, GH_CONFIG_ERROR_OUT_OF_RANGE, path, service,
               _("is %" PRId64 "; it must be from %" PRId64 " to %" PRId64),
               value->value, low, high);
}

static void
check_service (Checker         *c,
               guint            index,
               GhServiceConfig *s)
{
  g_autofree char *base = g_strdup_printf ("services[%u]", index);
  g_autofree char *name_path = g_strdup_printf ("%s.name", base);
  g_autofree char *type_path = g_strdup_printf ("%s.type", base);
  g_autofree char *accept_path = g_strdup_printf ("%s.accept", base);
  g_autofree char *connect_path = g_strdup_printf ("%s.connect", base);
  g_autofree char *directory_path = g_strdup_printf ("%s.directory", base);
  g_autofree char *tls_path = g_strdup_printf ("%s.tls", base);
  g_autofree char *connect_tls_path = g_strdup_printf ("%s.connect-tls", base);
  g_autofree char *why = NULL;
  const char *service = (s->name != NULL && *s->name != '\0') ? s->name : NULL;
  GhServiceType type = s->service_type;
  guint n_accepts = s->accept != NULL ? g_strv_length (s->accept) : 0;
  guint n_parsed = 0;
  guint n_secure = 0;
  gboolean has_tls = s->tls_priority != NULL || s->verify_client != NULL;
  gboolean has_connect_tls = s->connect_priority != NULL || s->connect_verify != GH_CONFIG_BOOL_UNSET ||
                             s->server_name != NULL || s->client_certificate_alias != NULL;

  /* name */
  if (s->name == NULL)
    add_problem (c, GH_CONFIG_ERROR_MISSING, name_path, NULL,
                 _("is missing: every service needs a name, such as “echo” or “backend”"));
  else if (!service_name_check (s->name, &why))
    add_problem (c, GH_CONFIG_ERROR_INVALID, name_path, service, "%s", why);
  else if (g_hash_table_contains (c->names, s->name))
    add_problem (c, GH_CONFIG_ERROR_DUPLICATE_NAME, name_path, service,
                 _("%s already has this name; each service needs its own"),
                 (const char *) g_hash_table_lookup (c->names, s->name));
  else
    g_hash_table_insert (c->names, s->name, g_strdup (base));

  /* type */
  if (s->type == NULL)
    add_problem (c, GH_CONFIG_ERROR_MISSING, type_path, service,
                 _("is missing: give proxy, echo or directory"));
  else if (type == GH_SERVICE_TYPE_UNKNOWN)
    add_problem (c, GH_CONFIG_ERROR_INVALID, type_path, service,
                 _("“%s” is not a service type; the types are proxy, echo and directory"), s->type);

  /* accept */
  if (n_accepts == 0)
    add_problem (c, GH_CONFIG_ERROR_MISSING, accept_path, service,
                 _("is missing or empty: a service needs at least one URI to accept "
                   "connections on"));

  for (guint i = 0; i < n_accepts; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", accept_path, i);
      g_autoptr(GUri) uri = NULL;
      const char *scheme;
      int port = 0;

      uri = check_uri (c, path, service, s->accept[i], FALSE, type, &port);
      if (uri == NULL)
        continue;

      n_parsed++;
      scheme = g_uri_get_scheme (uri);
      if (scheme_is_secure (scheme))
        {
          n_secure++;
          if (!c->has_keystore)
            add_problem (c, GH_CONFIG_ERROR_NEEDS_KEYSTORE, path, service,
                         _("%s is TLS, and there is no keystore to hold the certificate for "
                           "“%s”: set security.keystore"), scheme, g_uri_get_host (uri));
        }

      _gh_config_endpoints_add_accept (c->endpoints, uri, port, s->accept[i], path, service, index);
    }

  /* connect */
  if (s->connect != NULL && type != GH_SERVICE_TYPE_PROXY && type != GH_SERVICE_TYPE_UNKNOWN)
    add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, connect_path, service,
                 _("only proxy services connect to a back-end; %s services have no “connect”"),
                 gh_service_type_to_string (type));
  else if (s->connect == NULL && type == GH_SERVICE_TYPE_PROXY)
    add_problem (c, GH_CONFIG_ERROR_MISSING, connect_path, service,
                 _("is missing: a proxy needs the URI of its back-end, such as "
                   "ssl://backend.example.com:9443"));
  else if (s->connect != NULL)
    {
      g_autoptr(GUri) uri = NULL;
      int port = 0;

      uri = check_uri (c, connect_path, service, s->connect, TRUE, type, &port);
      if (uri != NULL)
        {
          const char *scheme = g_uri_get_scheme (uri);
          gboolean secure = scheme_is_secure (scheme);

          if (!secure && has_connect_tls)
            add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, connect_tls_path, service,
                         _("connect-tls applies to ssl and wss back-ends, and %s is plain; "
                           "remove connect-tls or connect with %s"),
                         scheme, g_str_equal (scheme, "tcp") ? "ssl" : "wss");
          else if (secure && s->connect_verify != GH_CONFIG_BOOL_FALSE && !c->has_truststore)
            add_problem (c, GH_CONFIG_ERROR_NEEDS_TRUSTSTORE, connect_path, service,
                         _("the back-end’s certificate is verified against the truststore, and "
                           "there is none: set security.truststore with the CA that issued it"));
        }
    }

  /* directory */
  if (s->directory != NULL && type != GH_SERVICE_TYPE_DIRECTORY && type != GH_SERVICE_TYPE_UNKNOWN)
    add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, directory_path, service,
                 _("only directory services serve files; %s services have no “directory”"),
                 gh_service_type_to_string (type));
  else if (s->directory == NULL && type == GH_SERVICE_TYPE_DIRECTORY)
    add_problem (c, GH_CONFIG_ERROR_MISSING, directory_path, service,
                 _("is missing: give the directory to serve, relative to the configuration "
                   "file’s directory or absolute"));
  else
    check_path_value (c, directory_path, service, s->directory);

  /* tls: the accept side */
  if (has_tls && n_accepts > 0 && n_parsed == n_accepts && n_secure == 0)
    add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, tls_path, service,
                 _("tls options apply to wss, https and ssl accepts, and this service has none"));

  if (s->tls_priority != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s.priority", tls_path);

      check_priority (c, path, service, s->tls_priority);
    }

  if (s->verify_client != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s.verify-client", tls_path);
      GhVerifyClient mode;

      if (!gh_verify_client_from_string (s->verify_client, &mode))
        add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                     _("“%s” is not a verify-client mode; the modes are none, optional and "
                       "required"), s->verify_client);
      else if (mode != GH_VERIFY_CLIENT_NONE && !c->has_truststore)
        add_problem (c, GH_CONFIG_ERROR_NEEDS_TRUSTSTORE, path, service,
                     _("client certificates are verified against the truststore, and there is "
                       "none: set security.truststore with the CA that issues them"));
    }

  /* connect-tls: the back-end side */
  if (has_connect_tls && type != GH_SERVICE_TYPE_PROXY && type != GH_SERVICE_TYPE_UNKNOWN)
    add_problem (c, GH_CONFIG_ERROR_NOT_ALLOWED, connect_tls_path, service,
                 _("only proxy services connect to a back-end; %s services have no "
                   "“connect-tls”"), gh_service_type_to_string (type));

  if (s->connect_priority != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s.priority", connect_tls_path);

      check_priority (c, path, service, s->connect_priority);
    }

  if (s->server_name != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s.server-name", connect_tls_path);

      if (!host_is_valid (s->server_name) || g_hostname_is_ip_address (s->server_name))
        add_problem (c, GH_CONFIG_ERROR_INVALID, path, service,
                     _("“%s” is not a DNS name; the server name is sent in SNI and checked "
                       "against the back-end’s certificate"), s->server_name);
    }

  if (s->client_certificate_alias != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s.client-certificate-alias", connect_tls_path);

      check_alias (c, path, service, s->client_certificate_alias);
      if (!c->has_keystore)
        add_problem (c, GH_CONFIG_ERROR_NEEDS_KEYSTORE, path, service,
                     _("the client certificate comes from the keystore, and there is none: "
                       "set security.keystore"));
    }

  /* limits */
  check_limit (c, base, service, "max-pending-bytes", &s->max_pending_bytes,
               GH_CONFIG_MIN_PENDING_BYTES, GH_CONFIG_MAX_PENDING_BYTES);
  check_limit (c, base, service, "max-message-bytes", &s->max_message_bytes,
               GH_CONFIG_MIN_MESSAGE_BYTES, GH_CONFIG_MAX_MESSAGE_BYTES);
  check_limit (c, base, service, "idle-timeout", &s->idle_timeout,
               GH_CONFIG_MIN_IDLE_TIMEOUT, GH_CONFIG_MAX_IDLE_TIMEOUT);
  check_limit (c, base, service, "max-sessions", &s->max_sessions,
               GH_CONFIG_MIN_SESSIONS, GH_CONFIG_MAX_SESSIONS);
}

static void
collect_problems (GhGatewayConfig  *self,
                  GhConfigProblems *problems)
{
  Checker c = { 0 };
  guint n;

  c.problems = problems;
  c.config = self;
  c.endpoints = _gh_config_endpoints_new (problems);
  c.names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  check_properties (&c);
  check_security (&c);
  check_admin (&c);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->services));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (G_LIST_MODEL (self->services), i);

      check_service (&c, i, service);
    }
  _gh_config_endpoints_check_tls_ports (c.endpoints, G_LIST_MODEL (self->services));

  g_hash_table_unref (c.names);
  _gh_config_endpoints_free (c.endpoints);
}

/**
 * gh_gateway_config_check:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer full): every problem, in document order (the first
 *   %GH_CONFIG_MAX_PROBLEMS), of #GhConfigProblem; empty when the configuration is valid
 */
GListModel *
gh_gateway_config_check (GhGatewayConfig *self)
{
  GhConfigProblems problems;
  GListModel *model;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  _gh_config_problems_init (&problems);
  collect_problems (self, &problems);
  model = _gh_config_problems_to_model (&problems);
  _gh_config_problems_clear (&problems);

  return model;
}

/**
 * gh_gateway_config_validate:
 * @self: a #GhGatewayConfig
 * @error: return location for a #GError
 *
 * Whether gatehoused can serve this configuration. On failure @error is the first
 * problem, in %GH_CONFIG_ERROR with that problem's code; its message says how many more
 * there are, and gh_config_error_get_problems() gives them all.
 *
 * Returns: %TRUE when the configuration is valid
 */
gboolean
gh_gateway_config_validate (GhGatewayConfig  *self,
                            GError          **error)
{
  GhConfigProblems problems;
  gboolean valid;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _gh_config_problems_init (&problems);
  collect_problems (self, &problems);
  valid = _gh_config_problems_is_empty (&problems);
  if (!valid)
    _gh_config_problems_propagate (&problems, error);
  _gh_config_problems_clear (&problems);

  return valid;
}
