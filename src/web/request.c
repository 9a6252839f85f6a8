/* request.c: accessors for Request and Response, and error rendering. */
#include <stdlib.h>
#include <strings.h>

#include "web/html.h"
#include "web/http.h"

const char *req_header(const Request *req, const char *lower_name) {
  for (size_t i = 0; i < req->n_headers; i++)
    if (str_eq(req->headers[i].name, lower_name)) return req->headers[i].value;
  return NULL;
}

const char *req_param(const Request *req, const char *name) {
  const char *v = params_get(&req->form, name);
  return v ? v : params_get(&req->query, name);
}

const char *req_arg(const Request *req, int i) {
  return i < req->n_path_args ? req->path_args[i] : "";
}

void resp_header(Response *resp, const char *name, const char *value) {
  if (resp->n_headers == (int)JX_COUNT(resp->headers))
    jx_fatal("too many response headers");
  resp->headers[resp->n_headers].name = xstrdup(name);
  resp->headers[resp->n_headers].value = xstrdup(value);
  resp->n_headers++;
}

void resp_redirect(Response *resp, const char *location) {
  resp->status = 303;
  resp_header(resp, "Location", location);
}

void resp_reset(Response *resp) {
  for (int i = 0; i < resp->n_headers; i++) {
    free(resp->headers[i].name);
    free(resp->headers[i].value);
  }
  resp->n_headers = 0;
  buf_clear(&resp->body);
  resp->static_body = NULL;
  resp->static_len = 0;
  resp->status = 200;
  resp->content_type = "text/html; charset=utf-8";
  resp->no_store = 1;
  resp->keep_writes = 0;
}

void resp_free(Response *resp) {
  resp_reset(resp);
  buf_release(&resp->body);
}

static int wants_json(const Request *req) {
  if (req->route) return req->route->mode == MODE_JSON;
  return str_starts(req->path, "/api/") || str_eq(req->path, "/healthz");
}

void web_error(Request *req, Response *resp, int status, const char *code,
               const char *message, const char *field) {
  resp->status = status;
  buf_clear(&resp->body);
  resp->static_body = NULL;
  if (wants_json(req)) {
    json_t *e = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", code,
                          "message", message, "field",
                          field ? json_string(field) : json_null());
    char *s = json_dumps(e, JSON_COMPACT);
    resp->content_type = "application/json; charset=utf-8";
    buf_puts(&resp->body, s);
    free(s);
    json_decref(e);
    return;
  }
  char title[64];
  snprintf(title, sizeof title, "%d %s", status,
           status == 404   ? "页面不存在"
           : status == 403 ? "无权访问"
           : status == 400 ? "请求有误"
           : status == 413 ? "提交内容过大"
           : status == 405 ? "请求方法不允许"
           : status == 415 ? "提交格式不支持"
           : status == 431 ? "请求头过大"
           : status == 503 ? "服务器繁忙"
           : status >= 500 ? "服务器内部错误"
                           : "请求未能完成");
  page_begin(req, resp, title, "");
  page_notice(resp, "error", message);
  html_raw(&resp->body,
           "<p><a href=\"/\">返回工作台</a></p>\n");
  page_end(req, resp);
  resp->status = status; /* page_begin does not touch it; keep explicit */
}
