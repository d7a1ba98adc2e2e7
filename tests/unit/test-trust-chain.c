/* test-trust-chain.c — trust chains: path building, each finding on a PKI that has
 * exactly that problem, and agreement with `certtool --verify` and `openssl verify`
 *
 * The PKIs are made at run time with certtool (ECDSA keys, RSA only where the test is
 * about RSA) in a temporary directory; no key is committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>

#include "gh-keystore-crls.h"
#include "gh-pki-error.h"
#include "gh-served-chain.h"
#include "gh-trust-chain.h"

#define OID_SERVER "1.3.6.1.5.5.7.3.1"
#define OID_CLIENT "1.3.6.1.5.5.7.3.2"

/* A path of certificates for the tools: NULL-terminated names of NAME.pem files. */
#define NAMES(...) ((const char * const []) { __VA_ARGS__, NULL })
#define NO_ARGS ((const char * const []) { NULL })

static char *pki_dir;
static gboolean have_tools;

/* Tools */

static gboolean
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  int status = 0;

  g_spawn_sync (pki_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s: failed\n%s%s", command, out, err);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_toolv (const char *first,
           ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);

  argv = g_strv_builder_end (builder);
  return run_tool ((const char * const *) argv);
}

static char *
pki_path (const char *name,
          const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);

  return g_build_filename (pki_dir, file, NULL);
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (pki_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
make_key (const char *name,
          const char *type,
          const char *bits)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  if (bits != NULL)
    g_assert_true (run_toolv ("certtool", "--generate-privkey", "--key-type", type, "--bits", bits,
                              "--outfile", key, NULL));
  else
    g_assert_true (run_toolv ("certtool", "--generate-privkey", "--key-type", type, "--outfile", key, NULL));
}

/* Makes NAME.pem for KEY.key from the template text, signed by ISSUER (ISSUER.pem and
 * ISSUER.key), or self-signed when ISSUER is NULL; HASH is certtool's --hash or NULL. */
static void
make_cert (const char *name,
           const char *key,
           const char *issuer,
           const char *template_text,
           const char *hash)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *template_file = g_strconcat (name, ".tmpl", NULL);
  g_autofree char *out = g_strconcat (name, ".pem", NULL);
  g_autofree char *privkey = g_strconcat (key, ".key", NULL);
  g_autofree char *ca_cert = issuer ? g_strconcat (issuer, ".pem", NULL) : NULL;
  g_autofree char *ca_key = issuer ? g_strconcat (issuer, ".key", NULL) : NULL;
  g_auto(GStrv) argv = NULL;

  write_file (template_file, template_text);

  g_strv_builder_add (builder, "certtool");
  if (issuer != NULL)
    g_strv_builder_addv (builder, (const char *[]) { "--generate-certificate", "--load-ca-certificate", ca_cert,
                                                     "--load-ca-privkey", ca_key, NULL });
  else
    g_strv_builder_add (builder, "--generate-self-signed");
  if (hash != NULL)
    g_strv_builder_addv (builder, (const char *[]) { "--hash", hash, NULL });
  g_strv_builder_addv (builder, (const char *[]) { "--load-privkey", privkey, "--template", template_file,
                                                   "--outfile", out, NULL });
  argv = g_strv_builder_end (builder);

  g_assert_true (run_tool ((const char * const *) argv));
}

/* Concatenates NAME.pem files into one file, for the tools; returns its name. */
static char *
bundle (const char * const *names)
{
  static guint counter;
  g_autoptr(GString) text = g_string_new (NULL);
  char *file = g_strdup_printf ("bundle-%u.pem", ++counter);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = pki_path (names[i], ".pem");
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      g_string_append (text, contents);
    }

  write_file (file, text->str);
  return file;
}

/* certtool --verify --load-ca-certificate CA.pem --infile CHAIN [EXTRA…] */
static gboolean
certtool_verifies (const char         *ca,
                   const char * const *chain,
                   const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *ca_file = g_strconcat (ca, ".pem", NULL);
  g_autofree char *chain_file = bundle (chain);
  g_auto(GStrv) argv = NULL;

  g_strv_builder_addv (builder, (const char *[]) { "certtool", "--verify", "--load-ca-certificate", ca_file,
                                                   "--infile", chain_file, NULL });
  g_strv_builder_addv (builder, (const char **) extra);
  argv = g_strv_builder_end (builder);

  return run_tool ((const char * const *) argv);
}

/* openssl verify -CAfile CA.pem [-untrusted BUNDLE] [EXTRA…] LEAF.pem */
static gboolean
openssl_verifies (const char         *ca,
                  const char * const *untrusted,
                  const char         *leaf,
                  const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *ca_file = g_strconcat (ca, ".pem", NULL);
  g_autofree char *leaf_file = g_strconcat (leaf, ".pem", NULL);
  g_autofree char *untrusted_file = untrusted ? bundle (untrusted) : NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_addv (builder, (const char *[]) { "openssl", "verify", "-CAfile", ca_file, NULL });
  if (untrusted_file != NULL)
    g_strv_builder_addv (builder, (const char *[]) { "-untrusted", untrusted_file, NULL });
  g_strv_builder_addv (builder, (const char **) extra);
  g_strv_builder_add (builder, leaf_file);
  argv = g_strv_builder_end (builder);

  return run_tool ((const char * const *) argv);
}

/* Certificates */

static GhCertificate *
load (const char *name)
{
  g_autofree char *path = pki_path (name, ".pem");
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  GhCertificate *certificate;

  g_file_get_contents (path, &pem, NULL, &error);
  g_assert_no_error (error);
  certificate = gh_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  return certificate;
}

static GPtrArray *
load_all (const char * const *names)
{
  GPtrArray *certificates = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (certificates, load (names[i]));

  return certificates;
}

static GBytes *
load_bytes (const char *file)
{
  g_autofree char *path = g_build_filename (pki_dir, file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* A chain of LEAF.pem with INTERMEDIATES, trusting ANCHORS (NULL for none). */
static GhTrustChain *
chain_new (const char         *leaf,
           const char * const *intermediates,
           const char * const *anchors)
{
  g_autoptr(GhCertificate) certificate = load (leaf);
  g_autoptr(GPtrArray) others = load_all (intermediates);
  GhTrustChain *chain = gh_trust_chain_new (certificate, others);

  if (anchors != NULL)
    {
      g_autoptr(GPtrArray) trusted = load_all (anchors);

      gh_trust_chain_set_anchors (chain, trusted);
    }

  return chain;
}

static void
verify (GhTrustChain *chain)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_trust_chain_verify (chain, NULL, &error));
  g_assert_no_error (error);
}

