/* gh-trust-chain.c — the path from a certificate to a trusted anchor, verified, with
 * typed findings on each link
 *
 * The path is built here (leaf, then each issuer found among the intermediates or the
 * anchors), then GnuTLS verifies it with gnutls_x509_trust_list_verify_crt2(). The
 * findings explain, link by link, what GnuTLS (or a TLS peer) will object to, and how
 * to fix it. Each check mirrors the one GnuTLS makes, so that "no error finding" and
 * "GnuTLS says OK" agree; a few checks (the leaf's key usage, small RSA keys under a
 * lenient profile) are ours alone.
 *
 * Verification works on a snapshot of the inputs and builds its result apart, so that
 * gh_trust_chain_verify_async() can run in a thread while the chain stays usable; the
 * result is applied to the chain in the caller's thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-chain"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-pki-private.h"
#include "gh-json.h"
#include "gh-trust-chain.h"

/* Longer paths are not built: real ones have one to three intermediates. */
#define MAX_PATH_LENGTH 16

/* Netscape and VeriSign "server gated crypto": old CA certificates carry these instead
 * of id-kp-serverAuth, and GnuTLS accepts them in CA certificates for that purpose. */
#define PURPOSE_NETSCAPE_SGC "2.16.840.1.113730.4.1"
#define PURPOSE_VERISIGN_SGC "2.16.840.1.113733.1.8.1"

/* GhFinding */

struct _GhFinding
{
  GObject        parent_instance;

