/* gh-admin-server.c — the admin API of gatehoused: HTTPS and WSS with client certificates
 *
 * The admin listener drives its own TLS (GhTlsStream: TLS 1.3, the admin certificate,
 * a client certificate required from the admin CA) and hands the decrypted stream to
 * libsoup. The verified client certificate of each connection names the caller; its
 * role comes from the running configuration at every request, so a changed identity
 * list applies at once. Everything that changes the gateway, and every refusal, is
 * audited. docs/admin-api.md is the contract.
 *
 * Handlers run on the gateway's main loop and do nothing slow there: loading keys and
 * writing keystores happen in threads (gh_gateway_apply_async), with the request paused.
 *
 * This file is the listener, the handshakes and the routing; which connections may
 * stay, and for how long, is gh-admin-connections.c; answering is
 * gh-admin-server-respond.c, and each resource has its file: -config, -services
 * (with /services/{name}/tls), -keystore, -truststore, -sessions, -stats (/info and
 * /stats), -audit; the event stream is gh-admin-events.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-request.h"
#include "gh-admin-server-private.h"
#include "gh-json.h"
#include "gh-net-util.h"
#include "gh-soup-server.h"

#define EVENTS_PROTOCOL "gatehouse.v1"
#define ADMIN_LISTEN_BACKLOG 256

G_DEFINE_FINAL_TYPE (GhAdminServer, gh_admin_server, G_TYPE_OBJECT)

/* Requests */

void
_gh_admin_request_free (GhAdminRequest *request)
{
  g_clear_object (&request->server);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->caller, _gh_admin_caller_unref);
  g_free (request->path);
  g_strfreev (request->segments);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_free (request->action);
  g_free (request);
}


/* Checks before any body is read: Host, Origin, body size. A refusal here stops the
 * body from being kept in memory. */

static gboolean
host_is_allowed (GhAdminServer *self,
                 const char    *host_header)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  guint16 bound_port = 0;
  GhTlsServerContext *tls;

  if (host_header == NULL || self->address == NULL)
    return FALSE;

  bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->address));

  if (!g_hostname_is_ip_address (host_header) || strchr (host_header, ']') != NULL || strchr (host_header, ':') == NULL)
    {
      g_autoptr(GNetworkAddress) parsed = NULL;

      parsed = (GNetworkAddress *) g_network_address_parse (host_header, bound_port, NULL);
      if (parsed == NULL)
        return FALSE;
      host = g_strdup (g_network_address_get_hostname (parsed));
      port = g_network_address_get_port (parsed);
    }
  else
    {
      /* A bare IPv6 address without brackets. */
      host = g_strdup (host_header);
      port = bound_port;
    }

  if (port != bound_port)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1"))
    return TRUE;

  {
    g_autoptr(GInetAddress) bound = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->address)));
    g_autoptr(GInetAddress) asked = g_inet_address_new_from_string (host);

    if (asked != NULL && g_inet_address_equal (asked, bound))
      return TRUE;
  }

  tls = gh_gateway_get_admin_tls (self->gateway);
  if (tls != NULL)
    {
      GhTlsIdentity *identity = gh_tls_identities_select (gh_tls_server_context_get_identities (tls), NULL, NULL);

      if (identity != NULL && gh_certificate_matches_host (gh_tls_identity_get_certificate (identity), host))
        return TRUE;
    }

  return FALSE;
}

static GhAdminRequest *
request_new (GhAdminServer     *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  GhAdminRequest *request = g_new0 (GhAdminRequest, 1);
  GhAdminCaller *caller = gh_admin_connections_lookup_caller (self->connections, msg);
  /* Only /api/v1 and what is under it is the API; anything else has no segments (404). */
  gboolean in_api = g_str_has_prefix (path, "/api/v1") && (path[7] == '\0' || path[7] == '/');
  const char *relative = in_api ? path + strlen ("/api/v1") : "";
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);
  g_autoptr(GStrvBuilder) segments = g_strv_builder_new ();

  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->caller = caller ? _gh_admin_caller_ref (caller) : NULL;
  request->path = g_strdup (relative);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (segments, parts[i]);
  request->segments = g_strv_builder_end (segments);
  request->query = query ? g_hash_table_ref (query) : NULL;

  if (caller != NULL)
    request->role = gh_gateway_config_lookup_admin_role (gh_gateway_get_config (self->gateway),
                                                         caller->subject, caller->fingerprint);
  return request;
}

