/* test-admin-events.c — the admin event stream against real WebSocket clients: hello,
 * snapshot, session events from a running gateway, batching, seq, the bounded backlog
 * over GhTlsStream, and the ways a stream ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "gh-admin-events-private.h"
#include "gh-keystore.h"
#include "gh-tls-stream.h"

#define PROTOCOL "gatehouse.v1"
#define TIMEOUT (20 * G_USEC_PER_SEC)

typedef struct {
  char                    *dir;
  GhKeystore              *keystore;
  GhGateway               *gateway;
  GhAdminEvents           *events;
  guint16                  echo_port;

  /* The server side of the stream */
  SoupServer              *soup;
  guint16                  port;            /* plain ws:// */
  GSocketService          *tls_service;
  guint16                  tls_port;        /* wss:// over GhTlsStream */
  GhTlsServerContext      *tls_context;
  GhTlsStream             *server_tls;      /* the last accepted one */
  SoupWebsocketConnection *server_connection;

  /* A libsoup client */
  SoupSession             *session;
  SoupWebsocketConnection *client;
  GPtrArray               *received;        /* of JsonNode, every message */
  guint                    cursor;          /* wait_for() looks from here */
  gint64                   last_seq;
  gboolean                 client_closed;
} Fixture;

/* Setting up: a keystore with one certificate that expires soon, a gateway with an echo
 * service, a SoupServer serving the stream plain and over GhTlsStream */

static void
add_self_signed (GhKeystore *keystore,
                 const char *alias,
                 guint       days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  const char *sans[] = { "localhost", NULL };
  g_autoptr(GhCertificate) cert = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) entry = NULL;

  g_assert_no_error (error);
  cert = gh_private_key_issue_certificate (key, NULL, NULL, "CN=localhost", sans, days,
                                           GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);
  g_ptr_array_add (chain, cert);
  entry = gh_keystore_entry_new_key (alias, key, chain);
  g_assert_true (gh_keystore_add (keystore, entry, &error));
  g_assert_no_error (error);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_listener_close (listener);
  return port;
}

static void
on_server_websocket (SoupServer              *server,
                     SoupServerMessage       *msg,
                     const char              *path,
                     SoupWebsocketConnection *connection,
                     gpointer                 user_data)
{
  Fixture *f = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GhTlsStream *tls = NULL;

  /* Which connection is TLS: the GhTlsStream accepted last, if its peer is this one. */
  if (f->server_tls != NULL)
    {
      g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (gh_tls_stream_get_base (f->server_tls), NULL);
      GSocketAddress *peer = soup_server_message_get_remote_address (msg);

      if (remote != NULL && peer != NULL &&
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)) ==
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer)))
        tls = f->server_tls;
    }

  g_set_object (&f->server_connection, connection);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "test-gateway");
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);

  gh_admin_events_add_client (f->events, connection, tls, json_builder_get_root (builder));
}

static void
set_buffer_size (GSocket *socket,
                 int      option)
{
  g_autoptr(GError) error = NULL;

  g_socket_set_option (socket, SOL_SOCKET, option, 16 * 1024, &error);
  g_assert_no_error (error);
}

typedef struct {
  Fixture        *f;
  GSocketAddress *local;
  GSocketAddress *remote;
} Accepted;

static void
on_server_handshake (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Accepted *accepted = user_data;
  GhTlsStream *tls = GH_TLS_STREAM (source);
  g_autoptr(GError) error = NULL;

  gh_tls_stream_handshake_finish (tls, result, &error);
  g_assert_no_error (error);

  g_set_object (&accepted->f->server_tls, tls);
  soup_server_accept_iostream (accepted->f->soup, G_IO_STREAM (tls), accepted->local, accepted->remote, &error);
  g_assert_no_error (error);

  g_object_unref (tls);
  g_object_unref (accepted->local);
  g_object_unref (accepted->remote);
  g_free (accepted);
}

