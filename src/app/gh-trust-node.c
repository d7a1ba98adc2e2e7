/* gh-trust-node.c — one certificate of a trust diagram
 *
 * Composed of plain widgets rather than drawn: the card is a GtkButton (focusable,
 * activatable, read by screen readers as one thing with a name and a description),
 * and each finding is a label with its fix button under it, so that a finding sits
 * at the certificate it is about, in the reading order too. The severity is said
 * three ways: the style class of its colour (libadwaita's success, warning, error,
 * right in light and dark), an icon, and a word in the accessible description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-node"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-trust-node.h"

struct _GhTrustNode
{
  GtkWidget   parent_instance;

  char       *role_label;
  char       *name;
  char       *expiry_text;
  char       *fingerprint;
  GhSeverity  severity;
  GString    *findings_text;     /* for the description */
  GHashTable *fixes;             /* kind name → fix button (or NULL) */

  GtkWidget  *card;
  GtkWidget  *state_icon;
  GtkWidget  *findings_box;
};

G_DEFINE_FINAL_TYPE (GhTrustNode, gh_trust_node, GTK_TYPE_WIDGET)

const char *
gh_severity_get_style_class (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_ERROR:
      return "error";
    case GH_SEVERITY_WARNING:
      return "warning";
    case GH_SEVERITY_INFO:
    default:
      return "success";
    }
}

static const char *
severity_icon_name (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case GH_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case GH_SEVERITY_INFO:
    default:
      return "object-select-symbolic";
    }
}

static const char *
severity_word (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_ERROR:
      return _("Problem");
    case GH_SEVERITY_WARNING:
      return _("Needs attention");
    case GH_SEVERITY_INFO:
    default:
      return _("Fine");
    }
}

static char *
describe_expiry (GDateTime *not_after)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = NULL;
  GTimeSpan left;

  if (not_after == NULL)
    return g_strdup (_("Expiry not known"));

  date = g_date_time_format (not_after, "%Y-%m-%d");
  left = g_date_time_difference (not_after, now);
  if (left < 0)
    return g_strdup_printf (_("Expired on %s"), date);
  if (left < 60 * G_TIME_SPAN_DAY)
    {
      guint days = (guint) (left / G_TIME_SPAN_DAY);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires on %s, in %u day", "Expires on %s, in %u days",
                                           days), date, days);
    }
  return g_strdup_printf (_("Expires on %s"), date);
}

static void
update_description (GhTrustNode *self)
{
  g_autofree char *label = g_strdup_printf ("%s: %s", self->role_label, self->name);
  g_autofree char *description = NULL;

  if (self->findings_text->len > 0)
    /* Translators: a certificate's state ("Fine"), its expiry ("Expires on …"), its findings */
    description = g_strdup_printf (_("%s. %s. %s"), severity_word (self->severity), self->expiry_text,
                                   self->findings_text->str);
  else
    /* Translators: a certificate's state ("Fine") and its expiry ("Expires on …") */
    description = g_strdup_printf (_("%s. %s."), severity_word (self->severity), self->expiry_text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_set_tooltip_text (self->card, description);
}

GtkWidget *
gh_trust_label_new (const char *text,
                    const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Asks for no more than this, so that the two sides of a diagram share its width
   * evenly whatever their texts' lengths; they take more when there is room. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  return label;
}

static void
build_card (GhTrustNode *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->state_icon = gtk_image_new_from_icon_name (severity_icon_name (self->severity));
  gtk_widget_add_css_class (self->state_icon, gh_severity_get_style_class (self->severity));
  gtk_widget_add_css_class (self->state_icon, "gh-trust-state");
  gtk_widget_set_valign (self->state_icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), self->state_icon);

  gtk_box_append (GTK_BOX (text), gh_trust_label_new (self->role_label, "caption"));
  gtk_box_append (GTK_BOX (text), gh_trust_label_new (self->name, "heading"));
  gtk_box_append (GTK_BOX (text), gh_trust_label_new (self->expiry_text, "caption"));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  self->card = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->card), box);
  gtk_widget_add_css_class (self->card, "gh-trust-card");
  gtk_widget_add_css_class (self->card, gh_severity_get_style_class (self->severity));
  gtk_widget_set_parent (self->card, GTK_WIDGET (self));
}

GtkWidget *
gh_trust_node_new (const char *role_label,
                   const char *name,
                   GDateTime  *not_after,
                   GhSeverity  severity)
{
  GhTrustNode *self;

  g_return_val_if_fail (role_label != NULL, NULL);

  self = g_object_new (GH_TYPE_TRUST_NODE, NULL);
  self->role_label = g_strdup (role_label);
  self->name = g_strdup (name != NULL && *name != '\0' ? name : _("Unnamed certificate"));
  self->expiry_text = describe_expiry (not_after);
  self->severity = severity;
  build_card (self);

  self->findings_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (self->findings_box, FALSE);
  gtk_widget_add_css_class (self->findings_box, "gh-trust-findings");
  /* Clear of the connector that runs down the left of the column. */
  gtk_widget_set_margin_start (self->findings_box, 32);
  gtk_widget_set_parent (self->findings_box, GTK_WIDGET (self));

  update_description (self);
  return GTK_WIDGET (self);
}

