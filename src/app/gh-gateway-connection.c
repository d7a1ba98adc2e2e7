/* gh-gateway-connection.c — one gateway the app administers
 *
 * The state machine of one gateway; the data the pages read (info, audit, expiring
 * certificates) is gh-gateway-connection-data.c's. It holds a profile
 * (GhGatewayProfile: name, admin URL, identity file, pinned fingerprint), makes the
 * admin client from it, and keeps the event stream that makes the pages live. The
 * stream's states become GhGatewayState with a message a person can act on; what the
 * user must fix (a changed pin, a missing or wrong password, an identity the gateway
 * refuses) stops the retries until they act, everything else is retried by the stream
 * on its own. The profile's name and pin are this object's properties too, so that
 * the window and the pages follow one object.
 *
 * The identity's password comes from memory (this session) or the user's keyring
 * (gh-identity-store.c); the copy held here is wiped when dropped. The identity file
 * is loaded by gh_admin_identity_load() in a thread, whose error code says what the
 * user must do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-connection"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-admin-identity.h"
#include "gh-gateway-connection-private.h"
#include "gh-identity-store.h"
#include "gh-private-key.h"

#define DEFAULT_UNREACHABLE_TIMEOUT 15
#define TLS_FAILURES_BEFORE_ATTENTION 3

G_DEFINE_FINAL_TYPE (GhGatewayConnection, gh_gateway_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_NAME,
  PROP_URL,
  PROP_IDENTITY_PATH,
  PROP_PIN,
  PROP_PERSISTENT,
  PROP_STATE,
  PROP_STATE_MESSAGE,
  PROP_STALE,
  PROP_CONFIG_VERSION,
  PROP_INFO,
  PROP_ATTENTION,
  PROP_CLIENT,
  PROP_EVENTS,
  PROP_EXPIRING_COUNT,
  N_PROPS
};

enum {
  CONFIG_CHANGED,
  SERVICE_STATE,
  NOTICE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_identity (GhGatewayConnection *self);

/* Enums */

GType
gh_gateway_state_get_type (void)
{
  static GType type = 0;

  if (g_once_init_enter_pointer (&type))
    {
      static const GEnumValue values[] = {
        { GH_GATEWAY_STATE_DISCONNECTED, "GH_GATEWAY_STATE_DISCONNECTED", "disconnected" },
        { GH_GATEWAY_STATE_CONNECTING, "GH_GATEWAY_STATE_CONNECTING", "connecting" },
        { GH_GATEWAY_STATE_CONNECTED, "GH_GATEWAY_STATE_CONNECTED", "connected" },
        { GH_GATEWAY_STATE_RECONNECTING, "GH_GATEWAY_STATE_RECONNECTING", "reconnecting" },
        { GH_GATEWAY_STATE_UNREACHABLE, "GH_GATEWAY_STATE_UNREACHABLE", "unreachable" },
        { GH_GATEWAY_STATE_NEEDS_ATTENTION, "GH_GATEWAY_STATE_NEEDS_ATTENTION", "needs-attention" },
        { 0, NULL, NULL },
      };
      GType registered = g_enum_register_static (g_intern_static_string ("GhGatewayState"), values);

      g_once_init_leave_pointer (&type, registered);
    }

  return type;
}