static gboolean
on_tls_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls;
  Accepted *accepted;

  /* Small buffers: a client that does not read backs up into libsoup's queue soon. */
  set_buffer_size (g_socket_connection_get_socket (connection), SO_SNDBUF);

  tls = gh_tls_stream_new_server (connection, f->tls_context, &error);
  g_assert_no_error (error);

  accepted = g_new0 (Accepted, 1);
  accepted->f = f;
  accepted->local = g_socket_connection_get_local_address (connection, NULL);
  accepted->remote = g_socket_connection_get_remote_address (connection, NULL);
  gh_tls_stream_handshake_async (tls, 10, NULL, on_server_handshake, accepted);
  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *keystore_path = NULL;
  g_autofree char *password_path = NULL;
  g_autoptr(GFile) config_file = NULL;
  g_autoptr(GFile) keystore_file = NULL;
  g_autoptr(GhTlsIdentities) identities = NULL;
  const char *protocols[] = { PROTOCOL, NULL };
  GSList *uris;

  f->dir = g_dir_make_tmp ("gh-events-XXXXXX", &error);
  g_assert_no_error (error);

  /* "soon" expires within 30 days: cert.expiring; "later" does not, and serves TLS. */
  f->keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  add_self_signed (f->keystore, "later", 365);
  add_self_signed (f->keystore, "soon", 10);
  keystore_path = g_build_filename (f->dir, "keystore.p12", NULL);
  password_path = g_build_filename (f->dir, "keystore.pw", NULL);
  keystore_file = g_file_new_for_path (keystore_path);
  g_assert_true (gh_keystore_save (f->keystore, keystore_file, "secret", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (password_path, "secret\n", -1, &error));

  f->echo_port = free_port ();
  config_path = g_build_filename (f->dir, "gateway.json", NULL);
  config_text = g_strdup_printf ("{ \"version\": 1,\n"
                                 "  \"security\": { \"keystore\": { \"file\": \"keystore.p12\", \"password-file\": \"keystore.pw\" } },\n"
                                 "  \"services\": [ { \"name\": \"echo\", \"type\": \"echo\",\n"
                                 "                    \"accept\": [\"ws://127.0.0.1:%u/echo\"] } ] }\n",
                                 f->echo_port);
  g_assert_true (g_file_set_contents (config_path, config_text, -1, &error));
  config_file = g_file_new_for_path (config_path);
  f->gateway = gh_gateway_new (config_file);
  g_assert_true (gh_gateway_start (f->gateway, &error));
  g_assert_no_error (error);

  f->events = gh_admin_events_new (f->gateway, NULL);

  f->soup = soup_server_new (NULL, NULL);
  soup_server_remove_websocket_extension (f->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler (f->soup, "/events", NULL, (char **) protocols, on_server_websocket, f, NULL);
  g_assert_true (soup_server_listen_local (f->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->soup);
  f->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  identities = gh_tls_identities_new_from_keystore (f->keystore, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) anchors = g_ptr_array_new ();

    f->tls_context = gh_tls_server_context_new (identities, "localhost", GH_TLS_DEFAULT_PRIORITY,
                                                GH_VERIFY_CLIENT_NONE, anchors, &error);
    g_assert_no_error (error);
  }
  f->tls_service = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (f->tls_service), address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
    g_assert_no_error (error);
    f->tls_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (f->tls_service, "incoming", G_CALLBACK (on_tls_incoming), f);
  g_socket_service_start (f->tls_service);

  f->session = soup_session_new ();
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

static void
iterate_until (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @ms milliseconds. */
static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, on_wake, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *keystore_path = g_build_filename (f->dir, "keystore.p12", NULL);
  g_autofree char *backup_path = g_build_filename (f->dir, "keystore.p12.bak", NULL);
  g_autofree char *password_path = g_build_filename (f->dir, "keystore.pw", NULL);
  g_autofree char *config_path = g_build_filename (f->dir, "gateway.json", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (f->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->client, f);
      if (soup_websocket_connection_get_state (f->client) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (f->client, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&f->client);
  g_clear_object (&f->session);

  /* The events object lets every client go and stops watching the gateway. */
  gh_admin_events_close_all (f->events);
  iterate_for (100);
  g_assert_finalize_object (g_steal_pointer (&f->events));

  g_clear_object (&f->server_connection);
  g_clear_object (&f->server_tls);
  soup_server_disconnect (f->soup);
  g_clear_object (&f->soup);
  g_socket_service_stop (f->tls_service);
  g_socket_listener_close (G_SOCKET_LISTENER (f->tls_service));
  g_clear_object (&f->tls_service);
  g_clear_object (&f->tls_context);
  gh_gateway_close_sessions (f->gateway, "test over");
  gh_gateway_stop_accepting (f->gateway);
  iterate_for (100);
  g_clear_object (&f->gateway);
  g_clear_object (&f->keystore);
  g_clear_pointer (&f->received, g_ptr_array_unref);

  /* The gateway may have written beside its configuration (history, audit). */
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) sub = g_dir_open (path, 0, NULL);
          const char *sub_name;

          while (sub != NULL && (sub_name = g_dir_read_name (sub)) != NULL)
            {
              g_autofree char *sub_path = g_build_filename (path, sub_name, NULL);
              g_unlink (sub_path);
            }
          g_rmdir (path);
        }
      else
        g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* The libsoup client */

static void
on_client_message (SoupWebsocketConnection *connection,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *text = g_bytes_get_data (message, &size);
  JsonObject *object;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  json_parser_load_from_data (parser, text, size, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpint (json_object_get_int_member (object, "v"), ==, 1);
  g_assert_true (json_object_has_member (object, "data"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "ts"), "Z"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "ts")), ==, strlen ("2026-11-26T22:30:01.123456Z"));
  /* No gap, ever. */
  g_assert_cmpint (json_object_get_int_member (object, "seq"), ==, f->last_seq + 1);
  f->last_seq++;

  g_ptr_array_add (f->received, json_node_ref (json_parser_get_root (parser)));
}

static void
on_client_closed (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  Fixture *f = user_data;

  f->client_closed = TRUE;
}

typedef struct {
  gboolean                 done;
  SoupWebsocketConnection *connection;
  GError                  *error;
} Connect;

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connect *connect = user_data;

  connect->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &connect->error);
  connect->done = TRUE;
}

