/* gh-session.c — one live connection through the gateway
 *
 * A session is the record of one client connection and its back-end: who, which
 * service, which TLS, how much traffic, in which state. Whoever carries the traffic
 * updates it and listens to ::close-requested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-session"

#include "config.h"

#include "gh-api-session.h"
#include "gh-net-util.h"
#include "gh-session.h"
#include "gh-workers.h"

/* A session's I/O runs on one main context (a worker's) and its bookkeeping on
 * another (the gateway's): the state, the close reason and the "changed" signal belong
 * to the home context, "close-requested" is emitted on the I/O context, and @lock
 * guards what both sides touch (the back-end fields and the counters). */
struct _GhSession
{
  GObject         parent_instance;

  GMainContext   *home;
  GMainContext   *io;
  GMutex          lock;

  char           *id;
  char           *service;
  char           *client_address;
  GhSessionState  state;
  gint64          started;
  guint64         serial;
  char           *close_reason;

  char           *tls_protocol;
  char           *tls_cipher;
  char           *tls_server_name;
  char           *tls_alpn;
  char           *client_subject;
  GhCertificate  *client_certificate;   /* set before the session is published */
  char           *backend_address;
  char           *backend_tls;
  guint           backend_version;  /* counts gh_session_set_backend() */

  guint64         bytes_from_client;
  guint64         bytes_to_client;
  guint64         messages_from_client;
  guint64         messages_to_client;
};

G_DEFINE_FINAL_TYPE (GhSession, gh_session, G_TYPE_OBJECT)

enum {
  CLOSE_REQUESTED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
random_id (void)
{
  guint8 bytes[12];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_random_int_range (0, 256);

  return g_strdup_printf ("%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11]);
}

GhSession *
gh_session_new (const char     *service,
                GSocketAddress *client_address)
{
  GhSession *self;

  g_return_val_if_fail (service != NULL, NULL);

  self = g_object_new (GH_TYPE_SESSION, NULL);
  self->id = random_id ();
  self->service = g_strdup (service);
  self->client_address = gh_socket_address_to_string (client_address);
  self->started = g_get_real_time ();
  self->home = g_main_context_ref_thread_default ();
  self->io = g_main_context_ref_thread_default ();
  return self;
}

/* Where the state changes and "changed" is emitted; by default the context the
 * session was made on. Set before the session is handed to anyone. */
void
gh_session_set_home_context (GhSession    *self,
                             GMainContext *home)
{
  g_return_if_fail (GH_IS_SESSION (self));
  g_return_if_fail (home != NULL);

  g_main_context_unref (self->home);
  self->home = g_main_context_ref (home);
}

const char *
gh_session_get_id (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);
  return self->id;
}

const char *
gh_session_get_service (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);
  return self->service;
}

const char *
gh_session_get_client_address (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);
  return self->client_address;
}

GhSessionState
gh_session_get_state (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), GH_SESSION_STATE_CLOSED);
  return self->state;
}

gint64
gh_session_get_started (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), 0);
  return self->started;
}

const char *
gh_session_get_close_reason (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);
  return self->close_reason;
}

guint64
gh_session_get_bytes_from_client (GhSession *self)
{
  guint64 value;

  g_return_val_if_fail (GH_IS_SESSION (self), 0);

  g_mutex_lock (&self->lock);
  value = self->bytes_from_client;
  g_mutex_unlock (&self->lock);
  return value;
}

guint64
gh_session_get_bytes_to_client (GhSession *self)
{
  guint64 value;

  g_return_val_if_fail (GH_IS_SESSION (self), 0);

  g_mutex_lock (&self->lock);
  value = self->bytes_to_client;
  g_mutex_unlock (&self->lock);
  return value;
}

guint64
gh_session_get_serial (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), 0);
  return self->serial;
}

void
gh_session_set_serial (GhSession *self,
                       guint64    serial)
{
  g_return_if_fail (GH_IS_SESSION (self));
  self->serial = serial;
}

