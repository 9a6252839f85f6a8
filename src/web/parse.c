/* parse.c: parsers for outside input (see parse.h): percent-decoding,
** urlencoded forms and query strings, the Cookie header,
** multipart/form-data and JSON request bodies.
**
** Everything here is pure: no I/O, no globals, no locale.  Every read is
** bounds-checked against an explicit length, everything handed back is
** valid UTF-8 without NUL, and each entry point has a libFuzzer driver in
** fuzz/.  On malformed input a parser returns -1 and stops; what it had
** already added to the output list stays there for the caller to free.
*/
#include "web/parse.h"

#include <stdlib.h>

/* ---- small helpers ---- */

/* 1 for optional whitespace (RFC 9110 OWS): space or tab. */
static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* 1 for an ASCII control character (C0 or DEL). */
static int is_ctl(unsigned char c) { return c < 0x20 || c == 0x7F; }

/* The value of a hex digit, or -1. */
static int hex_val(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* c in lower case when it is an ASCII capital; locale-independent. */
static unsigned char ascii_lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* 1 when s[0..n) equals the lowercase literal lit, ignoring ASCII case. */
static int ci_eq(const char *s, size_t n, const char *lit) {
  if (strlen(lit) != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (ascii_lower((unsigned char)s[i]) != (unsigned char)lit[i]) return 0;
  return 1;
}

/* 1 for an RFC 9110 token character. */
static int is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return 1;
  return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* 1 when s[0..n) is UTF-8 without any control character (names, cookie
** values, multipart field names). */
static int label_ok(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (is_ctl((unsigned char)s[i])) return 0;
  return utf8_valid(s, n);
}

/* Strip spaces and tabs from both ends of s[0..*n). */
static void trim_ows(const char **s, size_t *n) {
  while (*n && is_ows(**s)) (*s)++, (*n)--;
  while (*n && is_ows((*s)[*n - 1])) (*n)--;
}

/* memmem that accepts an empty haystack (glibc's is declared nonnull). */
static const char *find(const char *hay, size_t n, const char *needle,
                        size_t m) {
  if (n < m || !n) return NULL;
  return memmem(hay, n, needle, m);
}

/* ---- ParamList ---- */

void params_init(ParamList *pl) {
  pl->items = NULL;
  pl->n = 0;
  pl->cap = 0;
}

void params_free(ParamList *pl) {
  for (size_t i = 0; i < pl->n; i++) {
    free(pl->items[i].name);
    free(pl->items[i].value);
  }
  free(pl->items);
  params_init(pl);
}

/* Append copies of name[0..nlen) and value[0..vlen). */
static void params_add_n(ParamList *pl, const char *name, size_t nlen,
                         const char *value, size_t vlen) {
  if (pl->n == pl->cap) {
    size_t cap = pl->cap ? pl->cap * 2 : 8;
    pl->items = xrealloc(pl->items, cap * sizeof *pl->items);
    pl->cap = cap;
  }
  Param *p = &pl->items[pl->n++];
  p->name = xstrndup(nlen ? name : "", nlen);
  p->value = xstrndup(vlen ? value : "", vlen);
  p->len = vlen;
}

void params_add(ParamList *pl, const char *name, const char *value,
                size_t len) {
  params_add_n(pl, name, strlen(name), value, value ? len : 0);
}

const char *params_get(const ParamList *pl, const char *name) {
  for (size_t i = 0; i < pl->n; i++)
    if (strcmp(pl->items[i].name, name) == 0) return pl->items[i].value;
  return NULL;
}

/* ---- percent-decoding and urlencoded ---- */

/* Decodes straight into out's memory: the result is never longer than the
** input.  On failure out is truncated back to what it held before. */
int url_decode(const char *s, size_t n, int plus_is_space, Buf *out) {
  size_t start = out->len;
  buf_grow(out, n);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '%') {
      int hi, lo;
      if (n - i < 3 || (hi = hex_val((unsigned char)s[i + 1])) < 0 ||
          (lo = hex_val((unsigned char)s[i + 2])) < 0)
        goto bad;
      c = (unsigned char)(hi << 4 | lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == 0) goto bad;
    out->p[out->len++] = (char)c;
  }
  out->p[out->len] = 0;
  if (!utf8_valid(out->p + start, out->len - start)) goto bad;
  return 0;
bad:
  out->len = start;
  out->p[start] = 0;
  return -1;
}

/* Pairs are split on '&' only (not ';', which HTML 4 also allowed), the
** name ends at the first '='.  An empty name ("=x") is kept, as WHATWG's
** urlencoded parser does; empty pairs ("a=1&&b=2", a trailing '&') are
** skipped and do not count towards PARSE_MAX_PARAMS. */
int parse_urlencoded(const char *s, size_t n, ParamList *out) {
  Buf name = BUF_INIT, value = BUF_INIT;
  size_t count = 0, i = 0;
  int rc = 0;
  while (i < n) {
    const char *pair = s + i;
    const char *amp = memchr(pair, '&', n - i);
    size_t plen = amp ? (size_t)(amp - pair) : n - i;
    i += plen + 1;
    if (plen == 0) continue;
    if (count == PARSE_MAX_PARAMS) {
      rc = -1;
      break;
    }
    const char *eq = memchr(pair, '=', plen);
    size_t nlen = eq ? (size_t)(eq - pair) : plen;
    buf_clear(&name);
    buf_clear(&value);
    if (url_decode(pair, nlen, 1, &name) < 0 ||
        (eq && url_decode(eq + 1, plen - nlen - 1, 1, &value) < 0)) {
      rc = -1;
      break;
    }
    params_add_n(out, name.p, name.len, value.p, value.len);
    count++;
  }
  buf_release(&name);
  buf_release(&value);
  return rc;
}

/* ---- Cookie header ---- */

/* RFC 6265 section 5.4 syntax, read leniently: pairs split on ';' with
** optional spaces or tabs around names and values, empty segments
** skipped.  A name must be non-empty; a value wrapped in double quotes
** loses them, an unbalanced quote is malformed.  Names and values must
** be UTF-8 without control characters.  NULL means no header: 0. */
int parse_cookies(const char *header, ParamList *out) {
  size_t count = 0;
  const char *p = header ? header : "";
  while (*p) {
    const char *semi = strchr(p, ';');
    const char *seg = p;
    size_t len = semi ? (size_t)(semi - p) : strlen(p);
    p = semi ? semi + 1 : p + len;
    trim_ows(&seg, &len);
    if (len == 0) continue;
    if (count == PARSE_MAX_PARAMS) return -1;
    const char *eq = memchr(seg, '=', len);
    if (!eq) return -1;
    const char *name = seg, *val = eq + 1;
    size_t nlen = (size_t)(eq - seg), vlen = len - nlen - 1;
    trim_ows(&name, &nlen);
    trim_ows(&val, &vlen);
    if (nlen == 0 || !label_ok(name, nlen)) return -1;
    if (vlen && val[0] == '"') {
      if (vlen < 2 || val[vlen - 1] != '"') return -1;
      val++;
      vlen -= 2;
    }
    if (!label_ok(val, vlen)) return -1;
    params_add_n(out, name, nlen, val, vlen);
    count++;
  }
  return 0;
}

/* ---- multipart/form-data ---- */

void parts_init(PartList *pl) {
  pl->items = NULL;
  pl->n = 0;
  pl->cap = 0;
}

/* Free the strings of *p and zero it (data is not owned). */
static void part_clear(Part *p) {
  free(p->name);
  free(p->filename);
  free(p->content_type);
  memset(p, 0, sizeof *p);
}

void parts_free(PartList *pl) {
  for (size_t i = 0; i < pl->n; i++) part_clear(&pl->items[i]);
  free(pl->items);
  parts_init(pl);
}

/* Move *p (its strings now owned by the list) to the end of pl. */
static void parts_push(PartList *pl, Part *p) {
  if (pl->n == pl->cap) {
    size_t cap = pl->cap ? pl->cap * 2 : 8;
    pl->items = xrealloc(pl->items, cap * sizeof *pl->items);
    pl->cap = cap;
  }
  pl->items[pl->n++] = *p;
  memset(p, 0, sizeof *p);
}

/* 1 when b[0..n) is an RFC 2046 boundary: 1 to 70 bchars, not ending in
** a space. */
static int boundary_ok(const char *b, size_t n) {
  if (n == 0 || n > 70 || b[n - 1] == ' ') return 0;
  for (size_t i = 0; i < n; i++) {
    char c = b[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9');
    if (!alnum && (!c || !strchr("'()+_,-./:=? ", c))) return 0;
  }
  return 1;
}

/* Read one parameter value at *pp (a NUL-terminated header value): a
** quoted string or a run of bytes up to ';', whitespace or the end.
** Quoted strings follow RFC 2045 (backslash escapes the next byte) when
** escapes is set; browsers do not escape inside Content-Disposition
** (WHATWG encodes '"' as %22), so there a backslash is an ordinary byte.
** Appends the value to v and advances *pp past it; -1 when empty or the
** quote is not closed. */
static int param_value(const char **pp, int escapes, Buf *v) {
  const char *p = *pp;
  if (*p == '"') {
    p++;
    while (*p != '"') {
      if (!*p) return -1;
      if (*p == '\\' && escapes && p[1]) p++;
      buf_putc(v, *p++);
    }
    p++;
  } else {
    const char *s = p;
    while (*p && *p != ';' && *p != '"' && !is_ows(*p)) p++;
    if (p == s) return -1;
    buf_append(v, s, (size_t)(p - s));
  }
  *pp = p;
  return 0;
}

/* The parameters "; name=value ..." of a header value, one at a time.
** *pp points after the previous item.  Returns 1 with name and value
** set, 0 at the end, -1 when malformed.  The value is in v (cleared
** first); name points into the header. */
static int next_param(const char **pp, int escapes, const char **name,
                      size_t *nlen, Buf *v) {
  const char *p = *pp;
  while (is_ows(*p)) p++;
  if (!*p) return 0;
  if (*p != ';') return -1;
  p++;
  while (is_ows(*p)) p++;
  if (!*p) return 0; /* a trailing ';' */
  *name = p;
  while (is_tchar(*p)) p++;
  *nlen = (size_t)(p - *name);
  if (*nlen == 0 || *p != '=') return -1;
  p++;
  buf_clear(v);
  if (param_value(&p, escapes, v) < 0) return -1;
  *pp = p;
  return 1;
}

/* The type "multipart/form-data" (any case), then parameters; only
** "boundary" matters, and it may appear once. */
int multipart_boundary(const char *content_type, Buf *boundary) {
  Buf v = BUF_INIT;
  const char *p = content_type, *name = NULL;
  size_t nlen = 0;
  int found = 0, r;
  buf_clear(boundary);
  if (!p) return -1;
  while (is_ows(*p)) p++;
  const char *type = p;
  while (*p && *p != ';' && !is_ows(*p)) p++;
  if (!ci_eq(type, (size_t)(p - type), "multipart/form-data")) return -1;
  while ((r = next_param(&p, 1, &name, &nlen, &v)) == 1) {
    if (!ci_eq(name, nlen, "boundary")) continue;
    if (found) {
      r = -1;
      break;
    }
    found = 1;
    buf_append(boundary, buf_str(&v), v.len);
  }
  buf_release(&v);
  if (r < 0 || !found || !boundary_ok(buf_str(boundary), boundary->len)) {
    buf_clear(boundary);
    return -1;
  }
  return 0;
}

/* A Content-Disposition value: "form-data; name=...; filename=...".  Sets
** part->name (required, non-empty) and part->filename (optional, may be
** empty: browsers send filename="" for an empty file input).  Other
** parameters, filename* included (RFC 7578 section 4.2), are ignored. */
static int parse_disposition(const char *val, Part *part) {
  Buf v = BUF_INIT;
  const char *p = val, *name = NULL;
  size_t nlen = 0;
  int r;
  while (*p && *p != ';' && !is_ows(*p)) p++;
  if (!ci_eq(val, (size_t)(p - val), "form-data")) return -1;
  while ((r = next_param(&p, 0, &name, &nlen, &v)) == 1) {
    char **slot = ci_eq(name, nlen, "name")       ? &part->name
                  : ci_eq(name, nlen, "filename") ? &part->filename
                                                  : NULL;
    if (!slot) continue;
    if (*slot || !label_ok(buf_str(&v), v.len)) {
      r = -1;
      break;
    }
    *slot = xstrndup(buf_str(&v), v.len);
  }
  buf_release(&v);
  if (r < 0 || !part->name || !part->name[0]) return -1;
  return 0;
}

/* One header line line[0..n) (without its CRLF) of a part.  Lines must be
** UTF-8 with no control character except tab; obsolete line folding is
** not accepted.  Unknown headers are ignored, the two known ones may
** appear once each. */
static int parse_part_header(const char *line, size_t n, Part *part,
                             int *seen_disposition) {
  for (size_t i = 0; i < n; i++)
    if (is_ctl((unsigned char)line[i]) && line[i] != '\t') return -1;
  if (!utf8_valid(line, n)) return -1;
  const char *colon = memchr(line, ':', n);
  if (!colon || colon == line) return -1;
  size_t hlen = (size_t)(colon - line);
  for (size_t i = 0; i < hlen; i++)
    if (!is_tchar(line[i])) return -1;
  const char *val = colon + 1;
  size_t vlen = n - hlen - 1;
  trim_ows(&val, &vlen);
  char *v = xstrndup(vlen ? val : "", vlen);
  int rc = 0;
  if (ci_eq(line, hlen, "content-disposition")) {
    if (*seen_disposition) rc = -1;
    else rc = parse_disposition(v, part);
    *seen_disposition = 1;
  } else if (ci_eq(line, hlen, "content-type")) {
    if (part->content_type) rc = -1;
    else part->content_type = v, v = NULL;
  }
  free(v);
  return rc;
}

/* RFC 2046 section 5.1.1 framing: a delimiter is "--" boundary at the
** start of the body or after CRLF, followed by optional spaces or tabs
** and CRLF; the close delimiter adds "--".  Each part is header lines,
** an empty line, then data up to the CRLF that starts the next
** delimiter.  The boundary must not occur inside a part, so a delimiter
** line followed by anything else is malformed. */
int parse_multipart(const char *body, size_t n, const char *boundary,
                    PartList *out) {
  size_t blen = boundary ? strlen(boundary) : 0;
  if (blen == 0 || blen > 70) return -1;
  if (!body) body = ""; /* n is 0; avoids arithmetic on NULL */
  Buf delim = BUF_INIT;
  buf_puts(&delim, "\r\n--");
  buf_puts(&delim, boundary);
  const char *d = delim.p, *end = body + n, *p;
  size_t dlen = delim.len, count = 0;
  Part part = {0};
  int rc = -1;

  if (n >= dlen - 2 && memcmp(body, d + 2, dlen - 2) == 0) {
    p = body + dlen - 2;
  } else {
    p = find(body, n, d, dlen);
    if (!p) goto done;
    p += dlen;
  }
  for (;;) {
    /* p is just past a "--boundary" */
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') break;
    while (p < end && is_ows(*p)) p++;
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') goto done;
    p += 2;
    if (count == PARSE_MAX_PARTS) goto done;
    int seen_disposition = 0;
    for (;;) {
      const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
      if (!eol) goto done;
      if (eol == p) {
        p += 2;
        break;
      }
      if (parse_part_header(p, (size_t)(eol - p), &part, &seen_disposition) <
          0)
        goto done;
      p = eol + 2;
    }
    if (!part.name) goto done;
    const char *next = find(p, (size_t)(end - p), d, dlen);
    if (!next) goto done;
    part.data = p;
    part.len = (size_t)(next - p);
    parts_push(out, &part);
    count++;
    p = next + dlen;
  }
  rc = 0;
done:
  part_clear(&part);
  buf_release(&delim);
  return rc;
}

/* ---- JSON ---- */

/* err is cleared first.  An empty body, NUL bytes, invalid UTF-8 and a
** first token other than '{' are rejected before jansson sees the body,
** so the user gets the more precise message.  jansson rejects duplicate
** keys (JSON_REJECT_DUPLICATES), trailing data, "\u0000" and unpaired
** surrogate escapes, and limits nesting depth (JSON_PARSER_MAX_DEPTH). */
json_t *parse_json_object(const char *body, size_t n, Buf *err) {
  json_error_t je;
  buf_clear(err);
  if (n == 0) {
    buf_puts(err, "请求体为空");
    return NULL;
  }
  if (memchr(body, 0, n)) {
    buf_puts(err, "请求体含有 NUL 字符");
    return NULL;
  }
  if (!utf8_valid(body, n)) {
    buf_puts(err, "请求体不是合法的 UTF-8");
    return NULL;
  }
  size_t i = 0;
  while (i < n && strchr(" \t\r\n", body[i])) i++;
  if (i == n) {
    buf_puts(err, "请求体为空");
    return NULL;
  }
  if (body[i] != '{') {
    /* jansson without JSON_DECODE_ANY would call a scalar a syntax error */
    buf_puts(err, "请求体必须是 JSON 对象");
    return NULL;
  }
  json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    const char *what = json_error_code(&je) == json_error_duplicate_key
                           ? "请求体中有重复的键"
                           : "请求体不是合法的 JSON";
    if (je.line > 0) buf_printf(err, "%s：第 %d 行", what, je.line);
    else buf_puts(err, what);
    return NULL;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    buf_puts(err, "请求体必须是 JSON 对象");
    return NULL;
  }
  return j;
}
