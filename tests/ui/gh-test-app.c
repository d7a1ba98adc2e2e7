/* gh-test-app.c — the whole app in a test (see gh-test-app.h)
 *
 * No g_application_run(): the test drives the main context itself (it holds it, see
 * gh-test-gateway.h), so the app is registered and activated by hand, which is what
 * g_application_run() does first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-import-dialog.h"
#include "gh-service-editor.h"
#include "gh-services-page.h"
#include "gh-test-app.h"
#include "gh-test-widgets.h"

GhTestApp *
gh_test_app_new (GhTestGateway *gateway,
                 guint          timeout_seconds)
{
  GhTestApp *self = g_new0 (GhTestApp, 1);
  g_autoptr(GError) error = NULL;

  self->session = gh_test_ws_client_new (gateway, "/echo", timeout_seconds);
  g_assert_nonnull (self->session->connection);

  self->app = gh_application_new ();
  g_application_set_flags (G_APPLICATION (self->app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (self->app), NULL, &error));
  g_assert_no_error (error);
  /* What GtkApplication does for the app: its icons from its resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/gatehouse/Gatehouse/icons");
  g_application_activate (G_APPLICATION (self->app));
  self->window = GH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self->app)));
  g_assert_true (GH_IS_WINDOW (self->window));
  gtk_window_set_default_size (GTK_WINDOW (self->window), 1280, 800);
  GH_TEST_WAIT_FOR (timeout_seconds, gtk_widget_get_mapped (GTK_WIDGET (self->window)), "the window");

  self->connection = gh_gateway_connection_new ("Lab", gateway->admin_url, gateway->identity_path,
                                                gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (self->connection, gateway->password, FALSE);
  gh_window_add_gateway (self->window, self->connection);
  GH_TEST_WAIT_FOR (timeout_seconds,
                    gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED,
                    "the connection");
  return self;
}

void
gh_test_app_free (GhTestApp *self)
{
  g_clear_object (&self->connection);
  gtk_window_destroy (GTK_WINDOW (self->window));
  gh_test_drain ();
  g_clear_object (&self->app);
  gh_test_ws_client_free (self->session, 10);
  g_free (self);
}

static gboolean
spinner_shown (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (ADW_IS_SPINNER (widget) || (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget))))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (spinner_shown (child))
      return TRUE;
  return FALSE;
}

void
gh_test_app_settle (GtkWidget *root,
                    guint      timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_seconds, gh_test_on_timeout, &timed_out);

  gh_test_drain ();
  while (spinner_shown (root) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  gh_test_drain ();
}

/* The pages of the window mapped now: one, once a switch's transition is over. */
static guint
n_pages_mapped (GtkWidget *widget)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (g_str_has_prefix (type, "Gh") && g_str_has_suffix (type, "Page"))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += n_pages_mapped (child);
  return n;
}

void
gh_test_app_show_page (GhTestApp  *self,
                       const char *page,
                       guint       timeout_seconds)
{
  gh_window_set_page (self->window, page);
  GH_TEST_WAIT_FOR (timeout_seconds, n_pages_mapped (GTK_WIDGET (self->window)) == 1, "the page alone");
  gh_test_app_settle (GTK_WIDGET (self->window), timeout_seconds);
}

AdwDialog *
gh_test_app_wait_dialog (GhTestApp  *self,
                         const char *what,
                         guint       timeout_seconds)
{
  AdwApplicationWindow *window = ADW_APPLICATION_WINDOW (self->window);
  AdwDialog *dialog;

  GH_TEST_WAIT_FOR (timeout_seconds, adw_application_window_get_visible_dialog (window) != NULL, what);
  dialog = adw_application_window_get_visible_dialog (window);
  gh_test_app_settle (GTK_WIDGET (dialog), timeout_seconds);
  return dialog;
}

/* The editor, once presented; until then, services.new asked again whenever the page
 * can open one (it waits for the configuration and a connection not stale). */
static GtkWidget *
editor_presented (GhTestApp *self,
                  GtkWidget *page)
{
  g_autoptr(GPtrArray) editors = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (self->window), GH_TYPE_SERVICE_EDITOR, editors);
  if (editors->len > 0)
    return g_ptr_array_index (editors, 0);
  if (gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
      !gh_gateway_connection_get_stale (self->connection))
    gtk_widget_activate_action (page, "services.new", NULL);
  return NULL;
}

AdwDialog *
gh_test_app_new_service (GhTestApp *self,
                         guint      timeout_seconds)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  GtkWidget *editor = NULL;

  gh_test_app_show_page (self, "services", timeout_seconds);
  gh_test_collect (GTK_WIDGET (self->window), GH_TYPE_SERVICES_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  GH_TEST_WAIT_FOR (timeout_seconds, (editor = editor_presented (self, g_ptr_array_index (pages, 0))) != NULL,
                    "the service editor");
  gh_test_app_settle (editor, timeout_seconds);
  return ADW_DIALOG (editor);
}

void
gh_test_app_open_keystore (GhTestApp  *self,
                           const char *path,
                           guint       timeout_seconds)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gh_window_open_keystore (self->window, file);
  GH_TEST_WAIT_FOR (timeout_seconds, gh_window_get_keystore_page (self->window) != NULL &&
                    gtk_widget_get_mapped (GTK_WIDGET (gh_window_get_keystore_page (self->window))),
                    "the keystore page");
  GH_TEST_WAIT_FOR (timeout_seconds, n_pages_mapped (GTK_WIDGET (self->window)) == 1, "the page alone");
  gh_test_app_settle (GTK_WIDGET (self->window), timeout_seconds);
}

