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
 * for the selected one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-add-gateway-dialog.h"
#include "gh-gateway-list.h"
#include "gh-overview-page.h"
#include "gh-services-page.h"
#include "gh-window.h"

struct _GhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GhGatewayList        *gateways;
  GhGatewayConnection  *selected;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage    *content_page;
  AdwViewStack         *stack;
  GtkStack             *content_stack;
  GtkListBox           *gateway_list;
  AdwBanner            *banner;
  GhOverviewPage       *overview_page;
  GhServicesPage       *services_page;
  GtkWidget            *header_switcher;
  GtkWidget            *switcher_bar;
};

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

static GMenuModel *
create_gateway_menu (GhGatewayConnection *connection)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  GVariant *target = g_variant_new_string (gh_gateway_connection_get_url (connection));
  g_autoptr(GMenuItem) item = NULL;

  g_variant_ref_sink (target);

  switch (gh_gateway_connection_get_attention (connection))
    {
    case GH_GATEWAY_ATTENTION_PIN_CHANGED:
      item = g_menu_item_new (_("_Confirm New Fingerprint…"), NULL);
      g_menu_item_set_action_and_target_value (item, "win.confirm-fingerprint", target);
      g_menu_append_item (section, item);
      g_clear_object (&item);
      break;
    case GH_GATEWAY_ATTENTION_PASSWORD:
      item = g_menu_item_new (_("_Enter Password…"), NULL);
      g_menu_item_set_action_and_target_value (item, "win.enter-password", target);
      g_menu_append_item (section, item);
      g_clear_object (&item);
      break;
    case GH_GATEWAY_ATTENTION_IDENTITY:
    case GH_GATEWAY_ATTENTION_NONE:
    default:
      break;
    }

  item = g_menu_item_new (_("Re_connect"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.reconnect-gateway", target);
  g_menu_append_item (section, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("Re_name…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.rename-gateway", target);
  g_menu_append_item (section, item);
  g_clear_object (&item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  section = g_menu_new ();
  item = g_menu_item_new (_("_Remove…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.remove-gateway", target);
  g_menu_append_item (section, item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  g_variant_unref (target);

  return G_MENU_MODEL (menu);
}

static void
update_gateway_row (GtkListBoxRow *row)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (row), "gh-connection");
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "gh-icon");
  GtkLabel *name = g_object_get_data (G_OBJECT (row), "gh-name");
  GtkLabel *detail = g_object_get_data (G_OBJECT (row), "gh-detail");
  GtkMenuButton *menu_button = g_object_get_data (G_OBJECT (row), "gh-menu-button");
  GhGatewayState state = gh_gateway_connection_get_state (connection);
  const char *state_label = gh_gateway_state_get_label (state);
  g_autofree char *spoken = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *menu_label = NULL;
  g_autoptr(GMenuModel) menu = NULL;
  static const char *state_classes[] = { "gh-state-connected", "gh-state-busy", "gh-state-error", "gh-state-warning" };

  gtk_label_set_text (name, gh_gateway_connection_get_name (connection));
  /* The address when live; otherwise the state, in words. */
  detail_text = g_strdup (state == GH_GATEWAY_STATE_CONNECTED || state == GH_GATEWAY_STATE_DISCONNECTED
                          ? gh_gateway_connection_get_url (connection) : state_label);
  gtk_label_set_text (detail, detail_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), gh_gateway_connection_get_state_message (connection) != NULL
                                                 ? gh_gateway_connection_get_state_message (connection)
                                                 : gh_gateway_connection_get_url (connection));

  gtk_image_set_from_icon_name (icon, gh_gateway_state_get_icon_name (state));
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), state_classes[i]);
  switch (state)
    {
    case GH_GATEWAY_STATE_CONNECTED:
      gtk_widget_add_css_class (GTK_WIDGET (icon), "gh-state-connected");
      break;
    case GH_GATEWAY_STATE_UNREACHABLE:
      gtk_widget_add_css_class (GTK_WIDGET (icon), "gh-state-error");
      break;
    case GH_GATEWAY_STATE_NEEDS_ATTENTION:
      gtk_widget_add_css_class (GTK_WIDGET (icon), "gh-state-warning");
      break;
    default:
      gtk_widget_add_css_class (GTK_WIDGET (icon), "gh-state-busy");
      break;
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (icon), state_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_label,
                                  -1);

  spoken = g_strdup_printf (_("%s, %s"), gh_gateway_connection_get_name (connection), state_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, gh_gateway_connection_get_url (connection),
                                  -1);

  menu_label = g_strdup_printf (_("Menu of %s"), gh_gateway_connection_get_name (connection));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
  menu = create_gateway_menu (connection);
  gtk_menu_button_set_menu_model (menu_button, menu);
}

static void
on_row_context (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkMenuButton   *menu_button)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_menu_button_popup (menu_button);
}