guint64
gh_session_get_messages_from_client (GhSession *self)
{
  guint64 value;

  g_return_val_if_fail (GH_IS_SESSION (self), 0);

  g_mutex_lock (&self->lock);
  value = self->messages_from_client;
  g_mutex_unlock (&self->lock);
  return value;
}

guint64
gh_session_get_messages_to_client (GhSession *self)
{
  guint64 value;

  g_return_val_if_fail (GH_IS_SESSION (self), 0);

  g_mutex_lock (&self->lock);
  value = self->messages_to_client;
  g_mutex_unlock (&self->lock);
  return value;
}

/* The four counters at once, consistent with each other. */
void
gh_session_get_traffic (GhSession        *self,
                        GhSessionTraffic *traffic)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  traffic->bytes_in = self->bytes_from_client;
  traffic->bytes_out = self->bytes_to_client;
  traffic->messages_in = self->messages_from_client;
  traffic->messages_out = self->messages_to_client;
  traffic->backend_version = self->backend_version;
  g_mutex_unlock (&self->lock);
}

const char *
gh_session_state_to_string (GhSessionState state)
{
  switch (state)
    {
    case GH_SESSION_STATE_HANDSHAKE: return "handshake";
    case GH_SESSION_STATE_CONNECTING: return "connecting";
    case GH_SESSION_STATE_OPEN: return "open";
    case GH_SESSION_STATE_CLOSED: return "closed";
    default: return "unknown";
    }
}

/* A call that crosses from one of the session's contexts to the other. */
typedef struct {
  GhSession      *session;
  GhSessionState  state;
  char           *reason;
} SessionCall;

static SessionCall *
session_call_new (GhSession      *session,
                  GhSessionState  state,
                  const char     *reason)
{
  SessionCall *call = g_new0 (SessionCall, 1);

  call->session = g_object_ref (session);
  call->state = state;
  call->reason = g_strdup (reason);
  return call;
}

static void
session_call_free (gpointer data)
{
  SessionCall *call = data;

  g_object_unref (call->session);
  g_free (call->reason);
  g_free (call);
}

static gboolean
apply_state_change (gpointer data)
{
  SessionCall *change = data;
  GhSession *self = change->session;

  if (self->state == change->state || self->state == GH_SESSION_STATE_CLOSED)
    return G_SOURCE_REMOVE;

  if (change->state == GH_SESSION_STATE_CLOSED && self->close_reason == NULL)
    self->close_reason = g_strdup (change->reason);
  self->state = change->state;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Changes the state on the home context, in the order the changes were made. */
static void
change_state (GhSession      *self,
              GhSessionState  state,
              const char     *reason)
{
  gh_context_invoke (self->home, apply_state_change, session_call_new (self, state, reason), session_call_free);
}

void
gh_session_set_state (GhSession      *self,
                      GhSessionState  state)
{
  g_return_if_fail (GH_IS_SESSION (self));

  change_state (self, state, NULL);
}

void
gh_session_set_client_tls (GhSession     *self,
                           const char    *protocol,
                           const char    *cipher,
                           const char    *server_name,
                           const char    *alpn,
                           GhCertificate *client_certificate)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_set_str (&self->tls_protocol, protocol);
  g_set_str (&self->tls_cipher, cipher);
  g_set_str (&self->tls_server_name, server_name);
  g_set_str (&self->tls_alpn, alpn);
  g_set_str (&self->client_subject, client_certificate ? gh_certificate_get_subject (client_certificate) : NULL);
  g_set_object (&self->client_certificate, client_certificate);
}

GhCertificate *
gh_session_get_client_certificate (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);

  return self->client_certificate;
}

void
gh_session_set_backend (GhSession  *self,
                        const char *address,
                        const char *tls_result)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  g_set_str (&self->backend_address, address);
  g_set_str (&self->backend_tls, tls_result);
  self->backend_version++;
  g_mutex_unlock (&self->lock);
}