  GhFindingKind  kind;
  GhSeverity     severity;
  char          *message;
  char          *fix;
};

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
static GhFinding *
finding_new_take (GhFindingKind  kind,
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

static const char *
severity_to_string (GhSeverity severity)
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

static const char *
role_to_string (GhTrustLinkRole role)
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

/* GhTrustLink */

struct _GhTrustLink
{
  GObject          parent_instance;

  GhCertificate   *certificate;
  GhTrustLinkRole  role;
  GListStore      *findings;
};

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

static GhTrustLink *
trust_link_new (GhCertificate   *certificate,
                GhTrustLinkRole  role)
{
  GhTrustLink *self = g_object_new (GH_TYPE_TRUST_LINK, NULL);

  self->certificate = g_object_ref (certificate);
  self->role = role;

  return self;
}

static gboolean
trust_link_has_finding (GhTrustLink   *self,
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
static void
trust_link_add_finding (GhTrustLink   *self,
                        GhFindingKind  kind,
                        GhSeverity     severity,
                        char          *message,
                        char          *fix)
{
  g_autoptr(GhFinding) finding = finding_new_take (kind, severity, message, fix);

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

/* GhTrustChain */

struct _GhTrustChain
{
  GObject            parent_instance;

  /* Inputs */
  GhCertificate     *leaf;
  GPtrArray         *intermediates;   /* of GhCertificate, without the leaf, no duplicates */
  GPtrArray         *anchors;         /* of GhCertificate */
  GPtrArray         *crls;            /* of GBytes, DER */
  gboolean           use_system_anchors;
  char              *hostname;
  GhTrustPurpose     purpose;
  GhSecurityProfile  profile;
  guint              expiry_warning_days;
  GDateTime         *verification_time;

  /* Results */
  GListStore        *links;           /* of GhTrustLink */
  gboolean           verified;
  gboolean           trusted;
  guint              gnutls_status;
  GDateTime         *verified_at;     /* the time the findings are about */
};

G_DEFINE_FINAL_TYPE (GhTrustChain, gh_trust_chain, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LEAF,
  PROP_HOSTNAME,
  PROP_TRUSTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A snapshot of the inputs, for one verification. */
typedef struct {
  GhCertificate     *leaf;
  GPtrArray         *intermediates;
  GPtrArray         *anchors;
  GPtrArray         *crls;
  gboolean           use_system_anchors;
  char              *hostname;
  GhTrustPurpose     purpose;
  GhSecurityProfile  profile;
  guint              expiry_warning_days;
  GDateTime         *verification_time;
} VerifyJob;

typedef struct {
  GPtrArray *links;          /* of GhTrustLink */
  guint      gnutls_status;
  GDateTime *verified_at;
} VerifyResult;

static void
verify_job_free (VerifyJob *job)
{
  g_clear_object (&job->leaf);
  g_clear_pointer (&job->intermediates, g_ptr_array_unref);
  g_clear_pointer (&job->anchors, g_ptr_array_unref);
  g_clear_pointer (&job->crls, g_ptr_array_unref);
  g_clear_pointer (&job->hostname, g_free);
  g_clear_pointer (&job->verification_time, g_date_time_unref);
  g_free (job);
}

static void
verify_result_free (VerifyResult *result)
{
  g_clear_pointer (&result->links, g_ptr_array_unref);
  g_clear_pointer (&result->verified_at, g_date_time_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyJob, verify_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyResult, verify_result_free)

static VerifyJob *
verify_job_new (GhTrustChain *self)
{
  VerifyJob *job = g_new0 (VerifyJob, 1);

  job->leaf = g_object_ref (self->leaf);
  job->intermediates = g_ptr_array_new_full (self->intermediates->len, g_object_unref);
  for (guint i = 0; i < self->intermediates->len; i++)
    g_ptr_array_add (job->intermediates, g_object_ref (g_ptr_array_index (self->intermediates, i)));
  job->anchors = g_ptr_array_new_full (self->anchors->len, g_object_unref);
  for (guint i = 0; i < self->anchors->len; i++)
    g_ptr_array_add (job->anchors, g_object_ref (g_ptr_array_index (self->anchors, i)));
  job->crls = g_ptr_array_new_full (self->crls->len, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < self->crls->len; i++)
    g_ptr_array_add (job->crls, g_bytes_ref (g_ptr_array_index (self->crls, i)));
  job->use_system_anchors = self->use_system_anchors;
  job->hostname = g_strdup (self->hostname);
  job->purpose = self->purpose;
  job->profile = self->profile;
  job->expiry_warning_days = self->expiry_warning_days;
  job->verification_time = self->verification_time ? g_date_time_ref (self->verification_time) : NULL;

  return job;
}

/* The work of one verification. */
typedef struct {
  VerifyJob                *job;
  gnutls_x509_trust_list_t  list;
  GDateTime                *at;
  GPtrArray                *links;       /* of GhTrustLink */
  gboolean                  anchored;    /* the path ends at a trusted anchor */
  gboolean                  leaf_pinned; /* the leaf itself is an anchor */
} Verification;

static void
verification_clear (Verification *v)
{
  if (v->list != NULL)
    gnutls_x509_trust_list_deinit (v->list, 1);
  v->list = NULL;
  g_clear_pointer (&v->at, g_date_time_unref);
  g_clear_pointer (&v->links, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Verification, verification_clear)

/* Helpers */

static gnutls_x509_crt_t
crt_of (GhCertificate *certificate)
{
  return _gh_certificate_get_gnutls (certificate);
}

static gnutls_x509_crt_t
crt_copy (GhCertificate *certificate)
{
  gnutls_x509_crt_t copy = NULL;
  gsize length = 0;
  const guchar *der = g_bytes_get_data (gh_certificate_get_der (certificate), &length);
  gnutls_datum_t datum = { (guchar *) der, (unsigned int) length };

  if (gnutls_x509_crt_init (&copy) < 0)
    return NULL;
  if (gnutls_x509_crt_import (copy, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (copy);
      return NULL;
    }

  return copy;
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%d %H:%M UTC");
}

static const char *
name_of (GhCertificate *certificate)
{
  return gh_certificate_get_display_name (certificate);
}

static char *
issuer_name_of (GhCertificate *certificate)
{
  char *cn = gh_certificate_get_issuer_field (certificate, "CN");

  if (cn != NULL && *cn != '\0')
    return cn;

  g_free (cn);
  return g_strdup (gh_certificate_get_issuer (certificate));
}

static const char *
purpose_oid (GhTrustPurpose purpose)
{
  switch (purpose)
    {
    case GH_TRUST_PURPOSE_SERVER: return GH_EKU_SERVER_AUTH;
    case GH_TRUST_PURPOSE_CLIENT: return GH_EKU_CLIENT_AUTH;
    case GH_TRUST_PURPOSE_ANY:
    default: return NULL;
    }
}

static const char *
purpose_description (GhTrustPurpose purpose)
{
  switch (purpose)
    {
    case GH_TRUST_PURPOSE_SERVER: return _("TLS server authentication");
    case GH_TRUST_PURPOSE_CLIENT: return _("TLS client authentication");
    case GH_TRUST_PURPOSE_ANY:
    default: return _("any purpose");
    }
}

static const char *
profile_name (GhSecurityProfile profile)
{
  switch (profile)
    {
    case GH_SECURITY_PROFILE_LOW: return _("low");
    case GH_SECURITY_PROFILE_HIGH: return _("high");
    case GH_SECURITY_PROFILE_MEDIUM:
    default: return _("medium");
    }
}

static gnutls_certificate_verification_profiles_t
profile_to_gnutls (GhSecurityProfile profile)
{
  switch (profile)
    {
    case GH_SECURITY_PROFILE_LOW: return GNUTLS_PROFILE_LOW;
    case GH_SECURITY_PROFILE_HIGH: return GNUTLS_PROFILE_HIGH;
    case GH_SECURITY_PROFILE_MEDIUM:
    default: return GNUTLS_PROFILE_MEDIUM;
    }
}

static gnutls_sec_param_t
profile_to_sec_param (GhSecurityProfile profile)
{
  switch (profile)
    {
    case GH_SECURITY_PROFILE_LOW: return GNUTLS_SEC_PARAM_LOW;
    case GH_SECURITY_PROFILE_HIGH: return GNUTLS_SEC_PARAM_HIGH;
    case GH_SECURITY_PROFILE_MEDIUM:
    default: return GNUTLS_SEC_PARAM_MEDIUM;
    }
}

static char *
describe_ekus (GhCertificate *certificate)
{
  static const struct { const char *oid; const char *name; } known[] = {
    { GH_EKU_SERVER_AUTH, N_("TLS server authentication") },
    { GH_EKU_CLIENT_AUTH, N_("TLS client authentication") },
    { "1.3.6.1.5.5.7.3.3", N_("code signing") },
    { "1.3.6.1.5.5.7.3.4", N_("email protection") },
    { "1.3.6.1.5.5.7.3.8", N_("time stamping") },
    { "1.3.6.1.5.5.7.3.9", N_("OCSP signing") },
    { GNUTLS_KP_ANY, N_("any purpose") },
  };
  const char * const *ekus = gh_certificate_get_extended_key_usage (certificate);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; ekus != NULL && ekus[i] != NULL; i++)
    {
      const char *name = ekus[i];

      for (guint j = 0; j < G_N_ELEMENTS (known); j++)
        {
          if (g_str_equal (known[j].oid, ekus[i]))
            {
              name = _(known[j].name);
              break;
            }
        }
      g_strv_builder_add (builder, name);
    }

  names = g_strv_builder_end (builder);
  return g_strjoinv (", ", names);
}

/* The purpose check GnuTLS makes: a certificate without extended key usage may be
 * used for anything; the leaf may say anyExtendedKeyUsage, CA certificates may not. */
static gboolean
allows_purpose (GhCertificate *certificate,
                const char    *oid,
                gboolean       is_ca_link)
{
  const char * const *ekus = gh_certificate_get_extended_key_usage (certificate);

  if (ekus == NULL || ekus[0] == NULL)
    return TRUE;

  for (guint i = 0; ekus[i] != NULL; i++)
    {
      if (g_str_equal (ekus[i], oid))
        return TRUE;
      if (!is_ca_link && g_str_equal (ekus[i], GNUTLS_KP_ANY))
        return TRUE;
      if (is_ca_link && g_str_equal (oid, GH_EKU_SERVER_AUTH) && gh_certificate_is_ca (certificate) &&
          (g_str_equal (ekus[i], PURPOSE_NETSCAPE_SGC) || g_str_equal (ekus[i], PURPOSE_VERISIGN_SGC)))
        return TRUE;
    }

  return FALSE;
}

/* Anchors */

/* @anchor stands for @certificate: the same certificate, or (for a CA) the same name
 * and key, as when a CA's intermediate is also trusted as a root. */
static gboolean
same_anchor (GhCertificate *certificate,
             GhCertificate *anchor,
             gboolean       is_leaf)
{
  if (gh_certificate_equal (certificate, anchor))
    return TRUE;
  if (is_leaf)
    return FALSE;

  return g_str_equal (gh_certificate_get_subject (certificate), gh_certificate_get_subject (anchor)) &&
         g_str_equal (gh_certificate_get_public_key_id (certificate), gh_certificate_get_public_key_id (anchor));
}

/* Returns: (transfer full) (nullable): the anchor that @certificate is, if any */
static GhCertificate *
find_anchor_itself (Verification  *v,
                    GhCertificate *certificate,
                    gboolean       is_leaf)
{
  for (guint i = 0; i < v->job->anchors->len; i++)
    {
      GhCertificate *anchor = g_ptr_array_index (v->job->anchors, i);

      if (same_anchor (certificate, anchor, is_leaf))
        return g_object_ref (anchor);
    }

  if (v->job->use_system_anchors)
    {
      gnutls_datum_t dn = { NULL, 0 };
      gnutls_x509_crt_t copy = NULL;
      g_autoptr(GhCertificate) found = NULL;

      if (gnutls_x509_crt_get_raw_dn (crt_of (certificate), &dn) < 0)
        return NULL;
      if (gnutls_x509_trust_list_get_issuer_by_dn (v->list, &dn, &copy, 0) >= 0 && copy != NULL)
        found = _gh_certificate_new_take (copy);
      gnutls_free (dn.data);

      if (found != NULL && same_anchor (certificate, found, is_leaf))
        return g_steal_pointer (&found);
    }

  return NULL;
}

/* Returns: (transfer full) (nullable): the anchor whose key signed @certificate; else
 * in @name_only an anchor that only has the issuer's name (and key identifier) */
static GhCertificate *
find_anchor_issuer (Verification   *v,
                    GhCertificate  *certificate,
                    GhCertificate **name_only)
{
  for (guint i = 0; i < v->job->anchors->len; i++)
    {
      GhCertificate *anchor = g_ptr_array_index (v->job->anchors, i);

      if (gh_certificate_is_issued_by (certificate, anchor))
        return g_object_ref (anchor);
      if (*name_only == NULL && gnutls_x509_crt_check_issuer (crt_of (certificate), crt_of (anchor)))
        *name_only = g_object_ref (anchor);
    }

  if (v->job->use_system_anchors)
    {
      gnutls_x509_crt_t copy = NULL;
      g_autoptr(GhCertificate) found = NULL;

      if (gnutls_x509_trust_list_get_issuer (v->list, crt_of (certificate), &copy, GNUTLS_TL_GET_COPY) >= 0 &&
          copy != NULL)
        found = _gh_certificate_new_take (copy);

      if (found != NULL && gh_certificate_is_issued_by (certificate, found))
        return g_steal_pointer (&found);
      if (found != NULL && *name_only == NULL)
        *name_only = g_steal_pointer (&found);
    }

  return NULL;
}

static gboolean
in_path (Verification  *v,
         GhCertificate *certificate)
{
  for (guint i = 0; i < v->links->len; i++)
    {
      GhTrustLink *link = g_ptr_array_index (v->links, i);

      if (gh_certificate_equal (link->certificate, certificate))
        return TRUE;
    }

  return FALSE;
}

static gboolean
valid_at (GhCertificate *certificate,
          GDateTime     *at)
{
  return g_date_time_compare (gh_certificate_get_not_before (certificate), at) <= 0 &&
         g_date_time_compare (at, gh_certificate_get_not_after (certificate)) <= 0;
}

/* Returns: (transfer none) (nullable): the best of the given intermediates whose key
 * signed @certificate; else in @name_only one that only has the issuer's name */
static GhCertificate *
find_intermediate_issuer (Verification   *v,
                          GhCertificate  *certificate,
                          GhCertificate **name_only)
{
  GhCertificate *best = NULL;
  int best_score = -1;

  for (guint i = 0; i < v->job->intermediates->len; i++)
    {
      GhCertificate *candidate = g_ptr_array_index (v->job->intermediates, i);
      g_autoptr(GhCertificate) anchor = NULL;
      g_autoptr(GhCertificate) unused = NULL;
      int score = 0;

      if (in_path (v, candidate))
        continue;

      if (!gh_certificate_is_issued_by (certificate, candidate))
        {
          if (*name_only == NULL && gnutls_x509_crt_check_issuer (crt_of (certificate), crt_of (candidate)))
            *name_only = candidate;
          continue;
        }

      /* Of several issuers (cross-signed or renewed CAs), prefer one that leads to
       * an anchor, then one that is not a root of its own, then one valid now. */
      anchor = find_anchor_itself (v, candidate, FALSE);
      if (anchor == NULL)
        anchor = find_anchor_issuer (v, candidate, &unused);
      if (anchor != NULL)
        score += 4;
      if (!gh_certificate_is_self_signed (candidate))
        score += 2;
      if (valid_at (candidate, v->at))
        score += 1;

      if (score > best_score)
        {
          best = candidate;
          best_score = score;
        }
    }

  return best;
}

static GhTrustLink *
append_link (Verification    *v,
             GhCertificate   *certificate,
             GhTrustLinkRole  role)
{
  GhTrustLink *link = trust_link_new (certificate, role);

  g_ptr_array_add (v->links, link);
  return link;
}

static void
add_bad_signature (GhTrustLink   *link,
                   GhCertificate *issuer)
{
  GhCertificate *certificate = link->certificate;

  trust_link_add_finding (link, GH_FINDING_BAD_SIGNATURE, GH_SEVERITY_ERROR,
                          g_strdup_printf (_("The signature on “%s” does not verify with the key of its "
                                             "issuer “%s”: the certificate was altered, or this is not "
                                             "the issuer certificate that signed it."),
                                           name_of (certificate), name_of (issuer)),
                          g_strdup_printf (_("Get “%s” and its issuer certificate again from the CA; if "
                                             "the CA renewed “%s” with a new key, use the issuer "
                                             "certificate that signed this one."),
                                           name_of (certificate), name_of (issuer)));
}

/* Builds the path from the leaf to an anchor, or as far as it goes, and records the
 * findings of the path itself: missing intermediate, untrusted root, self-signed leaf,
 * bad signature. */
static void
build_path (Verification *v)
{
  GhCertificate *current = v->job->leaf;
  GhTrustLink *link = append_link (v, current, GH_TRUST_LINK_LEAF);

  while (v->links->len <= MAX_PATH_LENGTH)
    {
      gboolean is_leaf = v->links->len == 1;
      g_autoptr(GhCertificate) itself = find_anchor_itself (v, current, is_leaf);
      g_autoptr(GhCertificate) anchor = NULL;
      g_autoptr(GhCertificate) anchor_by_name = NULL;
      GhCertificate *intermediate = NULL;
      GhCertificate *intermediate_by_name = NULL;

      if (itself != NULL)
        {
          v->anchored = TRUE;
          if (is_leaf)
            {
              v->leaf_pinned = TRUE;
            }
          else
            {
              /* The trusted copy stands for the one the peer sent. */
              g_ptr_array_remove_index (v->links, v->links->len - 1);
              append_link (v, itself, GH_TRUST_LINK_ANCHOR);
            }
          return;
        }

      anchor = find_anchor_issuer (v, current, &anchor_by_name);
      if (anchor != NULL)
        {
          append_link (v, anchor, GH_TRUST_LINK_ANCHOR);
          v->anchored = TRUE;
          return;
        }

      if (gh_certificate_is_self_signed (current))
        return;   /* a root, but not one we trust */

      if (gh_certificate_is_self_issued (current))
        {
          /* Its own issuer by name, and its signature does not verify with its key. */
          add_bad_signature (link, current);
          return;
        }

      intermediate = find_intermediate_issuer (v, current, &intermediate_by_name);
      if (intermediate != NULL)
        {
          link = append_link (v, intermediate, GH_TRUST_LINK_INTERMEDIATE);
          current = intermediate;
          continue;
        }

      if (anchor_by_name != NULL)
        {
          add_bad_signature (link, anchor_by_name);
          append_link (v, anchor_by_name, GH_TRUST_LINK_ANCHOR);
          v->anchored = TRUE;
          return;
        }

      if (intermediate_by_name != NULL)
        {
          add_bad_signature (link, intermediate_by_name);
          link = append_link (v, intermediate_by_name, GH_TRUST_LINK_INTERMEDIATE);
          current = intermediate_by_name;
          continue;
        }

      {
        g_autofree char *issuer = issuer_name_of (current);

        trust_link_add_finding (link, GH_FINDING_MISSING_INTERMEDIATE, GH_SEVERITY_ERROR,
                                g_strdup_printf (_("The issuer of “%s”, “%s”, is neither among the "
                                                   "certificates given nor a trusted root, so the "
                                                   "chain stops here."),
                                                 name_of (current), issuer),
                                g_strdup_printf (_("Add the intermediate certificate “%s” to the chain "
                                                   "sent by the server (the CA’s bundle usually has it); "
                                                   "if “%s” is a root you trust, add it to the truststore."),
                                                 issuer, issuer));
      }
      return;
    }
}

/* Checks of each link */

static void
check_time (Verification *v,
            GhTrustLink  *link)
{
  GhCertificate *certificate = link->certificate;
  GDateTime *not_before = gh_certificate_get_not_before (certificate);
  GDateTime *not_after = gh_certificate_get_not_after (certificate);
  g_autofree char *until = format_time (not_after);

  if (g_date_time_compare (v->at, not_before) < 0)
    {
      g_autofree char *from = format_time (not_before);

      trust_link_add_finding (link, GH_FINDING_NOT_YET_VALID, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” is not valid before %s."), name_of (certificate), from),
                              g_strdup_printf (_("Check the clocks of this computer and of the gateway. If they "
                                                 "are right, wait until %s or have “%s” reissued with a start "
                                                 "date in the past."), from, name_of (certificate)));
    }
  else if (g_date_time_compare (not_after, v->at) < 0)
    {
      char *fix;

      switch (link->role)
        {
        case GH_TRUST_LINK_ANCHOR:
          fix = g_strdup_printf (_("Replace the root “%s” in the truststore with the CA’s current root, "
                                   "and make sure the chain leads to it."), name_of (certificate));
          break;
        case GH_TRUST_LINK_INTERMEDIATE:
          fix = g_strdup_printf (_("Replace the intermediate “%s” in the chain with the CA’s current "
                                   "one (the CA’s bundle has it)."), name_of (certificate));
          break;
        case GH_TRUST_LINK_LEAF:
        default:
          fix = g_strdup_printf (_("Renew “%s” and install the new certificate with its chain."),
                                 name_of (certificate));
          break;
        }

      trust_link_add_finding (link, GH_FINDING_EXPIRED, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” expired on %s."), name_of (certificate), until),
                              fix);
    }
  else if (v->job->expiry_warning_days > 0)
    {
      GTimeSpan left = g_date_time_difference (not_after, v->at);
      guint days = (guint) MAX (1, (left + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);

      if (left < (GTimeSpan) v->job->expiry_warning_days * G_TIME_SPAN_DAY)
        trust_link_add_finding (link, GH_FINDING_EXPIRES_SOON, GH_SEVERITY_WARNING,
                                g_strdup_printf (ngettext ("“%s” expires in %u day, on %s.",
                                                           "“%s” expires in %u days, on %s.", days),
                                                 name_of (certificate), days, until),
                                g_strdup_printf (_("Renew “%s” before %s and install the new certificate."),
                                                 name_of (certificate), until));
    }
}

static void
check_path_end (Verification *v)
{
  GhTrustLink *top = g_ptr_array_index (v->links, v->links->len - 1);
  GhCertificate *certificate = top->certificate;

  if (v->anchored || !gh_certificate_is_self_signed (certificate))
    {
      if (v->leaf_pinned && gh_certificate_is_self_signed (certificate))
        trust_link_add_finding (top, GH_FINDING_SELF_SIGNED, GH_SEVERITY_INFO,
                                g_strdup_printf (_("“%s” is self-signed; it is trusted because the "
                                                   "truststore holds this very certificate."),
                                                 name_of (certificate)),
                                g_strdup_printf (_("Nothing to do now. When “%s” is replaced, every "
                                                   "truststore that holds it needs the new one."),
                                                 name_of (certificate)));
      return;
    }

  if (v->links->len == 1)
    trust_link_add_finding (top, GH_FINDING_SELF_SIGNED, GH_SEVERITY_ERROR,
                            g_strdup_printf (_("“%s” is self-signed: nothing vouches for it but itself."),
                                             name_of (certificate)),
                            g_strdup_printf (_("Replace it with a certificate issued by a CA the peers trust; "
                                               "or, for a private deployment, add “%s” itself to the "
                                               "truststore of each peer."), name_of (certificate)));
  else
    trust_link_add_finding (top, GH_FINDING_UNTRUSTED_ROOT, GH_SEVERITY_ERROR,
                            g_strdup_printf (_("The chain ends at the root “%s”, which is not a trusted "
                                               "anchor."), name_of (certificate)),
                            g_strdup_printf (_("If you trust “%s”, add it to the truststore; otherwise have "
                                               "the certificate issued by a CA that is trusted."),
                                             name_of (certificate)));
}

/* MD5, SHA-1: GnuTLS refuses them in certificates (gnutls_sign_is_secure2() without
 * GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS still accepts SHA-1, which TLS may use). */
static gboolean
has_weak_signature (GhCertificate *certificate)
{
  int algorithm = gnutls_x509_crt_get_signature_algorithm (crt_of (certificate));

  return gh_certificate_has_weak_signature (certificate) || algorithm < 0 ||
         !gnutls_sign_is_secure2 (algorithm, GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS);
}

static void
check_signature_and_key (Verification *v,
                         GhTrustLink  *link)
{
  GhCertificate *certificate = link->certificate;
  unsigned int bits = 0;
  int algorithm = gnutls_x509_crt_get_pk_algorithm (crt_of (certificate), &bits);
  gnutls_sec_param_t needed = profile_to_sec_param (v->job->profile);

  if (has_weak_signature (certificate))
    {
      /* Nobody checks the signature of a trusted anchor, nor a root's own. */
      if (link->role == GH_TRUST_LINK_ANCHOR || gh_certificate_is_self_signed (certificate))
        trust_link_add_finding (link, GH_FINDING_WEAK_SIGNATURE, GH_SEVERITY_INFO,
                                g_strdup_printf (_("“%s” is signed with %s; that does not weaken the "
                                                   "chain, because the signature of a root or a "
                                                   "trusted certificate is not checked."),
                                                 name_of (certificate),
                                                 gh_certificate_get_signature_algorithm (certificate)),
                                g_strdup_printf (_("Nothing to do now; when the CA offers a version of “%s” "
                                                   "signed with SHA-256, prefer it."), name_of (certificate)));
      else
        trust_link_add_finding (link, GH_FINDING_WEAK_SIGNATURE, GH_SEVERITY_ERROR,
                                g_strdup_printf (_("“%s” is signed with %s, which is no longer secure: "
                                                   "such signatures can be forged."),
                                                 name_of (certificate),
                                                 gh_certificate_get_signature_algorithm (certificate)),
                                g_strdup_printf (_("Have “%s” reissued with a SHA-256 (or stronger) "
                                                   "signature."), name_of (certificate)));
    }

  if (algorithm < 0)
    return;

  if (gnutls_pk_bits_to_sec_param (algorithm, bits) < needed)
    {
      unsigned int needed_bits = gnutls_sec_param_to_pk_bits (algorithm, needed);

      trust_link_add_finding (link, GH_FINDING_SMALL_KEY, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” has a %u-bit %s key; the “%s” security profile "
                                                 "requires at least %u bits."),
                                               name_of (certificate), bits,
                                               gh_certificate_get_key_algorithm (certificate),
                                               profile_name (v->job->profile), needed_bits),
                              g_strdup_printf (_("Generate a new key (RSA of at least %u bits, or ECDSA "
                                                 "P-256) and have “%s” reissued for it."),
                                               MAX (needed_bits, 2048u), name_of (certificate)));
    }
  else if ((algorithm == GNUTLS_PK_RSA || algorithm == GNUTLS_PK_RSA_PSS || algorithm == GNUTLS_PK_DSA) &&
           bits < 2048)
    {
      trust_link_add_finding (link, GH_FINDING_SMALL_KEY, GH_SEVERITY_WARNING,
                              g_strdup_printf (_("“%s” has a %u-bit %s key, below the 2048 bits that "
                                                 "CAs and browsers require."),
                                               name_of (certificate), bits,
                                               gh_certificate_get_key_algorithm (certificate)),
                              g_strdup_printf (_("Generate a new key (RSA of at least 2048 bits, or ECDSA "
                                                 "P-256) and have “%s” reissued for it."),
                                               name_of (certificate)));
    }
}

static void
check_leaf (Verification *v,
            GhTrustLink  *link)
{
  GhCertificate *certificate = link->certificate;
  const char *oid = purpose_oid (v->job->purpose);

  if (v->job->hostname != NULL && !gh_certificate_matches_host (certificate, v->job->hostname))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *covered = NULL;
      char *message;

      g_strv_builder_addv (builder, (const char **) gh_certificate_get_dns_names (certificate));
      g_strv_builder_addv (builder, (const char **) gh_certificate_get_ip_addresses (certificate));
      names = g_strv_builder_end (builder);
      covered = g_strjoinv (", ", names);

      if (names[0] != NULL)
        message = g_strdup_printf (_("“%s” is not valid for the host name “%s”; it covers %s."),
                                   name_of (certificate), v->job->hostname, covered);
      else
        message = g_strdup_printf (_("“%s” is not valid for the host name “%s”; it names no host in "
                                     "its subject alternative names."),
                                   name_of (certificate), v->job->hostname);

      trust_link_add_finding (link, GH_FINDING_HOST_MISMATCH, GH_SEVERITY_ERROR, message,
                              g_strdup_printf (_("Use a certificate whose subject alternative names include "
                                                 "“%s”, or connect with a host name that “%s” covers."),
                                               v->job->hostname, name_of (certificate)));
    }

  if (oid == NULL)
    return;

  if (!allows_purpose (certificate, oid, FALSE))
    {
      g_autofree char *allowed = describe_ekus (certificate);

      trust_link_add_finding (link, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” may not be used for %s: its extended key usage "
                                                 "allows only %s."),
                                               name_of (certificate), purpose_description (v->job->purpose),
                                               allowed),
                              g_strdup_printf (_("Have “%s” reissued with the extended key usage “%s” (%s)."),
                                               name_of (certificate), purpose_description (v->job->purpose),
                                               oid));
    }

  /* TLS needs the leaf's key to sign (TLS 1.3, ECDHE, client authentication); only
   * RSA key exchange (TLS 1.2 and older) uses keyEncipherment instead. */
  if (gh_certificate_has_key_usage (certificate) &&
      !(gh_certificate_get_key_usage (certificate) & GH_KEY_USAGE_DIGITAL_SIGNATURE))
    {
      unsigned int bits = 0;
      gboolean rsa = gnutls_x509_crt_get_pk_algorithm (crt_of (certificate), &bits) == GNUTLS_PK_RSA;
      g_autofree char *fix = g_strdup_printf (_("Have “%s” reissued with the key usage digitalSignature "
                                                "(and keyEncipherment for an RSA key)."),
                                              name_of (certificate));

      if (v->job->purpose == GH_TRUST_PURPOSE_SERVER && rsa &&
          (gh_certificate_get_key_usage (certificate) & GH_KEY_USAGE_KEY_ENCIPHERMENT))
        trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_WARNING,
                                g_strdup_printf (_("The key usage of “%s” allows only RSA key exchange "
                                                   "(keyEncipherment), which TLS 1.3 and forward-secret "
                                                   "cipher suites cannot use."),
                                                 name_of (certificate)),
                                g_steal_pointer (&fix));
      else
        trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR,
                                g_strdup_printf (_("The key usage of “%s” does not include digitalSignature, "
                                                   "which %s needs."),
                                                 name_of (certificate), purpose_description (v->job->purpose)),
                                g_steal_pointer (&fix));
    }
}

