/* gh-services-page.c — the services of a gateway: the list and its state
 *
 * The list is the configuration's services (GET /config, with its version) joined
 * with their state and open sessions (GET /services), refreshed whenever the
 * connection reports a configuration change or a service's state, and kept live
 * between loads by the event stream's stats ticks. Each row is a GhServicesPageItem
 * (gh-services-page-item.c); what the page does to the services (new, edit, start,
 * stop, delete, undo) is gh-services-page-actions.c's, with the version the page
 * last read as the If-Match of every change.
 *
 * While the connection is not live, the page keeps the last list it had and its
 * actions are off. Actions the identity's role does not allow are off too, their
 * controls saying which role they need (gh-action-roles.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-services-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-accessible.h"
#include "gh-action-roles.h"
#include "gh-services-page-private.h"

G_DEFINE_FINAL_TYPE (GhServicesPage, gh_services_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_IDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GhAdminClient *
_gh_services_page_get_client (GhServicesPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_client (self->connection) : NULL;
}

gboolean
_gh_services_page_is_live (GhServicesPage *self)
{
  return _gh_services_page_get_client (self) != NULL &&
         gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
         !gh_gateway_connection_get_stale (self->connection);
}

GhServicesPageItem *
_gh_services_page_get_selected (GhServicesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* What the gateway lets each role do to services (docs/admin-api.md). */
static const GhActionRole action_roles[] = {
  { "services.new", GH_ADMIN_ROLE_ADMIN },
  { "services.edit", GH_ADMIN_ROLE_ADMIN },
  { "services.delete", GH_ADMIN_ROLE_ADMIN },
  { "services.undo", GH_ADMIN_ROLE_ADMIN },
  { "services.start", GH_ADMIN_ROLE_OPERATOR },
  { "services.stop", GH_ADMIN_ROLE_OPERATOR },
};

static void
set_enabled (GhServicesPage *self,
             const char     *action,
             GhAdminRole     role,
             gboolean        enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action,
                                 enabled && gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles), action, role));
}

void
_gh_services_page_update_actions (GhServicesPage *self)
{
  GhServicesPageItem *item = _gh_services_page_get_selected (self);
  gboolean live = _gh_services_page_is_live (self) && self->config != NULL;
  gboolean started = item != NULL && g_strcmp0 (gh_services_page_item_get_state (item), "started") == 0;
  gboolean stopped = item != NULL && g_strcmp0 (gh_services_page_item_get_state (item), "stopped") == 0;
  GhAdminRole role = self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;

  set_enabled (self, "services.new", role, live);
  set_enabled (self, "services.edit", role, live && item != NULL);
  set_enabled (self, "services.start", role, live && stopped);
  set_enabled (self, "services.stop", role, live && started);
  set_enabled (self, "services.delete", role, live && item != NULL);
  set_enabled (self, "services.undo", role, live && self->undo_to > 0);
  gh_action_roles_update_controls (GTK_WIDGET (self), action_roles, G_N_ELEMENTS (action_roles), role);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "services.refresh",
                                 _gh_services_page_get_client (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "services.menu", item != NULL);
}

static void
update_banner (GhServicesPage *self)
{
  /* The window says what is wrong with the connection; this says what it means here. */
  gboolean stale = self->connection != NULL && _gh_services_page_get_client (self) != NULL &&
                   !_gh_services_page_is_live (self) && self->config != NULL;

  if (stale)
    adw_banner_set_title (self->banner, _("Showing the services as last seen; changes are off until the gateway is back"));
  adw_banner_set_revealed (self->banner, stale);
}

static void
update_idle (GhServicesPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
}

void
_gh_services_page_add_toast (GhServicesPage *self,
                             AdwToast       *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_gh_services_page_toast_error (GhServicesPage *self,
                               const char     *what,
                               const GError   *error)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", what, error->message);
  AdwToast *toast = adw_toast_new (text);

  g_debug ("%s", text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 8);
  _gh_services_page_add_toast (self, toast);
}

/* Loads and changes under way keep the page from being idle. */
void
_gh_services_page_load_begin (GhServicesPage *self)
{
  self->loads++;
  update_idle (self);
}

void
_gh_services_page_load_done (GhServicesPage *self)
{
  g_assert (self->loads > 0);
  self->loads--;
  update_idle (self);
}

/* Loading */