/* Assertions */

static GhTrustLink *
link_at (GhTrustChain *chain,
         guint         index)
{
  g_autoptr(GhTrustLink) link = g_list_model_get_item (gh_trust_chain_get_links (chain), index);

  g_assert_nonnull (link);
  return link;   /* the chain keeps it */
}

/* The path, leaf first: display names and roles. */
static void
assert_path (GhTrustChain *chain,
             ...)
{
  GListModel *links = gh_trust_chain_get_links (chain);
  guint n = 0;
  va_list ap;

  va_start (ap, chain);
  for (const char *name = va_arg (ap, const char *); name != NULL; name = va_arg (ap, const char *))
    {
      GhTrustLinkRole role = va_arg (ap, GhTrustLinkRole);
      GhTrustLink *link;

      g_assert_cmpuint (n, <, g_list_model_get_n_items (links));
      link = link_at (chain, n);
      g_assert_cmpstr (gh_certificate_get_display_name (gh_trust_link_get_certificate (link)), ==, name);
      g_assert_cmpint (gh_trust_link_get_role (link), ==, role);
      n++;
    }
  va_end (ap);

  g_assert_cmpuint (g_list_model_get_n_items (links), ==, n);
}

static guint
count_findings (GhTrustChain *chain)
{
  GListModel *links = gh_trust_chain_get_links (chain);
  guint total = 0;

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    total += g_list_model_get_n_items (gh_trust_link_get_findings (link_at (chain, i)));

  return total;
}

/* The chain's only finding is KIND with SEVERITY, on the link at INDEX; its message
 * names the certificate and it says what to do. */
static GhFinding *
assert_only_finding (GhTrustChain  *chain,
                     guint          index,
                     GhFindingKind  kind,
                     GhSeverity     severity)
{
  GhTrustLink *link = link_at (chain, index);
  GListModel *findings = gh_trust_link_get_findings (link);
  const char *name = gh_certificate_get_display_name (gh_trust_link_get_certificate (link));
  g_autoptr(GhFinding) finding = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(GhFinding) other = g_list_model_get_item (findings, i);

      g_test_message ("link %u: %s: %s", index, gh_finding_kind_to_string (gh_finding_get_kind (other)),
                      gh_finding_get_message (other));
    }

  g_assert_cmpuint (count_findings (chain), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
  finding = g_list_model_get_item (findings, 0);
  g_assert_cmpstr (gh_finding_kind_to_string (gh_finding_get_kind (finding)), ==,
                   gh_finding_kind_to_string (kind));
  g_assert_cmpint (gh_finding_get_severity (finding), ==, severity);
  g_assert_cmpint (gh_trust_link_get_severity (link), ==, severity);
  g_assert_nonnull (strstr (gh_finding_get_message (finding), name));
  g_assert_cmpuint (strlen (gh_finding_get_fix (finding)), >, 20);

  return finding;   /* the link keeps it */
}

static void
assert_trusted (GhTrustChain *chain)
{
  g_assert_true (gh_trust_chain_is_trusted (chain));
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain), ==, 0);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), !=, GH_SEVERITY_ERROR);
}

static void
assert_untrusted (GhTrustChain *chain)
{
  g_assert_false (gh_trust_chain_is_trusted (chain));
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_ERROR);
}

/* The shared PKI: Test Root CA → Test Intermediate CA → server.example, and an
 * unrelated Other Root CA. */

#define ROOT_TEMPLATE \
  "cn = \"Test Root CA\"\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 3650\n"
#define INTERMEDIATE_TEMPLATE \
  "cn = \"Test Intermediate CA\"\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 365\n"
#define LEAF_TEMPLATE(cn, extra) \
  "cn = \"" cn "\"\ndns_name = \"" cn "\"\ntls_www_server\nsigning_key\nencryption_key\n" extra

static void
make_pki (void)
{
  make_key ("root", "ecdsa", NULL);
  make_key ("inter", "ecdsa", NULL);
  make_key ("leaf", "ecdsa", NULL);
  make_key ("other-root", "ecdsa", NULL);
  make_key ("rsa2048", "rsa", "2048");
  make_key ("rsa1024", "rsa", "1024");

  make_cert ("root", "root", NULL, ROOT_TEMPLATE, NULL);
  make_cert ("inter", "inter", "root", INTERMEDIATE_TEMPLATE, NULL);
  make_cert ("other-root", "other-root", NULL,
             "cn = \"Other Root CA\"\nca\ncert_signing_key\nexpiration_days = 3650\n", NULL);
  make_cert ("leaf", "leaf", "inter", LEAF_TEMPLATE ("server.example", "expiration_days = 100\n"), NULL);
}

#define REQUIRE_TOOLS() \
  G_STMT_START { \
    if (!have_tools) { g_test_skip ("certtool and openssl are needed"); return; } \
  } G_STMT_END

/* Tests */