/* @link issued @subject. */
static void
check_issuer (Verification *v,
              GhTrustLink  *link,
              GhTrustLink  *subject)
{
  GhCertificate *certificate = link->certificate;
  const char *oid = purpose_oid (v->job->purpose);

  /* GnuTLS, like most verifiers, accepts version 1 roots as CAs. */
  if (link->role == GH_TRUST_LINK_ANCHOR && gh_certificate_get_version (certificate) == 1)
    return;

  if (!gh_certificate_is_ca (certificate))
    {
      trust_link_add_finding (link, GH_FINDING_NOT_A_CA, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” issued “%s”, but it is not a CA certificate (its "
                                                 "basic constraints do not say CA:TRUE)."),
                                               name_of (certificate), name_of (subject->certificate)),
                              g_strdup_printf (_("Use the CA’s real intermediate certificate. If you made "
                                                 "“%s” yourself, reissue it with basicConstraints CA:TRUE and "
                                                 "the key usage keyCertSign."),
                                               name_of (certificate)));
    }
  else if (gh_certificate_has_key_usage (certificate) &&
           !(gh_certificate_get_key_usage (certificate) & GH_KEY_USAGE_KEY_CERT_SIGN))
    {
      trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("“%s” issued “%s”, but its key usage does not include "
                                                 "keyCertSign."),
                                               name_of (certificate), name_of (subject->certificate)),
                              g_strdup_printf (_("Have “%s” reissued with the key usage keyCertSign (and "
                                                 "cRLSign)."), name_of (certificate)));
    }

  /* GnuTLS holds the intermediates the peer sends to the purpose; the anchors (and a
   * root the peer sends, which GnuTLS sets aside) are trusted as they are. */
  if (oid != NULL && link->role == GH_TRUST_LINK_INTERMEDIATE && !gh_certificate_is_self_signed (certificate) &&
      !allows_purpose (certificate, oid, TRUE))
    {
      g_autofree char *allowed = describe_ekus (certificate);

      trust_link_add_finding (link, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR,
                              g_strdup_printf (_("The intermediate “%s” restricts what it issues to %s, "
                                                 "which excludes %s."),
                                               name_of (certificate), allowed,
                                               purpose_description (v->job->purpose)),
                              g_strdup_printf (_("Use an intermediate certificate of the CA meant for %s, "
                                                 "or ask the CA for a version of “%s” that allows it."),
                                               purpose_description (v->job->purpose), name_of (certificate)));
    }
}

