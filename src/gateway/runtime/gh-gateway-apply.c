/* gh-gateway-apply.c — applying a change to the running gateway
 *
 * A change (a configuration, a keystore, a truststore, from the admin API) is checked
 * whole before anything changes. It is a chain of steps, each the callback of the one
 * before, and the task returns only when the last is done:
 *
 *   1. load (thread): the generation is built, the stores serialized;
 *   2. swap (main context): the new listeners bind, the generation becomes current;
 *   3. write (thread): the changed files are replaced atomically; on failure the
 *      previous generation comes back;
 *   4. record (main context): a new version in the history, GhGateway::applied.
 *
 * Any failure leaves the gateway, and the disk, as they were. gh_gateway_apply_finish()
 * only hands over the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-file-util.h"
#include "gh-gateway-private.h"
#include "gh-generation-builder.h"

typedef struct {
  GhGatewayConfig *config;
  GhKeystore      *keystore;
  GhKeystore      *truststore;
  GhGatewayApplyFlags flags;
  char            *identity;
  char            *action;
  /* made in the load step */
  GhGeneration    *generation;
  GBytes          *config_data;
  GBytes          *keystore_data;
  GBytes          *truststore_data;
  /* for the write step, named on the main context */
  GFile           *config_file;
  GFile           *keystore_file;
  GFile           *truststore_file;
  /* the swap step's */
  GhGeneration    *previous;
  gint64           version;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->config);
  g_clear_object (&change->keystore);
  g_clear_object (&change->truststore);
  g_free (change->identity);
  g_free (change->action);
  g_clear_pointer (&change->generation, gh_generation_unref);
  g_clear_pointer (&change->config_data, g_bytes_unref);
  g_clear_pointer (&change->keystore_data, g_bytes_unref);
  g_clear_pointer (&change->truststore_data, g_bytes_unref);
  g_clear_object (&change->config_file);
  g_clear_object (&change->keystore_file);
  g_clear_object (&change->truststore_file);
  g_clear_pointer (&change->previous, gh_generation_unref);
  g_free (change);
}

static GBytes *
serialize_store (GhKeystore  *store,
                 GFile       *password_file,
                 const char  *what,
                 GError     **error)
{
  g_autoptr(GhSecret) password = NULL;

  if (!gh_generation_read_store_password (password_file, what, &password, error))
    return NULL;

  return gh_keystore_serialize (store, password, error);
}