const char *
gh_trust_node_get_name (GhTrustNode *self)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), NULL);
  return self->name;
}

GhSeverity
gh_trust_node_get_severity (GhTrustNode *self)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), GH_SEVERITY_INFO);
  return self->severity;
}

const char *
gh_trust_node_get_style_class (GhTrustNode *self)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), NULL);
  return gh_severity_get_style_class (self->severity);
}

void
gh_trust_node_set_fingerprint (GhTrustNode *self,
                               const char  *sha256_fingerprint)
{
  g_return_if_fail (GH_IS_TRUST_NODE (self));

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (sha256_fingerprint);
  if (sha256_fingerprint != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->card), "s", sha256_fingerprint);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->card), sha256_fingerprint != NULL ? "trust.details" : NULL);
}

const char *
gh_trust_node_get_fingerprint (GhTrustNode *self)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), NULL);
  return self->fingerprint;
}

void
gh_trust_node_add_finding (GhTrustNode *self,
                           const char  *kind_name,
                           GhSeverity   severity,
                           const char  *message,
                           GtkWidget   *fix)
{
  GtkWidget *row, *line, *icon, *label;

  g_return_if_fail (GH_IS_TRUST_NODE (self));
  g_return_if_fail (kind_name != NULL);
  g_return_if_fail (fix == NULL || GTK_IS_WIDGET (fix));

  row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = gtk_image_new_from_icon_name (severity_icon_name (severity));
  gtk_widget_add_css_class (icon, gh_severity_get_style_class (severity));
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (line), icon);
  label = gh_trust_label_new (message != NULL ? message : kind_name, NULL);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (row), line);
  if (fix != NULL)
    {
      gtk_widget_set_halign (fix, GTK_ALIGN_START);
      gtk_widget_set_margin_start (fix, 22);
      gtk_box_append (GTK_BOX (row), fix);
    }
  gtk_box_append (GTK_BOX (self->findings_box), row);
  gtk_widget_set_visible (self->findings_box, TRUE);

  g_hash_table_replace (self->fixes, g_strdup (kind_name), fix);
  if (self->findings_text->len > 0)
    g_string_append (self->findings_text, " ");
  g_string_append_printf (self->findings_text, "%s.", message != NULL ? message : kind_name);
  /* A message ends with its full stop already, most of the time. */
  if (g_str_has_suffix (self->findings_text->str, ".."))
    g_string_truncate (self->findings_text, self->findings_text->len - 1);
  update_description (self);
}

gboolean
gh_trust_node_has_finding (GhTrustNode *self,
                           const char  *kind_name)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), FALSE);
  return g_hash_table_contains (self->fixes, kind_name);
}

GtkWidget *
gh_trust_node_get_fix (GhTrustNode *self,
                       const char  *kind_name)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), NULL);
  return g_hash_table_lookup (self->fixes, kind_name);
}

GtkWidget *
gh_trust_node_get_card (GhTrustNode *self)
{
  g_return_val_if_fail (GH_IS_TRUST_NODE (self), NULL);
  return self->card;
}

void
gh_trust_node_get_color (GhTrustNode *self,
                         GdkRGBA     *color)
{
  g_return_if_fail (GH_IS_TRUST_NODE (self));
  gtk_widget_get_color (self->state_icon, color);
}

static void
gh_trust_node_dispose (GObject *object)
{
  GhTrustNode *self = GH_TRUST_NODE (object);

  g_clear_pointer (&self->card, gtk_widget_unparent);
  g_clear_pointer (&self->findings_box, gtk_widget_unparent);

  G_OBJECT_CLASS (gh_trust_node_parent_class)->dispose (object);
}

static void
gh_trust_node_finalize (GObject *object)
{
  GhTrustNode *self = GH_TRUST_NODE (object);

  g_free (self->role_label);
  g_free (self->name);
  g_free (self->expiry_text);
  g_free (self->fingerprint);
  g_string_free (self->findings_text, TRUE);
  g_hash_table_unref (self->fixes);

  G_OBJECT_CLASS (gh_trust_node_parent_class)->finalize (object);
}

static void
gh_trust_node_class_init (GhTrustNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_trust_node_dispose;
  object_class->finalize = gh_trust_node_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gh-trust-node");
}

static void
gh_trust_node_init (GhTrustNode *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->findings_text = g_string_new (NULL);
  self->fixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
