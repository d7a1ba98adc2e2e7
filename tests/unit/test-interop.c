/* test-interop.c — PKCS#12 keystores between Gatehouse and the tools administrators
 * use: files written by `openssl pkcs12 -export` (default and -legacy), `certtool
 * --to-p12` and Java `keytool` open in Gatehouse with the right aliases, kinds and
 * chains; files Gatehouse writes, in both profiles, open in all three.
 *
 * Each tool is found with g_find_program_in_path and run with g_spawn_sync (argv, no
 * shell); a test whose tool is missing skips and says which. keytool starts a JVM
 * (about half a second): it runs six times in all.
 *
 * Java's keytool lists a certificate of a PKCS#12 file as a trusted entry only when
 * its bag carries Oracle's trusted-key-usage attribute (2.16.840.1.113894.746875.1.1),
 * which Gatehouse writes on its trusted entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-import.h"
#include "gh-pki-error.h"

#define PASSWORD "interop pass"

static char *tmp_dir;
static char *openssl;
static char *certtool;
static char *keytool;
static gboolean have_pki;  /* root.pem, inter.pem, leaf.pem with leaf.key, made by openssl */

/* Helpers */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs a program in the temporary directory; its stdout, or NULL with @error_out set
 * to its stderr (and stdout, since keytool writes its errors there). */
static char *
spawn (const char * const  *argv,
       char               **error_out)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                     &out, &err, &status, &error))
    {
      *error_out = g_strdup (error->message);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      *error_out = g_strconcat (err, out, NULL);
      return NULL;
    }

  return g_steal_pointer (&out);
}

static char *
run (const char *first,
     ...) G_GNUC_NULL_TERMINATED;

/* Runs a command that must succeed; returns its stdout. */
static char *
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  va_list args;
  char *out;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  out = spawn ((const char * const *) argv->pdata, &err);
  if (out == NULL)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      g_error ("“%s” failed: %s", command, err);
    }

  return out;
}

static gboolean
need (const char *program,
      const char *package)
{
  if (program == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("not installed: %s", package);

      g_test_skip (reason);
      return FALSE;
    }

  return TRUE;
}

static gboolean
need_pki (void)
{
  if (!have_pki)
    g_test_skip ("not installed: openssl (it makes the test CA)");
  return have_pki;
}

static GhKeystore *
open_keystore (const char *name,
               const char *password)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GhKeystore *keystore = gh_keystore_new_from_file (file, password, GH_KEYSTORE_LOAD_NONE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (keystore);
  return keystore;
}

static void
log_keystore (GhKeystore *keystore)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (keystore)); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      g_test_message ("entry “%s”: %s, chain of %u, leaf “%s”", gh_keystore_entry_get_alias (entry),
                      gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? "key" : "trusted certificate",
                      chain->len, gh_certificate_get_display_name (g_ptr_array_index (chain, 0)));
    }
}

/* Asserts that @alias is a key entry of @keystore whose chain has the common names
 * given, leaf first, and whose key belongs to the leaf. */
static void
assert_key_entry (GhKeystore *keystore,
                  const char *alias,
                  ...) G_GNUC_NULL_TERMINATED;

static void
assert_key_entry (GhKeystore *keystore,
                  const char *alias,
                  ...)
{
  GhKeystoreEntry *entry = gh_keystore_lookup (keystore, alias);
  GPtrArray *chain;
  va_list args;
  guint i = 0;

  g_assert_nonnull (entry);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_true (gh_private_key_matches (gh_keystore_entry_get_private_key (entry),
                                         gh_keystore_entry_get_certificate (entry)));
  chain = gh_keystore_entry_get_chain (entry);

  va_start (args, alias);
  for (const char *cn = va_arg (args, const char *); cn != NULL; cn = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, chain->len);
      g_assert_cmpstr (gh_certificate_get_display_name (g_ptr_array_index (chain, i)), ==, cn);
    }
  va_end (args);
  g_assert_cmpuint (i, ==, chain->len);
}