typedef struct {
  GhServicesPage  *self;
  GhGatewayConfig *config;
  gint64           version;
  GListModel      *services;
  GError          *error;
  guint            pending;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_object (&load->config);
  g_clear_object (&load->services);
  g_clear_error (&load->error);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static GhApiService *
find_api_service (GListModel *services,
                  const char *name)
{
  for (guint i = 0; services != NULL && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhApiService) service = g_list_model_get_item (services, i);

      if (g_strcmp0 (gh_api_service_get_name (service), name) == 0)
        return g_steal_pointer (&service);
    }
  return NULL;
}

gboolean
_gh_services_page_select_name (GhServicesPage *self,
                               const char     *name)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; name != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhServicesPageItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gh_services_page_item_get_name (item), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
show_loaded (GhServicesPage *self,
             Load           *load)
{
  GListModel *services = gh_gateway_config_get_services (load->config);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GhServicesPageItem *selected = _gh_services_page_get_selected (self);
  g_autofree char *selected_name = selected != NULL ? g_strdup (gh_services_page_item_get_name (selected)) : NULL;

  g_set_object (&self->config, load->config);
  self->version = load->version;

  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) config = g_list_model_get_item (services, i);
      g_autoptr(GhApiService) service = find_api_service (load->services, gh_service_config_get_name (config));

      g_ptr_array_add (items, gh_services_page_item_new (config, service));
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);

  if (!_gh_services_page_select_name (self, selected_name) && items->len > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");
}

static void
load_finish (Load *load)
{
  GhServicesPage *self = load->self;

  if (--load->pending > 0)
    {
      /* Kept until the other half comes back. */
      return;
    }

  if (!g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (load->config != NULL)
        show_loaded (self, load);
      else if (self->config == NULL)
        {
          adw_status_page_set_title (self->error_status, _("Cannot Load the Services"));
          adw_status_page_set_description (self->error_status, load->error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        _gh_services_page_toast_error (self, _("The services could not be refreshed"), load->error);

      _gh_services_page_update_actions (self);
      update_banner (self);
    }
  _gh_services_page_load_done (self);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      _gh_services_page_refresh (self);
    }
  load_free (load);
}

static void
on_config_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->config = gh_admin_client_get_config_finish (GH_ADMIN_CLIENT (source), result, &load->version, &error);
  if (load->config == NULL && load->error == NULL)
    load->error = g_steal_pointer (&error);
  load_finish (load);
}

static void
on_services_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  /* Without the states the list still shows the configuration. */
  load->services = gh_admin_client_list_services_finish (GH_ADMIN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && load->error == NULL)
    load->error = g_steal_pointer (&error);
  load_finish (load);
}

