/* gh-keystore-file.c — a keystore file on the user's disk, opened to be changed
 *
 * What a change to a local keystore file means, for the app's Keystore Files and for
 * its tests: the change is made to the loaded GhKeystore and the file is saved at
 * once (gh_keystore_save(): a temporary file, fsync, rename, the previous file kept as
 * FILE.bak). When the save fails (a full disk, a read-only folder), the keystore is
 * read again from the file, which the atomic save left as it was, so that what the
 * user sees is always what the file holds: no change lives only in memory, and none
 * is lost silently. The password stays here, wiped when the object goes, for the
 * saves; it is never written anywhere but into the keystore it protects.
 *
 * Exports that carry the private key need a password that is not empty: a key leaves
 * as PKCS#12 (the profile the user chose) or as encrypted PKCS#8, never in the clear
 * onto the disk. The one clear form, gh_keystore_file_upload_pem(), stays in memory:
 * it is what the gateway's import preview reads before it sends the key over the
 * admin API's TLS.
 *
 * A change of password is the one change that takes long (every key encrypted again,
 * gh_keystore_reseal()): it runs in a thread on a copy of the keystore, saved there
 * with the new password, and only then, in _finish(), becomes the file's keystore and
 * password. Cancelled or failed, nothing changed. Its progress reaches the caller's
 * main context coalesced: one idle pending at a time, however many keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-file"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-export.h"
#include "gh-keystore-file.h"
#include "gh-keystore-private.h"
#include "gh-pki-error.h"

struct _GhKeystoreFile
{
  GObject     parent_instance;

  GFile      *file;
  char       *name;
  GhKeystore *keystore;
  GhSecret   *password;   /* nullable: a PEM bundle without keys */
};

G_DEFINE_FINAL_TYPE (GhKeystoreFile, gh_keystore_file, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A new, self-signed placeholder lasts as long as a CA would take to answer. */
#define PLACEHOLDER_DAYS 90

static GhKeystoreFile *
keystore_file_new (GFile      *file,
                   GhKeystore *keystore,
                   const char *password)
{
  GhKeystoreFile *self = g_object_new (GH_TYPE_KEYSTORE_FILE, NULL);

  self->file = g_object_ref (file);
  self->name = g_file_get_basename (file);
  self->keystore = g_object_ref (keystore);
  self->password = g_strdup (password);

  return self;
}

/**
 * gh_keystore_file_open:
 * @file: a PKCS#12 or PEM keystore
 * @password: (nullable): its password
 * @error: a #GH_PKI_ERROR (PASSWORD_REQUIRED, WRONG_PASSWORD, … as
 *   gh_keystore_new_from_file() says)
 *
 * Returns: (transfer full) (nullable): the opened file
 */
GhKeystoreFile *
gh_keystore_file_open (GFile       *file,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(GhKeystore) keystore = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keystore = gh_keystore_new_from_file (file, password, GH_KEYSTORE_LOAD_NONE, error);
  if (keystore == NULL)
    return NULL;

  return keystore_file_new (file, keystore, password);
}

/**
 * gh_keystore_file_create:
 * @file: where to write it; a file there is replaced (atomically)
 * @format: PKCS#12 or PEM
 * @profile: the PKCS#12 profile
 * @password: the keystore's password, not empty
 * @error: a #GH_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the new, empty keystore, already on disk
 */
GhKeystoreFile *
gh_keystore_file_create (GFile             *file,
                         GhKeystoreFormat   format,
                         GhPkcs12Profile    profile,
                         const char        *password,
                         GError           **error)
{
  g_autoptr(GhKeystore) keystore = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("A keystore needs a password to protect its private keys"));
      return NULL;
    }

  keystore = gh_keystore_new (format);
  gh_keystore_set_profile (keystore, profile);
  if (!gh_keystore_save (keystore, file, password, error))
    return NULL;

  return keystore_file_new (file, keystore, password);
}

GFile *
gh_keystore_file_get_file (GhKeystoreFile *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  return self->file;
}

