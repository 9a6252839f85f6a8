/* page_inbox.c: the 督办 inbox (notices to me or my office, unread first,
** marked read on request) and the deadline lists (overdue, due within 7
** and within 30 days) over the clues the user may see. */
#include "auth/auth.h"
#include "auth/policy.h"
#include "domain/settings.h"
#include "web/html.h"
#include "web/page_clues.h"
#include "web/pages.h"

static const char *kind_label(const char *k) {
  return str_eq(k, "escalation") ? "挂牌督办" : "提醒";
}

static void notices_table(Request *req, Response *resp, const ClueNotice *ns,
                          size_t n, const char *id) {
  Buf *b = &resp->body;
  char t1[20], t2[20];
  html_printf(b, "<table class=\"grid\" id=\"%s\"><thead><tr><th>时间</th>"
                 "<th>线索</th><th>方式</th><th>事项</th><th>要求期限</th>"
                 "<th>督办人</th><th>阅读</th></tr></thead><tbody>\n",
              id);
  for (size_t i = 0; i < n; i++) {
    const ClueDueRule *r = clue_due_rule(ns[i].rule);
    html_printf(b,
                "<tr class=\"%s\"><td>%s</td><td><a href=\"/clues/%lld\">%s</a>"
                "</td><td>%s</td><td>%s%s%s</td><td>%s</td><td>%s</td><td>",
                ns[i].read_at ? "" : "unread", cw_time(ns[i].created_at, t1),
                (long long)ns[i].clue_id, ns[i].clue_code,
                kind_label(ns[i].kind), r ? r->label : "", r ? "：" : "",
                ns[i].text, cw_s(ns[i].due_on), cw_s(ns[i].from_name));
    if (ns[i].read_at) {
      html_printf(b, "%s 已读", cw_time(ns[i].read_at, t2));
    } else {
      char action[64];
      snprintf(action, sizeof action, "/inbox/%lld/read", (long long)ns[i].id);
      form_begin(req, resp, action);
      html_raw(b, "<button type=\"submit\" class=\"link\">标为已读</button>"
                  "</form>");
    }
    html_raw(b, "</td></tr>\n");
  }
  html_raw(b, "</tbody></table>\n");
}

/* ROUTE: GET /inbox — my 督办 notices. */
void page_inbox(Request *req, Response *resp) {
  ClueViewer v;
  ClueNotice *un = NULL, *all = NULL;
  size_t nu = 0, na = 0;
  int64_t total = 0, unread = 0, t2 = 0, u2 = 0;
  Buf *b = &resp->body;
  if (cw_viewer(req, resp, &v) != 0) return;
  ClueResult r1 = clue_inbox(req->db, &v, 1, 200, 0, &un, &nu, &t2, &unread);
  ClueResult r2 = clue_inbox(req->db, &v, 0, 100, 0, &all, &na, &total, &u2);
  page_begin(req, resp, "督办收件箱", "inbox");
  cw_tabs(req, resp);
  if (params_get(&req->query, "read")) page_notice(resp, "ok", "已标为已读。");
  if (r1 != CLUE_OK || r2 != CLUE_OK) {
    page_notice(resp, "error", "读取督办通知失败，请稍后重试");
  } else {
    html_printf(b, "<h2>未读（<span id=\"unread-count\">%lld</span>）</h2>\n",
                (long long)unread);
    if (nu)
      notices_table(req, resp, un, nu, "unread");
    else
      html_raw(b, "<p class=\"hint\">没有未读的督办通知。</p>\n");
    html_printf(b, "<h2>全部督办通知（共 %lld 条，显示最近 100 条）</h2>\n",
                (long long)total);
    if (na)
      notices_table(req, resp, all, na, "all-notices");
    else
      html_raw(b, "<p class=\"hint\">没有督办通知。</p>\n");
  }
  clue_notices_free(un, nu);
  clue_notices_free(all, na);
  page_end(req, resp);
}

/* ROUTE: POST /inbox/{id}/read (notice.read) */
void page_inbox_read(Request *req, Response *resp) {
  ClueViewer v;
  int64_t id = 0;
  if (cw_viewer(req, resp, &v) != 0) return;
  cw_id(req_arg(req, 0), &id);
  req->audit_object = "clue_notice";
  req->audit_object_id = id;
  buf_printf(&req->audit_summary, "督办通知 #%lld 标为已读", (long long)id);
  ClueResult r = id ? clue_notice_read(req->db, &v, id) : CLUE_ENOTFOUND;
  if (r == CLUE_OK)
    resp_redirect(resp, "/inbox?read=1");
  else
    web_error(req, resp, clue_http_status(r), cw_result_code(r),
              r == CLUE_ENOTFOUND ? "督办通知不存在" : "操作失败，请稍后重试",
              NULL);
}

