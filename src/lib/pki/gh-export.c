/* gh-export.c — a keystore entry's certificate, chain or key written for other tools
 *
 * PEM, DER and PKCS#7 carry certificates only; a private key leaves only inside a
 * PKCS#12 file encrypted with a password the caller gives, in the profile it asks for
 * (modern or compatible, as gh_keystore_save() writes them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-export"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-export.h"
#include "gh-pki-private.h"

/**
 * gh_export_format_from_string:
 * @name: "pem", "der", "p7" (or "p7b", "pkcs7") or "p12" (or "pfx", "pkcs12")
 * @format: (out): the format
 *
 * Returns: whether @name is a format
 */
gboolean
gh_export_format_from_string (const char     *name,
                              GhExportFormat *format)
{
  static const struct {
    const char     *name;
    GhExportFormat  format;
  } names[] = {
    { "pem", GH_EXPORT_FORMAT_PEM },
    { "der", GH_EXPORT_FORMAT_DER },
    { "p7", GH_EXPORT_FORMAT_PKCS7 },
    { "p7b", GH_EXPORT_FORMAT_PKCS7 },
    { "pkcs7", GH_EXPORT_FORMAT_PKCS7 },
    { "p12", GH_EXPORT_FORMAT_PKCS12 },
    { "pfx", GH_EXPORT_FORMAT_PKCS12 },
    { "pkcs12", GH_EXPORT_FORMAT_PKCS12 },
  };

  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i].name) == 0)
        {
          if (format != NULL)
            *format = names[i].format;
          return TRUE;
        }
    }

  return FALSE;
}

static GBytes *
export_pkcs7 (GPtrArray  *chain,
              guint       count,
              GError    **error)
{
  gnutls_pkcs7_t p7 = NULL;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *bytes;
  int ret;

  if ((ret = gnutls_pkcs7_init (&p7)) < 0)
    goto failed;

  for (guint i = 0; i < count; i++)
    {
      if ((ret = gnutls_pkcs7_set_crt (p7, _gh_certificate_get_gnutls (g_ptr_array_index (chain, i)))) < 0)
        goto failed;
    }

  if ((ret = gnutls_pkcs7_export2 (p7, GNUTLS_X509_FMT_DER, &out)) < 0)
    goto failed;

  gnutls_pkcs7_deinit (p7);
  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;

failed:
  g_clear_pointer (&p7, gnutls_pkcs7_deinit);
  _gh_pki_set_gnutls_error (error, ret, _("Could not write the PKCS#7 file"));
  return NULL;
}

static GBytes *
export_pkcs12 (GhKeystoreEntry  *entry,
               GPtrArray        *chain,
               guint             count,
               const char       *password,
               GhPkcs12Profile   profile,
               GError          **error)
{
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystoreEntry) copy = NULL;
  g_autoptr(GPtrArray) exported = g_ptr_array_new ();

  if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is a trusted certificate, without a private key: export it as PEM, DER or PKCS#7"),
                   gh_keystore_entry_get_alias (entry));
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("A PKCS#12 file holds the private key: give a password to protect it"));
      return NULL;
    }

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (exported, g_ptr_array_index (chain, i));

  keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  gh_keystore_set_profile (keystore, profile);
  copy = gh_keystore_entry_new_key (gh_keystore_entry_get_alias (entry),
                                    gh_keystore_entry_get_private_key (entry), exported);
  if (!gh_keystore_add (keystore, copy, error))
    return NULL;

  return gh_keystore_serialize (keystore, password, error);
}

/**
 * gh_certificate_chain_export:
 * @certificates: (element-type GhCertificate): a chain, leaf first
 * @format: PEM, DER or PKCS#7
 * @chain: the whole chain rather than the leaf alone
 * @error: return location for a #GH_PKI_ERROR
 *
 * What a chain is written as for other tools when there is no key to go with it: the
 * Certificates page's export of a gateway's entry (the gateway never gives its keys).
 *
 * Returns: (transfer full): the file's content, or %NULL with @error set
 */
GBytes *
gh_certificate_chain_export (GPtrArray       *certificates,
                             GhExportFormat   format,
                             gboolean         chain,
                             GError         **error)
{
  guint count;

  g_return_val_if_fail (certificates != NULL && certificates->len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  count = chain ? certificates->len : 1;
  switch (format)
    {
    case GH_EXPORT_FORMAT_PEM:
      {
        g_autoptr(GString) text = g_string_new (NULL);
        gsize length;

        for (guint i = 0; i < count; i++)
          {
            g_autofree char *pem = gh_certificate_to_pem (g_ptr_array_index (certificates, i));

            g_string_append (text, pem);
          }
        length = text->len;
        return g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);
      }

    case GH_EXPORT_FORMAT_DER:
      if (count > 1)
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                               _("A DER file holds one certificate: export the chain as PEM or PKCS#7"));
          return NULL;
        }
      return g_bytes_ref (gh_certificate_get_der (g_ptr_array_index (certificates, 0)));

    case GH_EXPORT_FORMAT_PKCS7:
      return export_pkcs7 (certificates, count, error);

    case GH_EXPORT_FORMAT_PKCS12:
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("A PKCS#12 file holds a private key, and there is none here: export the "
                             "certificates as PEM, DER or PKCS#7"));
      return NULL;

    default:
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID, _("Unknown export format %d"), format);
      return NULL;
    }
}

/**
 * gh_keystore_entry_export:
 * @entry: a keystore entry
 * @format: the format to write
 * @chain: the whole chain, leaf first, rather than the certificate alone
 * @password: (nullable): for %GH_EXPORT_FORMAT_PKCS12, the password that protects it
 * @profile: for %GH_EXPORT_FORMAT_PKCS12, its encryption profile
 * @error: return location for a #GH_PKI_ERROR
 *
 * PEM, DER and PKCS#7 hold certificates only. PKCS#12 holds a key entry's private
 * key and certificates, encrypted with @password; it is the only way a private key
 * leaves the keystore here.
 *
 * Returns: (transfer full): the file's content, or %NULL with @error set
 */
GBytes *
gh_keystore_entry_export (GhKeystoreEntry  *entry,
                          GhExportFormat    format,
                          gboolean          chain,
                          const char       *password,
                          GhPkcs12Profile   profile,
                          GError          **error)
{
  GPtrArray *certificates;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  certificates = gh_keystore_entry_get_chain (entry);
  if (format == GH_EXPORT_FORMAT_PKCS12)
    return export_pkcs12 (entry, certificates, chain ? certificates->len : 1, password, profile, error);
  return gh_certificate_chain_export (certificates, format, chain, error);
}
