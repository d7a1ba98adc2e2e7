/* gh-trust-verify.c — one verification of a trust chain: the path built, each link
 * checked, and GnuTLS's own verdict
 *
 * The path is built here (leaf, then each issuer found among the intermediates or the
 * anchors), then GnuTLS verifies it with gnutls_x509_trust_list_verify_crt2(). The
 * findings explain, link by link, what GnuTLS (or a TLS peer) will object to, and how
 * to fix it. Each check mirrors the one GnuTLS makes, so that "no error finding" and
 * "GnuTLS says OK" agree; a few checks (the leaf's key usage, small RSA keys under a
 * lenient profile) are ours alone.
 *
 * Everything here works on a GhTrustVerifyJob, a snapshot of a chain's inputs, and
 * builds a GhTrustVerifyResult apart, so that it can run in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-chain"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-trust-chain-private.h"

/* Longer paths are not built: real ones have one to three intermediates. */
#define MAX_PATH_LENGTH 16

/* Netscape and VeriSign "server gated crypto": old CA certificates carry these instead
 * of id-kp-serverAuth, and GnuTLS accepts them in CA certificates for that purpose. */
#define PURPOSE_NETSCAPE_SGC "2.16.840.1.113730.4.1"
#define PURPOSE_VERISIGN_SGC "2.16.840.1.113733.1.8.1"

void
_gh_trust_verify_job_free (GhTrustVerifyJob *job)
{
  g_clear_object (&job->leaf);
  g_clear_pointer (&job->intermediates, g_ptr_array_unref);
  g_clear_pointer (&job->anchors, g_ptr_array_unref);
  g_clear_pointer (&job->crls, g_ptr_array_unref);
  g_clear_pointer (&job->hostname, g_free);
  g_clear_pointer (&job->verification_time, g_date_time_unref);
  g_free (job);
}

void
_gh_trust_verify_result_free (GhTrustVerifyResult *result)
{
  g_clear_pointer (&result->links, g_ptr_array_unref);
  g_clear_pointer (&result->verified_at, g_date_time_unref);
  g_free (result);
}


/* The work of one verification. */
typedef struct {
  GhTrustVerifyJob                *job;
  gnutls_x509_trust_list_t  list;
  GDateTime                *at;
  GPtrArray                *links;       /* of GhTrustLink */
  gboolean                  anchored;    /* the path ends at a trusted anchor */
  gboolean                  leaf_pinned; /* the leaf itself is an anchor */
  gboolean                  anchor_signature_unchecked; /* left to GnuTLS (find_anchor_issuer) */
  gboolean                  anchors_borrowed; /* the list holds the anchors' own crts */
} Verification;

static void
verification_clear (Verification *v)
{
  if (v->list != NULL)
    gnutls_x509_trust_list_deinit (v->list, !v->anchors_borrowed);
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
  GhCertificate *identified = NULL;
  guint n_identified = 0;

  /* One anchor only names the issuer with the key identifier the certificate names:
   * the path ends there, and its signature is left to GnuTLS, which checks it anyway
   * (a failure there becomes the bad-signature finding, see mark_bad_signatures()).
   * A signature is the costly part of verifying a chain, and a keystore's list
   * verifies one chain per entry. Several such anchors, or no key identifiers: the
   * signatures choose, below. */
  if (!v->job->use_system_anchors && gh_certificate_get_authority_key_id (certificate) != NULL)
    {
      for (guint i = 0; i < v->job->anchors->len; i++)
        {
          GhCertificate *anchor = g_ptr_array_index (v->job->anchors, i);

          if (gh_certificate_get_subject_key_id (anchor) != NULL && _gh_certificate_names_issuer (certificate, anchor))
            {
              identified = anchor;
              n_identified++;
            }
        }
      if (n_identified == 1)
        {
          v->anchor_signature_unchecked = TRUE;
          return g_object_ref (identified);
        }
    }

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
  GhTrustLink *link = _gh_trust_link_new (certificate, role);

  g_ptr_array_add (v->links, link);
  return link;
}