static SoupWebsocketConnection *
websocket_connect (Fixture    *f,
                   const char *uri,
                   const char *protocol)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  const char *protocols[] = { protocol, NULL };
  Connect connect = { FALSE, NULL, NULL };

  soup_session_websocket_connect_async (f->session, msg, NULL, protocol ? (char **) protocols : NULL,
                                        G_PRIORITY_DEFAULT, NULL, on_connected, &connect);
  iterate_until (&connect.done);
  g_assert_no_error (connect.error);
  return connect.connection;
}

static void
client_connect (Fixture *f)
{
  g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u/events", f->port);

  f->client = websocket_connect (f, uri, PROTOCOL);
  /* A snapshot is as large as the gateway has sessions. */
  soup_websocket_connection_set_max_incoming_payload_size (f->client, 0);
  g_signal_connect (f->client, "message", G_CALLBACK (on_client_message), f);
  g_signal_connect (f->client, "closed", G_CALLBACK (on_client_closed), f);
}

static const char *
event_type (JsonNode *event)
{
  return json_object_get_string_member (json_node_get_object (event), "type");
}

static JsonObject *
event_data (JsonNode *event)
{
  return json_object_get_object_member (json_node_get_object (event), "data");
}

typedef gboolean (*EventMatch) (JsonObject *data, gconstpointer user_data);

/* The next event of @type after the last one waited for (that @match accepts). */
static JsonObject *
wait_for_match (Fixture       *f,
                const char    *type,
                EventMatch     match,
                gconstpointer  user_data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT;
  guint wake = g_timeout_add (100, on_wake, NULL);

  for (;;)
    {
      for (; f->cursor < f->received->len; f->cursor++)
        {
          JsonNode *event = g_ptr_array_index (f->received, f->cursor);

          if (g_str_equal (event_type (event), type) && (match == NULL || match (event_data (event), user_data)))
            {
              f->cursor++;
              g_source_remove (wake);
              return event_data (event);
            }
        }

      if (g_get_monotonic_time () > deadline || f->client_closed)
        g_error ("no %s event in time", type);
      g_main_context_iteration (NULL, TRUE);
    }
}

