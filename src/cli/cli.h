/* cli.h: the command-line commands of the one jixun binary.
**
** main.c holds the command table (name, handler, usage) as the single
** source of truth; each command lives in a cli/cmd_*.c file beside the
** modules it drives, sharing the same store/auth/audit layers as the web.
*/
#ifndef JX_CLI_H
#define JX_CLI_H

#include "auth/crypto.h"
#include "store/store.h"

/* A command gets argv after its own name (argv[0] is the command name).
** Return the process exit status: 0 ok, 1 failure, 2 usage error. */
typedef int (*CliRun)(int argc, char **argv);

typedef struct CliCommand {
  const char *name;    /* "serve", "audit" … */
  CliRun run;          /* handler */
  const char *usage;   /* one line: arguments after the name */
  const char *summary; /* Chinese one-liner for `jixun help` */
} CliCommand;

/* Options common to commands.  cli_parse walks argv; flags the command
** doesn't declare are a usage error (exit 2). */
typedef struct CliOpt {
  const char *name;   /* "--db" */
  int takes_value;    /* 1 when followed by a value */
  const char **value; /* where the value (or "1" for a flag) goes */
} CliOpt;

/* Parse argv[1..argc) against opts; positional arguments go to pos (up to
** npos, NULL-terminated count in *npos_out).  Prints the error and usage
** on stderr and returns -1 on an unknown flag or a missing value. */
int cli_parse(int argc, char **argv, const CliOpt *opts, const char **pos,
              int npos, int *npos_out, const char *usage);

/* The database location: --db value, else $JIXUN_DB, else "jixun.db". */
const char *cli_db_location(const char *flag_value);
/* Open and (when migrate is set) migrate; prints a Chinese error and
** returns NULL on failure. */
Db *cli_open_db(const char *location, int migrate);
/* The key file for a database location: $JIXUN_KEY, else "<path>.key"
** for SQLite, else "jixun.key".  Caller frees. */
char *cli_key_path(const char *db_location, const char *flag_value);

/* Load the key file of a database location (--key value or default);
** prints a Chinese error.  0 or -1.  Commands that change anything need
** it: their audit record is written with the audit key. */
int cli_load_keys(const char *loc, const char *keyflag, Keys *k);
/* cli_load_keys, then cli_open_db(loc, 1); NULL (keys wiped) on failure. */
Db *cli_open_db_keys(const char *loc, const char *keyflag, Keys *k);
/* Append one audit event for a CLI action (source "cli") inside db's open
** transaction, or in one of its own.  DB_OK or a DB_E* code (printed). */
int cli_audit(Db *db, const Keys *k, const char *login, int64_t user_id,
              const char *action, const char *object_type, int64_t object_id,
              int outcome, const char *summary);

#endif
