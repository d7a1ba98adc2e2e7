/* gh-admin-connections.c — the admin listener's connections: slots, limits and timers
 *
 * No certificate may lock the admin out. So every connection the admin listener
 * accepts is in this table from its first byte: a bounded number of handshakes (a new
 * one drops the oldest, so that a crowd of half-open connections cannot keep a real
 * client out), then, once the certificate is known, a slot of its identity — at most
 * GH_ADMIN_MAX_PER_IDENTITY per certificate, and the last GH_ADMIN_ADMIN_RESERVE of
 * the global limit only for the admin role — or, for a certificate that is no
 * identity or an identity over its limit, a place among the few refused ones, which
 * get one answer (403, 503) and are closed.
 *
 * Each connection is also timed through the phases libsoup's signals show: the
 * request headers (from the handshake, or from the first byte of a kept-alive
 * connection's next request), the body, and the idle wait between requests. The event
 * stream has its own pings and is not timed. One sweep a second looks at them all (the
 * table is small: a timer per connection would be re-armed at every phase). A timed-out
 * connection is answered 408 when it was inside a request, then its socket is shut
 * down: libsoup sees the end of the stream and cleans up as it always does.
 *
 * The connection lives as long as its GhTlsStream (a weak reference), so that a slot is
 * held exactly as long as the stream is, the event stream's included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-connections.h"
#include "gh-admin-server-private.h"
#include "gh-net-util.h"

typedef enum {
  PHASE_HANDSHAKE,
  PHASE_REQUEST,    /* waiting for a request's headers */
  PHASE_IDLE,       /* kept alive after a response; no byte of the next request yet */
  PHASE_BODY,       /* the headers are in; the body is on its way */
  PHASE_HANDLING,   /* the request is read: the server's turn */
  PHASE_STREAM,     /* the event stream */
  PHASE_CLOSING,
} Phase;

typedef enum {
  SLOT_NONE,        /* the handshake is not done */
  SLOT_IDENTITY,    /* counted for its identity */
  SLOT_REFUSED,     /* one answer, then closed */
} Slot;

typedef struct {
  GhAdminConnections *table;      /* NULL once the table is gone */
  GhTlsStream        *tls;        /* weak */
  char               *peer;
  GhAdminCaller      *caller;     /* after the handshake */
  Slot                slot;
  gboolean            admin_role; /* at the handshake */
  Phase               phase;
  gint64              since;      /* when the phase began, monotonic µs */
  guint64             bytes_mark; /* read from the client when an idle wait began */
  GList               link;       /* in the table's handshakes, then its connections */
} Connection;

struct _GhAdminConnections
{
  GObject      parent_instance;

  GhGateway   *gateway;
  GHashTable  *all;              /* of Connection, until its stream is gone */
  GHashTable  *by_peer;          /* "ip:port" → Connection, the newest from there */
  GQueue       handshakes;       /* of Connection, oldest first */
  GQueue       connections;      /* of Connection, after the handshake */
  GHashTable  *per_identity;     /* fingerprint → connections holding a slot */
  guint        n_open;           /* of SLOT_IDENTITY */
  guint        n_admin;          /* of those, of the admin role */
  guint        n_refused;
  GSource     *sweep;
};

G_DEFINE_FINAL_TYPE (GhAdminConnections, gh_admin_connections, G_TYPE_OBJECT)

GhAdminCaller *
_gh_admin_caller_ref (GhAdminCaller *caller)
{
  g_atomic_ref_count_inc (&caller->ref_count);
  return caller;
}

void
_gh_admin_caller_unref (GhAdminCaller *caller)
{
  if (caller == NULL || !g_atomic_ref_count_dec (&caller->ref_count))
    return;

  g_free (caller->subject);
  g_free (caller->fingerprint);
  g_free (caller->refused);
  g_free (caller);
}

static guint
timeout_of (GhAdminConnections *self,
            GhAdminTimeout      which)
{
  return gh_gateway_config_get_admin_timeout (gh_gateway_get_config (self->gateway), which);
}

static void
set_phase (Connection *connection,
           Phase       phase)
{
  connection->phase = phase;
  connection->since = g_get_monotonic_time ();
}

