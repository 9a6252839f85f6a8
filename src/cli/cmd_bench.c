/* cmd_bench.c: `jixun bench-data` — many problem clues, fast, for the
** benchmarks (bench/bench.sh), never for real use.
**
** Rows go straight into the tables, 25 per INSERT, in one transaction —
** not through clue_create / clue_act, which would take hours for a
** million clues — shaped like what the flow writes: a realistic mix of
** states with their dates, persons (被反映人), the denormalised counts,
** next_due_on, and the access lists the flow would have made: the
** creating team member ('clue'), the jurisdiction's inspection office
** ('clue_status' after transfer), the 案管室 ('clue', transferred to the
** commission) and the handling office ('clue', once assigned).  The
** clues hang on the demo's rounds, teams and accounts, so the database
** must hold the demo (`jixun demo`) first.  Deadline rows (clue_due) are
** not written: the ledger and the figures read next_due_on.
** Explicit ids keep it simple, so SQLite only (PostgreSQL's identity
** sequences would be left behind).
*/
#include <stdlib.h>

#include "cli/cli.h"
#include "domain/clue_due.h"

#define BATCH 25 /* rows per INSERT */
#define CAP 128   /* rows buffered: a full batch of clues, their persons
                     (up to 3 each) and grants (up to 4 each) */
#define MAX_COLS 40
#define TEXT_MAX 160

/* Rows buffered for a 1-row and a 25-row statement.  A batch of clues is
** written before the persons and grants that refer to them (foreign
** keys are checked at once). */
typedef struct Val {
  int is_text;
  int64_t i;
  const char *p; /* long text that outlives the batch (facts), or NULL */
  char s[TEXT_MAX];
} Val;

typedef struct Batch {
  StmtId one, many;
  int cols, rows, col;
  Val v[CAP][MAX_COLS];
  int64_t written;
} Batch;

static void batch_init(Batch *b, StmtId one, StmtId many, int cols) {
  b->one = one;
  b->many = many;
  b->cols = cols;
}

static int flush_rows(Db *db, Batch *b, StmtId id, int from, int n) {
  Stmt *st = db_stmt(db, id);
  if (!st) return -1;
  int k = 1;
  for (int r = from; r < from + n; r++)
    for (int c = 0; c < b->cols; c++) {
      const Val *v = &b->v[r][c];
      if (v->is_text)
        db_bind_text(st, k++, v->p ? v->p : v->s);
      else
        db_bind_int64(st, k++, v->i);
    }
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) {
    fprintf(stderr, "jixun bench-data: %s\n", db_errmsg(db));
    return -1;
  }
  b->written += n;
  return 0;
}

/* Write whole batches of 25; with final, the rest one by one.  Rows not
** written move to the front. */
static int batch_flush(Db *db, Batch *b, int final) {
  int at = 0;
  for (; b->rows - at >= BATCH; at += BATCH)
    if (flush_rows(db, b, b->many, at, BATCH) != 0) return -1;
  for (; final && at < b->rows; at++)
    if (flush_rows(db, b, b->one, at, 1) != 0) return -1;
  if (at) memmove(b->v, b->v[at], (size_t)(b->rows - at) * sizeof b->v[0]);
  b->rows -= at;
  return 0;
}

static void put_i(Batch *b, int64_t i) {
  Val *v = &b->v[b->rows][b->col++];
  v->is_text = 0;
  v->i = i;
}

static void put_s(Batch *b, const char *s) {
  Val *v = &b->v[b->rows][b->col++];
  v->is_text = 1;
  v->p = NULL;
  str_copy(v->s, s, sizeof v->s);
}

/* Text that stays valid until the end (not copied). */
static void put_long(Batch *b, const char *s) {
  Val *v = &b->v[b->rows][b->col++];
  v->is_text = 1;
  v->p = s;
}

/* 主要事实 of realistic lengths (about 120 to 1,100 characters: a real
** clue's facts run to pages, and the figures must not get their speed
** from rows smaller than real ones). */
static char *facts_text[4];
static void facts_init(void) {
  static const char *const sentence =
      "经查阅相关账目、合同和会议记录，并与有关人员个别谈话，反映问题涉及"
      "的资金往来和审批经过基本清楚，需进一步核实。";
  static const int repeat[4] = {2, 5, 10, 20};
  for (int k = 0; k < 4; k++) {
    Buf b = BUF_INIT;
    buf_puts(&b, "基准测试数据（虚构）：");
    for (int i = 0; i < repeat[k]; i++) buf_puts(&b, sentence);
    facts_text[k] = buf_detach(&b);
  }
}

