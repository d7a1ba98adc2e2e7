/* test-crash-consistency.c — a writer killed at any point of a save leaves the keystore
 * file whole: it opens, and holds the old content or the new one, never a mix
 *
 * The test runs itself as the writer (`test-crash-consistency --crash-writer …`): a
 * child that saves two keystores A and B (different entries) in turn to one path with
 * gh_keystore_save(), for ever. The parent SIGKILLs it after a random delay, then opens
 * the file (and its FILE.bak) and checks it is exactly A or exactly B. Temporary files
 * that killed writers leave (`.NAME.XXXXXX`, mode 0600) are counted and removed.
 *
 * Two cases: PEM truststores, whose saves take well under a millisecond, so that the
 * kills land all over the write, fsync, backup link and rename; and PKCS#12 keystores
 * with key entries, the real thing, whose saves are dominated by GnuTLS's key
 * derivations (600,000 PBKDF2 rounds each), so kills mostly land in serialization.
 *
 * --seed reproduces a run: the delays come from g_test_rand_int_range().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-pki-error.h"

#define WRITER_ARG "--crash-writer"
#define PASSWORD   "crash consistency"
#define KEYSTORE   "keystore"

/* The writer: the child process. */

static GhKeystore *
load_source (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* Sources are PEM with plain keys: no key derivation when the child starts. */
  return gh_keystore_new_from_file (file, NULL, GH_KEYSTORE_LOAD_NONE, error);
}

static int
run_writer (const char *target,
            const char *format_name,
            const char *first,
            const char *source_a,
            const char *source_b)
{
  g_autoptr(GhKeystore) a = NULL;
  g_autoptr(GhKeystore) b = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GError) error = NULL;
  GhKeystoreFormat format = g_str_equal (format_name, "pem") ? GH_KEYSTORE_FORMAT_PEM
                                                             : GH_KEYSTORE_FORMAT_PKCS12;
  GhKeystore *keystores[2];

  a = load_source (source_a, &error);
  if (a != NULL)
    b = load_source (source_b, &error);
  if (error != NULL)
    {
      g_printerr ("crash writer: %s\n", error->message);
      return 1;
    }

  keystores[0] = a;
  keystores[1] = b;
  for (guint i = 0; i < 2; i++)
    {
      gh_keystore_set_format (keystores[i], format);
      gh_keystore_set_profile (keystores[i], GH_PKCS12_PROFILE_MODERN);
    }

  /* The parent's delay starts now. */
  fputs ("ready\n", stdout);
  fflush (stdout);

  /* Starting with the one that is not on disk, so that every save changes the file. */
  for (guint64 n = g_str_equal (first, "b") ? 1 : 0; ; n++)
    {
      if (!gh_keystore_save (keystores[n % 2], file, PASSWORD, &error))
        {
          g_printerr ("crash writer: save %" G_GUINT64_FORMAT ": %s\n", n, error->message);
          return 1;
        }
    }
}

/* The parent: the test. */

typedef struct {
  char          *dir;
  char          *path;
  char          *backup;
  char          *source[2];
  char          *expected[2];  /* what A and B look like, as entries_signature() says */
  GhPrivateKey  *keys[3];
  GhCertificate *certs[3];
} Fixture;

static char *
entries_signature (GhKeystore *keystore)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) signature = g_string_new (NULL);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GhCertificate *leaf = gh_keystore_entry_get_certificate (entry);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s %s chain=%u key=%s",
                                               gh_keystore_entry_get_alias (entry),
                                               gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? "key" : "trusted",
                                               gh_certificate_get_sha256_fingerprint (leaf),
                                               gh_keystore_entry_get_chain (entry)->len,
                                               key != NULL ? gh_private_key_get_public_key_id (key) : "-"));
    }

  g_ptr_array_sort_values (lines, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (signature, "%s\n", (const char *) g_ptr_array_index (lines, i));

  return g_string_free_and_steal (g_steal_pointer (&signature));
}

static void
append_block (GString    *text,
              const char *alias,
              const char *pem)
{
  g_string_append_printf (text, "Bag Attributes\n    friendlyName: %s\n%s", alias, pem);
}

/* A source file the writer loads quickly: PEM, keys in the clear (mode 0600, in the
 * test's own directory). */
static char *
write_source (Fixture    *f,
              const char *name,
              GhKeystore *keystore)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      const char *alias = gh_keystore_entry_get_alias (entry);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
      g_autofree char *cert_pem = gh_certificate_to_pem (gh_keystore_entry_get_certificate (entry));

      if (key != NULL)
        {
          g_autoptr(GhSecret) key_pem = gh_private_key_export_pkcs8_pem (key, NULL, &error);

          g_assert_no_error (error);
          append_block (text, alias, key_pem);
        }
      append_block (text, alias, cert_pem);
    }

  g_file_set_contents_full (path, text->str, text->len, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  return path;
}

