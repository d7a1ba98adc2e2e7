/* gh-gateway-connection-data.c — what a gateway connection caches for the pages
 *
 * Each (re)synchronisation of the event stream fetches the gateway's info (GET /info),
 * the last entries of its audit log and its keystore, of which the key entries that
 * expire within the user's warning days are counted; the events that change them
 * (config.changed, cert.reloaded, cert.expiring) refresh what they change, and
 * config.changed and service.state are passed on as the connection's signals. The
 * state machine that decides when there is a stream to listen to is
 * gh-gateway-connection.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-connection"

#include "config.h"

#include "gh-api-cert-entry.h"
#include "gh-gateway-connection-private.h"

#define AUDIT_LIMIT 10

static guint
warning_days (GhGatewayConnection *self)
{
  return g_settings_get_uint (self->settings, "expiry-warning-days");
}

/* Data fetched on (re)connection */

static void
on_info (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = gh_admin_client_get_info_finish (GH_ADMIN_CLIENT (source), result, &error);

  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("GET /info: %s", error->message);
      return;
    }

  _gh_gateway_connection_set_info (self, info);
  if (gh_api_info_get_config_version (info) > self->config_version)
    _gh_gateway_connection_set_config_version (self, gh_api_info_get_config_version (info));
}

static void
on_audit (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = gh_admin_client_list_audit_finish (GH_ADMIN_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("GET /audit: %s", error->message);
      return;
    }

  n = MIN (g_list_model_get_n_items (entries), AUDIT_LIMIT);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (entries, i));
  g_list_store_splice (self->audit, 0, g_list_model_get_n_items (G_LIST_MODEL (self->audit)),
                       items->pdata, items->len);
}

static void
on_keystore (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhGatewayConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = gh_admin_client_list_keystore_finish (GH_ADMIN_CLIENT (source), result, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("GET /keystore: %s", error->message);
      return;
    }

  g_hash_table_remove_all (self->expiring);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiKeystoreEntry) entry = g_list_model_get_item (entries, i);
      GhCertificate *certificate = gh_api_keystore_entry_get_certificate (entry);
      GDateTime *not_after = certificate != NULL ? gh_certificate_get_not_after (certificate) : NULL;
      GhApiExpiry expiry = gh_api_expiry_classify (not_after, now, warning_days (self));

      /* The Certificates page's rule: expired, or expiring within the window. */
      if (expiry == GH_API_EXPIRY_SOON || expiry == GH_API_EXPIRY_EXPIRED)
        g_hash_table_add (self->expiring, g_strdup (gh_api_keystore_entry_get_alias (entry)));
    }

  _gh_gateway_connection_notify_expiring_count (self);
}

static void
refresh_audit (GhGatewayConnection *self)
{
  if (self->client == NULL || self->cancellable == NULL)
    return;

  gh_admin_client_list_audit_async (self->client, AUDIT_LIMIT, self->cancellable, on_audit, g_object_ref (self));
}

void
_gh_gateway_connection_refresh_keystore (GhGatewayConnection *self)
{
  if (self->client == NULL || self->cancellable == NULL)
    return;

  gh_admin_client_list_keystore_async (self->client, self->cancellable, on_keystore, g_object_ref (self));
}

void
_gh_gateway_connection_fetch_data (GhGatewayConnection *self)
{
  gh_admin_client_get_info_async (self->client, self->cancellable, on_info, g_object_ref (self));
  refresh_audit (self);
  _gh_gateway_connection_refresh_keystore (self);
}

static const char *
member_string (JsonNode   *data,
               const char *member)
{
  JsonObject *object;
  JsonNode *node;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  object = json_node_get_object (data);
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
member_int (JsonNode   *data,
            const char *member)
{
  JsonObject *object;
  JsonNode *node;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return 0;
  object = json_node_get_object (data);
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

void
_gh_gateway_connection_handle_event (GhGatewayConnection *self,
                                     const char          *type,
                                     JsonNode            *data)
{
  if (g_str_equal (type, "config.changed"))
    {
      gint64 version = member_int (data, "version");

      if (version > 0)
        _gh_gateway_connection_set_config_version (self, version);
      _gh_gateway_connection_emit_config_changed (self, version, member_string (data, "identity"),
                                                  member_string (data, "action"));
      refresh_audit (self);
      _gh_gateway_connection_refresh_keystore (self);
    }
  else if (g_str_equal (type, "service.state"))
    {
      const char *name = member_string (data, "name");
      const char *state = member_string (data, "state");

      if (name != NULL && state != NULL)
        _gh_gateway_connection_emit_service_state (self, name, state);
    }
  else if (g_str_equal (type, "cert.expiring"))
    {
      const char *alias = member_string (data, "alias");
      gint64 days_left = member_int (data, "days_left");

      if (alias != NULL && days_left <= (gint64) warning_days (self) &&
          g_hash_table_add (self->expiring, g_strdup (alias)))
        _gh_gateway_connection_notify_expiring_count (self);
    }
  else if (g_str_equal (type, "cert.reloaded"))
    {
      _gh_gateway_connection_refresh_keystore (self);
    }
}

/* Public */

GhApiInfo *
gh_gateway_connection_get_info (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return self->info;
}

GhAdminRole
gh_gateway_connection_get_role (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), GH_ADMIN_ROLE_NONE);

  return self->info != NULL ? gh_api_info_get_identity_role (self->info) : GH_ADMIN_ROLE_NONE;
}

GListModel *
gh_gateway_connection_get_audit (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), NULL);

  return G_LIST_MODEL (self->audit);
}

guint
gh_gateway_connection_get_expiring_count (GhGatewayConnection *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (self), 0);

  return g_hash_table_size (self->expiring);
}