const char *
gh_gateway_state_get_label (GhGatewayState state)
{
  switch (state)
    {
    case GH_GATEWAY_STATE_DISCONNECTED:
      return _("Disconnected");
    case GH_GATEWAY_STATE_CONNECTING:
      return _("Connecting");
    case GH_GATEWAY_STATE_CONNECTED:
      return _("Connected");
    case GH_GATEWAY_STATE_RECONNECTING:
      return _("Reconnecting");
    case GH_GATEWAY_STATE_UNREACHABLE:
      return _("Unreachable");
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      return _("Needs attention");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
gh_gateway_state_get_icon_name (GhGatewayState state)
{
  switch (state)
    {
    case GH_GATEWAY_STATE_DISCONNECTED:
      return "network-offline-symbolic";
    case GH_GATEWAY_STATE_CONNECTING:
    case GH_GATEWAY_STATE_RECONNECTING:
      return "view-refresh-symbolic";
    case GH_GATEWAY_STATE_CONNECTED:
      return "object-select-symbolic";
    case GH_GATEWAY_STATE_UNREACHABLE:
      return "network-error-symbolic";
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      return "dialog-warning-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Secrets */

static void
notice_secret_service (GhGatewayConnection *self,
                       const GError        *error)
{
  if (!gh_identity_store_set_unavailable (error))
    return;
  g_signal_emit (self, signals[NOTICE], 0,
                 _("No keyring is available: passwords are kept for this session only"));
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_identity_store_save_finish (result, &error))
    notice_secret_service (self, error);
}

/* Wording */

static void
set_state (GhGatewayConnection *self,
           GhGatewayState       state,
           const char          *message)
{
  gboolean stale;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      g_autoptr(GEnumClass) states = g_type_class_ref (GH_TYPE_GATEWAY_STATE);

      /* make check-flatpak reads this to know the sandboxed app reached its gateway. */
      g_debug ("%s: %s", gh_gateway_connection_get_url (self),
               g_enum_get_value (states, state)->value_nick);
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (g_strcmp0 (self->state_message, message) != 0)
    {
      g_free (self->state_message);
      self->state_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_MESSAGE]);
    }

  stale = state != GH_GATEWAY_STATE_CONNECTED && self->info != NULL;
  if (stale != self->stale)
    {
      self->stale = stale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_attention (GhGatewayConnection *self,
               GhGatewayAttention   attention,
               const char          *message)
{
  self->running = FALSE;
  g_clear_handle_id (&self->unreachable_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->events != NULL)
    gh_event_stream_stop (self->events);

  if (self->attention != attention)
    {
      self->attention = attention;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
    }
  set_state (self, GH_GATEWAY_STATE_NEEDS_ATTENTION, message);
}

void
_gh_gateway_connection_set_info (GhGatewayConnection *self,
                                 GhApiInfo           *info)
{
  if (!g_set_object (&self->info, info))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
  /* The first data makes anything but CONNECTED stale. */
  set_state (self, self->state, self->state_message);
}

void
_gh_gateway_connection_set_config_version (GhGatewayConnection *self,
                                           gint64               version)
{
  if (version == self->config_version)
    return;

  self->config_version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_VERSION]);
}

void
_gh_gateway_connection_notify_expiring_count (GhGatewayConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRING_COUNT]);
}

void
_gh_gateway_connection_emit_config_changed (GhGatewayConnection *self,
                                            gint64               version,
                                            const char          *identity,
                                            const char          *action)
{
  g_signal_emit (self, signals[CONFIG_CHANGED], 0, version, identity, action);
}

void
_gh_gateway_connection_emit_service_state (GhGatewayConnection *self,
                                           const char          *name,
                                           const char          *state)
{
  g_signal_emit (self, signals[SERVICE_STATE], 0, name, state);
}

/* Stream states */

static gboolean
on_unreachable_timeout (gpointer user_data)
{
  GhGatewayConnection *self = user_data;
  const GError *error = self->events != NULL ? gh_event_stream_get_last_error (self->events) : NULL;
  g_autofree char *message = NULL;

  self->unreachable_id = 0;

  message = g_strdup_printf (_("Gatehouse cannot reach the gateway at %s. It keeps trying; check that "
                               "gatehoused is running and that the address is right.%s%s"),
                             gh_gateway_profile_get_url (self->profile),
                             error != NULL ? _(" Last error: ") : "",
                             error != NULL ? error->message : "");
  set_state (self, GH_GATEWAY_STATE_UNREACHABLE, message);

  return G_SOURCE_REMOVE;
}

static void
on_probe_for_new_pin (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *message = NULL;

  certificate = gh_admin_client_probe_finish (GH_ADMIN_CLIENT (source), result, &fingerprint, &error);
  if (certificate == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The gateway’s admin certificate is not the pinned one, and it could not be "
                                   "read again: %s"), error->message);
      set_attention (self, GH_GATEWAY_ATTENTION_PIN_CHANGED, message);
      return;
    }

  g_free (self->new_pin);
  self->new_pin = g_steal_pointer (&fingerprint);
  message = g_strdup_printf (_("The gateway’s admin certificate changed: was %s, now %s; if you expected this "
                               "(a re-install), confirm the new fingerprint"),
                             gh_gateway_profile_get_pin (self->profile), self->new_pin);
  set_attention (self, GH_GATEWAY_ATTENTION_PIN_CHANGED, message);
}

