/* gh-ctl-commands.c — the command line of gatehousectl
 *
 * Commands work either on a running gateway (global --gateway and --identity, or a
 * saved --profile) or, for `keystore`, on a local file (--keystore), as keytool does.
 * docs/gatehousectl.md is the user's guide.
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
  { "pin", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.pin,
    N_("SHA-256 fingerprint of the gateway's admin certificate, as “gatehoused init” printed it"), N_("SHA256") },
  { "profile", 'p', 0, G_OPTION_ARG_STRING, &gh_ctl_options.gateway_profile,
    N_("Use the saved profile NAME (else $GATEHOUSE_PROFILE); options given override it"), N_("NAME") },
  { "trust-on-first-use", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.trust_on_first_use,
    N_("When the profile has no pin yet, trust the certificate the gateway shows and save its fingerprint"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.json,
    N_("Print JSON for scripts instead of text"), NULL },
  G_OPTION_ENTRY_NULL
};

#define IF_MATCH_OPTION \
  { "if-match", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.if_match, \
    N_("On a gateway: apply only if the configuration is still at version vN (default: the current one)"), N_("vN") }

static const GOptionEntry write_options[] = {
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

#define KEYSTORE_FILE_OPTIONS \
  { "keystore", 'k', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.keystore, \
    N_("Work on the keystore FILE (PKCS#12 or PEM) instead of the gateway's"), N_("FILE") }, \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.password_file, \
    N_("Read the keystore password from FILE (else $GATEHOUSE_KEYSTORE_PASSWORD, else a prompt)"), N_("FILE") }

/* What import and import-reply read: an encrypted source, and a preview. */
#define IMPORT_SOURCE_OPTIONS \
  { "source-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.source_password_file, \
    N_("Read the password of an encrypted FILE from this file (else $GATEHOUSE_SOURCE_PASSWORD, else a prompt)"), \
    N_("FILE") }, \
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &gh_ctl_options.dry_run, \
    N_("Show what the file holds and what would be imported; change nothing"), NULL }

static const GOptionEntry keystore_options[] = {
  KEYSTORE_FILE_OPTIONS,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_list_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "verify", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.verify,
    N_("Verify each key entry's chain for a TLS server; exit status 1 when one is not trusted"), NULL },
  { "truststore", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.truststore,
    N_("With --verify: trust the CA certificates in FILE (default: the keystore's trusted entries)"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_write_options[] = {
  KEYSTORE_FILE_OPTIONS,
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_upload_options[] = {
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.password_file,
    N_("Read the password of FILE from this file (else $GATEHOUSE_SOURCE_PASSWORD, else a prompt)"), N_("FILE") },
  { "source-alias", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.source_alias,
    N_("The entry of a PKCS#12 FILE to send (default: its first key entry)"), N_("ALIAS") },
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &gh_ctl_options.dry_run,
    N_("Send nothing: show what FILE holds, whether the gateway would take it, and for a rotate what each "
       "accept would serve"), NULL },
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_import_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "alias", 'a', 0, G_OPTION_ARG_STRING, &gh_ctl_options.alias,
    N_("Alias of the new entry (default: from the certificate's subject)"), N_("ALIAS") },
  IMPORT_SOURCE_OPTIONS,
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
    N_("Subject of the request (default for a file: the entry's subject; required on a gateway)"), N_("DN") },
  { "san", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gh_ctl_options.san,
    N_("Subject alternative name; repeat for more"), N_("NAME") },
  { "key-type", 't', 0, G_OPTION_ARG_STRING, &gh_ctl_options.key_type,
    N_("On a gateway, the new key: rsa2048, rsa3072, rsa4096, p256, p384 or ed25519 (default: p256)"), N_("TYPE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.output,
    N_("Write the CSR to FILE instead of standard output"), N_("FILE") },
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_reply_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "alias", 'a', 0, G_OPTION_ARG_STRING, &gh_ctl_options.alias,
    N_("Alias of the new entry (default: from the certificate's subject)"), N_("ALIAS") },
  IMPORT_SOURCE_OPTIONS,
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry keystore_passwd_options[] = {
  KEYSTORE_FILE_OPTIONS,
  { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.new_password_file,
    N_("Read the new password from FILE (else $GATEHOUSE_KEYSTORE_NEW_PASSWORD, else a prompt)"), N_("FILE") },
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

static const GOptionEntry truststore_add_options[] = {
  { "alias", 'a', 0, G_OPTION_ARG_STRING, &gh_ctl_options.alias,
    N_("Alias of the new entry (default: the certificate's common name)"), N_("ALIAS") },
  IF_MATCH_OPTION,
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry sessions_list_options[] = {
  { "service", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.service,
    N_("Only the sessions of this service"), N_("NAME") },
  { "state", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.state,
    N_("Only sessions in this state (default: open)"), N_("STATE") },
  { "limit", 'n', 0, G_OPTION_ARG_INT, &gh_ctl_options.limit,
    N_("At most N sessions (1 to 1000; default: 100)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry audit_options[] = {
  { "limit", 'n', 0, G_OPTION_ARG_INT, &gh_ctl_options.limit,
    N_("The newest N entries (1 to 1000; default: 100)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry config_diff_options[] = {
  { "color", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.color,
    N_("Colour the differences: auto (on a terminal, unless $NO_COLOR is set), always or never"), N_("WHEN") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry events_options[] = {
  { "count", 'c', 0, G_OPTION_ARG_INT, &gh_ctl_options.count,
    N_("Stop after N events (default: follow until interrupted)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry profile_add_options[] = {
  { "gateway", 'g', 0, G_OPTION_ARG_STRING, &gh_ctl_options.gateway,
    N_("Admin URL of the gateway, such as https://127.0.0.1:9443"), N_("URL") },
  { "identity", 'i', 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.identity,
    N_("Admin identity (PKCS#12 file with the client certificate and key)"), N_("FILE") },
  { "identity-password-file", 0, 0, G_OPTION_ARG_FILENAME, &gh_ctl_options.identity_password_file,
    N_("A file holding the identity's password (its name is saved, never the password)"), N_("FILE") },
  { "pin", 0, 0, G_OPTION_ARG_STRING, &gh_ctl_options.pin,
    N_("SHA-256 fingerprint of the gateway's admin certificate"), N_("SHA256") },
  { "trust-on-first-use", 0, 0, G_OPTION_ARG_NONE, &gh_ctl_options.trust_on_first_use,
    N_("Without --pin: contact the gateway and save the fingerprint it shows"), NULL },
  G_OPTION_ENTRY_NULL
};

static const GhCommand services_commands[] = {
  { "list", NULL, N_("List the services with their state"), NULL, NULL, gh_ctl_services_list, NULL },
  { "show", N_("NAME"), N_("Show a service's configuration and state"), NULL, NULL, gh_ctl_services_show, NULL },
  { "apply", N_("FILE"), N_("Create or replace services from a JSON file"),
    N_("FILE holds one service object, as in the configuration's “services” list, or a JSON list of them.\n"
       "Each replaces the gateway's service of that name, or is added after the others; the other\n"
       "services are kept. The whole configuration is validated by the gateway before it applies."),
    write_options, gh_ctl_services_apply, NULL },
  { "start", N_("NAME"), N_("Start a service"), NULL, NULL, gh_ctl_services_start, NULL },
  { "stop", N_("NAME"), N_("Stop a service: refuse new connections and close its sessions"), NULL, NULL, gh_ctl_services_stop, NULL },
  { "tls", N_("NAME"), N_("Show both sides of a service's TLS: what clients get, what the back-end shows"),
    N_("For each accept, the certificate a client asking for its host gets and its chain's findings; for\n"
       "a TLS back-end, a probe made as a session makes it (SNI, priority, client certificate) and its chain."),
    NULL, gh_ctl_services_tls, NULL },
  { "probe", N_("NAME"), N_("Probe a service's back-end as a session would reach it"),
    N_("Exit status 1 when a session would be refused, with the reason in the session log's words."),
    NULL, gh_ctl_services_probe, NULL },
  { NULL }
};

static const GhCommand keystore_commands[] = {
  { "list", NULL, N_("List the entries"),
    N_("With --verify (files only), each key entry's chain is verified for a TLS server against the\n"
       "CA certificates of --truststore FILE (PEM or PKCS#12), else against the keystore's own trusted\n"
       "entries; each entry says whether its chain is trusted and, when not, why."),
    keystore_list_options, gh_ctl_keystore_cmd_list, NULL },
  { "show", N_("ALIAS"), N_("Show an entry's certificates in detail"), NULL, keystore_options, gh_ctl_keystore_cmd_show, NULL },
  { "import", N_("FILE"), N_("Import keys and certificates from FILE (format detected)"),
    N_("Reads PEM, DER, PKCS#7, PKCS#8 and PKCS#12, shows what it found, then commits."),
    keystore_import_options, gh_ctl_keystore_cmd_local_only, NULL },
  { "export", N_("ALIAS"), N_("Export a certificate, a chain or a key entry"), NULL, keystore_export_options, gh_ctl_keystore_cmd_local_only, NULL },
  { "genkey", NULL, N_("Generate a key pair with a self-signed certificate"), NULL, keystore_genkey_options, gh_ctl_keystore_cmd_local_only, NULL },
  { "csr", N_("ALIAS"), N_("Create a certificate signing request for a key entry"),
    N_("On a gateway, the gateway makes a new key under ALIAS (with a self-signed placeholder) and\n"
       "prints its request; install the CA's reply with keystore import-reply."),
    keystore_csr_options, gh_ctl_keystore_cmd_csr, NULL },
  { "import-reply", N_("ALIAS FILE"), N_("Install a CA's reply onto a key entry"), NULL, keystore_reply_options, gh_ctl_keystore_cmd_import_reply, NULL },
  { "upload", N_("ALIAS FILE"), N_("Upload a key entry (PKCS#12, or PEM key and chain) to the gateway"), NULL, keystore_upload_options, gh_ctl_keystore_cmd_upload, NULL },
  { "rotate", N_("ALIAS FILE"), N_("Replace a key entry on the gateway; new handshakes use it"),
    N_("FILE is PKCS#12, or PEM with the key and its chain. The one command a certificate renewal\n"
       "hook needs, such as: gatehousectl --profile prod keystore rotate gateway renewed.p12 --password-file pw"),
    keystore_upload_options, gh_ctl_keystore_cmd_rotate, NULL },
  { "delete", N_("ALIAS"), N_("Delete an entry"), NULL, keystore_write_options, gh_ctl_keystore_cmd_delete, NULL },
  { "rename", N_("ALIAS NEW-ALIAS"), N_("Rename an entry"), NULL, keystore_options, gh_ctl_keystore_cmd_local_only, NULL },
  { "verify", N_("ALIAS"), N_("Verify an entry's chain and report its findings"), NULL, keystore_verify_options, gh_ctl_keystore_cmd_local_only, NULL },
  { "passwd", NULL, N_("Change the password of a keystore file, encrypting every key again"), NULL,
    keystore_passwd_options, gh_ctl_keystore_cmd_local_only, NULL },
  { NULL }
};

static const GhCommand truststore_crl_commands[] = {
  { "list", NULL, N_("List the revocation lists the gateway honours"), NULL, NULL, gh_ctl_truststore_crl_list, NULL },
  { "add", N_("FILE"), N_("Upload the revocation lists in FILE (PEM X509 CRL blocks)"),
    N_("Each list replaces the one of the same issuer, so a CRL renewal hook runs just this. The gateway\n"
       "refuses client certificates and back-end chains the lists name in every new handshake."),
    write_options, gh_ctl_truststore_crl_add, NULL },
  { "remove", N_("ID"), N_("Remove a revocation list (its id from crl list)"), NULL, write_options,
    gh_ctl_truststore_crl_remove, NULL },
  { NULL }
};

static const GhCommand truststore_commands[] = {
  { "list", NULL, N_("List the trusted CA certificates"), NULL, NULL, gh_ctl_truststore_list, NULL },
  { "add", N_("FILE"), N_("Trust the CA certificate in FILE (PEM)"), NULL, truststore_add_options, gh_ctl_truststore_add, NULL },
  { "delete", N_("ALIAS"), N_("Stop trusting a CA certificate"), NULL, write_options, gh_ctl_truststore_delete, NULL },
  { "crl", NULL, N_("List, add and remove the revocation lists the gateway honours"), NULL, NULL, NULL,
    truststore_crl_commands },
  { NULL }
};

static const GhCommand sessions_commands[] = {
  { "list", NULL, N_("List live sessions"), NULL, sessions_list_options, gh_ctl_sessions_list, NULL },
  { "show", N_("ID"), N_("Show a session in detail"), NULL, NULL, gh_ctl_sessions_show, NULL },
  { "close", N_("ID"), N_("Close a session on both sides"), NULL, NULL, gh_ctl_sessions_close, NULL },
  { NULL }
};

static const GhCommand config_commands[] = {
  { "versions", NULL, N_("List the configuration's versions, newest first, the current one marked"), NULL, NULL,
    gh_ctl_config_versions, NULL },
  { "show", N_("[VERSION]"), N_("Print a version's configuration document (default: the current one)"), NULL, NULL,
    gh_ctl_config_show, NULL },
  { "diff", N_("VERSION [VERSION]"), N_("Show what changed between two versions (default: against the current one)"),
    N_("Prints a unified diff of the two documents, both printed the same way, so only real changes\n"
       "show. Exit status 0 when they are the same, 1 when they differ, as diff(1)."),
    config_diff_options, gh_ctl_config_diff, NULL },
  { "rollback", N_("VERSION"), N_("Apply an earlier version's configuration as a new version"),
    N_("Needs the admin role. The keystore and the truststore are not rolled back. Sent for the current\n"
       "version (or --if-match): when the configuration changed meanwhile, nothing is changed (75)."),
    write_options, gh_ctl_config_rollback, NULL },
  { NULL }
};

static const GhCommand profile_commands[] = {
  { "add", N_("NAME"), N_("Save a gateway, an identity and a pin under NAME"),
    N_("Replaces a profile of that name. Saved in $XDG_CONFIG_HOME/gatehouse/profiles.json (mode 0600):\n"
       "never a password, only the name of a password file when you give one."),
    profile_add_options, gh_ctl_profile_add, NULL },
  { "list", NULL, N_("List the saved profiles"), NULL, NULL, gh_ctl_profile_list, NULL },
  { "remove", N_("NAME"), N_("Forget a profile"), NULL, NULL, gh_ctl_profile_remove, NULL },
  { NULL }
};

static const GhCommand ctl_commands[] = {
  { "info", NULL, N_("Show the gateway's version, uptime and counters"), NULL, NULL, gh_ctl_info, NULL },
  { "services", NULL, N_("List, show, apply, start and stop services"), NULL, NULL, NULL, services_commands },
  { "keystore", NULL, N_("Manage a keystore: the gateway's or a local file"), NULL, NULL, NULL, keystore_commands },
  { "truststore", NULL, N_("Manage the CA certificates the gateway trusts"), NULL, NULL, NULL, truststore_commands },
  { "sessions", NULL, N_("List, show and close live sessions"), NULL, NULL, NULL, sessions_commands },
  { "events", NULL, N_("Follow the gateway's events, one JSON object a line"),
    N_("Prints each event of the stream as one line of JSON, flushed at once, starting with hello and\n"
       "snapshot. Ends with status 0 after --count events or on SIGINT/SIGTERM, and with 68 when the\n"
       "gateway ends the stream."),
    events_options, gh_ctl_events, NULL },
  { "audit", NULL, N_("Show who changed what, when, with which result"), NULL, audit_options, gh_ctl_audit, NULL },
  { "config", NULL, N_("List, show, compare and roll back configuration versions"), NULL, NULL, NULL, config_commands },
  { "profile", NULL, N_("Save, list and remove connection profiles"), NULL, NULL, NULL, profile_commands },
  { NULL }
};

static const GhCommand ctl_command = {
  "gatehousectl", NULL,
  N_("Administer a Gatehouse gateway, or work on local keystore files."),
  N_("Passwords are read from a file, an environment variable or a prompt; never from an argument.\n"
     "\n"
     "A gateway is named by --gateway URL with --identity FILE and --pin SHA256, or by a saved\n"
     "--profile NAME ($GATEHOUSE_PROFILE). Keystore commands with --keystore FILE work on that file.\n"
     "The options above may come anywhere, before or after the command (an option of the command\n"
     "with the same name wins: “keystore export --profile” is the PKCS#12 profile).\n"
     "\n"
     "Exit status: 0 success, 1 failure (for config diff: the versions differ), 2 usage error, 65 the\n"
     "gateway found the change invalid (422), 68 gateway unreachable, 69 not available in this version,\n"
     "75 the configuration changed meanwhile (412), 76 TLS failed or the certificate is not the pinned\n"
     "one, 77 not allowed (403)."),
  global_options, NULL, ctl_commands, GH_COMMAND_GLOBAL_OPTIONS,
};

const GhCommand *
gh_ctl_get_command (void)
{
  return &ctl_command;
}
