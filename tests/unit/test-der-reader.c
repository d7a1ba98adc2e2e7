/* test-der-reader.c — the list's fields read from the DER (gh-der-reader.c) are
 * GnuTLS's, field by field, over certificates that openssl, certtool and keytool
 * made: keys RSA, EC P-256/P-384/P-521 and Ed25519, names with UTF-8, several values
 * in one RDN, domain components, SANs of every kind the list shows, dates past 2049,
 * serials with their top bit set. Each certificate says how far the walker must get
 * on its own (a certificate it must list would otherwise pass by GnuTLS reading it
 * alone). Every one-byte change of two of them is compared as well: the walker must
 * never read a certificate that GnuTLS refuses, nor read one differently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "../fuzz/der-compare.h"

static char *tmp_dir;

static char *
run_tool (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_error ("“%s” failed: %s%s", command, err, out);
    }
  return g_steal_pointer (&out);
}

#define RUN(...) g_free (run_tool ((const char * const []) { __VA_ARGS__, NULL }))

static GBytes *
read_der (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static gboolean
need (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("not installed: %s", program);

      g_test_skip (reason);
      return FALSE;
    }
  return TRUE;
}

/* @name.der read both ways: the same fields, and the walker got at least as far as
 * @expected. */
static void
assert_agrees (const char       *name,
               DerCompareResult  expected)
{
  g_autoptr(GBytes) der = read_der (name);
  g_autofree char *difference = NULL;
  DerCompareResult result;

  result = der_compare (g_bytes_get_data (der, NULL), g_bytes_get_size (der), &difference);
  if (difference != NULL)
    g_error ("%s: %s", name, difference);
  g_test_message ("%s: %s", name,
                  result == DER_COMPARE_LISTED ? "listed from the DER" :
                  result == DER_COMPARE_WALKED ? "walked, fields by GnuTLS" :
                  result == DER_COMPARE_GNUTLS_ONLY ? "GnuTLS only" : "refused");
  g_assert_cmpint (result, ==, expected);
}

static void
openssl_self_signed (const char *name,
                     const char *subject,
                     const char *key_options,
                     const char *extra,
                     const char *extra_value)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *der = g_strconcat (name, ".der", NULL);
  g_auto(GStrv) key_args = g_strsplit (key_options, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, "openssl");
  g_ptr_array_add (argv, "genpkey");
  for (guint i = 0; key_args[i] != NULL; i++)
    g_ptr_array_add (argv, key_args[i]);
  g_ptr_array_add (argv, "-out");
  g_ptr_array_add (argv, key);
  g_ptr_array_add (argv, NULL);
  g_free (run_tool ((const char * const *) argv->pdata));

  g_ptr_array_set_size (argv, 0);
  g_ptr_array_add (argv, "openssl");
  {
    const char *args[] = { "req", "-x509", "-new", "-utf8", "-key", key, "-subj", subject, "-days", "30",
                           "-addext", "subjectAltName=DNS:gw.example.com,DNS:*.example.com,IP:127.0.0.1,IP:::1,"
                           "email:ops@example.com,URI:https://gw.example.com/",
                           "-addext", "subjectKeyIdentifier=hash",
                           "-out", pem };

    for (guint i = 0; i < G_N_ELEMENTS (args); i++)
      g_ptr_array_add (argv, (gpointer) args[i]);
  }
  if (extra != NULL)
    {
      g_auto(GStrv) more = g_strsplit (extra, " ", -1);

      for (guint i = 0; more[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (more[i]));
      if (extra_value != NULL)
        g_ptr_array_add (argv, (gpointer) extra_value);
    }
  g_ptr_array_add (argv, NULL);
  g_free (run_tool ((const char * const *) argv->pdata));
  RUN ("openssl", "x509", "-in", pem, "-outform", "DER", "-out", der);
}