static void
assert_trusted_entry (GhKeystore *keystore,
                      const char *alias,
                      const char *cn)
{
  GhKeystoreEntry *entry = gh_keystore_lookup (keystore, alias);

  g_assert_nonnull (entry);
  g_assert_cmpint (gh_keystore_entry_get_kind (entry), ==, GH_KEYSTORE_ENTRY_TRUSTED_CERT);
  g_assert_null (gh_keystore_entry_get_private_key (entry));
  g_assert_cmpstr (gh_certificate_get_display_name (gh_keystore_entry_get_certificate (entry)), ==, cn);
}

/* The test CA: a root, an intermediate and a leaf with its key (PEM files). */
static void
make_pki (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inter = NULL;
  g_autofree char *root = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *cas = NULL;
  g_autofree char *path = NULL;

  if (openssl == NULL)
    return;

  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
               "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=Interop Root CA", "-days", "30",
               "-addext", "basicConstraints=critical,CA:TRUE",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
               "-keyout", "inter.key", "-out", "inter.pem", "-subj", "/CN=Interop Intermediate CA", "-days", "30",
               "-CA", "root.pem", "-CAkey", "root.key",
               "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
               "-keyout", "leaf.key", "-out", "leaf.pem", "-subj", "/CN=gateway.example.com", "-days", "30",
               "-CA", "inter.pem", "-CAkey", "inter.key",
               "-addext", "subjectAltName=DNS:gateway.example.com",
               "-addext", "basicConstraints=critical,CA:FALSE",
               "-addext", "extendedKeyUsage=serverAuth", NULL));

  /* chain.pem (leaf first) and cas.pem, for the tools that take a chain file. */
  path = tmp_path ("inter.pem");
  g_file_get_contents (path, &inter, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  path = tmp_path ("root.pem");
  g_file_get_contents (path, &root, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  path = tmp_path ("leaf.pem");
  {
    g_autofree char *leaf = NULL;

    g_file_get_contents (path, &leaf, NULL, &error);
    g_assert_no_error (error);
    chain = g_strconcat (leaf, inter, root, NULL);
  }
  cas = g_strconcat (inter, root, NULL);
  g_clear_pointer (&path, g_free);
  path = tmp_path ("chain.pem");
  g_file_set_contents (path, chain, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  path = tmp_path ("cas.pem");
  g_file_set_contents (path, cas, -1, &error);
  g_assert_no_error (error);

  have_pki = TRUE;
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Files written by the tools, opened by Gatehouse */

static void
test_read_openssl (void)
{
  g_autoptr(GhKeystore) keystore = NULL;

  if (!need (openssl, "openssl") || !need_pki ())
    return;

  g_free (run ("openssl", "pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.pem", "-certfile", "cas.pem",
               "-name", "web", "-passout", "pass:" PASSWORD, "-out", "openssl.p12", NULL));

  keystore = open_keystore ("openssl.p12", PASSWORD);
  log_keystore (keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  assert_key_entry (keystore, "web", "gateway.example.com", "Interop Intermediate CA", "Interop Root CA", NULL);
  g_assert_cmpint (gh_keystore_get_profile (keystore), ==, GH_PKCS12_PROFILE_MODERN);
}

static void
test_read_openssl_legacy (void)
{
  const char *argv[] = { "openssl", "pkcs12", "-export", "-legacy", "-inkey", "leaf.key", "-in", "leaf.pem",
                         "-certfile", "cas.pem", "-name", "web", "-passout", "pass:" PASSWORD,
                         "-out", "openssl-legacy.p12", NULL };
  g_autoptr(GhKeystore) keystore = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!need (openssl, "openssl") || !need_pki ())
    return;

  /* -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC) needs OpenSSL 3 and its legacy provider. */
  out = spawn (argv, &err);
  if (out == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("this OpenSSL cannot write -legacy PKCS#12: %s", g_strstrip (err));

      g_test_skip (reason);
      return;
    }

  keystore = open_keystore ("openssl-legacy.p12", PASSWORD);
  log_keystore (keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  assert_key_entry (keystore, "web", "gateway.example.com", "Interop Intermediate CA", "Interop Root CA", NULL);
  g_assert_cmpint (gh_keystore_get_profile (keystore), ==, GH_PKCS12_PROFILE_COMPATIBLE);
}

static void
test_read_certtool (void)
{
  g_autoptr(GhKeystore) keystore = NULL;

  if (!need (certtool, "certtool (gnutls-bin)") || !need_pki ())
    return;

  g_free (run ("certtool", "--to-p12", "--load-privkey", "leaf.key", "--load-certificate", "chain.pem",
               "--p12-name", "web", "--password", PASSWORD, "--outder", "--outfile", "certtool.p12", NULL));

  keystore = open_keystore ("certtool.p12", PASSWORD);
  log_keystore (keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 1);
  assert_key_entry (keystore, "web", "gateway.example.com", "Interop Intermediate CA", "Interop Root CA", NULL);
}

static void
test_read_keytool (void)
{
  g_autoptr(GhKeystore) keystore = NULL;

  if (!need (keytool, "keytool (a Java runtime)") || !need_pki ())
    return;

  /* A CA key, a gateway key signed by it (chain of two), and a trusted certificate.
   * RSA: for EC keys see test_read_keytool_ec(). */
  g_free (run ("keytool", "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
               "-dname", "CN=Keytool CA", "-ext", "bc:c", "-validity", "30",
               "-storetype", "PKCS12", "-keystore", "keytool.p12", "-storepass", PASSWORD, "-keypass", PASSWORD, NULL));
  g_free (run ("keytool", "-genkeypair", "-alias", "gw", "-keyalg", "RSA", "-keysize", "2048",
               "-dname", "CN=gw.example.com", "-signer", "ca", "-validity", "30",
               "-storetype", "PKCS12", "-keystore", "keytool.p12", "-storepass", PASSWORD, "-keypass", PASSWORD, NULL));
  g_free (run ("keytool", "-importcert", "-noprompt", "-alias", "backend-root", "-file", "root.pem",
               "-storetype", "PKCS12", "-keystore", "keytool.p12", "-storepass", PASSWORD, NULL));

  /* Java names each chain certificate after its subject DN ("CN=Keytool CA"): that
   * is no entry of its own, as `keytool -list` shows. */
  keystore = open_keystore ("keytool.p12", PASSWORD);
  log_keystore (keystore);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 3);
  assert_key_entry (keystore, "ca", "Keytool CA", NULL);
  assert_key_entry (keystore, "gw", "gw.example.com", "Keytool CA", NULL);
  assert_trusted_entry (keystore, "backend-root", "Interop Root CA");

  /* The same through `openssl pkcs12 -nodes`, whose "Bag Attributes" keep Java's names:
   * as a PEM keystore, and as an import. */
  if (openssl != NULL)
    {
      g_autofree char *pem = run ("openssl", "pkcs12", "-in", "keytool.p12", "-nodes", "-passin", "pass:" PASSWORD, NULL);
      g_autoptr(GBytes) bytes = g_bytes_new (pem, strlen (pem));
      g_autoptr(GhKeystore) from_pem = NULL;
      g_autoptr(GhImport) import = NULL;
      g_autoptr(GhKeystore) imported = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (strstr (pem, "friendlyName: CN=Keytool CA"));
      from_pem = gh_keystore_new_from_bytes (bytes, NULL, GH_KEYSTORE_LOAD_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (from_pem)), ==, 3);
      assert_key_entry (from_pem, "gw", "gw.example.com", "Keytool CA", NULL);
      assert_trusted_entry (from_pem, "backend-root", "Interop Root CA");

      import = gh_import_new_from_bytes (bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (gh_import_commit (import, imported, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (imported)), ==, 3);
      assert_key_entry (imported, "ca", "Keytool CA", NULL);
      assert_key_entry (imported, "gw", "gw.example.com", "Keytool CA", NULL);
      assert_trusted_entry (imported, "backend-root", "Interop Root CA");
    }
}

/* Java stores an EC private key without the optional public key of its ECPrivateKey
 * (RFC 5915), and GnuTLS 3.8 cannot parse such a key. Listing needs no key; the key,
 * when asked for, is completed from the entry's certificate: P-256 and P-384. */
static void
test_read_keytool_ec (void)
{
  const char *curves[] = { "secp256r1", "secp384r1", NULL };
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!need (keytool, "keytool (a Java runtime)"))
    return;

  for (guint i = 0; curves[i] != NULL; i++)
    {
      g_autofree char *alias = g_strdup_printf ("gw-%s", curves[i]);
      g_autofree char *dname = g_strdup_printf ("CN=%s.example.com", alias);

      g_free (run ("keytool", "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", curves[i],
                   "-dname", dname, "-validity", "30", "-storetype", "PKCS12", "-keystore", "keytool-ec.p12",
                   "-storepass", PASSWORD, "-keypass", PASSWORD, NULL));
    }

  path = tmp_path ("keytool-ec.p12");
  file = g_file_new_for_path (path);
  keystore = gh_keystore_new_from_file (file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (keystore)), ==, 2);
  assert_key_entry (keystore, "gw-secp256r1", "gw-secp256r1.example.com", NULL);
  assert_key_entry (keystore, "gw-secp384r1", "gw-secp384r1.example.com", NULL);
  g_assert_cmpstr (gh_private_key_get_algorithm (gh_keystore_entry_get_private_key (gh_keystore_lookup (keystore, "gw-secp384r1"))),
                   ==, "ECDSA P-384");

  /* Saved again, the keys that did not change stay as Java wrote them, and open. */
  g_assert_true (gh_keystore_save (keystore, file, PASSWORD, &error));
  g_assert_no_error (error);
  again = open_keystore ("keytool-ec.p12", PASSWORD);
  assert_key_entry (again, "gw-secp256r1", "gw-secp256r1.example.com", NULL);
  assert_key_entry (again, "gw-secp384r1", "gw-secp384r1.example.com", NULL);
  {
    g_autofree char *out = run ("keytool", "-list", "-storetype", "PKCS12", "-keystore", "keytool-ec.p12",
                                "-storepass", PASSWORD, NULL);

    g_assert_cmpuint (count (out, "PrivateKeyEntry"), ==, 2);
  }
}

/* Files written by the tools, changed by Gatehouse (an entry added, one deleted, one
 * renamed) and saved, then read by every tool: the entries that did not change keep
 * their encrypted keys as the tool wrote them. */

static void
change_and_check (const char *source,
                  const char *deleted,
                  const char *renamed)
{
  g_autoptr(GhKeystore) keystore = open_keystore (source, PASSWORD);
  g_autoptr(GhKeystore) again = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, NULL);
  g_autoptr(GhCertificate) cert = NULL;
  g_autoptr(GhKeystoreEntry) added = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = g_strconcat ("changed-", source, NULL);
  g_autofree char *path = tmp_path (changed);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *deleted_line = g_strdup_printf ("%s,", deleted);
  guint n_keys = 0, n_items;

  cert = gh_private_key_create_self_signed (key, "CN=added.example.com", NULL, 30, &error);
  g_assert_no_error (error);
  g_ptr_array_add (chain, cert);
  added = gh_keystore_entry_new_key ("added", key, chain);
  g_assert_true (gh_keystore_add (keystore, added, &error));
  g_assert_true (gh_keystore_remove (keystore, deleted, &error));
  g_assert_true (gh_keystore_rename (keystore, renamed, "renamed", &error));
  g_assert_no_error (error);
  g_assert_true (gh_keystore_save (keystore, file, PASSWORD, &error));
  g_assert_no_error (error);

  /* Gatehouse: the same entries, and every key opens and fits its certificate. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  again = open_keystore (changed, PASSWORD);
  log_keystore (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, n_items);
  g_assert_null (gh_keystore_lookup (again, deleted));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_autoptr(GhPrivateKey) opened = NULL;

      g_assert_nonnull (gh_keystore_lookup (keystore, gh_keystore_entry_get_alias (entry)));
      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;
      n_keys++;
      opened = gh_keystore_entry_load_private_key (entry, &error);
      g_assert_no_error (error);
      g_assert_true (gh_private_key_matches (opened, gh_keystore_entry_get_certificate (entry)));
    }
  g_assert_cmpint (gh_keystore_entry_get_kind (gh_keystore_lookup (again, "renamed")), ==, GH_KEYSTORE_ENTRY_KEY);
  g_assert_cmpint (gh_keystore_entry_get_kind (gh_keystore_lookup (again, "added")), ==, GH_KEYSTORE_ENTRY_KEY);

  if (openssl != NULL)
    {
      g_autofree char *out = run ("openssl", "pkcs12", "-in", changed, "-passin", "pass:" PASSWORD, "-nodes", NULL);

      g_assert_nonnull (strstr (out, "friendlyName: added\n"));
      g_assert_nonnull (strstr (out, "friendlyName: renamed\n"));
      g_assert_cmpuint (count (out, "-----BEGIN PRIVATE KEY-----"), ==, n_keys);
    }
  if (certtool != NULL)
    {
      g_autofree char *out = run ("certtool", "--p12-info", "--inder", "--password", PASSWORD, "--infile", changed, NULL);

      g_assert_nonnull (strstr (out, "added"));
      g_assert_nonnull (strstr (out, "renamed"));
    }
  if (keytool != NULL)
    {
      g_autofree char *out = run ("keytool", "-list", "-storetype", "PKCS12", "-keystore", changed,
                                  "-storepass", PASSWORD, NULL);

      g_assert_nonnull (strstr (out, "\nadded,"));
      g_assert_nonnull (strstr (out, "\nrenamed,"));
      g_assert_null (strstr (out, deleted_line));
      g_assert_cmpuint (count (out, "PrivateKeyEntry"), ==, n_keys);
    }
}

/* An openssl keystore of one key entry and one more certificate (a trusted entry). */
static const char *
make_openssl_source (const char *name,
                     gboolean    legacy)
{
  const char *argv[] = { "openssl", "pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.pem",
                         "-certfile", "cas-and-other.pem", "-name", "web", "-passout", "pass:" PASSWORD,
                         "-out", name, legacy ? "-legacy" : NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cas = NULL;
  g_autofree char *other = NULL;
  g_autofree char *both = NULL;
  g_autofree char *cas_path = tmp_path ("cas.pem");
  g_autofree char *other_path = tmp_path ("other.pem");
  g_autofree char *both_path = tmp_path ("cas-and-other.pem");

  g_free (run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
               "-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=Other Root", "-days", "30", NULL));
  g_assert_true (g_file_get_contents (cas_path, &cas, NULL, NULL));
  g_assert_true (g_file_get_contents (other_path, &other, NULL, NULL));
  both = g_strconcat (cas, other, NULL);
  g_assert_true (g_file_set_contents (both_path, both, -1, NULL));

  out = spawn (argv, &err);
  if (out == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("openssl cannot write %s: %s", name, g_strstrip (err));

      g_test_skip (reason);
      return NULL;
    }
  return name;
}

static void
test_change_openssl (gconstpointer data)
{
  gboolean legacy = GPOINTER_TO_INT (data);
  const char *source;

  if (!need (openssl, "openssl") || !need_pki () ||
      (source = make_openssl_source (legacy ? "source-legacy.p12" : "source.p12", legacy)) == NULL)
    return;

  change_and_check (source, "other root", "web");
}

static void
test_change_keytool (void)
{
  if (!need (keytool, "keytool (a Java runtime)") || !need_pki ())
    return;

  g_free (run ("keytool", "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
               "-dname", "CN=Keytool CA", "-ext", "bc:c", "-validity", "30",
               "-storetype", "PKCS12", "-keystore", "source-keytool.p12", "-storepass", PASSWORD, "-keypass", PASSWORD, NULL));
  g_free (run ("keytool", "-genkeypair", "-alias", "gw", "-keyalg", "RSA", "-keysize", "2048",
               "-dname", "CN=gw.example.com", "-signer", "ca", "-validity", "30",
               "-storetype", "PKCS12", "-keystore", "source-keytool.p12", "-storepass", PASSWORD, "-keypass", PASSWORD, NULL));
  g_free (run ("keytool", "-importcert", "-noprompt", "-alias", "backend-root", "-file", "root.pem",
               "-storetype", "PKCS12", "-keystore", "source-keytool.p12", "-storepass", PASSWORD, NULL));

  change_and_check ("source-keytool.p12", "ca", "gw");
}

/* Files written by Gatehouse, opened by the tools */

static GhKeystore *
make_gatehouse_keystore (void)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GError) error = NULL;

  if (have_pki)
    {
      g_autofree char *chain_path = tmp_path ("chain.pem");
      g_autofree char *key_path = tmp_path ("leaf.key");
      g_autofree char *root_path = tmp_path ("root.pem");
      g_autofree char *chain = NULL;
      g_autofree char *key = NULL;
      g_autofree char *root = NULL;
      g_autofree char *bundle = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GhImport) identity = NULL;
      g_autoptr(GhImport) trusted = NULL;

      g_file_get_contents (chain_path, &chain, NULL, &error);
      g_assert_no_error (error);
      g_file_get_contents (key_path, &key, NULL, &error);
      g_assert_no_error (error);
      g_file_get_contents (root_path, &root, NULL, &error);
      g_assert_no_error (error);

      bundle = g_strconcat (key, chain, NULL);
      bytes = g_bytes_new (bundle, strlen (bundle));
      identity = gh_import_new_from_bytes (bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (gh_import_commit (identity, keystore, "web", &error));
      g_assert_no_error (error);

      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_bytes_new (root, strlen (root));
      trusted = gh_import_new_from_bytes (bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (gh_import_commit (trusted, keystore, "backend-root", &error));
      g_assert_no_error (error);
    }
  else
    {
      g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_autoptr(GhCertificate) certificate = NULL;
      g_autoptr(GhPrivateKey) root_key = NULL;
      g_autoptr(GhCertificate) root = NULL;
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autoptr(GhKeystoreEntry) trusted = NULL;

      g_assert_no_error (error);
      certificate = gh_private_key_create_self_signed (key, "CN=gateway.example.com", NULL, 30, &error);
      g_assert_no_error (error);
      g_ptr_array_add (chain, certificate);
      entry = gh_keystore_entry_new_key ("web", key, chain);
      g_assert_true (gh_keystore_add (keystore, entry, &error));
      root_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_assert_no_error (error);
      root = gh_private_key_create_self_signed (root_key, "CN=Interop Root CA", NULL, 30, &error);
      g_assert_no_error (error);
      trusted = gh_keystore_entry_new_trusted ("backend-root", root);
      g_assert_true (gh_keystore_add (keystore, trusted, &error));
    }

  return g_steal_pointer (&keystore);
}

