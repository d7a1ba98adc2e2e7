/* gh-test-widgets.c — widget helpers of the UI tests (see gh-test-widgets.h)
 *
 * The accessibility check reads what GTK tells assistive technologies: the tests set
 * GTK_A11Y=test so that the test backend keeps the properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "gh-gateway-connection.h"
#include "gh-window.h"
#include "gh-test-widgets.h"
#include "gh-test-gateway.h"

void
gh_test_collect (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    gh_test_collect (child, type, found);
}

/* Accessible names: every widget one can focus or activate is named, by its label
 * property, a label relation, or the text it shows (buttons, rows). */

static gboolean
shows_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gh_test_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      if (text != NULL && *text != '\0' && gtk_widget_get_visible (g_ptr_array_index (labels, i)))
        return TRUE;
    }
  return FALSE;
}

static void
check_accessible_names (GtkWidget *widget,
                        GPtrArray *unnamed)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  /* The sheet a dialog floats on: the dialog names it (its title). */
  if (gtk_widget_get_parent (widget) != NULL &&
      g_str_equal (G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), "AdwFloatingSheet") &&
      g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwGizmo"))
    goto children;

  if (gtk_widget_get_mapped (widget) && gtk_widget_get_focusable (widget) && gtk_widget_get_can_focus (widget) &&
      !GTK_IS_SCROLLED_WINDOW (widget) && !GTK_IS_VIEWPORT (widget) &&
      !GTK_IS_POPOVER (widget) && !GTK_IS_WINDOW (widget) &&
      g_strcmp0 (gtk_widget_get_css_name (widget), "row") != 0 &&   /* a list item: named by its cells */
      g_strcmp0 (gtk_widget_get_css_name (widget), "cell") != 0)
    {
      GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
      gboolean named = gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                       gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
                       ((GTK_IS_BUTTON (widget) || GTK_IS_LIST_BOX_ROW (widget) || GTK_IS_CHECK_BUTTON (widget) ||
                         GTK_IS_MENU_BUTTON (widget)) && shows_text (widget));

      /* The text of an entry row is named by the row's title. */
      if (!named && GTK_IS_TEXT (widget))
        for (GtkWidget *up = widget; up != NULL; up = gtk_widget_get_parent (up))
          if (ADW_IS_ENTRY_ROW (up) || ADW_IS_SPIN_ROW (up))
            named = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (up)) != NULL &&
                    *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (up)) != '\0';

      if (!named)
        {
          g_autoptr(GString) where = g_string_new (G_OBJECT_TYPE_NAME (widget));

          for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
            {
              g_string_append_printf (where, " < %s", G_OBJECT_TYPE_NAME (up));
              if (ADW_IS_PREFERENCES_ROW (up))
                {
                  g_string_append_printf (where, " “%s”", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (up)));
                  break;
                }
            }
          g_ptr_array_add (unnamed, g_string_free (g_steal_pointer (&where), FALSE));
        }
    }

children:
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, unnamed);
}

void
gh_test_assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  check_accessible_names (root, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_printerr ("# without an accessible name: %s\n", (char *) g_ptr_array_index (unnamed, i));
  g_assert_cmpuint (unnamed->len, ==, 0);
}
/* Screenshots */

void
gh_test_save_png (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("GATEHOUSE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;

  gh_test_drain ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot,
                             &(GdkRGBA) { adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.14 : 0.98,
                                          adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.14 : 0.98,
                                          adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.16 : 0.98, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
  g_printerr ("# saved %s\n", path);
}

void
gh_test_resize (GtkWindow *window,
                int        width,
                int        height)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  int default_width = 0, default_height = 0;
  int frame_width = 0, frame_height = 0;

  /* The default size counts the frame an X11 window draws itself (its resize borders):
   * the window's content is @width wide with the frame added to it. */
  gtk_window_get_default_size (window, &default_width, &default_height);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)) && default_width > 0 && default_height > 0)
    {
      frame_width = MAX (default_width - gtk_widget_get_width (GTK_WIDGET (window)), 0);
      frame_height = MAX (default_height - gtk_widget_get_height (GTK_WIDGET (window)), 0);
    }
  gtk_window_set_default_size (window, width + frame_width, height + frame_height);
  while (g_get_monotonic_time () < deadline &&
         (gtk_widget_get_width (GTK_WIDGET (window)) != width))
    g_main_context_iteration (NULL, FALSE);
  /* Let the breakpoints and layout settle. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

void
gh_test_screenshots (GtkWindow  *window,
                     const char *what,
                     GtkWidget  *widget)
{
  const struct { const char *name; AdwColorScheme scheme; int width; int height; } shots[] = {
    { "light-1280", ADW_COLOR_SCHEME_FORCE_LIGHT, 1280, 800 },
    { "dark-1280", ADW_COLOR_SCHEME_FORCE_DARK, 1280, 800 },
    { "light-360", ADW_COLOR_SCHEME_FORCE_LIGHT, 360, 720 },
    { "dark-360", ADW_COLOR_SCHEME_FORCE_DARK, 360, 720 },
  };

  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.png", what, shots[i].name);

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), shots[i].scheme);
      gh_test_resize (window, shots[i].width, shots[i].height);
      gh_test_save_png (widget != NULL ? widget : GTK_WIDGET (window), name);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gh_test_resize (window, 1280, 800);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

gboolean
gh_test_label_shown (GtkWidget  *root,
                     const char *part)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gh_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (strstr (gtk_label_get_text (GTK_LABEL (label)), part) != NULL && gtk_widget_get_mapped (label))
        return TRUE;
    }
  return FALSE;
}

/**
 * gh_test_destroy_window:
 * @window: a presented window
 *
 * Destroys @window once it has drawn a frame. GDK's X11 backend freezes a surface's
 * frame clock while it waits for the X server (a configure, a frame); a surface
 * destroyed meanwhile trips a critical when the answer comes (`_gdk_frame_clock_
 * uninhibit_freeze`). A frame drawn means no such wait is left. Gives up waiting after
 * 5 s and destroys anyway.
 */
