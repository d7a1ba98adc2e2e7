/* gh-ctl-keystore-passwd.c — `gatehousectl keystore passwd`: a local keystore's
 * password changed
 *
 * Every key is encrypted again (gh_keystore_reseal(), on all cores), then the file
 * is saved atomically with the new password: a failure or an interruption leaves it
 * as it was, readable with the old one. On a terminal the keys done so far are shown,
 * since a keystore of thousands of keys takes minutes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-keystore"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "gh-ctl-private.h"
#include "gh-keystore.h"

#define NEW_PASSWORD_VARIABLE "GATEHOUSE_KEYSTORE_NEW_PASSWORD"

static void
show_progress (guint    done,
               guint    total,
               gpointer user_data)
{
  g_printerr ("\r");
  g_printerr (_("Encrypting the keys again: %u of %u (%u %%)"), done, total, total ? done * 100 / total : 100);
  if (done == total)
    g_printerr ("\n");
}

gboolean
gh_ctl_keystore_passwd (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlKeystore) ks = { 0 };
  g_autoptr(GError) local_error = NULL;
  char *new_password;
  gboolean tty = isatty (fileno (stderr)) && !gh_ctl_options.json;

  if (!gh_ctl_check_arguments (command, argc, argv, 0, error) ||
      !gh_ctl_keystore_open (&ks, FALSE, error))
    return FALSE;

  new_password = gh_ctl_read_password (gh_ctl_options.new_password_file, NEW_PASSWORD_VARIABLE,
                                       _("New keystore password: "), TRUE, error);
  if (new_password == NULL)
    return FALSE;

  if (!gh_keystore_reseal (ks.keystore, new_password, tty ? show_progress : NULL, NULL, NULL, &local_error))
    {
      gh_secret_free (new_password);
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", gh_ctl_options.keystore,
                   local_error->message);
      return FALSE;
    }

  gh_secret_free (ks.password);
  ks.password = new_password;
  if (!gh_ctl_keystore_save (&ks, error))
    return FALSE;

  if (!gh_ctl_options.json)
    g_print (_("Changed the password of %s\n"), gh_ctl_options.keystore);
  return TRUE;
}
