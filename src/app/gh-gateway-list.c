/* gh-gateway-list.c — the gateways the app administers
 *
 * A GListModel of GhGatewayConnection. The persistent profiles are saved to the
 * GSettings key "gateways" (a(ssss): name, URL, identity path, pin, in the form of
 * gh_gateway_profile_to_variant()) whenever one is added, removed, renamed or re-pinned. Passwords never go there: the connections keep
 * them in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-list"

#include "config.h"

#include "gh-gateway-list.h"

struct _GhGatewayList
{
  GObject    parent_instance;

  GSettings *settings;
  GPtrArray *connections;
  gboolean   loading;
};

static void gh_gateway_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhGatewayList, gh_gateway_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gh_gateway_list_model_init))

static GType
gh_gateway_list_get_item_type (GListModel *model)
{
  return GH_TYPE_GATEWAY_CONNECTION;
}

static guint
gh_gateway_list_get_n_items (GListModel *model)
{
  GhGatewayList *self = GH_GATEWAY_LIST (model);

  return self->connections != NULL ? self->connections->len : 0;
}

static gpointer
gh_gateway_list_get_item (GListModel *model,
                          guint       position)
{
  GhGatewayList *self = GH_GATEWAY_LIST (model);

  if (self->connections == NULL || position >= self->connections->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
gh_gateway_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_gateway_list_get_item_type;
  iface->get_n_items = gh_gateway_list_get_n_items;
  iface->get_item = gh_gateway_list_get_item;
}

static void
save (GhGatewayList *self)
{
  GVariantBuilder builder;

  if (self->loading)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssss)"));
  for (guint i = 0; i < self->connections->len; i++)
    {
      GhGatewayProfile *profile = gh_gateway_connection_get_profile (g_ptr_array_index (self->connections, i));

      if (gh_gateway_profile_get_persistent (profile))
        g_variant_builder_add_value (&builder, gh_gateway_profile_to_variant (profile));
    }

  g_settings_set_value (self->settings, "gateways", g_variant_builder_end (&builder));
}

static void
on_profile_changed (GhGatewayList *self)
{
  save (self);
}

static void
append (GhGatewayList       *self,
        GhGatewayConnection *connection)
{
  g_ptr_array_add (self->connections, g_object_ref (connection));
  g_signal_connect_object (connection, "notify::name", G_CALLBACK (on_profile_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::pin", G_CALLBACK (on_profile_changed), self, G_CONNECT_SWAPPED);
  g_list_model_items_changed (G_LIST_MODEL (self), self->connections->len - 1, 0, 1);
}

static void
load (GhGatewayList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "gateways");
  GVariantIter iter;
  GVariant *saved;

  self->loading = TRUE;
  g_variant_iter_init (&iter, value);
  while ((saved = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = saved;
      g_autoptr(GhGatewayProfile) profile = gh_gateway_profile_new_from_variant (saved);
      g_autoptr(GhGatewayConnection) connection = NULL;

      if (profile == NULL || gh_gateway_list_lookup (self, gh_gateway_profile_get_url (profile)) != NULL)
        continue;

      connection = gh_gateway_connection_new_for_profile (profile);
      append (self, connection);
    }
  self->loading = FALSE;
}

GhGatewayList *
gh_gateway_list_new (GSettings *settings)
{
  GhGatewayList *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GH_TYPE_GATEWAY_LIST, NULL);
  self->settings = g_object_ref (settings);
  load (self);

  return self;
}

GhGatewayConnection *
gh_gateway_list_lookup (GhGatewayList *self,
                        const char    *url)
{
  g_return_val_if_fail (GH_IS_GATEWAY_LIST (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  for (guint i = 0; i < self->connections->len; i++)
    {
      GhGatewayConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_str_equal (gh_gateway_connection_get_url (connection), url))
        return connection;
    }

  return NULL;
}

gboolean
gh_gateway_list_find (GhGatewayList       *self,
                      GhGatewayConnection *connection,
                      guint               *position)
{
  g_return_val_if_fail (GH_IS_GATEWAY_LIST (self), FALSE);

  return g_ptr_array_find (self->connections, connection, position);
}

gboolean
gh_gateway_list_add (GhGatewayList       *self,
                     GhGatewayConnection *connection)
{
  g_return_val_if_fail (GH_IS_GATEWAY_LIST (self), FALSE);
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (connection), FALSE);

  if (gh_gateway_list_lookup (self, gh_gateway_connection_get_url (connection)) != NULL)
    return FALSE;

  append (self, connection);
  save (self);

  return TRUE;
}

void
gh_gateway_list_remove (GhGatewayList       *self,
                        GhGatewayConnection *connection)
{
  guint position;

  g_return_if_fail (GH_IS_GATEWAY_LIST (self));
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (connection));

  if (!g_ptr_array_find (self->connections, connection, &position))
    return;

  g_signal_handlers_disconnect_by_data (connection, self);
  gh_gateway_connection_stop (connection);
  g_ptr_array_remove_index (self->connections, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  save (self);
}

void
gh_gateway_list_start_all (GhGatewayList *self)
{
  g_return_if_fail (GH_IS_GATEWAY_LIST (self));

  for (guint i = 0; i < self->connections->len; i++)
    gh_gateway_connection_start (g_ptr_array_index (self->connections, i));
}

void
gh_gateway_list_stop_all (GhGatewayList *self)
{
  g_return_if_fail (GH_IS_GATEWAY_LIST (self));

  for (guint i = 0; i < self->connections->len; i++)
    gh_gateway_connection_stop (g_ptr_array_index (self->connections, i));
}

static void
gh_gateway_list_dispose (GObject *object)
{
  GhGatewayList *self = GH_GATEWAY_LIST (object);

  if (self->connections != NULL)
    {
      for (guint i = 0; i < self->connections->len; i++)
        {
          GhGatewayConnection *connection = g_ptr_array_index (self->connections, i);

          g_signal_handlers_disconnect_by_data (connection, self);
          gh_gateway_connection_stop (connection);
        }
      g_clear_pointer (&self->connections, g_ptr_array_unref);
    }
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_gateway_list_parent_class)->dispose (object);
}

static void
gh_gateway_list_class_init (GhGatewayListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_gateway_list_dispose;
}

static void
gh_gateway_list_init (GhGatewayList *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
}
