/* test_settings.c: typed settings, their ranges and the per-connection
** cache (a change is seen at once by every connection of the process). */
#include "domain/settings.h"
#include "unit.h"

typedef struct Fx {
  char *dir;
  Db *a, *b; /* two connections to one database, as two worker threads */
} Fx;

static int setup(void **state) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied;
  fx->dir = unit_tmpdir();
  char *path = xasprintf("%s/s.db", fx->dir);
  assert_int_equal(db_open(path, &fx->a, &err), 0);
  assert_int_equal(db_migrate(fx->a, &applied, &err), DB_OK);
  assert_int_equal(db_open(path, &fx->b, &err), 0);
  free(path);
  buf_release(&err);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  Fx *fx = *state;
  db_close(fx->a);
  db_close(fx->b);
  unit_rmtree(fx->dir);
  free(fx->dir);
  free(fx);
  return 0;
}

static void test_default_then_change_seen_everywhere(void **state) {
  Fx *fx = *state;
  Buf err = BUF_INIT;
  assert_int_equal(setting_int(fx->a, "auth.lockout_failures"), 5);
  assert_int_equal(setting_int(fx->b, "auth.lockout_failures"), 5); /* cached */
  assert_int_equal(setting_put(fx->a, "auth.lockout_failures", "3", &err), 0);
  assert_int_equal(setting_int(fx->a, "auth.lockout_failures"), 3);
  assert_int_equal(setting_int(fx->b, "auth.lockout_failures"), 3);
  buf_release(&err);
}

static void test_out_of_range_refused_and_unchanged(void **state) {
  Fx *fx = *state;
  Buf err = BUF_INIT;
  assert_int_equal(setting_put(fx->a, "auth.session_idle_minutes", "1", &err), -1);
  assert_non_null(strstr(buf_str(&err), "会话空闲超时"));
  assert_int_equal(setting_int(fx->b, "auth.session_idle_minutes"), 30);
  buf_clear(&err);
  assert_int_equal(setting_put(fx->a, "no.such.key", "1", &err), -1);
  assert_non_null(strstr(buf_str(&err), "未知的设置项"));
  buf_release(&err);
}

static void test_every_default_is_in_range(void **state) {
  Buf err = BUF_INIT;
  for (size_t i = 0; i < n_setting_defs; i++) {
    const SettingDef *d = &setting_defs[i];
    /* the same check a submitted value passes (ranges, text formats) */
    if (setting_check(d->key, d->def, &err) != 0)
      fail_msg("default of %s refused: %s", d->key, buf_str(&err));
    assert_true(d->label[0] && d->source[0]); /* the UI names the rule */
  }
  buf_release(&err);
}

/* The clue settings exist with the defaults the brief fixes. */
static void test_clue_defaults(void **state) {
  Fx *fx = *state;
  assert_int_equal(setting_int(fx->a, "clue.feedback_first_months"), 6);
  assert_int_equal(setting_int(fx->a, "clue.feedback_every_months"), 6);
  assert_int_equal(setting_int(fx->a, "clue.disposal_months"), 1);
  assert_int_equal(setting_int(fx->a, "clue.investigation_days"), 90);
  assert_int_equal(setting_int(fx->a, "clue.trial_months"), 1);
  assert_int_equal(setting_int(fx->a, "clue.detention_months"), 3);
  assert_int_equal(setting_int(fx->a, "clue.detention_extend_months"), 3);
  assert_int_equal(setting_int(fx->a, "clue.detention_max_extensions"), 1);
  assert_int_equal(setting_int(fx->a, "clue.announce_months"), 1);
  assert_int_equal(setting_int(fx->a, "clue.execute_months"), 6);
  assert_int_equal(setting_int(fx->a, "clue.due_warn_days"), 30);
  assert_int_equal(setting_int(fx->a, "clue.due_urgent_days"), 7);
  assert_int_equal(setting_int(fx->a, "clue.transfer_chain"), 1);
  assert_int_equal(setting_int(fx->a, "clue.filing_rate_base"), 1);
  assert_int_equal(setting_int(fx->a, "clue.concluded_counts_parked"), 0);
  const SettingDef *d = setting_def("clue.feedback_first_months");
  assert_non_null(strstr(d->source, "第二十九条"));
  assert_non_null(strstr(setting_def("clue.transfer_chain")->label, "巡察办主任"));
}

static void test_text_setting(void **state) {
  Fx *fx = *state;
  Buf err = BUF_INIT;
  char out[SETTING_TEXT_MAX];
  const SettingDef *d = setting_def("clue.transfer_no_format");
  assert_non_null(d);
  assert_int_equal(d->text, 1);
  assert_int_equal(setting_text(fx->a, "clue.transfer_no_format", out, sizeof out),
                   (int)strlen("{jur}纪巡移〔{year}〕{seq}号"));
  assert_string_equal(out, "{jur}纪巡移〔{year}〕{seq}号");
  /* a good value is stored and seen by the other connection */
  assert_int_equal(setting_put(fx->a, "clue.transfer_no_format",
                               "明巡移〔{year}〕第{seq}号", &err), 0);
  setting_text(fx->b, "clue.transfer_no_format", out, sizeof out);
  assert_string_equal(out, "明巡移〔{year}〕第{seq}号");
  setting_value(fx->b, d, out);
  assert_string_equal(out, "明巡移〔{year}〕第{seq}号");
  /* refusals leave the value alone */
  static const char *const bad[] = {
      "",                         /* empty */
      "纪巡移〔{year}〕号",        /* no {seq} */
      "纪巡移〔2026〕{seq}号",     /* no {year} */
      "{jur}{year}{seq}{unit}",   /* unknown placeholder */
      "{year}{seq}}",             /* stray brace */
      "{year}\n{seq}",            /* control character */
      "\xff{year}{seq}",          /* not UTF-8 */
      /* 41 characters */
      "{year}{seq}一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    buf_clear(&err);
    if (setting_put(fx->a, "clue.transfer_no_format", bad[i], &err) != -1)
      fail_msg("accepted bad format #%zu", i);
    assert_true(err.len > 0);
  }
  setting_text(fx->a, "clue.transfer_no_format", out, sizeof out);
  assert_string_equal(out, "明巡移〔{year}〕第{seq}号");
  /* exactly 40 characters passes */
  buf_clear(&err);
  assert_int_equal(
      setting_put(fx->a, "clue.transfer_no_format",
                  "{year}{seq}一二三四五六七八九十一二三四五六七八九十一二三四五六七八九",
                  &err),
      0);
  /* a short buffer gets a cut at a character boundary and -1 */
  char small[8];
  assert_int_equal(setting_text(fx->a, "clue.transfer_no_format", small, sizeof small), -1);
  assert_string_equal(small, "{year}{");
  buf_release(&err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_default_then_change_seen_everywhere,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_out_of_range_refused_and_unchanged,
                                      setup, teardown),
      cmocka_unit_test(test_every_default_is_in_range),
      cmocka_unit_test_setup_teardown(test_clue_defaults, setup, teardown),
      cmocka_unit_test_setup_teardown(test_text_setting, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