static gboolean
on_row_menu_key (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  gtk_menu_button_popup (g_object_get_data (G_OBJECT (widget), "gh-menu-button"));
  return TRUE;
}

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
  GhGatewayConnection *connection = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_add_css_class (icon, "gh-state-icon");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), detail);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Gateway Menu"));
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), menu_button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "gh-gateway-row");

  g_object_set_data_full (G_OBJECT (row), "gh-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data (G_OBJECT (row), "gh-icon", icon);
  g_object_set_data (G_OBJECT (row), "gh-name", name);
  g_object_set_data (G_OBJECT (row), "gh-detail", detail);
  g_object_set_data (G_OBJECT (row), "gh-menu-button", menu_button);

  /* Right click, and the Menu key or Shift+F10, open the row's menu. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_row_context), menu_button, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                                                          gtk_callback_action_new (on_row_menu_key, NULL, NULL)));
  gtk_widget_add_controller (row, shortcuts);

  g_signal_connect_object (connection, "notify::state", G_CALLBACK (update_gateway_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::name", G_CALLBACK (update_gateway_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::attention", G_CALLBACK (update_gateway_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::state-message", G_CALLBACK (update_gateway_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notice", G_CALLBACK (on_connection_notice), self, G_CONNECT_SWAPPED);
  update_gateway_row (GTK_LIST_BOX_ROW (row));

  return row;
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

static void
select_connection (GhWindow            *self,
                   GhGatewayConnection *connection)
{
  if (self->selected != connection)
    {
      if (self->selected != NULL)
        g_signal_handlers_disconnect_by_func (self->selected, update_banner, self);
      g_set_object (&self->selected, connection);
      if (connection != NULL)
        {
          g_signal_connect_object (connection, "notify::state", G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (connection, "notify::state-message", G_CALLBACK (update_banner), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (connection, "notify::name", G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (connection, "notify::stale", G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
        }
      gh_overview_page_set_connection (self->overview_page, connection);
      gh_services_page_set_connection (self->services_page, connection);
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

  select_connection (self, g_object_get_data (G_OBJECT (row), "gh-connection"));
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

/* Gateways: actions */

static GhGatewayConnection *
lookup_target (GhWindow *self,
               GVariant *parameter)
{
  const char *url = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  if (url[0] == '\0')
    return self->selected;

  return gh_gateway_list_lookup (self->gateways, url);
}

static void
on_gateway_added (GhWindow            *self,
                  GhGatewayConnection *connection)
{
  g_autofree char *text = g_strdup_printf (_("“%s” added"), gh_gateway_connection_get_name (connection));

  gh_window_select_gateway (self, connection);
  gh_window_add_toast (self, adw_toast_new (text));
}

GhAddGatewayDialog *
gh_window_show_add_gateway (GhWindow *self)
{
  GhAddGatewayDialog *dialog;

  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  dialog = gh_add_gateway_dialog_new (self->gateways);
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_gateway_added), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));

  return dialog;
}

static void
add_gateway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gh_window_show_add_gateway (GH_WINDOW (widget));
}

static void
reconnect_gateway_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GhGatewayConnection *connection = lookup_target (GH_WINDOW (widget), parameter);

  if (connection != NULL)
    gh_gateway_connection_reconnect (connection);
}

static void
on_rename_response (AdwAlertDialog *dialog,
                    const char     *response,
                    gpointer        user_data)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (dialog), "gh-connection");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "gh-entry");

  if (g_str_equal (response, "rename"))
    gh_gateway_connection_set_name (connection, gtk_editable_get_text (entry));
}

static GtkWidget *
boxed_row_list (GtkWidget *row)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  return list;
}

static void
rename_gateway_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection = lookup_target (self, parameter);
  AdwDialog *dialog;
  GtkWidget *entry;

  if (connection == NULL)
    return;

  dialog = adw_alert_dialog_new (_("Rename Gateway"), NULL);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog), _("The name shown for %s in Gatehouse."),
                                gh_gateway_connection_get_url (connection));
  entry = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (entry), gh_gateway_connection_get_name (connection));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (entry), TRUE);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), boxed_row_list (entry));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "rename", _("_Rename"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "rename");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "gh-entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_rename_response), NULL);
  adw_dialog_present (dialog, widget);
  gtk_widget_grab_focus (entry);
}

static void
on_remove_response (AdwAlertDialog *dialog,
                    const char     *response,
                    GhWindow       *self)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (dialog), "gh-connection");
  g_autofree char *text = NULL;

  if (!g_str_equal (response, "remove"))
    return;

  text = g_strdup_printf (_("“%s” removed"), gh_gateway_connection_get_name (connection));
  gh_gateway_connection_forget_password (connection);
  gh_gateway_list_remove (self->gateways, connection);
  gh_window_add_toast (self, adw_toast_new (text));
}

