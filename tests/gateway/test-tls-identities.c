/* test-tls-identities.c — which certificate a client sees: the SNI name first, then the
 * accept host, against each key entry's DNS names (or CN) and IP addresses; exact names
 * before wildcards, and a wildcard for one label only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-keystore.h"
#include "gh-pki-error.h"
#include "gh-tls-identities.h"

typedef struct {
  GhPrivateKey  *ca_key;
  GhCertificate *ca;
  GhKeystore    *keystore;
} Fixture;

static GhKeystoreEntry *
make_entry (Fixture            *f,
            const char         *alias,
            const char         *subject,
            const char * const *sans)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_autoptr(GhCertificate) cert = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  g_assert_no_error (error);
  cert = gh_private_key_issue_certificate (f->ca_key, f->ca, key, subject, sans, 30,
                                           GH_CERTIFICATE_ROLE_SERVER, &error);
  g_assert_no_error (error);
  g_ptr_array_add (chain, cert);
  g_ptr_array_add (chain, f->ca);
  return gh_keystore_entry_new_key (alias, key, chain);
}

static void
add_entry (Fixture            *f,
           const char         *alias,
           const char         *subject,
           const char * const *sans)
{
  g_autoptr(GhKeystoreEntry) entry = make_entry (f, alias, subject, sans);
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_keystore_add (f->keystore, entry, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *exact[] = { "www.example.com", "example.com", NULL };
  const char *wild[] = { "*.example.com", NULL };
  const char *ip[] = { "192.0.2.7", NULL };
  g_autoptr(GhCertificate) trusted = NULL;
  g_autoptr(GhKeystoreEntry) anchor = NULL;

  f->ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  f->ca = gh_private_key_issue_certificate (f->ca_key, NULL, NULL, "CN=Test CA", NULL, 30, GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  f->keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);

  /* The wildcard comes first, so that the exact name must win by rule, not by order. */
  add_entry (f, "wild", "CN=Wildcard", wild);
  add_entry (f, "exact", "CN=www.example.com", exact);
  add_entry (f, "by-cn", "CN=Legacy.Example.Org", NULL);
  add_entry (f, "by-ip", "CN=Address", ip);

  /* A trusted certificate is no identity. */
  anchor = gh_keystore_entry_new_trusted ("ca", f->ca);
  g_assert_true (gh_keystore_add (f->keystore, anchor, &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->keystore);
  g_clear_object (&f->ca);
  g_clear_object (&f->ca_key);
}

static const char *
selected (GhTlsIdentities *identities,
          const char      *server_name,
          const char      *fallback_host)
{
  GhTlsIdentity *identity = gh_tls_identities_select (identities, server_name, fallback_host);

  return identity ? gh_tls_identity_get_alias (identity) : NULL;
}

static void
test_new_from_keystore (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GhTlsIdentities *identities = gh_tls_identities_new_from_keystore (f->keystore, &error);
  GhTlsIdentity *identity;
  unsigned int n_pcerts = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (gh_tls_identities_get_n_identities (identities), ==, 4);

  identity = gh_tls_identities_select (identities, "www.example.com", NULL);
  g_assert_nonnull (identity);
  g_assert_nonnull (gh_tls_identity_get_privkey (identity));
  /* The leaf and its CA, as the keystore entry holds them. */
  g_assert_nonnull (gh_tls_identity_get_pcerts (identity, &n_pcerts));
  g_assert_cmpuint (n_pcerts, ==, 2);
  g_assert_true (GH_IS_CERTIFICATE (gh_tls_identity_get_certificate (identity)));

  g_assert_finalize_object (identities);
}