/* Gives back what @connection holds: its slot or its place, its handshake. */
static void
release (Connection *connection)
{
  GhAdminConnections *self = connection->table;

  if (self == NULL)
    return;

  if (connection->slot == SLOT_NONE)
    {
      if (connection->phase == PHASE_HANDSHAKE)
        g_queue_unlink (&self->handshakes, &connection->link);
    }
  else
    {
      g_queue_unlink (&self->connections, &connection->link);
    }

  if (connection->slot == SLOT_IDENTITY)
    {
      const char *fingerprint = connection->caller->fingerprint;
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_identity, fingerprint));

      if (count > 1)
        g_hash_table_insert (self->per_identity, g_strdup (fingerprint), GUINT_TO_POINTER (count - 1));
      else
        g_hash_table_remove (self->per_identity, fingerprint);
      self->n_open--;
      if (connection->admin_role)
        self->n_admin--;
    }
  else if (connection->slot == SLOT_REFUSED)
    {
      self->n_refused--;
    }

  if (g_hash_table_lookup (self->by_peer, connection->peer) == connection)
    g_hash_table_remove (self->by_peer, connection->peer);
  g_hash_table_remove (self->all, connection);
  connection->table = NULL;
}

static void
connection_free (Connection *connection)
{
  release (connection);
  g_clear_pointer (&connection->caller, _gh_admin_caller_unref);
  g_free (connection->peer);
  g_free (connection);
}

static void
on_connection_gone (gpointer  data,
                    GObject  *where_the_object_was)
{
  connection_free (data);
}

/* Closes @connection: @answer (a whole HTTP response) first when given, then the TLS
 * end and the socket, both ways. libsoup, or the handshake, sees the end of the
 * stream and lets go of it. */
static void
shut_down (Connection *connection,
           const char *answer)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection->tls));

  if (connection->phase == PHASE_CLOSING)
    return;
  if (connection->phase == PHASE_HANDSHAKE && connection->table != NULL)
    g_queue_unlink (&connection->table->handshakes, &connection->link);
  connection->phase = PHASE_CLOSING;

  /* Small enough for the socket's buffer; a client that does not read loses it. */
  if (answer != NULL)
    g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output), answer, strlen (answer),
                                                NULL, NULL);
  gh_tls_stream_shutdown (connection->tls);
}

/* 408 with a problem, and Connection: close. */
static char *
request_timeout_answer (const char *detail)
{
  g_autofree char *body = _gh_admin_problem_to_text (SOUP_STATUS_REQUEST_TIMEOUT, "request-timeout", detail, NULL);

  return g_strdup_printf ("HTTP/1.1 408 Request Timeout\r\n"
                          "Content-Type: application/problem+json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n"
                          "\r\n%s", strlen (body), body);
}

static void
time_out (Connection *connection,
          char       *detail,  /* transfer full */
          gboolean    answer)
{
  g_autofree char *owned = detail;
  g_autofree char *text = answer ? request_timeout_answer (detail) : NULL;

  g_message ("admin %s: %s; %s", connection->peer, detail, answer ? "answered 408 and closed" : "closed");
  shut_down (connection, text);
}

static void
check_deadline (GhAdminConnections *self,
                Connection         *connection,
                gint64              now)
{
  gint64 elapsed = (now - connection->since) / G_USEC_PER_SEC;
  guint limit;

  switch (connection->phase)
    {
    case PHASE_IDLE:
      if (gh_tls_stream_get_bytes_read (connection->tls) != connection->bytes_mark)
        set_phase (connection, PHASE_REQUEST);
      else if (connection->slot == SLOT_REFUSED)
        shut_down (connection, NULL);  /* logged when it was refused */
      else if (elapsed >= (limit = timeout_of (self, GH_ADMIN_TIMEOUT_IDLE)))
        time_out (connection, g_strdup_printf (_("idle for %u s between requests"), limit), FALSE);
      break;

    case PHASE_REQUEST:
      if (elapsed >= (limit = timeout_of (self, GH_ADMIN_TIMEOUT_REQUEST)))
        time_out (connection, g_strdup_printf (_("no complete request headers within %u s"), limit), TRUE);
      break;

    case PHASE_BODY:
      if (elapsed >= (limit = timeout_of (self, GH_ADMIN_TIMEOUT_BODY)))
        time_out (connection, g_strdup_printf (_("the request body did not arrive within %u s"), limit), TRUE);
      break;

    case PHASE_HANDSHAKE:  /* the handshake has its own timeout */
    case PHASE_HANDLING:
    case PHASE_STREAM:
    case PHASE_CLOSING:
      break;
    }
}

