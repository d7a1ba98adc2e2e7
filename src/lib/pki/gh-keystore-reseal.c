/* gh-keystore-reseal.c — every key of a keystore encrypted again, for a new password
 *
 * Changing a keystore's password is the one operation that must derive a key for
 * every entry (twice: open with the old password, seal with the new; each derivation
 * 600,000 PBKDF2 iterations for keys Gatehouse wrote). The entries are independent,
 * so the work is spread over a GThreadPool of one thread per core; the caller's
 * thread collects the results and reports progress as they come in. Nothing in the
 * keystore changes unless every key was sealed again: then each key entry holds its
 * key sealed with the new password, and gh_keystore_save() with that password writes
 * the keys as they are, with no derivation but the certificates' bag and the MAC.
 * The decrypted keys live only inside a worker's job (GnuTLS wipes them when freed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-keystore-private.h"

typedef struct {
  GhKeystoreEntry *entry;
  guint            position;
  GhSealedKey     *sealed;  /* out */
  GError          *error;   /* out */
} Job;

typedef struct {
  GAsyncQueue     *done;          /* of Job, as each ends */
  char            *password;      /* _gh_keystore_password_new() box */
  GhPkcs12Profile  profile;
  GCancellable    *cancellable;
} Reseal;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->sealed, _gh_sealed_key_unref);
  g_clear_error (&job->error);
  g_free (job);
}

/* In a worker thread. */
static void
reseal_one (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  Reseal *reseal = user_data;

  if (!g_cancellable_set_error_if_cancelled (reseal->cancellable, &job->error))
    {
      g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (job->entry, &job->error);

      if (key != NULL)
        job->sealed = _gh_sealed_key_seal (key, reseal->password, reseal->profile, &job->error);
    }

  g_async_queue_push (reseal->done, job);
}

/**
 * gh_keystore_reseal:
 * @self: a #GhKeystore
 * @password: the new password
 * @progress: (nullable) (scope call): called in this thread, with @done going from 0
 *   to @total (the key entries) one key at a time
 * @user_data: for @progress
 * @cancellable: (nullable): stops the keys not yet started
 * @error: return location for a #GError
 *
 * Encrypts every key of @self again with @password, in parallel on the available
 * cores, for a save with @password that follows (a change of password). Blocks until
 * all are done: call it from a thread of its own where a main loop must go on.
 *
 * Returns: whether every key was sealed again; when not, @self is unchanged and
 *   @error says which entry failed and why
 */
gboolean
gh_keystore_reseal (GhKeystore              *self,
                    const char              *password,
                    GhKeystoreProgressFunc   progress,
                    gpointer                 user_data,
                    GCancellable            *cancellable,
                    GError                 **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  Reseal reseal = { g_async_queue_new (), _gh_keystore_password_new (password),
                    self->format == GH_KEYSTORE_FORMAT_PEM ? GH_SEALED_KEY_PEM : self->profile, cancellable };
  GThreadPool *pool;
  GError *first = NULL;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      Job *job;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;
      job = g_new0 (Job, 1);
      job->entry = entry;
      job->position = i;
      g_ptr_array_add (jobs, job);
    }

  if (progress != NULL)
    progress (0, jobs->len, user_data);
  pool = g_thread_pool_new (reseal_one, &reseal, MAX (1, (int) g_get_num_processors ()), FALSE, NULL);
  for (guint i = 0; i < jobs->len; i++)
    g_thread_pool_push (pool, g_ptr_array_index (jobs, i), NULL);

  for (guint done = 1; done <= jobs->len; done++)
    {
      g_async_queue_pop (reseal.done);
      if (progress != NULL)
        progress (done, jobs->len, user_data);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (reseal.done);
  _gh_keystore_password_unref (reseal.password);

  /* The first failure in the keystore's order, so that the same file fails alike. */
  for (guint i = 0; i < jobs->len && first == NULL; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      if (job->error != NULL)
        first = job->error;
    }
  if (first != NULL)
    {
      Job *job = NULL;

      for (guint i = 0; i < jobs->len; i++)
        if (((Job *) g_ptr_array_index (jobs, i))->error == first)
          job = g_ptr_array_index (jobs, i);
      if (g_error_matches (first, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&job->error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&job->error), _("Entry “%s”: "),
                                    gh_keystore_entry_get_alias (job->entry));
      return FALSE;
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);
      GhKeystoreEntry *resealed = _gh_keystore_entry_new_sealed (gh_keystore_entry_get_alias (job->entry), job->sealed,
                                                                 gh_keystore_entry_get_chain (job->entry));

      g_hash_table_insert (self->by_alias, g_strdup (gh_keystore_entry_get_alias (resealed)), resealed);
      g_object_unref (g_ptr_array_index (self->entries, job->position));
      g_ptr_array_index (self->entries, job->position) = resealed;
    }
  if (self->entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->entries->len, self->entries->len);

  return TRUE;
}