/* The row being written is complete. */
static int row_done(Db *db, Batch *b) {
  (void)db;
  b->col = 0;
  if (++b->rows < CAP) return 0;
  fprintf(stderr, "jixun bench-data: buffer full\n");
  return -1;
}

/* xorshift64*: deterministic, so runs compare. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}
static int pick(int n) { return (int)(rnd() % (uint64_t)n); }

/* The state mix (weights per mille): every state of the machine. */
static const struct {
  const char *state;
  int weight, stage; /* stage: 0 team, 1 transferred, 2 registered,
                        3 assigned, 4 filed, 5 decided */
  int terminal;
} mix[] = {
    {"draft", 50, 0, 0},          {"reviewed", 30, 0, 0},
    {"pending", 20, 0, 0},        {"suggestion", 20, 0, 0},
    {"transferred", 40, 1, 0},    {"registered", 40, 2, 0},
    {"assigned", 60, 3, 0},       {"proposed", 30, 3, 0},
    {"talk", 60, 3, 0},           {"verify", 80, 3, 0},
    {"parked", 30, 3, 0},         {"investigating", 70, 4, 0},
    {"trial", 30, 4, 0},          {"decided", 30, 5, 0},
    {"external", 40, 2, 0},       {"closed_direct", 50, 3, 1},
    {"closed_cleared", 80, 3, 1}, {"first_form", 70, 3, 1},
    {"to_party", 20, 3, 1},       {"withdrawn", 10, 4, 1},
    {"concluded", 90, 5, 1},
};

static const char *const summaries[] = {
    "工程项目招投标中插手干预", "违规收受管理服务对象礼金",
    "挪用专项资金",           "违规审批保障性住房资格",
    "公车私用",               "违规经商办企业",
    "履行监管职责不力",       "违规使用公务接待经费",
    "选人用人中违规打招呼",   "药品耗材采购中收受回扣"};
static const char *const categories[] = {"integrity", "duty_illegal", "work",
                                         "appointment", "mass", "other"};
static const char *const sources[] = {"interview", "documents", "petition",
                                      "visit", "hotline"};
static const char *const surnames[] = {"柴", "鲍", "邝", "窦", "蒯", "晁",
                                       "厍", "逯", "桂", "郦", "漆", "钭"};
static const char *const given[] = {"启文", "秋禾", "书远", "雨桐", "见山",
                                    "若水", "嘉言", "知秋", "念慈", "叙言"};
static const char *const handling[] = {"ML.JJ1", "ML.JJ2", "ML.SC1",
                                       "ML.DFZF"};

typedef struct Place {
  int64_t round, team, unit;
  char jur[64];
} Place;

static int64_t user_id(Db *db, const char *login) {
  Stmt *st = db_stmt(db, STMT_USER_BY_LOGIN);
  int64_t id = 0;
  if (!st) return 0;
  db_bind_text(st, 1, login);
  if (db_step(st) == DB_ROW) id = db_column_int64(st, 0);
  db_reset(st);
  return id;
}

/* day d (0-based) after 2024-01-01, as a date. */
static void day(int d, const char *today, char out[11]) {
  date_add_days("2024-01-01", d, out);
  if (strcmp(out, today) > 0) str_copy(out, today, 11);
}

static int grant(Db *db, Batch *g, const char *type, int64_t id, int64_t user,
                 const char *office, int64_t by, jx_time at) {
  put_s(g, type);
  put_i(g, id);
  put_i(g, office ? 0 : user);
  put_s(g, office ? office : "");
  put_s(g, "基准测试数据");
  put_i(g, by);
  put_i(g, at);
  return row_done(db, g);
}