static void
test_clean (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GhCertificate) leaf = NULL;
  JsonObject *object;
  JsonArray *links;

  REQUIRE_TOOLS ();

  /* Intermediates in any order, with the root and an unrelated root among them. */
  chain = chain_new ("leaf", NAMES ("other-root", "root", "leaf", "inter"), NAMES ("root"));
  g_assert_cmpuint (g_list_model_get_n_items (gh_trust_chain_get_links (chain)), ==, 0);
  g_assert_false (gh_trust_chain_is_trusted (chain));

  gh_trust_chain_set_hostname (chain, "server.example");
  gh_trust_chain_set_purpose (chain, GH_TRUST_PURPOSE_SERVER);
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  g_assert_cmpuint (count_findings (chain), ==, 0);
  assert_trusted (chain);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_INFO);

  g_assert_true (certtool_verifies ("root", NAMES ("leaf", "inter"),
                                    NAMES ("--verify-hostname", "server.example",
                                           "--verify-purpose", OID_SERVER, "--verify-profile", "medium")));
  g_assert_true (openssl_verifies ("root", NAMES ("inter"), "leaf",
                                   NAMES ("-verify_hostname", "server.example", "-purpose", "sslserver",
                                          "-auth_level", "2")));

  /* What the admin API and `--json` show. */
  json = gh_trust_chain_to_json (chain);
  object = json_node_get_object (json);
  g_assert_true (json_object_get_boolean_member (object, "trusted"));
  g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "info");
  g_assert_cmpstr (json_object_get_string_member (object, "hostname"), ==, "server.example");
  g_assert_cmpstr (json_object_get_string_member (object, "purpose"), ==, "server");
  links = json_object_get_array_member (object, "links");
  g_assert_cmpuint (json_array_get_length (links), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (links, 0), "role"), ==, "leaf");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (links, 2), "role"), ==, "anchor");
  leaf = load ("leaf");
  {
    JsonObject *summary = json_object_get_object_member (json_array_get_object_element (links, 0), "certificate");

    g_assert_cmpstr (json_object_get_string_member (summary, "subject"), ==, gh_certificate_get_subject (leaf));
    g_assert_cmpstr (json_object_get_string_member (summary, "issuer"), ==, gh_certificate_get_issuer (leaf));
    g_assert_cmpstr (json_object_get_string_member (summary, "sha256_fingerprint"), ==,
                     gh_certificate_get_sha256_fingerprint (leaf));
    g_assert_true (json_object_has_member (summary, "not_after"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (links, 0),
                                                                          "findings")), ==, 0);
  }
}

/* Trusting an intermediate directly: the path ends there. */
static void
test_intermediate_anchor (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  chain = chain_new ("leaf", NAMES ("inter", "root"), NAMES ("inter"));
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  g_assert_cmpuint (count_findings (chain), ==, 0);
  assert_trusted (chain);

  g_assert_true (certtool_verifies ("inter", NAMES ("leaf", "inter", "root"), NO_ARGS));
  g_assert_true (openssl_verifies ("inter", NAMES ("root"), "leaf", NAMES ("-partial_chain")));
}

static void
test_expired (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  make_cert ("expired", "leaf", "inter",
             LEAF_TEMPLATE ("expired.example", "activation_date = \"2019-01-01 00:00:00\"\n"
                                               "expiration_date = \"2020-01-01 00:00:00\"\n"), NULL);

  chain = chain_new ("expired", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  assert_path (chain,
               "expired.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (chain, 0, GH_FINDING_EXPIRED, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_EXPIRED, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("expired", "inter"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "expired", NO_ARGS));
}

static void
test_expires_soon (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  make_cert ("soon", "leaf", "inter", LEAF_TEMPLATE ("soon.example", "expiration_days = 10\n"), NULL);

  chain = chain_new ("soon", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_EXPIRES_SOON, GH_SEVERITY_WARNING);
  assert_trusted (chain);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_WARNING);
  g_assert_true (certtool_verifies ("root", NAMES ("soon", "inter"), NO_ARGS));
  g_assert_true (openssl_verifies ("root", NAMES ("inter"), "soon", NO_ARGS));

  /* A shorter warning period: nothing to say; the links are updated in place. */
  gh_trust_chain_set_expiry_warning_days (chain, 5);
  verify (chain);
  g_assert_cmpuint (g_list_model_get_n_items (gh_trust_chain_get_links (chain)), ==, 3);
  g_assert_cmpuint (count_findings (chain), ==, 0);
  assert_trusted (chain);
}

static void
test_not_yet_valid (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  make_cert ("future", "leaf", "inter",
             LEAF_TEMPLATE ("future.example", "activation_date = \"2099-01-01 00:00:00\"\n"
                                              "expiration_date = \"2100-01-01 00:00:00\"\n"), NULL);

  chain = chain_new ("future", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_NOT_YET_VALID, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_NOT_ACTIVATED, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("future", "inter"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "future", NO_ARGS));
}

/* Verifying at another time than now: what will have expired by then. */
static void
test_verification_time (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 200);
  g_autoptr(GDateTime) sooner = g_date_time_add_days (now, 80);
  g_autofree char *later_text = g_date_time_format (later, "%Y-%m-%d %H:%M:%S");
  g_autofree char *later_epoch = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (later));
  g_autofree char *sooner_text = g_date_time_format (sooner, "%Y-%m-%d %H:%M:%S");
  g_autofree char *sooner_epoch = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (sooner));

  REQUIRE_TOOLS ();

  /* In 200 days the leaf (100 days) has expired; its CAs (1 and 10 years) have not. */
  chain = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  gh_trust_chain_set_verification_time (chain, later);
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_EXPIRED, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_EXPIRED, !=, 0);
  g_assert_false (certtool_verifies ("root", NAMES ("leaf", "inter"), NAMES ("--attime", later_text)));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "leaf", NAMES ("-attime", later_epoch)));

  /* In 80 days it still has 20 days left. */
  gh_trust_chain_set_verification_time (chain, sooner);
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_EXPIRES_SOON, GH_SEVERITY_WARNING);
  assert_trusted (chain);
  g_assert_true (certtool_verifies ("root", NAMES ("leaf", "inter"), NAMES ("--attime", sooner_text)));
  g_assert_true (openssl_verifies ("root", NAMES ("inter"), "leaf", NAMES ("-attime", sooner_epoch)));

  /* Back to now. */
  gh_trust_chain_set_verification_time (chain, NULL);
  verify (chain);
  g_assert_cmpuint (count_findings (chain), ==, 0);
  assert_trusted (chain);
}

static void
test_missing_intermediate (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  GhFinding *finding;

  REQUIRE_TOOLS ();

  chain = chain_new ("leaf", NO_ARGS, NAMES ("root"));
  verify (chain);

  assert_path (chain, "server.example", GH_TRUST_LINK_LEAF, NULL);
  finding = assert_only_finding (chain, 0, GH_FINDING_MISSING_INTERMEDIATE, GH_SEVERITY_ERROR);
  g_assert_nonnull (strstr (gh_finding_get_fix (finding), "“Test Intermediate CA”"));
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_SIGNER_NOT_FOUND, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("leaf"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NULL, "leaf", NO_ARGS));
}

