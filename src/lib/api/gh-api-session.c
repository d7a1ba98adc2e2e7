/* gh-api-session.c — a session of the gateway, updated in place by the event stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-session"

#include "config.h"

#include "gh-api-private.h"
#include "gh-api-keystore-entry.h"
#include "gh-api-session.h"
#include "gh-json.h"

struct _GhApiSession
{
  GObject    parent_instance;

  char      *id;
  char      *service;
  char      *client;
  char      *state;
  GDateTime *started;
  char      *tls_protocol;
  char      *tls_cipher;
  char      *tls_server_name;
  char      *tls_alpn;
  char      *tls_client_subject;
  GhCertificate *client_certificate;
  char      *backend;
  char      *backend_tls;
  gint64     bytes_in;
  gint64     bytes_out;
  gint64     messages_in;
  gint64     messages_out;
  char      *close_reason;

  guint      changing;   /* nesting of updates; "changed" when the outer one ends */
  gboolean   changed;
};

G_DEFINE_FINAL_TYPE (GhApiSession, gh_api_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SERVICE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_STARTED,
  PROP_TLS_PROTOCOL,
  PROP_TLS_CIPHER,
  PROP_TLS_SERVER_NAME,
  PROP_TLS_CLIENT_SUBJECT,
  PROP_BACKEND,
  PROP_BACKEND_TLS,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_MESSAGES_IN,
  PROP_MESSAGES_OUT,
  PROP_CLOSE_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
gh_api_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhApiSession *self = GH_API_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_SERVICE: g_value_set_string (value, self->service); break;
    case PROP_CLIENT: g_value_set_string (value, self->client); break;
    case PROP_STATE: g_value_set_string (value, self->state); break;
    case PROP_STARTED: g_value_set_boxed (value, self->started); break;
    case PROP_TLS_PROTOCOL: g_value_set_string (value, self->tls_protocol); break;
    case PROP_TLS_CIPHER: g_value_set_string (value, self->tls_cipher); break;
    case PROP_TLS_SERVER_NAME: g_value_set_string (value, self->tls_server_name); break;
    case PROP_TLS_CLIENT_SUBJECT: g_value_set_string (value, self->tls_client_subject); break;
    case PROP_BACKEND: g_value_set_string (value, self->backend); break;
    case PROP_BACKEND_TLS: g_value_set_string (value, self->backend_tls); break;
    case PROP_BYTES_IN: g_value_set_int64 (value, self->bytes_in); break;
    case PROP_BYTES_OUT: g_value_set_int64 (value, self->bytes_out); break;
    case PROP_MESSAGES_IN: g_value_set_int64 (value, self->messages_in); break;
    case PROP_MESSAGES_OUT: g_value_set_int64 (value, self->messages_out); break;
    case PROP_CLOSE_REASON: g_value_set_string (value, self->close_reason); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_api_session_finalize (GObject *object)
{
  GhApiSession *self = GH_API_SESSION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->client, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->tls_protocol, g_free);
  g_clear_pointer (&self->tls_cipher, g_free);
  g_clear_pointer (&self->tls_server_name, g_free);
  g_clear_pointer (&self->tls_alpn, g_free);
  g_clear_pointer (&self->tls_client_subject, g_free);
  g_clear_object (&self->client_certificate);
  g_clear_pointer (&self->backend, g_free);
  g_clear_pointer (&self->backend_tls, g_free);
  g_clear_pointer (&self->close_reason, g_free);

  G_OBJECT_CLASS (gh_api_session_parent_class)->finalize (object);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
counter_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
gh_api_session_class_init (GhApiSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_api_session_get_property;
  object_class->finalize = gh_api_session_finalize;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_SERVICE] = string_property ("service");
  properties[PROP_CLIENT] = string_property ("client");
  properties[PROP_STATE] = string_property ("state");
  properties[PROP_STARTED] =
    g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TLS_PROTOCOL] = string_property ("tls-protocol");
  properties[PROP_TLS_CIPHER] = string_property ("tls-cipher");
  properties[PROP_TLS_SERVER_NAME] = string_property ("tls-server-name");
  properties[PROP_TLS_CLIENT_SUBJECT] = string_property ("tls-client-subject");
  properties[PROP_BACKEND] = string_property ("backend");
  properties[PROP_BACKEND_TLS] = string_property ("backend-tls");
  /* Counters are gint64 for the column view's numeric sorters. */
  properties[PROP_BYTES_IN] = counter_property ("bytes-in");
  properties[PROP_BYTES_OUT] = counter_property ("bytes-out");
  properties[PROP_MESSAGES_IN] = counter_property ("messages-in");
  properties[PROP_MESSAGES_OUT] = counter_property ("messages-out");
  properties[PROP_CLOSE_REASON] = string_property ("close-reason");

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhApiSession::changed:
   *
   * Emitted once after an update changed anything (state, counters, reason).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gh_api_session_init (GhApiSession *self)
{
}

