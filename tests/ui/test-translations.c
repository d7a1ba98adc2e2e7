/* test-translations.c — the app in German (LANGUAGE=de) against a real gatehoused:
 * every page and every dialog one can open without changing anything, each string
 * they show judged against po/de.po
 *
 * The app runs as users start it (GhApplication registered and activated, the gateway
 * added to its window); the catalogue is the build's .mo, bound as the installed one
 * would be. What is shown is read where GTK keeps it: labels, tooltips, placeholders,
 * titles of windows, dialogs and pages, column titles, the menus' models and the
 * choices of drop-downs. A string fails when the catalogue has a German translation
 * for it that is not shown, when the catalogue has it without German yet, or when it
 * is English the catalogue does not have at all (not marked). The gateway's own
 * strings (every string its API answers, the test's names for things) and what the
 * locale formats are data, not findings (see gh-test-catalogue.c).
 *
 * Each page is a subtest that reports its findings and their count (all of them run,
 * --keep-going); the count in all comes last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "gh-test-app.h"
#include "gh-test-catalogue.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT 60

static GhTestGateway *gateway;
static GhTestApp *the_app;
static GhTestCatalogue *catalogue;
static guint n_findings_in_all;

/* Data: what the gateway says */

/* Every string the API answers, but the values of its enumerations (a session's
 * state, a finding's kind and severity): words of the contract, which the app must put
 * in words of its own, not data. */
static void
add_json_strings (const char *member_name,
                  JsonNode   *node)
{
  static const char * const enumerations[] = { "state", "status", "kind", "severity", NULL };

  if (node == NULL)
    return;
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          add_json_strings (name, member);
      }
      break;
    case JSON_NODE_ARRAY:
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        add_json_strings (member_name, json_array_get_element (json_node_get_array (node), i));
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING &&
          (member_name == NULL || !g_strv_contains (enumerations, member_name)))
        gh_test_catalogue_add_data (catalogue, json_node_get_string (node));
      break;
    case JSON_NODE_NULL:
      break;
    }
}

static void
add_gateway_data (void)
{
  static const char *paths[] = {
    "info", "stats", "config", "config/versions", "services", "services/echo", "services/echo/tls",
    "keystore", "truststore", "sessions", "audit",
  };
  GhAdminClient *client = gh_gateway_connection_get_client (the_app->connection);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GAsyncResult) result = GH_TEST_RUN (TIMEOUT, gh_admin_client_request_async, client, "GET", paths[i],
                                                    NULL, 0);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gh_admin_client_request_finish (client, result, NULL, &error);

      g_assert_no_error (error);
      add_json_strings (NULL, node);
    }
  /* The names the test gave, and where the gateway's files are. */
  gh_test_catalogue_add_data (catalogue, "Lab");
  gh_test_catalogue_add_data (catalogue, gateway->admin_url);
  gh_test_catalogue_add_data (catalogue, gateway->dir);
  gh_test_catalogue_add_data (catalogue, gateway->fingerprint);
  /* The file the test opens and imports. */
  gh_test_catalogue_add_data (catalogue, "ca.pem");
}

/* What the locale formats: month and day names, GLib's size units. */
static void
add_locale_data (void)
{
  static const guint64 sizes[] = { 1, 2, 2000, 2000000, 2000000000 };
  g_autoptr(GRegex) number = g_regex_new ("[0-9.,]+", 0, 0, NULL);

  for (int month = 1; month <= 12; month++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_utc (2026, month, month, 12, 0, 0);
      static const char *formats[] = { "%b", "%B", "%a", "%A", "%p" };

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_autofree char *text = g_date_time_format (day, formats[i]);

          gh_test_catalogue_add_data (catalogue, text);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *text = g_format_size (sizes[i]);
      g_autofree char *unit = g_regex_replace_literal (number, text, -1, 0, "", 0, NULL);

      gh_test_catalogue_add_data (catalogue, unit);
    }
}