static void
remove_gateway_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection = lookup_target (self, parameter);
  AdwDialog *dialog;

  if (connection == NULL)
    return;

  dialog = adw_alert_dialog_new (NULL, NULL);
  adw_alert_dialog_format_heading (ADW_ALERT_DIALOG (dialog), _("Remove “%s”?"),
                                   gh_gateway_connection_get_name (connection));
  adw_alert_dialog_set_body (ADW_ALERT_DIALOG (dialog),
                             _("Gatehouse forgets this gateway, its pinned certificate and the identity’s password "
                               "in the keyring. The gateway itself and the identity file stay as they are."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "remove", _("_Remove"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  adw_dialog_present (dialog, widget);
}

static void
on_confirm_fingerprint_response (AdwAlertDialog *dialog,
                                 const char     *response,
                                 gpointer        user_data)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (dialog), "gh-connection");
  const char *new_pin = g_object_get_data (G_OBJECT (dialog), "gh-new-pin");

  if (g_str_equal (response, "trust"))
    gh_gateway_connection_set_pin (connection, new_pin);
}

static void
confirm_fingerprint_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection = lookup_target (self, parameter);
  const char *new_pin;
  g_autofree char *was = NULL, *now = NULL;
  AdwDialog *dialog;
  GtkWidget *box, *label;

  if (connection == NULL ||
      gh_gateway_connection_get_attention (connection) != GH_GATEWAY_ATTENTION_PIN_CHANGED)
    return;

  new_pin = gh_gateway_connection_get_new_pin (connection);
  if (new_pin == NULL)
    {
      /* Not read yet: try again, which reads it. */
      gh_gateway_connection_reconnect (connection);
      return;
    }

  was = gh_format_fingerprint_for_reading (gh_gateway_connection_get_pin (connection));
  now = gh_format_fingerprint_for_reading (new_pin);
  dialog = adw_alert_dialog_new (_("Trust the New Certificate?"), NULL);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                _("The admin certificate of %s changed. Trust the new one only if you expected it "
                                  "(the gateway was set up again) and its fingerprint is the one gatehoused init "
                                  "printed; otherwise something may be between you and the gateway."),
                                gh_gateway_connection_get_name (connection));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("Pinned until now"));
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (was);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gh_gateway_connection_get_pin (connection), -1);
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (_("Shown now"));
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (now);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, new_pin, -1);
  gtk_box_append (GTK_BOX (box), label);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), box);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "trust", _("_Trust New Certificate"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "trust", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "gh-new-pin", g_strdup (new_pin), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_fingerprint_response), NULL);
  adw_dialog_present (dialog, widget);
}

static void
on_password_response (AdwAlertDialog *dialog,
                      const char     *response,
                      GhWindow       *self)
{
  GhGatewayConnection *connection = g_object_get_data (G_OBJECT (dialog), "gh-connection");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "gh-entry");

  if (g_str_equal (response, "connect"))
    {
      gh_gateway_connection_set_password (connection, gtk_editable_get_text (entry),
                                          g_settings_get_boolean (self->settings, "remember-passwords"));
      gh_gateway_connection_reconnect (connection);
    }
  gtk_editable_set_text (entry, "");
}

static void
enter_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhGatewayConnection *connection = lookup_target (self, parameter);
  AdwDialog *dialog;
  GtkWidget *entry;

  if (connection == NULL)
    return;

  dialog = adw_alert_dialog_new (_("Identity Password"), NULL);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                _("The password of the admin identity %s, for %s. gatehoused init wrote it to "
                                  "gatehouse-admin.pw."),
                                gh_gateway_connection_get_identity_path (connection),
                                gh_gateway_connection_get_name (connection));
  entry = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Password"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (entry), TRUE);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), boxed_row_list (entry));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "connect", _("C_onnect"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "connect", ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "connect");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "gh-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  adw_dialog_present (dialog, widget);
  gtk_widget_grab_focus (entry);
}

static void
on_visible_page_changed (GhWindow *self)
{
  AdwViewStackPage *page;
  GtkWidget *child = adw_view_stack_get_visible_child (self->stack);

  if (child == NULL)
    return;

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
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_data (self->selected, self);
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
  gtk_widget_class_bind_template_child (widget_class, GhWindow, header_switcher);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_gateway_row_selected);

  gtk_widget_class_install_property_action (widget_class, "win.page", "page");
  gtk_widget_class_install_action (widget_class, "win.add-gateway", NULL, add_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect-gateway", "s", reconnect_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.rename-gateway", "s", rename_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.remove-gateway", "s", remove_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-fingerprint", "s", confirm_fingerprint_action);
  gtk_widget_class_install_action (widget_class, "win.enter-password", "s", enter_password_action);
}

static void
gh_window_init (GhWindow *self)
{
  g_type_ensure (GH_TYPE_OVERVIEW_PAGE);
  g_type_ensure (GH_TYPE_SERVICES_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
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
}
