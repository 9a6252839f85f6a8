/* test_parse.c: unit tests for src/web/parse.c (percent-decoding,
** urlencoded, cookies, multipart/form-data, JSON bodies).
**
** Each parser gets good input (ASCII and Chinese), the edge cases of its
** grammar, bad UTF-8 (overlong forms, surrogates, truncated sequences),
** its limit exactly and one past it, and truncated input.
*/
#include "unit.h"

#include "web/parse.h"

/* ---- helpers ---- */

/* url_decode of a NUL-terminated literal; returns the result (in *b) or
** NULL when it failed. */
static const char *dec(Buf *b, const char *s, int plus) {
  buf_clear(b);
  return url_decode(s, strlen(s), plus, b) == 0 ? buf_str(b) : NULL;
}

/* parse_urlencoded of a literal into a fresh list (caller frees). */
static int form(ParamList *pl, const char *s) {
  params_init(pl);
  return parse_urlencoded(s, strlen(s), pl);
}

static int cookies(ParamList *pl, const char *s) {
  params_init(pl);
  return parse_cookies(s, pl);
}

static int boundary(Buf *b, const char *ct) {
  buf_clear(b);
  return multipart_boundary(ct, b);
}

static int multipart(PartList *pl, const char *body, size_t n) {
  parts_init(pl);
  return parse_multipart(body, n, "XyZ", pl);
}

static int multipart_s(PartList *pl, const char *body) {
  return multipart(pl, body, strlen(body));
}

/* parse_json_object of a literal: 0 when it gave an object, else -1 with
** the message in err. */
static int json_obj(const char *s, Buf *err) {
  json_t *j = parse_json_object(s, strlen(s), err);
  if (!j) return -1;
  json_decref(j);
  return 0;
}

/* ---- url_decode ---- */

static void test_url_decode_good(void **state) {
  Buf b = BUF_INIT;
  assert_string_equal(dec(&b, "abc", 0), "abc");
  assert_string_equal(dec(&b, "a%20b+c", 1), "a b c");
  assert_string_equal(dec(&b, "a%20b+c", 0), "a b+c");
  assert_string_equal(dec(&b, "%2B%2b", 1), "++");
  assert_string_equal(dec(&b, "%E4%B8%AD%E6%96%87", 0), "中文");
  assert_string_equal(dec(&b, "%e4%b8%ad", 0), "中");
  assert_string_equal(dec(&b, "中文+%E5%AD%97", 1), "中文 字");
  assert_string_equal(dec(&b, "%F0%9F%98%80", 0), "😀");
  assert_string_equal(dec(&b, "%F4%8F%BF%BF", 0), "\xF4\x8F\xBF\xBF");
  assert_string_equal(dec(&b, "%0A%0D%09", 0), "\n\r\t");
  assert_string_equal(dec(&b, "", 0), "");
  assert_int_equal(b.len, 0);
  assert_int_equal(url_decode(NULL, 0, 1, &b), 0);
  assert_int_equal(b.len, 0);

  /* appends, and decodes only n bytes */
  buf_clear(&b);
  buf_puts(&b, "x=");
  assert_int_equal(url_decode("%41%42zzz", 6, 0, &b), 0);
  assert_string_equal(buf_str(&b), "x=AB");
  assert_int_equal(b.len, 4);
  buf_release(&b);
}

static void test_url_decode_bad(void **state) {
  static const char *bad[] = {
      "%",          "%2",           "abc%",         "%zz",
      "%G0",        "%0G",          "% 20",         "%%41",
      "%00",        "a%00b",        "%FF",          "%C0%AF", /* overlong / */
      "%E0%80%AF",  "%F0%80%80%AF", "%ED%A0%80",    /* surrogate D800 */
      "%ED%BF%BF",  "%F4%90%80%80",                 /* above U+10FFFF */
      "%E4%B8",     "%E4%B8+",      "%80",          "\xE4\xB8",
      "\xC0\xAF",   "\xED\xA0\x80",
  };
  Buf b = BUF_INIT;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    buf_clear(&b);
    buf_puts(&b, "keep");
    if (url_decode(bad[i], strlen(bad[i]), 1, &b) != -1)
      fail_msg("accepted %s", bad[i]);
    /* failure leaves what was there before */
    assert_string_equal(buf_str(&b), "keep");
    assert_int_equal(b.len, 4);
  }
  /* a raw NUL byte inside the given length */
  buf_clear(&b);
  assert_int_equal(url_decode("a\0b", 3, 0, &b), -1);
  assert_int_equal(b.len, 0);
  buf_release(&b);
}