static JsonObject *
wait_for (Fixture    *f,
          const char *type)
{
  return wait_for_match (f, type, NULL, NULL);
}

static gboolean
has_id (JsonObject    *data,
        gconstpointer  id)
{
  return g_strcmp0 (json_object_get_string_member_with_default (data, "id", ""), id) == 0;
}

static JsonObject *
find_updated (JsonObject *data,
              const char *id)
{
  JsonArray *sessions = json_object_get_array_member (data, "sessions");

  for (guint i = 0; i < json_array_get_length (sessions); i++)
    if (has_id (json_array_get_object_element (sessions, i), id))
      return json_array_get_object_element (sessions, i);

  return NULL;
}

static gboolean
updates (JsonObject    *data,
         gconstpointer  id)
{
  return find_updated (data, id) != NULL;
}

static gboolean
is_service (JsonObject    *data,
            gconstpointer  service)
{
  return g_strcmp0 (json_object_get_string_member_with_default (data, "service", ""), service) == 0;
}

static guint
count_type (Fixture    *f,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < f->received->len; i++)
    if (g_str_equal (event_type (g_ptr_array_index (f->received, i)), type))
      n++;

  return n;
}

static GhSession *
add_session (Fixture *f)
{
  GhSession *session = gh_session_new ("echo", NULL);

  gh_session_registry_add (gh_gateway_get_sessions (f->gateway), session);
  return session;
}

/* Tests */

static void
test_hello_snapshot (Fixture *f, gconstpointer data)
{
  g_autoptr(GhSession) before = add_session (f);
  JsonObject *object;
  JsonObject *snapshot;
  JsonArray *sessions;

  client_connect (f);

  object = wait_for (f, "hello");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "test-gateway");
  g_assert_cmpuint (f->cursor, ==, 1);

  snapshot = wait_for (f, "snapshot");
  g_assert_cmpuint (f->cursor, ==, 2);
  sessions = json_object_get_array_member (snapshot, "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sessions, 0), "id"), ==,
                   gh_session_get_id (before));
  g_assert_cmpint (json_object_get_int_member (snapshot, "config_version"), ==,
                   gh_gateway_get_config_version (f->gateway));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (snapshot, "stats"), "sessions_open"), ==, 1);

  /* The keystore's "soon" expires in 10 days; "later" is not mentioned. */
  object = wait_for (f, "cert.expiring");
  g_assert_cmpuint (f->cursor, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "alias"), ==, "soon");
  g_assert_cmpint (json_object_get_int_member (object, "days_left"), >=, 9);
  g_assert_cmpint (json_object_get_int_member (object, "days_left"), <=, 10);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "not_after"), ".000000Z"));

  wait_for (f, "stats.tick");
  g_assert_cmpuint (count_type (f, "cert.expiring"), ==, 1);
  g_assert_cmpuint (gh_admin_events_get_n_clients (f->events), ==, 1);

  gh_session_mark_closed (before, "done");
}