AdwDialog *
gh_test_app_import (GhTestApp  *self,
                    const char *path,
                    guint       timeout_seconds)
{
  GhAdminClient *client = gh_gateway_connection_get_client (self->connection);
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  gsize length = 0;
  AdwDialog *dialog;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  dialog = gh_import_dialog_new (client, g_bytes_new_take (g_steal_pointer (&contents), length), name,
                                 gh_test_config_version (client, timeout_seconds));
  adw_dialog_present (dialog, GTK_WIDGET (self->window));
  return gh_test_app_wait_dialog (self, "the import dialog", timeout_seconds);
}

void
gh_test_app_init_keep_going (int    *argc,
                             char ***argv)
{
  char **args = g_new0 (char *, *argc + 2);   /* kept for the run, as argv is */

  for (int i = 0; i < *argc; i++)
    args[i] = (*argv)[i];
  args[*argc] = (char *) "--keep-going";
  *argc += 1;
  *argv = args;
  gtk_test_init (argc, argv, NULL);
}

/* Visiting every page and dialog */

typedef enum {
  VISIT_PAGE,
  VISIT_KEYSTORE,
  VISIT_APP_ACTION,
  VISIT_ADD_GATEWAY,
  VISIT_SERVICE_EDITOR,
  VISIT_IMPORT,
  VISIT_KEYSTORE_PASSWORD,
} VisitKind;

typedef struct {
  GhTestApp      *app;
  char           *keystore_path;
  const char     *name;
  VisitKind       kind;
  GhTestAppVisit  visit;
  guint           timeout_seconds;
} Visit;

static void
visit_free (gpointer data)
{
  Visit *visit = data;

  g_free (visit->keystore_path);
  g_free (visit);
}

static void
run_visit (gconstpointer data)
{
  const Visit *visit = data;
  GhTestApp *self = visit->app;
  AdwDialog *dialog = NULL;

  switch (visit->kind)
    {
    case VISIT_PAGE:
      gh_test_app_show_page (self, visit->name, visit->timeout_seconds);
      visit->visit (GTK_WIDGET (self->window), visit->name, visit->name);
      return;
    case VISIT_KEYSTORE:
      gh_test_app_open_keystore (self, visit->keystore_path, visit->timeout_seconds);
      visit->visit (GTK_WIDGET (self->window), visit->name, NULL);
      return;
    case VISIT_APP_ACTION:
      g_action_group_activate_action (G_ACTION_GROUP (self->app), visit->name, NULL);
      dialog = gh_test_app_wait_dialog (self, visit->name, visit->timeout_seconds);
      break;
    case VISIT_ADD_GATEWAY:
      gh_window_show_add_gateway (self->window);
      dialog = gh_test_app_wait_dialog (self, visit->name, visit->timeout_seconds);
      break;
    case VISIT_SERVICE_EDITOR:
      dialog = gh_test_app_new_service (self, visit->timeout_seconds);
      break;
    case VISIT_IMPORT:
      dialog = gh_test_app_import (self, visit->keystore_path, visit->timeout_seconds);
      break;
    case VISIT_KEYSTORE_PASSWORD:
      gh_test_app_open_keystore (self, visit->keystore_path, visit->timeout_seconds);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gh_window_get_keystore_page (self->window)),
                                                 "keystore.change-password", NULL));
      dialog = gh_test_app_wait_dialog (self, visit->name, visit->timeout_seconds);
      break;
    }
  visit->visit (GTK_WIDGET (dialog), visit->name, NULL);
  adw_dialog_force_close (dialog);
  gh_test_drain ();
}

void
gh_test_app_add_visits (GhTestApp      *self,
                        const char     *prefix,
                        const char     *keystore_path,
                        GhTestAppVisit  visit,
                        guint           timeout_seconds)
{
  static const struct { const char *name; VisitKind kind; const char *group; } visits[] = {
    { "overview", VISIT_PAGE, "page" },
    { "services", VISIT_PAGE, "page" },
    { "certificates", VISIT_PAGE, "page" },
    { "trust", VISIT_PAGE, "page" },
    { "connections", VISIT_PAGE, "page" },
    { "audit", VISIT_PAGE, "page" },
    { "keystore", VISIT_KEYSTORE, "page" },
    { "add-gateway", VISIT_ADD_GATEWAY, "dialog" },
    { "preferences", VISIT_APP_ACTION, "dialog" },
    { "shortcuts", VISIT_APP_ACTION, "dialog" },
    { "about", VISIT_APP_ACTION, "dialog" },
    { "service-editor", VISIT_SERVICE_EDITOR, "dialog" },
    { "import", VISIT_IMPORT, "dialog" },
    { "keystore-password", VISIT_KEYSTORE_PASSWORD, "dialog" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (visits); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/%s", prefix, visits[i].group, visits[i].name);
      Visit *one = g_new0 (Visit, 1);

      one->app = self;
      one->keystore_path = g_strdup (keystore_path);
      one->name = visits[i].name;
      one->kind = visits[i].kind;
      one->visit = visit;
      one->timeout_seconds = timeout_seconds;
      g_test_add_data_func_full (path, one, run_visit, visit_free);
    }
}
