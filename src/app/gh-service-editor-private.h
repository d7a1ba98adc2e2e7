/* gh-service-editor-private.h — what the files of GhServiceEditor share
 *
 * GhServiceEditor is split by concern: gh-service-editor.c (the form: fields, loading
 * and building the service object), gh-service-editor-check.c (problems on their
 * fields), gh-service-editor-apply.c (PUT, 412 recovery, the conflict view),
 * gh-service-editor-preview.c (what the accepts would serve, asked of the gateway).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-serve-preview.h"
#include "gh-service-editor.h"

G_BEGIN_DECLS

/* The fields that problems can land on, by the path after "services[i]." */
typedef enum {
  FIELD_NAME,
  FIELD_DESCRIPTION,
  FIELD_TYPE,
  FIELD_CONNECT,
  FIELD_DIRECTORY,
  FIELD_ACCEPT,
  FIELD_TLS,
  FIELD_TLS_PRIORITY,
  FIELD_VERIFY_CLIENT,
  FIELD_CONNECT_TLS,
  FIELD_CONNECT_PRIORITY,
  FIELD_CONNECT_VERIFY,
  FIELD_SERVER_NAME,
  FIELD_CLIENT_ALIAS,
  FIELD_PENDING,
  FIELD_IDLE,
  FIELD_SESSIONS,
  N_FIELDS
} Field;

/* A row and the explanation shown under it when its value has a problem. */
typedef struct {
  GtkWidget         *row;
  AdwPreferencesRow *explanation;
  GtkLabel          *label;
  gboolean           touched;
} FieldView;

typedef struct {
  AdwEntryRow       *row;
  GtkButton         *remove;
  FieldView          view;
} AcceptRow;

struct _GhServiceEditor
{
  AdwDialog          parent_instance;

  GhAdminClient     *client;
  GhGatewayConfig   *base_config;     /* what the edit goes on top of */
  gint64             base_version;
  char              *service_name;    /* as it was; NULL for a new service */
  JsonObject        *original;        /* the service as written in base_config, or NULL */
  guint              index;           /* its position in the configuration applied */

  GListStore        *problems;        /* of GhConfigProblem: those of the fields' value */
  GCancellable      *cancellable;
  gboolean           busy;
  gboolean           loading;
  gboolean           show_all;        /* problems of untouched fields too */

  FieldView          fields[N_FIELDS];
  GPtrArray         *accepts;         /* of AcceptRow */
  GPtrArray         *aliases;         /* of char*, the client-certificate choices after "None" */
  GStrv              keystore_aliases;/* the keystore's key entries */

  GhGatewayConfig   *their_config;    /* after a 412: the configuration as it is now */
  gint64             their_version;

  /* template widgets */
  AdwBanner         *banner;
  AdwSpinner        *spinner;
  GtkStack          *stack;
  AdwPreferencesPage *edit_page;
  AdwPreferencesGroup *service_group;
  AdwPreferencesGroup *accept_group;
  AdwPreferencesGroup *tls_group;
  AdwPreferencesGroup *backend_group;
  AdwPreferencesGroup *conflict_group;
  AdwEntryRow       *name_row;
  AdwEntryRow       *description_row;
  AdwComboRow       *type_row;
  AdwEntryRow       *connect_row;
  AdwEntryRow       *directory_row;
  AdwComboRow       *tls_priority_row;
  AdwEntryRow       *tls_custom_row;
  AdwComboRow       *verify_client_row;
  AdwSwitchRow      *connect_verify_row;
  AdwEntryRow       *server_name_row;
  AdwComboRow       *client_alias_row;
  AdwComboRow       *connect_priority_row;
  AdwEntryRow       *connect_custom_row;
  AdwSpinRow        *pending_row;
  AdwSpinRow        *idle_row;
  AdwSpinRow        *sessions_row;
  GtkWidget         *apply_button;
  GtkWidget         *reapply_button;

  GPtrArray         *conflict_rows;   /* of GtkWidget, the rows in conflict_group */

  GhServePreview    *serve_preview;
  guint              preview_source;
  gboolean           flags_confirmed; /* Apply was confirmed despite flagged accepts */
};

void             _gh_service_editor_class_apply_init     (GhServiceEditorClass *klass);

/* The form (gh-service-editor.c) */
JsonObject      *_gh_service_editor_build_service_object (GhServiceEditor      *self);
void             _gh_service_editor_load_service         (GhServiceEditor      *self,
                                                          JsonObject           *service);
void             _gh_service_editor_update_visibility    (GhServiceEditor      *self);
void             _gh_service_editor_field_view_set       (FieldView            *view,
                                                          const char           *message);
void             _gh_service_editor_emit_applied         (GhServiceEditor      *self,
                                                          gint64                new_version,
                                                          const char           *name);

/* Checking (gh-service-editor-check.c) */
GhGatewayConfig *_gh_service_editor_build_config         (GhServiceEditor      *self,
                                                          GError              **error);
GListModel      *_gh_service_editor_check                (GhServiceEditor      *self);
FieldView       *_gh_service_editor_show_problems        (GhServiceEditor      *self,
                                                          GListModel           *problems,
                                                          gboolean              all,
                                                          const char           *fallback);
void             _gh_service_editor_revalidate           (GhServiceEditor      *self);
void             _gh_service_editor_field_changed        (GhServiceEditor      *self,
                                                          GParamSpec           *pspec,
                                                          GObject              *row);

/* Previewing (gh-service-editor-preview.c) */
void             _gh_service_editor_schedule_preview     (GhServiceEditor      *self,
                                                          gboolean              valid);
void             _gh_service_editor_stop_preview         (GhServiceEditor      *self);
/* TRUE when Apply may go on; else a confirmation is asked, which applies again. */
gboolean         _gh_service_editor_confirm_flags        (GhServiceEditor      *self);

G_END_DECLS