static void
test_session_events (Fixture *f, gconstpointer data)
{
  g_autoptr(GhSession) idle = add_session (f);
  g_autoptr(GhSession) busy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObject *object;
  JsonObject *entry;

  client_connect (f);
  wait_for (f, "snapshot");

  busy = add_session (f);
  object = wait_for (f, "session.opened");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, gh_session_get_id (busy));
  g_assert_cmpstr (json_object_get_string_member (object, "service"), ==, "echo");

  gh_session_add_client_traffic (busy, 10, 1);
  gh_session_add_backend_traffic (busy, 20, 2);
  object = wait_for_match (f, "session.updated", updates, gh_session_get_id (busy));
  entry = find_updated (object, gh_session_get_id (busy));
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "handshake");
  g_assert_cmpint (json_object_get_int_member (entry, "bytes_in"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (entry, "bytes_out"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (entry, "messages_in"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (entry, "messages_out"), ==, 2);
  /* Only what changed. */
  g_assert_null (find_updated (object, gh_session_get_id (idle)));

  /* A state change alone is a change. */
  gh_session_set_state (busy, GH_SESSION_STATE_OPEN);
  object = wait_for_match (f, "session.updated", updates, gh_session_get_id (busy));
  g_assert_cmpstr (json_object_get_string_member (find_updated (object, gh_session_get_id (busy)), "state"), ==, "open");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "sessions")), ==, 1);

  /* Nothing changes: no session.updated, stats.tick goes on. */
  {
    guint updated = count_type (f, "session.updated");
    guint ticks = count_type (f, "stats.tick");

    iterate_for (2500);
    g_assert_cmpuint (count_type (f, "session.updated"), ==, updated);
    g_assert_cmpuint (count_type (f, "stats.tick"), >=, ticks + 1);
  }

  gh_session_mark_closed (busy, "closed by test");
  object = wait_for (f, "session.closed");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, gh_session_get_id (busy));
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "closed by test");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 5);
  json_builder_end_object (builder);
  gh_admin_events_publish (f->events, "config.changed", json_builder_get_root (builder));
  object = wait_for (f, "config.changed");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 5);

  gh_session_mark_closed (idle, "done");
  object = wait_for (f, "session.closed");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, gh_session_get_id (idle));
}

/* A real session through the gateway's echo service. */
static void
test_echo_session (Fixture *f, gconstpointer data)
{
  g_autofree char *echo_uri = g_strdup_printf ("ws://127.0.0.1:%u/echo", f->echo_port);
  g_autoptr(SoupWebsocketConnection) echo = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonObject *entry;

  client_connect (f);
  wait_for (f, "snapshot");

  echo = websocket_connect (f, echo_uri, NULL);
  object = wait_for_match (f, "session.opened", is_service, "echo");
  id = g_strdup (json_object_get_string_member (object, "id"));

  soup_websocket_connection_send_text (echo, "hello");
  do
    {
      object = wait_for_match (f, "session.updated", updates, id);
      entry = find_updated (object, id);
    }
  while (json_object_get_int_member (entry, "messages_in") < 1 ||
         json_object_get_int_member (entry, "messages_out") < 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "open");
  g_assert_cmpint (json_object_get_int_member (entry, "bytes_in"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (entry, "bytes_out"), ==, 5);

  soup_websocket_connection_close (echo, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_for_match (f, "session.closed", has_id, id);
}

static void
test_client_message_closes (Fixture *f, gconstpointer data)
{
  client_connect (f);
  wait_for (f, "snapshot");

  soup_websocket_connection_send_text (f->client, "may I?");
  iterate_until (&f->client_closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (f->client), ==, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA);
  g_assert_cmpuint (gh_admin_events_get_n_clients (f->events), ==, 0);
}

static void
test_close_all (Fixture *f, gconstpointer data)
{
  client_connect (f);
  wait_for (f, "snapshot");
  g_assert_cmpuint (gh_admin_events_get_n_clients (f->events), ==, 1);

  gh_admin_events_close_all (f->events);
  g_assert_cmpuint (gh_admin_events_get_n_clients (f->events), ==, 0);
  iterate_until (&f->client_closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (f->client), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  /* A client that leaves ends the watching; a new one starts it again. */
  iterate_for (1500);
  g_clear_object (&f->client);
  f->client_closed = FALSE;
  f->last_seq = 0;
  f->cursor = f->received->len;
  client_connect (f);
  wait_for (f, "hello");
  wait_for (f, "snapshot");
  wait_for (f, "stats.tick");
}

/* 2,500 sessions change at once: 2,000 now, the rest at the next tick before newer
 * changes. */
static void
test_updated_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object;
  JsonArray *batch;

  for (guint i = 0; i < 2500; i++)
    g_ptr_array_add (sessions, add_session (f));

  client_connect (f);
  object = wait_for (f, "snapshot");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "sessions")), ==, 2500);

  for (guint i = 0; i < sessions->len; i++)
    gh_session_add_client_traffic (g_ptr_array_index (sessions, i), i + 1, 1);

  batch = json_object_get_array_member (wait_for (f, "session.updated"), "sessions");
  g_assert_cmpuint (json_array_get_length (batch), ==, 2000);
  for (guint i = 0; i < 2000; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (batch, i), "id"), ==,
                     gh_session_get_id (g_ptr_array_index (sessions, i)));

  gh_session_add_client_traffic (g_ptr_array_index (sessions, 0), 1, 1);

  batch = json_object_get_array_member (wait_for (f, "session.updated"), "sessions");
  g_assert_cmpuint (json_array_get_length (batch), ==, 501);
  for (guint i = 0; i < 500; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (batch, i), "id"), ==,
                     gh_session_get_id (g_ptr_array_index (sessions, 2000 + i)));
  object = json_array_get_object_element (batch, 500);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, gh_session_get_id (g_ptr_array_index (sessions, 0)));
  g_assert_cmpint (json_object_get_int_member (object, "bytes_in"), ==, 2);

  /* A session that closes while queued is not reported as updated. */
  gh_session_add_client_traffic (g_ptr_array_index (sessions, 1), 1, 1);
  gh_session_mark_closed (g_ptr_array_index (sessions, 1), "gone");
  wait_for_match (f, "session.closed", has_id, gh_session_get_id (g_ptr_array_index (sessions, 1)));
  iterate_for (1500);
  for (guint i = f->cursor; i < f->received->len; i++)
    if (g_str_equal (event_type (g_ptr_array_index (f->received, i)), "session.updated"))
      g_assert_null (find_updated (event_data (g_ptr_array_index (f->received, i)),
                                   gh_session_get_id (g_ptr_array_index (sessions, 1))));

  for (guint i = 0; i < sessions->len; i++)
    gh_session_mark_closed (g_ptr_array_index (sessions, i), "done");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gh_gateway_get_sessions (f->gateway))), ==, 0);
}

