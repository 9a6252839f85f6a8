/* layout.c: page chrome shared by every HTML page (head, navigation,
** footer) and the small form helpers.  No inline script or style: the
** CSP forbids both, so behaviour lives in assets/app.js. */
#include "auth/auth.h"
#include "auth/policy.h"
#include "domain/clue_due.h"
#include "util/embed.h"
#include "web/html.h"

/* The navigation: one entry per module, in display order.  A module adds
** its entry here when it adds its pages. */
typedef struct NavEntry {
  const char *key;   /* matches page_begin's nav_key */
  const char *href;  /* target */
  const char *label; /* Chinese label */
  Perm perm;         /* shown only to users who may use it */
  const char *what;  /* one line for the 工作台 card */
} NavEntry;

static const NavEntry nav[] = {
    {"home", "/", "工作台", P_LOGIN, ""},
    {"users", "/admin/users", "账号管理", P_USER_ADMIN,
     "新建账号，锁定、解锁、停用账号，重置密码，设置账号有效期。"},
    {"audit", "/audit", "审计", P_AUDIT_READ,
     "查询、导出审计记录，校验审计链是否完整。"},
    {"access", "/access/mine", "知悉范围", P_ACCESS_REQUEST,
     "申请查看受控记录，查看本人申请的审批结果。"},
    {"access_approve", "/access/requests", "知悉范围审批", P_ACCESS_APPROVE,
     "审批知悉范围申请，撤销已有授权。"},
    {"org", "/org/units", "组织机构", P_ORG_READ,
     "辖区、部门、被巡察单位、干部人员与巡察力量库，支持 Excel 导入导出。"},
    {"secadmin", "/secadmin", "安全管理", P_ROLE_GRANT,
     "授予与撤销角色，设置密码、锁定、会话与动态验证码策略。"},
    {"rounds", "/rounds", "巡察轮次", P_ROUND_READ,
     "巡察轮次与被巡察单位的阶段，巡察组及其成员。"},
    {"staffing", "/staffing-requests", "力量需求", P_ROUND_READ,
     "巡察办提出力量需求，纪委监委按匹配度选派人员，自动核对回避。"},
    {"avoid", "/avoid-overrides", "回避例外审批", P_AVOID_APPROVE,
     "审批触发回避规则人员的例外申请。"},
    {"training", "/trainings", "同堂培训", P_TRAINING_READ,
     "“纪巡审”同堂培训及每名干部的培训记录。"},
    /* problem clues (page_clues.c, page_inbox.c; 统计指标 is page_figures.c) */
    {"clues", "/clues", "问题线索台账", P_CLUE_READ,
     "问题线索从发现、研判、移交到查办、反馈、办结的全过程台账。"},
    {"clues_due", "/clues/due", "期限提醒", P_CLUE_READ,
     "已逾期、7 天内和 30 天内到期的反馈、处置、审理等期限。"},
    {"inbox", "/inbox", "督办收件箱", P_CLUE_READ,
     "发给本人或本部门的督办通知。"},
    {"figures", "/clues/figures", "统计指标", P_CLUE_STATS,
     "移交数、办结率、成案率等指标及其口径，可点击查看对应线索。"},
};

/* The unread 督办 count after the inbox entry (one indexed count). */
static void nav_unread(Request *req, Response *resp) {
  ClueViewer v;
  ClueNotice *ns = NULL;
  size_t n = 0;
  int64_t total = 0, unread = 0;
  if (clue_viewer_from_request(req, &v) != 0) return;
  if (clue_inbox(req->db, &v, 1, 0, 0, &ns, &n, &total, &unread) == CLUE_OK &&
      unread > 0)
    html_printf(&resp->body, " <span class=\"badge\" id=\"nav-unread\">%lld"
                             "</span>",
                (long long)unread);
  clue_notices_free(ns, n);
}