/* One deadline list; lo/hi bound days_left (inclusive) for the window
** lists so "within 30" does not repeat "within 7". */
static void due_list(Request *req, Response *resp, const ClueViewer *v,
                     int window, int lo, const char *id, const char *title,
                     const char *def) {
  Buf *b = &resp->body;
  ClueDue *d = NULL;
  size_t n = 0, shown = 0;
  int64_t total = 0;
  html_printf(b, "<h2>%s</h2>\n<p class=\"definition\">%s</p>\n", title, def);
  if (clue_dues_list(req->db, v, window, 500, 0, &d, &n, &total) != CLUE_OK) {
    page_notice(resp, "error", "读取期限失败，请稍后重试");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (window >= 0 && d[i].days_left < lo) continue;
    const ClueDueRule *r = clue_due_rule(d[i].rule);
    if (!shown++)
      html_printf(b, "<table class=\"grid\" id=\"%s\"><thead><tr><th>线索</th>"
                     "<th>被巡察单位</th><th>问题摘要</th><th>期限</th>"
                     "<th>应于</th><th>%s</th></tr></thead><tbody>\n",
                  id, window < 0 ? "已逾期" : "剩余");
    html_printf(b,
                "<tr class=\"%s\"><td><a href=\"/clues/%lld\">%s</a></td>"
                "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d 天</td>"
                "</tr>\n",
                window < 0 ? "overdue" : cw_due_class(req->db, d[i].due_on),
                (long long)d[i].clue_id, d[i].clue_code, cw_s(d[i].unit_name),
                d[i].full ? cw_s(d[i].summary) : "（仅可查看状态）",
                r ? r->label : d[i].rule, d[i].due_on,
                d[i].days_left < 0 ? -d[i].days_left : d[i].days_left);
  }
  if (shown)
    html_raw(b, "</tbody></table>\n");
  else
    html_raw(b, "<p class=\"hint\">没有。</p>\n");
  if (total > (int64_t)n)
    html_printf(b, "<p class=\"hint\">仅显示前 %zu 项（共 %lld 项）。</p>\n", n,
                (long long)total);
  clue_dues_free(d, n);
}

/* ROUTE: GET /clues/due — overdue, then the two warning windows of the
** settings clue.due_urgent_days (7) and clue.due_warn_days (30). */
void page_clues_due(Request *req, Response *resp) {
  ClueViewer v;
  Buf *b = &resp->body;
  char today[11], title[64], def[256];
  if (cw_viewer(req, resp, &v) != 0) return;
  int urgent = (int)setting_int(req->db, "clue.due_urgent_days");
  int warn = (int)setting_int(req->db, "clue.due_warn_days");
  date_today(today);
  page_begin(req, resp, "期限提醒", "clues_due");
  cw_tabs(req, resp);
  html_printf(b, "<p>今天（北京时间）：<strong>%s</strong>。期限按各项规则"
                 "由移交、分办、立案、审理、处分等日期自动计算，规则及依据见"
                 "线索详情页；提醒天数见“安全策略设置”。</p>\n",
              today);
  due_list(req, resp, &v, -1, 0, "due-overdue", "已逾期",
           "逾期：期限未完成，且应于日期早于今天。");
  snprintf(title, sizeof title, "%d 天内到期", urgent);
  snprintf(def, sizeof def,
           "%d 天内：期限未完成，应于日期在今天至今后 %d 天之间（含）。",
           urgent, urgent);
  due_list(req, resp, &v, urgent, 0, "due-7", title, def);
  if (warn > urgent) {
    snprintf(title, sizeof title, "%d 至 %d 天内到期", urgent + 1, warn);
    snprintf(def, sizeof def,
             "%d 天内：期限未完成，应于日期在今后第 %d 天至第 %d 天之间（含）。",
             warn, urgent + 1, warn);
    due_list(req, resp, &v, warn, urgent + 1, "due-30", title, def);
  }
  page_end(req, resp);
}
