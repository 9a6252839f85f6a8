/* audit.c: appending to, verifying, purging and searching the audit
** chain (see audit.h for the design). */
#include "audit/audit.h"

#include <stdlib.h>

#define ROW_LABEL "jixun-audit-row-v1"
#define HEAD_LABEL "jixun-audit-head-v1"
#define PAGE_ROWS 1000      /* rows per query while walking the chain */
#define SHORT_FIELD_MAX 200 /* bytes kept of login, role, action … */
#define SUMMARY_MAX 4000    /* bytes kept of a summary */
#define VERIFY_ATTEMPTS 3   /* restarts when a purge races a verify */

/* ---- canonical encoding ---- */

/* The values a row's mac covers, as stored. */
typedef struct ChainRow {
  int64_t id, at, user_id;
  const char *login, *role, *source, *action, *object_type;
  int64_t object_id;
  const char *outcome, *summary;
} ChainRow;

static void put_u64(HmacSm3 *h, int64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
  hmac_sm3_update(h, b, sizeof b);
}

/* Length-prefixed, so no two field lists encode alike. */
static void put_str(HmacSm3 *h, const char *s) {
  if (!s) s = "";
  size_t n = strlen(s);
  put_u64(h, (int64_t)n);
  hmac_sm3_update(h, s, n);
}

static void row_mac(const Keys *k, const unsigned char prev[SM3_BYTES],
                    const ChainRow *r, unsigned char out[SM3_BYTES]) {
  HmacSm3 *h = hmac_sm3_new(k->audit_mac_key, KEY_BYTES);
  hmac_sm3_update(h, ROW_LABEL, sizeof ROW_LABEL); /* with its NUL */
  hmac_sm3_update(h, prev, SM3_BYTES);
  put_u64(h, r->id);
  put_u64(h, r->at);
  put_u64(h, r->user_id);
  put_str(h, r->login);
  put_str(h, r->role);
  put_str(h, r->source);
  put_str(h, r->action);
  put_str(h, r->object_type);
  put_u64(h, r->object_id);
  put_str(h, r->outcome);
  put_str(h, r->summary);
  hmac_sm3_final(h, out);
  hmac_sm3_free(h);
}

/* ---- audit_head ---- */

typedef struct Head {
  int64_t first_id;                    /* lowest id kept */
  unsigned char first_prev[SM3_BYTES]; /* mac before first_id (zeros: none) */
  int64_t last_id;                     /* highest id (first_id - 1: empty) */
  unsigned char last_mac[SM3_BYTES];   /* mac of last_id (zeros: none) */
  unsigned char mac[SM3_BYTES];        /* stored head tag */
  int has_mac;                         /* 0 before the first append */
  int malformed;                       /* a mac column is not 32 bytes */
} Head;

static void head_tag(const Keys *k, const Head *h,
                     unsigned char out[SM3_BYTES]) {
  HmacSm3 *m = hmac_sm3_new(k->audit_mac_key, KEY_BYTES);
  hmac_sm3_update(m, HEAD_LABEL, sizeof HEAD_LABEL);
  put_u64(m, h->first_id);
  hmac_sm3_update(m, h->first_prev, SM3_BYTES);
  put_u64(m, h->last_id);
  hmac_sm3_update(m, h->last_mac, SM3_BYTES);
  hmac_sm3_final(m, out);
  hmac_sm3_free(m);
}

/* Copy a 32-byte mac column; NULL gives zeros.  0, or -1 if malformed. */
static int read_mac(Stmt *st, int col, unsigned char out[SM3_BYTES],
                    int *was_null) {
  size_t n = 0;
  const void *p = db_column_blob(st, col, &n);
  if (was_null) *was_null = p == NULL;
  if (!p) {
    memset(out, 0, SM3_BYTES);
    return 0;
  }
  if (n != SM3_BYTES) {
    memset(out, 0, SM3_BYTES);
    return -1;
  }
  memcpy(out, p, SM3_BYTES);
  return 0;
}

