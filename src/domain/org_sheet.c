/* org_sheet.c: read an uploaded spreadsheet (CSV or XLSX) into rows of
** text cells for the registry import (see org_import.h). */
#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <zip.h>

#include "domain/org_import.h"

/* ---- rows ---- */

void sheet_free(Sheet *s) {
  for (size_t i = 0; s && i < s->n; i++) {
    for (size_t k = 0; k < s->rows[i].n; k++) free(s->rows[i].cells[k]);
    free(s->rows[i].cells);
  }
  if (s) {
    free(s->rows);
    s->rows = NULL;
    s->n = s->cap = 0;
  }
}

/* Trim ASCII and ideographic spaces at both ends of s (in place). */
static void trim(char *s) {
  size_t n = strlen(s), a = 0;
  for (;;) {
    if (a < n && strchr(" \t\r\n", s[a])) a++;
    else if (n - a >= 3 && memcmp(s + a, "\xe3\x80\x80", 3) == 0) a += 3;
    else break;
  }
  for (;;) {
    if (n > a && strchr(" \t\r\n", s[n - 1])) n--;
    else if (n - a >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0) n -= 3;
    else break;
  }
  memmove(s, s + a, n - a);
  s[n - a] = 0;
}

/* A row under construction. */
typedef struct RowBuf {
  char **cells;
  size_t n;
} RowBuf;

static void row_set(RowBuf *r, size_t col, const char *text, size_t len) {
  if (col >= SHEET_MAX_COLS) return;
  if (col >= r->n) {
    r->cells = xrealloc(r->cells, (col + 1) * sizeof *r->cells);
    for (size_t k = r->n; k <= col; k++) r->cells[k] = NULL;
    r->n = col + 1;
  }
  if (len > SHEET_MAX_CELL) { /* cut on a character boundary */
    len = SHEET_MAX_CELL;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
  }
  free(r->cells[col]);
  r->cells[col] = xstrndup(text, len);
  trim(r->cells[col]);
}

static void row_discard(RowBuf *r) {
  for (size_t k = 0; k < r->n; k++) free(r->cells[k]);
  free(r->cells);
  r->cells = NULL;
  r->n = 0;
}

/* Move r into s as row number unless every cell is empty.  -1 when the
** sheet is full. */
static int row_push(Sheet *s, RowBuf *r, int64_t number) {
  int empty = 1;
  for (size_t k = 0; k < r->n; k++) {
    if (!r->cells[k]) r->cells[k] = xstrdup("");
    if (r->cells[k][0]) empty = 0;
  }
  if (empty) {
    row_discard(r);
    return 0;
  }
  if (s->n > SHEET_MAX_ROWS) {
    row_discard(r);
    return -1;
  }
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
  }
  s->rows[s->n++] = (SheetRow){number, r->cells, r->n};
  r->cells = NULL;
  r->n = 0;
  return 0;
}

static void too_many_rows(Buf *err) {
  buf_printf(err, "文件超过 %d 行数据，请拆分后分批导入", SHEET_MAX_ROWS);
}

/* ---- CSV ---- */

/* Convert GB18030 to UTF-8.  0, or -1 with the offset of the first byte
** that cannot be read in *bad. */
static int from_gb18030(const char *data, size_t len, Buf *out, size_t *bad) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1) {
    *bad = 0;
    return -1;
  }
  char *in = (char *)data; /* iconv's API is not const-correct */
  size_t left = len;
  int rc = 0;
  while (left > 0) {
    char chunk[8192], *o = chunk;
    size_t room = sizeof chunk;
    size_t r = iconv(cd, &in, &left, &o, &room);
    buf_append(out, chunk, (size_t)(o - chunk));
    if (r == (size_t)-1 && errno != E2BIG) {
      *bad = (size_t)(in - data);
      rc = -1;
      break;
    }
  }
  iconv_close(cd);
  return rc;
}

/* The offset of the first byte where s[0..n) stops being UTF-8: each
** sequence is checked on its own, by the length its lead byte gives. */
static size_t utf8_bad_offset(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + len > n || !utf8_valid(s + i, len)) return i;
    i += len;
  }
  return n;
}

