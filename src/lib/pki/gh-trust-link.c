/* gh-trust-link.c — one certificate of a verified path: its role, and its findings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-link"

#include "config.h"

#include "gh-trust-chain-private.h"

const char *
_gh_trust_link_role_to_string (GhTrustLinkRole role)
{
  switch (role)
    {
    case GH_TRUST_LINK_LEAF: return "leaf";
    case GH_TRUST_LINK_INTERMEDIATE: return "intermediate";
    case GH_TRUST_LINK_ANCHOR: return "anchor";
    default: break;
    }

  g_return_val_if_reached ("intermediate");
}


G_DEFINE_FINAL_TYPE (GhTrustLink, gh_trust_link, G_TYPE_OBJECT)

enum {
  LINK_PROP_0,
  LINK_PROP_CERTIFICATE,
  LINK_N_PROPS
};

static GParamSpec *link_properties[LINK_N_PROPS];

static void
gh_trust_link_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhTrustLink *self = GH_TRUST_LINK (object);

  switch (prop_id)
    {
    case LINK_PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_trust_link_dispose (GObject *object)
{
  GhTrustLink *self = GH_TRUST_LINK (object);

  g_clear_object (&self->certificate);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (gh_trust_link_parent_class)->dispose (object);
}

static void
gh_trust_link_class_init (GhTrustLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_trust_link_get_property;
  object_class->dispose = gh_trust_link_dispose;

  link_properties[LINK_PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, GH_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, LINK_N_PROPS, link_properties);
}

static void
gh_trust_link_init (GhTrustLink *self)
{
  self->findings = g_list_store_new (GH_TYPE_FINDING);
}

GhTrustLink *
_gh_trust_link_new (GhCertificate   *certificate,
                    GhTrustLinkRole  role)
{
  GhTrustLink *self = g_object_new (GH_TYPE_TRUST_LINK, NULL);

  self->certificate = g_object_ref (certificate);
  self->role = role;

  return self;
}

gboolean
_gh_trust_link_has_finding (GhTrustLink   *self,
                            GhFindingKind  kind)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (finding->kind == kind)
        return TRUE;
    }

  return FALSE;
}

/* Takes @message and @fix. */
void
_gh_trust_link_add_finding (GhTrustLink   *self,
                            GhFindingKind  kind,
                            GhSeverity     severity,
                            char          *message,
                            char          *fix)
{
  g_autoptr(GhFinding) finding = _gh_finding_new_take (kind, severity, message, fix);

  g_list_store_append (self->findings, finding);
}

GhCertificate *
gh_trust_link_get_certificate (GhTrustLink *self)
{
  g_return_val_if_fail (GH_IS_TRUST_LINK (self), NULL);

  return self->certificate;
}

GhTrustLinkRole
gh_trust_link_get_role (GhTrustLink *self)
{
  g_return_val_if_fail (GH_IS_TRUST_LINK (self), GH_TRUST_LINK_LEAF);

  return self->role;
}

/**
 * gh_trust_link_get_findings:
 * @self: a #GhTrustLink
 *
 * Returns: (transfer none): a #GListModel of #GhFinding, empty when the certificate
 *   is fine in this chain
 */
GListModel *
gh_trust_link_get_findings (GhTrustLink *self)
{
  g_return_val_if_fail (GH_IS_TRUST_LINK (self), NULL);

  return G_LIST_MODEL (self->findings);
}

GhSeverity
gh_trust_link_get_severity (GhTrustLink *self)
{
  GhSeverity worst = GH_SEVERITY_INFO;
  guint n;

  g_return_val_if_fail (GH_IS_TRUST_LINK (self), GH_SEVERITY_INFO);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      worst = MAX (worst, finding->severity);
    }

  return worst;
}