/* The checks every request passes first; FALSE after answering. */
static gboolean
check_request (GhAdminRequest *request)
{
  GhAdminServer *self = request->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *host = soup_message_headers_get_one (headers, "Host");
  const char *origin = soup_message_headers_get_one (headers, "Origin");

  if (request->caller == NULL)
    {
      /* Every connection here passed the handshake with a certificate; this is a bug. */
      _gh_admin_respond_problem (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 _("The connection’s certificate is unknown"), NULL);
      return FALSE;
    }

  if (!host_is_allowed (self, host))
    {
      g_autofree char *detail = g_strdup_printf (_("Host “%s” is not this admin listener (%s)"),
                                                 host ? host : "", self->listen);

      _gh_admin_respond_problem (request, SOUP_STATUS_MISDIRECTED_REQUEST, "misdirected", detail, NULL);
      return FALSE;
    }

  if (origin != NULL)
    {
      g_autofree char *expected = g_strconcat ("https://", host, NULL);

      if (g_ascii_strcasecmp (origin, expected) != 0)
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_FORBIDDEN, "origin-refused",
                                     _("The admin API does not answer web pages"), NULL);
          return FALSE;
        }
    }

  if (request->role == GH_ADMIN_ROLE_NONE)
    {
      g_autofree char *detail = g_strdup_printf (_("%s (SHA-256 %s) is not in admin.identities"),
                                                 request->caller->subject, request->caller->fingerprint);

      /* Its connection holds no slot: one answer, then it goes. */
      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Connection", "close");
      _gh_admin_respond_problem (request, SOUP_STATUS_FORBIDDEN, "not-an-identity", detail, NULL);
      return FALSE;
    }

  if (request->caller->refused != NULL)
    {
      SoupMessageHeaders *response = soup_server_message_get_response_headers (request->msg);
      g_autofree char *retry = g_strdup_printf ("%u", GH_ADMIN_RETRY_AFTER);

      soup_message_headers_replace (response, "Connection", "close");
      soup_message_headers_replace (response, "Retry-After", retry);
      _gh_admin_respond_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE, "too-many-connections",
                                 request->caller->refused, NULL);
      return FALSE;
    }

  return TRUE;
}

/* The guard in front of libsoup (gh-admin-server-guard.c) refuses heads before libsoup
 * reads them; this applies the same rule to what libsoup parsed, for any head that
 * reached it another way (after a refused WebSocket upgrade). */
static void
on_early_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GhAdminServer *self = user_data;
  g_autoptr(GhAdminRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  goffset length;

  if (gh_admin_request_headers_check (soup_server_message_get_request_headers (msg), GH_ADMIN_MAX_BODY,
                                      &length, &error))
    return;

  /* Refused: the body is read and dropped, never kept. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  request = request_new (self, msg, path, query);
  _gh_admin_respond_request_error (request, error);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GhAdminServer *self = user_data;
  g_autoptr(GhAdminRequest) request = request_new (self, msg, path, query);
  const char *area;

  if (!check_request (request))
    return;

  /* Every request needs at least the viewer role: checked above. Writes check more. */
  area = request->segments[0];
  if (area == NULL)
    _gh_admin_respond_not_found (request, _("The API is under /api/v1/…"));
  else if (g_str_equal (area, "info") && request->segments[1] == NULL)
    _gh_admin_handle_info (request);
  else if (g_str_equal (area, "stats") && request->segments[1] == NULL)
    _gh_admin_handle_stats (request);
  else if (g_str_equal (area, "config"))
    _gh_admin_handle_config (g_steal_pointer (&request));
  else if (g_str_equal (area, "services"))
    _gh_admin_handle_services (g_steal_pointer (&request));
  else if (g_str_equal (area, "keystore"))
    _gh_admin_handle_keystore (g_steal_pointer (&request));
  else if (g_str_equal (area, "truststore"))
    _gh_admin_handle_truststore (g_steal_pointer (&request));
  else if (g_str_equal (area, "sessions"))
    _gh_admin_handle_sessions (request);
  else if (g_str_equal (area, "audit") && request->segments[1] == NULL)
    _gh_admin_handle_audit (request);
  else if (g_str_equal (area, "events"))
    _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                               _("The event stream is a WebSocket (subprotocol gatehouse.v1)"), NULL);
  else
    _gh_admin_respond_not_found (request, NULL);
}

