/* gh-ctl-keystore-verify.c — `gatehousectl keystore verify ALIAS` and `keystore list
 * --verify`: key entries' chains against a truststore
 *
 * Both build the chain the same way (the certificates after the leaf are the
 * intermediates, the truststore's certificates the anchors, a TLS server the purpose)
 * and read the truststore once. `verify` prints one chain's every finding; `list
 * --verify` says per entry whether its chain is trusted and, when not, the first
 * error in words, and fails when any chain is not trusted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-keystore-verify"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-keystore.h"
#include "gh-trust-chain.h"

static gboolean
fail (GError     **error,
      const char  *prefix,
      GError      *cause)
{
  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", prefix, cause->message);
  return FALSE;
}

static const char *
severity_name (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_ERROR: return _("error");
    case GH_SEVERITY_WARNING: return _("warning");
    case GH_SEVERITY_INFO: default: return _("info");
    }
}

static const char *
role_name (GhTrustLinkRole role)
{
  switch (role)
    {
    case GH_TRUST_LINK_LEAF: return _("leaf");
    case GH_TRUST_LINK_INTERMEDIATE: return _("intermediate");
    case GH_TRUST_LINK_ANCHOR: default: return _("anchor");
    }
}

/* --truststore FILE's certificates, else the keystore's own trusted entries. */
static GPtrArray *
load_anchors (GhCtlKeystore  *ks,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GhKeystore) truststore = NULL;

  if (gh_ctl_options.truststore == NULL)
    return gh_keystore_get_trusted_certificates (ks->keystore);

  file = g_file_new_for_commandline_arg (gh_ctl_options.truststore);
  truststore = gh_keystore_new_from_file (file, g_getenv ("GATEHOUSE_TRUSTSTORE_PASSWORD"),
                                          GH_KEYSTORE_LOAD_NONE, &local_error);
  if (truststore == NULL)
    {
      fail (error, gh_ctl_options.truststore, local_error);
      return NULL;
    }

  return gh_keystore_get_trusted_certificates (truststore);
}

/* The entry's chain, to be verified for a TLS server against @anchors only. */
static GhTrustChain *
entry_trust_chain (GhKeystoreEntry *entry,
                   GPtrArray       *anchors)
{
  GPtrArray *chain = gh_keystore_entry_get_chain (entry);
  g_autoptr(GPtrArray) intermediates = g_ptr_array_new ();
  GhTrustChain *trust;

  for (guint i = 1; i < chain->len; i++)
    g_ptr_array_add (intermediates, g_ptr_array_index (chain, i));

  trust = gh_trust_chain_new (g_ptr_array_index (chain, 0), intermediates);
  gh_trust_chain_set_anchors (trust, anchors);
  gh_trust_chain_set_purpose (trust, GH_TRUST_PURPOSE_SERVER);
  return trust;
}

gboolean
gh_ctl_keystore_verify (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GhTrustChain) trust = NULL;
  GhKeystoreEntry *entry;
  GListModel *links;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error) ||
      (entry = gh_ctl_keystore_lookup (&ks, argv[1], error)) == NULL ||
      (anchors = load_anchors (&ks, error)) == NULL)
    return FALSE;

  trust = entry_trust_chain (entry, anchors);
  gh_trust_chain_set_use_system_anchors (trust, gh_ctl_options.system);
  gh_trust_chain_set_hostname (trust, gh_ctl_options.host);
  if (!gh_trust_chain_verify (trust, NULL, &local_error))
    return fail (error, argv[1], local_error);

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = gh_trust_chain_to_json (trust);
      gh_ctl_print_json (node);
    }
  else
    {
      links = gh_trust_chain_get_links (trust);
      for (guint i = 0; i < g_list_model_get_n_items (links); i++)
        {
          g_autoptr(GhTrustLink) link = g_list_model_get_item (links, i);
          GhCertificate *cert = gh_trust_link_get_certificate (link);
          GListModel *findings = gh_trust_link_get_findings (link);
          g_autofree char *expires = g_date_time_format (gh_certificate_get_not_after (cert), "%Y-%m-%d");

          g_print ("%u. %s (%s), %s, %s %s\n", i + 1, gh_certificate_get_display_name (cert),
                   role_name (gh_trust_link_get_role (link)), gh_certificate_get_subject (cert),
                   _("expires"), expires);
          for (guint j = 0; j < g_list_model_get_n_items (findings); j++)
            {
              g_autoptr(GhFinding) finding = g_list_model_get_item (findings, j);

              g_print ("   %s: %s\n", severity_name (gh_finding_get_severity (finding)), gh_finding_get_message (finding));
              if (gh_finding_get_fix (finding) != NULL && *gh_finding_get_fix (finding) != '\0')
                g_print ("      %s %s\n", _("fix:"), gh_finding_get_fix (finding));
            }
        }
      g_print ("%s\n", gh_trust_chain_is_trusted (trust) ? _("Trusted.") : _("Not trusted."));
    }

  if (!gh_trust_chain_is_trusted (trust))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("the chain of “%s” is not trusted"), argv[1]);
      return FALSE;
    }

  return TRUE;
}