static void
test_untrusted_root (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  /* The server sends its root too, but the truststore has another one. */
  chain = chain_new ("leaf", NAMES ("root", "inter"), NAMES ("other-root"));
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_INTERMEDIATE,
               NULL);
  assert_only_finding (chain, 2, GH_FINDING_UNTRUSTED_ROOT, GH_SEVERITY_ERROR);
  assert_untrusted (chain);

  g_assert_false (certtool_verifies ("other-root", NAMES ("leaf", "inter", "root"), NO_ARGS));
  g_assert_false (openssl_verifies ("other-root", NAMES ("inter", "root"), "leaf", NO_ARGS));
}

static void
test_self_signed (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) pinned = NULL;

  REQUIRE_TOOLS ();

  make_cert ("self", "leaf", NULL, LEAF_TEMPLATE ("self.example", "expiration_days = 100\n"), NULL);

  chain = chain_new ("self", NO_ARGS, NAMES ("root"));
  verify (chain);

  assert_path (chain, "self.example", GH_TRUST_LINK_LEAF, NULL);
  assert_only_finding (chain, 0, GH_FINDING_SELF_SIGNED, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_false (certtool_verifies ("root", NAMES ("self"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NULL, "self", NO_ARGS));

  /* Pinned: the truststore holds the certificate itself. */
  pinned = chain_new ("self", NO_ARGS, NAMES ("self"));
  gh_trust_chain_set_hostname (pinned, "self.example");
  verify (pinned);

  assert_path (pinned, "self.example", GH_TRUST_LINK_LEAF, NULL);
  assert_only_finding (pinned, 0, GH_FINDING_SELF_SIGNED, GH_SEVERITY_INFO);
  assert_trusted (pinned);
  /* (certtool --verify refuses a pinned end-entity certificate, "issuer is not a CA";
   * GnuTLS's trust list and OpenSSL accept it.) */
  g_assert_true (openssl_verifies ("self", NULL, "self", NAMES ("-verify_hostname", "self.example")));
}

static void
test_weak_signature (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  GhFinding *finding;

  REQUIRE_TOOLS ();

  make_cert ("sha1", "leaf", "inter", LEAF_TEMPLATE ("sha1.example", "expiration_days = 100\n"), "SHA1");

  chain = chain_new ("sha1", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  finding = assert_only_finding (chain, 0, GH_FINDING_WEAK_SIGNATURE, GH_SEVERITY_ERROR);
  g_assert_nonnull (strstr (gh_finding_get_message (finding), "SHA1"));
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_INSECURE_ALGORITHM, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("sha1", "inter"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "sha1", NAMES ("-auth_level", "1")));
}

static void
test_small_key (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) high = NULL;

  REQUIRE_TOOLS ();

  make_cert ("rsa1024", "rsa1024", "inter", LEAF_TEMPLATE ("small.example", "expiration_days = 100\n"), NULL);
  make_cert ("rsa2048", "rsa2048", "inter", LEAF_TEMPLATE ("rsa.example", "expiration_days = 100\n"), NULL);

  /* RSA 1024 is below the "medium" profile (the default). */
  chain = chain_new ("rsa1024", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_SMALL_KEY, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_false (certtool_verifies ("root", NAMES ("rsa1024", "inter"), NAMES ("--verify-profile", "medium")));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "rsa1024", NAMES ("-auth_level", "2")));

  /* The "low" profile accepts it, with a warning. */
  gh_trust_chain_set_profile (chain, GH_SECURITY_PROFILE_LOW);
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_SMALL_KEY, GH_SEVERITY_WARNING);
  assert_trusted (chain);
  g_assert_true (certtool_verifies ("root", NAMES ("rsa1024", "inter"), NAMES ("--verify-profile", "low")));
  g_assert_true (openssl_verifies ("root", NAMES ("inter"), "rsa1024", NAMES ("-auth_level", "1")));

  /* RSA 2048 is fine at "medium" and below the "high" profile (128-bit security). */
  high = chain_new ("rsa2048", NAMES ("inter"), NAMES ("root"));
  verify (high);
  g_assert_cmpuint (count_findings (high), ==, 0);
  assert_trusted (high);

  gh_trust_chain_set_profile (high, GH_SECURITY_PROFILE_HIGH);
  verify (high);
  assert_only_finding (high, 0, GH_FINDING_SMALL_KEY, GH_SEVERITY_ERROR);
  assert_untrusted (high);
  g_assert_false (certtool_verifies ("root", NAMES ("rsa2048", "inter"), NAMES ("--verify-profile", "high")));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "rsa2048", NAMES ("-auth_level", "3")));
}

static void
test_host_mismatch (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(JsonNode) json = NULL;
  GhFinding *finding;
  JsonObject *object;

  REQUIRE_TOOLS ();

  chain = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  gh_trust_chain_set_hostname (chain, "other.example");
  verify (chain);

  finding = assert_only_finding (chain, 0, GH_FINDING_HOST_MISMATCH, GH_SEVERITY_ERROR);
  g_assert_nonnull (strstr (gh_finding_get_message (finding), "other.example"));
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_UNEXPECTED_OWNER, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("leaf", "inter"), NAMES ("--verify-hostname", "other.example")));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "leaf", NAMES ("-verify_hostname", "other.example")));

  /* The findings as data in JSON. */
  json = gh_trust_chain_to_json (chain);
  object = json_node_get_object (json);
  g_assert_false (json_object_get_boolean_member (object, "trusted"));
  g_assert_cmpstr (json_object_get_string_member (object, "severity"), ==, "error");
  {
    JsonArray *links = json_object_get_array_member (object, "links");
    JsonObject *leaf = json_array_get_object_element (links, 0);
    JsonArray *findings = json_object_get_array_member (leaf, "findings");
    JsonObject *first = json_array_get_object_element (findings, 0);

    g_assert_cmpstr (json_object_get_string_member (leaf, "severity"), ==, "error");
    g_assert_cmpuint (json_array_get_length (findings), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "host-mismatch");
    g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (first, "message"), ==, gh_finding_get_message (finding));
    g_assert_cmpstr (json_object_get_string_member (first, "fix"), ==, gh_finding_get_fix (finding));
  }
}

