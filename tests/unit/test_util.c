/* test_util.c: the time helpers of util/util.c — ISO-8601 UTC (the
** machine format) and 北京时间 (UTC+8, what people read and type). */
#include "unit.h"

/* An ISO-8601 UTC time as epoch seconds (the test's own fixture). */
static jx_time iso(const char *s) {
  jx_time t = 0;
  assert_int_equal(time_parse_iso(s, &t), 0);
  return t;
}

static void local_is(const char *utc, const char *want) {
  char out[20];
  time_local(iso(utc), out);
  assert_string_equal(out, want);
}

static void test_time_local(void **state) {
  local_is("2026-11-30T10:31:00Z", "2026-11-30 18:31");
  local_is("2026-11-30T10:31:59Z", "2026-11-30 18:31"); /* minutes, cut */
  /* Day boundary: 16:00 UTC is midnight in Beijing. */
  local_is("2026-11-30T15:59:59Z", "2026-11-30 23:59");
  local_is("2026-11-30T16:00:00Z", "2026-12-01 00:00");
  local_is("2026-11-30T16:30:00Z", "2026-12-01 00:30");
  /* Month, year and leap-day boundaries. */
  local_is("2026-12-31T15:59:00Z", "2026-12-31 23:59");
  local_is("2026-12-31T16:00:00Z", "2027-01-01 00:00");
  local_is("2028-02-28T16:00:00Z", "2028-02-29 00:00");
  local_is("2027-02-28T16:00:00Z", "2027-03-01 00:00");
  local_is("2100-02-28T16:00:00Z", "2100-03-01 00:00"); /* not a leap year */
  local_is("2000-02-28T16:00:00Z", "2000-02-29 00:00"); /* but 2000 was */
  char out[20];
  time_local(0, out);
  assert_string_equal(out, "1970-01-01 08:00");
  time_local(-8 * 3600, out);
  assert_string_equal(out, "1970-01-01 00:00");
  time_local(-8 * 3600 - 60, out);
  assert_string_equal(out, "1969-12-31 23:59");
}

static void parse_is(const char *local, const char *utc) {
  jx_time t = 0;
  assert_int_equal(time_parse_local(local, &t), 0);
  assert_int_equal(t, iso(utc));
}

static void test_time_parse_local(void **state) {
  parse_is("2026-12-01", "2026-11-30T16:00:00Z"); /* 00:00 北京时间 */
  parse_is("2026-12-01 00:30", "2026-11-30T16:30:00Z");
  parse_is("2026-12-01T00:30", "2026-11-30T16:30:00Z"); /* datetime-local */
  parse_is("2026-12-01T00:30:15", "2026-11-30T16:30:15Z");
  parse_is("2026-11-30 18:31", "2026-11-30T10:31:00Z");
  parse_is("2027-01-01 07:59", "2026-12-31T23:59:00Z");
  parse_is("2028-02-29 23:59", "2028-02-29T15:59:00Z");
  parse_is("2000-03-01", "2000-02-29T16:00:00Z");
}

static void test_time_parse_local_bad(void **state) {
  static const char *const bad[] = {
      "",
      "2026",
      "2026-11",
      "2026-1-01",
      "2026-01-1",
      "26-01-01",
      "2026/01/01",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-01-32",
      "2026-02-29", /* not a leap year */
      "2100-02-29",
      "2026-04-31",
      "1899-12-31",
      "2026-01-01 24:00",
      "2026-01-01 23:60",
      "2026-01-01 23:59:60",
      "2026-01-01 1:00",
      "2026-01-01 01:0",
      "2026-01-01  01:00",
      "2026-01-01X01:00",
      "2026-01-01 01-00",
      "2026-01-01T01:00Z", /* UTC is time_parse_iso's */
      "2026-01-01T01:00:00Z",
      "2026-01-01 01:00 ",
      " 2026-01-01",
      "2026-01-01 ",
      "+026-01-01",
      "2026-+1-01",
      "２０２６-01-01",
      "明天",
  };
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    jx_time t = 12345;
    if (time_parse_local(bad[i], &t) == 0) fail_msg("accepted '%s'", bad[i]);
    assert_int_equal(t, 12345); /* untouched on failure */
  }
  jx_time t;
  assert_int_equal(time_parse_local(NULL, &t), -1);
}

/* Every minute shown parses back to that minute, across years and the
** day change (each step moves the minute of day, the day and the year). */
static void test_time_local_round_trip(void **state) {
  jx_time start = iso("1999-12-31T00:00:00Z");
  jx_time end = iso("2101-01-01T00:00:00Z");
  for (jx_time t = start; t < end; t += 86400 * 3 + 3600 + 61) {
    char s[20];
    jx_time back = 0;
    time_local(t, s);
    if (time_parse_local(s, &back) != 0) fail_msg("'%s' does not parse", s);
    if (back != t - t % 60)
      fail_msg("%lld → '%s' → %lld", (long long)t, s, (long long)back);
  }
  /* And a date is its 北京时间 midnight, whose local form is that date. */
  char s[20];
  jx_time d;
  assert_int_equal(time_parse_local("2026-12-01", &d), 0);
  time_local(d, s);
  assert_string_equal(s, "2026-12-01 00:00");
  time_local(d - 1, s);
  assert_string_equal(s, "2026-11-30 23:59");
}

/* The ISO-8601 UTC machine format is unchanged. */
static void test_time_iso(void **state) {
  char out[21];
  time_iso(iso("2026-11-30T16:30:00Z"), out);
  assert_string_equal(out, "2026-11-30T16:30:00Z");
  jx_time t;
  assert_int_equal(time_parse_iso("2026-11-30 16:30", &t), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_time_local),
      cmocka_unit_test(test_time_parse_local),
      cmocka_unit_test(test_time_parse_local_bad),
      cmocka_unit_test(test_time_local_round_trip),
      cmocka_unit_test(test_time_iso),
  };
  return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