/* list --verify */

gboolean
gh_ctl_chain_check_init (GhCtlChainCheck  *check,
                         GhCtlKeystore    *ks,
                         GError          **error)
{
  check->anchors = load_anchors (ks, error);
  if (check->anchors == NULL)
    return FALSE;

  if (check->anchors->len == 0)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   gh_ctl_options.truststore != NULL
                     ? _("%s holds no trusted certificate to verify the chains against")
                     : _("%s holds no trusted certificate to verify the chains against: give --truststore FILE"),
                   gh_ctl_options.truststore != NULL ? gh_ctl_options.truststore : gh_ctl_options.keystore);
      return FALSE;
    }

  return TRUE;
}

/* The first error of the chain, leaf first: what a user has to fix. */
static char *
first_problem (GhTrustChain *trust)
{
  GListModel *links = gh_trust_chain_get_links (trust);

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(GhTrustLink) link = g_list_model_get_item (links, i);
      GListModel *findings = gh_trust_link_get_findings (link);

      for (guint j = 0; j < g_list_model_get_n_items (findings); j++)
        {
          g_autoptr(GhFinding) finding = g_list_model_get_item (findings, j);

          if (gh_finding_get_severity (finding) == GH_SEVERITY_ERROR)
            return g_strdup (gh_finding_get_message (finding));
        }
    }

  return g_strdup (_("the chain does not verify"));
}

typedef struct {
  GhKeystoreEntry *entry;
  char            *problem;   /* NULL: trusted */
} ChainResult;

static void
check_one (gpointer data,
           gpointer user_data)
{
  ChainResult *result = data;
  GhCtlChainCheck *check = user_data;
  g_autoptr(GhTrustChain) trust = entry_trust_chain (result->entry, check->anchors);
  g_autoptr(GError) local_error = NULL;

  if (!gh_trust_chain_verify (trust, NULL, &local_error))
    result->problem = g_strdup (local_error->message);
  else if (!gh_trust_chain_is_trusted (trust))
    result->problem = first_problem (trust);
}

/* Each chain is verified on its own (its objects are its own; the certificates they
 * share, the anchors, read their fields once under a lock), so the chains go to one
 * thread per core, and the list is printed once all are done. */
void
gh_ctl_chain_check_run (GhCtlChainCheck *check,
                        GListModel      *entries)
{
  guint n = g_list_model_get_n_items (entries);
  g_autofree ChainResult *results = g_new0 (ChainResult, n);
  GThreadPool *pool = g_thread_pool_new (check_one, check, (int) MAX (g_get_num_processors (), 1), TRUE, NULL);

  for (guint i = 0; i < n; i++)
    {
      GhKeystoreEntry *entry = g_list_model_get_item (entries, i);

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        {
          g_object_unref (entry);
          continue;
        }
      results[i].entry = entry;
      g_thread_pool_push (pool, &results[i], NULL);
    }
  /* Waits for every chain. */
  g_thread_pool_free (pool, FALSE, TRUE);

  check->results = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  for (guint i = 0; i < n; i++)
    {
      if (results[i].entry == NULL)
        continue;
      check->n_checked++;
      check->n_untrusted += results[i].problem != NULL;
      g_hash_table_insert (check->results, results[i].entry,
                           results[i].problem != NULL ? results[i].problem : g_strdup (""));
    }
}

gboolean
gh_ctl_chain_check_entry (GhCtlChainCheck  *check,
                          GhKeystoreEntry  *entry,
                          char            **problem)
{
  const char *found = check->results != NULL ? g_hash_table_lookup (check->results, entry) : NULL;

  *problem = found != NULL && *found != '\0' ? g_strdup (found) : NULL;
  return *problem == NULL;
}

gboolean
gh_ctl_chain_check_finish (GhCtlChainCheck  *check,
                           GError          **error)
{
  if (check->n_untrusted == 0)
    return TRUE;

  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
               g_dngettext (GETTEXT_PACKAGE, "%u key entry of %u has a chain that is not trusted",
                            "%u key entries of %u have chains that are not trusted", check->n_untrusted),
               check->n_untrusted, check->n_checked);
  return FALSE;
}

void
gh_ctl_chain_check_clear (GhCtlChainCheck *check)
{
  g_clear_pointer (&check->anchors, g_ptr_array_unref);
  g_clear_pointer (&check->results, g_hash_table_unref);
}