static gboolean
crl_issued_by (gnutls_x509_crl_t  crl,
               GhCertificate     *issuer)
{
  gnutls_x509_crt_t crt = crt_of (issuer);
  unsigned int status = 0;

  if (!gnutls_x509_crl_check_issuer (crl, crt))
    return FALSE;
  if (gnutls_x509_crl_verify (crl, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                              GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS, &status) < 0)
    return FALSE;

  return (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND |
                    GNUTLS_CERT_SIGNER_NOT_CA)) == 0;
}

/* Returns: whether @crl lists @certificate, with the time in @when */
static gboolean
crl_lists (gnutls_x509_crl_t  crl,
           GhCertificate     *certificate,
           time_t            *when)
{
  guchar serial[128];
  size_t serial_size = sizeof serial;
  int count = gnutls_x509_crl_get_crt_count (crl);

  if (gnutls_x509_crt_get_serial (crt_of (certificate), serial, &serial_size) < 0)
    return FALSE;

  for (int i = 0; i < count; i++)
    {
      guchar listed[128];
      size_t listed_size = sizeof listed;
      time_t t = 0;

      if (gnutls_x509_crl_get_crt_serial (crl, i, listed, &listed_size, &t) < 0)
        continue;
      if (listed_size == serial_size && memcmp (listed, serial, serial_size) == 0)
        {
          *when = t;
          return TRUE;
        }
    }

  return FALSE;
}

