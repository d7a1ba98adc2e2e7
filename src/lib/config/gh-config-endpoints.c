/* gh-config-endpoints.c — where the addresses of a gateway configuration conflict
 *
 * The validator (gh-gateway-config-validate.c) checks each field and hands every
 * accept URI that parses, and the admin API's listen address, to a GhConfigEndpoints;
 * this file says which of them cannot be bound together, as problems in the same list.
 *
 * Address conflicts: each accept is an endpoint (scheme, host, port, path, with the
 * scheme's default port filled in). Two endpoints with the same scheme, host, port
 * and path conflict. On one port, a listener serves one kind of connection: HTTP over
 * TLS (wss, https), plain HTTP (ws, http), TLS streams (ssl), TCP streams (tcp), or
 * the admin API; endpoints of two kinds conflict when their hosts may be the same
 * address (the same name, a wildcard address on either side, or both loopback). HTTP
 * endpoints share a port by Host header and path, ssl ones by SNI; tcp ones cannot,
 * so two of them on hosts that may be the same address conflict too. Host names are
 * not resolved: one that resolves to another's address is caught at bind time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-config"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-config-private.h"

typedef enum {
  KIND_HTTP_TLS,   /* wss, https */
  KIND_HTTP,       /* ws, http */
  KIND_SSL,
  KIND_TCP,
  KIND_ADMIN,
  N_KINDS
} ListenerKind;

typedef struct {
  ListenerKind  kind;
  guint16       port;
  char         *host;      /* lower case */
  gboolean      wildcard;  /* 0.0.0.0, :: */
  gboolean      loopback;  /* localhost, 127.0.0.0/8, ::1 */
  char         *uri;       /* as written */
  char         *path;      /* its JSON path */
  char         *service;   /* or NULL */
  guint         service_index;  /* G_MAXUINT for the admin listener */
} Endpoint;

typedef struct {
  Endpoint   *any[N_KINDS];
  Endpoint   *wildcard[N_KINDS];
  Endpoint   *loopback[N_KINDS];
  GHashTable *hosts[N_KINDS];   /* host → Endpoint, the first */
} PortUse;

struct _GhConfigEndpoints
{
  GhConfigProblems *problems;
  GPtrArray        *endpoints;  /* of Endpoint, owned */
  GHashTable       *exact;      /* "scheme host port path" → Endpoint */
  GHashTable       *ports;      /* port → PortUse */
};

#define add_problem(c, code, path, service, ...) \
  _gh_config_problems_add ((c)->problems, (code), (path), (service), __VA_ARGS__)

static void
endpoint_free (gpointer data)
{
  Endpoint *endpoint = data;

  g_free (endpoint->host);
  g_free (endpoint->uri);
  g_free (endpoint->path);
  g_free (endpoint->service);
  g_free (endpoint);
}

static void
port_use_free (gpointer data)
{
  PortUse *use = data;

  for (guint k = 0; k < N_KINDS; k++)
    g_clear_pointer (&use->hosts[k], g_hash_table_unref);
  g_free (use);
}

GhConfigEndpoints *
_gh_config_endpoints_new (GhConfigProblems *problems)
{
  GhConfigEndpoints *self = g_new0 (GhConfigEndpoints, 1);

  self->problems = problems;
  self->endpoints = g_ptr_array_new_with_free_func (endpoint_free);
  self->exact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ports = g_hash_table_new_full (NULL, NULL, NULL, port_use_free);

  return self;
}

void
_gh_config_endpoints_free (GhConfigEndpoints *self)
{
  g_hash_table_unref (self->ports);
  g_hash_table_unref (self->exact);
  g_ptr_array_unref (self->endpoints);
  g_free (self);
}

void
_gh_config_classify_host (const char *host,
                          gboolean   *wildcard,
                          gboolean   *loopback)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  *wildcard = address != NULL && g_inet_address_get_is_any (address);
  *loopback = (address != NULL && g_inet_address_get_is_loopback (address)) ||
              g_ascii_strcasecmp (host, "localhost") == 0 ||
              g_ascii_strcasecmp (host, "localhost.") == 0;
}

static const char *
kind_to_string (ListenerKind kind)
{
  switch (kind)
    {
    case KIND_HTTP_TLS: return _("HTTP over TLS (wss, https)");
    case KIND_HTTP: return _("plain HTTP (ws, http)");
    case KIND_SSL: return _("TLS streams (ssl)");
    case KIND_TCP: return _("TCP streams (tcp)");
    case KIND_ADMIN: return _("the admin API");
    case N_KINDS:
    default: break;
    }

  g_assert_not_reached ();
}