/* Collecting what is shown */

typedef struct {
  GPtrArray *where;
  GPtrArray *text;
} Shown;

static char *
describe (GtkWidget  *widget,
          const char *kind)
{
  g_autoptr(GString) where = g_string_new (G_OBJECT_TYPE_NAME (widget));
  const char *id = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;

  if (id != NULL)
    g_string_append_printf (where, "#%s", id);
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    {
      const char *up_id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (up));

      if (id == NULL && up_id != NULL)
        {
          g_string_append_printf (where, " in #%s", up_id);
          id = up_id;
        }
      if (g_str_has_prefix (G_OBJECT_TYPE_NAME (up), "Gh"))
        {
          g_string_append_printf (where, " of %s", G_OBJECT_TYPE_NAME (up));
          break;
        }
    }
  g_string_append_printf (where, " (%s)", kind);
  return g_string_free (g_steal_pointer (&where), FALSE);
}

static void
shown_add (Shown      *shown,
           GtkWidget  *widget,
           const char *kind,
           const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  g_ptr_array_add (shown->where, describe (widget, kind));
  g_ptr_array_add (shown->text, g_strdup (text));
}

static void
collect_menu (Shown      *shown,
              GtkWidget  *owner,
              GMenuModel *model)
{
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      g_autofree char *label = NULL;
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        shown_add (shown, owner, "menu item", label);
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          collect_menu (shown, owner, linked);
          g_object_unref (linked);
        }
    }
}

static void
collect_string_list (Shown      *shown,
                     GtkWidget  *owner,
                     GListModel *model)
{
  if (!GTK_IS_STRING_LIST (model))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    shown_add (shown, owner, "choice", gtk_string_list_get_string (GTK_STRING_LIST (model), i));
}