static gboolean
sweep (gpointer user_data)
{
  GhAdminConnections *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *next;

  for (GList *l = self->connections.head; l != NULL; l = next)
    {
      next = l->next;
      check_deadline (self, l->data, now);
    }

  if (self->connections.length > 0 || self->handshakes.length > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->sweep, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* On the context the listener accepts on, where libsoup's signals come too. */
static void
start_sweep (GhAdminConnections *self)
{
  g_autoptr(GMainContext) context = NULL;

  if (self->sweep != NULL)
    return;

  context = g_main_context_ref_thread_default ();
  self->sweep = g_timeout_source_new_seconds (1);
  g_source_set_static_name (self->sweep, "[gatehouse] admin timeouts");
  g_source_set_callback (self->sweep, sweep, self, NULL);
  g_source_attach (self->sweep, context);
}

guint
gh_admin_connections_add (GhAdminConnections *self,
                          GhTlsStream        *tls,
                          GSocketAddress     *remote)
{
  Connection *connection;

  g_return_val_if_fail (GH_IS_ADMIN_CONNECTIONS (self), 0);
  g_return_val_if_fail (GH_IS_TLS_STREAM (tls), 0);

  /* The oldest handshake goes: a real client finishes its own in milliseconds, and a
   * crowd of half-open connections cannot keep it out. */
  if (self->handshakes.length >= GH_ADMIN_MAX_PENDING_HANDSHAKES)
    {
      Connection *oldest = g_queue_peek_head (&self->handshakes);

      g_message ("admin %s: handshake dropped, %u others pending", oldest->peer, GH_ADMIN_MAX_PENDING_HANDSHAKES);
      shut_down (oldest, NULL);
    }

  connection = g_new0 (Connection, 1);
  connection->table = self;
  connection->tls = tls;
  connection->peer = gh_socket_address_to_string (remote);
  connection->link.data = connection;
  set_phase (connection, PHASE_HANDSHAKE);
  g_queue_push_tail_link (&self->handshakes, &connection->link);
  g_hash_table_replace (self->by_peer, g_strdup (connection->peer), connection);
  g_hash_table_add (self->all, connection);
  g_object_weak_ref (G_OBJECT (tls), on_connection_gone, connection);
  start_sweep (self);

  return timeout_of (self, GH_ADMIN_TIMEOUT_HANDSHAKE);
}

static Connection *
lookup_tls (GhAdminConnections *self,
            GhTlsStream        *tls)
{
  for (GList *l = self->handshakes.head; l != NULL; l = l->next)
    if (((Connection *) l->data)->tls == tls)
      return l->data;
  for (GList *l = self->connections.head; l != NULL; l = l->next)
    if (((Connection *) l->data)->tls == tls)
      return l->data;
  return NULL;
}

void
gh_admin_connections_handshake_failed (GhAdminConnections *self,
                                       GhTlsStream        *tls,
                                       const GError       *error)
{
  Connection *connection;

  g_return_if_fail (GH_IS_ADMIN_CONNECTIONS (self));

  /* A handshake the table dropped was logged then; it is no longer in the queue. */
  if ((connection = lookup_tls (self, tls)) == NULL)
    return;

  g_message ("admin %s: TLS handshake refused: %s", connection->peer, error->message);
  g_queue_unlink (&self->handshakes, &connection->link);
  connection->phase = PHASE_CLOSING;
}

/* Why @connection gets no slot, or NULL when it may have one. */
static char *
over_limit (GhAdminConnections *self,
            Connection         *connection)
{
  GhAdminCaller *caller = connection->caller;
  guint mine = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_identity, caller->fingerprint));

  if (mine >= GH_ADMIN_MAX_PER_IDENTITY)
    return g_strdup_printf (_("%s (SHA-256 %s) has %u admin connections open, its most"),
                            caller->subject, caller->fingerprint, mine);
  if (self->n_open >= GH_ADMIN_MAX_CONNECTIONS)
    return g_strdup_printf (_("%u admin connections are open, the most"), self->n_open);
  if (!connection->admin_role && self->n_open - self->n_admin >= GH_ADMIN_MAX_CONNECTIONS - GH_ADMIN_ADMIN_RESERVE)
    return g_strdup_printf (_("%u admin connections are open; the last %u are kept for the admin role"),
                            self->n_open, GH_ADMIN_ADMIN_RESERVE);
  return NULL;
}

