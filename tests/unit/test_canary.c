/* test_canary.c: encryption at rest, shown on the files themselves
** (SECURITY.md D2, F2; issue 3).  A unique canary sealed with
** crypt_seal is absent from the SQLite database file, its WAL and a
** backup, while crypt_open of the stored blob gives it back; the same
** canary stored in clear is found in each (so the scan can fail); and a
** row deleted under secure_delete leaves no copy after a checkpoint. */
#include "unit.h"

#include <stdio.h>
#include <sys/stat.h>

#include "auth/crypto.h"

#define AAD "canary_note.body:1"

typedef struct Fx {
  char *dir, *db_path, *wal_path, *key_path;
  Db *db;
  Keys k;
  char canary[80]; /* unique per run: "jixun-canary-<32 hex>" */
} Fx;

/* The whole file at path (empty when it does not exist). */
static void slurp(const char *path, Buf *out) {
  buf_clear(out);
  FILE *f = fopen(path, "rb");
  if (!f) return;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, n);
  fclose(f);
}

static int contains(const Buf *hay, const void *needle, size_t m) {
  if (m == 0 || hay->len < m) return 0;
  return memmem(hay->p, hay->len, needle, m) != NULL;
}

/* Does the file at path hold the canary? */
static int file_has(const char *path, const void *needle, size_t m) {
  Buf b = BUF_INIT;
  slurp(path, &b);
  int r = contains(&b, needle, m);
  buf_release(&b);
  return r;
}

static off_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

static void exec_ok(Db *db, const char *sql) {
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

static int setup(void **state) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  unsigned char r[16];
  char hex[33];
  fx->dir = unit_tmpdir();
  fx->db_path = xasprintf("%s/canary.db", fx->dir);
  fx->wal_path = xasprintf("%s/canary.db-wal", fx->dir);
  fx->key_path = xasprintf("%s/canary.key", fx->dir);
  /* Real keys from a real key file, as `jixun init` makes them. */
  if (keyfile_create(fx->key_path, &err) != 0 ||
      keyfile_load(fx->key_path, &fx->k, &err) != 0)
    fail_msg("key file: %s", buf_str(&err));
  random_token(r, sizeof r);
  token_hex(r, sizeof r, hex);
  snprintf(fx->canary, sizeof fx->canary, "jixun-canary-%s", hex);
  if (db_open(fx->db_path, &fx->db, &err) != DB_OK)
    fail_msg("db_open: %s", buf_str(&err));
  exec_ok(fx->db, "CREATE TABLE canary_note ("
                  "id INTEGER PRIMARY KEY, body_sealed BLOB, body TEXT)");
  buf_release(&err);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  Fx *fx = *state;
  db_close(fx->db);
  keys_wipe(&fx->k);
  unit_rmtree(fx->dir);
  free(fx->dir);
  free(fx->db_path);
  free(fx->wal_path);
  free(fx->key_path);
  free(fx);
  return 0;
}

/* Insert the sealed canary as row id; the sealed bytes go to out. */
static void insert_sealed(Fx *fx, int64_t id, Buf *out) {
  crypt_seal(&fx->k, fx->canary, strlen(fx->canary), AAD, out);
  Stmt *st = db_prepare(fx->db, "INSERT INTO canary_note (id, body_sealed) "
                                "VALUES (?, ?)");
  assert_non_null(st);
  db_bind_int64(st, 1, id);
  db_bind_blob(st, 2, out->p, out->len);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
}

static void insert_clear(Fx *fx, int64_t id) {
  Stmt *st =
      db_prepare(fx->db, "INSERT INTO canary_note (id, body) VALUES (?, ?)");
  assert_non_null(st);
  db_bind_int64(st, 1, id);
  db_bind_text(st, 2, fx->canary);
  assert_int_equal(db_step(st), DB_DONE);
  db_finalize(st);
}