/* Looks at why the stream failed; FALSE when the user must act. */
static gboolean
check_stream_error (GhGatewayConnection *self)
{
  const GError *error = gh_event_stream_get_last_error (self->events);
  g_autofree char *message = NULL;

  if (error == NULL || error->domain != GH_API_ERROR)
    return TRUE;

  switch (error->code)
    {
    case GH_API_ERROR_PIN_MISMATCH:
      gh_event_stream_stop (self->events);
      set_attention (self, GH_GATEWAY_ATTENTION_PIN_CHANGED,
                     _("The gateway’s admin certificate changed; reading the new one…"));
      gh_admin_client_probe_async (self->client, self->cancellable, on_probe_for_new_pin, g_object_ref (self));
      return FALSE;

    case GH_API_ERROR_NOT_AN_IDENTITY:
    case GH_API_ERROR_FORBIDDEN_ROLE:
    case GH_API_ERROR_TLS:
      /* A handshake can fail while the gateway starts or stops; a refusal repeats. */
      if (error->code == GH_API_ERROR_TLS && ++self->tls_failures < TLS_FAILURES_BEFORE_ATTENTION)
        return TRUE;
      message = g_strdup_printf (_("The gateway does not accept the admin identity %s (%s). Check that this "
                                   "identity was made for this gateway (gatehoused init writes it as "
                                   "gatehouse-admin.p12) and that the gateway still lists it."),
                                 gh_gateway_profile_get_identity_path (self->profile), error->message);
      set_attention (self, GH_GATEWAY_ATTENTION_IDENTITY, message);
      return FALSE;

    default:
      self->tls_failures = 0;
      return TRUE;
    }
}