static void
test_purpose_mismatch (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) restricted = NULL;

  REQUIRE_TOOLS ();

  /* A server certificate used as a client certificate. */
  chain = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  gh_trust_chain_set_purpose (chain, GH_TRUST_PURPOSE_CLIENT);
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_PURPOSE_MISMATCH, !=, 0);
  g_assert_false (certtool_verifies ("root", NAMES ("leaf", "inter"), NAMES ("--verify-purpose", OID_CLIENT)));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "leaf", NAMES ("-purpose", "sslclient")));

  /* Any purpose will do. */
  gh_trust_chain_set_purpose (chain, GH_TRUST_PURPOSE_ANY);
  verify (chain);
  g_assert_cmpuint (count_findings (chain), ==, 0);
  assert_trusted (chain);

  /* An intermediate restricted to client authentication, under a server certificate. */
  make_key ("client-ca", "ecdsa", NULL);
  make_cert ("client-ca", "client-ca", "root",
             "cn = \"Client Intermediate CA\"\nca\ncert_signing_key\ntls_www_client\nexpiration_days = 365\n", NULL);
  make_cert ("under-client-ca", "leaf", "client-ca",
             LEAF_TEMPLATE ("under.example", "expiration_days = 100\n"), NULL);

  restricted = chain_new ("under-client-ca", NAMES ("client-ca"), NAMES ("root"));
  verify (restricted);

  assert_path (restricted,
               "under.example", GH_TRUST_LINK_LEAF,
               "Client Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (restricted, 1, GH_FINDING_PURPOSE_MISMATCH, GH_SEVERITY_ERROR);
  assert_untrusted (restricted);
  g_assert_false (certtool_verifies ("root", NAMES ("under-client-ca", "client-ca"),
                                     NAMES ("--verify-purpose", OID_SERVER)));
  g_assert_false (openssl_verifies ("root", NAMES ("client-ca"), "under-client-ca", NAMES ("-purpose", "sslserver")));
}

static void
test_key_usage_mismatch (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) ca_chain = NULL;

  REQUIRE_TOOLS ();

  /* A server certificate whose key may only make non-repudiation signatures (certtool
   * adds digitalSignature to every ECDSA certificate, hence RSA). */
  make_cert ("nonrep", "rsa2048", "inter",
             "cn = \"nonrep.example\"\ndns_name = \"nonrep.example\"\ntls_www_server\nnon_repudiation\n"
             "expiration_days = 100\n", NULL);

  chain = chain_new ("nonrep", NAMES ("inter"), NAMES ("root"));
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  /* GnuTLS leaves the leaf's key usage to the TLS handshake, where it would fail;
   * OpenSSL checks it for the server purpose. */
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain), ==, 0);
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "nonrep", NAMES ("-purpose", "sslserver")));

  /* A CA whose key usage lacks keyCertSign. */
  make_key ("crl-only-ca", "ecdsa", NULL);
  make_cert ("crl-only-ca", "crl-only-ca", "root",
             "cn = \"CRL-only Intermediate CA\"\nca\ncrl_signing_key\nexpiration_days = 365\n", NULL);
  make_cert ("under-crl-only-ca", "leaf", "crl-only-ca",
             LEAF_TEMPLATE ("crlonly.example", "expiration_days = 100\n"), NULL);

  ca_chain = chain_new ("under-crl-only-ca", NAMES ("crl-only-ca"), NAMES ("root"));
  verify (ca_chain);

  assert_path (ca_chain,
               "crlonly.example", GH_TRUST_LINK_LEAF,
               "CRL-only Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (ca_chain, 1, GH_FINDING_KEY_USAGE_MISMATCH, GH_SEVERITY_ERROR);
  assert_untrusted (ca_chain);
  g_assert_false (certtool_verifies ("root", NAMES ("under-crl-only-ca", "crl-only-ca"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("crl-only-ca"), "under-crl-only-ca", NO_ARGS));
}

static void
test_not_a_ca (void)
{
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  /* An end-entity certificate used to sign another. */
  make_key ("not-ca", "ecdsa", NULL);
  make_cert ("not-ca", "not-ca", "root", "cn = \"Not A CA\"\nsigning_key\nexpiration_days = 365\n", NULL);
  make_cert ("under-not-ca", "leaf", "not-ca", LEAF_TEMPLATE ("notca.example", "expiration_days = 100\n"), NULL);

  chain = chain_new ("under-not-ca", NAMES ("not-ca"), NAMES ("root"));
  verify (chain);

  assert_path (chain,
               "notca.example", GH_TRUST_LINK_LEAF,
               "Not A CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (chain, 1, GH_FINDING_NOT_A_CA, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_SIGNER_NOT_CA, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("under-not-ca", "not-ca"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("not-ca"), "under-not-ca", NO_ARGS));
}

static void
test_revoked (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) other = NULL;
  g_autoptr(GBytes) crl = NULL;
  g_autoptr(GBytes) empty_crl = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a CRL", 9);
  g_autoptr(GError) error = NULL;

  REQUIRE_TOOLS ();

  make_cert ("revoked", "leaf", "inter", LEAF_TEMPLATE ("revoked.example", "expiration_days = 100\n"), NULL);
  write_file ("crl.tmpl", "crl_next_update = 30\ncrl_number = 1\n");
  g_assert_true (run_toolv ("certtool", "--generate-crl", "--load-ca-privkey", "inter.key",
                            "--load-ca-certificate", "inter.pem", "--load-certificate", "revoked.pem",
                            "--template", "crl.tmpl", "--outfile", "crl.pem", NULL));
  g_assert_true (run_toolv ("certtool", "--generate-crl", "--load-ca-privkey", "inter.key",
                            "--load-ca-certificate", "inter.pem",
                            "--template", "crl.tmpl", "--outfile", "empty-crl.pem", NULL));

  chain = chain_new ("revoked", NAMES ("inter"), NAMES ("root"));
  crl = load_bytes ("crl.pem");
  g_assert_true (gh_trust_chain_add_crl (chain, crl, &error));
  g_assert_no_error (error);
  verify (chain);

  assert_only_finding (chain, 0, GH_FINDING_REVOKED, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_REVOKED, !=, 0);
  g_assert_false (certtool_verifies ("root", NAMES ("revoked", "inter"), NAMES ("--load-crl", "crl.pem")));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "revoked",
                                    NAMES ("-crl_check", "-CRLfile", "crl.pem")));

  /* Another certificate of the same CA is not revoked by that CRL, nor by an empty one. */
  other = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  g_assert_true (gh_trust_chain_add_crl (other, crl, &error));
  empty_crl = load_bytes ("empty-crl.pem");
  g_assert_true (gh_trust_chain_add_crl (other, empty_crl, &error));
  g_assert_no_error (error);
  verify (other);
  g_assert_cmpuint (count_findings (other), ==, 0);
  assert_trusted (other);
  g_assert_true (certtool_verifies ("root", NAMES ("leaf", "inter"), NAMES ("--load-crl", "crl.pem")));
  g_assert_true (openssl_verifies ("root", NAMES ("inter"), "leaf", NAMES ("-crl_check", "-CRLfile", "crl.pem")));

  /* Not a CRL at all. */
  g_assert_false (gh_trust_chain_add_crl (other, garbage, &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT);
}

