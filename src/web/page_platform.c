/* page_platform.c: platform pages — health check, embedded static
** assets and the home page (工作台). */
#include <stdlib.h>

#include "auth/auth.h"
#include "domain/settings.h"
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

/* ROUTE: GET / — the 工作台: who you are, your account's security
** state, and the modules you may use. */
void page_home(Request *req, Response *resp) {
  Buf *b = &resp->body;
  Buf roles = BUF_INIT;
  page_begin(req, resp, "工作台", "home");
  Stmt *st = db_stmt(req->db, STMT_USER_ROLES);
  db_bind_int64(st, 1, req->user_id);
  while (db_step(st) == DB_ROW) {
    if (roles.len) buf_puts(&roles, "、");
    buf_puts(&roles, db_column_text(st, 1));
  }
  db_reset(st);
  html_printf(b, "<p class=\"lead\">%s，您好。当前角色：%s</p>\n",
              req->session->display_name, roles.len ? buf_str(&roles) : "（尚未授予角色，请联系安全管理员）");
  buf_release(&roles);

  html_raw(b, "<ul class=\"facts\">\n");
  st = db_stmt(req->db, STMT_SESSION_PREVIOUS);
  db_bind_int64(st, 1, req->user_id);
  db_bind_int64(st, 2, req->session->id);
  if (db_step(st) == DB_ROW) {
    char t[20];
    time_local(db_column_int64(st, 0), t);
    html_printf(b, "<li>上次登录：%s（北京时间），来源地址 %s</li>\n", t,
                db_column_text(st, 1));
  } else {
    html_raw(b, "<li>这是您第一次登录本系统。</li>\n");
  }
  db_reset(st);
  int64_t max_age = setting_int(req->db, "auth.password_max_age_days");
  st = db_stmt(req->db, STMT_USER_BY_ID);
  db_bind_int64(st, 1, req->user_id);
  if (max_age > 0 && db_step(st) == DB_ROW) {
    int64_t left = (db_column_int64(st, 4) + max_age * 86400 - jx_now()) / 86400;
    html_printf(b, "<li class=\"%s\">密码将在 %lld 天后到期%s</li>\n",
                left <= 7 ? "warn" : "", (long long)(left > 0 ? left : 0),
                left <= 7 ? "，请及时修改" : "");
  }
  db_reset(st);
  html_raw(b, "</ul>\n");
  nav_cards(req, resp);
  page_end(req, resp);
}