/* Checks the path against the CRLs, and gives GnuTLS those that verify with their
 * issuer in the path. */
static void
check_revocation (Verification *v)
{
  for (guint c = 0; c < v->job->crls->len; c++)
    {
      GBytes *bytes = g_ptr_array_index (v->job->crls, c);
      gsize length = 0;
      const guchar *data = g_bytes_get_data (bytes, &length);
      gnutls_datum_t datum = { (guchar *) data, (unsigned int) length };
      gnutls_x509_crl_t crl = NULL;
      gboolean useful = FALSE;

      if (gnutls_x509_crl_init (&crl) < 0)
        continue;
      if (gnutls_x509_crl_import (crl, &datum, GNUTLS_X509_FMT_DER) < 0)
        {
          gnutls_x509_crl_deinit (crl);
          continue;
        }

      for (guint i = 0; i + 1 < v->links->len; i++)
        {
          GhTrustLink *link = g_ptr_array_index (v->links, i);
          GhTrustLink *issuer = g_ptr_array_index (v->links, i + 1);
          time_t when = 0;

          if (!crl_issued_by (crl, issuer->certificate))
            continue;

          useful = TRUE;
          if (crl_lists (crl, link->certificate, &when) &&
              !trust_link_has_finding (link, GH_FINDING_REVOKED))
            {
              g_autoptr(GDateTime) revoked = g_date_time_new_from_unix_utc (when);
              g_autofree char *date = format_time (revoked);

              trust_link_add_finding (link, GH_FINDING_REVOKED, GH_SEVERITY_ERROR,
                                      g_strdup_printf (_("“%s” was revoked by its issuer “%s” on %s."),
                                                       name_of (link->certificate),
                                                       name_of (issuer->certificate), date),
                                      g_strdup_printf (_("Get a new certificate to replace “%s” and install "
                                                         "it; a revoked certificate is never trusted again."),
                                                       name_of (link->certificate)));
            }
        }

      if (useful)
        gnutls_x509_trust_list_add_crls (v->list, &crl, 1, 0, 0);   /* the list owns it now */
      else
        {
          g_debug ("Ignoring a CRL that no certificate of the path signed");
          gnutls_x509_crl_deinit (crl);
        }
    }
}