int sheet_read_csv(const char *data, size_t len, Sheet *out, Buf *err) {
  Buf conv = BUF_INIT;
  RowBuf row = {0};
  Buf cell = BUF_INIT;
  int rc = -1;
  memset(out, 0, sizeof *out);
  str_copy(out->format, "csv", sizeof out->format);
  if (len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
      ((unsigned char)data[1] == 0xFE || (unsigned char)data[1] == 0xFF)) {
    buf_puts(err, "文件为 UTF-16 编码，暂不支持；请在 Excel 中另存为"
                  "“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV");
    goto done;
  }
  if (memchr(data, 0, len)) {
    buf_puts(err, "文件含有空字节，不是文本格式的 CSV（如为 Excel 文件，"
                  "请保存为 .xlsx 后上传）");
    goto done;
  }
  const char *text = data;
  size_t n = len;
  if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    n -= 3;
    if (!utf8_valid(text, n)) {
      buf_printf(err,
                 "文件以 UTF-8 标记（BOM）开头，按 UTF-8 读取，但第 %zu "
                 "字节处不是有效的 UTF-8；请检查文件编码",
                 utf8_bad_offset(text, n) + 4);
      goto done;
    }
    str_copy(out->encoding, "UTF-8（带 BOM）", sizeof out->encoding);
  } else if (utf8_valid(text, n)) {
    str_copy(out->encoding, "UTF-8", sizeof out->encoding);
  } else {
    size_t bad = 0;
    if (from_gb18030(text, n, &conv, &bad) != 0) {
      buf_printf(err,
                 "无法识别文件编码：文件不是有效的 UTF-8，按 GB18030（GBK）"
                 "读取时第 %zu 字节处也无法识别。请将文件另存为 UTF-8 或 "
                 "GBK 编码的 CSV 后重新上传",
                 bad + 1);
      goto done;
    }
    text = buf_str(&conv);
    n = conv.len;
    str_copy(out->encoding, "GB18030（GBK）", sizeof out->encoding);
  }
  /* RFC 4180, leniently: CRLF or LF, "" inside quotes, quotes only
   * special at the start of a field. */
  size_t col = 0;
  int64_t record = 1;
  size_t i = 0;
  while (i <= n) {
    if (i == n || text[i] == '\n' || (text[i] == '\r')) {
      row_set(&row, col, buf_str(&cell), cell.len);
      buf_clear(&cell);
      if (row_push(out, &row, record) != 0) {
        too_many_rows(err);
        goto done;
      }
      col = 0;
      record++;
      if (i < n && text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') i++;
      i++;
      continue;
    }
    if (text[i] == ',') {
      row_set(&row, col++, buf_str(&cell), cell.len);
      buf_clear(&cell);
      i++;
      continue;
    }
    if (text[i] == '"' && cell.len == 0) {
      int64_t start = record;
      i++;
      for (;;) {
        if (i >= n) {
          buf_printf(err, "第 %lld 行：引号未闭合，文件格式不正确",
                     (long long)start);
          goto done;
        }
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            buf_putc(&cell, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] == '\n') record++;
        if (cell.len < SHEET_MAX_CELL) buf_putc(&cell, text[i]);
        i++;
      }
      continue;
    }
    if (cell.len < SHEET_MAX_CELL) buf_putc(&cell, text[i]);
    i++;
  }
  rc = 0;
done:
  row_discard(&row);
  buf_release(&cell);
  buf_release(&conv);
  if (rc != 0) sheet_free(out);
  return rc;
}

/* ---- XLSX ---- */

typedef struct Xlsx {
  zip_t *zip;
  Buf *err;
  /* shared strings */
  char **sst;
  size_t n_sst;
  /* styles: which cell formats are dates */
  unsigned char *xf_date;
  size_t n_xf;
  int64_t *date_fmts; /* custom numFmt ids whose code is a date */
  size_t n_date_fmts;
  int date1904;
  char first_sheet_rid[64];
  char sheet_path[256];
} Xlsx;

/* Parse the archive member name with the expat handlers in ud's parser,
** streaming it through in chunks.  0, or -1 with err set. */
static int xml_stream(Xlsx *x, const char *name, XML_Parser p, int required) {
  zip_file_t *f = zip_fopen(x->zip, name, 0);
  if (!f) {
    if (!required) return 0;
    buf_printf(x->err, "不是有效的 XLSX 文件：缺少 %s", name);
    return -1;
  }
  char chunk[65536];
  size_t total = 0;
  int rc = 0;
  for (;;) {
    zip_int64_t got = zip_fread(f, chunk, sizeof chunk);
    if (got < 0) {
      buf_printf(x->err, "XLSX 文件已损坏：无法解压 %s", name);
      rc = -1;
      break;
    }
    total += (size_t)got;
    if (total > SHEET_MAX_XML) {
      buf_puts(x->err, "XLSX 文件解压后过大，请拆分后分批导入");
      rc = -1;
      break;
    }
    if (XML_Parse(p, chunk, (int)got, got == 0) == XML_STATUS_ERROR) {
      if (!x->err->len)
        buf_printf(x->err, "XLSX 文件已损坏：%s 第 %lu 行 XML 格式错误", name,
                   (unsigned long)XML_GetCurrentLineNumber(p));
      rc = -1;
      break;
    }
    if (got == 0) break;
  }
  zip_fclose(f);
  return rc;
}

