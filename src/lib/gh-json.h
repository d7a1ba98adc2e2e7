/* gh-json.h — members for JsonBuilder objects, as every to_json() of the project writes them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "name": "value", or "name": null when @value is NULL. */
static inline void
gh_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static inline void
gh_json_add_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* "name": [ … ], empty when @values is NULL. */
static inline void
gh_json_add_strv (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* A time as every API body writes it: RFC 3339, UTC, always with microseconds
 * (g_date_time_format_iso8601() drops a zero fraction). @real_time in µs. */
static inline char *
gh_json_format_time (gint64 real_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc_usec (real_time);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* "name": "2026-11-26T22:30:01.123456Z" */
static inline void
gh_json_add_time (JsonBuilder *builder,
                  const char  *name,
                  gint64       real_time)
{
  g_autofree char *text = gh_json_format_time (real_time);

  gh_json_add_string (builder, name, text);
}

G_END_DECLS