static gboolean
on_poll (gpointer user_data)
{
  GhGatewayConnection *self = user_data;

  if (!check_stream_error (self))
    {
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* Keep the unreachable message current with the latest reason. */
  if (self->state == GH_GATEWAY_STATE_UNREACHABLE)
    on_unreachable_timeout (self);

  return G_SOURCE_CONTINUE;
}

static void
on_stream_state (GhGatewayConnection *self)
{
  GhEventStreamState state = gh_event_stream_get_state (self->events);

  if (!self->running)
    return;

  switch (state)
    {
    case GH_EVENT_STREAM_CONNECTED:
      g_clear_handle_id (&self->unreachable_id, g_source_remove);
      g_clear_handle_id (&self->poll_id, g_source_remove);
      self->tls_failures = 0;
      if (self->attention != GH_GATEWAY_ATTENTION_NONE)
        {
          self->attention = GH_GATEWAY_ATTENTION_NONE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
        }
      set_state (self, GH_GATEWAY_STATE_CONNECTED, NULL);
      break;

    case GH_EVENT_STREAM_CONNECTING:
      if (self->info != NULL)
        set_state (self, GH_GATEWAY_STATE_RECONNECTING, _("Lost contact with the gateway; reconnecting…"));
      else
        set_state (self, GH_GATEWAY_STATE_CONNECTING, NULL);
      break;

    case GH_EVENT_STREAM_RECONNECTING:
      if (!check_stream_error (self))
        return;
      if (self->state != GH_GATEWAY_STATE_UNREACHABLE)
        set_state (self, GH_GATEWAY_STATE_RECONNECTING, _("Lost contact with the gateway; reconnecting…"));
      if (self->unreachable_id == 0 && self->state != GH_GATEWAY_STATE_UNREACHABLE)
        self->unreachable_id = g_timeout_add_seconds (self->unreachable_timeout, on_unreachable_timeout, self);
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add_seconds (1, on_poll, self);
      break;

    case GH_EVENT_STREAM_DISCONNECTED:
      {
        /* The stream gave up on its own: its URL cannot be used. */
        const GError *error = gh_event_stream_get_last_error (self->events);

        set_attention (self, GH_GATEWAY_ATTENTION_IDENTITY,
                       error != NULL ? error->message : _("The gateway’s address cannot be used"));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_stream_config_version (GhGatewayConnection *self)
{
  gint64 version = gh_event_stream_get_config_version (self->events);

  if (version > 0)
    _gh_gateway_connection_set_config_version (self, version);
}

static void
drop_client (GhGatewayConnection *self)
{
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->events, self);
      gh_event_stream_stop (self->events);
    }
  g_clear_object (&self->events);
  g_clear_object (&self->client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
}

static void
start_stream (GhGatewayConnection *self)
{
  g_assert (self->events != NULL);

  if (self->info != NULL)
    set_state (self, GH_GATEWAY_STATE_RECONNECTING, _("Lost contact with the gateway; reconnecting…"));
  else
    set_state (self, GH_GATEWAY_STATE_CONNECTING, NULL);
  gh_event_stream_start (self->events);
  on_stream_state (self);
}

/* Identity */

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_identity_load_finish (result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (identity == NULL)
    {
      switch (error->domain == GH_ADMIN_IDENTITY_ERROR ? error->code : GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12)
        {
        case GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD:
          g_clear_pointer (&self->password, gh_secret_free);
          message = g_strdup_printf (_("The password for the admin identity %s is not the right one. "
                                       "Enter its password (gatehoused init wrote it to gatehouse-admin.pw)."),
                                     gh_gateway_profile_get_identity_path (self->profile));
          set_attention (self, GH_GATEWAY_ATTENTION_PASSWORD, message);
          break;
        case GH_ADMIN_IDENTITY_ERROR_NOT_FOUND:
        case GH_ADMIN_IDENTITY_ERROR_UNREADABLE:
          message = g_strdup_printf (_("The admin identity file %s is missing. Put it back, or remove this "
                                       "gateway and add it again with the identity’s new place."),
                                     gh_gateway_profile_get_identity_path (self->profile));
          set_attention (self, GH_GATEWAY_ATTENTION_IDENTITY, message);
          break;
        case GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12:
        case GH_ADMIN_IDENTITY_ERROR_NO_KEY:
        default:
          message = g_strdup_printf (_("%s. Choose the PKCS#12 admin identity (.p12) again: remove this "
                                       "gateway and add it with the right file."), error->message);
          set_attention (self, GH_GATEWAY_ATTENTION_IDENTITY, message);
          break;
        }
      return;
    }

  self->client = gh_admin_client_new (gh_gateway_profile_get_url (self->profile), identity,
                                      gh_gateway_profile_get_pin (self->profile));
  self->events = gh_event_stream_new (self->client);
  g_signal_connect_object (self->events, "notify::state", G_CALLBACK (on_stream_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->events, "notify::config-version", G_CALLBACK (on_stream_config_version),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->events, "synchronized", G_CALLBACK (_gh_gateway_connection_fetch_data), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->events, "event", G_CALLBACK (_gh_gateway_connection_handle_event), self,
                           G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);

  start_stream (self);
}

static void
load_identity (GhGatewayConnection *self)
{
  gh_admin_identity_load_async (gh_gateway_profile_get_identity_path (self->profile), self->password,
                                self->cancellable, on_identity_loaded, g_object_ref (self));
}

static void
ask_for_password (GhGatewayConnection *self)
{
  g_autofree char *message = g_strdup_printf (_("Gatehouse has no password for the admin identity %s. "
                                                "Enter it to connect."),
                                              gh_gateway_profile_get_identity_path (self->profile));

  set_attention (self, GH_GATEWAY_ATTENTION_PASSWORD, message);
}

static void
on_password_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSecret) password = gh_identity_store_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (error != NULL)
    notice_secret_service (self, error);

  if (password == NULL)
    {
      ask_for_password (self);
      return;
    }

  g_clear_pointer (&self->password, gh_secret_free);
  self->password = g_steal_pointer (&password);
  load_identity (self);
}

static void
start_identity (GhGatewayConnection *self)
{
  if (self->password != NULL)
    {
      load_identity (self);
      return;
    }

  if (!gh_gateway_profile_get_persistent (self->profile) || !gh_identity_store_get_available ())
    {
      ask_for_password (self);
      return;
    }

  gh_identity_store_lookup_async (gh_gateway_profile_get_url (self->profile),
                                  gh_gateway_profile_get_identity_path (self->profile),
                                  self->cancellable, on_password_looked_up, g_object_ref (self));
}

/* Public API */

GhGatewayConnection *
gh_gateway_connection_new (const char *name,
                           const char *url,
                           const char *identity_path,
                           const char *pin,
                           gboolean    persistent)
{
  g_autoptr(GhGatewayProfile) profile = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (identity_path != NULL, NULL);

  profile = gh_gateway_profile_new (name, url, identity_path, pin, persistent);
  return gh_gateway_connection_new_for_profile (profile);
}

GhGatewayConnection *
gh_gateway_connection_new_for_profile (GhGatewayProfile *profile)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (profile), NULL);

  return g_object_new (GH_TYPE_GATEWAY_CONNECTION, "profile", profile, NULL);
}

GhGatewayProfile *
gh_gateway_connection_get_profile (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->profile;
}

void
gh_gateway_connection_start (GhGatewayConnection *self)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->tls_failures = 0;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  if (self->events != NULL)
    {
      start_stream (self);
      return;
    }

  set_state (self, self->info != NULL ? GH_GATEWAY_STATE_RECONNECTING : GH_GATEWAY_STATE_CONNECTING,
             self->info != NULL ? _("Lost contact with the gateway; reconnecting…") : NULL);
  start_identity (self);
}

