/* settings.c: the settings table and its typed access. */
#include "domain/settings.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SettingDef setting_defs[] = {
    {"auth.password_min_length", "10", 8, 64, "密码最小长度",
     "等保三级 8.1.4.1 a（复杂度要求，长度由单位确定）；ASVS 2.1.1", 0},
    {"auth.password_classes", "3", 1, 4, "密码至少包含的字符类别数（大写、小写、数字、符号）",
     "等保三级 8.1.4.1 a；常见加固实践", 0},
    {"auth.password_history", "5", 0, 24, "不得与最近几次密码相同",
     "常见加固实践", 0},
    {"auth.password_max_age_days", "90", 0, 3650, "密码有效期（天，0 为不过期）",
     "等保三级 8.1.4.1 a（定期更换）；常见加固实践为 90 天", 0},
    {"auth.lockout_failures", "5", 1, 100, "连续登录失败多少次后锁定",
     "等保三级 8.1.4.1 b（限制非法登录次数）；ASVS 2.2.1", 0},
    {"auth.lockout_window_minutes", "15", 1, 1440, "统计登录失败次数的时间窗口（分钟）",
     "常见加固实践", 0},
    {"auth.lockout_minutes", "30", 1, 10080, "锁定时长（分钟）", "常见加固实践", 0},
    {"auth.session_idle_minutes", "30", 5, 480, "会话空闲超时（分钟）",
     "等保三级 8.1.4.1 b（登录连接超时自动退出）；ASVS 3.3.2", 0},
    {"auth.session_absolute_hours", "12", 1, 72, "会话绝对超时（小时）", "ASVS 3.3.2", 0},
    {"auth.cookie_secure", "0", 0, 1, "会话 Cookie 仅经 HTTPS 发送（部署在 HTTPS 后应开启）",
     "ASVS 3.4.1", 0},
    {"auth.totp_enforce", "0", 0, 1,
     "对指定角色强制使用动态验证码（TOTP，1 为开启；角色在“安全管理”中设定）",
     "等保三级 8.1.4.1 d（两种或两种以上组合的鉴别技术）；ASVS 4.3.1（管理界面多因素认证）", 0},
    {"auth.totp_window", "1", 0, 3, "动态验证码允许的时钟偏差（前后各几个 30 秒时间步）",
     "RFC 6238 §5.2（建议最多允许一个时间步的偏差）", 0},
    {"audit.retention_days", "3650", 180, 36500,
     "审计记录保留天数：服务每天删除更早的记录（不少于 180 天）",
     "《网络安全法》第二十一条（网络日志留存不少于六个月）；"
     "等保三级 8.1.5.4 d（审计记录保护与留存）", 0},
    {"org.avoid_years", "5", 1, 30,
     "回避年限：本人在被巡察单位任职结束后多少年内不得参加巡察该单位",
     "回避规则常见表述为“近 N 年内曾在被巡察单位工作”；公开规定未见统一"
     "年限，本系统默认 5 年，按本地巡察回避规定调整", 0},
    {"org.import_chunk_rows", "2000", 10, 100000,
     "导入检查：每次检查的行数（大文件分批检查并显示进度）",
     "系统运行设置（大文件分批检查并显示进度），不涉及业务规则", 0},
    /* problem clues (issue 5): deadline periods where public rules or
    ** local practice differ, the transfer chain and the figures' bases */
    {"clue.feedback_first_months", "6", 1, 24,
     "问题线索移交后首次反馈期限（月）",
     "巴中做法：移交后6个月内首次反馈；2015年巡视工作条例第二十九条为3个月", 0},
    {"clue.feedback_every_months", "6", 1, 24,
     "首次反馈后定期反馈间隔（月，直至办结）",
     "巴中做法：每半年反馈一次直至办结", 0},
    {"clue.disposal_months", "1", 1, 12,
     "分办后提出处置意见期限（月）",
     "中国共产党纪律检查机关监督执纪工作规则 第二十一条第二款", 0},
    {"clue.investigation_days", "90", 30, 365,
     "立案后审查调查期限（天）",
     "中国共产党纪律检查机关监督执纪工作规则（试行，2017）第二十八条；"
     "2019年规则对应条文未经核实", 0},
    {"clue.trial_months", "1", 1, 6, "移送审理后审理期限（月）",
     "中国共产党纪律检查机关监督执纪工作规则 第五十五条", 0},
    {"clue.detention_months", "3", 1, 3, "留置期限（月）",
     "中华人民共和国监察法 第四十八条（留置时间不得超过三个月）", 0},
    {"clue.detention_extend_months", "3", 1, 3, "留置每次延长期限（月）",
     "中华人民共和国监察法 第四十八条（特殊情况可延长一次，不得超过三个月）", 0},
    {"clue.detention_max_extensions", "1", 0, 3, "留置最多延长次数",
     "中华人民共和国监察法 第四十八条（可以延长一次）", 0},
    {"clue.announce_months", "1", 1, 6, "处分决定作出后宣布期限（月）",
     "中央纪委国家监委案件审理室答问（处分决定作出后一个月内宣布）", 0},
    {"clue.execute_months", "6", 1, 12, "处分决定执行情况报告期限（月）",
     "中央纪委国家监委案件审理室答问（执行情况报告）", 0},
    {"clue.due_warn_days", "30", 1, 180, "期限提醒：提前多少天列入“即将到期”",
     "公开规定未规定提醒时点；本系统默认 30 天，按本地督办要求调整", 0},
    {"clue.due_urgent_days", "7", 1, 60, "期限提醒：提前多少天列为“紧急”",
     "公开规定未规定提醒时点；本系统默认 7 天，按本地督办要求调整", 0},
    {"clue.transfer_chain", "1", 1, 3,
     "问题线索移交审批链（1：组长 → 巡察办主任 → 巡察工作领导小组；"
     "2：组长 → 巡察工作领导小组；3：组长 → 巡察办主任）",
     "巡视巡察工作条例（巡察组发现的问题线索经领导小组审批后移交）；本地做法可调整", 0},
    {"clue.filing_rate_base", "1", 1, 2,
     "成案率的分母（1：移交纪委监委的线索；2：全部移交线索）",
     "公开规定未见成案率的统一口径；本系统默认以移交纪委监委的线索为分母，"
     "按本地统计口径调整", 0},
    {"clue.concluded_counts_parked", "0", 0, 1,
     "暂存待查的线索是否计入“已办结”（1 为计入）",
     "公开规定未明确暂存待查是否属于办结；本系统默认不计入，按本地统计口径调整", 0},
    {"clue.transfer_no_format", "{jur}纪巡移〔{year}〕{seq}号", 1, 40,
     "移交函号格式（{jur} 为辖区简称，{year} 年份，{seq} 序号；须含 {year} 和 {seq}）",
     "党政机关公文格式（GB/T 9704—2012）：发文字号由机关代字、年份和发文顺序号组成；"
     "按本地公文编号规则调整", 1},
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
/* Every setting gets a cache slot (beyond it setting_int would re-read on
** each call: correct but slow). */
_Static_assert(JX_COUNT(setting_defs) <= SETTINGS_MAX,
               "settings table outgrew SETTINGS_MAX");

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
  if (d->text) jx_fatal("setting '%s' is text", key);
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

