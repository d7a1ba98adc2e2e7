/* gh-config-problem.h — one thing wrong with a gateway configuration: which field
 * (a JSON path), which service, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-config-error.h"

G_BEGIN_DECLS

#define GH_TYPE_CONFIG_PROBLEM (gh_config_problem_get_type ())

G_DECLARE_FINAL_TYPE (GhConfigProblem, gh_config_problem, GH, CONFIG_PROBLEM, GObject)

GhConfigProblem *gh_config_problem_new          (GhConfigError    code,
                                                 const char      *path,
                                                 const char      *service,
                                                 const char      *message);

GhConfigError    gh_config_problem_get_code     (GhConfigProblem *self);
/* "services[1].accept[0]", "admin.listen", "" for the whole document; NULL when the
 * JSON is not well-formed and only a line and column are known. */
const char      *gh_config_problem_get_path     (GhConfigProblem *self);
/* The name of the service concerned, or NULL. */
const char      *gh_config_problem_get_service  (GhConfigProblem *self);
/* Why, in a sentence, without the path. */
const char      *gh_config_problem_get_message  (GhConfigProblem *self);
/* Where in the text, for syntax errors; 0 when unknown. */
guint            gh_config_problem_get_line     (GhConfigProblem *self);
guint            gh_config_problem_get_column   (GhConfigProblem *self);

/* "services[1].connect (service “backend”): why", "line 3, column 7: why" */
char            *gh_config_problem_to_string    (GhConfigProblem *self);
/* {"code": "address-conflict", "path": …, "service": …, "message": …, "line": …, "column": …} */
JsonNode        *gh_config_problem_to_json      (GhConfigProblem *self);

G_END_DECLS
