/* gh-shortcuts-dialog.c — the keyboard shortcuts
 *
 * GtkShortcutsWindow is deprecated in GTK 4.18 and AdwShortcutsDialog arrives only in
 * libadwaita 1.8, above our platform level, so this dialog lists the shortcuts itself.
 * The keys shown are read from where they act, so they never drift from what the keys
 * really do: the application's accelerators (app.*, win.*), and the shortcut
 * controllers of the active window's widgets for the page and row actions
 * (services.*, certificates.*, keystore.*, gateway.*), which only work while their widget has the
 * focus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-shortcuts-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-shortcuts-dialog.h"

struct _GhShortcutsDialog
{
  AdwDialog            parent_instance;

  GtkApplication      *application;

  AdwPreferencesPage  *page;
};

G_DEFINE_FINAL_TYPE (GhShortcutsDialog, gh_shortcuts_dialog, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  const char *group;   /* starts a new group when not NULL */
  const char *title;
  const char *action;  /* detailed action name with an accelerator */
} Shortcut;

static const Shortcut shortcuts[] = {
  { N_("General"), N_("Add Gateway"), "app.add-gateway" },
  { NULL, N_("Preferences"), "app.preferences" },
  { NULL, N_("Keyboard Shortcuts"), "app.shortcuts" },
  { NULL, N_("Help"), "app.help" },
  { NULL, N_("Help on This Page"), "win.help-page" },
  { NULL, N_("Close Window"), "window.close" },
  { NULL, N_("Quit"), "app.quit" },
  { N_("Pages"), N_("Overview"), "win.page::overview" },
  { NULL, N_("Services"), "win.page::services" },
  { NULL, N_("Certificates"), "win.page::certificates" },
  { NULL, N_("Trust"), "win.page::trust" },
  { NULL, N_("Connections"), "win.page::connections" },
  { NULL, N_("Audit"), "win.page::audit" },
  { N_("Sidebar"), N_("Gateway Menu"), "gateway.menu" },
  { N_("Services Page"), N_("New Service"), "services.new" },
  { NULL, N_("Edit the Service"), "services.edit" },
  { NULL, N_("Start the Service"), "services.start" },
  { NULL, N_("Stop the Service"), "services.stop" },
  { NULL, N_("Delete the Service"), "services.delete" },
  { NULL, N_("Undo the Last Change"), "services.undo" },
  { NULL, N_("Refresh"), "services.refresh" },
  { NULL, N_("Service Menu"), "services.menu" },
  { N_("Certificates Page"), N_("Search"), "certificates.search" },
  { NULL, N_("Import Keys and Certificates"), "certificates.import" },
  { NULL, N_("Import What Was Copied"), "certificates.paste" },
  { NULL, N_("Delete the Entry"), "certificates.delete" },
  { NULL, N_("Refresh"), "certificates.refresh" },
  { N_("Connections Page"), N_("Search Sessions"), "connections.search" },
  { NULL, N_("Close the Selected Sessions"), "connections.close" },
  { NULL, N_("Copy the Session as JSON"), "connections.copy-json" },
  { NULL, N_("Export the Shown Sessions as CSV"), "connections.export" },
  { N_("Audit Page"), N_("Search the Audit Log"), "audit.search" },
  { NULL, N_("Compare Configuration Versions"), "audit.compare" },
  { NULL, N_("Refresh"), "audit.refresh" },
  { N_("Keystore Files"), N_("Open a Keystore File"), "win.open-keystore" },
  { NULL, N_("New Keystore File"), "win.new-keystore" },
  { NULL, N_("Search the Entries"), "keystore.search" },
  { NULL, N_("Import Keys and Certificates"), "keystore.import" },
  { NULL, N_("Export the Key and Its Chain"), "keystore.export" },
  { NULL, N_("Rename the Entry"), "keystore.rename" },
  { NULL, N_("Delete the Entry"), "keystore.delete" },
  { NULL, N_("Upload to the Gateway"), "keystore.upload" },
  { NULL, N_("Change the File’s Password"), "keystore.change-password" },
};

/* The prefixes of the actions a widget's own shortcuts may name. */
static const char * const widget_action_prefixes[] = {
  "app.", "win.", "gateway.", "services.", "certificates.", "connections.",
  "audit.", "keystore.",
};

GhShortcutsDialog *
gh_shortcuts_dialog_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (GH_TYPE_SHORTCUTS_DIALOG,
                       "application", application,
                       NULL);
}

static void
add_trigger (GPtrArray          *pairs,
             GtkShortcutTrigger *trigger,
             const char         *action)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (pairs, gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), action);
      add_trigger (pairs, gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), action);
    }
  else if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      g_ptr_array_add (pairs, gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                                    gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
      g_ptr_array_add (pairs, g_strdup (action));
    }
}

static gboolean
is_our_action (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (widget_action_prefixes); i++)
    if (g_str_has_prefix (action, widget_action_prefixes[i]))
      return TRUE;

  return FALSE;
}

