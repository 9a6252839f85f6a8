/* router.c: match a request against the route table and run it.
**
** The order of checks is the security contract of every route: match
** (404/405), session (auth_attach), permission (401/403), CSRF (403),
** content type and body (415/400), then the handler inside one
** transaction when the method changes state.
*/
#include "audit/audit.h"
#include "audit/audit_queue.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "domain/clue.h"
#include "web/html.h"
#include "web/http.h"

#include <stdlib.h>

const char *status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

/* Does path match pattern?  Fills req->path_args on success. */
static int pattern_match(Request *req, const char *pattern, const char *path) {
  int nargs = 0;
  char *args[4];
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p == '{') {
      const char *pend = strchr(p, '}');
      const char *send = strchr(s, '/');
      if (!pend) return 0;
      if (!send) send = s + strlen(s);
      if (send == s || nargs == 4) goto fail;
      args[nargs++] = xstrndup(s, (size_t)(send - s));
      p = pend + 1;
      s = send;
      continue;
    }
    if (*p != *s) goto fail;
    p++, s++;
  }
  if (*p || *s) goto fail;
  for (int i = 0; i < nargs; i++) req->path_args[i] = args[i];
  req->n_path_args = nargs;
  return 1;
fail:
  for (int i = 0; i < nargs; i++) free(args[i]);
  return 0;
}

int route_match(Request *req, Buf *allow) {
  const char *method = str_eq(req->method, "HEAD") ? "GET" : req->method;
  int path_seen = 0;
  for (size_t i = 0; i < n_routes; i++) {
    const Route *r = &routes[i];
    Request probe = {0};
    if (!pattern_match(&probe, r->pattern, req->path)) continue;
    if (str_eq(r->method, method)) {
      for (int k = 0; k < req->n_path_args; k++) free(req->path_args[k]);
      for (int k = 0; k < probe.n_path_args; k++)
        req->path_args[k] = probe.path_args[k];
      req->n_path_args = probe.n_path_args;
      req->route = r;
      return 200;
    }
    for (int k = 0; k < probe.n_path_args; k++) free(probe.path_args[k]);
    if (allow && !strstr(buf_str(allow), r->method)) {
      if (allow->len) buf_puts(allow, ", ");
      buf_puts(allow, r->method);
      if (str_eq(r->method, "GET")) buf_puts(allow, ", HEAD");
    }
    path_seen = 1;
  }
  return path_seen ? 405 : 404;
}

/* The media type of the request, without parameters, lower-cased. */
static void media_type(const Request *req, char *out, size_t n) {
  const char *ct = req_header(req, "content-type");
  size_t i = 0;
  for (; ct && ct[i] && ct[i] != ';' && ct[i] != ' ' && i + 1 < n; i++)
    out[i] = (char)((ct[i] >= 'A' && ct[i] <= 'Z') ? ct[i] + 32 : ct[i]);
  out[i] = 0;
}

/* A multipart/form-data body: text fields (the CSRF token among them)
** join req->form; files stay in req->parts for the upload handler.
** Returns 0, or renders a 400 and returns -1. */
static int read_multipart(Request *req, Response *resp) {
  Buf boundary = BUF_INIT;
  int bad = multipart_boundary(req_header(req, "content-type"), &boundary) != 0 ||
            parse_multipart(req->body, req->body_len, buf_str(&boundary),
                            &req->parts) != 0;
  buf_release(&boundary);
  for (size_t i = 0; !bad && i < req->parts.n; i++) {
    const Part *p = &req->parts.items[i];
    if (p->filename) continue;
    if (!utf8_valid(p->data, p->len) || memchr(p->data, 0, p->len)) {
      bad = 1;
      break;
    }
    char *v = xstrndup(p->data, p->len);
    params_add(&req->form, p->name, v, p->len);
    free(v);
  }
  if (bad) {
    web_error(req, resp, 400, "bad_multipart", "上传内容格式错误，请重新选择文件提交",
              NULL);
    return -1;
  }
  return 0;
}

