/* training.c: the rules of joint training sessions (see training.h). */
#include "domain/training.h"

#include <string.h>

#include "domain/rounds.h"

const TrainingSide training_sides[] = {
    {"commission", "纪委"},
    {"inspection", "巡察"},
    {"audit", "审计"},
};
const size_t n_training_sides = JX_COUNT(training_sides);

const char *training_side_label(const char *code) {
  for (size_t i = 0; i < n_training_sides; i++)
    if (str_eq(training_sides[i].code, code)) return training_sides[i].label;
  return NULL;
}

int training_parse_hours(const char *s, int64_t *minutes) {
  int64_t whole = 0, frac = 0;
  int digits = 0, fdigits = 0;
  const char *p = s;
  *minutes = 0;
  if (!p) return -1;
  for (; *p >= '0' && *p <= '9'; p++, digits++) {
    whole = whole * 10 + (*p - '0');
    if (whole > 1000) return -1;
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
      if (fdigits == 2) return -1;
      frac = frac * 10 + (*p - '0');
    }
    if (!fdigits) return -1;
  }
  if (*p || !digits) return -1;
  if (fdigits == 1) frac *= 10; /* hundredths of an hour */
  int64_t m = whole * 60 + (frac * 60 + 50) / 100;
  if (m < 1 || m > TRAINING_MAX_MINUTES) return -1;
  *minutes = m;
  return 0;
}

void training_hours_text(int64_t minutes, char out[32]) {
  /* Bounded so the text always fits (a record's total may be large). */
  if (minutes < 0) minutes = 0;
  if (minutes > INT64_C(1000000000000)) minutes = INT64_C(1000000000000);
  long long h100 = (long long)((minutes * 100 + 30) / 60);
  if (h100 % 100 == 0)
    snprintf(out, 32, "%lld", h100 / 100);
  else if (h100 % 10 == 0)
    snprintf(out, 32, "%lld.%lld", h100 / 100, (h100 % 100) / 10);
  else
    snprintf(out, 32, "%lld.%02lld", h100 / 100, h100 % 100);
}

int training_check(const TrainingIn *in, int64_t *minutes, Buf *err,
                   const char **field) {
  *field = NULL;
  if (!in->title || !*in->title) {
    *field = "title";
    buf_puts(err, "请填写培训名称");
    return -1;
  }
  if (utf8_chars(in->title) > TRAINING_TITLE_MAX) {
    *field = "title";
    buf_printf(err, "培训名称不能超过 %d 个字", TRAINING_TITLE_MAX);
    return -1;
  }
  if (!round_date_valid(in->date)) {
    *field = "date";
    buf_puts(err, "培训日期格式应为 YYYY-MM-DD");
    return -1;
  }
  if (training_parse_hours(in->hours, minutes) != 0) {
    *field = "hours";
    buf_puts(err, "学时应为大于 0、不超过 200 的数字（最多两位小数）");
    return -1;
  }
  return 0;
}

/* ---- sessions in the database ---- */

RoundResult training_create(Db *db, int64_t user_id, const TrainingIn *in,
                            const char *jurisdiction,
                            const TrainingLecturerIn *lecturers, size_t n,
                            int64_t *id, const char **field, Buf *err) {
  int64_t minutes;
  *id = 0;
  if (training_check(in, &minutes, err, field) != 0) return ROUND_EINVALID;
  *field = "lecturers";
  if (!n) {
    buf_puts(err, "请至少填写一名授课人");
    return ROUND_EINVALID;
  }
  for (size_t i = 0; i < n; i++) {
    if (!lecturers[i].name || !*lecturers[i].name ||
        utf8_chars(lecturers[i].name) > 30) {
      buf_puts(err, "授课人姓名不能为空，且不超过 30 个字");
      return ROUND_EINVALID;
    }
    if (!training_side_label(lecturers[i].side)) {
      buf_printf(err, "授课人%s的来源应为纪委、巡察或审计", lecturers[i].name);
      return ROUND_EINVALID;
    }
  }
  *field = NULL;
  Stmt *st = db_stmt(db, STMT_RND_TRN_INSERT);
  if (!st) return ROUND_EDB;
  db_bind_text(st, 1, in->title);
  db_bind_text(st, 2, in->date);
  db_bind_int64(st, 3, minutes);
  db_bind_text(st, 4, jurisdiction);
  db_bind_int64(st, 5, user_id);
  db_bind_int64(st, 6, jx_now());
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) goto fail;
  for (size_t i = 0; i < n; i++) {
    st = db_stmt(db, STMT_RND_TRN_LECTURER_INSERT);
    if (!st) goto fail;
    db_bind_int64(st, 1, *id);
    db_bind_text(st, 2, lecturers[i].name);
    db_bind_text(st, 3, lecturers[i].side);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) goto fail;
  }
  return ROUND_OK;
fail:
  buf_puts(err, "保存培训失败");
  return ROUND_EDB;
}

RoundResult training_add_attendee(Db *db, int64_t id, const char *jur,
                                  int64_t staff_id, Buf *err) {
  Stmt *st = db_stmt(db, STMT_RND_STAFF_BRIEF);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, staff_id);
  int rc = db_step(st);
  int found = rc == DB_ROW;
  int within = found && round_code_within(jur, db_column_text(st, 1));
  char name[128];
  str_copy(name, found ? db_column_text(st, 0) : "", sizeof name);
  db_reset(st);
  if (!found) {
    buf_puts(err, "人员不存在");
    return rc == DB_DONE ? ROUND_EINVALID : ROUND_EDB;
  }
  if (!within) {
    buf_printf(err, "%s不属于本次培训所在辖区", name);
    return ROUND_EINVALID;
  }
  st = db_stmt(db, STMT_RND_TRN_ATTENDEE_GET);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, staff_id);
  rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_printf(err, "%s已在参训名单中", name);
    return ROUND_ECONFLICT;
  }
  st = db_stmt(db, STMT_RND_TRN_ATTENDEE_INSERT);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, staff_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, "保存失败");
    return ROUND_EDB;
  }
  return ROUND_OK;
}