/* Placeholders a format setting may contain, and which it must. */
typedef struct TextFormat {
  const char *key;
  const char *allowed[4];
  const char *required[4];
} TextFormat;

static const TextFormat text_formats[] = {
    {"clue.transfer_no_format", {"{jur}", "{year}", "{seq}"}, {"{year}", "{seq}"}},
};

static int text_check(const SettingDef *d, const char *value, Buf *err) {
  size_t len = strlen(value);
  if (len >= SETTING_TEXT_MAX || !utf8_valid(value, len)) {
    buf_printf(err, "%s 含有无效字符或过长", d->label);
    return -1;
  }
  for (const char *p = value; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      buf_printf(err, "%s 不能含有控制字符", d->label);
      return -1;
    }
  size_t chars = utf8_chars(value);
  if ((int64_t)chars < d->min || (int64_t)chars > d->max) {
    buf_printf(err, "%s 应为 %lld 到 %lld 个字符", d->label, (long long)d->min,
               (long long)d->max);
    return -1;
  }
  for (size_t i = 0; i < JX_COUNT(text_formats); i++) {
    const TextFormat *f = &text_formats[i];
    if (!str_eq(f->key, d->key)) continue;
    for (size_t k = 0; k < JX_COUNT(f->required) && f->required[k]; k++)
      if (!strstr(value, f->required[k])) {
        buf_printf(err, "%s 须包含 %s", d->label, f->required[k]);
        return -1;
      }
    /* every brace must open a known placeholder: a typo like {yaer}
    ** would otherwise be printed on every letter */
    for (const char *p = value; *p; p++) {
      if (*p == '}') {
        buf_printf(err, "%s 中的花括号不成对", d->label);
        return -1;
      }
      if (*p != '{') continue;
      size_t k = 0;
      for (; k < JX_COUNT(f->allowed) && f->allowed[k]; k++)
        if (strncmp(p, f->allowed[k], strlen(f->allowed[k])) == 0) break;
      if (k == JX_COUNT(f->allowed) || !f->allowed[k]) {
        buf_printf(err, "%s 只能使用占位符 {jur}、{year}、{seq}", d->label);
        return -1;
      }
      p += strlen(f->allowed[k]) - 1;
    }
  }
  return 0;
}