GhKeystore *
gh_keystore_file_get_keystore (GhKeystoreFile *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  return self->keystore;
}

const char *
gh_keystore_file_get_name (GhKeystoreFile *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  return self->name;
}

/**
 * gh_keystore_file_describe:
 * @self: a #GhKeystoreFile
 *
 * Returns: (transfer full): the file's format, as a person reads it
 */
char *
gh_keystore_file_describe (GhKeystoreFile *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);

  if (gh_keystore_get_format (self->keystore) == GH_KEYSTORE_FORMAT_PEM)
    return g_strdup (_("PEM bundle"));
  if (gh_keystore_get_profile (self->keystore) == GH_PKCS12_PROFILE_COMPATIBLE)
    return g_strdup (_("PKCS#12, compatible profile"));
  return g_strdup (_("PKCS#12, modern profile"));
}

/* Saves what was just changed; on failure, reads the file back (the atomic save left
 * it whole), so the keystore is what it was before the change. */
static gboolean
save_or_revert (GhKeystoreFile  *self,
                gboolean         changed,
                GError         **error)
{
  g_autoptr(GhKeystore) reread = NULL;

  if (changed && gh_keystore_save (self->keystore, self->file, self->password, error))
    {
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return TRUE;
    }

  if (!changed)
    return FALSE;

  reread = gh_keystore_new_from_file (self->file, self->password, GH_KEYSTORE_LOAD_NONE, NULL);
  if (reread != NULL)
    {
      g_set_object (&self->keystore, reread);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
  else
    g_warning ("The keystore file %s could not be read back after a failed save", self->name);

  return FALSE;
}

gboolean
gh_keystore_file_import (GhKeystoreFile  *self,
                         GhImport        *import,
                         const char      *alias,
                         GError         **error)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), FALSE);
  g_return_val_if_fail (GH_IS_IMPORT (import), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* gh_import_commit() changes nothing when it fails. */
  return save_or_revert (self, gh_import_commit (import, self->keystore, alias, error), error);
}

gboolean
gh_keystore_file_rename (GhKeystoreFile  *self,
                         const char      *alias,
                         const char      *new_alias,
                         GError         **error)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), FALSE);
  g_return_val_if_fail (alias != NULL && new_alias != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_or_revert (self, gh_keystore_rename (self->keystore, alias, new_alias, error), error);
}

gboolean
gh_keystore_file_remove (GhKeystoreFile  *self,
                         const char      *alias,
                         GError         **error)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_or_revert (self, gh_keystore_remove (self->keystore, alias, error), error);
}

/**
 * gh_keystore_file_add_key_with_csr:
 * @self: a #GhKeystoreFile
 * @alias: the new entry's alias
 * @key: the new key (gh_private_key_generate_async())
 * @subject: the distinguished name asked for ("CN=www.example.com,O=Example")
 * @sans: (nullable): DNS names and IP addresses
 * @error: a #GH_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the certificate signing request, PEM
 */
char *
gh_keystore_file_add_key_with_csr (GhKeystoreFile      *self,
                                   const char          *alias,
                                   GhPrivateKey        *key,
                                   const char          *subject,
                                   const char * const  *sans,
                                   GError             **error)
{
  g_autoptr(GhCertificate) placeholder = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *csr = NULL;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (key), NULL);
  g_return_val_if_fail (subject != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (gh_keystore_lookup (self->keystore, alias) != NULL)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS, _("The keystore has an entry “%s” already"), alias);
      return NULL;
    }
  if ((csr = gh_private_key_create_csr (key, subject, sans, error)) == NULL)
    return NULL;
  placeholder = gh_private_key_create_self_signed (key, subject, sans, PLACEHOLDER_DAYS, error);
  if (placeholder == NULL)
    return NULL;

  chain = g_ptr_array_new ();
  g_ptr_array_add (chain, placeholder);
  entry = gh_keystore_entry_new_key (alias, key, chain);
  if (!save_or_revert (self, gh_keystore_add (self->keystore, entry, error), error))
    return NULL;

  return g_steal_pointer (&csr);
}

