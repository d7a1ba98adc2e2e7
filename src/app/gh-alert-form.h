/* gh-alert-form.h — an AdwAlertDialog that asks a short form (a few rows as its extra
 * child): the shape of the Keystore Files' questions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Cancel and @response (suggested, the default); the rows that follow @label
 * (GtkWidget *, NULL-terminated) as a boxed list under the body. */
AdwDialog *gh_alert_form_new           (const char *heading,
                                        const char *body,
                                        const char *response,
                                        const char *label,
                                        ...) G_GNUC_NULL_TERMINATED;
GtkWidget *gh_alert_form_entry_row     (const char *title,
                                        const char *text);
GtkWidget *gh_alert_form_password_row  (const char *title);
/* A combo row of @labels (translated by the caller). */
GtkWidget *gh_alert_form_combo_row     (const char         *title,
                                        const char * const *labels);
/* @response is enabled only while @password is not empty and @again says the same. */
void       gh_alert_form_require_password (AdwAlertDialog *dialog,
                                           const char     *response,
                                           GtkWidget      *password,
                                           GtkWidget      *again);

G_END_DECLS