static void
begin_change (GhApiSession *self)
{
  if (self->changing++ == 0)
    g_object_freeze_notify (G_OBJECT (self));
}

static void
end_change (GhApiSession *self)
{
  g_assert (self->changing > 0);

  if (--self->changing > 0)
    return;

  g_object_thaw_notify (G_OBJECT (self));
  if (self->changed)
    {
      self->changed = FALSE;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void
update_string (GhApiSession  *self,
               char         **field,
               const char    *value,
               guint          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  self->changed = TRUE;
  if (prop_id != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_int (GhApiSession *self,
            gint64       *field,
            gint64        value,
            guint         prop_id)
{
  if (*field == value)
    return;

  *field = value;
  self->changed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
check_counter (const char  *name,
               gint64       value,
               GError     **error)
{
  if (value < 0)
    {
      _gh_api_set_protocol_error (error, "session.%s is negative", name);
      return FALSE;
    }
  return TRUE;
}

/**
 * gh_api_session_fields_to_json:
 * @fields: a session, as gatehoused sees it
 *
 * The one place that writes a session of the admin API; gh_api_session_new_from_json()
 * is the one that reads it.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
gh_api_session_fields_to_json (const GhApiSessionFields *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *started = NULL;

  g_return_val_if_fail (fields != NULL, NULL);

  started = gh_json_format_time (fields->started);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "id", fields->id);
  gh_json_add_string (builder, "service", fields->service);
  gh_json_add_string (builder, "client", fields->client);
  gh_json_add_string (builder, "state", fields->state);
  gh_json_add_string (builder, "started", started);
  json_builder_set_member_name (builder, "tls");
  if (fields->tls_protocol != NULL)
    {
      json_builder_begin_object (builder);
      gh_json_add_string (builder, "protocol", fields->tls_protocol);
      gh_json_add_string (builder, "cipher", fields->tls_cipher);
      gh_json_add_string (builder, "server_name", fields->tls_server_name);
      gh_json_add_string (builder, "alpn", fields->tls_alpn);
      gh_json_add_string (builder, "client_subject", fields->tls_client_subject);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  gh_json_add_string (builder, "backend", fields->backend);
  gh_json_add_string (builder, "backend_tls", fields->backend_tls);
  gh_json_add_int (builder, "bytes_in", fields->bytes_in);
  gh_json_add_int (builder, "bytes_out", fields->bytes_out);
  gh_json_add_int (builder, "messages_in", fields->messages_in);
  gh_json_add_int (builder, "messages_out", fields->messages_out);
  gh_json_add_string (builder, "close_reason", fields->close_reason);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * gh_api_session_fields_add_update:
 * @fields: a session whose counters or state changed
 * @builder: a #JsonBuilder inside an array
 *
 * Adds one entry of session.updated, as gh_api_session_update_from_json() reads it.
 */
void
gh_api_session_fields_add_update (const GhApiSessionFields *fields,
                                  JsonBuilder              *builder)
{
  g_return_if_fail (fields != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "id", fields->id);
  gh_json_add_string (builder, "state", fields->state);
  gh_json_add_int (builder, "bytes_in", fields->bytes_in);
  gh_json_add_int (builder, "bytes_out", fields->bytes_out);
  gh_json_add_int (builder, "messages_in", fields->messages_in);
  gh_json_add_int (builder, "messages_out", fields->messages_out);
  /* A proxy session's back-end is known once it has connected, after session.opened. */
  if (fields->backend != NULL)
    gh_json_add_string (builder, "backend", fields->backend);
  if (fields->backend_tls != NULL)
    gh_json_add_string (builder, "backend_tls", fields->backend_tls);
  json_builder_end_object (builder);
}

/**
 * gh_api_session_new_from_json:
 * @node: a session of the admin API
 * @error: %GH_API_ERROR_PROTOCOL when it is not one
 *
 * Returns: (transfer full) (nullable): the session
 */
GhApiSession *
gh_api_session_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(GhApiSession) self = g_object_new (GH_TYPE_API_SESSION, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "session", error);
  JsonObject *tls = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "session", "id", GH_API_REQUIRED, &self->id, error) ||
      !_gh_api_get_string (object, "session", "service", GH_API_REQUIRED, &self->service, error) ||
      !_gh_api_get_string (object, "session", "client", GH_API_NULLABLE, &self->client, error) ||
      !_gh_api_get_string (object, "session", "state", GH_API_REQUIRED, &self->state, error) ||
      !_gh_api_get_time (object, "session", "started", GH_API_NULLABLE, &self->started, error) ||
      !_gh_api_get_object (object, "session", "tls", GH_API_NULLABLE, &tls, error) ||
      !_gh_api_get_string (object, "session", "backend", GH_API_NULLABLE, &self->backend, error) ||
      !_gh_api_get_string (object, "session", "backend_tls", GH_API_NULLABLE, &self->backend_tls, error) ||
      !_gh_api_get_int (object, "session", "bytes_in", GH_API_NULLABLE, &self->bytes_in, error) ||
      !_gh_api_get_int (object, "session", "bytes_out", GH_API_NULLABLE, &self->bytes_out, error) ||
      !_gh_api_get_int (object, "session", "messages_in", GH_API_NULLABLE, &self->messages_in, error) ||
      !_gh_api_get_int (object, "session", "messages_out", GH_API_NULLABLE, &self->messages_out, error) ||
      !_gh_api_get_string (object, "session", "close_reason", GH_API_NULLABLE, &self->close_reason, error))
    return NULL;

  if (tls != NULL &&
      (!_gh_api_get_string (tls, "session.tls", "protocol", GH_API_NULLABLE, &self->tls_protocol, error) ||
       !_gh_api_get_string (tls, "session.tls", "cipher", GH_API_NULLABLE, &self->tls_cipher, error) ||
       !_gh_api_get_string (tls, "session.tls", "server_name", GH_API_NULLABLE, &self->tls_server_name, error) ||
       !_gh_api_get_string (tls, "session.tls", "alpn", GH_API_NULLABLE, &self->tls_alpn, error) ||
       !_gh_api_get_string (tls, "session.tls", "client_subject", GH_API_NULLABLE, &self->tls_client_subject, error)))
    return NULL;

  if (json_object_has_member (object, "client_certificate") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "client_certificate")))
    {
      self->client_certificate = gh_api_certificate_new_from_json (json_object_get_member (object, "client_certificate"),
                                                                   error);
      if (self->client_certificate == NULL)
        {
          g_prefix_error (error, "session.client_certificate: ");
          return NULL;
        }
    }

  if (!check_counter ("bytes_in", self->bytes_in, error) ||
      !check_counter ("bytes_out", self->bytes_out, error) ||
      !check_counter ("messages_in", self->messages_in, error) ||
      !check_counter ("messages_out", self->messages_out, error))
    return NULL;

  return g_steal_pointer (&self);
}