static void
add_bad_signature (GhTrustLink   *link,
                   GhCertificate *issuer)
{
  GhCertificate *certificate = link->certificate;

  _gh_trust_link_add_finding (link, GH_FINDING_BAD_SIGNATURE, GH_SEVERITY_ERROR,
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

        _gh_trust_link_add_finding (link, GH_FINDING_MISSING_INTERMEDIATE, GH_SEVERITY_ERROR,
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

      _gh_trust_link_add_finding (link, GH_FINDING_NOT_YET_VALID, GH_SEVERITY_ERROR,
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

      _gh_trust_link_add_finding (link, GH_FINDING_EXPIRED, GH_SEVERITY_ERROR,
                                  g_strdup_printf (_("“%s” expired on %s."), name_of (certificate), until),
                                  fix);
    }
  else if (v->job->expiry_warning_days > 0)
    {
      GTimeSpan left = g_date_time_difference (not_after, v->at);
      guint days = (guint) MAX (1, (left + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);

      if (left < (GTimeSpan) v->job->expiry_warning_days * G_TIME_SPAN_DAY)
        _gh_trust_link_add_finding (link, GH_FINDING_EXPIRES_SOON, GH_SEVERITY_WARNING,
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
        _gh_trust_link_add_finding (top, GH_FINDING_SELF_SIGNED, GH_SEVERITY_INFO,
                                    g_strdup_printf (_("“%s” is self-signed; it is trusted because the "
                                                       "truststore holds this very certificate."),
                                                     name_of (certificate)),
                                    g_strdup_printf (_("Nothing to do now. When “%s” is replaced, every "
                                                       "truststore that holds it needs the new one."),
                                                     name_of (certificate)));
      return;
    }

  if (v->links->len == 1)
    _gh_trust_link_add_finding (top, GH_FINDING_SELF_SIGNED, GH_SEVERITY_ERROR,
                                g_strdup_printf (_("“%s” is self-signed: nothing vouches for it but itself."),
                                                 name_of (certificate)),
                                g_strdup_printf (_("Replace it with a certificate issued by a CA the peers trust; "
                                                   "or, for a private deployment, add “%s” itself to the "
                                                   "truststore of each peer."), name_of (certificate)));
  else
    _gh_trust_link_add_finding (top, GH_FINDING_UNTRUSTED_ROOT, GH_SEVERITY_ERROR,
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
        _gh_trust_link_add_finding (link, GH_FINDING_WEAK_SIGNATURE, GH_SEVERITY_INFO,
                                    g_strdup_printf (_("“%s” is signed with %s; that does not weaken the "
                                                       "chain, because the signature of a root or a "
                                                       "trusted certificate is not checked."),
                                                     name_of (certificate),
                                                     gh_certificate_get_signature_algorithm (certificate)),
                                    g_strdup_printf (_("Nothing to do now; when the CA offers a version of “%s” "
                                                       "signed with SHA-256, prefer it."), name_of (certificate)));
      else
        _gh_trust_link_add_finding (link, GH_FINDING_WEAK_SIGNATURE, GH_SEVERITY_ERROR,
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

      _gh_trust_link_add_finding (link, GH_FINDING_SMALL_KEY, GH_SEVERITY_ERROR,
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
      _gh_trust_link_add_finding (link, GH_FINDING_SMALL_KEY, GH_SEVERITY_WARNING,
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

      _gh_trust_link_add_finding (link, GH_FINDING_HOST_MISMATCH, GH_SEVERITY_ERROR, message,
                                  g_strdup_printf (_("Use a certificate whose subject alternative names include "
                                                     "“%s”, or connect with a host name that “%s” covers."),
                                                   v->job->hostname, name_of (certificate)));
    }

  if (oid == NULL)
    return;

  if (!allows_purpose (certificate, oid, FALSE))
    {
      g_autofree char *allowed = describe_ekus (certificate);

      _gh_trust_link_add_finding (link, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR,
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
        _gh_trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_WARNING,
                                    g_strdup_printf (_("The key usage of “%s” allows only RSA key exchange "
                                                       "(keyEncipherment), which TLS 1.3 and forward-secret "
                                                       "cipher suites cannot use."),
                                                     name_of (certificate)),
                                    g_steal_pointer (&fix));
      else
        _gh_trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR,
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
      _gh_trust_link_add_finding (link, GH_FINDING_NOT_A_CA, GH_SEVERITY_ERROR,
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
      _gh_trust_link_add_finding (link, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR,
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

      _gh_trust_link_add_finding (link, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR,
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
              !_gh_trust_link_has_finding (link, GH_FINDING_REVOKED))
            {
              g_autoptr(GDateTime) revoked = g_date_time_new_from_unix_utc (when);
              g_autofree char *date = format_time (revoked);

              _gh_trust_link_add_finding (link, GH_FINDING_REVOKED, GH_SEVERITY_ERROR,
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

  /* Given anchors only, and no CRLs: the list borrows each anchor's own parsed
   * certificate (read, never changed, by every chain verified against it), and is
   * freed without them. Parsing a copy of each anchor for each chain was a third of
   * what verifying a keystore's chains cost. GnuTLS frees a duplicate it is given, so
   * duplicates are left out here. */
  if (!v->job->use_system_anchors && v->job->crls->len == 0)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      v->anchors_borrowed = TRUE;
      for (guint i = 0; i < v->job->anchors->len; i++)
        {
          GhCertificate *anchor = g_ptr_array_index (v->job->anchors, i);
          gnutls_x509_crt_t crt = crt_of (anchor);

          if (g_hash_table_add (seen, (gpointer) gh_certificate_get_sha256_fingerprint (anchor)))
            gnutls_x509_trust_list_add_cas (v->list, &crt, 1, 0);
        }
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }

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

/* GnuTLS found a signature that does not verify, and the path's anchor was taken by
 * its name and key identifier: the link it signed gets the finding build_path() would
 * have given it. */
static void
mark_bad_signatures (Verification *v)
{
  for (guint i = 1; i < v->links->len; i++)
    {
      GhTrustLink *link = g_ptr_array_index (v->links, i - 1);
      GhCertificate *issuer = ((GhTrustLink *) g_ptr_array_index (v->links, i))->certificate;

      if (!_gh_trust_link_has_finding (link, GH_FINDING_BAD_SIGNATURE) &&
          !gh_certificate_is_issued_by (link->certificate, issuer))
        add_bad_signature (link, issuer);
    }
}

GhTrustVerifyResult *
_gh_trust_verify_job_run (GhTrustVerifyJob     *job,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_auto(Verification) v = { 0, };
  g_autoptr(GhTrustVerifyResult) result = NULL;
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

  if ((status & GNUTLS_CERT_SIGNATURE_FAILURE) && v.anchor_signature_unchecked)
    mark_bad_signatures (&v);

  if (job->verification_time != NULL)
    {
      for (guint i = 0; i < v.links->len; i++)
        {
          GhTrustLink *link = g_ptr_array_index (v.links, i);

          if (_gh_trust_link_has_finding (link, GH_FINDING_EXPIRED))
            status |= GNUTLS_CERT_EXPIRED | GNUTLS_CERT_INVALID;
          if (_gh_trust_link_has_finding (link, GH_FINDING_NOT_YET_VALID))
            status |= GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_INVALID;
        }
    }

  result = g_new0 (GhTrustVerifyResult, 1);
  result->links = g_steal_pointer (&v.links);
  result->gnutls_status = status;
  result->verified_at = g_steal_pointer (&v.at);

  return g_steal_pointer (&result);
}
