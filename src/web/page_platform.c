/* page_platform.c: platform pages — health check, embedded static
** assets and the home page (工作台). */
#include <stdlib.h>

#include "auth/auth.h"
#include "util/embed.h"
#include "web/api.h"
#include "web/html.h"

/* ROUTE: GET /healthz — liveness and backend, no login. */
void page_healthz(Request *req, Response *resp) {
  int ok = db_ping(req->db) == DB_OK;
  api_json(resp, ok ? 200 : 503,
           json_pack("{s:s, s:s, s:s}", "status", ok ? "ok" : "db_unavailable",
                     "db", db_backend_name(req->db), "version", JX_VERSION));
}

static const char *mime_of(const char *name) {
  const char *dot = strrchr(name, '.');
  static const struct { const char *ext, *type; } types[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
  };
  for (size_t i = 0; dot && i < JX_COUNT(types); i++)
    if (str_eq(dot, types[i].ext)) return types[i].type;
  return "application/octet-stream";
}

/* ROUTE: GET /static/{name} — embedded assets, cached by content hash. */
void page_static(Request *req, Response *resp) {
  char path[160];
  snprintf(path, sizeof path, "assets/%s", req_arg(req, 0));
  const EmbeddedFile *f = strstr(path, "..") ? NULL : embed_find(path);
  if (!f) {
    web_error(req, resp, 404, "not_found", "文件不存在", NULL);
    return;
  }
  resp->no_store = 0;
  resp_header(resp, "ETag", f->etag);
  /* A URL carrying the hash (asset_url) never changes content. */
  resp_header(resp, "Cache-Control", params_get(&req->query, "v")
                                         ? "public, max-age=31536000, immutable"
                                         : "no-cache");
  const char *inm = req_header(req, "if-none-match");
  if (inm && str_eq(inm, f->etag)) {
    resp->status = 304;
    return;
  }
  resp->content_type = mime_of(path);
  resp->static_body = f->data;
  resp->static_len = f->len;
}

/* ROUTE: GET / — the 工作台: what needs this user's attention. */
void page_home(Request *req, Response *resp) {
  Buf *b = &resp->body;
  page_begin(req, resp, "工作台", "home");
  html_printf(b, "<p class=\"lead\">%s，您好。</p>\n",
              req->session->display_name);
  if (req->session->must_change_password)
    page_notice(resp, "info", "您的密码需要修改后才能继续使用系统。");
  html_raw(b, "<section class=\"cards\">\n"
              "<div class=\"card\"><h2>问题线索台账</h2>"
              "<p>巡察移交问题线索的接收、办理、反馈与督办。</p></div>\n"
              "<div class=\"card\"><h2>巡察组织</h2>"
              "<p>巡察轮次、巡察组、人员选派与回避审查。</p></div>\n"
              "<div class=\"card\"><h2>整改评估</h2>"
              "<p>反馈问题整改、销号与成效评估。</p></div>\n"
              "</section>\n");
  page_end(req, resp);
}
