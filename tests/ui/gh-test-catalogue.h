/* gh-test-catalogue.h — a translation catalogue (po/LL.po) read for the tests, and the
 * judge of a string the app shows: translated, shown in English although the catalogue
 * has it in the language, English the catalogue lacks, or data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GhTestCatalogue GhTestCatalogue;

/* Reads @po_path (fails the test when it cannot). Fuzzy and obsolete entries count as
 * not translated, as msgfmt leaves them out of the .mo. */
GhTestCatalogue *gh_test_catalogue_new       (const char      *po_path);
void             gh_test_catalogue_free      (GhTestCatalogue *self);
guint            gh_test_catalogue_get_n_translated (GhTestCatalogue *self);

/* The German of a catalogue of the toolkit (@mo_path: gtk40.mo, libadwaita.mo): the
 * text GTK's and libadwaita's own widgets show. Nothing when the file is missing. */
void             gh_test_catalogue_add_toolkit (GhTestCatalogue *self,
                                                const char      *mo_path);

/* Text that is data, not the app's: what the gateway's configuration, PKI and answers
 * contain, the names a test gave, and what the locale formats (month names, size units). */
void             gh_test_catalogue_add_data  (GhTestCatalogue *self,
                                              const char      *text);

/* NULL when @shown is translated text of the catalogue, data, or (recursively) a
 * translated message whose arguments are; otherwise why not, as a sentence. */
char            *gh_test_catalogue_judge     (GhTestCatalogue *self,
                                              const char      *shown);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTestCatalogue, gh_test_catalogue_free)

G_END_DECLS
