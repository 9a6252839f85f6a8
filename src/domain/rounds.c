/* rounds.c: the rules of rounds and phases (see rounds.h). */
#include "domain/rounds.h"

#include <stdlib.h>
#include <string.h>

/* DOMAIN.md §5.8 names the phases; the issue fixes their order (移交
** before 整改, as practised: the clue lists go out right after the
** feedback and rectification runs on from there). */
const PhaseDef round_phases[PHASE__COUNT] = {
    [PHASE_PREP] = {"prepare", "准备", "巡前准备"},
    [PHASE_LEARN] = {"understand", "了解", "巡察了解"},
    [PHASE_REPORT] = {"report", "报告", "巡察报告"},
    [PHASE_FEEDBACK] = {"feedback", "反馈", "巡察反馈"},
    [PHASE_TRANSFER] = {"transfer", "移交", "巡察移交"},
    [PHASE_RECTIFY] = {"rectify", "整改", "巡察整改"},
};

/* The only legal steps: forward, one at a time. */
const PhaseTransition round_transitions[] = {
    {PHASE_PREP, PHASE_LEARN},
    {PHASE_LEARN, PHASE_REPORT},
    {PHASE_REPORT, PHASE_FEEDBACK},
    {PHASE_FEEDBACK, PHASE_TRANSFER},
    {PHASE_TRANSFER, PHASE_RECTIFY},
};
const size_t n_round_transitions = JX_COUNT(round_transitions);

const RoundKindDef round_kinds[] = {
    {"regular", "常规"},  {"special", "专项"},  {"mobile", "机动"},
    {"elevated", "提级"}, {"revisit", "回头看"},
};
const size_t n_round_kinds = JX_COUNT(round_kinds);

int round_phase_from_code(const char *code) {
  for (int i = 0; i < PHASE__COUNT; i++)
    if (str_eq(round_phases[i].code, code)) return i;
  return -1;
}

const char *round_phase_label(int phase) {
  return phase >= 0 && phase < PHASE__COUNT ? round_phases[phase].label : "?";
}

int round_phase_next(int from) {
  for (size_t i = 0; i < n_round_transitions; i++)
    if ((int)round_transitions[i].from == from)
      return (int)round_transitions[i].to;
  return -1;
}

int round_phase_check(int from, int to, Buf *err) {
  if (to < 0 || to >= PHASE__COUNT) {
    buf_puts(err, "未知的巡察阶段");
    return -1;
  }
  if (from < 0) {
    if (to == PHASE_PREP) return 0;
    buf_printf(err, "被巡察单位须从“%s”阶段开始，不能直接进入“%s”阶段",
               round_phases[PHASE_PREP].label, round_phases[to].label);
    return -1;
  }
  for (size_t i = 0; i < n_round_transitions; i++)
    if ((int)round_transitions[i].from == from &&
        (int)round_transitions[i].to == to)
      return 0;
  if (to == from) {
    buf_printf(err, "该单位已处于“%s”阶段", round_phases[to].label);
  } else if (to < from) {
    buf_printf(err, "巡察阶段只能向前推进，不能从“%s”退回“%s”",
               round_phases[from].label, round_phases[to].label);
  } else {
    int next = round_phase_next(from);
    if (next < 0) {
      buf_printf(err, "“%s”已是最后一个阶段", round_phases[from].label);
    } else {
      buf_printf(err, "巡察阶段须依次推进：“%s”之后应为“%s”，不能跳至“%s”",
                 round_phases[from].label, round_phases[next].label,
                 round_phases[to].label);
    }
  }
  return -1;
}

const char *round_kind_label(const char *code) {
  for (size_t i = 0; i < n_round_kinds; i++)
    if (str_eq(round_kinds[i].code, code)) return round_kinds[i].label;
  return NULL;
}

void round_cn_number(Buf *out, int64_t n) {
  static const char *const digit[] = {"零", "一", "二", "三", "四",
                                      "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) {
    buf_printf(out, "%lld", (long long)n);
    return;
  }
  if (n >= 10) {
    if (n >= 20) buf_puts(out, digit[n / 10]);
    buf_puts(out, "十");
    if (n % 10) buf_puts(out, digit[n % 10]);
    return;
  }
  buf_puts(out, digit[n]);
}

void round_default_name(Buf *out, int64_t term, int64_t number,
                        const char *committee) {
  round_cn_number(out, term);
  buf_printf(out, "届%s第", committee && *committee ? committee : "市委");
  round_cn_number(out, number);
  buf_puts(out, "轮巡察");
}

size_t round_text_chars(const char *s) {
  size_t n = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

int round_check(const RoundIn *in, Buf *err, const char **field) {
  *field = NULL;
  if (in->title && round_text_chars(in->title) > ROUND_TITLE_MAX) {
    *field = "title";
    buf_printf(err, "轮次名称不能超过 %d 个字", ROUND_TITLE_MAX);
    return -1;
  }
  if (in->term < 1 || in->term > 99) {
    *field = "term";
    buf_puts(err, "届次应为 1 到 99 之间的整数");
    return -1;
  }
  if (in->number < 1 || in->number > 99) {
    *field = "number";
    buf_puts(err, "轮次应为 1 到 99 之间的整数");
    return -1;
  }
  if (!round_kind_label(in->kind)) {
    *field = "kind";
    buf_puts(err, "巡察类型应为常规、专项、机动、提级或回头看");
    return -1;
  }
  if (in->start_date && *in->start_date && !round_date_valid(in->start_date)) {
    *field = "start_date";
    buf_puts(err, "开始日期格式应为 YYYY-MM-DD");
    return -1;
  }
  if (in->end_date && *in->end_date && !round_date_valid(in->end_date)) {
    *field = "end_date";
    buf_puts(err, "结束日期格式应为 YYYY-MM-DD");
    return -1;
  }
  if (in->start_date && *in->start_date && in->end_date && *in->end_date &&
      strcmp(in->end_date, in->start_date) < 0) {
    *field = "end_date";
    buf_puts(err, "结束日期不能早于开始日期");
    return -1;
  }
  return 0;
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Split a 'YYYY-MM-DD' into its numbers; 0, or -1 when it is not one. */
static int date_parts(const char *s, int *y, int *m, int *d) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
  *y = atoi(s);
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
    return -1;
  return 0;
}

int round_date_valid(const char *s) {
  int y, m, d;
  return date_parts(s, &y, &m, &d) == 0;
}

void round_today(char out[11]) {
  char iso[21];
  time_iso(jx_now(), iso);
  snprintf(out, 11, "%.10s", iso);
}

void round_years_before(const char *date, int n, char out[11]) {
  int y, m, d;
  out[0] = 0;
  if (date_parts(date, &y, &m, &d) != 0) return;
  y -= n;
  if (d > month_days(y, m)) d = month_days(y, m);
  snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}
