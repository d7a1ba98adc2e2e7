/* gh-gateway-apply.c — applying a change to the running gateway
 *
 * A change (a configuration, a keystore, a truststore, from the admin API) is checked
 * whole before anything changes: a generation is built from it in a thread, the stores
 * are serialized there too, then on the main context the listeners are bound, the
 * files written atomically and the version recorded. Any failure leaves the gateway,
 * and the disk, as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-gateway-private.h"
#include "gh-generation-builder.h"

typedef struct {
  GhGatewayConfig *config;
  GhKeystore      *keystore;
  GhKeystore      *truststore;
  GhGatewayApplyFlags flags;
  char            *identity;
  char            *action;
  /* made in the thread */
  GhGeneration    *generation;
  GBytes          *config_data;
  GBytes          *keystore_data;
  GBytes          *truststore_data;
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

static void
change_thread (GTask        *task,
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
 * second one while the first is loading fails with %G_IO_ERROR_BUSY.
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
  g_task_run_in_thread (task, change_thread);
}

static gboolean
write_changed_files (GhGateway  *self,
                     Change     *change,
                     GError    **error)
{
  if (change->keystore_data != NULL)
    {
      g_autoptr(GFile) file = gh_gateway_config_dup_keystore_file (change->config);

      if (file == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The configuration names no keystore file (security.keystore.file)"));
          return FALSE;
        }
      if (!gh_file_replace_atomically (file, change->keystore_data, error))
        return FALSE;
    }

  if (change->truststore_data != NULL)
    {
      g_autoptr(GFile) file = gh_gateway_config_dup_truststore_file (change->config);

      if (file == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The configuration names no truststore file (security.truststore.file)"));
          return FALSE;
        }
      if (!gh_file_replace_atomically (file, change->truststore_data, error))
        return FALSE;
    }

  if (change->config_data != NULL && !gh_file_replace_atomically (self->config_file, change->config_data, error))
    return FALSE;

  return TRUE;
}

/**
 * gh_gateway_apply_finish:
 * @self: a #GhGateway
 * @result: the result
 * @version: (out) (optional): the new version (the current one after a dry run)
 * @error: return location for a #GError: the configuration's own errors
 *   (%GH_CONFIG_ERROR, with the problems attached), or the store's, or a listener's
 *
 * Returns: whether the change is applied (or would be, for a dry run)
 */
gboolean
gh_gateway_apply_finish (GhGateway     *self,
                         GAsyncResult  *result,
                         gint64        *version,
                         GError       **error)
{
  GTask *task = G_TASK (result);
  Change *change;
  g_autoptr(GhGeneration) previous = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  change = g_task_get_task_data (task);
  if (change != NULL && !(change->flags & GH_GATEWAY_APPLY_DRY_RUN))
    self->applying = FALSE;

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  if (change->flags & GH_GATEWAY_APPLY_DRY_RUN)
    {
      if (version != NULL)
        *version = self->version;
      return TRUE;
    }

  previous = gh_generation_ref (_gh_gateway_generation (self));
  if (!_gh_gateway_swap_generation (self, change->generation, error))
    return FALSE;

  if (!write_changed_files (self, change, error))
    {
      g_autoptr(GError) revert_error = NULL;

      if (!_gh_gateway_swap_generation (self, previous, &revert_error))
        g_warning ("could not go back to the previous configuration: %s", revert_error->message);
      return FALSE;
    }

  _gh_gateway_record_version (self, change->identity, change->action);
  g_message ("applied version %" G_GINT64_FORMAT " (%s by %s)", self->version, change->action, change->identity);
  _gh_gateway_emit_applied (self, change->identity, change->action);

  if (version != NULL)
    *version = self->version;
  return TRUE;
}
