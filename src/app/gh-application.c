/* gh-application.c — the Gatehouse application
 *
 * Application-wide actions (preferences, shortcuts, help, about, quit) with their
 * accelerators, and the style preference applied to the style manager.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-application"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-application.h"
#include "gh-preferences-dialog.h"
#include "gh-shortcuts-dialog.h"
#include "gh-window.h"

struct _GhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (GhApplication, gh_application, ADW_TYPE_APPLICATION)

GhApplication *
gh_application_new (void)
{
  return g_object_new (GH_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/gatehouse/Gatehouse",
                       NULL);
}

GSettings *
gh_application_get_settings (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
apply_color_scheme (GhApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,     /* 'default': follow the system */
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint scheme = g_settings_get_enum (self->settings, "color-scheme");

  g_assert (scheme < G_N_ELEMENTS (schemes));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[scheme]);
}

static GtkWindow *
get_main_window (GhApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GhApplication *self = user_data;
  GhPreferencesDialog *dialog = gh_preferences_dialog_new (self->settings);

  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (get_main_window (self)));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GhApplication *self = user_data;
  GhShortcutsDialog *dialog = gh_shortcuts_dialog_new (GTK_APPLICATION (self));

  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (get_main_window (self)));
}

static void
help_launched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("Could not open the help: %s", error->message);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GhApplication *self = user_data;
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new ("help:gatehouse");

  gtk_uri_launcher_launch (launcher, get_main_window (self), NULL, help_launched, NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GhApplication *self = user_data;
  static const char *developers[] = { "The Gatehouse developers", NULL };
  AdwDialog *about;

  about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
                        "application-name", "Gatehouse",
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Gatehouse developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Administer TLS and WebSocket gateways: their services, "
                                      "certificates, trust chains and live connections."),
                        "website", "https://github.com/gatehouse/gatehouse",
                        "issue-url", "https://github.com/gatehouse/gatehouse/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  adw_dialog_present (about, GTK_WIDGET (get_main_window (self)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GhApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing (not destroying) lets each window save its state. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "help", help_action },
  { "about", about_action },
  { "quit", quit_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.help", { "F1", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.page::overview", { "<Alt>1", NULL } },
  { "win.page::services", { "<Alt>2", NULL } },
  { "win.page::certificates", { "<Alt>3", NULL } },
  { "win.page::trust", { "<Alt>4", NULL } },
  { "win.page::connections", { "<Alt>5", NULL } },
  { "win.page::audit", { "<Alt>6", NULL } },
};

static void
gh_application_startup (GApplication *application)
{
  GhApplication *self = GH_APPLICATION (application);

  G_APPLICATION_CLASS (gh_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action, app_accels[i].accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
gh_application_activate (GApplication *application)
{
  GtkWindow *window = get_main_window (GH_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (gh_window_new (ADW_APPLICATION (application)));

  gtk_window_present (window);
}

static int
gh_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("gatehouse %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
gh_application_finalize (GObject *object)
{
  GhApplication *self = GH_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_application_parent_class)->finalize (object);
}

static void
gh_application_class_init (GhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = gh_application_finalize;

  app_class->startup = gh_application_startup;
  app_class->activate = gh_application_activate;
  app_class->handle_local_options = gh_application_handle_local_options;
}

static void
gh_application_init (GhApplication *self)
{
  self->settings = g_settings_new (APPLICATION_ID);

  g_application_add_main_option (G_APPLICATION (self), "version", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Show the version and exit"), NULL);
}
