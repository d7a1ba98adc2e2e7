/* gh-crl.c — a certificate revocation list, as the truststore keeps it
 *
 * The truststore holds CRLs beside its CA certificates (PEM "X509 CRL" blocks in the
 * same bundle), and the gateway gives them to GnuTLS for the chains it verifies and to
 * GhTrustChain for the findings it shows. A GhCrl keeps the DER it was read from, so
 * that what is written back and what each verifier gets are the very bytes an admin
 * uploaded; the fields the admin API lists are read once, here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-crl"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-crl.h"
#include "gh-json.h"
#include "gh-pki-private.h"

#define MAX_LISTED_SERIALS 1000

struct _GhCrl
{
  GObject    parent_instance;

  GBytes    *der;
  char      *sha256;
  char      *issuer;
  GDateTime *this_update;
  GDateTime *next_update;
  GStrv      serials;
  guint      n_revoked;
};

G_DEFINE_FINAL_TYPE (GhCrl, gh_crl, G_TYPE_OBJECT)

static void
gh_crl_finalize (GObject *object)
{
  GhCrl *self = GH_CRL (object);

  g_clear_pointer (&self->der, g_bytes_unref);
  g_free (self->sha256);
  g_free (self->issuer);
  g_clear_pointer (&self->this_update, g_date_time_unref);
  g_clear_pointer (&self->next_update, g_date_time_unref);
  g_strfreev (self->serials);

  G_OBJECT_CLASS (gh_crl_parent_class)->finalize (object);
}

static void
gh_crl_class_init (GhCrlClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_crl_finalize;
}

static void
gh_crl_init (GhCrl *self)
{
}

static gnutls_x509_crl_t
import_crl (GBytes  *der,
            GError **error)
{
  gnutls_x509_crl_t crl = NULL;
  gsize length = 0;
  const guchar *data = g_bytes_get_data (der, &length);
  gnutls_datum_t datum = { (guchar *) data, (unsigned int) length };
  int ret;

  if (!_gh_pki_check_input_size (length, error))
    return NULL;
  if ((ret = gnutls_x509_crl_init (&crl)) < 0 ||
      (ret = gnutls_x509_crl_import (crl, &datum, GNUTLS_X509_FMT_DER)) < 0)
    {
      g_clear_pointer (&crl, gnutls_x509_crl_deinit);
      _gh_pki_set_gnutls_error (error, ret, _("Cannot read the revocation list"));
      return NULL;
    }

  return crl;
}

/**
 * gh_crl_new_from_der:
 * @der: a DER-encoded CRL
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
GhCrl *
gh_crl_new_from_der (GBytes  *der,
                     GError **error)
{
  g_autoptr(GhCrl) self = NULL;
  gnutls_x509_crl_t crl;
  gnutls_datum_t dn = { NULL, 0 };
  g_autoptr(GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  guchar digest[32];
  size_t digest_size = sizeof digest;
  time_t next;
  int count;

  g_return_val_if_fail (der != NULL, NULL);

  if ((crl = import_crl (der, error)) == NULL)
    return NULL;

  self = g_object_new (GH_TYPE_CRL, NULL);
  self->der = g_bytes_ref (der);
  if (gnutls_fingerprint (GNUTLS_DIG_SHA256, &(gnutls_datum_t) { (guchar *) g_bytes_get_data (der, NULL),
                                                                  (unsigned int) g_bytes_get_size (der) },
                          digest, &digest_size) >= 0)
    self->sha256 = _gh_pki_hex (digest, digest_size, TRUE);
  if (gnutls_x509_crl_get_issuer_dn3 (crl, &dn, 0) >= 0)
    self->issuer = g_utf8_make_valid ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);
  self->this_update = g_date_time_new_from_unix_utc (gnutls_x509_crl_get_this_update (crl));
  next = gnutls_x509_crl_get_next_update (crl);
  if (next != (time_t) -1)
    self->next_update = g_date_time_new_from_unix_utc (next);

  count = gnutls_x509_crl_get_crt_count (crl);
  self->n_revoked = MAX (count, 0);
  for (int i = 0; i < count && i < MAX_LISTED_SERIALS; i++)
    {
      guchar serial[64];
      size_t serial_size = sizeof serial;

      if (gnutls_x509_crl_get_crt_serial (crl, i, serial, &serial_size, NULL) >= 0)
        g_ptr_array_add (serials, _gh_pki_hex (serial, serial_size, FALSE));
    }
  g_ptr_array_add (serials, NULL);
  self->serials = (GStrv) g_ptr_array_free (g_steal_pointer (&serials), FALSE);
  gnutls_x509_crl_deinit (crl);

  return g_steal_pointer (&self);
}

typedef struct {
  GPtrArray *crls;
} PemRead;

static gboolean
read_crl_block (const char  *label,
                GBytes      *block,
                guint        number,
                const char  *friendly_name,
                const char  *local_key_id,
                gpointer     user_data,
                GError     **error)
{
  PemRead *read = user_data;
  gsize length = 0;
  const char *data = g_bytes_get_data (block, &length);
  gnutls_datum_t pem = { (guchar *) data, (unsigned int) length };
  gnutls_datum_t der = { NULL, 0 };
  g_autoptr(GBytes) bytes = NULL;
  GhCrl *crl;
  int ret;

  if (!g_str_equal (label, "X509 CRL"))
    return TRUE;

  if ((ret = gnutls_pem_base64_decode2 ("X509 CRL", &pem, &der)) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Block %u is not a revocation list"), number);

      return _gh_pki_set_gnutls_error (error, ret, what);
    }
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  if ((crl = gh_crl_new_from_der (bytes, error)) == NULL)
    {
      g_prefix_error (error, _("Block %u: "), number);
      return FALSE;
    }
  g_ptr_array_add (read->crls, crl);
  return TRUE;
}

/**
 * gh_crl_list_from_pem:
 * @text: PEM text
 * @length: its length, or -1 when NUL-terminated
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type GhCrl): the lists, in order
 */
