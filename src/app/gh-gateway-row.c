/* gh-gateway-row.c — a gateway in the window's sidebar
 *
 * A template row for one GhGatewayConnection, for the life of the row: the name and
 * the state icon follow the connection through property bindings; what is said in
 * more than one place (the row's spoken label, the icon's colour, the detail line)
 * follows one notify handler. The menu is a <menu> in the template whose gateway.*
 * actions pass the row's URL on to the window's win.*-gateway actions, so the menu
 * never needs building per row; the two items that answer the gateway's call are
 * enabled (and shown) only while the connection asks for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-row"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-gateway-row.h"

struct _GhGatewayRow
{
  GtkListBoxRow        parent_instance;

  GhGatewayConnection *connection;

  /* template widgets */
  GtkImage            *state_icon;
  GtkLabel            *name_label;
  GtkLabel            *detail_label;
  GtkMenuButton       *menu_button;
  GMenuModel          *gateway_menu;
};

G_DEFINE_FINAL_TYPE (GhGatewayRow, gh_gateway_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The row's actions and the window's they stand for. */
static const struct {
  const char *row_action;
  const char *window_action;
} forwarded_actions[] = {
  { "gateway.confirm-fingerprint", "win.confirm-fingerprint" },
  { "gateway.enter-password", "win.enter-password" },
  { "gateway.reconnect", "win.reconnect-gateway" },
  { "gateway.rename", "win.rename-gateway" },
  { "gateway.remove", "win.remove-gateway" },
};

GtkWidget *
gh_gateway_row_new (GhGatewayConnection *connection)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONNECTION (connection), NULL);

  return g_object_new (GH_TYPE_GATEWAY_ROW,
                       "connection", connection,
                       NULL);
}

GhGatewayConnection *
gh_gateway_row_get_connection (GhGatewayRow *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_ROW (self), NULL);

  return self->connection;
}

GMenuModel *
gh_gateway_row_get_menu_model (GhGatewayRow *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_ROW (self), NULL);

  return self->gateway_menu;
}

void
gh_gateway_row_popup_menu (GhGatewayRow *self)
{
  g_return_if_fail (GH_IS_GATEWAY_ROW (self));

  gtk_menu_button_popup (self->menu_button);
}

typedef const char *(*StateString) (GhGatewayState state);

/* The state as a string: @user_data is gh_gateway_state_get_label() or _get_icon_name(). */
static gboolean
state_to_string (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  StateString state_string = (StateString) user_data;

  g_value_set_string (to, state_string (g_value_get_enum (from)));
  return TRUE;
}

static const char *
state_css_class (GhGatewayState state)
{
  switch (state)
    {
    case GH_GATEWAY_STATE_CONNECTED:
      return "gh-state-connected";
    case GH_GATEWAY_STATE_UNREACHABLE:
      return "gh-state-error";
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      return "gh-state-warning";
    default:
      return "gh-state-busy";
    }
}

static void
update_row (GhGatewayRow *self)
{
  static const char *classes[] = { "gh-state-connected", "gh-state-busy", "gh-state-error", "gh-state-warning" };
  GhGatewayConnection *connection = self->connection;
  GhGatewayState state = gh_gateway_connection_get_state (connection);
  GhGatewayAttention attention = gh_gateway_connection_get_attention (connection);
  const char *state_label = gh_gateway_state_get_label (state);
  const char *url = gh_gateway_connection_get_url (connection);
  const char *message = gh_gateway_connection_get_state_message (connection);
  g_autofree char *spoken = NULL;
  g_autofree char *menu_label = NULL;

  /* The address when live or stopped; otherwise the state, in words. */
  gtk_label_set_text (self->detail_label,
                      state == GH_GATEWAY_STATE_CONNECTED || state == GH_GATEWAY_STATE_DISCONNECTED
                      ? url : state_label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), message != NULL ? message : url);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), state_css_class (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_label,
                                  -1);

  spoken = g_strdup_printf (_("%s, %s"), gh_gateway_connection_get_name (connection), state_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, url,
                                  -1);
  menu_label = g_strdup_printf (_("Menu of %s"), gh_gateway_connection_get_name (connection));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gateway.confirm-fingerprint",
                                 attention == GH_GATEWAY_ATTENTION_PIN_CHANGED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gateway.enter-password",
                                 attention == GH_GATEWAY_ATTENTION_PASSWORD);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhGatewayRow *self = GH_GATEWAY_ROW (widget);

  for (guint i = 0; i < G_N_ELEMENTS (forwarded_actions); i++)
    if (g_str_equal (action_name, forwarded_actions[i].row_action))
      gtk_widget_activate_action (widget, forwarded_actions[i].window_action, "s",
                                  gh_gateway_connection_get_url (self->connection));
}

static void
popup_menu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gh_gateway_row_popup_menu (GH_GATEWAY_ROW (widget));
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      GhGatewayRow    *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gh_gateway_row_popup_menu (self);
}

static void
gh_gateway_row_constructed (GObject *object)
{
  GhGatewayRow *self = GH_GATEWAY_ROW (object);

  G_OBJECT_CLASS (gh_gateway_row_parent_class)->constructed (object);

  g_assert (GH_IS_GATEWAY_CONNECTION (self->connection));

  g_object_bind_property (self->connection, "name", self->name_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self->connection, "state", self->state_icon, "icon-name", G_BINDING_SYNC_CREATE,
                               state_to_string, NULL, (gpointer) gh_gateway_state_get_icon_name, NULL);
  g_object_bind_property_full (self->connection, "state", self->state_icon, "tooltip-text", G_BINDING_SYNC_CREATE,
                               state_to_string, NULL, (gpointer) gh_gateway_state_get_label, NULL);

  g_signal_connect_object (self->connection, "notify::state", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::name", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::attention", G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::state-message", G_CALLBACK (update_row), self,
                           G_CONNECT_SWAPPED);
  update_row (self);
}

static void
gh_gateway_row_dispose (GObject *object)
{
  GhGatewayRow *self = GH_GATEWAY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_GATEWAY_ROW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_gateway_row_parent_class)->dispose (object);
}

static void
gh_gateway_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhGatewayRow *self = GH_GATEWAY_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_gateway_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhGatewayRow *self = GH_GATEWAY_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_gateway_row_class_init (GhGatewayRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gh_gateway_row_constructed;
  object_class->dispose = gh_gateway_row_dispose;
  object_class->get_property = gh_gateway_row_get_property;
  object_class->set_property = gh_gateway_row_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         GH_TYPE_GATEWAY_CONNECTION,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-gateway-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GhGatewayRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, GhGatewayRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, GhGatewayRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, GhGatewayRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, GhGatewayRow, gateway_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_secondary_pressed);

  for (guint i = 0; i < G_N_ELEMENTS (forwarded_actions); i++)
    gtk_widget_class_install_action (widget_class, forwarded_actions[i].row_action, NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "gateway.menu", NULL, popup_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "gateway.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "gateway.menu", NULL);
}

static void
gh_gateway_row_init (GhGatewayRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