/* @certificate with the last byte of its signature changed. */
static GhCertificate *
tamper (GhCertificate *certificate)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *bytes = NULL;
  GhCertificate *tampered;
  gconstpointer data;
  gsize length = 0;

  data = g_bytes_get_data (gh_certificate_get_der (certificate), &length);
  bytes = g_memdup2 (data, length);
  bytes[length - 1] ^= 0x01;
  der = g_bytes_new (bytes, length);
  tampered = gh_certificate_new_from_der (der, &error);
  g_assert_no_error (error);
  return tampered;
}

static void
test_bad_signature (void)
{
  g_autoptr(GhCertificate) leaf = NULL;
  g_autoptr(GhCertificate) tampered = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GhTrustChain) chain = NULL;
  g_autofree char *pem = NULL;

  REQUIRE_TOOLS ();

  /* The leaf with the last byte of its signature changed. */
  leaf = load ("leaf");
  tampered = tamper (leaf);
  pem = gh_certificate_to_pem (tampered);
  write_file ("tampered.pem", pem);

  intermediates = load_all (NAMES ("inter"));
  anchors = load_all (NAMES ("root"));
  chain = gh_trust_chain_new (tampered, intermediates);
  gh_trust_chain_set_anchors (chain, anchors);
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (chain, 0, GH_FINDING_BAD_SIGNATURE, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_SIGNATURE_FAILURE, !=, 0);

  g_assert_false (certtool_verifies ("root", NAMES ("tampered", "inter"), NO_ARGS));
  g_assert_false (openssl_verifies ("root", NAMES ("inter"), "tampered", NO_ARGS));
}

/* The anchor's signature on the certificate it issued: the path's end is found by the
 * anchor's name and key identifier, the signature left to GnuTLS; a bad one is still
 * the finding on the certificate the anchor signed. */
static void
test_bad_signature_by_anchor (void)
{
  g_autoptr(GhCertificate) leaf = NULL;
  g_autoptr(GhCertificate) inter = NULL;
  g_autoptr(GhCertificate) tampered = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GhTrustChain) chain = NULL;

  REQUIRE_TOOLS ();

  /* The intermediate with the last byte of the root's signature changed. */
  inter = load ("inter");
  g_assert_nonnull (gh_certificate_get_authority_key_id (inter));
  tampered = tamper (inter);

  intermediates = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (intermediates, g_object_ref (tampered));
  anchors = load_all (NAMES ("root"));
  leaf = load ("leaf");
  chain = gh_trust_chain_new (leaf, intermediates);
  gh_trust_chain_set_anchors (chain, anchors);
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_only_finding (chain, 1, GH_FINDING_BAD_SIGNATURE, GH_SEVERITY_ERROR);
  assert_untrusted (chain);
  g_assert_cmpuint (gh_trust_chain_get_gnutls_status (chain) & GNUTLS_CERT_SIGNATURE_FAILURE, !=, 0);

  /* The same chain untouched is trusted. */
  g_clear_object (&chain);
  g_clear_pointer (&intermediates, g_ptr_array_unref);
  intermediates = load_all (NAMES ("inter"));
  chain = gh_trust_chain_new (leaf, intermediates);
  gh_trust_chain_set_anchors (chain, anchors);
  verify (chain);
  g_assert_true (gh_trust_chain_is_trusted (chain));
}

/* The system's trusted certificates, as GnuTLS finds them. */
static void
test_system_anchors (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GhTrustChain) both = NULL;
  const char *bundle_path = "/etc/ssl/certs/ca-certificates.crt";
  g_autofree char *contents = NULL;

  REQUIRE_TOOLS ();

  /* Our test root is not among them: the path stops at the intermediate. */
  chain = chain_new ("leaf", NAMES ("inter"), NULL);
  gh_trust_chain_set_use_system_anchors (chain, TRUE);
  verify (chain);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               NULL);
  assert_only_finding (chain, 1, GH_FINDING_MISSING_INTERMEDIATE, GH_SEVERITY_ERROR);
  assert_untrusted (chain);

  /* The system's and ours together. */
  both = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  gh_trust_chain_set_use_system_anchors (both, TRUE);
  verify (both);
  g_assert_cmpuint (count_findings (both), ==, 0);
  assert_trusted (both);

  /* A root of the system store is itself trusted. */
  if (g_file_get_contents (bundle_path, &contents, NULL, NULL))
    {
      g_autoptr(GPtrArray) roots = gh_certificate_list_from_pem (contents, -1, NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) soon = g_date_time_add_days (now, 60);
      GhCertificate *system_root = NULL;
      g_autoptr(GhTrustChain) system_chain = NULL;

      if (roots == NULL)
        {
          g_test_message ("%s has no certificates", bundle_path);
          return;
        }

      for (guint i = 0; system_root == NULL && i < roots->len; i++)
        {
          GhCertificate *root = g_ptr_array_index (roots, i);

          if (g_date_time_compare (gh_certificate_get_not_after (root), soon) > 0 &&
              gh_certificate_get_key_bits (root) >= 2048)
            system_root = root;
        }
      g_assert_nonnull (system_root);

      system_chain = gh_trust_chain_new (system_root, NULL);
      gh_trust_chain_set_use_system_anchors (system_chain, TRUE);
      gh_trust_chain_set_purpose (system_chain, GH_TRUST_PURPOSE_ANY);
      verify (system_chain);
      g_assert_cmpuint (g_list_model_get_n_items (gh_trust_chain_get_links (system_chain)), ==, 1);
      assert_trusted (system_chain);
    }
}