static void
test_select_by_sni (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhTlsIdentities) identities = gh_tls_identities_new_from_keystore (f->keystore, &error);

  g_assert_no_error (error);
  /* Exact names beat the wildcard that also matches. */
  g_assert_cmpstr (selected (identities, "www.example.com", NULL), ==, "exact");
  g_assert_cmpstr (selected (identities, "example.com", NULL), ==, "exact");
  g_assert_cmpstr (selected (identities, "api.example.com", NULL), ==, "wild");
  /* Case and a trailing dot do not matter. */
  g_assert_cmpstr (selected (identities, "WWW.Example.COM.", NULL), ==, "exact");
  /* Without DNS names, the CN is the name. */
  g_assert_cmpstr (selected (identities, "legacy.example.org", NULL), ==, "by-cn");
  g_assert_cmpstr (selected (identities, "192.0.2.7", NULL), ==, "by-ip");
  /* A wildcard is one label, not two, not none. */
  g_assert_null (selected (identities, "a.b.example.com", NULL));
  g_assert_null (selected (identities, "example.org", NULL));
}

static void
test_select_fallback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhTlsIdentities) identities = gh_tls_identities_new_from_keystore (f->keystore, &error);

  g_assert_no_error (error);
  /* No SNI (or an empty one): the accept URI's host decides. */
  g_assert_cmpstr (selected (identities, NULL, "www.example.com"), ==, "exact");
  g_assert_cmpstr (selected (identities, "", "api.example.com"), ==, "wild");
  /* An SNI name nobody has: the accept host still decides. */
  g_assert_cmpstr (selected (identities, "unknown.test", "legacy.example.org"), ==, "by-cn");
  /* The SNI name wins over the accept host. */
  g_assert_cmpstr (selected (identities, "www.example.com", "legacy.example.org"), ==, "exact");
  /* Neither matches: no certificate rather than a wrong one. */
  g_assert_null (selected (identities, "unknown.test", "other.test"));
  g_assert_null (selected (identities, NULL, NULL));
}

static void
test_single (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *sans[] = { "admin.example.com", NULL };
  g_autoptr(GhKeystoreEntry) entry = make_entry (f, "admin", "CN=admin", sans);
  g_autoptr(GhKeystoreEntry) anchor = gh_keystore_entry_new_trusted ("ca", f->ca);
  GhTlsIdentities *single = gh_tls_identities_new_single (entry, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (gh_tls_identities_get_n_identities (single), ==, 1);
  /* Served whatever the client asks for, or when it asks for nothing. */
  g_assert_cmpstr (selected (single, "elsewhere.test", NULL), ==, "admin");
  g_assert_cmpstr (selected (single, NULL, NULL), ==, "admin");
  g_assert_finalize_object (single);

  /* An entry without a private key cannot be an identity. */
  g_assert_null (gh_tls_identities_new_single (anchor, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID);
}

static void
test_name_matches (void)
{
  g_assert_true (gh_tls_name_matches ("www.example.com", "www.example.com"));
  g_assert_true (gh_tls_name_matches ("*.example.com", "a.example.com"));
  g_assert_true (gh_tls_name_matches ("*.example.com", "A.EXAMPLE.com."));
  g_assert_false (gh_tls_name_matches ("*.example.com", "example.com"));
  g_assert_false (gh_tls_name_matches ("*.example.com", "a.b.example.com"));
  g_assert_false (gh_tls_name_matches ("*.example.com", ".example.com"));
  /* A wildcard right below the top label never matches. */
  g_assert_false (gh_tls_name_matches ("*.com", "example.com"));
  g_assert_false (gh_tls_name_matches ("www.example.com", "www.example.co"));
  g_assert_false (gh_tls_name_matches ("", "example.com"));
  g_assert_false (gh_tls_name_matches ("example.com", ""));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tls-identities/new-from-keystore", Fixture, NULL, fixture_set_up, test_new_from_keystore, fixture_tear_down);
  g_test_add ("/tls-identities/select-by-sni", Fixture, NULL, fixture_set_up, test_select_by_sni, fixture_tear_down);
  g_test_add ("/tls-identities/select-fallback", Fixture, NULL, fixture_set_up, test_select_fallback, fixture_tear_down);
  g_test_add ("/tls-identities/single", Fixture, NULL, fixture_set_up, test_single, fixture_tear_down);
  g_test_add_func ("/tls-identities/name-matches", test_name_matches);

  return g_test_run ();
}