/* ---- parse_urlencoded ---- */

static void test_urlencoded_good(void **state) {
  ParamList pl;
  assert_int_equal(form(&pl, "a=1&b=%E4%B8%AD%E6%96%87&c&d=&%E5%90%8D=%E5%80%BC"),
                   0);
  assert_int_equal(pl.n, 5);
  assert_string_equal(pl.items[0].name, "a");
  assert_string_equal(pl.items[0].value, "1");
  assert_int_equal(pl.items[0].len, 1);
  assert_string_equal(params_get(&pl, "b"), "中文");
  assert_int_equal(pl.items[1].len, strlen("中文"));
  assert_string_equal(params_get(&pl, "c"), "");
  assert_string_equal(params_get(&pl, "d"), "");
  assert_string_equal(params_get(&pl, "名"), "值");
  assert_null(params_get(&pl, "e"));
  assert_null(params_get(&pl, "A"));
  params_free(&pl);
  assert_int_equal(pl.n, 0);
  assert_null(pl.items);

  /* repeated names keep input order; params_get gives the first */
  assert_int_equal(form(&pl, "x=1&y=2&x=3"), 0);
  assert_int_equal(pl.n, 3);
  assert_string_equal(params_get(&pl, "x"), "1");
  assert_string_equal(pl.items[2].name, "x");
  assert_string_equal(pl.items[2].value, "3");
  params_free(&pl);

  /* empty pairs are skipped; '=' after the first belongs to the value */
  assert_int_equal(form(&pl, "&&a+b=c+d=e&&&"), 0);
  assert_int_equal(pl.n, 1);
  assert_string_equal(pl.items[0].name, "a b");
  assert_string_equal(pl.items[0].value, "c d=e");
  params_free(&pl);

  /* an empty name is kept, as WHATWG does */
  assert_int_equal(form(&pl, "=v"), 0);
  assert_int_equal(pl.n, 1);
  assert_string_equal(pl.items[0].name, "");
  assert_string_equal(pl.items[0].value, "v");
  params_free(&pl);

  assert_int_equal(form(&pl, ""), 0);
  assert_int_equal(pl.n, 0);
  assert_int_equal(form(&pl, "&"), 0);
  assert_int_equal(pl.n, 0);
  params_free(&pl);

  /* raw UTF-8 (a browser's address bar may send it) and only n bytes */
  params_init(&pl);
  assert_int_equal(parse_urlencoded("q=中文&zzz", strlen("q=中文"), &pl), 0);
  assert_int_equal(pl.n, 1);
  assert_string_equal(params_get(&pl, "q"), "中文");
  params_free(&pl);
}

static void test_urlencoded_bad(void **state) {
  static const char *bad[] = {
      "a=%",   "a=%zz",      "%=1",        "a=%00",     "a%00=1",
      "a=%FF", "a=%C0%AF",   "a=%ED%A0%80", "n=\xFF",   "a=%E4%B8",
  };
  ParamList pl;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    if (form(&pl, bad[i]) != -1) fail_msg("accepted %s", bad[i]);
    params_free(&pl);
  }
  /* what was parsed before the error stays for the caller to free */
  assert_int_equal(form(&pl, "a=1&b=%ZZ&c=3"), -1);
  assert_int_equal(pl.n, 1);
  assert_string_equal(params_get(&pl, "a"), "1");
  params_free(&pl);

  params_init(&pl);
  assert_int_equal(parse_urlencoded("a=\0", 3, &pl), -1);
  params_free(&pl);
}