/* Parse the body the route expects.  Returns 0, or renders the error. */
static int read_body(Request *req, Response *resp) {
  char mt[64];
  int has_body = req->body_len > 0 || !str_eq(req->method, "GET");
  if (!has_body || str_eq(req->method, "GET") || str_eq(req->method, "HEAD"))
    return 0;
  media_type(req, mt, sizeof mt);
  if (req->route->mode == MODE_JSON) {
    if (str_eq(req->method, "DELETE") && req->body_len == 0) return 0;
    /* Upload routes (a body limit of their own) take files as multipart. */
    if (req->route->max_body && str_eq(mt, "multipart/form-data"))
      return read_multipart(req, resp);
    if (!str_eq(mt, "application/json")) {
      web_error(req, resp, 415, "unsupported_media_type",
                "请求体必须是 JSON（Content-Type: application/json）", NULL);
      return -1;
    }
    Buf err = BUF_INIT;
    req->json = parse_json_object(req->body, req->body_len, &err);
    if (!req->json) {
      web_error(req, resp, 400, "bad_json", buf_str(&err), NULL);
      buf_release(&err);
      return -1;
    }
    return 0;
  }
  if (str_eq(mt, "multipart/form-data")) return read_multipart(req, resp);
  if (!str_eq(mt, "application/x-www-form-urlencoded")) {
    web_error(req, resp, 415, "unsupported_media_type",
              "不支持的提交格式，请通过页面表单提交", NULL);
    return -1;
  }
  if (parse_urlencoded(req->body, req->body_len, &req->form) != 0) {
    web_error(req, resp, 400, "bad_form", "表单数据格式错误或含有非法字符",
              NULL);
    return -1;
  }
  return 0;
}

static int csrf_ok(const Request *req) {
  if (req->session && req->session->via_token) return 1;
  if (!req->csrf_token[0]) return 0;
  const char *sent = req_header(req, "x-csrf-token");
  if (!sent) sent = params_get(&req->form, "csrf");
  if (!sent && req->json) {
    json_t *v = json_object_get(req->json, "csrf_token");
    if (json_is_string(v)) sent = json_string_value(v);
  }
  if (!sent || strlen(sent) != strlen(req->csrf_token)) return 0;
  return mem_ct_cmp(sent, req->csrf_token, strlen(sent)) == 0;
}

/* The event a request stands for; summary and roles hold strings it
** points into (the caller releases them). */
static void audit_event_of(Request *req, const char *action, int outcome,
                           AuditEvent *ev, Buf *summary, Buf *roles) {
  memset(ev, 0, sizeof *ev);
  ev->user_id = req->user_id;
  ev->login = req->session ? req->session->login : req->audit_login;
  if (req->session) {
    ev->role = req->session->roles;
  } else {
    /* A login has no session yet: record the roles it will act under. */
    if (req->user_id) account_roles(req->db, req->user_id, roles);
    ev->role = buf_str(roles);
  }
  ev->source = req->remote_addr;
  ev->action = action;
  ev->object_type = req->audit_object;
  ev->object_id = req->audit_object_id;
  ev->outcome = (AuditOutcome)outcome;
  if (req->audit_summary.len) {
    ev->summary = buf_str(&req->audit_summary);
  } else {
    buf_printf(summary, "%s %s", req->method, req->path);
    ev->summary = buf_str(summary);
  }
}

atomic_int web_audit_deferrable;

int web_audit(Request *req, const char *action, int outcome) {
  AuditEvent ev;
  Buf summary = BUF_INIT, roles = BUF_INIT;
  audit_event_of(req, action, outcome, &ev, &summary, &roles);
  int rc = audit_append(req->db, web_keys(), &ev);
  buf_release(&summary);
  buf_release(&roles);
  if (rc != DB_OK) log_error("audit write failed for %s: %s", action,
                             db_errmsg(req->db));
  return rc;
}

void web_audit_failed(Request *req, Response *resp) {
  resp_reset(resp);
  web_error(req, resp, 500, "audit_failed", "审计记录写入失败，操作未执行", NULL);
}

AuditJob *web_audit_job(Request *req) {
  if (!req->audit_deferred) return NULL;
  AuditEvent ev;
  Buf summary = BUF_INIT, roles = BUF_INIT;
  audit_event_of(req, req->audit_deferred, req->audit_deferred_outcome, &ev,
                 &summary, &roles);
  AuditJob *job = audit_job_new(&ev);
  buf_release(&summary);
  buf_release(&roles);
  return job;
}

/* The audit outcome a finished response stands for. */
static int outcome_of(int status) {
  if (status < 400) return AUDIT_OK;
  if (status == 401 || status == 403 || status == 404) return AUDIT_DENIED;
  return AUDIT_FAILED;
}