GPtrArray *
gh_crl_list_from_pem (const char  *text,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(GPtrArray) crls = g_ptr_array_new_with_free_func (g_object_unref);
  PemRead read = { crls };
  guint n_blocks = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (!_gh_pki_check_input_size (length, error) ||
      !_gh_pem_foreach_block (text, length, read_crl_block, &read, &n_blocks, error))
    return NULL;
  if (crls->len == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("No revocation list found: send PEM “X509 CRL” blocks"));
      return NULL;
    }

  return g_steal_pointer (&crls);
}

GBytes *
gh_crl_get_der (GhCrl *self)
{
  g_return_val_if_fail (GH_IS_CRL (self), NULL);
  return self->der;
}

char *
gh_crl_to_pem (GhCrl *self)
{
  gnutls_datum_t der;
  gnutls_datum_t pem = { NULL, 0 };
  char *result;

  g_return_val_if_fail (GH_IS_CRL (self), NULL);

  der.data = (guchar *) g_bytes_get_data (self->der, NULL);
  der.size = (unsigned int) g_bytes_get_size (self->der);
  if (gnutls_pem_base64_encode2 ("X509 CRL", &der, &pem) < 0)
    return NULL;
  result = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  return result;
}

#define GETTER(type, name, field) \
  type \
  gh_crl_get_##name (GhCrl *self) \
  { \
    g_return_val_if_fail (GH_IS_CRL (self), 0); \
    return self->field; \
  }

GETTER (const char *, sha256_fingerprint, sha256)
GETTER (const char *, issuer, issuer)
GETTER (GDateTime *, this_update, this_update)
GETTER (GDateTime *, next_update, next_update)
GETTER (guint, n_revoked, n_revoked)

#undef GETTER

GStrv
gh_crl_dup_revoked_serials (GhCrl *self)
{
  g_return_val_if_fail (GH_IS_CRL (self), NULL);
  return g_strdupv (self->serials);
}

gboolean
gh_crl_is_issued_by (GhCrl         *self,
                     GhCertificate *issuer)
{
  gnutls_x509_crl_t crl;
  gnutls_x509_crt_t crt;
  unsigned int status = 0;
  gboolean issued;

  g_return_val_if_fail (GH_IS_CRL (self), FALSE);
  g_return_val_if_fail (GH_IS_CERTIFICATE (issuer), FALSE);

  if ((crl = import_crl (self->der, NULL)) == NULL)
    return FALSE;
  crt = _gh_certificate_get_gnutls (issuer);
  issued = gnutls_x509_crl_check_issuer (crl, crt) &&
           gnutls_x509_crl_verify (crl, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status) >= 0 &&
           status == 0;
  gnutls_x509_crl_deinit (crl);
  return issued;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  if (time != NULL)
    gh_json_add_time (builder, name, g_date_time_to_unix_usec (time));
  else
    gh_json_add_string (builder, name, NULL);
}

JsonNode *
gh_crl_to_json (GhCrl *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *pem = NULL;

  g_return_val_if_fail (GH_IS_CRL (self), NULL);

  pem = gh_crl_to_pem (self);
  json_builder_begin_object (builder);
  gh_json_add_string (builder, "id", self->sha256);
  gh_json_add_string (builder, "issuer", self->issuer);
  add_time (builder, "this_update", self->this_update);
  add_time (builder, "next_update", self->next_update);
  gh_json_add_int (builder, "revoked", self->n_revoked);
  gh_json_add_strv (builder, "revoked_serials", (const char * const *) self->serials);
  gh_json_add_string (builder, "pem", pem);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