static void
write_gatehouse_keystore (GhPkcs12Profile  profile,
                          const char      *name)
{
  g_autoptr(GhKeystore) keystore = make_gatehouse_keystore ();
  g_autofree char *path = tmp_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  gh_keystore_set_profile (keystore, profile);
  g_assert_true (gh_keystore_save (keystore, file, PASSWORD, &error));
  g_assert_no_error (error);
}

static void
check_with_openssl (const char *name)
{
  const char *argv[] = { "openssl", "pkcs12", "-in", name, "-info", "-noout", "-passin", "pass:" PASSWORD, NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (openssl == NULL)
    {
      g_test_message ("openssl is not installed: not checked with it");
      return;
    }

  /* `-info` writes what it found to stderr: success is the exit status. */
  out = spawn (argv, &err);
  if (out == NULL)
    {
      /* OpenSSL 3 reads some older algorithms only with its legacy provider. */
      g_test_message ("openssl pkcs12 -info without -legacy failed: %s", err);
      g_clear_pointer (&err, g_free);
      argv[8] = "-legacy";
      out = spawn (argv, &err);
      if (out == NULL)
        g_error ("openssl pkcs12 -info cannot open %s: %s", name, err);
      g_test_message ("%s opens in openssl pkcs12 -legacy only", name);
    }
}

static void
check_with_certtool (const char *name)
{
  g_autofree char *out = NULL;

  if (certtool == NULL)
    {
      g_test_message ("certtool is not installed: not checked with it");
      return;
    }

  out = run ("certtool", "--p12-info", "--inder", "--password", PASSWORD, "--infile", name, NULL);
  g_assert_nonnull (strstr (out, "web"));
  g_assert_nonnull (strstr (out, "backend-root"));
}

static void
check_with_keytool (const char *name)
{
  g_autofree char *out = NULL;

  if (keytool == NULL)
    {
      g_test_message ("keytool is not installed: not checked with it");
      return;
    }

  out = run ("keytool", "-list", "-v", "-storetype", "PKCS12", "-keystore", name, "-storepass", PASSWORD, NULL);
  g_assert_nonnull (strstr (out, "Alias name: web"));
  g_assert_nonnull (strstr (out, "Entry type: PrivateKeyEntry"));
  if (have_pki)
    g_assert_nonnull (strstr (out, "Certificate chain length: 3"));
  /* Gatehouse writes Oracle's trusted-key-usage attribute on a trusted certificate. */
  g_assert_nonnull (strstr (out, "Alias name: backend-root"));
  g_assert_nonnull (strstr (out, "Entry type: trustedCertEntry"));
}

static void
check_gatehouse_keystore (GhPkcs12Profile  profile,
                          const char      *name)
{
  g_autoptr(GhKeystore) again = NULL;

  write_gatehouse_keystore (profile, name);
  check_with_openssl (name);
  check_with_certtool (name);
  check_with_keytool (name);

  again = open_keystore (name, PASSWORD);
  g_assert_cmpint (gh_keystore_get_profile (again), ==, profile);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  assert_trusted_entry (again, "backend-root", "Interop Root CA");
}

static void
test_write_modern (void)
{
  check_gatehouse_keystore (GH_PKCS12_PROFILE_MODERN, "gatehouse-modern.p12");
}

static void
test_write_compatible (void)
{
  check_gatehouse_keystore (GH_PKCS12_PROFILE_COMPATIBLE, "gatehouse-compatible.p12");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gh-interop-XXXXXX", &error);
  g_assert_no_error (error);
  openssl = g_find_program_in_path ("openssl");
  certtool = g_find_program_in_path ("certtool");
  keytool = g_find_program_in_path ("keytool");
  make_pki ();

  g_test_add_func ("/interop/read/openssl", test_read_openssl);
  g_test_add_func ("/interop/read/openssl-legacy", test_read_openssl_legacy);
  g_test_add_func ("/interop/read/certtool", test_read_certtool);
  g_test_add_func ("/interop/read/keytool", test_read_keytool);
  g_test_add_func ("/interop/read/keytool-ec", test_read_keytool_ec);
  g_test_add_data_func ("/interop/change/openssl", GINT_TO_POINTER (FALSE), test_change_openssl);
  g_test_add_data_func ("/interop/change/openssl-legacy", GINT_TO_POINTER (TRUE), test_change_openssl);
  g_test_add_func ("/interop/change/keytool", test_change_keytool);
  g_test_add_func ("/interop/write/modern", test_write_modern);
  g_test_add_func ("/interop/write/compatible", test_write_compatible);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&openssl, g_free);
  g_clear_pointer (&certtool, g_free);
  g_clear_pointer (&keytool, g_free);
  return status;
}