/* A raw WebSocket client over GhTlsStream that reads only when told to. */
typedef struct {
  GhTlsStream *tls;
  GByteArray  *buffer;
  gboolean     handshaken;
} RawClient;

static void
on_raw_handshake (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RawClient *raw = user_data;
  g_autoptr(GError) error = NULL;

  gh_tls_stream_handshake_finish (GH_TLS_STREAM (source), result, &error);
  g_assert_no_error (error);
  raw->handshaken = TRUE;
}

static void
raw_write (RawClient  *raw,
           const void *data,
           gsize       length)
{
  GPollableOutputStream *output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (G_IO_STREAM (raw->tls)));
  gint64 deadline = g_get_monotonic_time () + TIMEOUT;
  gsize done = 0;

  while (done < length)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (output, (const guint8 *) data + done, length - done, NULL, &error);

      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, FALSE);
          g_usleep (500);
          continue;
        }
      done += n;
    }
}

/* Reads what is there now; FALSE at the end of the stream. */
static gboolean
raw_read_some (RawClient *raw)
{
  GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (raw->tls)));
  guint8 chunk[16384];
  g_autoptr(GError) error = NULL;
  gssize n = g_pollable_input_stream_read_nonblocking (input, chunk, sizeof chunk, NULL, &error);

  if (n < 0)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      return TRUE;
    }
  if (n == 0)
    return FALSE;

  g_byte_array_append (raw->buffer, chunk, n);
  return TRUE;
}