/* The event stream: the plain handler runs first and may refuse; libsoup then
 * completes the WebSocket handshake and calls on_events. */

static void
on_events_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  GhAdminServer *self = user_data;
  g_autoptr(GhAdminRequest) request = request_new (self, msg, path, query);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *protocols = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  g_auto(GStrv) offered = protocols ? g_strsplit (protocols, ",", -1) : NULL;
  gboolean found = FALSE;

  /* A refused upgrade ends the connection: the guard in front of libsoup no longer
   * checks what comes after a request to upgrade. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (!check_request (request))
    return;

  for (guint i = 0; offered != NULL && offered[i] != NULL; i++)
    if (g_str_equal (g_strstrip (offered[i]), EVENTS_PROTOCOL))
      found = TRUE;

  if (!_gh_admin_method_is (request, "GET") || !found)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 _("The event stream is a WebSocket with the subprotocol gatehouse.v1"), NULL);
      return;
    }
  /* No status: libsoup goes on with the WebSocket handshake. */
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");
}

static void
on_events (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  GhAdminServer *self = user_data;
  g_autoptr(GhAdminRequest) request = request_new (self, msg, path, NULL);
  GhGateway *gateway = self->gateway;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  gh_admin_connections_set_streaming (self->connections, msg);
  json_builder_begin_object (builder);
  gh_json_add_string (builder, "name", gh_gateway_config_get_name (gh_gateway_get_config (gateway)));
  gh_json_add_string (builder, "version", PACKAGE_VERSION);
  gh_json_add_int (builder, "api", 1);
  json_builder_set_member_name (builder, "identity");
  json_builder_add_value (builder, _gh_admin_identity_to_json (request));
  gh_json_add_int (builder, "config_version", gh_gateway_get_config_version (gateway));
  json_builder_end_object (builder);

  gh_admin_events_add_client (self->events, connection, request->caller ? request->caller->tls : NULL,
                              json_builder_get_root (builder));
}

/* Connections */