/* The local name of an element or attribute ("x:row" → "row"). */
static const char *local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name) {
  for (int i = 0; atts[i]; i += 2)
    if (str_eq(local(atts[i]), name)) return atts[i + 1];
  return NULL;
}

/* Parser state shared by the part handlers. */
typedef struct Ctx {
  Xlsx *x;
  XML_Parser p;
  int depth_t;  /* inside a <t> that counts */
  int in_rph;   /* inside <rPh> (phonetic runs: not text) */
  int in_v, in_is;
  Buf text;
  /* sheet */
  Sheet *out;
  RowBuf row;
  int64_t row_number, next_row;
  size_t col, next_col;
  char type[16];
  int64_t style;
  int in_row, failed;
  /* styles */
  int in_cellxfs;
} Ctx;

static XML_Parser new_parser(Ctx *c) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (!p) jx_fatal("XML_ParserCreate failed");
  XML_SetUserData(p, c);
  c->p = p;
  return p;
}

static void XMLCALL doctype_stop(void *ud, const XML_Char *name,
                                 const XML_Char *sysid, const XML_Char *pubid,
                                 int has_internal) {
  Ctx *c = ud;
  buf_puts(c->x->err, "XLSX 文件含有不允许的 DOCTYPE 声明");
  XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  Ctx *c = ud;
  if ((c->depth_t && !c->in_rph) || c->in_v) {
    if (c->text.len + (size_t)len <= SHEET_MAX_CELL)
      buf_append(&c->text, s, (size_t)len);
  }
}

/* -- workbook.xml and its relationships -- */

static void XMLCALL wb_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  Ctx *c = ud;
  const char *el = local(name);
  if (str_eq(el, "workbookPr")) {
    const char *d = attr(atts, "date1904");
    c->x->date1904 = d && (str_eq(d, "1") || str_eq(d, "true"));
  } else if (str_eq(el, "sheet") && !c->x->first_sheet_rid[0]) {
    const char *rid = attr(atts, "id");
    if (rid) str_copy(c->x->first_sheet_rid, rid, sizeof c->x->first_sheet_rid);
  }
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
                               const XML_Char **atts) {
  Ctx *c = ud;
  if (!str_eq(local(name), "Relationship")) return;
  const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
  if (!id || !target || !str_eq(id, c->x->first_sheet_rid)) return;
  if (target[0] == '/')
    snprintf(c->x->sheet_path, sizeof c->x->sheet_path, "%s", target + 1);
  else
    snprintf(c->x->sheet_path, sizeof c->x->sheet_path, "xl/%s", target);
}

/* -- sharedStrings.xml -- */

static void XMLCALL sst_start(void *ud, const XML_Char *name,
                              const XML_Char **atts) {
  Ctx *c = ud;
  const char *el = local(name);
  if (str_eq(el, "si")) buf_clear(&c->text);
  else if (str_eq(el, "rPh")) c->in_rph = 1;
  else if (str_eq(el, "t")) c->depth_t = 1;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name) {
  Ctx *c = ud;
  const char *el = local(name);
  if (str_eq(el, "rPh")) c->in_rph = 0;
  else if (str_eq(el, "t")) c->depth_t = 0;
  else if (str_eq(el, "si")) {
    if (c->x->n_sst >= 4u * SHEET_MAX_ROWS * 4) return; /* absurd: ignore */
    c->x->sst = xrealloc(c->x->sst, (c->x->n_sst + 1) * sizeof *c->x->sst);
    c->x->sst[c->x->n_sst++] = xstrdup(buf_str(&c->text));
  }
}

/* -- styles.xml -- */

