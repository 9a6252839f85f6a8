/* settings.c: the settings table and its typed access. */
#include "domain/settings.h"

#include <stdatomic.h>
#include <stdlib.h>

const SettingDef setting_defs[] = {
    {"auth.password_min_length", "10", 8, 64, "密码最小长度",
     "等保三级 8.1.4.1 a（复杂度要求，长度由单位确定）；ASVS 2.1.1"},
    {"auth.password_classes", "3", 1, 4, "密码至少包含的字符类别数（大写、小写、数字、符号）",
     "等保三级 8.1.4.1 a；常见加固实践"},
    {"auth.password_history", "5", 0, 24, "不得与最近几次密码相同",
     "常见加固实践"},
    {"auth.password_max_age_days", "90", 0, 3650, "密码有效期（天，0 为不过期）",
     "等保三级 8.1.4.1 a（定期更换）；常见加固实践为 90 天"},
    {"auth.lockout_failures", "5", 1, 100, "连续登录失败多少次后锁定",
     "等保三级 8.1.4.1 b（限制非法登录次数）；ASVS 2.2.1"},
    {"auth.lockout_window_minutes", "15", 1, 1440, "统计登录失败次数的时间窗口（分钟）",
     "常见加固实践"},
    {"auth.lockout_minutes", "30", 1, 10080, "锁定时长（分钟）", "常见加固实践"},
    {"auth.session_idle_minutes", "30", 5, 480, "会话空闲超时（分钟）",
     "等保三级 8.1.4.1 b（登录连接超时自动退出）；ASVS 3.3.2"},
    {"auth.session_absolute_hours", "12", 1, 72, "会话绝对超时（小时）", "ASVS 3.3.2"},
    {"auth.cookie_secure", "0", 0, 1, "会话 Cookie 仅经 HTTPS 发送（部署在 HTTPS 后应开启）",
     "ASVS 3.4.1"},
    {"auth.totp_enforce", "0", 0, 1,
     "对指定角色强制使用动态验证码（TOTP，1 为开启；角色在“安全管理”中设定）",
     "等保三级 8.1.4.1 d（两种或两种以上组合的鉴别技术）；ASVS 4.3.1（管理界面多因素认证）"},
    {"auth.totp_window", "1", 0, 3, "动态验证码允许的时钟偏差（前后各几个 30 秒时间步）",
     "RFC 6238 §5.2（建议最多允许一个时间步的偏差）"},
    {"org.avoid_years", "5", 1, 30,
     "回避年限：本人在被巡察单位任职结束后多少年内不得参加巡察该单位",
     "议题 4（回避规则：“近 N 年内曾在被巡察单位工作”，默认 5 年）；"
     "公开规定未见统一年限（DOMAIN.md 未载），按本地巡察回避规定调整"},
    {"org.import_chunk_rows", "2000", 10, 100000,
     "导入检查：每次检查的行数（大文件分批检查并显示进度）",
     "议题 4（大文件导入显示进度）"},
};
const size_t n_setting_defs = JX_COUNT(setting_defs);

const SettingDef *setting_def(const char *key) {
  for (size_t i = 0; i < n_setting_defs; i++)
    if (str_eq(setting_defs[i].key, key)) return &setting_defs[i];
  return NULL;
}

/* Settings are read on every request (session limits, policies), so
** each connection keeps the values it read for up to a second.  A change
** through setting_put() bumps a process-wide generation that empties
** every cache at once; another server process sharing the database sees
** it within SETTINGS_TTL_MS. */
#define SETTINGS_TTL_MS 1000.0
#define SETTINGS_MAX 64

typedef struct SettingsCache {
  unsigned gen;               /* settings_gen when filled */
  double at;                  /* jx_monotonic_ms() when filled */
  int64_t value[SETTINGS_MAX];
  unsigned char have[SETTINGS_MAX];
} SettingsCache;

static atomic_uint settings_gen;

static int64_t setting_read(Db *db, const SettingDef *d) {
  int64_t v;
  if (str_to_int64(d->def, INT64_MIN, INT64_MAX, &v) != 0)
    jx_fatal("bad default for '%s'", d->key);
  Stmt *st = db_stmt(db, STMT_SETTING_GET);
  db_bind_text(st, 1, d->key);
  if (st && db_step(st) == DB_ROW) {
    int64_t stored;
    if (str_to_int64(db_column_text(st, 0), d->min, d->max, &stored) == 0)
      v = stored;
  }
  db_reset(st);
  return v;
}

int64_t setting_int(Db *db, const char *key) {
  const SettingDef *d = setting_def(key);
  if (!d) jx_fatal("unknown setting '%s'", key);
  size_t i = (size_t)(d - setting_defs);
  if (i >= SETTINGS_MAX) return setting_read(db, d);
  SettingsCache *c = db_slot(db);
  double now = jx_monotonic_ms();
  unsigned gen = atomic_load(&settings_gen);
  if (!c) {
    c = xcalloc(1, sizeof *c);
    db_set_slot(db, c, free);
  }
  if (c->gen != gen || now - c->at > SETTINGS_TTL_MS) {
    memset(c->have, 0, sizeof c->have);
    c->gen = gen;
    c->at = now;
  }
  if (!c->have[i]) {
    c->value[i] = setting_read(db, d);
    c->have[i] = 1;
  }
  return c->value[i];
}

int setting_check(const char *key, const char *value, Buf *err) {
  const SettingDef *d = setting_def(key);
  int64_t v;
  if (!d) {
    buf_printf(err, "未知的设置项 %s", key);
    return -1;
  }
  if (!value || str_to_int64(value, d->min, d->max, &v) != 0) {
    buf_printf(err, "%s 应为 %lld 到 %lld 之间的整数", d->label,
               (long long)d->min, (long long)d->max);
    return -1;
  }
  return 0;
}

int setting_put(Db *db, const char *key, const char *value, Buf *err) {
  if (setting_check(key, value, err) != 0) return -1;
  Stmt *st = db_stmt(db, STMT_SETTING_PUT);
  db_bind_text(st, 1, key);
  db_bind_text(st, 2, value);
  db_bind_int64(st, 3, jx_now());
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, "保存设置失败");
    return -1;
  }
  atomic_fetch_add(&settings_gen, 1); /* every connection re-reads */
  return 0;
}