typedef struct {
  GhAdminServer  *server;
  GSocketAddress *local;
  GSocketAddress *remote;
} Accepted;

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Accepted *accepted = user_data;
  GhAdminServer *self = accepted->server;
  g_autoptr(GhTlsStream) tls = GH_TLS_STREAM (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = gh_socket_address_to_string (accepted->remote);
  GhCertificate *certificate;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      gh_admin_connections_handshake_failed (self->connections, tls, error);
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else if (self->soup == NULL)
    {
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else if ((certificate = gh_tls_stream_get_peer_certificate (tls)) == NULL)
    {
      /* verify-client is required: the handshake cannot pass without one. */
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else if (!gh_admin_connections_admit (self->connections, tls, certificate))
    {
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else
    {
      g_autoptr(GIOStream) guarded = _gh_admin_guard_connection (self, G_IO_STREAM (tls), peer);

      if (!soup_server_accept_iostream (self->soup, guarded, accepted->local, accepted->remote, &error))
        g_message ("admin %s: %s", peer, error->message);
    }

  g_object_unref (accepted->server);
  g_object_unref (accepted->local);
  g_object_unref (accepted->remote);
  g_free (accepted);
}

static gboolean
on_incoming (GSocketService    *socket_service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  GhAdminServer *self = user_data;
  GhTlsServerContext *context = gh_gateway_get_admin_tls (self->gateway);
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls;
  Accepted *accepted;
  guint timeout;

  if (context == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  if ((tls = gh_tls_stream_new_server (connection, context, &error)) == NULL)
    {
      g_message ("admin listener: %s", error->message);
      return TRUE;
    }

  accepted = g_new0 (Accepted, 1);
  accepted->server = g_object_ref (self);
  accepted->local = g_socket_connection_get_local_address (connection, NULL);
  accepted->remote = g_socket_connection_get_remote_address (connection, NULL);
  if (accepted->local == NULL || accepted->remote == NULL)
    {
      g_clear_object (&accepted->local);
      g_clear_object (&accepted->remote);
      g_object_unref (accepted->server);
      g_free (accepted);
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
      g_object_unref (tls);
      return TRUE;
    }

  timeout = gh_admin_connections_add (self->connections, tls, accepted->remote);
  gh_tls_stream_handshake_async (tls, timeout, NULL, on_handshake, accepted);
  return TRUE;
}

static void
unbind (GhAdminServer *self)
{
  if (self->socket_service != NULL)
    {
      g_socket_service_stop (self->socket_service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->socket_service));
      g_signal_handlers_disconnect_by_data (self->socket_service, self);
      g_clear_object (&self->socket_service);
    }
  g_clear_pointer (&self->listen, g_free);
  g_clear_object (&self->address);
}

static gboolean
bind_listener (GhAdminServer  *self,
               GError        **error)
{
  GhGatewayConfig *config = gh_gateway_get_config (self->gateway);
  g_autoptr(GSocketConnectable) connectable = gh_gateway_config_dup_admin_address (config);
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;

  if (connectable == NULL)
    {
      g_set_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_INVALID,
                   _("admin.listen: “%s” is not host:port"), gh_gateway_config_get_admin_listen (config));
      return FALSE;
    }

  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, NULL, &local_error);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("admin.listen: cannot resolve “%s”: %s"),
                   gh_gateway_config_get_admin_listen (config),
                   local_error ? local_error->message : _("no address"));
      return FALSE;
    }

  service = g_socket_service_new ();
  /* GIO's backlog of 10 drops the SYNs of a burst, and a real client then waits out
   * TCP's back-off behind it; the connection table bounds what is accepted. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), ADMIN_LISTEN_BACKLOG);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    {
      g_prefix_error (error, _("Cannot listen on the admin address %s: "), gh_gateway_config_get_admin_listen (config));
      return FALSE;
    }

  unbind (self);
  self->socket_service = g_steal_pointer (&service);
  self->address = g_steal_pointer (&effective);
  self->listen = g_strdup (gh_gateway_config_get_admin_listen (config));
  g_signal_connect (self->socket_service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->socket_service);
  g_message ("admin API on https://%s/api/v1", self->listen);
  return TRUE;
}

static void
on_gateway_applied (GhGateway     *gateway,
                    gint64         version,
                    const char    *identity,
                    const char    *action,
                    GhAdminServer *self)
{
  GhGatewayConfig *config = gh_gateway_get_config (gateway);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  /* A new admin address: bind it (the old one goes); without an admin section the
   * listener goes. A change that cannot bind keeps the old listener. */
  if (!gh_gateway_config_has_admin (config))
    unbind (self);
  else if (g_strcmp0 (self->listen, gh_gateway_config_get_admin_listen (config)) != 0 &&
           !bind_listener (self, &error))
    g_warning ("%s", error->message);

  json_builder_begin_object (builder);
  gh_json_add_int (builder, "version", version);
  gh_json_add_string (builder, "identity", identity);
  gh_json_add_string (builder, "action", action);
  json_builder_end_object (builder);
  gh_admin_events_publish (self->events, "config.changed", json_builder_get_root (builder));

  if (action != NULL && (g_str_has_prefix (action, "keystore") || g_str_has_prefix (action, "truststore") ||
                         g_str_equal (action, "reload")))
    {
      g_autoptr(JsonBuilder) cert = json_builder_new ();

      json_builder_begin_object (cert);
      gh_json_add_int (cert, "version", version);
      json_builder_end_object (cert);
      gh_admin_events_publish (self->events, "cert.reloaded", json_builder_get_root (cert));
    }
}