void
_gh_services_page_refresh (GhServicesPage *self)
{
  GhAdminClient *client = _gh_services_page_get_client (self);
  Load *load;

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  gtk_widget_set_visible (self->toolbar, self->connection != NULL);
  if (client == NULL)
    {
      if (self->connection != NULL)
        {
          const char *message = gh_gateway_connection_get_state_message (self->connection);

          adw_status_page_set_title (self->error_status, _("Not Connected"));
          adw_status_page_set_description (self->error_status,
                                           message != NULL ? message : _("Connecting to the gateway…"));
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        gtk_stack_set_visible_child_name (self->stack, "none");
      _gh_services_page_update_actions (self);
      update_banner (self);
      return;
    }
  /* One load at a time; a change meanwhile loads again after it. */
  if (self->loads > 0)
    {
      self->refresh_again = TRUE;
      return;
    }

  if (self->config == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->pending = 2;
  _gh_services_page_load_begin (self);
  gh_admin_client_get_config_async (client, self->cancellable, on_config_loaded, load);
  gh_admin_client_list_services_async (client, self->cancellable, on_services_loaded, load);
}

static gboolean
refresh_cb (gpointer user_data)
{
  GhServicesPage *self = user_data;

  self->refresh_id = 0;
  _gh_services_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Events come in bursts (a change, then its services' states): one load for all. */
static void
queue_refresh (GhServicesPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (100, refresh_cb, self);
}

static void
on_config_changed (GhServicesPage *self,
                   gint64          version,
                   const char     *identity,
                   const char     *action)
{
  if (version != self->version)
    queue_refresh (self);
}

void
_gh_services_page_set_service_state (GhServicesPage *self,
                                     const char     *name,
                                     const char     *state)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(GhServicesPageItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (gh_services_page_item_get_name (item), name) == 0)
        gh_services_page_item_set_state (item, state, g_str_equal (state, "started") ? gh_services_page_item_get_sessions_open (item) : 0);
    }
  _gh_services_page_update_actions (self);
  queue_refresh (self);
}

/* Each stats tick: the live state and sessions of every service, without a reload. */
static void
on_stats_tick (GhServicesPage *self)
{
  GhApiStats *stats = self->events != NULL ? gh_event_stream_get_stats (self->events) : NULL;

  if (stats == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(GhServicesPageItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      GhApiServiceStats *service = gh_api_stats_lookup_service (stats, gh_services_page_item_get_name (item));

      if (service != NULL)
        gh_services_page_item_set_state (item, gh_api_service_stats_get_state (service),
                        gh_api_service_stats_get_sessions_open (service));
    }
}

static void
set_events (GhServicesPage *self,
            GhEventStream  *events)
{
  if (self->events == events)
    return;

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_data (gh_event_stream_get_stats_history (self->events), self);
  g_set_object (&self->events, events);
  if (events != NULL)
    g_signal_connect_object (gh_event_stream_get_stats_history (events), "items-changed",
                             G_CALLBACK (on_stats_tick), self, G_CONNECT_SWAPPED);
}

static void
on_events_changed (GhServicesPage *self)
{
  set_events (self, self->connection != NULL ? gh_gateway_connection_get_events (self->connection) : NULL);
}

static void
on_connection_state (GhServicesPage *self)
{
  _gh_services_page_update_actions (self);
  update_banner (self);
  /* Back: what happened meanwhile is not known. */
  if (_gh_services_page_is_live (self) || (self->config == NULL && self->loads == 0))
    queue_refresh (self);
}

/* The context menu: right click on a row, Menu or Shift+F10 on the selected one. */

static GtkWidget *
find_named_row (GtkWidget *widget,
                char     **name)
{
  for (GtkWidget *row = widget; row != NULL; row = gtk_widget_get_parent (row))
    {
      if (g_str_equal (gtk_widget_get_css_name (row), "row"))
        {
          /* The name column's first label names the service. */
          GtkWidget *stack[64];
          guint depth = 0;

          stack[depth++] = row;
          while (depth > 0)
            {
              GtkWidget *w = stack[--depth];

              if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "gh-service-name"))
                {
                  *name = g_strdup (gtk_label_get_label (GTK_LABEL (w)));
                  return row;
                }
              for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && depth < G_N_ELEMENTS (stack);
                   c = gtk_widget_get_next_sibling (c))
                stack[depth++] = c;
            }
          return NULL;
        }
      if (row == GTK_WIDGET (NULL))
        break;
    }
  return NULL;
}

static void
popup_menu_at (GhServicesPage *self,
               GtkWidget      *anchor,
               double          x,
               double          y)
{
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (self->row_menu);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }

  if (anchor != NULL && gtk_widget_compute_bounds (anchor, GTK_WIDGET (self), &bounds))
    {
      rect.x = x >= 0 ? (int) x : (int) bounds.origin.x + 12;
      rect.y = y >= 0 ? (int) y : (int) (bounds.origin.y + bounds.size.height);
    }
  else
    {
      rect.x = x >= 0 ? (int) x : 12;
      rect.y = y >= 0 ? (int) y : 12;
    }
  rect.width = rect.height = 1;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    GhServicesPage  *self)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GtkWidget *picked = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
  g_autofree char *name = NULL;
  GtkWidget *row = picked != NULL ? find_named_row (picked, &name) : NULL;
  graphene_point_t point;

  if (row == NULL || !_gh_services_page_select_name (self, name))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (!gtk_widget_compute_point (view, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  popup_menu_at (self, row, point.x, point.y);
}

static void
services_menu (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhServicesPage *self = GH_SERVICES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_autofree char *name = NULL;
  GtkWidget *row = focus != NULL ? find_named_row (focus, &name) : NULL;

  if (row == NULL && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)))
    row = focus;
  if (row != NULL && name != NULL)
    _gh_services_page_select_name (self, name);
  if (_gh_services_page_get_selected (self) == NULL)
    return;
  popup_menu_at (self, row, -1, -1);
}

/* Public */