static GhKeystoreEntry *
lookup_key_entry (GhKeystoreFile  *self,
                  const char      *alias,
                  GError         **error)
{
  GhKeystoreEntry *entry = gh_keystore_lookup (self->keystore, alias);

  if (entry == NULL)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND, _("The keystore has no entry “%s”"), alias);
      return NULL;
    }
  if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is a trusted certificate: it has no private key"), alias);
      return NULL;
    }

  return entry;
}

/**
 * gh_keystore_file_export_key:
 * @self: a #GhKeystoreFile
 * @alias: a key entry
 * @format: PKCS#12 (key and chain) or PKCS#8 (the key alone)
 * @password: the export's password, not empty
 * @profile: the PKCS#12 profile
 * @error: a #GH_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the file's bytes
 */
GBytes *
gh_keystore_file_export_key (GhKeystoreFile     *self,
                             const char         *alias,
                             GhKeyExportFormat   format,
                             const char         *password,
                             GhPkcs12Profile     profile,
                             GError            **error)
{
  GhKeystoreEntry *entry;
  g_autoptr(GhPrivateKey) key = NULL;
  char *pem;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("A private key is exported only encrypted: give it a password"));
      return NULL;
    }
  if ((entry = lookup_key_entry (self, alias, error)) == NULL)
    return NULL;

  if (format == GH_KEY_EXPORT_PKCS12)
    return gh_keystore_entry_export (entry, GH_EXPORT_FORMAT_PKCS12, TRUE, password, profile, error);

  if ((key = gh_keystore_entry_load_private_key (entry, error)) == NULL)
    return NULL;
  if ((pem = gh_private_key_export_pkcs8_pem (key, password, error)) == NULL)
    return NULL;

  return g_bytes_new_take (pem, strlen (pem));
}

GBytes *
gh_keystore_file_upload_pem (GhKeystoreFile  *self,
                             const char      *alias,
                             GError         **error)
{
  GhKeystoreEntry *entry;
  g_autoptr(GhPrivateKey) key = NULL;
  g_autoptr(GString) pem = NULL;
  g_autoptr(GhSecret) key_pem = NULL;
  GPtrArray *chain;
  gsize len;
  char *text;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((entry = lookup_key_entry (self, alias, error)) == NULL)
    return NULL;
  if ((key = gh_keystore_entry_load_private_key (entry, error)) == NULL)
    return NULL;
  if ((key_pem = gh_private_key_export_pkcs8_pem (key, NULL, error)) == NULL)
    return NULL;

  pem = g_string_new (NULL);
  chain = gh_keystore_entry_get_chain (entry);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autofree char *certificate = gh_certificate_to_pem (g_ptr_array_index (chain, i));

      g_string_append (pem, certificate);
    }
  g_string_append (pem, key_pem);

  /* The key is in the clear here: the bytes are wiped when they go. */
  len = pem->len;
  text = g_string_free (g_steal_pointer (&pem), FALSE);
  return g_bytes_new_with_free_func (text, len, (GDestroyNotify) gh_secret_free, text);
}

/* A change of password */

typedef struct {
  gint                    ref_count;
  GhKeystoreProgressFunc  progress;
  gpointer                progress_data;
  gint                    done;
  gint                    total;
  gint                    pending;   /* an idle is on its way */
  gint                    finished;  /* _finish() was called: no more progress */
} Progress;

typedef struct {
  GhKeystore *keystore;   /* the copy */
  GFile      *file;
  GhSecret   *password;
  Progress   *progress;
} ChangePassword;

static Progress *
progress_ref (Progress *progress)
{
  g_atomic_int_inc (&progress->ref_count);
  return progress;
}

static void
progress_unref (Progress *progress)
{
  if (g_atomic_int_dec_and_test (&progress->ref_count))
    g_free (progress);
}

static void
change_password_free (ChangePassword *change)
{
  g_clear_object (&change->keystore);
  g_clear_object (&change->file);
  g_clear_pointer (&change->password, gh_secret_free);
  g_clear_pointer (&change->progress, progress_unref);
  g_free (change);
}