static void test_urlencoded_limit(void **state) {
  Buf s = BUF_INIT;
  ParamList pl;
  for (int i = 0; i < PARSE_MAX_PARAMS; i++) buf_printf(&s, "k%d=%d&&", i, i);
  assert_int_equal(form(&pl, buf_str(&s)), 0);
  assert_int_equal(pl.n, PARSE_MAX_PARAMS);
  assert_string_equal(params_get(&pl, "k999"), "999");
  params_free(&pl);

  buf_puts(&s, "one=more");
  assert_int_equal(form(&pl, buf_str(&s)), -1);
  assert_int_equal(pl.n, PARSE_MAX_PARAMS);
  params_free(&pl);
  buf_release(&s);
}

/* ---- params_* ---- */

static void test_params_add(void **state) {
  ParamList pl;
  params_init(&pl);
  params_add(&pl, "名", "值", strlen("值"));
  params_add(&pl, "bin", "abcdef", 3); /* only len bytes are copied */
  params_add(&pl, "null", NULL, 5);
  for (int i = 0; i < 40; i++) params_add(&pl, "many", "x", 1);
  assert_int_equal(pl.n, 43);
  assert_string_equal(params_get(&pl, "名"), "值");
  assert_string_equal(params_get(&pl, "bin"), "abc");
  assert_int_equal(pl.items[1].len, 3);
  assert_string_equal(params_get(&pl, "null"), "");
  assert_int_equal(pl.items[2].len, 0);
  params_free(&pl);
  params_free(&pl); /* idempotent on an empty list */
}

/* ---- parse_cookies ---- */

static void test_cookies_good(void **state) {
  ParamList pl;
  assert_int_equal(cookies(&pl, "a=1; b=2"), 0);
  assert_int_equal(pl.n, 2);
  assert_string_equal(params_get(&pl, "a"), "1");
  assert_string_equal(params_get(&pl, "b"), "2");
  params_free(&pl);

  /* optional whitespace, tabs, empty segments */
  assert_int_equal(cookies(&pl, " \ta = 1 ;b=2;;\t; c= x y  ;"), 0);
  assert_int_equal(pl.n, 3);
  assert_string_equal(pl.items[0].name, "a");
  assert_string_equal(pl.items[0].value, "1");
  assert_string_equal(params_get(&pl, "c"), "x y");
  assert_int_equal(pl.items[2].len, 3);
  params_free(&pl);

  /* quoted values lose their quotes; values are not decoded */
  assert_int_equal(
      cookies(&pl, "sid=\"abc\"; e=\"\"; q=%E4%B8%AD; eq=a=b; 名字=张三"), 0);
  assert_int_equal(pl.n, 5);
  assert_string_equal(params_get(&pl, "sid"), "abc");
  assert_string_equal(params_get(&pl, "e"), "");
  assert_string_equal(params_get(&pl, "q"), "%E4%B8%AD");
  assert_string_equal(params_get(&pl, "eq"), "a=b");
  assert_string_equal(params_get(&pl, "名字"), "张三");
  params_free(&pl);

  /* repeated names and empty values */
  assert_int_equal(cookies(&pl, "x=1; x=2; y="), 0);
  assert_int_equal(pl.n, 3);
  assert_string_equal(params_get(&pl, "x"), "1");
  assert_string_equal(pl.items[1].value, "2");
  assert_string_equal(params_get(&pl, "y"), "");
  params_free(&pl);

  assert_int_equal(cookies(&pl, ""), 0);
  assert_int_equal(pl.n, 0);
  assert_int_equal(cookies(&pl, " ; ;"), 0);
  assert_int_equal(pl.n, 0);
  assert_int_equal(cookies(&pl, NULL), 0);
  assert_int_equal(pl.n, 0);
  params_free(&pl);
}