/* One clue with its persons and grants. */
static int one_clue(Db *db, Batch *cb, Batch *pb, Batch *gb, int64_t id,
                    const Place *pl, const int64_t team_users[3],
                    const char *today, int span) {
  int w = pick(1000), k = 0;
  while (k + 1 < (int)JX_COUNT(mix) && w >= mix[k].weight) w -= mix[k++].weight;
  const char *state = mix[k].state;
  int stage = mix[k].stage, terminal = mix[k].terminal;
  int external = str_eq(state, "external") ||
                 (str_eq(state, "concluded") && pick(5) == 0);
  char found[11], tr[11] = "", rec[11] = "", asg[11] = "", filed[11] = "",
       trial[11] = "", decided[11] = "", concl[11] = "", due[11] = "";
  int d0 = pick(span);
  day(d0, today, found);
  if (stage >= 1) day(d0 + 20, today, tr);
  if (stage >= 2) day(d0 + 23, today, rec);
  if (stage >= 3 && !external) day(d0 + 26, today, asg);
  if (stage >= 4) day(d0 + 80, today, filed);
  if (stage >= 5 || str_eq(state, "trial")) day(d0 + 150, today, trial);
  if (stage >= 5) day(d0 + 180, today, decided);
  if (terminal) day(d0 + 200, today, concl);
  if (stage >= 1 && !terminal) {
    /* First feedback six months after transfer; older ones overdue. */
    date_add_months(tr, 6, due);
  }
  int n_persons = 1 + pick(3), n_filed = 0, n_sanct = 0, n_proc = 0,
      n_det = 0;
  if (stage >= 4) n_filed = 1 + pick(n_persons);
  if (stage >= 5 && !str_eq(state, "withdrawn")) {
    n_sanct = n_filed;
    n_proc = pick(10) == 0;
  }
  if (str_eq(state, "investigating")) n_det = pick(5) == 0;
  if (str_eq(state, "first_form")) n_sanct = 1;
  char persons[TEXT_MAX] = "", names[3][16];
  size_t plen = 0;
  for (int p = 0; p < n_persons; p++) {
    snprintf(names[p], sizeof names[p], "%s%s", surnames[pick(12)],
             given[pick(10)]);
    plen += (size_t)snprintf(persons + plen, sizeof persons - plen, "%s%s",
                             p ? "、" : "", names[p]);
  }
  const char *office = stage >= 3 && !external ? handling[id % 4] : "";
  int64_t creator = team_users[id % 3];
  jx_time at = jx_now();
  char code[32], tno[64] = "";
  snprintf(code, sizeof code, "BENCH-%08lld", (long long)id);
  if (stage >= 1)
    snprintf(tno, sizeof tno, "明纪巡移〔%.4s〕%lld号", tr, (long long)id);
  put_i(cb, id);
  put_s(cb, code);
  put_s(cb, str_eq(state, "suggestion") ? "suggestion" : "clue");
  put_s(cb, state);
  put_i(cb, pl->round);
  put_i(cb, pl->team);
  put_i(cb, pl->unit);
  put_s(cb, pl->jur);
  put_s(cb, categories[pick(JX_COUNT(categories))]);
  put_s(cb, sources[pick(JX_COUNT(sources))]);
  put_s(cb, summaries[pick(JX_COUNT(summaries))]);
  put_long(cb, facts_text[pick(4)]);
  put_s(cb, found);
  put_i(cb, 1);
  put_i(cb, 1);
  put_i(cb, 1);
  put_s(cb, stage >= 1 ? (external ? "organisation" : "commission") : "");
  put_s(cb, stage >= 1 ? (external ? "ML.ZZB" : "ML.AGS") : "");
  put_s(cb, tno);
  put_s(cb, tr);
  put_s(cb, rec);
  put_s(cb, office);
  put_s(cb, asg);
  put_s(cb, stage >= 3 && !external ? "verify" : "");
  put_s(cb, filed);
  put_s(cb, trial);
  put_s(cb, decided);
  put_s(cb, concl);
  put_s(cb, terminal ? state : "");
  put_i(cb, n_persons);
  put_i(cb, n_filed);
  put_i(cb, n_sanct);
  put_i(cb, n_proc);
  put_i(cb, n_det);
  put_s(cb, due);
  put_s(cb, *due ? "fb_first" : "");
  put_s(cb, persons);
  put_i(cb, creator);
  put_i(cb, at);
  put_i(cb, at);
  if (row_done(db, cb) != 0) return -1;
  for (int p = 0; p < n_persons; p++) {
    put_i(pb, id);
    put_s(pb, names[p]);
    put_s(pb, "科长");
    put_i(pb, 1);
    put_i(pb, 1);
    put_s(pb, p < n_filed ? filed : "");
    put_s(pb, p < n_filed ? filed : "");
    if (row_done(db, pb) != 0) return -1;
  }
  /* The access list the flow would have made. */
  if (grant(db, gb, "clue", id, creator, NULL, creator, at) != 0) return -1;
  if (stage >= 1) {
    if (grant(db, gb, "clue_status", id, 0, "ML.XCB", creator, at) != 0)
      return -1;
    if (!external &&
        grant(db, gb, "clue", id, 0, "ML.AGS", creator, at) != 0)
      return -1;
  }
  if (*office && grant(db, gb, "clue", id, 0, office, creator, at) != 0)
    return -1;
  return 0;
}