gboolean
gh_admin_connections_admit (GhAdminConnections *self,
                            GhTlsStream        *tls,
                            GhCertificate      *certificate)
{
  Connection *connection;
  GhAdminCaller *caller;
  GhAdminRole role;
  g_autofree char *refused = NULL;

  g_return_val_if_fail (GH_IS_ADMIN_CONNECTIONS (self), FALSE);
  g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), FALSE);

  if ((connection = lookup_tls (self, tls)) == NULL || connection->phase != PHASE_HANDSHAKE)
    return FALSE;
  g_queue_unlink (&self->handshakes, &connection->link);

  caller = g_new0 (GhAdminCaller, 1);
  g_atomic_ref_count_init (&caller->ref_count);
  caller->subject = g_strdup (gh_certificate_get_subject (certificate));
  caller->fingerprint = g_strdup (gh_certificate_get_sha256_fingerprint (certificate));
  caller->tls = tls;
  connection->caller = caller;

  /* The role as the running configuration says now; requests check it again. */
  role = gh_gateway_config_lookup_admin_role (gh_gateway_get_config (self->gateway), caller->subject,
                                              caller->fingerprint);
  connection->admin_role = role == GH_ADMIN_ROLE_ADMIN;

  if (role == GH_ADMIN_ROLE_NONE)
    refused = g_strdup_printf (_("%s (SHA-256 %s) is not an identity"), caller->subject, caller->fingerprint);
  else if ((caller->refused = over_limit (self, connection)) != NULL)
    refused = g_strdup (caller->refused);

  if (refused == NULL)
    {
      guint mine = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_identity, caller->fingerprint));

      g_hash_table_insert (self->per_identity, g_strdup (caller->fingerprint), GUINT_TO_POINTER (mine + 1));
      self->n_open++;
      if (connection->admin_role)
        self->n_admin++;
      connection->slot = SLOT_IDENTITY;
    }
  else if (self->n_refused < GH_ADMIN_MAX_REFUSED)
    {
      g_message ("admin %s: %s: one answer, then closed", connection->peer, refused);
      self->n_refused++;
      connection->slot = SLOT_REFUSED;
    }
  else
    {
      g_message ("admin %s: %s, and %u refused connections are open: closed", connection->peer, refused,
                 self->n_refused);
      connection->phase = PHASE_CLOSING;
      return FALSE;
    }

  g_queue_push_tail_link (&self->connections, &connection->link);
  set_phase (connection, PHASE_REQUEST);
  return TRUE;
}

static Connection *
lookup_peer (GhAdminConnections *self,
             const char         *peer)
{
  Connection *connection = g_hash_table_lookup (self->by_peer, peer);

  return connection != NULL && connection->slot != SLOT_NONE ? connection : NULL;
}

static Connection *
lookup_message (GhAdminConnections *self,
                SoupServerMessage  *msg)
{
  g_autofree char *peer = gh_socket_address_to_string (soup_server_message_get_remote_address (msg));

  return lookup_peer (self, peer);
}

GhAdminCaller *
gh_admin_connections_lookup_peer (GhAdminConnections *self,
                                  const char         *peer)
{
  Connection *connection;

  g_return_val_if_fail (GH_IS_ADMIN_CONNECTIONS (self), NULL);

  connection = lookup_peer (self, peer);
  return connection != NULL ? connection->caller : NULL;
}

GhAdminCaller *
gh_admin_connections_lookup_caller (GhAdminConnections *self,
                                    SoupServerMessage  *msg)
{
  Connection *connection;

  g_return_val_if_fail (GH_IS_ADMIN_CONNECTIONS (self), NULL);

  connection = lookup_message (self, msg);
  return connection != NULL ? connection->caller : NULL;
}

