/* demo_rounds.c: the rounds of the fictional 明澜市 for `jixun demo` — two
** past rounds and the current one, their teams of demo staff, a staffing
** request answered and one still open, and two joint training sessions.
** Written through the rules of rounds.c, staffing.c and training.c (so
** the demo passes the 回避 checks and the phase order like real data).
** Every name is invented.  Runs after demo_org_load (units and staff). */
#include "domain/rounds.h"
#include "domain/staffing.h"
#include "domain/training.h"

/* Dates of each round and the date each phase was entered (""
** = not reached), per unit. */
typedef struct DemoUnit {
  const char *code;
  const char *phases[PHASE__COUNT]; /* entered on, by phase */
} DemoUnit;

typedef struct DemoMember {
  const char *staff, *position;
} DemoMember;

typedef struct DemoTeam {
  const char *name;
  const char *units[4];
  DemoMember members[6];
} DemoTeam;

typedef struct DemoRound {
  int64_t term, number;
  const char *kind, *sector, *start, *end;
  DemoUnit units[5];
  DemoTeam teams[2];
} DemoRound;

static const DemoRound demo_rounds[] = {
    {5, 1, "regular", "", "2026-03-02", "2026-05-29",
     {{"ML-HOUSING", {"2026-02-16", "2026-03-02", "2026-06-01", "2026-06-22",
                      "2026-06-29", "2026-07-06"}},
      {"ML-TRANS", {"2026-02-16", "2026-03-02", "2026-06-03", "2026-06-24",
                    "2026-07-01", "2026-07-08"}},
      {"ML-NATRES", {"2026-02-16", "2026-03-02", "2026-06-03", "2026-06-24",
                     "2026-07-01", "2026-07-08"}}},
     {{"第一巡察组", {"ML-HOUSING"},
       {{"LL001", "leader"}, {"LL004", "deputy"}, {"LL007", "member"},
        {"LL010", "member"}}},
      {"第二巡察组", {"ML-TRANS", "ML-NATRES"},
       {{"LL009", "leader"}, {"LL012", "deputy"}, {"LL015", "member"},
        {"LL018", "member"}}}}},
    /* 同批次系统巡察: the city's schools in one batch. */
    {5, 2, "special", "edu", "2026-06-15", "2026-09-11",
     {{"ML-EDU-S01", {"2026-06-01", "2026-06-15", "2026-09-14", "2026-10-12",
                      "2026-10-19", ""}},
      {"ML-EDU-S02", {"2026-06-01", "2026-06-15", "2026-09-14", "2026-10-12",
                      "2026-10-19", ""}},
      {"ML-EDU-S04", {"2026-06-01", "2026-06-15", "2026-09-16", "2026-10-14",
                      "", ""}},
      {"ML-EDU-S05", {"2026-06-01", "2026-06-15", "2026-09-16", "2026-10-14",
                      "", ""}}},
     {{"第一巡察组", {"ML-EDU-S01", "ML-EDU-S02"},
       {{"LL017", "leader"}, {"LL020", "deputy"}, {"LL002", "member"},
        {"LL006", "member"}}},
      {"第二巡察组", {"ML-EDU-S04", "ML-EDU-S05"},
       {{"LL009", "leader"}, {"LL016", "deputy"}, {"LL013", "member"}}}}},
    /* The current round: health, half of the units already 了解. */
    {5, 3, "regular", "health", "2026-11-02", "2027-01-29",
     {{"ML-HEALTH-H01", {"2026-10-19", "2026-11-02", "", "", "", ""}},
      {"ML-HEALTH-H02", {"2026-10-19", "2026-11-02", "", "", "", ""}},
      {"ML-HEALTH-H03", {"2026-10-19", "", "", "", "", ""}},
      {"ML-HEALTH-H05", {"2026-10-19", "", "", "", "", ""}}},
     {{"第一巡察组", {"ML-HEALTH-H01", "ML-HEALTH-H02"},
       {{"LL011", "deputy"}, {"LL014", "member"}, {"LL019", "member"}}},
      {"第二巡察组", {"ML-HEALTH-H03", "ML-HEALTH-H05"},
       {{"LL009", "leader"}, {"LL003", "member"}}}}},
};

static const struct {
  const char *title, *date, *hours;
  TrainingLecturerIn lecturers[3];
  const char *attendees[8];
} demo_trainings[] = {
    {"巡察业务同堂培训（五届市委第一轮巡察前）", "2026-02-25", "3",
     {{"冷若尘", "commission"}, {"汤致远", "inspection"}, {"", ""}},
     {"LL001", "LL004", "LL007", "LL009", "LL012", "LL015"}},
    {"“纪巡审”干部集中学习培训班", "2026-10-20", "6",
     {{"冷若尘", "commission"}, {"汤致远", "inspection"},
      {"黎明澈", "audit"}},
     {"LL001", "LL003", "LL005", "LL009", "LL011", "LL013", "LL014"}},
};