static gboolean
verification_load_anchors (Verification  *v,
                           GCancellable  *cancellable,
                           GError       **error)
{
  int ret;

  if ((ret = gnutls_x509_trust_list_init (&v->list, 0)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not make a list of trusted certificates"));

  for (guint i = 0; i < v->job->anchors->len; i++)
    {
      gnutls_x509_crt_t copy = crt_copy (g_ptr_array_index (v->job->anchors, i));

      if (copy == NULL)
        continue;
      /* The list owns the copy, even when it drops it as a duplicate. */
      gnutls_x509_trust_list_add_cas (v->list, &copy, 1, GNUTLS_TL_NO_DUPLICATES);
    }

  if (v->job->use_system_anchors)
    {
      ret = gnutls_x509_trust_list_add_system_trust (v->list, 0, 0);
      if (ret < 0)
        return _gh_pki_set_gnutls_error (error, ret, _("Could not load the system’s trusted certificates"));
      if (ret == 0)
        g_debug ("The system has no trusted certificates");
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static VerifyResult *
verify_job_run (VerifyJob     *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_auto(Verification) v = { 0, };
  g_autoptr(VerifyResult) result = NULL;
  g_autofree gnutls_x509_crt_t *path = NULL;
  gnutls_typed_vdata_st data[2];
  const char *oid = purpose_oid (job->purpose);
  unsigned int n_data = 0, n_path = 0, status = 0;
  unsigned int flags = GNUTLS_PROFILE_TO_VFLAGS (profile_to_gnutls (job->profile));
  int ret;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  v.job = job;
  v.at = job->verification_time ? g_date_time_ref (job->verification_time) : g_date_time_new_now_utc ();
  v.links = g_ptr_array_new_with_free_func (g_object_unref);

  if (!verification_load_anchors (&v, cancellable, error))
    return NULL;

  build_path (&v);

  for (guint i = 0; i < v.links->len; i++)
    {
      GhTrustLink *link = g_ptr_array_index (v.links, i);

      check_time (&v, link);
      check_signature_and_key (&v, link);
      if (i == 0)
        check_leaf (&v, link);
      else
        check_issuer (&v, link, g_ptr_array_index (v.links, i - 1));
    }
  check_path_end (&v);
  check_revocation (&v);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* GnuTLS gets the path as built, without the anchor (it has that in its list). */
  path = g_new0 (gnutls_x509_crt_t, v.links->len);
  for (guint i = 0; i < v.links->len; i++)
    {
      GhTrustLink *link = g_ptr_array_index (v.links, i);

      if (link->role != GH_TRUST_LINK_ANCHOR || i == 0)
        path[n_path++] = crt_of (link->certificate);
    }

  if (job->hostname != NULL)
    {
      data[n_data].type = GNUTLS_DT_DNS_HOSTNAME;
      data[n_data].data = (unsigned char *) job->hostname;
      data[n_data].size = 0;
      n_data++;
    }
  if (oid != NULL)
    {
      data[n_data].type = GNUTLS_DT_KEY_PURPOSE_OID;
      data[n_data].data = (unsigned char *) oid;
      data[n_data].size = 0;
      n_data++;
    }

  /* At a time of the caller's choosing, the validity periods are checked here, not
   * by GnuTLS, which only knows the present. */
  if (job->verification_time != NULL)
    flags |= GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;

  ret = gnutls_x509_trust_list_verify_crt2 (v.list, path, n_path, data, n_data, flags, &status, NULL);
  if (ret < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not verify the certificate chain"));
      return NULL;
    }

  if (job->verification_time != NULL)
    {
      for (guint i = 0; i < v.links->len; i++)
        {
          GhTrustLink *link = g_ptr_array_index (v.links, i);

          if (trust_link_has_finding (link, GH_FINDING_EXPIRED))
            status |= GNUTLS_CERT_EXPIRED | GNUTLS_CERT_INVALID;
          if (trust_link_has_finding (link, GH_FINDING_NOT_YET_VALID))
            status |= GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_INVALID;
        }
    }

  result = g_new0 (VerifyResult, 1);
  result->links = g_steal_pointer (&v.links);
  result->gnutls_status = status;
  result->verified_at = g_steal_pointer (&v.at);

  return g_steal_pointer (&result);
}

static void
gh_trust_chain_apply (GhTrustChain *self,
                      VerifyResult *result)
{
  gboolean was_trusted = self->trusted;
  gboolean trusted;

  self->verified = TRUE;
  self->gnutls_status = result->gnutls_status;
  g_clear_pointer (&self->verified_at, g_date_time_unref);
  self->verified_at = g_date_time_ref (result->verified_at);

  trusted = result->gnutls_status == 0;
  for (guint i = 0; i < result->links->len; i++)
    {
      if (gh_trust_link_get_severity (g_ptr_array_index (result->links, i)) == GH_SEVERITY_ERROR)
        trusted = FALSE;
    }
  self->trusted = trusted;

  g_list_store_splice (self->links, 0, g_list_model_get_n_items (G_LIST_MODEL (self->links)),
                       result->links->pdata, result->links->len);

  if (was_trusted != trusted)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUSTED]);
}

/* GObject */

static void
gh_trust_chain_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhTrustChain *self = GH_TRUST_CHAIN (object);

  switch (prop_id)
    {
    case PROP_LEAF:
      g_value_set_object (value, self->leaf);
      break;

    case PROP_HOSTNAME:
      g_value_set_string (value, self->hostname);
      break;

    case PROP_TRUSTED:
      g_value_set_boolean (value, self->trusted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_trust_chain_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhTrustChain *self = GH_TRUST_CHAIN (object);

  switch (prop_id)
    {
    case PROP_LEAF:
      self->leaf = g_value_dup_object (value);
      break;

    case PROP_HOSTNAME:
      gh_trust_chain_set_hostname (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_trust_chain_dispose (GObject *object)
{
  GhTrustChain *self = GH_TRUST_CHAIN (object);

  g_clear_object (&self->leaf);
  g_clear_pointer (&self->intermediates, g_ptr_array_unref);
  g_clear_pointer (&self->anchors, g_ptr_array_unref);
  g_clear_pointer (&self->crls, g_ptr_array_unref);
  g_clear_object (&self->links);

  G_OBJECT_CLASS (gh_trust_chain_parent_class)->dispose (object);
}

static void
gh_trust_chain_finalize (GObject *object)
{
  GhTrustChain *self = GH_TRUST_CHAIN (object);

  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->verification_time, g_date_time_unref);
  g_clear_pointer (&self->verified_at, g_date_time_unref);

  G_OBJECT_CLASS (gh_trust_chain_parent_class)->finalize (object);
}

static void
gh_trust_chain_class_init (GhTrustChainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_trust_chain_get_property;
  object_class->set_property = gh_trust_chain_set_property;
  object_class->dispose = gh_trust_chain_dispose;
  object_class->finalize = gh_trust_chain_finalize;

  properties[PROP_LEAF] =
    g_param_spec_object ("leaf", NULL, NULL, GH_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOSTNAME] =
    g_param_spec_string ("hostname", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TRUSTED] =
    g_param_spec_boolean ("trusted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_trust_chain_init (GhTrustChain *self)
{
  self->intermediates = g_ptr_array_new_with_free_func (g_object_unref);
  self->anchors = g_ptr_array_new_with_free_func (g_object_unref);
  self->crls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->purpose = GH_TRUST_PURPOSE_SERVER;
  self->profile = GH_SECURITY_PROFILE_MEDIUM;
  self->expiry_warning_days = 30;
  self->links = g_list_store_new (GH_TYPE_TRUST_LINK);
  self->gnutls_status = GNUTLS_CERT_INVALID;
}

/* Public API */

/**
 * gh_trust_chain_new:
 * @leaf: the end-entity certificate
 * @intermediates: (nullable) (element-type GhCertificate): the other certificates the
 *   peer sent or the keystore holds, in any order; duplicates, the leaf again and
 *   certificates that are not on the path do no harm
 *
 * A chain to verify, by default for TLS server authentication, with the "medium"
 * security profile, a warning 30 days before expiry, and no anchors: set them with
 * gh_trust_chain_set_anchors() or gh_trust_chain_set_use_system_anchors().
 *
 * Returns: (transfer full): a new #GhTrustChain
 */
GhTrustChain *
gh_trust_chain_new (GhCertificate *leaf,
                    GPtrArray     *intermediates)
{
  GhTrustChain *self;

  g_return_val_if_fail (GH_IS_CERTIFICATE (leaf), NULL);

  self = g_object_new (GH_TYPE_TRUST_CHAIN, "leaf", leaf, NULL);

  for (guint i = 0; intermediates != NULL && i < intermediates->len; i++)
    {
      GhCertificate *certificate = g_ptr_array_index (intermediates, i);
      gboolean seen = gh_certificate_equal (certificate, leaf);

      g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), self);

      for (guint j = 0; !seen && j < self->intermediates->len; j++)
        seen = gh_certificate_equal (certificate, g_ptr_array_index (self->intermediates, j));
      if (!seen)
        g_ptr_array_add (self->intermediates, g_object_ref (certificate));
    }

  return self;
}

/**
 * gh_trust_chain_set_anchors:
 * @self: a #GhTrustChain
 * @anchors: (nullable) (element-type GhCertificate): the trusted certificates (a
 *   truststore's), replacing any set before
 */
void
gh_trust_chain_set_anchors (GhTrustChain *self,
                            GPtrArray    *anchors)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));

  g_ptr_array_set_size (self->anchors, 0);
  for (guint i = 0; anchors != NULL && i < anchors->len; i++)
    {
      g_return_if_fail (GH_IS_CERTIFICATE (g_ptr_array_index (anchors, i)));
      g_ptr_array_add (self->anchors, g_object_ref (g_ptr_array_index (anchors, i)));
    }
}

/* Trust the system's CA certificates too (as GnuTLS finds them), besides the anchors. */
void
gh_trust_chain_set_use_system_anchors (GhTrustChain *self,
                                       gboolean      use_system)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));

  self->use_system_anchors = !!use_system;
}

