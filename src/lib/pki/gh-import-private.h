/* gh-import-private.h — what the import's files share: the import while it reads,
 * and the readers of each format
 *
 * gh-import-read.c tells the format by content and turns what it finds into items
 * (and notes); gh-import.c turns the items into entries and commits them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-import.h"
#include "gh-pki-private.h"

G_BEGIN_DECLS

struct _GhImport
{
  GObject         parent_instance;

  GhImportFormat  format;
  const char     *format_name;   /* N_() */
  GPtrArray      *certificates;  /* of GhCertificate, in file order, no duplicates */
  GPtrArray      *private_keys;  /* of GhPrivateKey, in file order, no duplicates */
  GhKeystore     *entries;       /* the proposed entries, aliases unique among them */
  GPtrArray      *notes;         /* of char *, NULL-terminated */

  /* While reading */
  GPtrArray      *items;         /* of GhImportItem */
  guint           n_requests;
  guint           n_crls;
};

/* What a file holds, before it becomes entries (as in gh-keystore.c). */
typedef struct {
  GObject  *object;  /* GhCertificate or GhPrivateKey */
  char     *name;    /* friendlyName, or NULL */
  char     *key_id;  /* localKeyID as hex, or NULL */
  gboolean  used;    /* in the chain of a key entry */
} GhImportItem;

/* A note for people; the same note twice is one. */
void      _gh_import_add_note          (GhImport    *self,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (2, 3);
/* Adds a certificate or key (taking @object), once: the same one twice in a file is
 * one item. */
void      _gh_import_add_item          (GhImport    *self,
                                        gpointer     object,
                                        const char  *name,
                                        const char  *key_id);

/* Each reads all of @data into @self's items, and sets its format. */
gboolean  _gh_import_read_der          (GhImport    *self,
                                        GBytes      *data,
                                        const char  *password,
                                        GError     **error);
gboolean  _gh_import_read_pem          (GhImport    *self,
                                        GBytes      *data,
                                        const char  *password,
                                        GError     **error);
gboolean  _gh_import_set_request_alone (GError     **error);

G_END_DECLS