void
gh_gateway_connection_stop (GhGatewayConnection *self)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->unreachable_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->events != NULL)
    gh_event_stream_stop (self->events);
  set_state (self, GH_GATEWAY_STATE_DISCONNECTED, NULL);
}

void
gh_gateway_connection_reconnect (GhGatewayConnection *self)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  gh_gateway_connection_stop (self);
  if (self->attention != GH_GATEWAY_ATTENTION_NONE)
    {
      /* The user acted: start over from the identity. */
      if (self->attention != GH_GATEWAY_ATTENTION_PIN_CHANGED)
        drop_client (self);
      self->attention = GH_GATEWAY_ATTENTION_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
    }
  gh_gateway_connection_start (self);
}

void
gh_gateway_connection_set_password (GhGatewayConnection *self,
                                    const char          *password,
                                    gboolean             remember)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));
  g_return_if_fail (password != NULL);

  g_clear_pointer (&self->password, gh_secret_free);
  self->password = g_strdup (password);

  if (!remember || !gh_gateway_profile_get_persistent (self->profile))
    return;

  if (!gh_identity_store_get_available ())
    {
      notice_secret_service (self, NULL);
      return;
    }

  gh_identity_store_save_async (gh_gateway_profile_get_url (self->profile),
                                gh_gateway_profile_get_identity_path (self->profile),
                                password, NULL, on_password_stored, g_object_ref (self));
}

void
gh_gateway_connection_forget_password (GhGatewayConnection *self)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  g_clear_pointer (&self->password, gh_secret_free);
  if (!gh_gateway_profile_get_persistent (self->profile))
    return;

  gh_identity_store_forget (gh_gateway_profile_get_url (self->profile),
                            gh_gateway_profile_get_identity_path (self->profile));
}

const char *
gh_gateway_connection_get_name (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return gh_gateway_profile_get_name (self->profile);
}

void
gh_gateway_connection_set_name (GhGatewayConnection *self,
                                const char          *name)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  gh_gateway_profile_set_name (self->profile, name);
}

const char *
gh_gateway_connection_get_url (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return gh_gateway_profile_get_url (self->profile);
}

const char *
gh_gateway_connection_get_identity_path (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return gh_gateway_profile_get_identity_path (self->profile);
}

const char *
gh_gateway_connection_get_pin (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return gh_gateway_profile_get_pin (self->profile);
}

void
gh_gateway_connection_set_pin (GhGatewayConnection *self,
                               const char          *pin)
{
  g_autofree char *normalized = NULL;
  g_autofree char *new_pin = NULL;
  gboolean was_running;

  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));

  normalized = pin != NULL ? gh_api_fingerprint_normalize (pin) : NULL;
  if (g_strcmp0 (normalized, gh_gateway_profile_get_pin (self->profile)) == 0)
    return;

  /* The new pin is no longer new once it is the pin: cleared before anyone hears. */
  new_pin = g_steal_pointer (&self->new_pin);
  gh_gateway_profile_set_pin (self->profile, normalized);

  /* The client holds its pin: make a new one with the new pin. */
  was_running = self->running || self->attention == GH_GATEWAY_ATTENTION_PIN_CHANGED;
  if (self->client != NULL || self->running)
    {
      gh_gateway_connection_stop (self);
      drop_client (self);
      if (self->attention != GH_GATEWAY_ATTENTION_NONE)
        {
          self->attention = GH_GATEWAY_ATTENTION_NONE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
        }
      if (was_running)
        gh_gateway_connection_start (self);
    }
}

GhGatewayState
gh_gateway_connection_get_state (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), GH_GATEWAY_STATE_DISCONNECTED);

  return self->state;
}

const char *
gh_gateway_connection_get_state_message (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->state_message;
}

gboolean
gh_gateway_connection_get_stale (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), FALSE);

  return self->stale;
}

gint64
gh_gateway_connection_get_config_version (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), 0);

  return self->config_version;
}

GhAdminClient *
gh_gateway_connection_get_client (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->client;
}

GhEventStream *
gh_gateway_connection_get_events (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->events;
}

gboolean
gh_gateway_connection_get_persistent (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), FALSE);

  return gh_gateway_profile_get_persistent (self->profile);
}

GhGatewayAttention
gh_gateway_connection_get_attention (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), GH_GATEWAY_ATTENTION_NONE);

  return self->attention;
}