static void test_cookies_bad(void **state) {
  static const char *bad[] = {
      "a",          "a=1; b",        "=1",          " =1",
      "a=\"abc",    "a=\"",          "a=1\x01",
      "a=x\ty",     "a\x7F=1",       "a=\x7F",      "a=\r\n",
      "a=\xFF",     "a=\xC0\xAF",    "a=\xE0\x80\xAF",
      "a=\xED\xA0\x80", "a=\xE4\xB8", "\xFF=1",      "a=\"\xFF\"",
  };
  ParamList pl;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    if (cookies(&pl, bad[i]) != -1) fail_msg("accepted %s", bad[i]);
    params_free(&pl);
  }
  assert_int_equal(cookies(&pl, "ok=1; bad"), -1);
  assert_int_equal(pl.n, 1);
  params_free(&pl);
}

static void test_cookies_limit(void **state) {
  Buf s = BUF_INIT;
  ParamList pl;
  for (int i = 0; i < PARSE_MAX_PARAMS; i++) buf_printf(&s, "c%d=%d; ", i, i);
  assert_int_equal(cookies(&pl, buf_str(&s)), 0);
  assert_int_equal(pl.n, PARSE_MAX_PARAMS);
  params_free(&pl);
  buf_puts(&s, "over=1");
  assert_int_equal(cookies(&pl, buf_str(&s)), -1);
  assert_int_equal(pl.n, PARSE_MAX_PARAMS);
  params_free(&pl);
  buf_release(&s);
}

/* ---- multipart_boundary ---- */

static void test_boundary_good(void **state) {
  Buf b = BUF_INIT;
  assert_int_equal(boundary(&b, "multipart/form-data; boundary=abc"), 0);
  assert_string_equal(buf_str(&b), "abc");
  assert_int_equal(
      boundary(&b, "multipart/form-data; "
                   "boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"),
      0);
  assert_string_equal(buf_str(&b), "----WebKitFormBoundary7MA4YWxkTrZu0gW");
  assert_int_equal(boundary(&b, "Multipart/Form-Data;BOUNDARY=\"a b:c?\""), 0);
  assert_string_equal(buf_str(&b), "a b:c?");
  assert_int_equal(boundary(&b, " multipart/form-data ; charset=utf-8 ;"
                                " Boundary=\"x\\yz\" ; foo=\"a;b\";"),
                   0);
  assert_string_equal(buf_str(&b), "xyz");

  /* exactly 70 characters; the old contents are replaced */
  char ct[128];
  snprintf(ct, sizeof ct, "multipart/form-data; boundary=%070d", 7);
  assert_int_equal(boundary(&b, ct), 0);
  assert_int_equal(b.len, 70);
  assert_int_equal(boundary(&b, "multipart/form-data; boundary=z"), 0);
  assert_string_equal(buf_str(&b), "z");
  buf_release(&b);
}

static void test_boundary_bad(void **state) {
  static const char *bad[] = {
      "",
      "multipart/form-data",
      "multipart/form-data;",
      "multipart/form-data; boundary=",
      "multipart/form-data; boundary=\"\"",
      "multipart/form-data; boundary=\"abc",
      "multipart/form-data; boundary=a\"b\"",
      "multipart/form-data; boundary=\"ab \"",
      "multipart/form-data; boundary=\"a\001b\"",
      "multipart/form-data; boundary=\"中\"",
      "multipart/form-data; boundary=a b",
      "multipart/form-data; boundary=a; boundary=b",
      "multipart/form-data; boundary",
      "multipart/form-data; =x",
      "multipart/form-data boundary=x",
      "multipart/form-datax; boundary=x",
      "multipart/mixed; boundary=x",
      "text/plain; boundary=x",
      "application/x-www-form-urlencoded",
  };
  Buf b = BUF_INIT;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    buf_puts(&b, "stale");
    if (boundary(&b, bad[i]) != -1) fail_msg("accepted %s", bad[i]);
    assert_int_equal(b.len, 0);
  }
  char ct[128];
  snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 7);
  assert_int_equal(boundary(&b, ct), -1);
  assert_int_equal(multipart_boundary(NULL, &b), -1);
  buf_release(&b);
}

/* ---- parse_multipart ---- */

