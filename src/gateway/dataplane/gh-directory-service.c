/* gh-directory-service.c — static files for `directory` services
 *
 * The HTTP front (gh-http-front.c) hands every plain HTTP request of a listener here.
 * The path resolver is a unit of its own (gh-directory-service-private.h) because it
 * is what keeps a request inside the served directory, and a test must reach it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <stdlib.h>

#include "gh-directory-service-private.h"
#include "gh-file-util.h"

#define MAX_DIRECTORY_FILE (64 * 1024 * 1024)

GFile *
gh_directory_service_resolve_file (GFile      *root,
                                   const char *relative,
                                   int        *status)
{
  g_autofree char *decoded = g_uri_unescape_string (relative, "/");
  g_auto(GStrv) segments = NULL;
  g_autoptr(GFile) file = g_object_ref (root);
  g_autofree char *root_real = NULL;
  g_autofree char *file_real = NULL;
  g_autofree char *root_path = g_file_get_path (root);
  g_autofree char *file_path = NULL;

  if (decoded == NULL || strchr (decoded, '\\') != NULL)
    {
      *status = SOUP_STATUS_BAD_REQUEST;
      return NULL;
    }

  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (*segments[i] == '\0' || g_str_equal (segments[i], "."))
        continue;
      if (g_str_equal (segments[i], ".."))
        {
          *status = SOUP_STATUS_FORBIDDEN;
          return NULL;
        }
      {
        /* g_set_object() would take a second reference and leak this one. */
        GFile *child = g_file_get_child (file, segments[i]);

        g_object_unref (file);
        file = child;
      }
    }

  /* No path may escape the directory, not even through a symbolic link. */
  file_path = g_file_get_path (file);
  root_real = realpath (root_path, NULL);
  file_real = realpath (file_path, NULL);
  if (root_real == NULL || file_real == NULL)
    {
      *status = SOUP_STATUS_NOT_FOUND;
      return NULL;
    }
  if (!g_str_equal (root_real, file_real) &&
      !(g_str_has_prefix (file_real, root_real) && file_real[strlen (root_real)] == '/'))
    {
      *status = SOUP_STATUS_FORBIDDEN;
      return NULL;
    }

  if (g_file_test (file_real, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *index = g_build_filename (file_real, "index.html", NULL);

      if (!g_file_test (index, G_FILE_TEST_IS_REGULAR))
        {
          *status = SOUP_STATUS_NOT_FOUND;
          return NULL;
        }
      return g_file_new_for_path (index);
    }

  if (!g_file_test (file_real, G_FILE_TEST_IS_REGULAR))
    {
      *status = SOUP_STATUS_NOT_FOUND;
      return NULL;
    }

  return g_file_new_for_path (file_real);
}

void
gh_directory_service_handle (GhDataplane       *dataplane,
                             GhBinding         *binding,
                             SoupServerMessage *msg,
                             const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  GhService *service = NULL;
  const char *prefix = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  int status = SOUP_STATUS_NOT_FOUND;
  GHashTableIter iter;
  gpointer key, value;

  /* The longest registered prefix that is a directory service. */
  if (binding != NULL)
    {
      g_hash_table_iter_init (&iter, binding->paths);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          GhService *candidate = value;

          if (gh_service_config_get_service_type (candidate->config) != GH_SERVICE_TYPE_DIRECTORY)
            continue;
          if (g_str_has_prefix (path, key) && (prefix == NULL || strlen (key) > strlen (prefix)))
            {
              prefix = key;
              service = candidate;
            }
        }
    }

  if (service == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (gh_dataplane_get_service_stopped (dataplane, service->name))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  file = gh_directory_service_resolve_file (service->directory, path + strlen (prefix), &status);
  if (file != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* A regular file only (a device or a FIFO placed in the tree is never read),
       * bounded while it is read whatever its size claims. */
      content = gh_file_load_bounded (file, MAX_DIRECTORY_FILE, GH_FILE_LOAD_NONE, &error);
      if (content != NULL)
        status = SOUP_STATUS_OK;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        status = SOUP_STATUS_NOT_FOUND;
      else
        status = SOUP_STATUS_FORBIDDEN;
    }

  if (status != SOUP_STATUS_OK)
    {
      soup_server_message_set_status (msg, status, NULL);
      return;
    }

  {
    g_autofree char *basename = g_file_get_basename (file);
    content_type = g_content_type_guess (basename, g_bytes_get_data (content, NULL),
                                         MIN (g_bytes_get_size (content), 4096), NULL);
    mime = g_content_type_get_mime_type (content_type);
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, mime ? mime : "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (content, NULL), g_bytes_get_size (content));
}