static int64_t id_by_code(Db *db, StmtId stmt, const char *code) {
  Stmt *st = db_stmt(db, stmt);
  int64_t id = 0;
  if (!st) return 0;
  db_bind_text(st, 1, code);
  if (db_step(st) == DB_ROW) id = db_column_int64(st, 0);
  db_reset(st);
  return id;
}

static int64_t user_id(Db *db, const char *login) {
  return id_by_code(db, STMT_USER_BY_LOGIN, login);
}

static int failed(Buf *err, const char *what, const Buf *why) {
  buf_printf(err, "演示数据（%s）：%s", what, buf_str(why));
  return -1;
}

/* The round just created, read back as the web layer would. */
static int round_load(Db *db, int64_t id, Round *r) {
  Stmt *st = db_stmt(db, STMT_RND_GET);
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  /* JUR_WITHIN with its no-fence flag set: the system sees all. */
  db_bind_int64(st, 2, 1);
  db_bind_null(st, 3);
  db_bind_int64(st, 4, 0);
  db_bind_null(st, 5);
  int rc = db_step(st);
  if (rc == DB_ROW) round_read_row(st, r);
  db_reset(st);
  return rc == DB_ROW ? 0 : -1;
}

static int team_load(Db *db, int64_t id, Team *t) {
  Stmt *st = db_stmt(db, STMT_RND_TEAM_GET_PLAIN);
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) team_read_row(st, t);
  db_reset(st);
  return rc == DB_ROW ? 0 : -1;
}

static int load_team(Db *db, const Round *r, const DemoTeam *dt, Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  int64_t tid;
  Team t = {0};
  int rc = -1;
  if (team_create(db, r, dt->name, "", &tid, &field, &why) != ROUND_OK ||
      team_load(db, tid, &t) != 0) {
    failed(err, dt->name, &why);
    goto done;
  }
  for (size_t u = 0; u < JX_COUNT(dt->units) && dt->units[u]; u++) {
    int64_t uid = id_by_code(db, STMT_RND_UNIT_BY_CODE, dt->units[u]);
    if (team_add_unit(db, &t, uid, &why) != ROUND_OK) {
      failed(err, dt->units[u], &why);
      goto done;
    }
  }
  for (size_t m = 0; m < JX_COUNT(dt->members) && dt->members[m].staff; m++) {
    int64_t sid = id_by_code(db, STMT_RND_STAFF_BY_CODE, dt->members[m].staff);
    if (team_add_member(db, &t, sid, dt->members[m].position, 0, NULL, NULL,
                        &why) != ROUND_OK) {
      failed(err, dt->members[m].staff, &why);
      goto done;
    }
  }
  rc = 0;
done:
  team_clear(&t);
  buf_release(&why);
  return rc;
}

static int load_round(Db *db, const DemoRound *d, int64_t xcb, Buf *err,
                      int64_t *round_id) {
  Buf why = BUF_INIT;
  const char *field;
  RoundIn in = {NULL, d->term, d->number, d->kind, d->sector, "ML",
                d->start, d->end};
  Round r = {0};
  int rc = -1;
  if (round_create(db, xcb, &in, round_id, &field, &why) != ROUND_OK ||
      round_load(db, *round_id, &r) != 0) {
    failed(err, "巡察轮次", &why);
    goto done;
  }
  for (size_t u = 0; u < JX_COUNT(d->units) && d->units[u].code; u++) {
    const DemoUnit *du = &d->units[u];
    int64_t uid = id_by_code(db, STMT_RND_UNIT_BY_CODE, du->code);
    if (round_add_unit(db, xcb, &r, uid, du->phases[PHASE_PREP], &why) !=
        ROUND_OK) {
      failed(err, du->code, &why);
      goto done;
    }
    for (int p = PHASE_LEARN; p < PHASE__COUNT && *du->phases[p]; p++)
      if (round_advance(db, xcb, &r, uid, round_phases[p].code, du->phases[p],
                        NULL, NULL, &why) != ROUND_OK) {
        failed(err, du->code, &why);
        goto done;
      }
  }
  for (size_t t = 0; t < JX_COUNT(d->teams) && d->teams[t].name; t++)
    if (load_team(db, &r, &d->teams[t], err) != 0) goto done;
  rc = 0;
done:
  round_clear(&r);
  buf_release(&why);
  return rc;
}