static ListenerKind
kind_for_scheme (const char *scheme)
{
  if (g_str_equal (scheme, "wss") || g_str_equal (scheme, "https"))
    return KIND_HTTP_TLS;
  if (g_str_equal (scheme, "ws") || g_str_equal (scheme, "http"))
    return KIND_HTTP;
  if (g_str_equal (scheme, "ssl"))
    return KIND_SSL;

  return KIND_TCP;
}

/* Who else uses @endpoint's port for something it cannot share. */
static Endpoint *
find_port_conflict (PortUse        *use,
                    const Endpoint *endpoint)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      Endpoint *other;

      if ((k == endpoint->kind && k != KIND_TCP) || use->any[k] == NULL)
        continue;

      if (endpoint->wildcard)
        return use->any[k];
      if (use->wildcard[k] != NULL)
        return use->wildcard[k];
      if (endpoint->loopback && use->loopback[k] != NULL)
        return use->loopback[k];
      if ((other = g_hash_table_lookup (use->hosts[k], endpoint->host)) != NULL)
        return other;
    }

  return NULL;
}

static void
report_port_conflict (GhConfigEndpoints *c,
                      const Endpoint    *endpoint,
                      const Endpoint    *other)
{
  if (other->kind == KIND_ADMIN)
    add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                 _("port %u is the admin API’s (admin.listen is “%s”); give this accept "
                   "another port"), endpoint->port, other->uri);
  else if (other->kind == KIND_TCP && endpoint->kind == KIND_TCP)
    add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                 _("port %u already accepts TCP streams for “%s” (%s), and plain TCP cannot "
                   "tell host names apart; give this accept another port"),
                 endpoint->port, other->uri, other->path);
  else
    add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                 _("port %u already serves %s for “%s” (%s); one port serves one kind of "
                   "connection: HTTP over TLS (wss, https), plain HTTP (ws, http), TLS "
                   "streams (ssl) or TCP streams (tcp)"),
                 endpoint->port, kind_to_string (other->kind), other->uri, other->path);
}

/* Takes @endpoint. Reports a conflict with an earlier one, if any. */
static void
add_endpoint (GhConfigEndpoints *c,
              Endpoint          *endpoint,
              const char        *scheme,
              const char        *uri_path)
{
  g_autofree char *key = NULL;
  Endpoint *other;
  PortUse *use;

  g_ptr_array_add (c->endpoints, endpoint);
  _gh_config_classify_host (endpoint->host, &endpoint->wildcard, &endpoint->loopback);

  if (scheme != NULL)
    {
      key = g_strdup_printf ("%s %s %u %s", scheme, endpoint->host, endpoint->port, uri_path);
      if ((other = g_hash_table_lookup (c->exact, key)) != NULL)
        {
          if (other->service_index == endpoint->service_index)
            add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                         _("“%s” is the same address as “%s” (%s); list it once"),
                         endpoint->uri, other->uri, other->path);
          else if (other->service != NULL)
            add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                         _("“%s” is already accepted by service “%s” (%s); two services "
                           "cannot share an address"), endpoint->uri, other->service, other->path);
          else
            add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, endpoint->path, endpoint->service,
                         _("“%s” is already accepted by %s; two services cannot share an "
                           "address"), endpoint->uri, other->path);
          return;
        }
      g_hash_table_insert (c->exact, g_steal_pointer (&key), endpoint);
    }

  use = g_hash_table_lookup (c->ports, GUINT_TO_POINTER (endpoint->port));
  if (use == NULL)
    {
      use = g_new0 (PortUse, 1);
      g_hash_table_insert (c->ports, GUINT_TO_POINTER (endpoint->port), use);
    }

  if ((other = find_port_conflict (use, endpoint)) != NULL)
    {
      report_port_conflict (c, endpoint, other);
      return;
    }

  if (use->any[endpoint->kind] == NULL)
    use->any[endpoint->kind] = endpoint;
  if (endpoint->wildcard && use->wildcard[endpoint->kind] == NULL)
    use->wildcard[endpoint->kind] = endpoint;
  if (endpoint->loopback && use->loopback[endpoint->kind] == NULL)
    use->loopback[endpoint->kind] = endpoint;
  if (use->hosts[endpoint->kind] == NULL)
    use->hosts[endpoint->kind] = g_hash_table_new (g_str_hash, g_str_equal);
  if (!g_hash_table_contains (use->hosts[endpoint->kind], endpoint->host))
    g_hash_table_insert (use->hosts[endpoint->kind], endpoint->host, endpoint);
}

void
_gh_config_endpoints_add_admin (GhConfigEndpoints *self,
                                const char        *host,
                                guint16            port,
                                const char        *listen)
{
  Endpoint *endpoint = g_new0 (Endpoint, 1);

  endpoint->kind = KIND_ADMIN;
  endpoint->host = g_ascii_strdown (host, -1);
  endpoint->port = port;
  endpoint->uri = g_strdup (listen);
  endpoint->path = g_strdup ("admin.listen");
  endpoint->service_index = G_MAXUINT;
  add_endpoint (self, endpoint, NULL, NULL);
}

