/* gh-window.c — the main window
 *
 * A sidebar of gateways and local keystore files beside the pages of the selected
 * gateway (Overview, Services, Certificates, Trust, Connections, Audit). The `page`
 * property names the visible page; `win.page` is its action, with Alt+1…6.
 *
 * The gateways (GhGatewayList, from GSettings) fill the sidebar, each row with its
 * state; selecting one shows its pages. The banner says when the selected gateway is
 * not live (no modal dialogs); the per-gateway actions (reconnect, rename, remove,
 * confirm a changed fingerprint, enter the password) take the gateway's URL, or ""
 * for the selected one; they and their dialogs are in gh-window-actions.c.
 *
 * The window follows the selected gateway as Text Editor's follows its page: one
 * GSignalGroup (the banner) and one GBindingGroup (the title), both retargeted in
 * select_connection(). Each sidebar row is a GhGatewayRow bound to its gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-gateway-row.h"
#include "gh-window-private.h"

G_DEFINE_FINAL_TYPE (GhWindow, gh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GhWindow *
gh_window_new (AdwApplication *application)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);

  return g_object_new (GH_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * gh_window_get_page:
 * @self: a #GhWindow
 *
 * Returns: the name of the visible page: "overview", "services", "certificates",
 *   "trust", "connections" or "audit"
 */
const char *
gh_window_get_page (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  /* Asked by the page action's widgets while the template goes. */
  if (self->stack == NULL)
    return "overview";

  return adw_view_stack_get_visible_child_name (self->stack);
}

/**
 * gh_window_set_page:
 * @self: a #GhWindow
 * @page: the name of a page
 *
 * Shows @page; on a narrow window, this also leaves the sidebar for the page.
 * An unknown name is ignored with a warning.
 */
void
gh_window_set_page (GhWindow   *self,
                    const char *page)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, page) == NULL)
    {
      g_warning ("No page named “%s”", page);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, page);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

void
gh_window_add_toast (GhWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Gateways: the sidebar rows */

static void
on_connection_notice (GhWindow   *self,
                      const char *message)
{
  gh_window_add_toast (self, adw_toast_new (message));
}

static GtkWidget *
create_gateway_row (gpointer item,
                    gpointer user_data)
{
  GhWindow *self = user_data;

  /* A notice is worth a toast whichever gateway says it. */
  g_signal_connect_object (item, "notice", G_CALLBACK (on_connection_notice), self, G_CONNECT_SWAPPED);

  return gh_gateway_row_new (GH_GATEWAY_CONNECTION (item));
}

/* Gateways: the selected one */

static void
update_banner (GhWindow *self)
{
  GhGatewayConnection *connection = self->selected;
  GhGatewayState state = connection != NULL ? gh_gateway_connection_get_state (connection)
                                            : GH_GATEWAY_STATE_DISCONNECTED;
  const char *message = connection != NULL ? gh_gateway_connection_get_state_message (connection) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *target = NULL;

  switch (state)
    {
    case GH_GATEWAY_STATE_RECONNECTING:
      /* Short: the details are in the tooltip and the sidebar row's. */
      if (gh_gateway_connection_get_stale (connection))
        title = g_strdup_printf (_("Lost contact with “%s”: reconnecting; the pages show the last known data"),
                                 gh_gateway_connection_get_name (connection));
      else
        title = g_strdup_printf (_("No answer from “%s” yet: trying again"),
                                 gh_gateway_connection_get_name (connection));
      adw_banner_set_button_label (self->banner, _("_Retry Now"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner), "win.reconnect-gateway");
      break;
    case GH_GATEWAY_STATE_UNREACHABLE:
      title = g_strdup_printf (_("“%s” is unreachable; Gatehouse keeps trying. Is gatehoused running?"),
                               gh_gateway_connection_get_name (connection));
      adw_banner_set_button_label (self->banner, _("_Retry Now"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner), "win.reconnect-gateway");
      break;
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      title = g_strdup_printf ("%s — %s", gh_gateway_connection_get_name (connection),
                               message != NULL ? message : gh_gateway_state_get_label (state));
      switch (gh_gateway_connection_get_attention (connection))
        {
        case GH_GATEWAY_ATTENTION_PIN_CHANGED:
          adw_banner_set_button_label (self->banner, _("_Review…"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner), "win.confirm-fingerprint");
          break;
        case GH_GATEWAY_ATTENTION_PASSWORD:
          adw_banner_set_button_label (self->banner, _("_Enter Password…"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner), "win.enter-password");
          break;
        default:
          adw_banner_set_button_label (self->banner, _("_Retry"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner), "win.reconnect-gateway");
          break;
        }
      break;
    default:
      break;
    }

  if (title != NULL)
    adw_banner_set_title (self->banner, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner), title != NULL ? message : NULL);
  adw_banner_set_revealed (self->banner, title != NULL);
}

