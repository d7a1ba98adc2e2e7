/* gh-window.c — the main window
 *
 * A sidebar of gateways and local keystore files beside the pages of the selected
 * gateway (Overview, Services, Certificates, Trust, Connections, Audit). The `page`
 * property names the visible page; `win.page` is its action, with Alt+1…6.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-window.h"

struct _GhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage    *content_page;
  AdwViewStack         *stack;
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

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_WINDOW);

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
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);

  gtk_widget_class_install_property_action (widget_class, "win.page", "page");
}

static void
gh_window_init (GhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  restore_window_state (self);
  on_visible_page_changed (self);
}
