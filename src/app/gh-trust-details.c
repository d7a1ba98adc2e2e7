/* gh-trust-details.c — what the Trust page opens that is in neither store: a back-end's
 * certificate as the probe got it, and a revocation list of the truststore
 *
 * A node's card names its certificate by its SHA-256 fingerprint (trust.details).
 * The keystore's and truststore's certificates open as entries of their stores; a
 * back-end's is in the probe's answer only (GET /services/{name}/tls sends the chain
 * the back-end presented), so it opens as an entry of the "back-end (probed)" store,
 * with the rest of the chain the back-end sent after it, verified as the gateway
 * verifies it: against the truststore alone, for the name it expects. A revoked
 * certificate's fix is not the gateway's to make; what the page can show is the list
 * that revoked it, in an alert that says what it holds and what to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-details"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-backend-probe.h"
#include "gh-api-crl.h"
#include "gh-certificate-details.h"
#include "gh-trust-details.h"

/* The index of @fingerprint in @certificates, or -1. */
static int
find_certificate (GPtrArray  *certificates,
                  const char *fingerprint)
{
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (gh_certificate_get_sha256_fingerprint (g_ptr_array_index (certificates, i)), fingerprint) == 0)
      return (int) i;
  return -1;
}

AdwDialog *
gh_trust_backend_details_new (GHashTable *tls,
                              const char *fingerprint,
                              GListModel *truststore,
                              guint       warning_days)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (tls != NULL, NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  g_hash_table_iter_init (&iter, tls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GhApiTlsConnect *connect = gh_api_service_tls_get_connect (value);
      GhApiBackendProbe *probe = connect != NULL ? gh_api_tls_connect_get_probe (connect) : NULL;
      GPtrArray *certificates = probe != NULL ? gh_api_backend_probe_get_certificates (probe) : NULL;
      g_autoptr(GPtrArray) chain = NULL;
      g_autoptr(GhApiCertEntry) entry = NULL;
      int index;

      if (certificates == NULL || (index = find_certificate (certificates, fingerprint)) < 0)
        continue;

      /* From that certificate on, as the back-end sent them. */
      chain = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = (guint) index; i < certificates->len; i++)
        g_ptr_array_add (chain, g_object_ref (g_ptr_array_index (certificates, i)));
      entry = gh_api_cert_entry_new (GH_API_CERT_STORE_BACKEND,
                                     gh_certificate_get_display_name (g_ptr_array_index (chain, 0)));
      gh_api_cert_entry_update (entry, GH_API_CERT_KIND_TRUSTED, chain, NULL, NULL, warning_days);
      return gh_certificate_details_new_for_backend (entry, truststore, gh_api_backend_probe_get_verify_name (probe));
    }
  return NULL;
}

static char *
format_day (GDateTime *date)
{
  return date != NULL ? g_date_time_format (date, "%Y-%m-%d") : NULL;
}

AdwDialog *
gh_trust_crl_dialog_new (GListModel *crls,
                         const char *id)
{
  g_autoptr(GhApiCrl) crl = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *issued = NULL;
  g_autofree char *next = NULL;
  AdwDialog *dialog;
  gint64 n;

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; crls != NULL && i < g_list_model_get_n_items (crls) && crl == NULL; i++)
    {
      g_autoptr(GhApiCrl) candidate = g_list_model_get_item (crls, i);

      if (g_strcmp0 (gh_api_crl_get_id (candidate), id) == 0)
        crl = g_steal_pointer (&candidate);
    }
  if (crl == NULL)
    return NULL;

  g_string_append_printf (body, _("From %s."), gh_api_crl_get_issuer (crl) != NULL ? gh_api_crl_get_issuer (crl)
                                                                                : _("an unknown issuer"));
  g_string_append_c (body, '\n');
  if ((issued = format_day (gh_api_crl_get_this_update (crl))) != NULL)
    g_string_append_printf (body, _("Issued on %s."), issued);
  if ((next = format_day (gh_api_crl_get_next_update (crl))) != NULL)
    g_string_append_printf (body, _(" Next update due on %s."), next);
  g_string_append_c (body, '\n');
  n = gh_api_crl_get_n_revoked (crl);
  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "It revokes %u certificate", "It revokes %u certificates",
                                             (gulong) n), (guint) n);
  g_string_append (body, ".\n\n");
  g_string_append (body, _("The gateway refuses any certificate the list revokes. A revoked back-end certificate "
                           "is replaced on the back-end, by whoever runs it: ask them for a new certificate, then "
                           "probe again. The list stays in the truststore until it is replaced by a newer one from "
                           "the same issuer, or removed."));

  dialog = adw_alert_dialog_new (_("Revocation List"), body->str);
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "close");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "close");
  return dialog;
}