static void
collect (Shown     *shown,
         GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  if (gtk_widget_get_mapped (widget))
    {
      shown_add (shown, widget, "tooltip", gtk_widget_get_tooltip_text (widget));
      if (GTK_IS_LABEL (widget))
        shown_add (shown, widget, "label", gtk_label_get_text (GTK_LABEL (widget)));
      else if (GTK_IS_TEXT (widget) && *gtk_editable_get_text (GTK_EDITABLE (widget)) == '\0')
        shown_add (shown, widget, "placeholder", gtk_text_get_placeholder_text (GTK_TEXT (widget)));
      else if (GTK_IS_WINDOW (widget))
        shown_add (shown, widget, "window title", gtk_window_get_title (GTK_WINDOW (widget)));
      else if (ADW_IS_DIALOG (widget))
        shown_add (shown, widget, "dialog title", adw_dialog_get_title (ADW_DIALOG (widget)));
      else if (ADW_IS_NAVIGATION_PAGE (widget))
        shown_add (shown, widget, "page title", adw_navigation_page_get_title (ADW_NAVIGATION_PAGE (widget)));
      else if (GTK_IS_MENU_BUTTON (widget))
        collect_menu (shown, widget, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
      else if (ADW_IS_SPLIT_BUTTON (widget))
        collect_menu (shown, widget, adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (widget)));
      else if (GTK_IS_DROP_DOWN (widget))
        collect_string_list (shown, widget, gtk_drop_down_get_model (GTK_DROP_DOWN (widget)));
      else if (ADW_IS_COMBO_ROW (widget))
        collect_string_list (shown, widget, adw_combo_row_get_model (ADW_COMBO_ROW (widget)));
      else if (GTK_IS_COLUMN_VIEW (widget))
        {
          GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (widget));

          for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
            {
              g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

              if (gtk_column_view_column_get_visible (column))
                shown_add (shown, widget, "column title", gtk_column_view_column_get_title (column));
            }
        }
      else if (ADW_IS_VIEW_STACK (widget))
        {
          g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (ADW_VIEW_STACK (widget));

          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
            {
              g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

              if (adw_view_stack_page_get_visible (page))
                shown_add (shown, widget, "page title", adw_view_stack_page_get_title (page));
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect (shown, child);
}

/* Judging a page */

static void
check_german (GtkWidget  *root,
              const char *what)
{
  Shown shown = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_strings = 0, n_findings = 0;

  collect (&shown, root);
  for (guint i = 0; i < shown.text->len; i++)
    {
      const char *where = g_ptr_array_index (shown.where, i);
      const char *text = g_ptr_array_index (shown.text, i);
      g_autofree char *key = g_strconcat (where, "\n", text, NULL);
      g_autofree char *why = NULL;

      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        continue;
      n_strings++;
      why = gh_test_catalogue_judge (catalogue, text);
      if (why != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
          g_autofree char *one_line = g_strjoinv (" ⏎ ", lines);

          g_printerr ("# %s: %s: “%s”: %s\n", what, where, one_line, why);
          n_findings++;
        }
    }
  g_ptr_array_unref (shown.where);
  g_ptr_array_unref (shown.text);

  g_printerr ("# %s: %u strings shown, %u not German\n", what, n_strings, n_findings);
  g_assert_cmpuint (n_strings, >, 0);
  n_findings_in_all += n_findings;
  if (n_findings > 0)
    g_test_fail_printf ("%u strings on %s are not German (listed above)", n_findings, what);
}

static void
visit_german (GtkWidget  *root,
              const char *what,
              const char *page)
{
  gh_test_screenshots (GTK_WINDOW (the_app->window), what, NULL);
  check_german (root, what);
}

int
main (int   argc,
      char *argv[])
{
  static const char *toolkit_domains[] = { "gtk40", "libadwaita" };
  g_autofree char *po = NULL;
  g_autofree char *keystore_path = NULL;
  g_autofree char *locale_dir = NULL;
  int status;


  /* German as a user asks for it. gettext ignores LANGUAGE in the C locales, and the
   * build root has no other: po/meson.build copies C.UTF-8 under a name that is not C. */
  locale_dir = g_build_filename (g_getenv ("GATEHOUSE_BUILD_ROOT"), "po", NULL);
  g_setenv ("LOCPATH", locale_dir, TRUE);
  g_setenv ("LC_ALL", "en_US.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  gh_test_app_init_keep_going (&argc, &argv);
  g_assert_nonnull (setlocale (LC_ALL, ""));
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  /* The build's catalogue is the one the app reads, and it is German. */
  g_assert_nonnull (strstr (g_dgettext (GETTEXT_PACKAGE, ""), "Language: de"));

  po = g_build_filename (g_getenv ("GATEHOUSE_SOURCE_ROOT"), "po", "de.po", NULL);
  catalogue = gh_test_catalogue_new (po);

  for (guint i = 0; i < G_N_ELEMENTS (toolkit_domains); i++)
    {
      g_autofree char *mo = g_build_filename (bindtextdomain (toolkit_domains[i], NULL), "de", "LC_MESSAGES",
                                              toolkit_domains[i], NULL);
      g_autofree char *mo_file = g_strconcat (mo, ".mo", NULL);

      gh_test_catalogue_add_toolkit (catalogue, mo_file);
    }

  gateway = gh_test_gateway_new ("translations");
  gh_test_gateway_start (gateway);
  the_app = gh_test_app_new (gateway, TIMEOUT);
  add_gateway_data ();
  add_locale_data ();

  keystore_path = g_build_filename (gateway->dir, "ca.pem", NULL);
  gh_test_app_add_visits (the_app, "/translations", keystore_path, visit_german, TIMEOUT);

  status = g_test_run ();
  g_printerr ("# German: %u strings not German in all, with %u messages translated in po/de.po\n",
              n_findings_in_all, gh_test_catalogue_get_n_translated (catalogue));

  gh_test_app_free (the_app);
  gh_test_catalogue_free (catalogue);
  gh_test_gateway_free (gateway);
  return status;
}