/* The host name (or IP address) the leaf must be valid for; %NULL checks none. */
void
gh_trust_chain_set_hostname (GhTrustChain *self,
                             const char   *hostname)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));

  if (hostname != NULL && *hostname == '\0')
    hostname = NULL;

  if (g_set_str (&self->hostname, hostname))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTNAME]);
}

void
gh_trust_chain_set_purpose (GhTrustChain   *self,
                            GhTrustPurpose  purpose)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));
  g_return_if_fail (purpose <= GH_TRUST_PURPOSE_CLIENT);

  self->purpose = purpose;
}

void
gh_trust_chain_set_profile (GhTrustChain      *self,
                            GhSecurityProfile  profile)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));
  g_return_if_fail (profile <= GH_SECURITY_PROFILE_HIGH);

  self->profile = profile;
}

/* How many days before a certificate expires it gets a warning; 0 for none. */
void
gh_trust_chain_set_expiry_warning_days (GhTrustChain *self,
                                        guint         days)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));

  self->expiry_warning_days = days;
}

/**
 * gh_trust_chain_set_verification_time:
 * @self: a #GhTrustChain
 * @time: (nullable): the time to verify at; %NULL for the time of verification
 *
 * Answers "will this chain still be good then?" (or "was it then?"): validity periods
 * and expiry warnings are checked against @time.
 */
void
gh_trust_chain_set_verification_time (GhTrustChain *self,
                                      GDateTime    *time)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));

  if (time != NULL)
    g_date_time_ref (time);
  g_clear_pointer (&self->verification_time, g_date_time_unref);
  self->verification_time = time;
}

/**
 * gh_trust_chain_add_crl:
 * @self: a #GhTrustChain
 * @crl: a certificate revocation list, DER or PEM (several PEM blocks are fine)
 * @error: return location for a #GH_PKI_ERROR
 *
 * A CRL counts when its signature verifies with the key of a certificate on the path.
 *
 * Returns: %TRUE when @crl was read
 */