/* The next frame: its opcode and payload; FALSE at the end of the stream. */
static gboolean
raw_read_frame (RawClient  *raw,
                guint      *opcode,
                GBytes    **payload)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT;

  for (;;)
    {
      const guint8 *b = raw->buffer->data;
      gsize have = raw->buffer->len;
      guint64 length = 0;
      gsize offset = 2;

      if (have >= 2)
        {
          g_assert_true (b[0] & 0x80);          /* FIN: the server never fragments */
          g_assert_false (b[1] & 0x80);         /* a server does not mask */
          length = b[1] & 0x7f;
          if (length == 126 && have >= 4)
            {
              length = ((guint64) b[2] << 8) | b[3];
              offset = 4;
            }
          else if (length == 127 && have >= 10)
            {
              length = 0;
              for (guint i = 0; i < 8; i++)
                length = (length << 8) | b[2 + i];
              offset = 10;
            }
          else if (length >= 126)
            offset = G_MAXSIZE / 2;  /* header incomplete */

          if (offset <= have && have - offset >= length)
            {
              *opcode = b[0] & 0x0f;
              *payload = g_bytes_new (b + offset, length);
              g_byte_array_remove_range (raw->buffer, 0, offset + length);
              return TRUE;
            }
        }

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!raw_read_some (raw))
        return FALSE;
    }
}

static JsonNode *
raw_read_event (RawClient *raw)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint opcode = 0;
  gsize size;
  const char *text;

  g_assert_true (raw_read_frame (raw, &opcode, &payload));
  g_assert_cmpuint (opcode, ==, 1);
  text = g_bytes_get_data (payload, &size);
  json_parser_load_from_data (parser, text, size, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static RawClient *
raw_connect (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->tls_port);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GhTlsClientContext) context = NULL;
  g_autoptr(GPtrArray) anchors = g_ptr_array_new ();
  const char *request = "GET /events HTTP/1.1\r\n"
                        "Host: localhost\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Protocol: " PROTOCOL "\r\n\r\n";
  RawClient *raw = g_new0 (RawClient, 1);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT;
  const char *end = NULL;

  g_assert_no_error (error);
  /* Small buffers: the server's queue fills up soon when this client does not read. */
  set_buffer_size (socket, SO_RCVBUF);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);

  context = gh_tls_client_context_new (GH_TLS_DEFAULT_PRIORITY, FALSE, anchors, NULL, &error);
  g_assert_no_error (error);
  raw->tls = gh_tls_stream_new_client (connection, context, "localhost", &error);
  g_assert_no_error (error);
  raw->buffer = g_byte_array_new ();
  gh_tls_stream_handshake_async (raw->tls, 10, NULL, on_raw_handshake, raw);
  iterate_until (&raw->handshaken);

  raw_write (raw, request, strlen (request));
  while (raw->buffer->len == 0 ||
         (end = g_strstr_len ((const char *) raw->buffer->data, raw->buffer->len, "\r\n\r\n")) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_true (raw_read_some (raw));
    }
  g_assert_cmpint (memcmp (raw->buffer->data, "HTTP/1.1 101", MIN (raw->buffer->len, 12)), ==, 0);
  g_byte_array_remove_range (raw->buffer, 0, end + 4 - (const char *) raw->buffer->data);

  return raw;
}

static void
raw_free (RawClient *raw)
{
  g_io_stream_close (G_IO_STREAM (raw->tls), NULL, NULL);
  g_object_unref (raw->tls);
  g_byte_array_unref (raw->buffer);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawClient, raw_free)

static gint64
event_seq (JsonNode *event)
{
  return json_object_get_int_member (json_node_get_object (event), "seq");
}

/* Publishes @n events of 64 KiB each, letting libsoup write between them. */
static void
publish_big_events (Fixture *f,
                    guint    n)
{
  g_autofree char *blob = g_strnfill (64 * 1024, 'x');

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "blob");
      json_builder_add_string_value (builder, blob);
      json_builder_end_object (builder);
      gh_admin_events_publish (f->events, "config.changed", json_builder_get_root (builder));
      iterate_for (5);
    }
}