static void
on_service_state (GhGateway     *gateway,
                  const char    *name,
                  gboolean       started,
                  GhAdminServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "name", name);
  gh_json_add_string (builder, "state", started ? "started" : "stopped");
  json_builder_end_object (builder);
  gh_admin_events_publish (self->events, "service.state", json_builder_get_root (builder));
}

static void
on_backend_health (GhGateway     *gateway,
                   const char    *service,
                   gboolean       ok,
                   const char    *error,
                   GhAdminServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "service", service);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  gh_json_add_string (builder, "error", error);
  json_builder_end_object (builder);
  gh_admin_events_publish (self->events, "backend.health", json_builder_get_root (builder));
}

GhAdminServer *
gh_admin_server_new (GhGateway *gateway)
{
  GhAdminServer *self;
  g_autoptr(GFile) audit_file = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (gateway), NULL);

  self = g_object_new (GH_TYPE_ADMIN_SERVER, NULL);
  self->gateway = g_object_ref (gateway);
  audit_file = g_file_get_child (gh_gateway_get_state_directory (gateway), "audit.log");
  self->audit = gh_admin_audit_new (audit_file);
  self->events = gh_admin_events_new (gateway, self->audit);
  self->connections = gh_admin_connections_new (gateway);
  return self;
}

gboolean
gh_admin_server_start (GhAdminServer  *self,
                       GError        **error)
{
  const char *protocols[] = { EVENTS_PROTOCOL, NULL };

  g_return_val_if_fail (GH_IS_ADMIN_SERVER (self), FALSE);

  if (self->soup == NULL)
    {
      if ((self->soup = gh_soup_server_new (error)) == NULL)
        return FALSE;
      soup_server_add_early_handler (self->soup, "/", on_early_request, self, NULL);
      soup_server_add_handler (self->soup, "/", on_request, self, NULL);
      soup_server_add_early_handler (self->soup, "/api/v1/events", on_early_request, self, NULL);
      soup_server_add_handler (self->soup, "/api/v1/events", on_events_request, self, NULL);
      soup_server_add_websocket_handler (self->soup, "/api/v1/events", NULL, (char **) protocols,
                                         on_events, self, NULL);
      gh_admin_connections_follow (self->connections, self->soup);
      g_signal_connect_object (self->gateway, "applied", G_CALLBACK (on_gateway_applied), self, 0);
      g_signal_connect_object (self->gateway, "service-state", G_CALLBACK (on_service_state), self, 0);
      g_signal_connect_object (self->gateway, "backend-health", G_CALLBACK (on_backend_health), self, 0);
    }

  if (!gh_gateway_config_has_admin (gh_gateway_get_config (self->gateway)))
    return TRUE;

  return bind_listener (self, error);
}

void
gh_admin_server_stop (GhAdminServer *self)
{
  g_return_if_fail (GH_IS_ADMIN_SERVER (self));

  unbind (self);
  gh_admin_events_close_all (self->events);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
}

const char *
gh_admin_server_get_listen (GhAdminServer *self)
{
  g_return_val_if_fail (GH_IS_ADMIN_SERVER (self), NULL);

  return self->listen;
}

static void
gh_admin_server_dispose (GObject *object)
{
  GhAdminServer *self = GH_ADMIN_SERVER (object);

  if (self->soup != NULL)
    gh_admin_server_stop (self);
  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);

  G_OBJECT_CLASS (gh_admin_server_parent_class)->dispose (object);
}

static void
gh_admin_server_finalize (GObject *object)
{
  GhAdminServer *self = GH_ADMIN_SERVER (object);

  g_clear_object (&self->connections);
  g_clear_object (&self->events);
  g_clear_object (&self->audit);
  g_clear_object (&self->gateway);

  G_OBJECT_CLASS (gh_admin_server_parent_class)->finalize (object);
}

static void
gh_admin_server_class_init (GhAdminServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_admin_server_dispose;
  object_class->finalize = gh_admin_server_finalize;
}

static void
gh_admin_server_init (GhAdminServer *self)
{
}