/* Does an Excel number format code show a date?  (d, m or y outside
** quotes, brackets and escapes; "General" and pure numbers do not.) */
static int format_is_date(const char *code) {
  int quoted = 0;
  for (const char *p = code; *p; p++) {
    if (*p == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (*p == '\\' && p[1]) p++;
    else if (*p == '[') {
      const char *e = strchr(p, ']');
      if (!e) return 0;
      p = e;
    } else if (strchr("dDmMyY", *p)) {
      return 1;
    }
  }
  return 0;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name,
                                 const XML_Char **atts) {
  Ctx *c = ud;
  Xlsx *x = c->x;
  const char *el = local(name);
  if (str_eq(el, "numFmt")) {
    const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
    int64_t v;
    if (id && code && str_to_int64(id, 0, 100000, &v) == 0 &&
        format_is_date(code) && x->n_date_fmts < 1000) {
      x->date_fmts = xrealloc(x->date_fmts,
                              (x->n_date_fmts + 1) * sizeof *x->date_fmts);
      x->date_fmts[x->n_date_fmts++] = v;
    }
  } else if (str_eq(el, "cellXfs")) {
    c->in_cellxfs = 1;
  } else if (str_eq(el, "xf") && c->in_cellxfs && x->n_xf < 65536) {
    const char *id = attr(atts, "numFmtId");
    int64_t v = 0;
    int date = 0;
    if (id && str_to_int64(id, 0, 100000, &v) == 0) {
      date = (v >= 14 && v <= 22) || (v >= 45 && v <= 47) ||
             (v >= 27 && v <= 36) || (v >= 50 && v <= 58);
      for (size_t k = 0; k < x->n_date_fmts; k++)
        if (x->date_fmts[k] == v) date = 1;
    }
    x->xf_date = xrealloc(x->xf_date, x->n_xf + 1);
    x->xf_date[x->n_xf++] = (unsigned char)date;
  }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name) {
  Ctx *c = ud;
  if (str_eq(local(name), "cellXfs")) c->in_cellxfs = 0;
}

/* -- the sheet -- */

/* The civil date of a day count from 1970-01-01 (H. Hinnant's
** civil_from_days), valid far before the epoch. */
static void civil(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int sheet_serial_date(double serial, int date1904, char out[11]) {
  if (!(serial >= 1 && serial < 2958466)) return -1; /* to 9999-12-31 */
  int64_t days = (int64_t)floor(serial);
  /* Excel's 1900 system counts a 29 Feb 1900 that never was (serial 60):
   * from 61 on, day 0 is 1899-12-30 (-25569 from the epoch); before it,
   * 1899-12-31.  The 1904 system counts from 1904-01-01 (-24107). */
  int64_t epoch_days;
  if (date1904) epoch_days = days - 24107;
  else if (days == 60) return -1;
  else epoch_days = days - (days < 60 ? 25568 : 25569);
  int y, m, d;
  civil(epoch_days, &y, &m, &d);
  char tmp[40];
  snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
  str_copy(out, tmp, 11);
  return 0;
}

/* Column index of a cell reference "AB12" (0-based), or -1. */
static long ref_col(const char *ref) {
  long col = 0;
  int letters = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
    col = col * 26 + (*ref - 'A' + 1);
    if (col > 16384) return -1;
  }
  return letters ? col - 1 : -1;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name,
                                const XML_Char **atts) {
  Ctx *c = ud;
  const char *el = local(name);
  if (c->failed) return;
  if (str_eq(el, "row")) {
    const char *r = attr(atts, "r");
    int64_t n;
    c->row_number = r && str_to_int64(r, 1, 1048576, &n) == 0 ? n : c->next_row;
    c->next_row = c->row_number + 1;
    c->next_col = 0;
    c->in_row = 1;
  } else if (str_eq(el, "c") && c->in_row) {
    const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
    long col = r ? ref_col(r) : -1;
    c->col = col >= 0 ? (size_t)col : c->next_col;
    c->next_col = c->col + 1;
    str_copy(c->type, t ? t : "n", sizeof c->type);
    if (!s || str_to_int64(s, 0, 1000000, &c->style) != 0) c->style = 0;
    buf_clear(&c->text);
  } else if (str_eq(el, "v")) {
    c->in_v = 1;
  } else if (str_eq(el, "is")) {
    c->in_is = 1;
  } else if (str_eq(el, "rPh")) {
    c->in_rph = 1;
  } else if (str_eq(el, "t") && c->in_is) {
    c->depth_t = 1;
  }
}

/* The text of the finished cell, by its type. */
static void cell_done(Ctx *c) {
  Xlsx *x = c->x;
  const char *v = buf_str(&c->text);
  char num[64];
  if (str_eq(c->type, "s")) {
    int64_t k;
    if (str_to_int64(v, 0, INT64_MAX, &k) == 0 && (size_t)k < x->n_sst)
      v = x->sst[k];
    else
      v = "";
  } else if (str_eq(c->type, "n") && *v) {
    char *end;
    double d = strtod(v, &end);
    int is_date = c->style >= 0 && (size_t)c->style < x->n_xf &&
                  x->xf_date[c->style];
    if (*end) {
      /* not a number: keep the text */
    } else if (is_date && sheet_serial_date(d, x->date1904, num) == 0) {
      v = num;
    } else if (d == floor(d) && fabs(d) < 1e15) {
      snprintf(num, sizeof num, "%lld", (long long)d);
      v = num;
    } else {
      snprintf(num, sizeof num, "%.15g", d);
      v = num;
    }
  }
  /* "str", "inlineStr", "b" (1/0) and "e" (#N/A …) are text as they are. */
  row_set(&c->row, c->col, v, strlen(v));
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name) {
  Ctx *c = ud;
  const char *el = local(name);
  if (c->failed) return;
  if (str_eq(el, "v")) {
    c->in_v = 0;
  } else if (str_eq(el, "is")) {
    c->in_is = 0;
  } else if (str_eq(el, "rPh")) {
    c->in_rph = 0;
  } else if (str_eq(el, "t")) {
    c->depth_t = 0;
  } else if (str_eq(el, "c") && c->in_row) {
    cell_done(c);
  } else if (str_eq(el, "row")) {
    c->in_row = 0;
    if (row_push(c->out, &c->row, c->row_number) != 0) {
      c->failed = 1;
      too_many_rows(c->x->err);
      XML_StopParser(c->p, XML_FALSE);
    }
  }
}

/* Run one part through a fresh parser with the given handlers. */
static int parse_part(Xlsx *x, Sheet *out, const char *name, int required,
                      XML_StartElementHandler start,
                      XML_EndElementHandler end, int text) {
  Ctx c = {.x = x, .out = out, .next_row = 1};
  XML_Parser p = new_parser(&c);
  XML_SetStartDoctypeDeclHandler(p, doctype_stop);
  XML_SetElementHandler(p, start, end);
  if (text) XML_SetCharacterDataHandler(p, on_text);
  int rc = xml_stream(x, name, p, required);
  if (c.failed) rc = -1;
  XML_ParserFree(p);
  row_discard(&c.row);
  buf_release(&c.text);
  return rc;
}

static void xlsx_free(Xlsx *x) {
  for (size_t i = 0; i < x->n_sst; i++) free(x->sst[i]);
  free(x->sst);
  free(x->xf_date);
  free(x->date_fmts);
  if (x->zip) zip_discard(x->zip);
}

int sheet_read_xlsx(const char *data, size_t len, Sheet *out, Buf *err) {
  Xlsx x = {.err = err};
  zip_error_t zerr;
  int rc = -1;
  memset(out, 0, sizeof *out);
  str_copy(out->format, "xlsx", sizeof out->format);
  zip_error_init(&zerr);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
  if (src) {
    x.zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!x.zip) zip_source_free(src);
  }
  zip_error_fini(&zerr);
  if (!x.zip) {
    buf_puts(err, "不是有效的 XLSX 文件（无法作为压缩包打开），"
                  "文件可能已损坏或并非 Excel 文件");
    goto done;
  }
  if (parse_part(&x, out, "xl/workbook.xml", 1, wb_start, NULL, 0) ||
      parse_part(&x, out, "xl/_rels/workbook.xml.rels", 0, rels_start, NULL,
                 0) ||
      parse_part(&x, out, "xl/styles.xml", 0, styles_start, styles_end, 0) ||
      parse_part(&x, out, "xl/sharedStrings.xml", 0, sst_start, sst_end, 1))
    goto done;
  if (!x.sheet_path[0])
    str_copy(x.sheet_path, "xl/worksheets/sheet1.xml", sizeof x.sheet_path);
  if (strstr(x.sheet_path, "..")) {
    buf_puts(err, "XLSX 文件结构不正确：工作表路径无效");
    goto done;
  }
  if (parse_part(&x, out, x.sheet_path, 1, sheet_start, sheet_end, 1))
    goto done;
  rc = 0;
done:
  xlsx_free(&x);
  if (rc != 0) sheet_free(out);
  return rc;
}

int sheet_read(const char *data, size_t len, Sheet *out, Buf *err) {
  memset(out, 0, sizeof *out);
  if (len == 0) {
    buf_puts(err, "文件为空");
    return -1;
  }
  if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
    return sheet_read_xlsx(data, len, out, err);
  if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
    buf_puts(err, "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV "
                  "后上传");
    return -1;
  }
  return sheet_read_csv(data, len, out, err);
}