GhCertificate *
gh_api_session_get_client_certificate (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);

  return self->client_certificate;
}

const char *
gh_api_session_get_id (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->id;
}

const char *
gh_api_session_get_service (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->service;
}

const char *
gh_api_session_get_client (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->client;
}

const char *
gh_api_session_get_state (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->state;
}

GDateTime *
gh_api_session_get_started (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->started;
}

const char *
gh_api_session_get_tls_protocol (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->tls_protocol;
}

const char *
gh_api_session_get_tls_cipher (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->tls_cipher;
}

const char *
gh_api_session_get_tls_server_name (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->tls_server_name;
}

const char *
gh_api_session_get_tls_alpn (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->tls_alpn;
}

const char *
gh_api_session_get_tls_client_subject (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->tls_client_subject;
}

const char *
gh_api_session_get_backend (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->backend;
}

const char *
gh_api_session_get_backend_tls (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->backend_tls;
}

gint64
gh_api_session_get_bytes_in (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), 0);
  return self->bytes_in;
}

gint64
gh_api_session_get_bytes_out (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), 0);
  return self->bytes_out;
}

gint64
gh_api_session_get_messages_in (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), 0);
  return self->messages_in;
}

gint64
gh_api_session_get_messages_out (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), 0);
  return self->messages_out;
}

const char *
gh_api_session_get_close_reason (GhApiSession *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);
  return self->close_reason;
}

