/* gh-application.c — the Gatehouse application
 *
 * Application-wide actions (add a gateway, preferences, shortcuts, help, about, quit)
 * with their accelerators, and the style preference applied to the style manager.
 *
 * `gatehouse --gateway URL --identity FILE --identity-password-file FILE --pin SHA256
 * [--gateway-name NAME]` adds a gateway for this run only (for demos and tests): it is
 * not saved, and its password (read from the file) is kept in memory only. Inside a
 * Flatpak the files come through `flatpak run --file-forwarding … @@ FILE @@`
 * (gh-sandbox.c says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-application"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-application.h"
#include "gh-private-key.h"
#include "gh-add-gateway-dialog.h"
#include "gh-gateway-connection.h"
#include "gh-preferences-dialog.h"
#include "gh-sandbox.h"
#include "gh-shortcuts-dialog.h"
#include "gh-window.h"

struct _GhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;

  /* --gateway …: for this run only */
  char           *gateway_url;
  char           *gateway_name;
  char           *gateway_identity;
  char           *gateway_password;   /* wiped when dropped */
  char           *gateway_pin;
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
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GhApplication *self = user_data;

  gh_sandbox_show_help (get_main_window (self), NULL);
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
add_gateway_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GhApplication *self = user_data;
  GtkWindow *window = get_main_window (self);

  if (!GH_IS_WINDOW (window))
    {
      g_application_activate (G_APPLICATION (self));
      window = get_main_window (self);
    }
  if (GH_IS_WINDOW (window))
    gh_window_show_add_gateway (GH_WINDOW (window));
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
  { "add-gateway", add_gateway_action },
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
  { "app.add-gateway", { "<Control>n", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.help-page", { "<Shift>F1", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.open-keystore", { "<Control>o", NULL } },
  { "win.new-keystore", { "<Control><Shift>o", NULL } },
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
add_command_line_gateway (GhApplication *self,
                          GhWindow      *window)
{
  g_autoptr(GhGatewayConnection) connection = NULL;

  if (self->gateway_url == NULL)
    return;

  connection = gh_gateway_connection_new (self->gateway_name, self->gateway_url, self->gateway_identity,
                                          self->gateway_pin, FALSE);
  gh_gateway_connection_set_password (connection, self->gateway_password, FALSE);
  g_clear_pointer (&self->gateway_password, gh_secret_free);
  g_clear_pointer (&self->gateway_url, g_free);
  gh_window_add_gateway (window, connection);
}

static void
gh_application_activate (GApplication *application)
{
  GhApplication *self = GH_APPLICATION (application);
  GtkWindow *window = get_main_window (self);

  if (window == NULL)
    window = GTK_WINDOW (gh_window_new (ADW_APPLICATION (application)));

  if (GH_IS_WINDOW (window))
    add_command_line_gateway (self, GH_WINDOW (window));
  gtk_window_present (window);
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  char *end;

  if (!gh_sandbox_read_command_line_file ("--identity-password-file", path, gh_sandbox_is_flatpak (),
                                          &text, &length, error))
    return NULL;

  /* The password is the first line, as gatehoused init writes it. */
  end = strchr (text, '\n');
  if (end != NULL)
    {
      if (end > text && end[-1] == '\r')
        end--;
      *end = '\0';
    }
  {
    char *password = g_strdup (text);

    explicit_bzero (text, length);
    return password;
  }
}

static int
gh_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  GhApplication *self = GH_APPLICATION (application);
  g_autofree char *url = NULL, *identity = NULL, *password_file = NULL, *pin = NULL, *name = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("gatehouse %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "gateway", "s", &url);
  g_variant_dict_lookup (options, "identity", "^ay", &identity);
  g_variant_dict_lookup (options, "identity-password-file", "^ay", &password_file);
  g_variant_dict_lookup (options, "pin", "s", &pin);
  g_variant_dict_lookup (options, "gateway-name", "s", &name);

  if (url == NULL)
    {
      if (identity != NULL || password_file != NULL || pin != NULL || name != NULL)
        {
          g_printerr (_("--identity, --identity-password-file, --pin and --gateway-name go with --gateway URL\n"));
          return 1;
        }
      return -1;
    }

  if (identity == NULL || password_file == NULL || pin == NULL)
    {
      g_printerr (_("--gateway needs --identity FILE, --identity-password-file FILE and --pin SHA256\n"));
      return 1;
    }

  if (!gh_admin_url_is_valid (url))
    {
      g_printerr (_("--gateway: “%s” is not an admin URL (https://host:port)\n"), url);
      return 1;
    }

  self->gateway_pin = gh_api_fingerprint_normalize (pin);
  if (self->gateway_pin == NULL)
    {
      g_printerr (_("--pin: “%s” is not a SHA-256 fingerprint (64 hexadecimal digits)\n"), pin);
      return 1;
    }

  /* Inside a Flatpak a host path is not there: say so now, not at the first connection. */
  {
    g_autofree char *contents = NULL;

    if (!gh_sandbox_read_command_line_file ("--identity", identity, gh_sandbox_is_flatpak (),
                                            &contents, NULL, &error))
      {
        g_printerr (_("Could not read the admin identity: %s\n"), error->message);
        return 1;
      }
  }

  self->gateway_password = read_password_file (password_file, &error);
  if (self->gateway_password == NULL)
    {
      g_printerr (_("Could not read the identity password: %s\n"), error->message);
      return 1;
    }

  if (!g_path_is_absolute (identity))
    {
      g_autofree char *cwd = g_get_current_dir ();
      self->gateway_identity = g_build_filename (cwd, identity, NULL);
    }
  else
    self->gateway_identity = g_steal_pointer (&identity);
  self->gateway_url = g_steal_pointer (&url);
  self->gateway_name = g_steal_pointer (&name);

  /* This instance shows the gateway: another running one would not know it. */
  g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
gh_application_finalize (GObject *object)
{
  GhApplication *self = GH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->gateway_url, g_free);
  g_clear_pointer (&self->gateway_name, g_free);
  g_clear_pointer (&self->gateway_identity, g_free);
  g_clear_pointer (&self->gateway_pin, g_free);
  g_clear_pointer (&self->gateway_password, gh_secret_free);

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
  g_application_add_main_option (G_APPLICATION (self), "gateway", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
                                 _("Add the gateway at this admin URL for this run only (not saved)"), "URL");
  g_application_add_main_option (G_APPLICATION (self), "identity", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 _("The admin identity (PKCS#12) for --gateway"), "FILE");
  g_application_add_main_option (G_APPLICATION (self), "identity-password-file", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 _("A file whose first line is the identity’s password (never stored)"), "FILE");
  g_application_add_main_option (G_APPLICATION (self), "pin", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
                                 _("The SHA-256 fingerprint of the gateway’s admin certificate, as gatehoused init printed it"),
                                 "SHA256");
  g_application_add_main_option (G_APPLICATION (self), "gateway-name", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
                                 _("The name shown for --gateway"), "NAME");
}