int setting_check(const char *key, const char *value, Buf *err) {
  const SettingDef *d = setting_def(key);
  int64_t v;
  if (!d) {
    buf_printf(err, "未知的设置项 %s", key);
    return -1;
  }
  if (d->text) {
    if (!value) {
      buf_printf(err, "%s 不能为空", d->label);
      return -1;
    }
    return text_check(d, value, err);
  }
  if (!value || str_to_int64(value, d->min, d->max, &v) != 0) {
    buf_printf(err, "%s 应为 %lld 到 %lld 之间的整数", d->label,
               (long long)d->min, (long long)d->max);
    return -1;
  }
  return 0;
}

/* Text settings are read where they are used (a transfer's number), not
** on every request, so they go to the database each time. */
int setting_text(Db *db, const char *key, char *out, size_t n) {
  const SettingDef *d = setting_def(key);
  if (!d) jx_fatal("unknown setting '%s'", key);
  if (!d->text) jx_fatal("setting '%s' is not text", key);
  const char *v = d->def;
  Buf tmp = {0};
  Stmt *st = db_stmt(db, STMT_SETTING_GET);
  db_bind_text(st, 1, d->key);
  if (st && db_step(st) == DB_ROW) {
    const char *stored = db_column_text(st, 0);
    Buf ignore = {0};
    /* a value that no longer passes the check (edited by hand) falls
    ** back to the default, as integers do */
    if (stored && text_check(d, stored, &ignore) == 0) {
      buf_puts(&tmp, stored);
      v = tmp.p;
    }
    buf_release(&ignore);
  }
  db_reset(st);
  size_t len = strlen(v);
  int rc = (int)len;
  if (n == 0) {
    rc = -1;
  } else if (len >= n) {
    len = n - 1;
    while (len > 0 && ((unsigned char)v[len] & 0xC0) == 0x80) len--;
    rc = -1;
  }
  if (n > 0) {
    memcpy(out, v, len);
    out[len] = '\0';
  }
  buf_release(&tmp);
  return rc;
}

void setting_value(Db *db, const SettingDef *d, char out[SETTING_TEXT_MAX]) {
  if (d->text)
    setting_text(db, d->key, out, SETTING_TEXT_MAX);
  else
    snprintf(out, SETTING_TEXT_MAX, "%lld", (long long)setting_int(db, d->key));
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