void
_gh_config_endpoints_add_accept (GhConfigEndpoints *self,
                                 GUri              *uri,
                                 int                port,
                                 const char        *text,
                                 const char        *path,
                                 const char        *service,
                                 guint              service_index)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *uri_path;
  Endpoint *endpoint = g_new0 (Endpoint, 1);

  endpoint->kind = kind_for_scheme (scheme);
  endpoint->host = g_ascii_strdown (g_uri_get_host (uri), -1);
  endpoint->port = port;
  endpoint->uri = g_strdup (text);
  endpoint->path = g_strdup (path);
  endpoint->service = g_strdup (service);
  endpoint->service_index = service_index;

  uri_path = g_uri_get_path (uri);
  if (endpoint->kind == KIND_SSL || endpoint->kind == KIND_TCP)
    uri_path = "";
  else if (*uri_path == '\0')
    uri_path = "/";
  add_endpoint (self, endpoint, scheme, uri_path);
}

/* One bound port has one TLS setup: the gateway makes one server context per address,
 * so services that share a TLS port (by path or by SNI) must agree on the priority
 * string and on client certificates, or the first one's settings would silently be
 * the others' too. */
typedef struct {
  const Endpoint *any;
  const Endpoint *wildcard;
  const Endpoint *loopback;
  GHashTable     *hosts;  /* host → the first Endpoint */
} TlsPortUse;

static void
tls_port_use_free (gpointer data)
{
  TlsPortUse *use = data;

  g_hash_table_unref (use->hosts);
  g_free (use);
}

static gboolean
same_tls_setup (GhServiceConfig *a,
                GhServiceConfig *b)
{
  return g_strcmp0 (gh_service_config_get_tls_priority (a), gh_service_config_get_tls_priority (b)) == 0 &&
         gh_service_config_get_verify_client (a) == gh_service_config_get_verify_client (b);
}

void
_gh_config_endpoints_check_tls_ports (GhConfigEndpoints *c,
                                      GListModel        *services)
{
  g_autoptr(GHashTable) ports = g_hash_table_new_full (NULL, NULL, NULL, tls_port_use_free);
  g_autoptr(GHashTable) reported = g_hash_table_new (NULL, NULL);  /* service indexes */

  for (guint i = 0; i < c->endpoints->len; i++)
    {
      const Endpoint *endpoint = g_ptr_array_index (c->endpoints, i);
      const Endpoint *other = NULL;
      TlsPortUse *use;

      if ((endpoint->kind != KIND_HTTP_TLS && endpoint->kind != KIND_SSL) || endpoint->service_index == G_MAXUINT)
        continue;

      use = g_hash_table_lookup (ports, GUINT_TO_POINTER (endpoint->port));
      if (use == NULL)
        {
          use = g_new0 (TlsPortUse, 1);
          use->hosts = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (ports, GUINT_TO_POINTER (endpoint->port), use);
        }

      /* The first earlier accept that binds the same address. */
      if (endpoint->wildcard)
        other = use->any;
      if (other == NULL && use->wildcard != NULL)
        other = use->wildcard;
      if (other == NULL && endpoint->loopback && use->loopback != NULL)
        other = use->loopback;
      if (other == NULL)
        other = g_hash_table_lookup (use->hosts, endpoint->host);

      if (other != NULL && other->service_index != endpoint->service_index &&
          !g_hash_table_contains (reported, GUINT_TO_POINTER (endpoint->service_index)))
        {
          g_autoptr(GhServiceConfig) mine = g_list_model_get_item (services, endpoint->service_index);
          g_autoptr(GhServiceConfig) theirs = g_list_model_get_item (services, other->service_index);

          if (!same_tls_setup (mine, theirs))
            {
              g_autofree char *path = g_strdup_printf ("services[%u].tls", endpoint->service_index);

              add_problem (c, GH_CONFIG_ERROR_ADDRESS_CONFLICT, path, endpoint->service,
                           _("“%s” shares port %u with service “%s” (%s), whose tls settings differ "
                             "(priority or verify-client); one port has one TLS setup: give both "
                             "services the same tls, or this accept another port"),
                           endpoint->uri, endpoint->port, other->service, other->path);
              g_hash_table_add (reported, GUINT_TO_POINTER (endpoint->service_index));
            }
        }

      if (use->any == NULL)
        use->any = endpoint;
      if (endpoint->wildcard && use->wildcard == NULL)
        use->wildcard = endpoint;
      if (endpoint->loopback && use->loopback == NULL)
        use->loopback = endpoint;
      if (!g_hash_table_contains (use->hosts, endpoint->host))
        g_hash_table_insert (use->hosts, endpoint->host, (gpointer) endpoint);
    }
}