static void
verify_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GhTrustChain *weak = NULL;

  REQUIRE_TOOLS ();

  chain = chain_new ("leaf", NAMES ("inter"), NAMES ("root"));
  gh_trust_chain_set_hostname (chain, "server.example");

  /* Cancelled: an error, and the chain is as it was. */
  g_cancellable_cancel (cancellable);
  gh_trust_chain_verify_async (chain, cancellable, verify_done, &cancelled_result);
  while (cancelled_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gh_trust_chain_verify_finish (chain, cancelled_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_trust_chain_get_links (chain)), ==, 0);
  g_assert_false (gh_trust_chain_is_trusted (chain));

  gh_trust_chain_verify_async (chain, NULL, verify_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gh_trust_chain_verify_finish (chain, result, &error));
  g_assert_no_error (error);

  assert_path (chain,
               "server.example", GH_TRUST_LINK_LEAF,
               "Test Intermediate CA", GH_TRUST_LINK_INTERMEDIATE,
               "Test Root CA", GH_TRUST_LINK_ANCHOR,
               NULL);
  assert_trusted (chain);

  /* Nothing keeps the chain alive once the results are dropped (the worker thread
   * lets go of its task a moment after the callback may have run). */
  g_clear_object (&result);
  g_clear_object (&cancelled_result);
  weak = chain;
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_clear_object (&chain);
  for (guint i = 0; weak != NULL && i < 500; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_null (weak);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* The truststore's revocation lists (#15): read from its PEM bundle beside the
 * certificates, judged (issuer, serials, signer) and written back with them. */
static void
test_truststore_crls (void)
{
  g_autoptr(GBytes) crl_pem = NULL;
  g_autoptr(GBytes) root_pem = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GPtrArray) crls = NULL;
  g_autoptr(GhCertificate) inter = NULL;
  g_autoptr(GhCertificate) root = NULL;
  g_autoptr(GhKeystore) store = NULL;
  g_autoptr(GhKeystore) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) serials = NULL;
  g_auto(GStrv) serial_parts = NULL;
  g_autofree char *revoked_serial = NULL;
  g_autoptr(GhCertificate) revoked = NULL;
  GhCrl *crl;

  REQUIRE_TOOLS ();

  make_cert ("crl-revoked", "leaf", "inter", LEAF_TEMPLATE ("crl-revoked.example", "expiration_days = 100\n"), NULL);
  write_file ("crl2.tmpl", "crl_next_update = 30\ncrl_number = 2\n");
  g_assert_true (run_toolv ("certtool", "--generate-crl", "--load-ca-privkey", "inter.key",
                            "--load-ca-certificate", "inter.pem", "--load-certificate", "crl-revoked.pem",
                            "--template", "crl2.tmpl", "--outfile", "crl2.pem", NULL));
  crl_pem = load_bytes ("crl2.pem");

  crls = gh_crl_list_from_pem (g_bytes_get_data (crl_pem, NULL), g_bytes_get_size (crl_pem), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crls->len, ==, 1);
  crl = g_ptr_array_index (crls, 0);
  g_assert_cmpstr (gh_crl_get_issuer (crl), ==, "CN=Test Intermediate CA");
  g_assert_cmpuint (gh_crl_get_n_revoked (crl), ==, 1);
  g_assert_nonnull (gh_crl_get_next_update (crl));
  serials = gh_crl_dup_revoked_serials (crl);
  revoked = load ("crl-revoked");
  serial_parts = g_strsplit (gh_certificate_get_serial (revoked), ":", -1);
  revoked_serial = g_strjoinv ("", serial_parts);
  g_assert_cmpuint (g_strv_length (serials), ==, 1);
  g_assert_cmpstr (serials[0], ==, revoked_serial);
  inter = load ("inter");
  root = load ("root");
  g_assert_true (gh_crl_is_issued_by (crl, inter));
  g_assert_false (gh_crl_is_issued_by (crl, root));

  /* Not a CRL: certificates alone, or nothing */
  root_pem = load_bytes ("root.pem");
  g_assert_null (gh_crl_list_from_pem (g_bytes_get_data (root_pem, NULL), g_bytes_get_size (root_pem), &error));
  g_assert_error (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  /* A PEM truststore with the root and the CRL: the CRL rides along, written back once. */
  g_string_append_len (text, g_bytes_get_data (root_pem, NULL), g_bytes_get_size (root_pem));
  g_string_append_len (text, g_bytes_get_data (crl_pem, NULL), g_bytes_get_size (crl_pem));
  bundle = g_bytes_new (text->str, text->len);
  store = gh_keystore_new_from_bytes (bundle, NULL, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (gh_keystore_get_crls (store)->len, ==, 1);
  g_assert_nonnull (gh_keystore_lookup_crl (store, gh_crl_get_sha256_fingerprint (crl)));
  g_assert_null (gh_keystore_lookup_crl (store, "00:11"));

  written = gh_keystore_serialize (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (written, NULL), g_bytes_get_size (written), "-----BEGIN X509 CRL-----"));
  reread = gh_keystore_new_from_bytes (written, NULL, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gh_keystore_get_crls (reread)->len, ==, 1);
  g_assert_cmpstr (gh_crl_get_sha256_fingerprint (g_ptr_array_index (gh_keystore_get_crls (reread), 0)), ==,
                   gh_crl_get_sha256_fingerprint (crl));

  /* And the lists can go */
  gh_keystore_set_crls (reread, NULL);
  g_clear_pointer (&written, g_bytes_unref);
  written = gh_keystore_serialize (reread, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (g_bytes_get_data (written, NULL), g_bytes_get_size (written), "X509 CRL"));
}

/* A chain the gateway serves: its anchor said by where it comes from; a root nobody
 * here knows is the clients' to trust (a warning), a chain short of a root an error. */