static void
add_key_entry (GhKeystore    *keystore,
               const char    *alias,
               GhPrivateKey  *key,
               GhCertificate *certificate)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (chain, certificate);
  entry = gh_keystore_entry_new_key (alias, key, chain);
  g_assert_true (gh_keystore_add (keystore, entry, &error));
  g_assert_no_error (error);
}

static void
add_trusted_entry (GhKeystore    *keystore,
                   const char    *alias,
                   GhCertificate *certificate)
{
  g_autoptr(GhKeystoreEntry) entry = gh_keystore_entry_new_trusted (alias, certificate);
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_keystore_add (keystore, entry, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *names[] = { "CN=gateway.example.com", "CN=Backend Root A", "CN=Backend Root B" };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gh-crash-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, KEYSTORE, NULL);
  f->backup = g_strconcat (f->path, ".bak", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (f->keys); i++)
    {
      f->keys[i] = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_assert_no_error (error);
      f->certs[i] = gh_private_key_create_self_signed (f->keys[i], names[i], NULL, 30, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);

  for (guint i = 0; i < G_N_ELEMENTS (f->keys); i++)
    {
      g_clear_object (&f->keys[i]);
      g_clear_object (&f->certs[i]);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_free (f->source[i]);
      g_free (f->expected[i]);
    }
  g_free (f->path);
  g_free (f->backup);
  g_free (f->dir);
}

/* A and B, written as the writer's sources and saved once to the keystore path (A). */
static void
prepare (Fixture          *f,
         GhKeystoreFormat  format,
         gboolean          with_keys)
{
  g_autoptr(GhKeystore) a = gh_keystore_new (format);
  g_autoptr(GhKeystore) b = gh_keystore_new (format);
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autoptr(GError) error = NULL;

  if (with_keys)
    {
      /* A: the gateway's key and one root; B: the same key under another alias, the
       * other root, and the first root under another alias. */
      add_key_entry (a, "gateway", f->keys[0], f->certs[0]);
      add_trusted_entry (a, "root-a", f->certs[1]);
      add_key_entry (b, "gateway-2026", f->keys[0], f->certs[0]);
      add_trusted_entry (b, "root-b", f->certs[2]);
      add_trusted_entry (b, "old-root-a", f->certs[1]);
    }
  else
    {
      add_trusted_entry (a, "gateway", f->certs[0]);
      add_trusted_entry (a, "root-a", f->certs[1]);
      add_trusted_entry (b, "root-b", f->certs[2]);
      add_trusted_entry (b, "root-a", f->certs[1]);
      add_trusted_entry (b, "gateway-2026", f->certs[0]);
    }

  f->source[0] = write_source (f, "source-a.pem", a);
  f->source[1] = write_source (f, "source-b.pem", b);
  f->expected[0] = entries_signature (a);
  f->expected[1] = entries_signature (b);
  g_assert_cmpstr (f->expected[0], !=, f->expected[1]);

  g_assert_true (gh_keystore_save (a, file, PASSWORD, &error));
  g_assert_no_error (error);
}

/* 0 for A, 1 for B; fails the test for anything else. */
static guint
assert_a_or_b (Fixture    *f,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new_from_file (file, PASSWORD, GH_KEYSTORE_LOAD_NONE, &error);
  g_autofree char *signature = NULL;
  struct stat st;

  g_assert_no_error (error);
  g_assert_nonnull (keystore);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  signature = entries_signature (keystore);
  if (g_str_equal (signature, f->expected[0]))
    return 0;
  if (g_str_equal (signature, f->expected[1]))
    return 1;

  g_test_message ("%s holds neither A nor B:\n%sA:\n%sB:\n%s", path, signature, f->expected[0], f->expected[1]);
  g_assert_not_reached ();
}

static gboolean
is_temporary_name (const char *name)
{
  static const char prefix[] = "." KEYSTORE ".";
  const char *suffix;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;

  suffix = name + strlen (prefix);
  if (strlen (suffix) != 6)
    return FALSE;
  for (const char *p = suffix; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }

  return TRUE;
}

/* Every file in the directory is the keystore, its backup, a source, or a killed
 * writer's temporary file (0600, removed here). Returns how many of those there were. */
static guint
check_directory (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  guint n_temporary = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      struct stat st;

      if (g_str_equal (name, KEYSTORE) || g_str_equal (name, KEYSTORE ".bak") ||
          g_str_has_prefix (name, "source-"))
        continue;

      if (!is_temporary_name (name))
        g_error ("Unexpected file “%s” beside the keystore", name);

      /* It holds the keystore being written: private to its owner, like the keystore. */
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_assert_cmpint (g_unlink (path), ==, 0);
      n_temporary++;
    }

  return n_temporary;
}