gboolean
gh_trust_chain_add_crl (GhTrustChain  *self,
                        GBytes        *crl,
                        GError       **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gnutls_x509_crl_t *crls = NULL;
  unsigned int n_crls = 0;
  gnutls_datum_t datum;
  gsize length = 0;
  const guchar *data;
  gboolean pem;
  int ret;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), FALSE);
  g_return_val_if_fail (crl != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (crl, &length);
  if (!_gh_pki_check_input_size (length, error))
    return FALSE;

  pem = _gh_pki_looks_like_pem (data, length);
  datum.data = (guchar *) data;
  datum.size = (unsigned int) length;
  ret = gnutls_x509_crl_list_import2 (&crls, &n_crls, &datum,
                                      pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
  if (ret < 0 || n_crls == 0)
    {
      if (ret == GNUTLS_E_BASE64_DECODING_ERROR || ret == GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR ||
          ret >= 0 || (pem && ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE))
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                             _("No certificate revocation list found: expected DER or PEM blocks "
                               "“BEGIN X509 CRL”"));
      else
        _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate revocation list"));
      return FALSE;
    }

  for (unsigned int i = 0; i < n_crls; i++)
    {
      gnutls_datum_t der = { NULL, 0 };
      int exported = gnutls_x509_crl_export2 (crls[i], GNUTLS_X509_FMT_DER, &der);

      if (exported >= 0)
        {
          g_ptr_array_add (found, g_bytes_new (der.data, der.size));
          gnutls_free (der.data);
        }
      else
        {
          ret = exported;
        }
      gnutls_x509_crl_deinit (crls[i]);
    }
  gnutls_free (crls);

  if (ret < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate revocation list"));

  g_ptr_array_extend_and_steal (self->crls, g_steal_pointer (&found));
  return TRUE;
}

/**
 * gh_trust_chain_verify:
 * @self: a #GhTrustChain
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Builds the path and verifies it. A chain that is not trusted is not an error: the
 * links and their findings say why. Errors are for not being able to verify at all
 * (the system's trusted certificates cannot be read, cancelled).
 *
 * Returns: %TRUE when the chain was verified
 */
gboolean
gh_trust_chain_verify (GhTrustChain  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(VerifyJob) job = NULL;
  g_autoptr(VerifyResult) result = NULL;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = verify_job_new (self);
  result = verify_job_run (job, cancellable, error);
  if (result == NULL)
    return FALSE;

  gh_trust_chain_apply (self, result);
  return TRUE;
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyJob *job = task_data;
  GError *error = NULL;
  VerifyResult *result = verify_job_run (job, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) verify_result_free);
}

/**
 * gh_trust_chain_verify_async:
 * @self: a #GhTrustChain
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the chain is verified
 * @user_data: data for @callback
 *
 * Verifies in a thread (loading the system's trusted certificates takes a while) what
 * the chain's settings are now; the links change when gh_trust_chain_verify_finish()
 * is called.
 */
void
gh_trust_chain_verify_async (GhTrustChain        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_TRUST_CHAIN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_trust_chain_verify_async);
  g_task_set_task_data (task, verify_job_new (self), (GDestroyNotify) verify_job_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
gh_trust_chain_verify_finish (GhTrustChain  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(VerifyResult) verified = NULL;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_trust_chain_verify_async, FALSE);

  verified = g_task_propagate_pointer (G_TASK (result), error);
  if (verified == NULL)
    return FALSE;

  gh_trust_chain_apply (self, verified);
  return TRUE;
}

/**
 * gh_trust_chain_get_links:
 * @self: a #GhTrustChain
 *
 * The path as verified: the leaf, the intermediates in path order, then the anchor
 * when one was found. Empty before the first verification; updated in place by each.
 *
 * Returns: (transfer none): a #GListModel of #GhTrustLink
 */
GListModel *
gh_trust_chain_get_links (GhTrustChain *self)
{
  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), NULL);

  return G_LIST_MODEL (self->links);
}

/* Verified, GnuTLS accepts the chain, and no link has an error finding. */
gboolean
gh_trust_chain_is_trusted (GhTrustChain *self)
{
  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), FALSE);

  return self->trusted;
}

/* The gnutls_certificate_status_t of the last verification (with the validity checks
 * made at the verification time, when one is set); GNUTLS_CERT_INVALID before any. */
guint
gh_trust_chain_get_gnutls_status (GhTrustChain *self)
{
  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), GNUTLS_CERT_INVALID);

  return self->gnutls_status;
}

/* The worst finding's severity; ERROR when GnuTLS rejects the chain, or before any
 * verification. */
GhSeverity
gh_trust_chain_get_severity (GhTrustChain *self)
{
  GhSeverity worst = GH_SEVERITY_INFO;
  guint n;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), GH_SEVERITY_ERROR);

  if (!self->verified || self->gnutls_status != 0)
    return GH_SEVERITY_ERROR;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->links));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhTrustLink) link = g_list_model_get_item (G_LIST_MODEL (self->links), i);

      worst = MAX (worst, gh_trust_link_get_severity (link));
    }

  return worst;
}

static void
add_certificate_summary (JsonBuilder   *builder,
                         GhCertificate *certificate)
{
  g_autofree char *not_after = g_date_time_format_iso8601 (gh_certificate_get_not_after (certificate));

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "subject", gh_certificate_get_subject (certificate));
  gh_json_add_string (builder, "issuer", gh_certificate_get_issuer (certificate));
  gh_json_add_string (builder, "display_name", gh_certificate_get_display_name (certificate));
  gh_json_add_string (builder, "sha256_fingerprint", gh_certificate_get_sha256_fingerprint (certificate));
  gh_json_add_string (builder, "not_after", not_after);
  json_builder_end_object (builder);
}

/**
 * gh_trust_chain_to_json:
 * @self: a #GhTrustChain
 *
 * The verification's result, for `--json` output and the admin API:
 * `{ "trusted", "severity", "gnutls_status", "status_message", "hostname",
 *    "purpose", "profile", "verified_at", "links": [ { "role", "severity",
 *    "certificate": { "subject", "issuer", "display_name", "sha256_fingerprint",
 *    "not_after" }, "findings": [ { "kind", "severity", "message", "fix" } ] } ] }`
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
gh_trust_chain_to_json (GhTrustChain *self)
{
  static const char * const purposes[] = { "any", "server", "client" };
  static const char * const profiles[] = { "low", "medium", "high" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *verified_at = NULL;
  gnutls_datum_t status_text = { NULL, 0 };
  guint n;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), NULL);

  if (self->verified_at != NULL)
    verified_at = g_date_time_format_iso8601 (self->verified_at);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, self->trusted);
  gh_json_add_string (builder, "severity", severity_to_string (gh_trust_chain_get_severity (self)));
  json_builder_set_member_name (builder, "gnutls_status");
  json_builder_add_int_value (builder, self->gnutls_status);
  if (self->verified &&
      gnutls_certificate_verification_status_print (self->gnutls_status, GNUTLS_CRT_X509, &status_text, 0) >= 0)
    {
      g_autofree char *text = g_strstrip (g_strndup ((const char *) status_text.data, status_text.size));

      gh_json_add_string (builder, "status_message", text);
      gnutls_free (status_text.data);
    }
  else
    {
      gh_json_add_string (builder, "status_message", NULL);
    }
  gh_json_add_string (builder, "hostname", self->hostname);
  gh_json_add_string (builder, "purpose", purposes[self->purpose]);
  gh_json_add_string (builder, "profile", profiles[self->profile]);
  gh_json_add_string (builder, "verified_at", verified_at);

  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->links));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhTrustLink) link = g_list_model_get_item (G_LIST_MODEL (self->links), i);
      GListModel *findings = G_LIST_MODEL (link->findings);
      guint n_findings = g_list_model_get_n_items (findings);

      json_builder_begin_object (builder);
      gh_json_add_string (builder, "role", role_to_string (link->role));
      gh_json_add_string (builder, "severity", severity_to_string (gh_trust_link_get_severity (link)));
      json_builder_set_member_name (builder, "certificate");
      add_certificate_summary (builder, link->certificate);

      json_builder_set_member_name (builder, "findings");
      json_builder_begin_array (builder);
      for (guint j = 0; j < n_findings; j++)
        {
          g_autoptr(GhFinding) finding = g_list_model_get_item (findings, j);

          json_builder_begin_object (builder);
          gh_json_add_string (builder, "kind", gh_finding_kind_to_string (finding->kind));
          gh_json_add_string (builder, "severity", severity_to_string (finding->severity));
          gh_json_add_string (builder, "message", finding->message);
          gh_json_add_string (builder, "fix", finding->fix);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