const char *
gh_gateway_connection_get_new_pin (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->new_pin;
}

void
gh_gateway_connection_set_unreachable_timeout (GhGatewayConnection *self,
                                               guint                seconds)
{
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (self));
  g_return_if_fail (seconds > 0);

  self->unreachable_timeout = seconds;
}

/* GObject */

static void
gh_gateway_connection_dispose (GObject *object)
{
  GhGatewayConnection *self = GH_GATEWAY_CONNECTION (object);

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->unreachable_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->events, self);
      gh_event_stream_stop (self->events);
    }
  g_clear_object (&self->events);
  g_clear_object (&self->client);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (gh_gateway_connection_parent_class)->dispose (object);
}

static void
gh_gateway_connection_finalize (GObject *object)
{
  GhGatewayConnection *self = GH_GATEWAY_CONNECTION (object);

  g_clear_pointer (&self->password, gh_secret_free);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->new_pin, g_free);
  g_clear_pointer (&self->state_message, g_free);
  g_clear_pointer (&self->expiring, g_hash_table_unref);
  g_clear_object (&self->audit);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_gateway_connection_parent_class)->finalize (object);
}

static void
gh_gateway_connection_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GhGatewayConnection *self = GH_GATEWAY_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_NAME:
    case PROP_URL:
    case PROP_IDENTITY_PATH:
    case PROP_PIN:
    case PROP_PERSISTENT:
      g_object_get_property (G_OBJECT (self->profile), pspec->name, value);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    case PROP_CONFIG_VERSION:
      g_value_set_int64 (value, self->config_version);
      break;
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    case PROP_ATTENTION:
      g_value_set_uint (value, self->attention);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    case PROP_EXPIRING_COUNT:
      g_value_set_uint (value, gh_gateway_connection_get_expiring_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_gateway_connection_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  GhGatewayConnection *self = GH_GATEWAY_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    case PROP_NAME:
      gh_gateway_connection_set_name (self, g_value_get_string (value));
      break;
    case PROP_PIN:
      gh_gateway_connection_set_pin (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_profile_notify (GhGatewayConnection *self,
                   GParamSpec          *pspec)
{
  g_object_notify (G_OBJECT (self), pspec->name);
}

static void
gh_gateway_connection_constructed (GObject *object)
{
  GhGatewayConnection *self = GH_GATEWAY_CONNECTION (object);

  G_OBJECT_CLASS (gh_gateway_connection_parent_class)->constructed (object);

  /* The profile's name and pin are this object's too. */
  g_assert (GH_IS_GATEWAY_PROFILE (self->profile));
  g_signal_connect_object (self->profile, "notify::name", G_CALLBACK (on_profile_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "notify::pin", G_CALLBACK (on_profile_notify), self, G_CONNECT_SWAPPED);
}

static void
gh_gateway_connection_class_init (GhGatewayConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gh_gateway_connection_constructed;
  object_class->dispose = gh_gateway_connection_dispose;
  object_class->finalize = gh_gateway_connection_finalize;
  object_class->get_property = gh_gateway_connection_get_property;
  object_class->set_property = gh_gateway_connection_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, GH_TYPE_GATEWAY_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The profile's, forwarded (they notify when the profile's do). */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDENTITY_PATH] =
    g_param_spec_string ("identity-path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GH_TYPE_GATEWAY_STATE, GH_GATEWAY_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_MESSAGE] =
    g_param_spec_string ("state-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG_VERSION] =
    g_param_spec_int64 ("config-version", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, GH_TYPE_API_INFO,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] =
    g_param_spec_uint ("attention", NULL, NULL, 0, GH_GATEWAY_ATTENTION_IDENTITY, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, GH_TYPE_ADMIN_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENTS] =
    g_param_spec_object ("events", NULL, NULL, GH_TYPE_EVENT_STREAM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRING_COUNT] =
    g_param_spec_uint ("expiring-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  signals[SERVICE_STATE] =
    g_signal_new ("service-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gh_gateway_connection_init (GhGatewayConnection *self)
{
  self->unreachable_timeout = DEFAULT_UNREACHABLE_TIMEOUT;
  self->audit = g_list_store_new (GH_TYPE_API_AUDIT_ENTRY);
  self->expiring = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->settings = g_settings_new (APPLICATION_ID);
  /* The count of expiring certificates follows the window the user sets. */
  g_signal_connect_swapped (self->settings, "changed::expiry-warning-days",
                            G_CALLBACK (_gh_gateway_connection_refresh_keystore), self);
}