static char *
self_path (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_file_read_link ("/proc/self/exe", &error);

  g_assert_no_error (error);
  return path;
}

/* Reads "ready\n" from the writer. */
static void
wait_until_ready (int    fd,
                  GPid   pid)
{
  char buffer[16];
  gsize length = 0;
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  while (length < 6)
    {
      gssize n;

      if (poll (&pfd, 1, 30 * 1000) <= 0)
        g_error ("The writer (pid %d) did not start within 30 s", (int) pid);
      n = read (fd, buffer + length, sizeof buffer - 1 - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("The writer (pid %d) ended before it was ready", (int) pid);
      length += n;
    }
  buffer[length] = '\0';
  g_assert_cmpstr (buffer, ==, "ready\n");
}

static void
run_rounds (Fixture    *f,
            const char *format_name,
            guint       max_rounds,
            double      max_seconds,
            guint       max_delay_ms)
{
  g_autofree char *self = self_path ();
  const char *argv[] = { self, WRITER_ARG, f->path, format_name, "b", f->source[0], f->source[1], NULL };
  gint64 start = g_get_monotonic_time ();
  guint rounds = 0, seen[2] = { 0, 0 }, changes = 0, temporaries = 0, rounds_with_temporary = 0;
  guint backups = 0;
  guint last = 0;

  for (rounds = 0; rounds < max_rounds && (g_get_monotonic_time () - start) / 1e6 < max_seconds; rounds++)
    {
      g_autoptr(GError) error = NULL;
      GPid pid = 0;
      int out_fd = -1, status = 0;
      guint which, n_temporary;

      argv[4] = last == 0 ? "b" : "a";
      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      wait_until_ready (out_fd, pid);
      g_usleep (g_test_rand_int_range (0, max_delay_ms * 1000 + 1));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      while (waitpid (pid, &status, 0) < 0)
        g_assert_cmpint (errno, ==, EINTR);
      g_spawn_close_pid (pid);
      close (out_fd);

      /* Killed, not ended by an error of its own (which it would have printed). */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      which = assert_a_or_b (f, f->path);
      seen[which]++;
      if (which != last)
        changes++;
      last = which;

      /* The backup, when there is one, is a whole keystore too. */
      if (g_file_test (f->backup, G_FILE_TEST_EXISTS))
        {
          assert_a_or_b (f, f->backup);
          backups++;
        }

      n_temporary = check_directory (f);
      temporaries += n_temporary;
      rounds_with_temporary += n_temporary > 0;
    }

  g_test_message ("%u rounds in %.1f s: A %u times, B %u times, %u changes; %u rounds killed a writer "
                  "with its temporary file open (%u files); backup checked %u times",
                  rounds, (g_get_monotonic_time () - start) / 1e6, seen[0], seen[1], changes,
                  rounds_with_temporary, temporaries, backups);

  g_assert_cmpuint (rounds, >, 0);
  /* The writer got to save at all: otherwise nothing was tested. */
  g_assert_cmpuint (changes, >, 0);
}

static void
test_truststore_pem (Fixture       *f,
                     gconstpointer  data)
{
  prepare (f, GH_KEYSTORE_FORMAT_PEM, FALSE);
  run_rounds (f, "pem", 200, 10.0, 50);
}

static void
test_keystore_pkcs12 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GhKeystore) a = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint save_ms;

  prepare (f, GH_KEYSTORE_FORMAT_PKCS12, TRUE);

  /* A save costs a few key derivations: kill anywhere in the first two. Timed on a
   * save like the writer's, whose keys come from PEM and are each encrypted afresh
   * (a keystore opened from PKCS#12 writes its unchanged keys back as they were). */
  file = g_file_new_for_path (f->path);
  a = load_source (f->source[0], &error);
  g_assert_no_error (error);
  gh_keystore_set_format (a, GH_KEYSTORE_FORMAT_PKCS12);
  gh_keystore_set_profile (a, GH_PKCS12_PROFILE_MODERN);
  start = g_get_monotonic_time ();
  g_assert_true (gh_keystore_save (a, file, PASSWORD, &error));
  save_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("one PKCS#12 save: %u ms", save_ms);

  run_rounds (f, "pkcs12", 200, 5.0, MAX (50, 2 * save_ms));
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 7 && g_str_equal (argv[1], WRITER_ARG))
    return run_writer (argv[2], argv[3], argv[4], argv[5], argv[6]);

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/crash-consistency/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("truststore-pem", test_truststore_pem);
  ADD ("keystore-pkcs12", test_keystore_pkcs12);
#undef ADD

  return g_test_run ();
}