/* A body as Chrome sends it, with a preamble and an epilogue. */
static const char good_body[] =
    "preamble is ignored\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "标题\r\n"
    "--XyZ\r\n"
    "content-disposition: FORM-DATA; name=\"file\"; "
    "filename=\"报告;第1版.txt\"\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "X-Ignored: yes\r\n"
    "\r\n"
    "line 1\r\n--XyY\n--XyZ x--XyZ\0binary\r\n"
    "\r\n"
    "--XyZ  \t\r\n"
    "Content-Disposition: form-data; name=empty\r\n"
    "\r\n"
    "\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "--XyZ--\r\n"
    "epilogue is ignored too\r\n";

static void test_multipart_good(void **state) {
  PartList pl;
  size_t n = sizeof good_body - 1;
  assert_int_equal(multipart(&pl, good_body, n), 0);
  assert_int_equal(pl.n, 4);

  Part *p = &pl.items[0];
  assert_string_equal(p->name, "title");
  assert_null(p->filename);
  assert_null(p->content_type);
  assert_int_equal(p->len, strlen("标题"));
  assert_memory_equal(p->data, "标题", p->len);
  assert_true(p->data > good_body && p->data < good_body + n);

  p = &pl.items[1];
  assert_string_equal(p->name, "file");
  assert_string_equal(p->filename, "报告;第1版.txt");
  assert_string_equal(p->content_type, "text/plain; charset=utf-8");
  static const char data1[] = "line 1\r\n--XyY\n--XyZ x--XyZ\0binary\r\n";
  assert_int_equal(p->len, sizeof data1 - 1);
  assert_memory_equal(p->data, data1, p->len);

  p = &pl.items[2];
  assert_string_equal(p->name, "empty");
  assert_int_equal(p->len, 0);

  p = &pl.items[3];
  assert_string_equal(p->name, "title"); /* names may repeat */
  assert_string_equal(p->filename, "");
  assert_string_equal(p->content_type, "application/octet-stream");
  assert_int_equal(p->len, 0);
  parts_free(&pl);
  assert_int_equal(pl.n, 0);

  /* no parts at all; no preamble */
  assert_int_equal(multipart_s(&pl, "--XyZ--"), 0);
  assert_int_equal(pl.n, 0);
  parts_free(&pl);

  /* backslashes in a filename are kept (old IE sent full paths) */
  assert_int_equal(
      multipart_s(&pl, "--XyZ\r\nContent-Disposition: form-data; "
                       "name=\"f\"; filename=\"C:\\dir\\a.txt\"\r\n\r\n"
                       "x\r\n--XyZ--"),
      0);
  assert_int_equal(pl.n, 1);
  assert_string_equal(pl.items[0].filename, "C:\\dir\\a.txt");
  parts_free(&pl);
}

static void test_multipart_truncated(void **state) {
  /* Every prefix that stops before the close delimiter is complete is
  ** malformed, and none of them leaks. */
  const char *close =
      memmem(good_body, sizeof good_body - 1, "\r\n--XyZ--", 9);
  assert_non_null(close);
  size_t need = (size_t)(close - good_body) + 9;
  PartList pl;
  for (size_t k = 0; k < need; k++) {
    if (multipart(&pl, good_body, k) != -1) fail_msg("accepted %zu bytes", k);
    assert_true(pl.n <= 4);
    parts_free(&pl);
  }
  assert_int_equal(multipart(&pl, good_body, need), 0);
  assert_int_equal(pl.n, 4);
  parts_free(&pl);
}