static void
test_openssl (void)
{
  if (!need ("openssl"))
    return;

  openssl_self_signed ("p256", "/C=FR/ST=Île-de-France/L=Paris/O=Gatehouse Ünïcode/OU=Ops/CN=gw.example.com/emailAddress=ops@example.com",
                       "-algorithm EC -pkeyopt ec_paramgen_curve:P-256", NULL, NULL);
  assert_agrees ("p256.der", DER_COMPARE_LISTED);

  /* A notBefore of 1965 (UTCTime 65…): GnuTLS reads no date before 1970 as that date,
   * so the walker leaves such a certificate to GnuTLS (fuzz-der-reader found it). */
  {
    g_autoptr(GBytes) der = read_der ("p256.der");
    gsize length = g_bytes_get_size (der);
    g_autofree guchar *copy = g_memdup2 (g_bytes_get_data (der, NULL), length);
    g_autofree char *difference = NULL;
    gsize at = 0;

    /* The first UTCTime of 13 characters is the notBefore. */
    while (at + 4 < length && !(copy[at] == 0x17 && copy[at + 1] == 13))
      at++;
    g_assert_cmpuint (at + 4, <, length);
    copy[at + 2] = '6';
    copy[at + 3] = '5';
    g_assert_cmpint (der_compare (copy, length, &difference), ==, DER_COMPARE_GNUTLS_ONLY);
    g_assert_null (difference);
  }

  openssl_self_signed ("p384", "/DC=com/DC=example/CN=host.example.com",
                       "-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "-set_serial 0x80", NULL);
  assert_agrees ("p384.der", DER_COMPARE_LISTED);

  openssl_self_signed ("p521", "/CN=a.example.com+OU=Two Values/O=Gatehouse",
                       "-algorithm EC -pkeyopt ec_paramgen_curve:P-521", "-multivalue-rdn", NULL);
  assert_agrees ("p521.der", DER_COMPARE_LISTED);

  openssl_self_signed ("rsa", "/O=Only An Organisation", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048",
                       "-sha1", NULL);
  assert_agrees ("rsa.der", DER_COMPARE_LISTED);

  openssl_self_signed ("rsa3072", "/CN=rsa.example.com", "-algorithm RSA -pkeyopt rsa_keygen_bits:3072",
                       "-sha512 -days 20000", NULL);
  assert_agrees ("rsa3072.der", DER_COMPARE_LISTED);

  openssl_self_signed ("ed25519", "/CN=ed.example.com", "-algorithm ED25519", NULL, NULL);
  assert_agrees ("ed25519.der", DER_COMPARE_LISTED);

  /* A comma, which RFC 4514 escapes: GnuTLS formats that name. */
  openssl_self_signed ("comma", "/O=Example, Inc./CN=comma.example.com", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256",
                       NULL, NULL);
  assert_agrees ("comma.der", DER_COMPARE_WALKED);

  /* RSASSA-PSS names its hash in parameters: GnuTLS reads the signature and key. */
  openssl_self_signed ("pss", "/CN=pss.example.com", "-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048", NULL, NULL);
  assert_agrees ("pss.der", DER_COMPARE_WALKED);
}

/* A CA and a leaf it signed: the walker says it is the issuer as GnuTLS does, and
 * a CA that only shares the name is not (their key ids differ). */
static void
test_issuer (void)
{
  g_autoptr(GBytes) ca_der = NULL;
  g_autoptr(GBytes) other_der = NULL;
  g_autoptr(GBytes) leaf_der = NULL;
  g_autoptr(GhCertificate) ca = NULL;
  g_autoptr(GhCertificate) other = NULL;
  g_autoptr(GhCertificate) leaf = NULL;
  int ret = 0;

  if (!need ("openssl"))
    return;

  RUN ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
       "-keyout", "ca.key", "-subj", "/CN=Test CA/O=Gatehouse", "-days", "30",
       "-addext", "basicConstraints=critical,CA:TRUE", "-outform", "DER", "-out", "ca.der");
  RUN ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
       "-keyout", "other.key", "-subj", "/CN=Test CA/O=Gatehouse", "-days", "30",
       "-addext", "basicConstraints=critical,CA:TRUE", "-outform", "DER", "-out", "other.der");
  RUN ("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
       "-keyout", "leaf.key", "-subj", "/CN=leaf.example.com", "-out", "leaf.csr");
  RUN ("openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.der", "-CAform", "DER", "-CAkey", "ca.key",
       "-days", "30", "-outform", "DER", "-out", "leaf.der");
  assert_agrees ("leaf.der", DER_COMPARE_LISTED);

  ca_der = read_der ("ca.der");
  other_der = read_der ("other.der");
  leaf_der = read_der ("leaf.der");
  ca = _gh_certificate_new_from_der_data (g_bytes_get_data (ca_der, NULL), g_bytes_get_size (ca_der), &ret);
  other = _gh_certificate_new_from_der_data (g_bytes_get_data (other_der, NULL), g_bytes_get_size (other_der), &ret);
  leaf = _gh_certificate_new_from_der_data (g_bytes_get_data (leaf_der, NULL), g_bytes_get_size (leaf_der), &ret);
  g_assert_nonnull (ca);
  g_assert_nonnull (other);
  g_assert_nonnull (leaf);

  g_assert_true (_gh_certificate_names_issuer (leaf, ca));
  g_assert_false (_gh_certificate_names_issuer (leaf, other));
  g_assert_false (_gh_certificate_names_issuer (ca, leaf));
  g_assert_cmpint (gnutls_x509_crt_check_issuer (_gh_certificate_get_gnutls (leaf), _gh_certificate_get_gnutls (ca)), !=, 0);
  g_assert_cmpint (gnutls_x509_crt_check_issuer (_gh_certificate_get_gnutls (leaf), _gh_certificate_get_gnutls (other)), ==, 0);
  g_assert_true (gh_certificate_is_issued_by (leaf, ca));
}