static gboolean
name_to_title (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  /* The window list and the task switcher tell the windows apart by their gateway. */
  g_value_take_string (to, g_strdup_printf (_("%s — Gatehouse"), g_value_get_string (from)));
  return TRUE;
}

static void
select_connection (GhWindow            *self,
                   GhGatewayConnection *connection)
{
  if (g_set_object (&self->selected, connection))
    {
      g_signal_group_set_target (self->selected_signals, connection);
      g_binding_group_set_source (self->selected_bindings, connection);
      if (connection == NULL)
        gtk_window_set_title (GTK_WINDOW (self), "Gatehouse");
      gh_overview_page_set_connection (self->overview_page, connection);
      gh_services_page_set_connection (self->services_page, connection);
      gh_connections_page_set_connection (self->connections_page, connection);
      gh_certificates_page_set_connection (self->certificates_page, connection);
      gh_trust_page_set_connection (self->trust_page, connection);
      gh_audit_page_set_connection (self->audit_page, connection);
    }

  gtk_stack_set_visible_child_name (self->content_stack, connection != NULL ? "gateway" : "empty");
  /* No gateway, no pages to switch between. */
  gtk_widget_set_visible (GTK_WIDGET (self->header_switcher), connection != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), connection != NULL);
  update_banner (self);
}

static void
on_gateway_row_selected (GhWindow      *self,
                         GtkListBoxRow *row)
{
  if (row == NULL)
    return;  /* keep showing the last selected until another is chosen */

  _gh_window_keystores_unselect (self);
  select_connection (self, gh_gateway_row_get_connection (GH_GATEWAY_ROW (row)));
}

static void
on_gateways_changed (GhWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->gateways));

  if (self->selected != NULL && gh_gateway_list_find (self->gateways, self->selected, NULL))
    return;

  if (n == 0)
    {
      select_connection (self, NULL);
      return;
    }

  gtk_list_box_select_row (self->gateway_list, gtk_list_box_get_row_at_index (self->gateway_list, 0));
}

GhGatewayList *
gh_window_get_gateways (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return self->gateways;
}

GhGatewayConnection *
gh_window_get_selected_gateway (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return self->selected;
}

void
gh_window_select_gateway (GhWindow            *self,
                          GhGatewayConnection *connection)
{
  guint position;

  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (connection));

  if (!gh_gateway_list_find (self->gateways, connection, &position))
    return;

  gtk_list_box_select_row (self->gateway_list, gtk_list_box_get_row_at_index (self->gateway_list, (int) position));
}

/**
 * gh_window_add_gateway:
 * @self: a #GhWindow
 * @connection: a gateway (persistent or for this run only)
 *
 * Adds @connection to the sidebar, starts it and selects it. When a gateway with the
 * same URL is there already, that one is selected instead.
 */
void
gh_window_add_gateway (GhWindow            *self,
                       GhGatewayConnection *connection)
{
  GhGatewayConnection *existing;

  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (GH_IS_GATEWAY_CONNECTION (connection));

  existing = gh_gateway_list_lookup (self->gateways, gh_gateway_connection_get_url (connection));
  if (existing == NULL)
    {
      gh_gateway_list_add (self->gateways, connection);
      gh_gateway_connection_start (connection);
      existing = connection;
    }
  gh_window_select_gateway (self, existing);
}

GhOverviewPage *
gh_window_get_overview_page (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return self->overview_page;
}

const char *
gh_window_get_banner_title (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return adw_banner_get_revealed (self->banner) ? adw_banner_get_title (self->banner) : NULL;
}

/* At phone width the bottom bar holds five pages: Trust is in it only while shown.
 * (A breakpoint setter hiding it would also make the stack leave it.) */
static void
update_trust_in_bar (GhWindow *self)
{
  GtkWidget *trust = GTK_WIDGET (self->trust_page);

  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, trust),
                                   !self->phone_width || adw_view_stack_get_visible_child (self->stack) == trust);
}