/* The back-end's address and TLS result (each nullable, to free). */
void
gh_session_dup_backend (GhSession  *self,
                        char      **address,
                        char      **tls_result)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  *address = g_strdup (self->backend_address);
  *tls_result = g_strdup (self->backend_tls);
  g_mutex_unlock (&self->lock);
}

void
gh_session_add_client_traffic (GhSession *self,
                               guint64    bytes,
                               guint64    messages)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  self->bytes_from_client += bytes;
  self->messages_from_client += messages;
  g_mutex_unlock (&self->lock);
}

void
gh_session_add_backend_traffic (GhSession *self,
                                guint64    bytes,
                                guint64    messages)
{
  g_return_if_fail (GH_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  self->bytes_to_client += bytes;
  self->messages_to_client += messages;
  g_mutex_unlock (&self->lock);
}

static gboolean
emit_close_requested (gpointer data)
{
  SessionCall *request = data;

  g_signal_emit (request->session, signals[CLOSE_REQUESTED], 0, request->reason);
  return G_SOURCE_REMOVE;
}

/* Asks the session's I/O side to close both ends; called on the home context. */
void
gh_session_close (GhSession  *self,
                  const char *reason)
{
  g_return_if_fail (GH_IS_SESSION (self));

  if (self->state == GH_SESSION_STATE_CLOSED)
    return;

  /* The reason is known now; the close itself follows from the I/O side. */
  if (self->close_reason == NULL)
    self->close_reason = g_strdup (reason);

  gh_context_invoke (self->io, emit_close_requested, session_call_new (self, self->state, reason), session_call_free);
}

/* The session ended; the state changes on the home context, after earlier changes. */
void
gh_session_mark_closed (GhSession  *self,
                        const char *reason)
{
  g_return_if_fail (GH_IS_SESSION (self));

  change_state (self, GH_SESSION_STATE_CLOSED, reason);
}

/* The session as the admin API gives it; lib/api writes the JSON (one place owns the
 * wire type), this fills in what it says under the session's lock. */
JsonNode *
gh_session_to_json (GhSession *self)
{
  GhApiSessionFields fields;
  JsonNode *node;

  g_return_val_if_fail (GH_IS_SESSION (self), NULL);

  g_mutex_lock (&self->lock);
  fields = (GhApiSessionFields) {
    .id = self->id,
    .service = self->service,
    .client = self->client_address,
    .state = gh_session_state_to_string (self->state),
    .started = self->started,
    .tls_protocol = self->tls_protocol,
    .tls_cipher = self->tls_cipher,
    .tls_server_name = self->tls_server_name,
    .tls_alpn = self->tls_alpn,
    .tls_client_subject = self->client_subject,
    .backend = self->backend_address,
    .backend_tls = self->backend_tls,
    .bytes_in = self->bytes_from_client,
    .bytes_out = self->bytes_to_client,
    .messages_in = self->messages_from_client,
    .messages_out = self->messages_to_client,
    .close_reason = self->close_reason,
  };
  node = gh_api_session_fields_to_json (&fields);
  g_mutex_unlock (&self->lock);

  return node;
}

static void
gh_session_finalize (GObject *object)
{
  GhSession *self = GH_SESSION (object);

  g_free (self->id);
  g_free (self->service);
  g_free (self->client_address);
  g_free (self->close_reason);
  g_free (self->tls_protocol);
  g_free (self->tls_cipher);
  g_free (self->tls_server_name);
  g_free (self->tls_alpn);
  g_free (self->client_subject);
  g_clear_object (&self->client_certificate);
  g_free (self->backend_address);
  g_free (self->backend_tls);
  g_clear_pointer (&self->home, g_main_context_unref);
  g_clear_pointer (&self->io, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gh_session_parent_class)->finalize (object);
}

static void
gh_session_class_init (GhSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_session_finalize;

  /**
   * GhSession::close-requested:
   * @reason: why, for the record
   */
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /* The state changed (traffic counters change without it). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gh_session_init (GhSession *self)
{
  g_mutex_init (&self->lock);
}