void
gh_api_session_set_state (GhApiSession *self,
                          const char   *state)
{
  g_return_if_fail (GH_IS_API_SESSION (self));
  g_return_if_fail (state != NULL);

  begin_change (self);
  update_string (self, &self->state, state, PROP_STATE);
  end_change (self);
}

void
gh_api_session_set_close_reason (GhApiSession *self,
                                 const char   *reason)
{
  g_return_if_fail (GH_IS_API_SESSION (self));

  begin_change (self);
  update_string (self, &self->close_reason, reason, PROP_CLOSE_REASON);
  end_change (self);
}

void
gh_api_session_set_counters (GhApiSession *self,
                             gint64        bytes_in,
                             gint64        bytes_out,
                             gint64        messages_in,
                             gint64        messages_out)
{
  g_return_if_fail (GH_IS_API_SESSION (self));
  g_return_if_fail (bytes_in >= 0 && bytes_out >= 0 && messages_in >= 0 && messages_out >= 0);

  begin_change (self);
  update_int (self, &self->bytes_in, bytes_in, PROP_BYTES_IN);
  update_int (self, &self->bytes_out, bytes_out, PROP_BYTES_OUT);
  update_int (self, &self->messages_in, messages_in, PROP_MESSAGES_IN);
  update_int (self, &self->messages_out, messages_out, PROP_MESSAGES_OUT);
  end_change (self);
}

/**
 * gh_api_session_update_from_json:
 * @self: a #GhApiSession
 * @node: one entry of a session.updated event
 * @error: %GH_API_ERROR_PROTOCOL when it is not one, or not about this session
 *
 * Returns: whether @node was applied (nothing changed otherwise)
 */