void
gh_test_destroy_window (GtkWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gboolean painted = FALSE;

  if (clock != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

      gtk_widget_queue_draw (GTK_WIDGET (window));
      while (!painted && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      g_signal_handler_disconnect (clock, id);
    }
  gtk_window_destroy (window);
  gh_test_drain ();
}

/**
 * gh_test_connect:
 * @gateway: a started test gateway
 * @timeout_seconds: how long to wait
 *
 * A connection to @gateway as the window makes one, with the admin identity that
 * `gatehoused init` wrote, and connected (failing the test otherwise).
 *
 * Returns: (transfer full): the connection
 */
GhGatewayConnection *
gh_test_connect (GhTestGateway *gateway,
                 guint          timeout_seconds)
{
  GhGatewayConnection *connection = gh_gateway_connection_new ("test gateway", gateway->admin_url,
                                                               gateway->identity_path, gateway->fingerprint, FALSE);

  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_gateway_connection_start (connection);
  GH_TEST_WAIT_FOR (timeout_seconds, gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED,
                    "the connection");
  return connection;
}

/**
 * gh_test_window_for_page:
 * @page: a page of the app
 * @timeout_seconds: how long to wait
 *
 * Returns: (transfer none): a 1280×800 window showing @page, presented and mapped
 */
AdwWindow *
gh_test_window_for_page (GtkWidget *page,
                         guint      timeout_seconds)
{
  AdwWindow *window = ADW_WINDOW (adw_window_new ());

  adw_window_set_content (window, page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  GH_TEST_WAIT_FOR (timeout_seconds, gtk_widget_get_mapped (page), "the window");
  return window;
}


GtkWidget *
gh_test_window_open (GhTestGateway *gateway,
                     const char    *page_name,
                     gboolean     (*ready) (GtkWidget *window),
                     guint          timeout_seconds)
{
  g_autoptr(GhGatewayConnection) connection = NULL;
  GtkWidget *window;

  /* What GtkApplication does for the app: its icons from its resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/gatehouse/Gatehouse/icons");
  window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  gtk_window_present (GTK_WINDOW (window));
  /* A connection of its own: the window stops its gateways when it goes. */
  connection = gh_gateway_connection_new ("Lab", gateway->admin_url, gateway->identity_path,
                                          gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_window_add_gateway (GH_WINDOW (window), connection);
  gh_window_set_page (GH_WINDOW (window), page_name);
  GH_TEST_WAIT_FOR (timeout_seconds,
                    gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED && ready (window),
                    "the window's page");
  gh_test_drain ();
  return window;
}

GtkWidget *
gh_test_window_page_shown (GtkWidget *window,
                           GType      page_type)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  gh_test_collect (window, page_type, pages);
  if (pages->len != 1 || !gtk_widget_get_mapped (g_ptr_array_index (pages, 0)))
    return NULL;
  gh_test_collect (window, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (g_ptr_array_index (stacks, i)))
      return NULL;
  return g_ptr_array_index (pages, 0);
}

void
gh_test_window_close (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gh_test_drain ();
  g_object_unref (window);
}

void
gh_test_window_screenshot (GhTestGateway *gateway,
                           const char    *page_name,
                           gboolean     (*ready) (GtkWidget *window),
                           const char    *file,
                           guint          timeout_seconds)
{
  GtkWidget *window;

  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("no GATEHOUSE_SCREENSHOT_DIR");
      return;
    }

  window = gh_test_window_open (gateway, page_name, ready, timeout_seconds);
  gh_test_save_png (window, file);
  gh_test_window_close (window);
}

gint64
gh_test_config_version (GhAdminClient *client,
                        guint          timeout_seconds)
{
  g_autoptr(GAsyncResult) result = GH_TEST_RUN (timeout_seconds, gh_admin_client_get_config_async, client);
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  g_autoptr(GhGatewayConfig) config = gh_admin_client_get_config_finish (client, result, &version, &error);

  g_assert_no_error (error);
  return version;
}

gint64
gh_test_rename_gateway (GhAdminClient  *client,
                        const char     *name,
                        gint64          if_match,
                        guint           timeout_seconds,
                        GError        **error)
{
  g_autoptr(GAsyncResult) got = GH_TEST_RUN (timeout_seconds, gh_admin_client_get_config_async, client);
  g_autoptr(GAsyncResult) put = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 version = 0, new_version = 0;
  g_autoptr(GhGatewayConfig) config = gh_admin_client_get_config_finish (client, got, &version, &local_error);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GhGatewayConfig) changed = NULL;
  JsonObject *root;

  g_assert_no_error (local_error);
  json = gh_gateway_config_to_json (config);
  root = json_node_get_object (json);
  if (!json_object_has_member (root, "properties"))
    json_object_set_object_member (root, "properties", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (root, "properties"), "name", name);
  text = json_to_string (json, FALSE);
  changed = gh_gateway_config_new_from_data (text, -1, &local_error);
  g_assert_no_error (local_error);
  put = GH_TEST_RUN (timeout_seconds, gh_admin_client_put_config_async, client, changed,
                     if_match > 0 ? if_match : version);
  gh_admin_client_put_config_finish (client, put, &new_version, error);
  return new_version;
}

gpointer
gh_test_find_titled_row (GtkWidget  *root,
                         GType       type,
                         const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gh_test_collect (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no row “%s”", title);
  return NULL;
}