static void
collect_widget_shortcuts (GtkWidget *widget,
                          GPtrArray *pairs)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *detailed = NULL;

          if (!GTK_IS_NAMED_ACTION (action) ||
              !is_our_action (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))))
            continue;

          detailed = g_action_print_detailed_name (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                                   gtk_shortcut_get_arguments (shortcut));
          add_trigger (pairs, gtk_shortcut_get_trigger (shortcut), detailed);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_shortcuts (child, pairs);
}

/**
 * gh_shortcuts_collect_widget_shortcuts:
 * @root: a widget, usually a window
 *
 * The keyboard shortcuts that @root and its descendants bind to Gatehouse's actions
 * (app.*, win.*, gateway.*, services.*) in their shortcut controllers — the class
 * bindings of pages and rows — in the order of the widget tree.
 *
 * Returns: (transfer full): pairs of strings: element 2i an accelerator
 *   (gtk_accelerator_name()), element 2i+1 the action it activates
 */
GPtrArray *
gh_shortcuts_collect_widget_shortcuts (GtkWidget *root)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (GTK_IS_WIDGET (root), pairs);

  collect_widget_shortcuts (root, pairs);

  return pairs;
}

/* The first accelerator of @action: the application's, else a widget's in @pairs. */
static char *
lookup_accelerator (GhShortcutsDialog *self,
                    GPtrArray         *pairs,
                    const char        *action)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (self->application, action);

  if (accels != NULL && accels[0] != NULL)
    return g_strdup (accels[0]);

  for (guint i = 0; pairs != NULL && i + 1 < pairs->len; i += 2)
    if (g_str_equal (g_ptr_array_index (pairs, i + 1), action))
      return g_strdup (g_ptr_array_index (pairs, i));

  return NULL;
}

/* One key cap a key of the accelerator: modifiers first, then the key. */
static GtkWidget *
create_keys (const char *accelerator)
{
  static const struct {
    GdkModifierType mask;
    const char *label;
  } modifiers[] = {
    { GDK_SUPER_MASK, N_("Super") },
    { GDK_CONTROL_MASK, N_("Ctrl") },
    { GDK_ALT_MASK, N_("Alt") },
    { GDK_SHIFT_MASK, N_("Shift") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GdkModifierType mods = 0;
  guint key = 0;
  g_autofree char *key_label = NULL;
  g_autoptr(GString) spoken = g_string_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  if (!gtk_accelerator_parse (accelerator, &key, &mods))
    g_return_val_if_reached (box);

  for (guint i = 0; i < G_N_ELEMENTS (modifiers); i++)
    {
      if (mods & modifiers[i].mask)
        {
          GtkWidget *cap = gtk_label_new (_(modifiers[i].label));
          gtk_widget_add_css_class (cap, "keycap");
          gtk_box_append (GTK_BOX (box), cap);
          g_string_append_printf (spoken, "%s+", _(modifiers[i].label));
        }
    }

  key_label = gtk_accelerator_get_label (key, 0);
  {
    GtkWidget *cap = gtk_label_new (key_label);
    gtk_widget_add_css_class (cap, "keycap");
    gtk_box_append (GTK_BOX (box), cap);
  }
  g_string_append (spoken, key_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken->str,
                                  -1);

  return box;
}

static void
populate (GhShortcutsDialog *self)
{
  AdwPreferencesGroup *group = NULL;
  const char *group_title = NULL;
  GtkWindow *window = gtk_application_get_active_window (self->application);
  g_autoptr(GPtrArray) pairs = window != NULL ? gh_shortcuts_collect_widget_shortcuts (GTK_WIDGET (window)) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      g_autofree char *accel = lookup_accelerator (self, pairs, shortcuts[i].action);
      GtkWidget *row;

      if (shortcuts[i].group != NULL)
        {
          group_title = shortcuts[i].group;
          group = NULL;
        }

      if (accel == NULL)
        continue;

      /* A group only once it has a row: no gateway, no sidebar menu. */
      if (group == NULL)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _(group_title));
          adw_preferences_page_add (self->page, group);
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(shortcuts[i].title));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_keys (accel));
      adw_preferences_group_add (group, row);
    }
}

static void
gh_shortcuts_dialog_constructed (GObject *object)
{
  GhShortcutsDialog *self = GH_SHORTCUTS_DIALOG (object);

  G_OBJECT_CLASS (gh_shortcuts_dialog_parent_class)->constructed (object);

  populate (self);
}

static void
gh_shortcuts_dialog_dispose (GObject *object)
{
  GhShortcutsDialog *self = GH_SHORTCUTS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_SHORTCUTS_DIALOG);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (gh_shortcuts_dialog_parent_class)->dispose (object);
}

static void
gh_shortcuts_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GhShortcutsDialog *self = GH_SHORTCUTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_shortcuts_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GhShortcutsDialog *self = GH_SHORTCUTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_shortcuts_dialog_class_init (GhShortcutsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gh_shortcuts_dialog_constructed;
  object_class->dispose = gh_shortcuts_dialog_dispose;
  object_class->get_property = gh_shortcuts_dialog_get_property;
  object_class->set_property = gh_shortcuts_dialog_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         GTK_TYPE_APPLICATION,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-shortcuts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhShortcutsDialog, page);
}

static void
gh_shortcuts_dialog_init (GhShortcutsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
