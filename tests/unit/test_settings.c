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
  for (size_t i = 0; i < n_setting_defs; i++) {
    int64_t v;
    const SettingDef *d = &setting_defs[i];
    if (str_to_int64(d->def, d->min, d->max, &v) != 0)
      fail_msg("default of %s out of range", d->key);
    assert_true(d->label[0] && d->source[0]); /* the UI names the rule */
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_default_then_change_seen_everywhere,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_out_of_range_refused_and_unchanged,
                                      setup, teardown),
      cmocka_unit_test(test_every_default_is_in_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