GtkWidget *
gh_services_page_new (void)
{
  return g_object_new (GH_TYPE_SERVICES_PAGE, NULL);
}

void
gh_services_page_set_connection (GhServicesPage      *self,
                                 GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_SERVICES_PAGE (self));
  g_return_if_fail (connection == NULL || GH_IS_GATEWAY_CONNECTION (connection));

  if (self->connection == connection)
    return;

  set_events (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_again = FALSE;

  g_set_object (&self->connection, connection);
  g_signal_group_set_target (self->connection_signals, connection);
  g_clear_object (&self->config);
  self->version = 0;
  self->undo_to = self->undo_from = 0;
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_object (&self->undo_toast);
  g_list_store_remove_all (self->store);

  if (connection != NULL)
    set_events (self, gh_gateway_connection_get_events (connection));

  _gh_services_page_refresh (self);
  _gh_services_page_update_actions (self);
  update_banner (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

GhGatewayConnection *
gh_services_page_get_connection (GhServicesPage *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE (self), NULL);

  return self->connection;
}

GListModel *
gh_services_page_get_model (GhServicesPage *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE (self), NULL);

  return G_LIST_MODEL (self->selection);
}

gboolean
gh_services_page_select (GhServicesPage *self,
                         const char     *name)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE (self), FALSE);

  return _gh_services_page_select_name (self, name);
}

gboolean
gh_services_page_get_idle (GhServicesPage *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE (self), FALSE);

  return self->loads == 0 && self->refresh_id == 0 && !self->refresh_again;
}

/* GObject */

static void
on_selection_changed (GhServicesPage *self)
{
  _gh_services_page_update_actions (self);
}

static void
on_items_changed (GhServicesPage *self)
{
  const char *pending = g_object_get_data (G_OBJECT (self), "gh-select-after");

  if (pending != NULL && _gh_services_page_select_name (self, pending))
    g_object_set_data (G_OBJECT (self), "gh-select-after", NULL);
}

static void
gh_services_page_dispose (GObject *object)
{
  GhServicesPage *self = GH_SERVICES_PAGE (object);

  g_signal_group_set_target (self->connection_signals, NULL);
  set_events (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->undo_toast);
  /* The template's child is AdwBin's: let go of it there first, or AdwBin would
   * unparent it again after the template disposed of it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_SERVICES_PAGE);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_services_page_parent_class)->dispose (object);
}

static void
gh_services_page_finalize (GObject *object)
{
  GhServicesPage *self = GH_SERVICES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (gh_services_page_parent_class)->finalize (object);
}

static void
gh_services_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhServicesPage *self = GH_SERVICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_IDLE:
      g_value_set_boolean (value, gh_services_page_get_idle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_services_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhServicesPage *self = GH_SERVICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_services_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_services_page_class_init (GhServicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_services_page_dispose;
  object_class->finalize = gh_services_page_finalize;
  object_class->get_property = gh_services_page_get_property;
  object_class->set_property = gh_services_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_SERVICES_PAGE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-services-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, banner);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, row_menu);
  gtk_widget_class_bind_template_child (widget_class, GhServicesPage, toolbar);

  gtk_widget_class_install_action (widget_class, "services.menu", NULL, services_menu);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "services.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "services.menu", NULL);

  _gh_services_page_class_actions_init (klass);
}

static void
gh_services_page_init (GhServicesPage *self)
{
  GtkSortListModel *sorted;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The shown gateway: one group, retargeted by gh_services_page_set_connection(). */
  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "config-changed", G_CALLBACK (on_config_changed), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "service-state", G_CALLBACK (_gh_services_page_set_service_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::state", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::stale", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::events", G_CALLBACK (on_events_changed), self,
                                 G_CONNECT_SWAPPED);
  /* The identity's role comes with GET /info. */
  g_signal_group_connect_object (self->connection_signals, "notify::info", G_CALLBACK (_gh_services_page_update_actions),
                                 self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->store = g_list_store_new (GH_TYPE_SERVICES_PAGE_ITEM);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);

  /* The rows' list inside the column view is what takes the focus: it is the list of
   * services for assistive technologies too. */
  gh_accessible_name_inner (GTK_WIDGET (self->column_view), GTK_TYPE_LIST_VIEW, _("Services"));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_secondary_click), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (click));

  _gh_services_page_update_actions (self);
}