/* The current round's staffing: the leader request for 第一巡察组,
** answered with a former county standing deputy secretary; a finance
** request for 第二巡察组 left open for the commission to answer. */
static int load_staffing(Db *db, int64_t round_id, int64_t xcb, int64_t lxs,
                         Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  int rc = -1;
  int64_t tids[2] = {0, 0}, qid;
  Stmt *st = db_stmt(db, STMT_RND_TEAM_LIST);
  if (!st) goto done;
  db_bind_int64(st, 1, 1); /* no jurisdiction fence */
  db_bind_null(st, 2);
  db_bind_int64(st, 3, 0);
  db_bind_null(st, 4);
  db_bind_int64(st, 5, round_id);
  db_bind_int64(st, 6, round_id);
  db_bind_int64(st, 7, 2);
  db_bind_int64(st, 8, 0);
  for (int i = 0; i < 2 && db_step(st) == DB_ROW; i++)
    tids[i] = db_column_int64(st, 0);
  db_reset(st);
  Team t = {0};
  if (team_load(db, tids[0], &t) != 0) goto done;
  StaffingRequestIn lead = {"组长人选 1 名，具有县区纪委常务副书记工作经历",
                            "县区纪委常务副书记工作经历", "案件查办",
                            "1", "leader", "", ""};
  if (sreq_create(db, xcb, &t, &lead, &qid, &field, &why) != ROUND_OK) {
    team_clear(&t);
    failed(err, "力量需求", &why);
    goto done;
  }
  team_clear(&t);
  st = db_stmt(db, STMT_RND_SREQ_GET_PLAIN);
  StaffingRequest q = {0};
  if (!st) goto done;
  db_bind_int64(st, 1, qid);
  int found = db_step(st) == DB_ROW;
  if (found) sreq_read_row(st, &q);
  db_reset(st);
  int64_t sid = id_by_code(db, STMT_RND_STAFF_BY_CODE, "LL001");
  RoundResult r = found ? sreq_answer(db, lxs, &q, sid, NULL, NULL, &why)
                        : ROUND_EDB;
  sreq_clear(&q);
  if (r != ROUND_OK) {
    failed(err, "选派", &why);
    goto done;
  }
  if (team_load(db, tids[1], &t) != 0) goto done;
  StaffingRequestIn fin = {"财务审计 1 名，熟悉医疗机构财务与审计",
                           "", "财务、审计", "1", "member", "", ""};
  r = sreq_create(db, xcb, &t, &fin, &qid, &field, &why);
  team_clear(&t);
  if (r != ROUND_OK) {
    failed(err, "力量需求", &why);
    goto done;
  }
  rc = 0;
done:
  buf_release(&why);
  return rc;
}

static int load_trainings(Db *db, int64_t xcb, Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  int rc = -1;
  for (size_t i = 0; i < JX_COUNT(demo_trainings); i++) {
    TrainingIn in = {demo_trainings[i].title, demo_trainings[i].date,
                     demo_trainings[i].hours};
    size_t nl = 0;
    while (nl < 3 && *demo_trainings[i].lecturers[nl].name) nl++;
    int64_t id;
    if (training_create(db, xcb, &in, "ML", demo_trainings[i].lecturers, nl,
                        &id, &field, &why) != ROUND_OK) {
      failed(err, in.title, &why);
      goto done;
    }
    for (size_t k = 0; k < JX_COUNT(demo_trainings[i].attendees) &&
                       demo_trainings[i].attendees[k];
         k++) {
      int64_t sid = id_by_code(db, STMT_RND_STAFF_BY_CODE,
                               demo_trainings[i].attendees[k]);
      if (training_add_attendee(db, id, "ML", sid, &why) != ROUND_OK) {
        failed(err, demo_trainings[i].attendees[k], &why);
        goto done;
      }
    }
  }
  rc = 0;
done:
  buf_release(&why);
  return rc;
}

/* The team accounts are the current round's 第一巡察组: its leader (the
** staffing answer above), deputy and first member get the demo logins,
** so clues recorded by the team have users on their access lists.  Its
** units are in 了解 (clues may be transferred while the round goes on). */
static int link_team_users(Db *db, int64_t round_id, Buf *err) {
  static const struct {
    const char *login, *position;
  } links[] = {{"xcz_leader", "leader"},
               {"xcz_deputy", "deputy"},
               {"xcz_member", "member"}};
  Stmt *st = db_stmt(db, STMT_CLUEDEMO_TEAM_BY_NAME);
  int64_t tid = 0;
  if (!st) return -1;
  db_bind_int64(st, 1, round_id);
  db_bind_text(st, 2, demo_rounds[JX_COUNT(demo_rounds) - 1].teams[0].name);
  if (db_step(st) == DB_ROW) tid = db_column_int64(st, 0);
  db_reset(st);
  for (size_t i = 0; tid && i < JX_COUNT(links); i++) {
    st = db_stmt(db, STMT_CLUEDEMO_LINK_STAFF);
    if (!st) return -1;
    db_bind_text(st, 1, links[i].login);
    db_bind_int64(st, 2, tid);
    db_bind_text(st, 3, links[i].position);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(db) : 0;
    db_reset(st);
    if (changed != 1) tid = 0;
  }
  if (!tid) buf_puts(err, "演示数据：巡察组账号关联失败");
  return tid ? 0 : -1;
}

int demo_rounds_load(Db *db, Buf *err) {
  int64_t xcb = user_id(db, "xcb"), lxs = user_id(db, "lxs"), rid = 0;
  for (size_t i = 0; i < JX_COUNT(demo_rounds); i++)
    if (load_round(db, &demo_rounds[i], xcb, err, &rid) != 0) return -1;
  /* rid is the current round (the last one). */
  if (load_staffing(db, rid, xcb, lxs, err) != 0) return -1;
  if (link_team_users(db, rid, err) != 0) return -1;
  return load_trainings(db, xcb, err);
}