gboolean
gh_api_session_update_from_json (GhApiSession  *self,
                                 JsonNode      *node,
                                 GError       **error)
{
  JsonObject *object;
  g_autofree char *id = NULL, *state = NULL, *backend = NULL, *backend_tls = NULL;
  gint64 bytes_in, bytes_out, messages_in, messages_out;

  g_return_val_if_fail (GH_IS_API_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes_in = self->bytes_in;
  bytes_out = self->bytes_out;
  messages_in = self->messages_in;
  messages_out = self->messages_out;

  object = _gh_api_node_get_object (node, "session update", error);
  if (object == NULL ||
      !_gh_api_get_string (object, "session update", "id", GH_API_REQUIRED, &id, error) ||
      !_gh_api_get_string (object, "session update", "state", GH_API_OPTIONAL, &state, error) ||
      !_gh_api_get_int (object, "session update", "bytes_in", GH_API_OPTIONAL, &bytes_in, error) ||
      !_gh_api_get_int (object, "session update", "bytes_out", GH_API_OPTIONAL, &bytes_out, error) ||
      !_gh_api_get_int (object, "session update", "messages_in", GH_API_OPTIONAL, &messages_in, error) ||
      !_gh_api_get_int (object, "session update", "messages_out", GH_API_OPTIONAL, &messages_out, error) ||
      !_gh_api_get_string (object, "session update", "backend", GH_API_OPTIONAL, &backend, error) ||
      !_gh_api_get_string (object, "session update", "backend_tls", GH_API_OPTIONAL, &backend_tls, error) ||
      !check_counter ("bytes_in", bytes_in, error) ||
      !check_counter ("bytes_out", bytes_out, error) ||
      !check_counter ("messages_in", messages_in, error) ||
      !check_counter ("messages_out", messages_out, error))
    return FALSE;

  if (g_strcmp0 (id, self->id) != 0)
    {
      _gh_api_set_protocol_error (error, "an update of session %s applied to session %s", id, self->id);
      return FALSE;
    }

  begin_change (self);
  if (state != NULL)
    update_string (self, &self->state, state, PROP_STATE);
  update_int (self, &self->bytes_in, bytes_in, PROP_BYTES_IN);
  update_int (self, &self->bytes_out, bytes_out, PROP_BYTES_OUT);
  update_int (self, &self->messages_in, messages_in, PROP_MESSAGES_IN);
  update_int (self, &self->messages_out, messages_out, PROP_MESSAGES_OUT);
  if (backend != NULL)
    update_string (self, &self->backend, backend, PROP_BACKEND);
  if (backend_tls != NULL)
    update_string (self, &self->backend_tls, backend_tls, PROP_BACKEND_TLS);
  end_change (self);

  return TRUE;
}

/**
 * gh_api_session_update_from_session:
 * @self: a #GhApiSession
 * @other: a newer description of the same session
 *
 * Takes every field of @other, notifying what changed.
 */
void
gh_api_session_update_from_session (GhApiSession *self,
                                    GhApiSession *other)
{
  g_return_if_fail (GH_IS_API_SESSION (self));
  g_return_if_fail (GH_IS_API_SESSION (other));

  if (self == other)
    return;

  begin_change (self);
  update_string (self, &self->service, other->service, PROP_SERVICE);
  update_string (self, &self->client, other->client, PROP_CLIENT);
  update_string (self, &self->state, other->state, PROP_STATE);
  if (!(self->started == other->started ||
        (self->started != NULL && other->started != NULL && g_date_time_equal (self->started, other->started))))
    {
      g_clear_pointer (&self->started, g_date_time_unref);
      self->started = other->started != NULL ? g_date_time_ref (other->started) : NULL;
      self->changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
    }
  update_string (self, &self->tls_protocol, other->tls_protocol, PROP_TLS_PROTOCOL);
  update_string (self, &self->tls_cipher, other->tls_cipher, PROP_TLS_CIPHER);
  update_string (self, &self->tls_server_name, other->tls_server_name, PROP_TLS_SERVER_NAME);
  update_string (self, &self->tls_alpn, other->tls_alpn, PROP_0);
  update_string (self, &self->tls_client_subject, other->tls_client_subject, PROP_TLS_CLIENT_SUBJECT);
  update_string (self, &self->backend, other->backend, PROP_BACKEND);
  update_string (self, &self->backend_tls, other->backend_tls, PROP_BACKEND_TLS);
  update_int (self, &self->bytes_in, other->bytes_in, PROP_BYTES_IN);
  update_int (self, &self->bytes_out, other->bytes_out, PROP_BYTES_OUT);
  update_int (self, &self->messages_in, other->messages_in, PROP_MESSAGES_IN);
  update_int (self, &self->messages_out, other->messages_out, PROP_MESSAGES_OUT);
  update_string (self, &self->close_reason, other->close_reason, PROP_CLOSE_REASON);
  end_change (self);
}

struct _GhApiSessionPage
{
  GObject     parent_instance;

  GListModel *sessions;
  char       *next_cursor;
  gint64      total;
};

G_DEFINE_FINAL_TYPE (GhApiSessionPage, gh_api_session_page, G_TYPE_OBJECT)

GH_API_DEFINE_PARSE_FUNC (session)

static void
gh_api_session_page_finalize (GObject *object)
{
  GhApiSessionPage *self = GH_API_SESSION_PAGE (object);

  g_clear_object (&self->sessions);
  g_clear_pointer (&self->next_cursor, g_free);

  G_OBJECT_CLASS (gh_api_session_page_parent_class)->finalize (object);
}

static void
gh_api_session_page_class_init (GhApiSessionPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_session_page_finalize;
}

static void
gh_api_session_page_init (GhApiSessionPage *self)
{
}

/**
 * gh_api_session_page_new_from_json:
 * @node: {"sessions": [session…], "next_cursor": "…"|null, "total": N}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the page
 */
GhApiSessionPage *
gh_api_session_page_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(GhApiSessionPage) self = g_object_new (GH_TYPE_API_SESSION_PAGE, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "session list", error);
  JsonArray *sessions = NULL;

  if (object == NULL ||
      !_gh_api_get_array (object, "session list", "sessions", GH_API_REQUIRED, &sessions, error) ||
      !_gh_api_get_string (object, "session list", "next_cursor", GH_API_NULLABLE, &self->next_cursor, error) ||
      !_gh_api_get_int (object, "session list", "total", GH_API_NULLABLE, &self->total, error))
    return NULL;

  self->sessions = _gh_api_list_from_array (sessions, GH_TYPE_API_SESSION,
                                            parse_session,
                                            "sessions", error);
  if (self->sessions == NULL)
    return NULL;

  if (!json_object_has_member (object, "total"))
    self->total = g_list_model_get_n_items (self->sessions);

  return g_steal_pointer (&self);
}

GListModel *
gh_api_session_page_get_sessions (GhApiSessionPage *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION_PAGE (self), NULL);
  return self->sessions;
}

const char *
gh_api_session_page_get_next_cursor (GhApiSessionPage *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION_PAGE (self), NULL);
  return self->next_cursor;
}

gint64
gh_api_session_page_get_total (GhApiSessionPage *self)
{
  g_return_val_if_fail (GH_IS_API_SESSION_PAGE (self), 0);
  return self->total;
}