/* Read the head from a statement positioned on its row (columns as in
** AUDIT_HEAD_GET). */
static void head_from_row(Stmt *st, Head *h) {
  int null_mac = 0;
  memset(h, 0, sizeof *h);
  h->first_id = db_column_int64(st, 0);
  h->last_id = db_column_int64(st, 2);
  h->malformed |= read_mac(st, 1, h->first_prev, NULL);
  h->malformed |= read_mac(st, 3, h->last_mac, NULL);
  h->malformed |= read_mac(st, 4, h->mac, &null_mac);
  h->has_mac = !null_mac;
}

/* Is h authentic?  Before the first append the head has no tag and
** must then describe the empty chain. */
static int head_valid(const Keys *k, const Head *h) {
  static const unsigned char zero[SM3_BYTES];
  if (h->malformed || h->last_id < h->first_id - 1) return 0;
  if (!h->has_mac)
    return h->first_id == 1 && h->last_id == 0 &&
           mem_ct_cmp(h->first_prev, zero, SM3_BYTES) == 0 &&
           mem_ct_cmp(h->last_mac, zero, SM3_BYTES) == 0;
  unsigned char want[SM3_BYTES];
  head_tag(k, h, want);
  return mem_ct_cmp(want, h->mac, SM3_BYTES) == 0;
}

/* Take the head's row lock (creating the head on the very first append)
** and read it.  Needs an open transaction.  DB_OK or DB_E*. */
static int head_lock(Db *db, Head *h) {
  for (int attempt = 0; attempt < 2; attempt++) {
    Stmt *st = db_stmt(db, STMT_AUDIT_HEAD_LOCK);
    if (!st) return DB_EERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
      head_from_row(st, h);
      db_reset(st);
      return DB_OK;
    }
    db_reset(st);
    if (rc != DB_DONE) return rc;
    /* No head yet.  ON CONFLICT DO NOTHING: a concurrent first append on
    ** PostgreSQL waits for the other to commit, then finds its row. */
    st = db_stmt(db, STMT_AUDIT_HEAD_CREATE);
    if (!st) return DB_EERROR;
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) return rc;
  }
  return DB_EERROR;
}

/* Store h with a fresh tag.  DB_OK or DB_E*. */
static int head_put(Db *db, const Keys *k, Head *h) {
  head_tag(k, h, h->mac);
  h->has_mac = 1;
  Stmt *st = db_stmt(db, STMT_AUDIT_HEAD_PUT);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, h->first_id);
  db_bind_blob(st, 2, h->first_prev, SM3_BYTES);
  db_bind_int64(st, 3, h->last_id);
  db_bind_blob(st, 4, h->last_mac, SM3_BYTES);
  db_bind_blob(st, 5, h->mac, SM3_BYTES);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return rc;
  if (db_changes(db) != 1) return DB_EERROR;
  return DB_OK;
}

/* ---- text hygiene ---- */