static void
on_phone_width_applied (GhWindow *self)
{
  self->phone_width = TRUE;
  update_trust_in_bar (self);
}

static void
on_phone_width_unapplied (GhWindow *self)
{
  self->phone_width = FALSE;
  update_trust_in_bar (self);
}

static void
on_visible_page_changed (GhWindow *self)
{
  AdwViewStackPage *page;
  GtkWidget *child = adw_view_stack_get_visible_child (self->stack);

  if (child == NULL)
    return;

  update_trust_in_bar (self);

  /* The content's title when the header has no room for the view switcher. */
  page = adw_view_stack_get_page (self->stack, child);
  adw_navigation_page_set_title (self->content_page, adw_view_stack_page_get_title (page));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
restore_window_state (GhWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");
  g_autofree char *page = g_settings_get_string (self->settings, "last-page");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (adw_view_stack_get_child_by_name (self->stack, page) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, page);
}

static gboolean
gh_window_close_request (GtkWindow *window)
{
  GhWindow *self = GH_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_string (self->settings, "last-page", gh_window_get_page (self));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (gh_window_parent_class)->close_request (window);
}

static void
gh_window_dispose (GObject *object)
{
  GhWindow *self = GH_WINDOW (object);

  if (self->gateways != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gateways, self);
      gh_gateway_list_stop_all (self->gateways);
    }
  g_signal_group_set_target (self->selected_signals, NULL);
  g_binding_group_set_source (self->selected_bindings, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_WINDOW);
  g_clear_object (&self->selected);
  g_clear_object (&self->gateways);

  G_OBJECT_CLASS (gh_window_parent_class)->dispose (object);
}

static void
gh_window_finalize (GObject *object)
{
  GhWindow *self = GH_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->selected_signals);
  g_clear_object (&self->selected_bindings);

  G_OBJECT_CLASS (gh_window_parent_class)->finalize (object);
}

static void
gh_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GhWindow *self = GH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_string (value, gh_window_get_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GhWindow *self = GH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      gh_window_set_page (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_window_class_init (GhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gh_window_dispose;
  object_class->finalize = gh_window_finalize;
  object_class->get_property = gh_window_get_property;
  object_class->set_property = gh_window_set_property;

  window_class->close_request = gh_window_close_request;

  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL,
                         "overview",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, content_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, gateway_list);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, services_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, connections_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, certificates_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, trust_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, audit_page);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, header_switcher);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_width_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_width_unapplied);
  gtk_widget_class_bind_template_callback (widget_class, on_gateway_row_selected);

  gtk_widget_class_install_property_action (widget_class, "win.page", "page");
  _gh_window_class_actions_init (klass);
  _gh_window_class_keystores_init (klass);
  _gh_window_class_help_init (klass);
}

static void
gh_window_init (GhWindow *self)
{
  g_type_ensure (GH_TYPE_OVERVIEW_PAGE);
  g_type_ensure (GH_TYPE_SERVICES_PAGE);
  g_type_ensure (GH_TYPE_CONNECTIONS_PAGE);
  g_type_ensure (GH_TYPE_CERTIFICATES_PAGE);
  g_type_ensure (GH_TYPE_TRUST_PAGE);
  g_type_ensure (GH_TYPE_AUDIT_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);

  /* The selected gateway: its banner and the window's title follow it. */
  self->selected_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_object (self->selected_signals, "notify::state", G_CALLBACK (update_banner), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selected_signals, "notify::state-message", G_CALLBACK (update_banner), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selected_signals, "notify::name", G_CALLBACK (update_banner), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selected_signals, "notify::stale", G_CALLBACK (update_banner), self,
                                 G_CONNECT_SWAPPED);
  self->selected_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->selected_bindings, "name", self, "title", G_BINDING_SYNC_CREATE,
                             name_to_title, NULL, NULL, NULL);
  restore_window_state (self);
  on_visible_page_changed (self);

  /* Every banner action acts on the selected gateway (""); set before any name. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->banner), "s", "");

  self->gateways = gh_gateway_list_new (self->settings);
  gtk_list_box_bind_model (self->gateway_list, G_LIST_MODEL (self->gateways), create_gateway_row, self, NULL);
  g_signal_connect_object (self->gateways, "items-changed", G_CALLBACK (on_gateways_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  on_gateways_changed (self);
  gh_gateway_list_start_all (self->gateways);
  _gh_window_init_keystores (self);
}
