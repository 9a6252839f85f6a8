/* api.c: JSON response helpers (see api.h). */
#include "web/api.h"

#include <stdlib.h>

void api_json(Response *resp, int status, json_t *obj) {
  char *s = json_dumps(obj, JSON_COMPACT);
  json_decref(obj);
  if (!s) jx_fatal("json_dumps failed");
  resp->status = status;
  resp->content_type = "application/json; charset=utf-8";
  buf_clear(&resp->body);
  buf_puts(&resp->body, s);
  free(s);
}

static int paging_value(Request *req, Response *resp, const char *name,
                        int64_t def, int64_t max, int64_t *out) {
  const char *v = params_get(&req->query, name);
  *out = def;
  if (!v) return 0;
  if (str_to_int64(v, 1, max, out) != 0) {
    char msg[96];
    snprintf(msg, sizeof msg, "参数 %s 应为 1 到 %lld 之间的整数", name,
             (long long)max);
    web_error(req, resp, 400, "bad_parameter", msg, name);
    return -1;
  }
  return 0;
}

int api_paging(Request *req, Response *resp, int64_t *page, int64_t *per_page) {
  if (paging_value(req, resp, "page", 1, 1000000, page) != 0) return -1;
  return paging_value(req, resp, "per_page", 50, 200, per_page);
}

json_t *api_page(json_t *items, int64_t total, int64_t page, int64_t per_page) {
  return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
                   (json_int_t)total, "page", (json_int_t)page, "per_page",
                   (json_int_t)per_page);
}

json_t *api_time(jx_time t) {
  if (!t) return json_null();
  char s[21];
  time_iso(t, s);
  return json_string(s);
}

const char *api_string(Request *req, Response *resp, const char *field) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!json_is_string(v)) {
    char msg[96];
    snprintf(msg, sizeof msg, "缺少字段 %s 或其类型不是字符串", field);
    web_error(req, resp, 400, "bad_field", msg, field);
    return NULL;
  }
  return json_string_value(v);
}