static void test_sealed_canary_absent(void **state) {
  Fx *fx = *state;
  const size_t clen = strlen(fx->canary);
  const char *tail = fx->canary + strlen("jixun-canary-"); /* the random part */
  Buf sealed = BUF_INIT, pt = BUF_INIT, file = BUF_INIT;
  insert_sealed(fx, 1, &sealed);
  assert_int_equal(sealed.len, SEAL_OVERHEAD + clen);

  /* The connection stays open, so the committed row sits in the WAL. */
  slurp(fx->wal_path, &file);
  assert_true(file.len > 0);
  assert_true(contains(&file, sealed.p, sealed.len)); /* the row is there */
  assert_false(contains(&file, fx->canary, clen));
  assert_false(contains(&file, tail, strlen(tail)));
  slurp(fx->db_path, &file);
  assert_false(contains(&file, fx->canary, clen));
  assert_false(contains(&file, tail, strlen(tail)));

  /* Read back through the database: crypt_open gives the canary. */
  Stmt *st = db_prepare(fx->db, "SELECT body_sealed FROM canary_note "
                                "WHERE id = 1");
  assert_non_null(st);
  assert_int_equal(db_step(st), DB_ROW);
  size_t n = 0;
  const void *blob = db_column_blob(st, 0, &n);
  assert_int_equal(crypt_open(&fx->k, blob, n, AAD, &pt), 0);
  assert_int_equal(pt.len, clen);
  assert_memory_equal(pt.p, fx->canary, clen);
  /* Bound to its place: another aad does not open it. */
  buf_clear(&pt);
  assert_int_equal(crypt_open(&fx->k, blob, n, "canary_note.body:2", &pt), -1);
  db_finalize(st);

  /* A backup (SQLite's online copy, taken while the WAL holds the row). */
  char *bk = xasprintf("%s/backup.db", fx->dir);
  Buf err = BUF_INIT;
  assert_int_equal(db_backup(fx->db, bk, &err), DB_OK);
  slurp(bk, &file);
  assert_true(file.len > 0);
  assert_true(contains(&file, sealed.p, sealed.len));
  assert_false(contains(&file, fx->canary, clen));
  assert_false(contains(&file, tail, strlen(tail)));

  /* After a checkpoint the row is in the database file: still sealed. */
  exec_ok(fx->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  slurp(fx->db_path, &file);
  assert_true(contains(&file, sealed.p, sealed.len));
  assert_false(contains(&file, fx->canary, clen));
  assert_false(contains(&file, tail, strlen(tail)));

  /* Control: the same canary in clear is found in the WAL, the database
  ** file after a checkpoint, and a backup — the scan above can fail. */
  insert_clear(fx, 2);
  assert_true(file_has(fx->wal_path, fx->canary, clen));
  char *bk2 = xasprintf("%s/backup2.db", fx->dir);
  assert_int_equal(db_backup(fx->db, bk2, &err), DB_OK);
  assert_true(file_has(bk2, fx->canary, clen));
  exec_ok(fx->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  assert_true(file_has(fx->db_path, fx->canary, clen));

  free(bk);
  free(bk2);
  buf_release(&err);
  buf_release(&sealed);
  buf_release(&pt);
  buf_release(&file);
}

/* F2: a deleted clear-text row leaves no copy in the database file or
** the WAL once checkpointed (secure_delete=ON overwrites the cell). */
static void test_deleted_canary_gone(void **state) {
  Fx *fx = *state;
  const size_t clen = strlen(fx->canary);
  insert_clear(fx, 3);
  exec_ok(fx->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  assert_true(file_has(fx->db_path, fx->canary, clen)); /* control */
  exec_ok(fx->db, "DELETE FROM canary_note WHERE id = 3");
  exec_ok(fx->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  assert_false(file_has(fx->db_path, fx->canary, clen));
  assert_false(file_has(fx->wal_path, fx->canary, clen));
  assert_true(file_size(fx->wal_path) <= 0);
}

/* The key file is a separate 0600 file; neither key is in the database
** (as hex text or raw bytes), nor in a backup. */
static void test_keys_not_in_database(void **state) {
  Fx *fx = *state;
  Buf sealed = BUF_INIT, err = BUF_INIT;
  struct stat st;
  char hex[2][2 * KEY_BYTES + 1];
  assert_int_equal(stat(fx->key_path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  insert_sealed(fx, 4, &sealed);
  char *bk = xasprintf("%s/backup-keys.db", fx->dir);
  assert_int_equal(db_backup(fx->db, bk, &err), DB_OK);
  token_hex(fx->k.audit_mac_key, KEY_BYTES, hex[0]);
  token_hex(fx->k.data_key, KEY_BYTES, hex[1]);
  const char *files[] = {fx->db_path, fx->wal_path, bk};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    assert_false(file_has(files[i], hex[0], strlen(hex[0])));
    assert_false(file_has(files[i], hex[1], strlen(hex[1])));
    assert_false(file_has(files[i], fx->k.audit_mac_key, KEY_BYTES));
    assert_false(file_has(files[i], fx->k.data_key, KEY_BYTES));
  }
  assert_true(file_has(fx->key_path, hex[1], strlen(hex[1]))); /* control */
  sodium_memzero(hex, sizeof hex);
  free(bk);
  buf_release(&sealed);
  buf_release(&err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sealed_canary_absent, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_deleted_canary_gone, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_keys_not_in_database, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