/* In the caller's main context. */
static gboolean
progress_dispatch (gpointer data)
{
  Progress *progress = data;

  g_atomic_int_set (&progress->pending, 0);
  if (!g_atomic_int_get (&progress->finished))
    progress->progress ((guint) g_atomic_int_get (&progress->done), (guint) g_atomic_int_get (&progress->total),
                        progress->progress_data);
  return G_SOURCE_REMOVE;
}

/* In the task's thread. */
static void
progress_post (guint    done,
               guint    total,
               gpointer user_data)
{
  GTask *task = user_data;
  ChangePassword *change = g_task_get_task_data (task);
  Progress *progress = change->progress;

  g_atomic_int_set (&progress->total, (gint) total);
  g_atomic_int_set (&progress->done, (gint) done);
  if (g_atomic_int_compare_and_exchange (&progress->pending, 0, 1))
    g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, progress_dispatch,
                                progress_ref (progress), (GDestroyNotify) progress_unref);
}

static void
change_password_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ChangePassword *change = task_data;
  GError *error = NULL;

  if (!gh_keystore_reseal (change->keystore, change->password,
                           change->progress->progress != NULL ? progress_post : NULL, task, cancellable, &error) ||
      g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !gh_keystore_save (change->keystore, change->file, change->password, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * gh_keystore_file_change_password_async:
 * @self: a #GhKeystoreFile
 * @password: the new password, not empty
 * @progress: (nullable): the keys encrypted again so far, called in the thread-default
 *   main context, coalesced, until _finish()
 * @progress_data: for @progress; it must live until _finish()
 * @cancellable: (nullable): stops the change before it is saved
 * @callback: called when done
 * @user_data: for @callback
 *
 * Encrypts every key of the file again with @password (on all cores) and saves the
 * file with it, atomically. The file and the keystore change only when it succeeds.
 */
void
gh_keystore_file_change_password_async (GhKeystoreFile         *self,
                                        const char             *password,
                                        GhKeystoreProgressFunc  progress,
                                        gpointer                progress_data,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ChangePassword *change;

  g_return_if_fail (GH_IS_KEYSTORE_FILE (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_keystore_file_change_password_async);
  /* A save that went through is reported as done, even if cancelled after it. */
  g_task_set_check_cancellable (task, FALSE);

  if (*password == '\0')
    {
      g_task_return_new_error_literal (task, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                                       _("A keystore needs a password to protect its private keys"));
      return;
    }

  change = g_new0 (ChangePassword, 1);
  change->keystore = _gh_keystore_copy (self->keystore);
  change->file = g_object_ref (self->file);
  change->password = g_strdup (password);
  change->progress = g_new0 (Progress, 1);
  change->progress->ref_count = 1;
  change->progress->progress = progress;
  change->progress->progress_data = progress_data;
  g_task_set_task_data (task, change, (GDestroyNotify) change_password_free);
  g_task_run_in_thread (task, change_password_thread);
}

/**
 * gh_keystore_file_change_password_finish:
 * @self: a #GhKeystoreFile
 * @result: the result
 * @error: a #GH_PKI_ERROR, or G_IO_ERROR_CANCELLED
 *
 * Returns: whether the file was saved with the new password, which later saves use
 */
gboolean
gh_keystore_file_change_password_finish (GhKeystoreFile  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  ChangePassword *change;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  change = g_task_get_task_data (G_TASK (result));
  if (change != NULL)
    g_atomic_int_set (&change->progress->finished, 1);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  g_set_object (&self->keystore, change->keystore);
  gh_secret_free (self->password);
  self->password = g_steal_pointer (&change->password);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/* GObject */

static void
gh_keystore_file_finalize (GObject *object)
{
  GhKeystoreFile *self = GH_KEYSTORE_FILE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->keystore);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->password, gh_secret_free);

  G_OBJECT_CLASS (gh_keystore_file_parent_class)->finalize (object);
}

static void
gh_keystore_file_class_init (GhKeystoreFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_keystore_file_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gh_keystore_file_init (GhKeystoreFile *self)
{
}
