/* gh-preferences-dialog.c — the preferences
 *
 * Every row is bound to its GSettings key: a change applies at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-preferences-dialog.h"

struct _GhPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  GSettings            *settings;

  AdwComboRow          *color_scheme_row;
  AdwSpinRow           *expiry_warning_row;
  AdwSwitchRow         *remember_passwords_row;
  AdwSwitchRow         *confirm_close_row;
};

G_DEFINE_FINAL_TYPE (GhPreferencesDialog, gh_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row's items, in the order of the .ui file. */
static const char * const color_scheme_nicks[] = { "default", "light", "dark" };

static gboolean
color_scheme_to_selected (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_scheme_nicks); i++)
    {
      if (g_str_equal (nick, color_scheme_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
selected_to_color_scheme (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (color_scheme_nicks))
    return NULL;

  return g_variant_new_string (color_scheme_nicks[selected]);
}

GhPreferencesDialog *
gh_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (GH_TYPE_PREFERENCES_DIALOG,
                       "settings", settings,
                       NULL);
}

static void
gh_preferences_dialog_constructed (GObject *object)
{
  GhPreferencesDialog *self = GH_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (gh_preferences_dialog_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_to_selected, selected_to_color_scheme,
                                NULL, NULL);
  g_settings_bind (self->settings, "expiry-warning-days",
                   self->expiry_warning_row, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "remember-passwords",
                   self->remember_passwords_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "confirm-close-session",
                   self->confirm_close_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
gh_preferences_dialog_dispose (GObject *object)
{
  GhPreferencesDialog *self = GH_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_preferences_dialog_parent_class)->dispose (object);
}

static void
gh_preferences_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  GhPreferencesDialog *self = GH_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_preferences_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GhPreferencesDialog *self = GH_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_preferences_dialog_class_init (GhPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gh_preferences_dialog_constructed;
  object_class->dispose = gh_preferences_dialog_dispose;
  object_class->get_property = gh_preferences_dialog_get_property;
  object_class->set_property = gh_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhPreferencesDialog, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, GhPreferencesDialog, expiry_warning_row);
  gtk_widget_class_bind_template_child (widget_class, GhPreferencesDialog, remember_passwords_row);
  gtk_widget_class_bind_template_child (widget_class, GhPreferencesDialog, confirm_close_row);
}

static void
gh_preferences_dialog_init (GhPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