static void test_multipart_bad(void **state) {
#define CD "Content-Disposition: form-data; name=\"a\"\r\n"
  static const char *bad[] = {
      "",
      "no delimiter here",
      "--XyZ",
      "--XyZ\r\n",
      "--XyZ\r\n" CD "\r\nvalue",                  /* no closing delimiter */
      "--XyZ\r\n" CD "\r\nvalue\r\n--XyZ",         /* ... nor its "--" */
      "--XyZ\r\n" CD "\r\nvalue\r\n--XyZ\r\n",
      "--XyZ\r\n" CD "\r\n--XyZ--",                /* data's CRLF missing */
      "--XyZ\r\n" CD "\r\nv\r\n--XyZx\r\n--XyZ--", /* boundary in data */
      "--XyZx\r\n" CD "\r\nv\r\n--XyZ--",
      "--XyZ \r\n" CD "\r\nv\r\n--XyZ x\r\n--XyZ--",
      "--XyZ\n" CD "\r\nv\r\n--XyZ--",             /* LF only */
      "--XyZ\r\n" "Content-Disposition: form-data; name=\"a\"\n"
      "\nv\r\n--XyZ--",
      "--XyZ\r\n\r\nv\r\n--XyZ--",                 /* no headers */
      "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\n"
      "v\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n"
      "v\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n"
      "\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=x; "
      "filename=y\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD CD "\r\nv\r\n--XyZ--",        /* two dispositions */
      "--XyZ\r\n" CD "Content-Type: a\r\nContent-Type: b\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD "no colon\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD ": empty name\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD "Bad Name: x\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD " folded\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\n" CD "X: a\001b\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"\xFF\"\r\n\r\n"
      "v\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
      "filename=\"\xC0\xAF\"\r\n\r\nv\r\n--XyZ--", /* overlong */
      "--XyZ\r\nContent-Disposition: form-data; name=\"\xED\xA0\x80\"\r\n"
      "\r\nv\r\n--XyZ--",                          /* surrogate */
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\tb\"\r\n\r\n"
      "v\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\" junk\r\n\r\n"
      "v\r\n--XyZ--",
  };
#undef CD
  PartList pl;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    if (multipart_s(&pl, bad[i]) != -1) fail_msg("accepted [%zu] %s", i, bad[i]);
    parts_free(&pl);
  }

  /* bad boundaries */
  const char *ok = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                   "v\r\n--XyZ--";
  char b71[72];
  memset(b71, 'b', 71);
  b71[71] = 0;
  parts_init(&pl);
  assert_int_equal(parse_multipart(ok, strlen(ok), NULL, &pl), -1);
  assert_int_equal(parse_multipart(ok, strlen(ok), "", &pl), -1);
  assert_int_equal(parse_multipart(ok, strlen(ok), b71, &pl), -1);
  assert_int_equal(parse_multipart(NULL, 0, "XyZ", &pl), -1);
  assert_int_equal(pl.n, 0);
  assert_int_equal(parse_multipart(ok, strlen(ok), "XyZ", &pl), 0);
  assert_int_equal(pl.n, 1);
  parts_free(&pl);

  /* parts before the error stay in the list */
  assert_int_equal(
      multipart_s(&pl, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
                       "\r\n1\r\n--XyZ\r\n\r\n2\r\n--XyZ--"),
      -1);
  assert_int_equal(pl.n, 1);
  parts_free(&pl);
}

static void test_multipart_limit(void **state) {
  Buf body = BUF_INIT;
  PartList pl;
  for (int i = 0; i < PARSE_MAX_PARTS; i++)
    buf_printf(&body,
               "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n"
               "\r\n%d\r\n",
               i, i);
  size_t mark = body.len;
  buf_puts(&body, "--XyZ--\r\n");
  assert_int_equal(multipart(&pl, body.p, body.len), 0);
  assert_int_equal(pl.n, PARSE_MAX_PARTS);
  assert_string_equal(pl.items[99].name, "f99");
  assert_memory_equal(pl.items[99].data, "99", 2);
  parts_free(&pl);

  body.len = mark;
  buf_puts(&body, "--XyZ\r\nContent-Disposition: form-data; name=x\r\n\r\n"
                  "\r\n--XyZ--\r\n");
  assert_int_equal(multipart(&pl, body.p, body.len), -1);
  assert_int_equal(pl.n, PARSE_MAX_PARTS);
  parts_free(&pl);
  buf_release(&body);
}

/* ---- parse_json_object ---- */

static void test_json_good(void **state) {
  Buf err = BUF_INIT;
  const char *s = " {\"名字\": \"张三\", \"n\": 1, \"a\": [1, {\"b\": null}],"
                  " \"e\": \"\\u4e2d\\ud83d\\ude00\"}\n";
  json_t *j = parse_json_object(s, strlen(s), &err);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "名字")), "张三");
  assert_int_equal(json_integer_value(json_object_get(j, "n")), 1);
  assert_string_equal(json_string_value(json_object_get(j, "e")), "中😀");
  json_decref(j);

  /* only n bytes are read */
  j = parse_json_object("{}garbage", 2, &err);
  assert_non_null(j);
  assert_int_equal(json_object_size(j), 0);
  json_decref(j);
  buf_release(&err);
}