static void
test_served_anchor (void)
{
  g_autoptr(GhTrustChain) chain = NULL;
  g_autoptr(GPtrArray) truststore = NULL;
  g_autoptr(JsonNode) json = NULL;
  GhFinding *finding;

  REQUIRE_TOOLS ();

  /* Leaf, intermediate and root served; the root in the truststore. */
  truststore = load_all (NAMES ("root"));
  chain = chain_new ("leaf", NAMES ("inter", "root"), NAMES ("root"));
  gh_trust_chain_set_hostname (chain, "server.example");
  verify (chain);
  g_assert_cmpint (gh_served_chain_judge (chain, truststore), ==, GH_SERVED_ANCHOR_TRUSTSTORE);
  assert_trusted (chain);
  g_assert_cmpuint (count_findings (chain), ==, 0);

  /* The same root anchoring it from elsewhere (the system's, for the judge). */
  g_assert_cmpint (gh_served_chain_judge (chain, NULL), ==, GH_SERVED_ANCHOR_SYSTEM);
  g_clear_object (&chain);

  /* A private root served with the chain, known to neither: the clients decide. The
   * untrusted root is a warning that says so, every other check as before. */
  chain = chain_new ("leaf", NAMES ("inter", "root"), NULL);
  gh_trust_chain_set_hostname (chain, "server.example");
  verify (chain);
  finding = assert_only_finding (chain, 2, GH_FINDING_UNTRUSTED_ROOT, GH_SEVERITY_ERROR);
  g_assert_cmpint (gh_served_chain_judge (chain, truststore), ==, GH_SERVED_ANCHOR_CLIENTS);
  g_assert_cmpint (gh_finding_get_severity (finding), ==, GH_SEVERITY_WARNING);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_WARNING);
  g_assert_nonnull (strstr (gh_finding_get_message (finding), "for the clients to decide"));
  g_assert_nonnull (strstr (gh_finding_get_fix (finding), "Give “Test Root CA” to the clients"));
  json = gh_trust_chain_to_json (chain);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "severity"), ==, "warning");
  g_clear_object (&chain);

  /* ... but the wrong host is still an error: every client checks it. */
  chain = chain_new ("leaf", NAMES ("inter", "root"), NULL);
  gh_trust_chain_set_hostname (chain, "other.example");
  verify (chain);
  g_assert_cmpint (gh_served_chain_judge (chain, truststore), ==, GH_SERVED_ANCHOR_CLIENTS);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_ERROR);
  g_clear_object (&chain);

  /* The leaf alone, its issuer known to nobody: no client can build the path. */
  chain = chain_new ("leaf", NO_ARGS, NULL);
  verify (chain);
  g_assert_cmpint (gh_served_chain_judge (chain, truststore), ==, GH_SERVED_ANCHOR_INCOMPLETE);
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_ERROR);
  g_clear_object (&chain);

  /* A self-signed CA certificate served as the leaf: the clients decide whether to
   * trust it (a warning now), but its key usage is wrong for a server whoever trusts
   * it (still an error). */
  chain = chain_new ("root", NO_ARGS, NULL);
  verify (chain);
  g_assert_cmpint (gh_served_chain_judge (chain, NULL), ==, GH_SERVED_ANCHOR_CLIENTS);
  {
    GListModel *findings = gh_trust_link_get_findings (link_at (chain, 0));
    gboolean self_signed_warning = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
      {
        g_autoptr(GhFinding) other = g_list_model_get_item (findings, i);

        if (gh_finding_get_kind (other) == GH_FINDING_SELF_SIGNED)
          self_signed_warning = gh_finding_get_severity (other) == GH_SEVERITY_WARNING;
      }
    g_assert_true (self_signed_warning);
  }
  g_assert_cmpint (gh_trust_chain_get_severity (chain), ==, GH_SEVERITY_ERROR);

  g_assert_cmpstr (gh_served_anchor_to_string (GH_SERVED_ANCHOR_CLIENTS), ==, "clients");
  g_assert_cmpstr (gh_served_anchor_to_string (GH_SERVED_ANCHOR_INCOMPLETE), ==, "incomplete");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  pki_dir = g_dir_make_tmp ("gh-trust-chain-XXXXXX", &error);
  g_assert_no_error (error);

  have_tools = certtool != NULL && openssl != NULL;
  if (have_tools)
    make_pki ();

  g_test_add_func ("/trust-chain/clean", test_clean);
  g_test_add_func ("/trust-chain/truststore-crls", test_truststore_crls);
  g_test_add_func ("/trust-chain/intermediate-anchor", test_intermediate_anchor);
  g_test_add_func ("/trust-chain/expired", test_expired);
  g_test_add_func ("/trust-chain/expires-soon", test_expires_soon);
  g_test_add_func ("/trust-chain/not-yet-valid", test_not_yet_valid);
  g_test_add_func ("/trust-chain/verification-time", test_verification_time);
  g_test_add_func ("/trust-chain/missing-intermediate", test_missing_intermediate);
  g_test_add_func ("/trust-chain/untrusted-root", test_untrusted_root);
  g_test_add_func ("/trust-chain/self-signed", test_self_signed);
  g_test_add_func ("/trust-chain/weak-signature", test_weak_signature);
  g_test_add_func ("/trust-chain/small-key", test_small_key);
  g_test_add_func ("/trust-chain/host-mismatch", test_host_mismatch);
  g_test_add_func ("/trust-chain/purpose-mismatch", test_purpose_mismatch);
  g_test_add_func ("/trust-chain/key-usage-mismatch", test_key_usage_mismatch);
  g_test_add_func ("/trust-chain/not-a-ca", test_not_a_ca);
  g_test_add_func ("/trust-chain/revoked", test_revoked);
  g_test_add_func ("/trust-chain/bad-signature", test_bad_signature);
  g_test_add_func ("/trust-chain/bad-signature-by-anchor", test_bad_signature_by_anchor);
  g_test_add_func ("/trust-chain/system-anchors", test_system_anchors);
  g_test_add_func ("/trust-chain/async", test_async);
  g_test_add_func ("/trust-chain/served-anchor", test_served_anchor);

  status = g_test_run ();

  remove_dir (pki_dir);
  g_free (pki_dir);

  return status;
}