static void
test_certtool (void)
{
  g_autofree char *template = g_build_filename (tmp_dir, "certtool.tmpl", NULL);
  g_autoptr(GError) error = NULL;

  if (!need ("certtool"))
    return;

  g_file_set_contents (template,
                       "cn = \"certtool.example.com\"\n"
                       "organization = \"Gatehouse\"\n"
                       "unit = \"Tests\"\n"
                       "country = DE\n"
                       "dns_name = \"certtool.example.com\"\n"
                       "ip_address = \"192.0.2.7\"\n"
                       "email = \"tls@example.com\"\n"
                       "serial = 4096\n"
                       "expiration_days = 30\n"
                       "tls_www_server\n",
                       -1, &error);
  g_assert_no_error (error);
  RUN ("certtool", "--generate-privkey", "--key-type", "ecdsa", "--curve", "secp384r1", "--outfile", "certtool.key");
  RUN ("certtool", "--generate-self-signed", "--load-privkey", "certtool.key", "--template", "certtool.tmpl",
       "--outder", "--outfile", "certtool.der");
  assert_agrees ("certtool.der", DER_COMPARE_LISTED);

  RUN ("certtool", "--generate-privkey", "--key-type", "rsa", "--bits", "2048", "--outfile", "certtool-rsa.key");
  RUN ("certtool", "--generate-self-signed", "--load-privkey", "certtool-rsa.key", "--template", "certtool.tmpl",
       "--outder", "--outfile", "certtool-rsa.der");
  assert_agrees ("certtool-rsa.der", DER_COMPARE_LISTED);
}

static void
test_keytool (void)
{
  if (!need ("keytool"))
    return;

  /* Java writes its names as it reads them: the last RDN first, as RFC 4514 does. */
  RUN ("keytool", "-genkeypair", "-keystore", "java.p12", "-storetype", "PKCS12", "-storepass", "changeit",
       "-alias", "ec", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
       "-dname", "CN=java.example.com, OU=Java, O=Gatehouse, L=Paris, ST=IDF, C=FR",
       "-ext", "SAN=dns:java.example.com,ip:10.0.0.1,email:java@example.com");
  RUN ("keytool", "-exportcert", "-keystore", "java.p12", "-storepass", "changeit", "-alias", "ec", "-file", "java-ec.der");
  assert_agrees ("java-ec.der", DER_COMPARE_LISTED);

  RUN ("keytool", "-genkeypair", "-keystore", "java.p12", "-storetype", "PKCS12", "-storepass", "changeit",
       "-alias", "rsa", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
       "-dname", "CN=rsa.java.example.com, O=Gatehouse");
  RUN ("keytool", "-exportcert", "-keystore", "java.p12", "-storepass", "changeit", "-alias", "rsa", "-file", "java-rsa.der");
  assert_agrees ("java-rsa.der", DER_COMPARE_LISTED);
}

/* Every byte of a certificate changed, one at a time, three ways: both readers
 * refuse it, or both read the same fields. */
static void
mutate (const char *name)
{
  g_autoptr(GBytes) der = read_der (name);
  gsize length = g_bytes_get_size (der);
  g_autofree guchar *copy = g_memdup2 (g_bytes_get_data (der, NULL), length);
  static const guchar deltas[] = { 0x01, 0x80, 0xff };
  guint counts[4] = { 0 };

  for (gsize i = 0; i < length; i++)
    for (guint d = 0; d < G_N_ELEMENTS (deltas); d++)
      {
        g_autofree char *difference = NULL;
        guchar saved = copy[i];
        DerCompareResult result;

        copy[i] ^= deltas[d];
        result = der_compare (copy, length, &difference);
        if (difference != NULL)
          g_error ("%s, byte %" G_GSIZE_FORMAT " ^ 0x%02x: %s", name, i, deltas[d], difference);
        counts[result]++;
        copy[i] = saved;
      }

  g_test_message ("%s: %u refused, %u GnuTLS only, %u walked, %u listed from the DER", name,
                  counts[DER_COMPARE_REFUSED], counts[DER_COMPARE_GNUTLS_ONLY],
                  counts[DER_COMPARE_WALKED], counts[DER_COMPARE_LISTED]);
  /* Changed names, dates, keys and signatures still list from the DER. */
  g_assert_cmpuint (counts[DER_COMPARE_LISTED], >, length / 4);
}

static void
test_mutations (void)
{
  if (!need ("openssl"))
    return;

  openssl_self_signed ("mutate-ec", "/C=FR/O=Gatehouse/CN=mutate.example.com",
                       "-algorithm EC -pkeyopt ec_paramgen_curve:P-256", NULL, NULL);
  mutate ("mutate-ec.der");
  openssl_self_signed ("mutate-rsa", "/DC=org/DC=example/CN=rsa.example.com",
                       "-algorithm RSA -pkeyopt rsa_keygen_bits:1024", "-days 20000", NULL);
  mutate ("mutate-rsa.der");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gh-der-reader-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/der-reader/openssl", test_openssl);
  g_test_add_func ("/der-reader/issuer", test_issuer);
  g_test_add_func ("/der-reader/certtool", test_certtool);
  g_test_add_func ("/der-reader/keytool", test_keytool);
  g_test_add_func ("/der-reader/mutations", test_mutations);

  result = g_test_run ();
  RUN ("rm", "-rf", tmp_dir);
  g_free (tmp_dir);
  return result;
}
