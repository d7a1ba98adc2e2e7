/* gh-finding.c — one thing a verification found about a certificate of a chain
 *
 * Findings are data, not strings: a kind a program acts on, a severity, a sentence
 * that names the certificate, and what to do about it. Only the verification
 * (gh-trust-verify.c) makes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-finding"

#include "config.h"

#include "gh-trust-chain-private.h"


G_DEFINE_FINAL_TYPE (GhFinding, gh_finding, G_TYPE_OBJECT)

enum {
  FINDING_PROP_0,
  FINDING_PROP_MESSAGE,
  FINDING_PROP_FIX,
  FINDING_N_PROPS
};

static GParamSpec *finding_properties[FINDING_N_PROPS];

static void
gh_finding_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GhFinding *self = GH_FINDING (object);

  switch (prop_id)
    {
    case FINDING_PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case FINDING_PROP_FIX:
      g_value_set_string (value, self->fix);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_finding_finalize (GObject *object)
{
  GhFinding *self = GH_FINDING (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->fix, g_free);

  G_OBJECT_CLASS (gh_finding_parent_class)->finalize (object);
}

static void
gh_finding_class_init (GhFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_finding_get_property;
  object_class->finalize = gh_finding_finalize;

  finding_properties[FINDING_PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  finding_properties[FINDING_PROP_FIX] =
    g_param_spec_string ("fix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, FINDING_N_PROPS, finding_properties);
}

static void
gh_finding_init (GhFinding *self)
{
}

/* Takes @message and @fix. */
GhFinding *
_gh_finding_new_take (GhFindingKind  kind,
                      GhSeverity     severity,
                      char          *message,
                      char          *fix)
{
  GhFinding *self = g_object_new (GH_TYPE_FINDING, NULL);

  self->kind = kind;
  self->severity = severity;
  self->message = message;
  self->fix = fix;

  return self;
}

GhFindingKind
gh_finding_get_kind (GhFinding *self)
{
  g_return_val_if_fail (GH_IS_FINDING (self), GH_FINDING_EXPIRED);

  return self->kind;
}

GhSeverity
gh_finding_get_severity (GhFinding *self)
{
  g_return_val_if_fail (GH_IS_FINDING (self), GH_SEVERITY_INFO);

  return self->severity;
}

/* What is wrong, naming the certificate: one sentence or two. */
const char *
gh_finding_get_message (GhFinding *self)
{
  g_return_val_if_fail (GH_IS_FINDING (self), NULL);

  return self->message;
}

/* What to do about it. */
const char *
gh_finding_get_fix (GhFinding *self)
{
  g_return_val_if_fail (GH_IS_FINDING (self), NULL);

  return self->fix;
}

/**
 * gh_finding_kind_to_string:
 * @kind: a #GhFindingKind
 *
 * Returns: the stable name of @kind used in JSON and on the command line:
 *   "expired", "expires-soon", "host-mismatch", …
 */
const char *
gh_finding_kind_to_string (GhFindingKind kind)
{
  switch (kind)
    {
    case GH_FINDING_EXPIRED: return "expired";
    case GH_FINDING_EXPIRES_SOON: return "expires-soon";
    case GH_FINDING_NOT_YET_VALID: return "not-yet-valid";
    case GH_FINDING_MISSING_INTERMEDIATE: return "missing-intermediate";
    case GH_FINDING_UNTRUSTED_ROOT: return "untrusted-root";
    case GH_FINDING_SELF_SIGNED: return "self-signed";
    case GH_FINDING_WEAK_SIGNATURE: return "weak-signature";
    case GH_FINDING_SMALL_KEY: return "small-key";
    case GH_FINDING_HOST_MISMATCH: return "host-mismatch";
    case GH_FINDING_PURPOSE_MISMATCH: return "purpose-mismatch";
    case GH_FINDING_KEY_USAGE_MISMATCH: return "key-usage-mismatch";
    case GH_FINDING_NOT_A_CA: return "not-a-ca";
    case GH_FINDING_REVOKED: return "revoked";
    case GH_FINDING_BAD_SIGNATURE: return "bad-signature";
    default: break;
    }

  g_return_val_if_reached (NULL);
}

const char *
_gh_severity_to_string (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_INFO: return "info";
    case GH_SEVERITY_WARNING: return "warning";
    case GH_SEVERITY_ERROR: return "error";
    default: break;
    }

  g_return_val_if_reached ("error");
}
