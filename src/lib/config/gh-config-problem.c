/* gh-config-problem.c — one thing wrong with a gateway configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-config-problem"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-config-private.h"

struct _GhConfigProblem
{
  GObject        parent_instance;

  GhConfigError  code;
  char          *path;
  char          *service;
  char          *message;
  guint          line;
  guint          column;
};

G_DEFINE_FINAL_TYPE (GhConfigProblem, gh_config_problem, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SERVICE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_config_problem_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GhConfigProblem *self = GH_CONFIG_PROBLEM (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_config_problem_finalize (GObject *object)
{
  GhConfigProblem *self = GH_CONFIG_PROBLEM (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (gh_config_problem_parent_class)->finalize (object);
}

static void
gh_config_problem_class_init (GhConfigProblemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_config_problem_get_property;
  object_class->finalize = gh_config_problem_finalize;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SERVICE] =
    g_param_spec_string ("service", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_config_problem_init (GhConfigProblem *self)
{
}

/**
 * gh_config_problem_new:
 * @code: what kind of problem
 * @path: (nullable): the JSON path of the field, "" for the whole document
 * @service: (nullable): the name of the service concerned
 * @message: why, in a sentence a person understands
 *
 * For the daemon and the admin API, to report what they find (a keystore file that
 * does not exist, …) the way validation does.
 */
GhConfigProblem *
gh_config_problem_new (GhConfigError  code,
                       const char    *path,
                       const char    *service,
                       const char    *message)
{
  GhConfigProblem *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (GH_TYPE_CONFIG_PROBLEM, NULL);
  self->code = code;
  self->path = g_strdup (path);
  self->service = g_strdup (service);
  self->message = g_strdup (message);

  return self;
}

GhConfigProblem *
_gh_config_problem_new_at (GhConfigError  code,
                           guint          line,
                           guint          column,
                           const char    *message)
{
  GhConfigProblem *self = gh_config_problem_new (code, NULL, NULL, message);

  self->line = line;
  self->column = column;

  return self;
}

GhConfigError
gh_config_problem_get_code (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), GH_CONFIG_ERROR_FAILED);

  return self->code;
}

const char *
gh_config_problem_get_path (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), NULL);

  return self->path;
}

const char *
gh_config_problem_get_service (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), NULL);

  return self->service;
}

const char *
gh_config_problem_get_message (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), NULL);

  return self->message;
}

guint
gh_config_problem_get_line (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), 0);

  return self->line;
}

guint
gh_config_problem_get_column (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), 0);

  return self->column;
}

/**
 * gh_config_problem_to_string:
 * @self: a #GhConfigProblem
 *
 * Returns: the problem in one line, where first, then why:
 *   "services[1].connect (service “backend”): …", "line 3, column 7: …"
 */
char *
gh_config_problem_to_string (GhConfigProblem *self)
{
  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), NULL);

  if (self->path != NULL && *self->path != '\0' && self->service != NULL)
    /* Translators: a JSON path, a service name, and what is wrong */
    return g_strdup_printf (_("%s (service “%s”): %s"), self->path, self->service, self->message);
  else if (self->path != NULL && *self->path != '\0')
    return g_strdup_printf ("%s: %s", self->path, self->message);
  else if (self->line > 0 && self->column > 0)
    /* Translators: where in the file, and what is wrong */
    return g_strdup_printf (_("line %u, column %u: %s"), self->line, self->column, self->message);
  else if (self->line > 0)
    /* Translators: where in the file, and what is wrong */
    return g_strdup_printf (_("line %u: %s"), self->line, self->message);
  else
    return g_strdup (self->message);
}

/**
 * gh_config_problem_to_json:
 * @self: a #GhConfigProblem
 *
 * Returns: (transfer full): the problem as the admin API reports it; members that
 *   are not known are left out
 */
JsonNode *
gh_config_problem_to_json (GhConfigProblem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (GH_IS_CONFIG_PROBLEM (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, gh_config_error_code_to_string (self->code));
  if (self->path != NULL)
    {
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, self->path);
    }
  if (self->service != NULL)
    {
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, self->service);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, self->message);
  if (self->line > 0)
    {
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, self->line);
      json_builder_set_member_name (builder, "column");
      json_builder_add_int_value (builder, self->column);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Collecting problems */

void
_gh_config_problems_init (GhConfigProblems *problems)
{
  problems->problems = g_ptr_array_new_with_free_func (g_object_unref);
  problems->n_dropped = 0;
}

void
_gh_config_problems_clear (GhConfigProblems *problems)
{
  g_clear_pointer (&problems->problems, g_ptr_array_unref);
}

static void
problems_take (GhConfigProblems *problems,
               GhConfigProblem  *problem)
{
  if (problems->problems->len >= GH_CONFIG_MAX_PROBLEMS)
    {
      problems->n_dropped++;
      g_object_unref (problem);
      return;
    }

  g_ptr_array_add (problems->problems, problem);
}

void
_gh_config_problems_add (GhConfigProblems *problems,
                         GhConfigError     code,
                         const char       *path,
                         const char       *service,
                         const char       *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (problems->problems->len >= GH_CONFIG_MAX_PROBLEMS)
    {
      problems->n_dropped++;
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  problems_take (problems, gh_config_problem_new (code, path, service, message));
}

void
_gh_config_problems_add_at (GhConfigProblems *problems,
                            GhConfigError     code,
                            guint             line,
                            guint             column,
                            const char       *format,
                            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  problems_take (problems, _gh_config_problem_new_at (code, line, column, message));
}

gboolean
_gh_config_problems_is_empty (GhConfigProblems *problems)
{
  return problems->problems->len == 0;
}

GListModel *
_gh_config_problems_to_model (GhConfigProblems *problems)
{
  GListStore *store = g_list_store_new (GH_TYPE_CONFIG_PROBLEM);

  g_list_store_splice (store, 0, 0, problems->problems->pdata, problems->problems->len);

  return G_LIST_MODEL (store);
}
