/* gh-ctl-commands.c — the command line of gatehousectl
 *
 * Commands work either on a running gateway (global --gateway and --identity) or, for
 * `keystore`, on a local file (--keystore), as keytool does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-commands"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ctl-commands.h"
#include "gh-ctl-private.h"

GhCtlOptions gh_ctl_options;

static const GOptionEntry global_options[] = {
  { "gateway", 'g', 0, G_OPTION_ARG_STRING, &gh_ctl_options.gateway,
    N_("Admin URL of the gateway, such as https://127.0.0.1:9443"), N_("URL") },
  { "identity", 'i', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.identity,
    N_("Admin identity (PKCS#12 file with the client certificate and key)"), N_("FILE") },
  { "identity-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.identity_password_file,
    N_("Read the identity's password from FILE (else $GATEHOUSE_IDENTITY_PASSWORD, else a prompt)"), N_("FILE") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.json,
    N_("Print JSON for scripts instead of text"), NULL },
  G_OPTION_ENTRY_NULL
};

#define KEYSTORE_FILE_OPTIONS \
  { "keystore", 'k', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.keystore, \
    N_("Work on the keystore FILE (PKCS#12 or PEM) instead of the gateway's"), N_("FILE") }, \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.password_file, \
    N_("Read the keystore password from FILE (else $GATEHOUSE_KEYSTORE_PASSWORD, else a prompt)"), N_("FILE") }

static const GOptionEntry keystore_options[] = {
  KEYSTORE_FILE_OPTIONS,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_import_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "alias", 'a', 0, G_OPTION_ARG_STRING, &gh_ctl_options.alias,
    N_("Alias of the new entry (default: from the certificate's subject)"), N_("ALIAS") },
  { "source-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.source_password_file,
    N_("Read the password of an encrypted FILE from this file (else $GATEHOUSE_SOURCE_PASSWORD, else a prompt)"), N_("FILE") },
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &gh_ctl_options.dry_run,
    N_("Show what the file holds and what would be imported; change nothing"), NULL },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_export_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "format", 'f', 0, G_OPTION_ARG_STRING, &gh_ctl_options.format,
    N_("pem, der, p7 or p12 (default: pem)"), N_("FORMAT") },
  { "chain", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.chain,
    N_("Export the whole chain, leaf first"), NULL },
  { "profile", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.profile,
    N_("PKCS#12 profile: modern (AES-256, SHA-256 MAC; default) or compatible (3DES, SHA-1 MAC)"), N_("PROFILE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.output,
    N_("Write to FILE instead of standard output"), N_("FILE") },
  { "output-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.output_password_file,
    N_("Protect a PKCS#12 export with the password in FILE (else $GATEHOUSE_EXPORT_PASSWORD, else a prompt)"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_genkey_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "alias", 'a', 0, G_OPTION_ARG_STRING, &gh_ctl_options.alias,
    N_("Alias of the new key entry"), N_("ALIAS") },
  { "key-type", 't', 0, G_OPTION_ARG_STRING, &gh_ctl_options.key_type,
    N_("rsa2048, rsa3072, rsa4096, p256, p384 or ed25519 (default: p256)"), N_("TYPE") },
  { "subject", 's', 0, G_OPTION_ARG_STRING, &gh_ctl_options.subject,
    N_("Subject distinguished name, such as CN=gateway.example.com"), N_("DN") },
  { "san", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gh_ctl_options.san,
    N_("Subject alternative name (DNS name or IP address); repeat for more"), N_("NAME") },
  { "days", 0, 0, G_OPTION_ARG_INT, &gh_ctl_options.days,
    N_("Validity of the self-signed certificate in days (default: 365)"), N_("DAYS") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_csr_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "subject", 's', 0, G_OPTION_ARG_STRING, &gh_ctl_options.subject,
    N_("Subject of the request (default: the entry's subject)"), N_("DN") },
  { "san", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gh_ctl_options.san,
    N_("Subject alternative name; repeat for more"), N_("NAME") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.output,
    N_("Write the CSR to FILE instead of standard output"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_verify_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "host", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.host,
    N_("Check that the certificate is valid for this host name"), N_("HOST") },
  { "truststore", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.truststore,
    N_("Trust the CA certificates in FILE"), N_("FILE") },
  { "system", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.system,
    N_("Trust the system's CA certificates too"), NULL },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry sessions_list_options[] = {
  { "service", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.service,
    N_("Only the sessions of this service"), N_("NAME") },
  { "limit", 'n', 0, G_OPTION_ARG_INT, &gh_ctl_options.limit,
    N_("At most N sessions"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry sessions_close_options[] = {
  { "reason", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.reason,
    N_("Reason recorded with the close"), N_("TEXT") },
  G_OPTION_ENTRY_NULL
};

static const GhCommand services_commands[] = {
  { "list", NULL, N_("List the services with their state"), NULL, NULL, NULL, NULL },
  { "show", N_("NAME"), N_("Show a service's configuration and state"), NULL, NULL, NULL, NULL },
  { "apply", N_("FILE"), N_("Create or replace services from a JSON file"), NULL, NULL, NULL, NULL },
  { "start", N_("NAME"), N_("Start a service"), NULL, NULL, NULL, NULL },
  { "stop", N_("NAME"), N_("Stop a service"), NULL, NULL, NULL, NULL },
  { NULL }
};

static const GhCommand keystore_commands[] = {
  { "list", NULL, N_("List the entries"), NULL, keystore_options, gh_ctl_keystore_list, NULL },
  { "show", N_("ALIAS"), N_("Show an entry's certificates in detail"), NULL, keystore_options, gh_ctl_keystore_show, NULL },
  { "import", N_("FILE"), N_("Import keys and certificates from FILE (format detected)"),
    N_("Reads PEM, DER, PKCS#7, PKCS#8 and PKCS#12, shows what it found, then commits."),
    keystore_import_options, gh_ctl_keystore_import, NULL },
  { "export", N_("ALIAS"), N_("Export a certificate, a chain or a key entry"), NULL, keystore_export_options, gh_ctl_keystore_export, NULL },
  { "genkey", NULL, N_("Generate a key pair with a self-signed certificate"), NULL, keystore_genkey_options, gh_ctl_keystore_genkey, NULL },
  { "csr", N_("ALIAS"), N_("Create a certificate signing request for a key entry"), NULL, keystore_csr_options, gh_ctl_keystore_csr, NULL },
  { "import-reply", N_("ALIAS FILE"), N_("Install a CA's reply onto a key entry"), NULL, keystore_import_options, gh_ctl_keystore_import_reply, NULL },
  { "upload", N_("FILE"), N_("Upload a key entry (PKCS#12, or PEM key and chain) to the gateway"), NULL, keystore_import_options, NULL, NULL },
  { "rotate", N_("ALIAS FILE"), N_("Replace a key entry on the gateway; new handshakes use it"), NULL, keystore_options, NULL, NULL },
  { "delete", N_("ALIAS"), N_("Delete an entry"), NULL, keystore_options, gh_ctl_keystore_delete, NULL },
  { "rename", N_("ALIAS NEW-ALIAS"), N_("Rename an entry"), NULL, keystore_options, gh_ctl_keystore_rename, NULL },
  { "verify", N_("ALIAS"), N_("Verify an entry's chain and report its findings"), NULL, keystore_verify_options, gh_ctl_keystore_verify, NULL },
  { NULL }
};

static const GhCommand truststore_commands[] = {
  { "list", NULL, N_("List the trusted CA certificates"), NULL, NULL, NULL, NULL },
  { "add", N_("FILE"), N_("Trust the CA certificates in FILE"), NULL, keystore_import_options, NULL, NULL },
  { "delete", N_("ALIAS"), N_("Stop trusting a CA certificate"), NULL, NULL, NULL, NULL },
  { NULL }
};

static const GhCommand sessions_commands[] = {
  { "list", NULL, N_("List live sessions"), NULL, sessions_list_options, NULL, NULL },
  { "show", N_("ID"), N_("Show a session in detail"), NULL, NULL, NULL, NULL },
  { "close", N_("ID"), N_("Close a session on both sides"), NULL, sessions_close_options, NULL, NULL },
  { NULL }
};

static const GhCommand ctl_commands[] = {
  { "info", NULL, N_("Show the gateway's version, uptime and counters"), NULL, NULL, NULL, NULL },
  { "services", NULL, N_("List, show, apply, start and stop services"), NULL, NULL, NULL, services_commands },
  { "keystore", NULL, N_("Manage a keystore: the gateway's or a local file"), NULL, NULL, NULL, keystore_commands },
  { "truststore", NULL, N_("Manage the CA certificates the gateway trusts"), NULL, NULL, NULL, truststore_commands },
  { "sessions", NULL, N_("List, show and close live sessions"), NULL, NULL, NULL, sessions_commands },
  { "events", NULL, N_("Follow the gateway's events, one JSON object a line"), NULL, NULL, NULL, NULL },
  { "audit", NULL, N_("Show who changed what, when, with which result"), NULL, NULL, NULL, NULL },
  { NULL }
};

static const GhCommand ctl_command = {
  "gatehousectl", NULL,
  N_("Administer a Gatehouse gateway, or work on local keystore files."),
  N_("Passwords are read from a file, an environment variable or a prompt; never from an argument.\n"
     "\n"
     "Exit status: 0 success, 1 failure, 2 usage error, 69 not available in this version."),
  global_options, NULL, ctl_commands,
};

const GhCommand *
gh_ctl_get_command (void)
{
  return &ctl_command;
}