void
gh_admin_connections_set_streaming (GhAdminConnections *self,
                                    SoupServerMessage  *msg)
{
  Connection *connection;

  g_return_if_fail (GH_IS_ADMIN_CONNECTIONS (self));

  if ((connection = lookup_message (self, msg)) != NULL && connection->phase != PHASE_CLOSING)
    set_phase (connection, PHASE_STREAM);
}

/* The phases, as libsoup reads and answers */

static void
move_on (GhAdminConnections *self,
         SoupServerMessage  *msg,
         Phase               from,
         Phase               to)
{
  Connection *connection = lookup_message (self, msg);

  if (connection != NULL && connection->phase == from)
    set_phase (connection, to);
}

static void
on_got_headers (SoupServerMessage  *msg,
                GhAdminConnections *self)
{
  move_on (self, msg, PHASE_REQUEST, PHASE_BODY);
}

static void
on_request_read (SoupServer         *server,
                 SoupServerMessage  *msg,
                 GhAdminConnections *self)
{
  move_on (self, msg, PHASE_BODY, PHASE_HANDLING);
}

/* libsoup starts a request when its first bytes arrive: the idle wait ends there, and
 * the headers are timed from then on. The first request's are timed from the handshake. */
static void
on_request_started (SoupServer         *server,
                    SoupServerMessage  *msg,
                    GhAdminConnections *self)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  move_on (self, msg, PHASE_IDLE, PHASE_REQUEST);
}

/* Answered (or given up): the connection waits for its next request. */
static void
on_request_finished (SoupServer         *server,
                     SoupServerMessage  *msg,
                     GhAdminConnections *self)
{
  Connection *connection = lookup_message (self, msg);

  if (connection == NULL || connection->phase == PHASE_CLOSING || connection->phase == PHASE_STREAM)
    return;

  connection->bytes_mark = gh_tls_stream_get_bytes_read (connection->tls);
  set_phase (connection, PHASE_IDLE);
}

void
gh_admin_connections_follow (GhAdminConnections *self,
                             SoupServer         *soup)
{
  g_return_if_fail (GH_IS_ADMIN_CONNECTIONS (self));
  g_return_if_fail (SOUP_IS_SERVER (soup));

  g_signal_connect_object (soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (soup, "request-read", G_CALLBACK (on_request_read), self, 0);
  g_signal_connect_object (soup, "request-finished", G_CALLBACK (on_request_finished), self, 0);
  g_signal_connect_object (soup, "request-aborted", G_CALLBACK (on_request_finished), self, 0);
}

GhAdminConnections *
gh_admin_connections_new (GhGateway *gateway)
{
  GhAdminConnections *self;

  g_return_val_if_fail (GH_IS_GATEWAY (gateway), NULL);

  self = g_object_new (GH_TYPE_ADMIN_CONNECTIONS, NULL);
  self->gateway = g_object_ref (gateway);
  return self;
}

static void
gh_admin_connections_dispose (GObject *object)
{
  GhAdminConnections *self = GH_ADMIN_CONNECTIONS (object);

  while (g_hash_table_size (self->all) > 0)
    {
      GHashTableIter iter;
      Connection *connection;

      g_hash_table_iter_init (&iter, self->all);
      g_hash_table_iter_next (&iter, (gpointer *) &connection, NULL);
      g_object_weak_unref (G_OBJECT (connection->tls), on_connection_gone, connection);
      connection_free (connection);
    }
  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  g_clear_object (&self->gateway);

  G_OBJECT_CLASS (gh_admin_connections_parent_class)->dispose (object);
}

static void
gh_admin_connections_finalize (GObject *object)
{
  GhAdminConnections *self = GH_ADMIN_CONNECTIONS (object);

  g_hash_table_unref (self->all);
  g_hash_table_unref (self->by_peer);
  g_hash_table_unref (self->per_identity);

  G_OBJECT_CLASS (gh_admin_connections_parent_class)->finalize (object);
}

static void
gh_admin_connections_class_init (GhAdminConnectionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_admin_connections_dispose;
  object_class->finalize = gh_admin_connections_finalize;
}

static void
gh_admin_connections_init (GhAdminConnections *self)
{
  self->all = g_hash_table_new (NULL, NULL);
  self->by_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->per_identity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