static void
test_backlog_resync (Fixture *f, gconstpointer data)
{
  g_autoptr(RawClient) raw = raw_connect (f);
  g_autoptr(JsonNode) event = NULL;
  guint n_big = 0;
  gint64 seq;

  event = raw_read_event (raw);
  g_assert_cmpstr (event_type (event), ==, "hello");
  g_assert_cmpint (event_seq (event), ==, 1);
  g_clear_pointer (&event, json_node_unref);
  event = raw_read_event (raw);
  g_assert_cmpstr (event_type (event), ==, "snapshot");
  seq = event_seq (event);
  g_assert_nonnull (f->server_tls);
  g_assert_cmpuint (gh_tls_stream_get_bytes_written (f->server_tls), >, 0);

  /* The client reads nothing while 40 × 64 KiB are published: past 1 MiB (plus what
   * the sockets hold) the rest is dropped. */
  publish_big_events (f, 40);
  iterate_for (300);
  g_assert_cmpuint (gh_admin_events_get_n_clients (f->events), ==, 1);

  /* Reading it all: the events up to the limit, then resync_required and a snapshot,
   * without a gap in seq. */
  for (;;)
    {
      g_clear_pointer (&event, json_node_unref);
      event = raw_read_event (raw);
      g_assert_cmpint (event_seq (event), ==, seq + 1);
      seq++;
      if (g_str_equal (event_type (event), "config.changed"))
        n_big++;
      else if (g_str_equal (event_type (event), "resync_required"))
        break;
    }
  g_assert_cmpuint (n_big, >=, 16);
  g_assert_cmpuint (n_big, <, 40);
  g_assert_nonnull (json_object_get_string_member (event_data (event), "reason"));

  g_clear_pointer (&event, json_node_unref);
  event = raw_read_event (raw);
  g_assert_cmpstr (event_type (event), ==, "snapshot");
  g_assert_cmpint (event_seq (event), ==, seq + 1);
  seq++;

  /* And events again. */
  publish_big_events (f, 1);
  do
    {
      g_clear_pointer (&event, json_node_unref);
      event = raw_read_event (raw);
      g_assert_cmpint (event_seq (event), ==, seq + 1);
      seq++;
    }
  while (!g_str_equal (event_type (event), "config.changed"));
}

static void
test_backlog_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(RawClient) raw = raw_connect (f);
  g_autoptr(GBytes) payload = NULL;
  guint opcode = 0;
  const guint8 *close_data;
  gsize close_size;
  const guint8 close_reply[] = { 0x88, 0x82, 0, 0, 0, 0, 0x03, 0xf0 };  /* masked (key 0) 1008 */
  gint64 deadline;

  _gh_admin_events_set_limits (f->events, 1024 * 1024, 64 * 1024, 1000);

  publish_big_events (f, 40);
  deadline = g_get_monotonic_time () + TIMEOUT;
  while (gh_admin_events_get_n_clients (f->events) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate_for (100);
    }
  g_assert_cmpint (soup_websocket_connection_get_state (f->server_connection), ==, SOUP_WEBSOCKET_STATE_CLOSING);

  /* Behind the queued events, the close frame: 1008. */
  do
    {
      g_clear_pointer (&payload, g_bytes_unref);
      g_assert_true (raw_read_frame (raw, &opcode, &payload));
    }
  while (opcode != 8);
  close_data = g_bytes_get_data (payload, &close_size);
  g_assert_cmpuint (close_size, >=, 2);
  g_assert_cmpuint ((close_data[0] << 8) | close_data[1], ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  raw_write (raw, close_reply, sizeof close_reply);
  deadline = g_get_monotonic_time () + TIMEOUT;
  while (soup_websocket_connection_get_state (f->server_connection) != SOUP_WEBSOCKET_STATE_CLOSED)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!raw_read_some (raw))
        iterate_for (10);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/admin-events/hello-snapshot", test_hello_snapshot);
  ADD ("/admin-events/session-events", test_session_events);
  ADD ("/admin-events/echo-session", test_echo_session);
  ADD ("/admin-events/client-message-closes", test_client_message_closes);
  ADD ("/admin-events/close-all", test_close_all);
  ADD ("/admin-events/updated-batch", test_updated_batch);
  ADD ("/admin-events/backlog-resync", test_backlog_resync);
  ADD ("/admin-events/backlog-timeout", test_backlog_timeout);
#undef ADD

  return g_test_run ();
}