static void test_json_bad(void **state) {
  static const struct {
    const char *in;
    const char *err;
  } bad[] = {
      {"", "请求体为空"},
      {"[1, 2]", "请求体必须是 JSON 对象"},
      {"\"字符串\"", "请求体必须是 JSON 对象"},
      {"42", "请求体必须是 JSON 对象"},
      {"null", "请求体必须是 JSON 对象"},
      {"{\"a\": 1, \"a\": 2}", "请求体中有重复的键：第 1 行"},
      {"{\n\"a\":\n}", "请求体不是合法的 JSON：第 3 行"},
      {"{\"a\": 1", "请求体不是合法的 JSON：第 1 行"},
      {"{} {}", "请求体不是合法的 JSON：第 1 行"},
      {"{'a': 1}", "请求体不是合法的 JSON：第 1 行"},
      {"{\"a\": \"\\u0000\"}", "请求体不是合法的 JSON：第 1 行"},
      {"{\"a\": \"\\ud800\"}", "请求体不是合法的 JSON：第 1 行"},
      {"{\"a\": \"\\udc00\\ud800\"}", "请求体不是合法的 JSON：第 1 行"},
      {"{\"a\": \"\xFF\"}", "请求体不是合法的 UTF-8"},
      {"{\"a\": \"\xC0\xAF\"}", "请求体不是合法的 UTF-8"},
      {"{\"a\": \"\xE0\x80\xAF\"}", "请求体不是合法的 UTF-8"},
      {"{\"a\": \"\xED\xA0\x80\"}", "请求体不是合法的 UTF-8"},
      {"{\"a\": \"\xE4\xB8\"}", "请求体不是合法的 UTF-8"},
      {"{\"a\": \"\xF4\x90\x80\x80\"}", "请求体不是合法的 UTF-8"},
  };
  Buf err = BUF_INIT;
  for (size_t i = 0; i < JX_COUNT(bad); i++) {
    buf_puts(&err, "stale ");
    if (json_obj(bad[i].in, &err) != -1) fail_msg("accepted %s", bad[i].in);
    assert_string_equal(buf_str(&err), bad[i].err);
  }

  /* a NUL byte anywhere */
  assert_null(parse_json_object("{\"a\":\"\0\"}", 8, &err));
  assert_string_equal(buf_str(&err), "请求体含有 NUL 字符");
  assert_null(parse_json_object("{}\0", 3, &err));

  /* deep nesting fails cleanly instead of exhausting the stack */
  Buf deep = BUF_INIT;
  buf_puts(&deep, "{\"a\":");
  for (int i = 0; i < 100000; i++) buf_putc(&deep, '[');
  assert_int_equal(json_obj(buf_str(&deep), &err), -1);
  assert_true(str_starts(buf_str(&err), "请求体不是合法的 JSON"));
  buf_release(&deep);
  buf_release(&err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_url_decode_good),
      cmocka_unit_test(test_url_decode_bad),
      cmocka_unit_test(test_urlencoded_good),
      cmocka_unit_test(test_urlencoded_bad),
      cmocka_unit_test(test_urlencoded_limit),
      cmocka_unit_test(test_params_add),
      cmocka_unit_test(test_cookies_good),
      cmocka_unit_test(test_cookies_bad),
      cmocka_unit_test(test_cookies_limit),
      cmocka_unit_test(test_boundary_good),
      cmocka_unit_test(test_boundary_bad),
      cmocka_unit_test(test_multipart_good),
      cmocka_unit_test(test_multipart_truncated),
      cmocka_unit_test(test_multipart_bad),
      cmocka_unit_test(test_multipart_limit),
      cmocka_unit_test(test_json_good),
      cmocka_unit_test(test_json_bad),
  };
  return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