/* Step 1, in a thread. */
static void
load_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Change *change = task_data;
  GError *error = NULL;

  change->generation = gh_generation_build (change->config, change->keystore, change->truststore, &error);
  if (change->generation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (change->flags & GH_GATEWAY_APPLY_DRY_RUN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (change->flags & GH_GATEWAY_APPLY_CONFIG)
    change->config_data = _gh_gateway_config_document (change->config);

  if (change->keystore != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_keystore_password_file (change->config);

      if ((change->keystore_data = serialize_store (change->keystore, password_file, _("keystore"), &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (change->truststore != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_truststore_password_file (change->config);

      if ((change->truststore_data = serialize_store (change->truststore, password_file, _("truststore"), &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

/* The end of the chain, in every case: the gateway takes changes again. */
static void
change_return (GTask  *task,
               GError *error)
{
  GhGateway *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);

  if (!(change->flags & GH_GATEWAY_APPLY_DRY_RUN))
    self->applying = FALSE;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Step 3, in a thread. */
static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Change *change = task_data;
  GError *error = NULL;

  if (change->keystore_data != NULL)
    {
      if (change->keystore_file == NULL)
        {
          g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                           _("The configuration names no keystore file (security.keystore.file)"));
          return;
        }
      if (!gh_file_replace_atomically (change->keystore_file, change->keystore_data, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (change->truststore_data != NULL)
    {
      if (change->truststore_file == NULL)
        {
          g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                           _("The configuration names no truststore file (security.truststore.file)"));
          return;
        }
      if (!gh_file_replace_atomically (change->truststore_file, change->truststore_data, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (change->config_data != NULL && !gh_file_replace_atomically (change->config_file, change->config_data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Step 4, on the main context: the files are written, the change is the running one. */
static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhGateway *self = GH_GATEWAY (source);
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(GError) revert_error = NULL;

      if (!_gh_gateway_swap_generation (self, change->previous, &revert_error))
        g_warning ("could not go back to the previous configuration: %s", revert_error->message);
      change_return (task, error);
      return;
    }

  _gh_gateway_record_version (self, change->identity, change->action);
  g_message ("applied version %" G_GINT64_FORMAT " (%s by %s)", self->version, change->action, change->identity);
  change->version = self->version;
  _gh_gateway_emit_applied (self, change->identity, change->action);
  change_return (task, NULL);
}

/* Step 2, on the main context: the generation is built; bind and swap. */
static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) write = NULL;
  GhGateway *self = GH_GATEWAY (source);
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      change_return (task, error);
      return;
    }

  if (change->flags & GH_GATEWAY_APPLY_DRY_RUN)
    {
      change->version = self->version;
      change_return (task, NULL);
      return;
    }

  change->previous = gh_generation_ref (_gh_gateway_generation (self));
  if (!_gh_gateway_swap_generation (self, change->generation, &error))
    {
      change_return (task, error);
      return;
    }

  change->config_file = g_object_ref (self->config_file);
  change->keystore_file = gh_gateway_config_dup_keystore_file (change->config);
  change->truststore_file = gh_gateway_config_dup_truststore_file (change->config);

  write = g_task_new (self, NULL, on_written, g_object_ref (task));
  g_task_set_source_tag (write, on_loaded);
  g_task_set_task_data (write, change, NULL);
  g_task_run_in_thread (write, write_thread);
}

/**
 * gh_gateway_apply_async:
 * @self: a #GhGateway
 * @config: (nullable): the new configuration, or %NULL to keep the running one
 * @keystore: (nullable): the new keystore, or %NULL to keep the file's
 * @truststore: (nullable): the new truststore, or %NULL to keep the file's
 * @flags: %GH_GATEWAY_APPLY_CONFIG when @config is a change to write,
 *   %GH_GATEWAY_APPLY_DRY_RUN to check without changing anything
 * @identity: who asks, for the history
 * @action: what the change is, for people
 * @callback: called when the change is applied or refused
 * @user_data: data for @callback
 *
 * Checks the change whole (the configuration validates, the stores load with it,
 * every listener binds), then writes the changed files atomically and swaps
 * generations: new handshakes use the new material, live sessions keep running. On
 * any failure nothing changes, on disk or in the gateway. One change at a time: a
 * second one before the first is done fails with %G_IO_ERROR_BUSY.
 */
void
gh_gateway_apply_async (GhGateway           *self,
                        GhGatewayConfig     *config,
                        GhKeystore          *keystore,
                        GhKeystore          *truststore,
                        GhGatewayApplyFlags  flags,
                        const char          *identity,
                        const char          *action,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;
  Change *change;

  g_return_if_fail (GH_IS_GATEWAY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, gh_gateway_apply_async);

  if (_gh_gateway_generation (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The gateway is not running"));
      return;
    }
  if (self->applying && !(flags & GH_GATEWAY_APPLY_DRY_RUN))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Another change is being applied; try again when it is done"));
      return;
    }

  change = g_new0 (Change, 1);
  if (config != NULL)
    {
      /* Relative paths in a configuration sent through the API are relative to the
       * configuration file's directory, as in the file. */
      g_autoptr(GFile) directory = g_file_get_parent (self->config_file);

      change->config = g_object_ref (config);
      gh_gateway_config_set_base_directory (change->config, directory);
    }
  else
    {
      change->config = g_object_ref (_gh_gateway_generation (self)->config);
      flags &= ~GH_GATEWAY_APPLY_CONFIG;
    }
  g_set_object (&change->keystore, keystore);
  g_set_object (&change->truststore, truststore);
  change->flags = flags;
  change->identity = g_strdup (identity);
  change->action = g_strdup (action);
  g_task_set_task_data (task, change, change_free);

  if (!(flags & GH_GATEWAY_APPLY_DRY_RUN))
    self->applying = TRUE;
  load = g_task_new (self, NULL, on_loaded, g_steal_pointer (&task));
  g_task_set_source_tag (load, load_thread);
  g_task_set_task_data (load, change, NULL);
  g_task_run_in_thread (load, load_thread);
}

/**
 * gh_gateway_apply_finish:
 * @self: a #GhGateway
 * @result: the result
 * @version: (out) (optional): the new version (the current one after a dry run)
 * @error: return location for a #GError: the configuration's own errors
 *   (%GH_CONFIG_ERROR, with the problems attached), or the store's, or a listener's
 *
 * The work is done when this is called (the steps above); this only gives the result.
 *
 * Returns: whether the change is applied (or would be, for a dry run)
 */
gboolean
gh_gateway_apply_finish (GhGateway     *self,
                         GAsyncResult  *result,
                         gint64        *version,
                         GError       **error)
{
  Change *change;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_gateway_apply_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  change = g_task_get_task_data (G_TASK (result));
  if (version != NULL)
    *version = change->version;
  return TRUE;
}
