/* gh-trust-chain.c — the path from a certificate to a trusted anchor, verified, with
 * typed findings on each link
 *
 * The chain holds the inputs (leaf, intermediates, anchors, CRLs, host name, purpose,
 * profile) and the result of the last verification (its links). The verification
 * itself is in gh-trust-verify.c: it works on a snapshot of the inputs and builds its
 * result apart, so that gh_trust_chain_verify_async() can run it in a thread while the
 * chain stays usable; the result is applied to the chain in the caller's thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-chain"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-json.h"
#include "gh-trust-chain-private.h"

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
  gboolean           anchor_unknown_ok; /* a served chain: the clients decide its root */
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


static GhTrustVerifyJob *
verify_job_new (GhTrustChain *self)
{
  GhTrustVerifyJob *job = g_new0 (GhTrustVerifyJob, 1);

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

static void
gh_trust_chain_apply (GhTrustChain *self,
                      GhTrustVerifyResult *result)
{
  gboolean was_trusted = self->trusted;
  gboolean trusted;

  self->verified = TRUE;
  self->gnutls_status = result->gnutls_status;
  self->anchor_unknown_ok = FALSE;
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
  g_autoptr(GhTrustVerifyJob) job = NULL;
  g_autoptr(GhTrustVerifyResult) result = NULL;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = verify_job_new (self);
  result = _gh_trust_verify_job_run (job, cancellable, error);
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
  GhTrustVerifyJob *job = task_data;
  GError *error = NULL;
  GhTrustVerifyResult *result = _gh_trust_verify_job_run (job, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) _gh_trust_verify_result_free);
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
  g_task_set_task_data (task, verify_job_new (self), (GDestroyNotify) _gh_trust_verify_job_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
gh_trust_chain_verify_finish (GhTrustChain  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(GhTrustVerifyResult) verified = NULL;

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

/* GnuTLS found nothing wrong, or only that no anchor it knows signed the root, when
 * that is the clients' to decide. */
gboolean
_gh_trust_chain_status_is_fine (GhTrustChain *self)
{
  guint status = self->gnutls_status;

  if (self->anchor_unknown_ok)
    status &= ~(guint) GNUTLS_CERT_SIGNER_NOT_FOUND;
  return status == 0 || (self->anchor_unknown_ok && status == GNUTLS_CERT_INVALID);
}

void
_gh_trust_chain_leave_anchor_to_clients (GhTrustChain *self)
{
  g_return_if_fail (GH_IS_TRUST_CHAIN (self));
  self->anchor_unknown_ok = TRUE;
}

/* The worst finding's severity; ERROR when GnuTLS rejects the chain, or before any
 * verification. */
GhSeverity
gh_trust_chain_get_severity (GhTrustChain *self)
{
  GhSeverity worst = GH_SEVERITY_INFO;
  guint n;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (self), GH_SEVERITY_ERROR);

  if (!self->verified || !_gh_trust_chain_status_is_fine (self))
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
  gh_json_add_string (builder, "severity", _gh_severity_to_string (gh_trust_chain_get_severity (self)));
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
      gh_json_add_string (builder, "role", _gh_trust_link_role_to_string (link->role));
      gh_json_add_string (builder, "severity", _gh_severity_to_string (gh_trust_link_get_severity (link)));
      json_builder_set_member_name (builder, "certificate");
      add_certificate_summary (builder, link->certificate);

      json_builder_set_member_name (builder, "findings");
      json_builder_begin_array (builder);
      for (guint j = 0; j < n_findings; j++)
        {
          g_autoptr(GhFinding) finding = g_list_model_get_item (findings, j);

          json_builder_begin_object (builder);
          gh_json_add_string (builder, "kind", gh_finding_kind_to_string (finding->kind));
          gh_json_add_string (builder, "severity", _gh_severity_to_string (finding->severity));
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