int cmd_bench_data(int argc, char **argv) {
  const char *dbflag = NULL, *nflag = NULL;
  const CliOpt opts[] = {{"--db", 1, &dbflag}, {"--clues", 1, &nflag},
                         {0, 0, 0}};
  const char *usage = "--clues N [--db …]";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  int64_t n = 0;
  if (!nflag || str_to_int64(nflag, 1, 10000000, &n) != 0) {
    fprintf(stderr, "jixun bench-data: --clues 应为 1 至 10000000 的整数\n");
    return 2;
  }
  const char *loc = cli_db_location(dbflag);
  Db *db = cli_open_db(loc, 1);
  if (!db) return 1;
  int rc = 1;
  Batch *cb = xcalloc(1, sizeof *cb), *pb = xcalloc(1, sizeof *pb),
        *gb = xcalloc(1, sizeof *gb);
  Place *places = NULL;
  size_t np = 0, cap = 0;
  if (db_backend(db) != DB_SQLITE) {
    fprintf(stderr, "jixun bench-data: 只用于 SQLite 基准数据库\n");
    goto done;
  }
  int64_t team_users[3] = {user_id(db, "xcz_leader"), user_id(db, "xcz_deputy"),
                           user_id(db, "xcz_member")};
  if (!team_users[0] || !team_users[1] || !team_users[2]) {
    fprintf(stderr, "jixun bench-data: 请先载入演示数据（jixun demo）\n");
    goto done;
  }
  Stmt *st = db_stmt(db, STMT_CLUES_BENCH_TEAM_UNITS);
  while (st && db_step(st) == DB_ROW) {
    if (np == cap) {
      cap = cap ? cap * 2 : 16;
      Place *p = xcalloc(cap, sizeof *p);
      if (np) memcpy(p, places, np * sizeof *p);
      free(places);
      places = p;
    }
    places[np].round = db_column_int64(st, 0);
    places[np].team = db_column_int64(st, 1);
    places[np].unit = db_column_int64(st, 2);
    str_copy(places[np].jur, db_column_text(st, 3), sizeof places[np].jur);
    np++;
  }
  if (st) db_reset(st);
  if (!np) {
    fprintf(stderr, "jixun bench-data: 没有巡察组（请先载入演示数据）\n");
    goto done;
  }
  batch_init(cb, STMT_CLUES_BENCH_CLUE_1, STMT_CLUES_BENCH_CLUE_25, 40);
  batch_init(pb, STMT_CLUES_BENCH_PERSON_1, STMT_CLUES_BENCH_PERSON_25, 7);
  batch_init(gb, STMT_CLUES_BENCH_GRANT_1, STMT_CLUES_BENCH_GRANT_25, 7);
  facts_init();
  char today[11];
  date_today(today);
  int span = date_diff_days("2024-01-01", today) + 1;
  double t0 = jx_monotonic_ms();
  if (db_begin(db) != DB_OK) goto done;
  st = db_stmt(db, STMT_CLUES_BENCH_MAX_ID);
  int64_t first = 1;
  if (st && db_step(st) == DB_ROW) first = db_column_int64(st, 0) + 1;
  if (st) db_reset(st);
  for (int64_t i = 0; i < n; i++) {
    int bad = one_clue(db, cb, pb, gb, first + i, &places[i % (int64_t)np],
                       team_users, today, span) != 0;
    /* Clues first, then what refers to them. */
    if (!bad && cb->rows == BATCH)
      bad = batch_flush(db, cb, 0) || batch_flush(db, pb, 0) ||
            batch_flush(db, gb, 0);
    if (bad) {
      db_rollback(db);
      goto done;
    }
  }
  if (batch_flush(db, cb, 1) || batch_flush(db, pb, 1) ||
      batch_flush(db, gb, 1) || db_commit(db) != DB_OK) {
    fprintf(stderr, "jixun bench-data: 写入失败：%s\n", db_errmsg(db));
    db_rollback(db);
    goto done;
  }
  printf("已写入 %lld 条问题线索（编号 BENCH-%08lld 起）、%lld 名被反映人、"
         "%lld 条知悉范围记录，用时 %.1f 秒\n",
         (long long)cb->written, (long long)first, (long long)pb->written,
         (long long)gb->written, (jx_monotonic_ms() - t0) / 1000);
  rc = 0;
done:
  for (int k = 0; k < 4; k++) free(facts_text[k]);
  free(places);
  free(cb);
  free(pb);
  free(gb);
  db_close(db);
  return rc;
}