void asset_url(Buf *b, const char *name) {
  char path[128];
  snprintf(path, sizeof path, "assets/%s", name);
  const EmbeddedFile *f = embed_find(path);
  if (!f) jx_fatal("missing embedded asset '%s'", name);
  /* The hash in the query makes the URL change with the content, so the
   * asset can be cached forever (see page_static). */
  /* codecheck: a URL from a literal asset name; html_printf escapes it
   * where it is written into the page. */
  buf_printf(b, "/static/%s?v=%.8s", name, f->etag + 1);
}

void page_begin(Request *req, Response *resp, const char *title,
                const char *nav_key) {
  Buf css = BUF_INIT, js = BUF_INIT, icon = BUF_INIT;
  Buf *b = &resp->body;
  asset_url(&css, "app.css");
  asset_url(&js, "app.js");
  asset_url(&icon, "favicon.svg");
  resp->content_type = "text/html; charset=utf-8";
  html_printf(b,
              "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
              "<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, "
              "initial-scale=1\">\n"
              "<title>%s - 纪巡</title>\n"
              "<link rel=\"icon\" type=\"image/svg+xml\" href=\"%s\">\n"
              "<link rel=\"stylesheet\" href=\"%s\">\n"
              "<script src=\"%s\" defer></script>\n"
              "</head>\n<body>\n<header class=\"top\">\n"
              "<a class=\"brand\" href=\"/\">纪巡 <small>纪检监察与巡察协同平台</small></a>\n",
              title, buf_str(&icon), buf_str(&css), buf_str(&js));
  if (req->session) {
    html_raw(b, "<nav class=\"main\" aria-label=\"主导航\"><ul>\n");
    for (size_t i = 0; i < JX_COUNT(nav); i++)
      if (auth_route_allowed(req, nav[i].perm)) {
        html_printf(b, "<li class=\"%s\"><a href=\"%s\">%s",
                    str_eq(nav[i].key, nav_key) ? "active" : "",
                    nav[i].href, nav[i].label);
        if (str_eq(nav[i].key, "inbox")) nav_unread(req, resp);
        html_raw(b, "</a></li>\n");
      }
    html_raw(b, "</ul></nav>\n<div class=\"user\">");
    html_printf(b, "<span class=\"who\">%s</span> ",
                req->session->display_name);
    html_raw(b, "<a href=\"/me\">个人设置</a> ");
    form_begin(req, resp, "/logout");
    html_raw(b, "<button type=\"submit\" class=\"link\">退出</button></form>");
    html_raw(b, "</div>\n");
  }
  html_printf(b, "</header>\n<main>\n<h1>%s</h1>\n", title);
  buf_release(&css);
  buf_release(&js);
  buf_release(&icon);
}

void nav_cards(Request *req, Response *resp) {
  Buf *b = &resp->body;
  int shown = 0;
  for (size_t i = 0; i < JX_COUNT(nav); i++) {
    if (!nav[i].what[0] || !auth_route_allowed(req, nav[i].perm)) continue;
    if (!shown++) html_raw(b, "<section class=\"cards\">\n");
    html_printf(b,
                "<a class=\"card\" href=\"%s\"><h2>%s</h2><p>%s</p></a>\n",
                nav[i].href, nav[i].label, nav[i].what);
  }
  if (shown) html_raw(b, "</section>\n");
}

void page_end(Request *req, Response *resp) {
  html_printf(&resp->body,
              "</main>\n<footer>纪巡 %s · 内部系统，注意保密</footer>\n"
              "</body>\n</html>\n",
              JX_VERSION);
}

void form_begin(Request *req, Response *resp, const char *action) {
  form_begin_class(req, resp, action, NULL);
}

void form_begin_class(Request *req, Response *resp, const char *action,
                      const char *cls) {
  html_printf(&resp->body, "<form method=\"post\" action=\"%s\"", action);
  if (cls) html_printf(&resp->body, " class=\"%s\"", cls);
  html_raw(&resp->body, ">");
  if (req->csrf_token[0])
    html_printf(&resp->body,
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                req->csrf_token);
}

void page_notice(Response *resp, const char *kind, const char *text) {
  html_printf(&resp->body, "<p class=\"notice %s\" role=\"%s\">%s</p>\n", kind,
              str_eq(kind, "error") ? "alert" : "status", text);
}