/* A refusal before the handler ran: recorded whatever the route. */
static void deny(Request *req, Response *resp, int status, const char *code,
                 const char *message) {
  const Route *r = req->route;
  if (status == 303) {
    /* Not logged in on an HTML page: send to the login form. */
    Buf loc = BUF_INIT;
    buf_puts(&loc, "/login");
    if (str_eq(req->method, "GET") && !str_eq(req->path, "/")) {
      buf_puts(&loc, "?next=");
      url_encode(&loc, req->path);
    }
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else {
    web_error(req, resp, status, code, message, NULL);
  }
  /* Anonymous hits on login-only pages are routine (expired sessions);
   * every other refusal is a security event. */
  if (req->session || r->csrf || r->audit) {
    buf_printf(&req->audit_summary, "拒绝 %s %s：%s", req->method, req->path,
               code);
    web_audit(req, r->audit ? r->audit : "access.denied", AUDIT_DENIED);
  }
}

void web_dispatch(Request *req, Response *resp) {
  Buf allow = BUF_INIT;
  int found = route_match(req, &allow);
  if (found == 405) {
    resp_header(resp, "Allow", buf_str(&allow));
    web_error(req, resp, 405, "method_not_allowed", "不支持该请求方法", NULL);
    buf_release(&allow);
    return;
  }
  buf_release(&allow);
  if (found == 404) {
    web_error(req, resp, 404, "not_found", "页面不存在或已被移除", NULL);
    return;
  }
  const Route *r = req->route;
  auth_attach(req, resp);
  if (!auth_route_allowed(req, r->perm)) {
    if (!req->session && r->mode == MODE_HTML)
      deny(req, resp, 303, "login_required", "");
    else if (!req->session)
      deny(req, resp, 401, "unauthenticated", "请先登录");
    else if (req->session->must_change_password && r->perm != P_SELF &&
             r->mode == MODE_HTML)
      resp_redirect(resp, "/me/password");
    else if (req->session->must_change_password && r->perm != P_SELF)
      deny(req, resp, 403, "must_change_password", "请先修改密码后再继续操作");
    else if (req->session->must_enrol_totp && r->perm != P_SELF &&
             r->mode == MODE_HTML)
      resp_redirect(resp, "/me/totp");
    else if (req->session->must_enrol_totp && r->perm != P_SELF)
      deny(req, resp, 403, "totp_enrol_required",
           "您的角色须使用动态验证码：请先在“个人设置”中启用后再继续操作");
    else
      deny(req, resp, 403, "forbidden", "您没有执行此操作的权限");
    return;
  }
  if (read_body(req, resp) != 0) return;
  if (r->csrf && !csrf_ok(req)) {
    deny(req, resp, 403, "csrf", "请求校验失败（CSRF），请刷新页面后重试");
    return;
  }
  /* A request that writes does so in one transaction, with its audit
   * record: if either fails, nothing of it remains (fail closed). */
  int tx = !str_eq(r->method, "GET");
  if (tx && db_begin(req->db) != DB_OK) {
    web_error(req, resp, 503, "db_busy", "数据库繁忙，请稍后重试", NULL);
    return;
  }
  r->handler(req, resp);
  int keep = resp->status < 400 || resp->keep_writes;
  if (tx && !keep) db_rollback(req->db);
  int outcome = req->audit_outcome ? req->audit_outcome : outcome_of(resp->status);
  if (r->audit && !tx && atomic_load(&web_audit_deferrable)) {
    /* A read: the server has its record group-committed before it sends
     * the response (audit/audit_queue.h). */
    req->audit_deferred = r->audit;
    req->audit_deferred_outcome = outcome;
  } else if (r->audit && web_audit(req, r->audit, outcome) != DB_OK) {
    if (db_in_transaction(req->db)) db_rollback(req->db);
    web_audit_failed(req, resp);
    return;
  }
  if (tx && keep && db_commit(req->db) != DB_OK) {
    db_rollback(req->db);
    resp_reset(resp);
    web_error(req, resp, 500, "db_error", "保存失败，请稍后重试", NULL);
    return;
  }
  /* Whatever it wrote (a clue, a grant, a revocation), totals counted
   * before it are stale now. */
  if (tx && keep) clue_data_changed();
  if (db_in_transaction(req->db)) db_rollback(req->db); /* never leak one */
}