/* Bytes of the UTF-8 sequence at s[0..n) and its code point, or 0 when
** it is not well-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp) {
  size_t len = s[0] < 0x80                    ? 1
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;
  if (!len || len > n || !utf8_valid((const char *)s, len)) return 0;
  uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
  for (size_t i = 1; i < len; i++) c = c << 6 | (s[i] & 0x3F);
  *cp = c;
  return len;
}

/* Characters that could forge a line or reorder text on display: C0 and
** C1 controls, DEL, line/paragraph separators, bidi overrides. */
static int is_control(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* A copy of s (NULL: "") with invalid UTF-8 and control characters
** written as \xNN per byte; when longer than max bytes, cut at a
** character boundary and marked with "…".  Caller frees. */
static char *clean_text(const char *s, size_t max) {
  static const char more[] = "…";
  Buf b = BUF_INIT;
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t n = strlen((const char *)p), cut = 0;
  for (size_t i = 0; i < n && b.len <= max;) {
    uint32_t cp = 0;
    size_t len = utf8_seq(p + i, n - i, &cp);
    if (len && !is_control(cp)) {
      buf_append(&b, p + i, len);
    } else {
      if (!len) len = 1;
      for (size_t j = 0; j < len; j++) buf_printf(&b, "\\x%02x", p[i + j]);
    }
    i += len;
    if (b.len + strlen(more) <= max) cut = b.len;
  }
  if (b.len > max) {
    b.len = cut;
    buf_puts(&b, more);
  }
  return buf_detach(&b);
}

const char *audit_outcome_name(AuditOutcome o) {
  switch (o) {
  case AUDIT_OK:
    return "ok";
  case AUDIT_DENIED:
    return "denied";
  case AUDIT_FAILED:
    return "failed";
  }
  return "";
}

static AuditOutcome outcome_parse(const char *s) {
  if (str_eq(s, "ok")) return AUDIT_OK;
  if (str_eq(s, "denied")) return AUDIT_DENIED;
  if (str_eq(s, "failed")) return AUDIT_FAILED;
  return 0;
}

/* ---- append ---- */

/* Append ev under the lock; the transaction is the caller's. */
static int append_locked(Db *db, const Keys *k, const AuditEvent *ev) {
  Head h;
  int rc = head_lock(db, &h);
  if (rc != DB_OK) return rc;
  if (!head_valid(k, &h)) {
    log_error("audit: audit_head fails its tag; run 'jixun audit verify'");
    return DB_EERROR;
  }
  char *login = clean_text(ev->login, SHORT_FIELD_MAX);
  char *role = clean_text(ev->role, SHORT_FIELD_MAX);
  char *source = clean_text(ev->source, SHORT_FIELD_MAX);
  char *action = clean_text(ev->action, SHORT_FIELD_MAX);
  char *otype = clean_text(ev->object_type, SHORT_FIELD_MAX);
  char *summary = clean_text(ev->summary, SUMMARY_MAX);
  ChainRow r = {.id = h.last_id + 1,
                .at = jx_now(),
                .user_id = ev->user_id,
                .login = login,
                .role = role,
                .source = source,
                .action = action,
                .object_type = otype,
                .object_id = ev->object_id,
                .outcome = audit_outcome_name(ev->outcome),
                .summary = summary};
  unsigned char mac[SM3_BYTES];
  row_mac(k, h.last_mac, &r, mac);

  Stmt *st = db_stmt(db, STMT_AUDIT_INSERT);
  rc = st ? DB_OK : DB_EERROR;
  if (st) {
    db_bind_int64(st, 1, r.id);
    db_bind_int64(st, 2, r.at);
    db_bind_int64(st, 3, r.user_id);
    db_bind_text(st, 4, r.login);
    db_bind_text(st, 5, r.role);
    db_bind_text(st, 6, r.source);
    db_bind_text(st, 7, r.action);
    db_bind_text(st, 8, r.object_type);
    db_bind_int64(st, 9, r.object_id);
    db_bind_text(st, 10, r.outcome);
    db_bind_text(st, 11, r.summary);
    db_bind_blob(st, 12, h.last_mac, SM3_BYTES);
    db_bind_blob(st, 13, mac, SM3_BYTES);
    rc = db_step(st);
    db_reset(st);
    rc = rc == DB_DONE ? DB_OK : rc;
  }
  if (rc == DB_OK) {
    h.last_id = r.id;
    memcpy(h.last_mac, mac, SM3_BYTES);
    rc = head_put(db, k, &h);
  }
  free(login), free(role), free(source), free(action), free(otype);
  free(summary);
  return rc;
}

int audit_append(Db *db, const Keys *k, const AuditEvent *ev) {
  if (!ev || !ev->action || !*ev->action || !*audit_outcome_name(ev->outcome)) {
    log_error("audit: refused an event without action or outcome");
    return DB_EERROR;
  }
  int own = !db_in_transaction(db);
  int rc = own ? db_begin(db) : DB_OK;
  if (rc == DB_OK) rc = append_locked(db, k, ev);
  if (own) {
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
  }
  if (rc != DB_OK) {
    Buf msg = BUF_INIT;
    log_escape(&msg, ev->action);
    log_error("audit: cannot record \"%s\" (code %d; database: %s)",
              buf_str(&msg), rc, db_errmsg(db));
    buf_release(&msg);
  }
  return rc;
}

/* ---- walking the chain ---- */

/* What went wrong, for audit_verify's caller. */
typedef struct Break {
  int64_t id; /* first bad row, 0 for the head */
  Buf *why;   /* Chinese explanation */
} Break;

/* Check that rows from..to (inclusive) exist, consecutive, each linked
** to the previous mac (starting from *chain) and carrying its own mac.
** On success *chain is the mac of row `to` and *count grows by the rows
** checked.  Returns 0, 1 when broken (b filled in), -1 on a database
** error. */
static int walk(Db *db, const Keys *k, int64_t from, int64_t to,
                unsigned char chain[SM3_BYTES], int64_t *count, Break *b) {
  int64_t next = from;
  while (next <= to) {
    int64_t want = to - next + 1 < PAGE_ROWS ? to - next + 1 : PAGE_ROWS;
    Stmt *st = db_stmt(db, STMT_AUDIT_CHAIN_PAGE);
    if (!st) return -1;
    db_bind_int64(st, 1, next);
    db_bind_int64(st, 2, want);
    int rc = DB_DONE, got = 0, bad = 0;
    while (!bad && (rc = db_step(st)) == DB_ROW) {
      got++;
      ChainRow r = {.id = db_column_int64(st, 0),
                    .at = db_column_int64(st, 1),
                    .user_id = db_column_int64(st, 2),
                    .login = db_column_text(st, 3),
                    .role = db_column_text(st, 4),
                    .source = db_column_text(st, 5),
                    .action = db_column_text(st, 6),
                    .object_type = db_column_text(st, 7),
                    .object_id = db_column_int64(st, 8),
                    .outcome = db_column_text(st, 9),
                    .summary = db_column_text(st, 10)};
      unsigned char prev[SM3_BYTES], mac[SM3_BYTES], want_mac[SM3_BYTES];
      if (r.id != next) {
        b->id = next;
        buf_printf(b->why, "第 %lld 条记录缺失（记录被删除）", (long long)next);
        bad = 1;
      } else if (read_mac(st, 11, prev, NULL) != 0 ||
                 read_mac(st, 12, mac, NULL) != 0 ||
                 db_column_is_null(st, 11) || db_column_is_null(st, 12)) {
        b->id = r.id;
        buf_puts(b->why, "校验值字段损坏");
        bad = 1;
      } else if (mem_ct_cmp(prev, chain, SM3_BYTES) != 0) {
        b->id = r.id;
        buf_puts(b->why, "与前一条记录的链接不符（记录被删除、插入或调换）");
        bad = 1;
      } else {
        row_mac(k, prev, &r, want_mac);
        if (mem_ct_cmp(want_mac, mac, SM3_BYTES) != 0) {
          b->id = r.id;
          buf_puts(b->why, "记录内容与校验值不符（记录被改动）");
          bad = 1;
        } else {
          memcpy(chain, mac, SM3_BYTES);
          (*count)++;
          next++;
        }
      }
    }
    db_reset(st);
    if (bad) return 1;
    if (rc != DB_DONE && rc != DB_ROW) {
      buf_printf(b->why, "读取审计记录失败：%s", db_errmsg(db));
      return -1;
    }
    if (got == 0) { /* rows next..to are gone: the tail was cut off */
      b->id = next;
      if (next == to)
        buf_printf(b->why, "第 %lld 条记录缺失（链尾被截断）", (long long)next);
      else
        buf_printf(b->why, "第 %lld 至 %lld 条记录缺失（链尾被截断）",
                   (long long)next, (long long)to);
      return 1;
    }
  }
  return 0;
}

/* Read the head; 1 when there is one, 0 when none, -1 on error. */
static int head_get(Db *db, Head *h) {
  Stmt *st = db_stmt(db, STMT_AUDIT_HEAD_GET);
  if (!st) return -1;
  int rc = db_step(st);
  if (rc == DB_ROW) head_from_row(st, h);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The id of the first row with id >= from: 1 and *id set, 0 when none,
** -1 on error. */
static int first_row_from(Db *db, int64_t from, int64_t *id) {
  Stmt *st = db_stmt(db, STMT_AUDIT_CHAIN_PAGE);
  if (!st) return -1;
  db_bind_int64(st, 1, from);
  db_bind_int64(st, 2, 1);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* One pass of audit_verify.  Returns 0 intact, 1 broken, -1 error, 2 when
** the head's start moved under us (a purge ran): try again. */
static int verify_pass(Db *db, const Keys *k, int64_t *rows, Break *b) {
  Head h, h2;
  int64_t id = 0;
  *rows = 0;
  int have = head_get(db, &h);
  if (have < 0) goto dberr;
  if (have == 0) {
    int any = first_row_from(db, INT64_MIN, &id);
    if (any < 0) goto dberr;
    if (any == 0) return 0; /* nothing recorded yet */
    b->id = id;
    buf_puts(b->why, "链头（audit_head）缺失，但存在审计记录");
    return 1;
  }
  if (!head_valid(k, &h)) {
    b->id = 0;
    buf_puts(b->why,
             "链头（audit_head）校验值不符：链头被改动，或密钥不是本库的");
    return 1;
  }
  /* Nothing may sit below the chain's start. */
  int any = first_row_from(db, INT64_MIN, &id);
  if (any < 0) goto dberr;
  if (any && id < h.first_id) {
    b->id = id;
    buf_printf(b->why, "第 %lld 条记录位于链首（第 %lld 条）之前，不应存在",
               (long long)id, (long long)h.first_id);
    return 1;
  }
  unsigned char chain[SM3_BYTES];
  memcpy(chain, h.first_prev, SM3_BYTES);
  int64_t from = h.first_id;
  for (;;) {
    int w = walk(db, k, from, h.last_id, chain, rows, b);
    if (w == 1 && head_get(db, &h2) == 1 && h2.first_id != h.first_id)
      return 2; /* a purge removed rows as we read them */
    if (w != 0) return w;
    if (mem_ct_cmp(chain, h.last_mac, SM3_BYTES) != 0) {
      b->id = h.last_id;
      buf_puts(b->why, "链尾记录与链头登记的校验值不符");
      return 1;
    }
    from = h.last_id + 1;
    /* Appends committed meanwhile: follow them under the newer head. */
    int again = head_get(db, &h2);
    if (again < 0) goto dberr;
    if (again == 0 || !head_valid(k, &h2)) {
      b->id = 0;
      buf_puts(b->why, "链头（audit_head）在校验过程中被删除或改动");
      return 1;
    }
    if (h2.first_id != h.first_id) return 2;
    if (h2.last_id > h.last_id) {
      h = h2;
      continue;
    }
    /* Rows past the head's last id were never registered in the head. */
    any = first_row_from(db, from, &id);
    if (any < 0) goto dberr;
    if (any) {
      if (head_get(db, &h2) == 1 && head_valid(k, &h2) &&
          h2.last_id > h.last_id && h2.first_id == h.first_id) {
        h = h2;
        continue;
      }
      b->id = id;
      buf_printf(b->why, "第 %lld 条记录在链尾（第 %lld 条）之后，未登记于链头",
                 (long long)id, (long long)h.last_id);
      return 1;
    }
    return 0;
  }
dberr:
  buf_printf(b->why, "读取审计记录失败：%s", db_errmsg(db));
  return -1;
}

int audit_verify(Db *db, const Keys *k, int64_t *rows, int64_t *first_bad,
                 Buf *why) {
  int64_t n = 0;
  Break b = {0, why};
  size_t mark = why->len;
  int rc = 2;
  for (int attempt = 0; rc == 2 && attempt < VERIFY_ATTEMPTS; attempt++) {
    why->len = mark; /* forget the previous attempt's explanation */
    if (why->p) why->p[mark] = 0;
    b.id = 0;
    rc = verify_pass(db, k, &n, &b);
  }
  if (rc == 2) {
    buf_puts(why, "审计记录在校验过程中被清理，请重试");
    rc = -1;
  }
  if (rows) *rows = n;
  if (first_bad) *first_bad = rc == 1 ? b.id : 0;
  return rc;
}

int audit_checkpoint(Db *db, int64_t *last_id, char last_mac_hex[65]) {
  Head h;
  int have = head_get(db, &h);
  if (have < 0) return DB_EERROR;
  if (have == 0) memset(&h, 0, sizeof h);
  *last_id = h.last_id;
  token_hex(h.last_mac, SM3_BYTES, last_mac_hex);
  return DB_OK;
}

/* ---- retention ---- */

int audit_purge_before(Db *db, const Keys *k, jx_time cutoff,
                       const AuditEvent *actor, int64_t *purged) {
  jx_time newest = jx_now() - (jx_time)AUDIT_KEEP_DAYS * 86400;
  char when[21];
  if (purged) *purged = 0;
  time_iso(cutoff, when);
  if (cutoff > newest) {
    log_error("audit: purge refused: cutoff %s is within %d days", when,
              AUDIT_KEEP_DAYS);
    return DB_EDENIED;
  }
  if (db_in_transaction(db)) {
    log_error("audit: purge must run in its own transaction");
    return DB_EERROR;
  }
  int rc = db_begin(db);
  if (rc != DB_OK) return rc;
  Head h;
  int64_t bound = 0, count = 0;
  rc = head_lock(db, &h);
  if (rc == DB_OK && !head_valid(k, &h)) {
    log_error("audit: audit_head fails its tag; run 'jixun audit verify'");
    rc = DB_EERROR;
  }
  if (rc == DB_OK) {
    /* The first row at or after cutoff bounds the prefix: every row
    ** below it is older than cutoff, whatever the clocks did. */
    Stmt *st = db_stmt(db, STMT_AUDIT_PURGE_BOUND);
    rc = DB_EERROR;
    if (st) {
      db_bind_int64(st, 1, cutoff);
      rc = db_step(st);
    }
    if (rc == DB_ROW) {
      bound = db_column_is_null(st, 0) ? h.last_id + 1 : db_column_int64(st, 0);
      rc = DB_OK;
    }
    if (st) db_reset(st);
  }
  if (rc == DB_OK && bound > h.first_id) {
    /* Check what is about to go: a purge must not destroy evidence of
    ** tampering. */
    unsigned char chain[SM3_BYTES];
    Buf why = BUF_INIT;
    Break b = {0, &why};
    memcpy(chain, h.first_prev, SM3_BYTES);
    int w = walk(db, k, h.first_id, bound - 1, chain, &count, &b);
    if (w != 0) {
      log_error("audit: chain broken at row %lld; purge refused",
                (long long)b.id);
      rc = DB_EERROR;
    }
    buf_release(&why);
    if (rc == DB_OK) {
      int64_t old_first = h.first_id;
      h.first_id = bound;
      memcpy(h.first_prev, chain, SM3_BYTES);
      rc = head_put(db, k, &h); /* first: the delete guard reads first_id */
      if (rc == DB_OK) {
        Stmt *st = db_stmt(db, STMT_AUDIT_PURGE_DELETE);
        rc = DB_EERROR;
        if (st) {
          db_bind_int64(st, 1, bound);
          rc = db_step(st);
          db_reset(st);
        }
        if (rc == DB_DONE) rc = DB_OK;
        if (rc == DB_OK && db_changes(db) != bound - old_first) {
          log_error("audit: purge deleted an unexpected number of rows");
          rc = DB_EERROR;
        }
      }
    }
  }
  if (rc == DB_OK) {
    Buf sum = BUF_INIT;
    buf_printf(&sum, "清理 %lld 条早于 %s 的审计记录", (long long)count, when);
    if (count)
      buf_printf(&sum, "（第 %lld 至 %lld 条）", (long long)(bound - count),
                 (long long)(bound - 1));
    AuditEvent ev = actor ? *actor : (AuditEvent){0};
    ev.action = "audit.purge";
    ev.object_type = "audit_log";
    ev.object_id = 0;
    ev.outcome = AUDIT_OK;
    ev.summary = buf_str(&sum);
    rc = append_locked(db, k, &ev);
    buf_release(&sum);
  }
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) {
    log_error("audit: purge before %s failed (code %d; database: %s)", when, rc,
              db_errmsg(db));
    db_rollback(db);
    return rc;
  }
  if (purged) *purged = count;
  log_info("audit: purged %lld rows older than %s", (long long)count, when);
  return DB_OK;
}

/* ---- search ---- */

/* Bind f's filters to AUDIT_SEARCH / AUDIT_COUNT (same first 14). */
static void bind_filter(Stmt *st, const AuditFilter *f) {
  const char *login = f->login ? f->login : "";
  const char *action = f->action ? f->action : "";
  const char *otype = f->object_type ? f->object_type : "";
  const char *outcome = audit_outcome_name(f->outcome);
  db_bind_int64(st, 1, f->user_id);
  db_bind_int64(st, 2, f->user_id);
  db_bind_text(st, 3, login);
  db_bind_text(st, 4, login);
  db_bind_text(st, 5, action);
  db_bind_text(st, 6, action);
  db_bind_text(st, 7, otype);
  db_bind_text(st, 8, otype);
  db_bind_int64(st, 9, f->object_id);
  db_bind_int64(st, 10, f->object_id);
  db_bind_text(st, 11, outcome);
  db_bind_text(st, 12, outcome);
  db_bind_int64(st, 13, f->from);
  db_bind_int64(st, 14, f->to > 0 ? f->to : INT64_MAX);
}

static char *col_dup(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

int audit_search(Db *db, const AuditFilter *f, AuditRow **rows, size_t *n,
                 int64_t *total) {
  AuditRow *out = NULL;
  size_t count = 0, cap = 0;
  int64_t limit = f->limit > 0 ? f->limit : AUDIT_SEARCH_DEFAULT;
  if (limit > AUDIT_SEARCH_MAX) limit = AUDIT_SEARCH_MAX;
  *rows = NULL;
  *n = 0;
  if (total) {
    Stmt *st = db_stmt(db, STMT_AUDIT_COUNT);
    if (!st) return DB_EERROR;
    bind_filter(st, f);
    int rc = db_step(st);
    if (rc == DB_ROW) *total = db_column_int64(st, 0);
    db_reset(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_EERROR : rc;
  }
  int open_ended = f->to <= 0 || f->to > jx_now();
  Stmt *st = db_stmt(db, open_ended ? STMT_AUDIT_SEARCH_NEWEST
                                    : STMT_AUDIT_SEARCH);
  if (!st) return DB_EERROR;
  bind_filter(st, f);
  db_bind_int64(st, 15, limit);
  db_bind_int64(st, 16, f->offset > 0 ? f->offset : 0);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (count == cap) {
      cap = cap ? 2 * cap : 16;
      out = xrealloc(out, cap * sizeof *out);
    }
    AuditRow *r = &out[count++];
    r->id = db_column_int64(st, 0);
    r->at = db_column_int64(st, 1);
    r->user_id = db_column_int64(st, 2);
    r->login = col_dup(st, 3);
    r->role = col_dup(st, 4);
    r->source = col_dup(st, 5);
    r->action = col_dup(st, 6);
    r->object_type = col_dup(st, 7);
    r->object_id = db_column_int64(st, 8);
    r->outcome = outcome_parse(db_column_text(st, 9));
    r->summary = col_dup(st, 10);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    audit_rows_free(out, count);
    return rc;
  }
  *rows = out ? out : xcalloc(1, sizeof *out);
  *n = count;
  return DB_OK;
}

void audit_rows_free(AuditRow *rows, size_t n) {
  if (!rows) return;
  for (size_t i = 0; i < n; i++) {
    free(rows[i].login);
    free(rows[i].role);
    free(rows[i].source);
    free(rows[i].action);
    free(rows[i].object_type);
    free(rows[i].summary);
  }
  free(rows);
}
