/* export.c: CSV and XLSX table writers (see export.h for the formats). */
#include <xlsxwriter.h> /* first: util/banned.h must not meet its inlines */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/export.h"

#define XLSX_MIME \
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define XLSX_INT_EXACT 9007199254740992LL /* 2^53: larger loses digits */

struct Export {
  ExportFormat fmt;
  const ExportColumn *cols;
  size_t ncols;
  size_t col;    /* next cell of the current row */
  int64_t rows;  /* data rows ended */
  int dropped;   /* cells past the last column were written */
  Buf csv;       /* CSV: the whole file so far */
  char path[64]; /* XLSX: the temporary file */
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold, *date;
  lxw_error lerr; /* first libxlsxwriter error, LXW_NO_ERROR if none */
};

const char *export_mime(ExportFormat fmt) {
  return fmt == EXPORT_XLSX ? XLSX_MIME : "text/csv; charset=utf-8";
}

const char *export_ext(ExportFormat fmt) {
  return fmt == EXPORT_XLSX ? "xlsx" : "csv";
}

/* Append s to out as well-formed UTF-8, each malformed byte replaced by
** U+FFFD, stopping at a character boundary before max bytes. */
static void clean_utf8(Buf *out, const char *s, size_t max) {
  static const char fffd[] = "\xEF\xBF\xBD";
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), used = 0;
  for (size_t i = 0; i < n;) {
    size_t len = p[i] < 0x80                    ? 1
                 : p[i] >= 0xC2 && p[i] <= 0xDF ? 2
                 : p[i] >= 0xE0 && p[i] <= 0xEF ? 3
                 : p[i] >= 0xF0 && p[i] <= 0xF4 ? 4
                                                : 0;
    const char *piece = s + i;
    size_t plen = len;
    if (!len || len > n - i || !utf8_valid(s + i, len)) {
      piece = fffd;
      plen = 3;
      len = 1;
    }
    if (used + plen > max) break;
    buf_append(out, piece, plen);
    used += plen;
    i += len;
  }
}

/* Does a spreadsheet take a cell starting with c for a formula? */
static int formula_lead(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* One CSV text field (already clean), neutralised and quoted as needed. */
static void csv_field(Buf *b, const char *s) {
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  if (quote) buf_putc(b, '"');
  if (formula_lead(s[0])) buf_putc(b, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '"') buf_putc(b, '"');
    buf_putc(b, *p);
  }
  if (quote) buf_putc(b, '"');
}

/* Position for the next cell: 1 when it fits in the row, 0 when it is to
** be dropped.  CSV also gets its separator. */
static int next_cell(Export *e) {
  if (e->col >= e->ncols) {
    if (!e->dropped)
      log_error("export: a row has more cells than its %zu columns", e->ncols);
    e->dropped = 1;
    return 0;
  }
  if (e->fmt == EXPORT_CSV && e->col > 0) buf_putc(&e->csv, ',');
  return 1;
}

static void note_lxw(Export *e, lxw_error rc) {
  if (rc != LXW_NO_ERROR && e->lerr == LXW_NO_ERROR) e->lerr = rc;
}

static lxw_row_t xlsx_row(const Export *e) {
  return (lxw_row_t)(e->rows + 1);
}

/* Remove the temporary file, overwriting it first so that the table does
** not linger in free blocks of /tmp. */
static void scrub_file(const char *path) {
  int fd = open(path, O_WRONLY | O_NOFOLLOW);
  struct stat sb;
  if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
    static const char zeros[8192];
    off_t left = sb.st_size;
    while (left > 0) {
      size_t chunk = left < (off_t)sizeof zeros ? (size_t)left : sizeof zeros;
      ssize_t w = write(fd, zeros, chunk);
      if (w <= 0) break;
      left -= w;
    }
    fdatasync(fd);
  }
  if (fd >= 0) close(fd);
  unlink(path);
}

static int xlsx_begin(Export *e, const char *sheet, Buf *err) {
  str_copy(e->path, "/tmp/jixun-export-XXXXXX", sizeof e->path);
  int fd = mkstemp(e->path);
  if (fd < 0) {
    log_error("export: mkstemp: %s", strerror(errno));
    buf_puts(err, "无法创建导出临时文件");
    return -1;
  }
  close(fd); /* libxlsxwriter reopens it by name when the book closes */
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
  e->wb = workbook_new_opt(e->path, &opt);
  if (e->wb) e->ws = workbook_add_worksheet(e->wb, sheet ? sheet : NULL);
  if (!e->wb || !e->ws) {
    log_error("export: cannot create the workbook (sheet name?)");
    buf_puts(err, "无法创建 Excel 工作簿");
    if (e->wb) lxw_workbook_free(e->wb);
    e->wb = NULL;
    unlink(e->path);
    return -1;
  }
  e->bold = workbook_add_format(e->wb);
  format_set_bold(e->bold);
  e->date = workbook_add_format(e->wb);
  format_set_num_format(e->date, "yyyy-mm-dd hh:mm:ss");
  for (size_t i = 0; i < e->ncols; i++)
    if (e->cols[i].width > 0)
      note_lxw(e, worksheet_set_column(e->ws, (lxw_col_t)i, (lxw_col_t)i,
                                       e->cols[i].width, NULL));
  worksheet_freeze_panes(e->ws, 1, 0);
  for (size_t i = 0; i < e->ncols; i++) {
    Buf h = BUF_INIT;
    clean_utf8(&h, e->cols[i].header ? e->cols[i].header : "", EXPORT_CELL_MAX);
    note_lxw(e, worksheet_write_string(e->ws, 0, (lxw_col_t)i, buf_str(&h),
                                       e->bold));
    buf_release(&h);
  }
  return 0;
}

Export *export_begin(ExportFormat fmt, const char *sheet,
                     const ExportColumn *cols, size_t ncols, Buf *err) {
  if ((fmt != EXPORT_CSV && fmt != EXPORT_XLSX) || !cols || ncols == 0 ||
      ncols > LXW_COL_MAX)
    jx_fatal("export_begin: bad format or columns");
  Export *e = xcalloc(1, sizeof *e);
  e->fmt = fmt;
  e->cols = cols;
  e->ncols = ncols;
  e->lerr = LXW_NO_ERROR;
  if (fmt == EXPORT_XLSX) {
    if (xlsx_begin(e, sheet, err) != 0) {
      free(e);
      return NULL;
    }
    return e;
  }
  buf_puts(&e->csv, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 */
  for (size_t i = 0; i < ncols; i++) export_text(e, cols[i].header);
  buf_puts(&e->csv, "\r\n");
  e->col = 0;
  return e;
}

void export_text(Export *e, const char *s) {
  if (!next_cell(e)) return;
  Buf t = BUF_INIT;
  clean_utf8(&t, s ? s : "", EXPORT_CELL_MAX);
  if (e->fmt == EXPORT_CSV)
    csv_field(&e->csv, buf_str(&t));
  else if (t.len)
    note_lxw(e, worksheet_write_string(e->ws, xlsx_row(e), (lxw_col_t)e->col,
                                       buf_str(&t), NULL));
  buf_release(&t);
  e->col++;
}

void export_int(Export *e, int64_t v) {
  if (!next_cell(e)) return;
  if (e->fmt == EXPORT_CSV) {
    buf_printf(&e->csv, "%lld", (long long)v);
  } else if (v > -XLSX_INT_EXACT && v < XLSX_INT_EXACT) {
    note_lxw(e, worksheet_write_number(e->ws, xlsx_row(e), (lxw_col_t)e->col,
                                       (double)v, NULL));
  } else {
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)v);
    note_lxw(e, worksheet_write_string(e->ws, xlsx_row(e), (lxw_col_t)e->col, s,
                                       NULL));
  }
  e->col++;
}

void export_time(Export *e, jx_time t) {
  if (!next_cell(e)) return;
  if (t && e->fmt == EXPORT_CSV) {
    char s[20];
    time_local(t, s); /* 北京时间 to the minute; the offset keeps seconds */
    buf_printf(&e->csv, "%s:%02d", s, (int)(((t % 60) + 60) % 60));
  } else if (t) {
    note_lxw(e, worksheet_write_unixtime(e->ws, xlsx_row(e), (lxw_col_t)e->col,
                                         t + JX_TZ_OFFSET, e->date));
  }
  e->col++;
}

void export_row_end(Export *e) {
  if (e->fmt == EXPORT_CSV) {
    for (; e->col < e->ncols; e->col++)
      if (e->col > 0) buf_putc(&e->csv, ',');
    buf_puts(&e->csv, "\r\n");
  } else if (e->rows + 2 > LXW_ROW_MAX) {
    note_lxw(e, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
  }
  e->rows++;
  e->col = 0;
}

int64_t export_rows(const Export *e) {
  return e->rows;
}

void export_abort(Export *e) {
  if (!e) return;
  if (e->wb) {
    lxw_workbook_free(e->wb);
    scrub_file(e->path);
  }
  buf_release(&e->csv);
  free(e);
}

/* Close the workbook and read the file into out.  0 or -1. */
static int xlsx_finish(Export *e, Buf *out, Buf *err) {
  int rc = -1, fd = -1;
  Buf data = BUF_INIT;
  struct stat sb;
  if (e->rows > 0)
    note_lxw(e, worksheet_autofilter(e->ws, 0, 0, xlsx_row(e) - 1,
                                     (lxw_col_t)(e->ncols - 1)));
  lxw_error lrc = workbook_close(e->wb); /* frees the workbook */
  e->wb = NULL;
  note_lxw(e, lrc);
  if (e->lerr != LXW_NO_ERROR) {
    log_error("export: libxlsxwriter: %s", lxw_strerror(e->lerr));
    buf_puts(err, "生成 Excel 文件失败");
    goto done;
  }
  fd = open(e->path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    log_error("export: cannot reopen %s: %s", e->path, strerror(errno));
    buf_puts(err, "读取导出临时文件失败");
    goto done;
  }
  buf_grow(&data, (size_t)sb.st_size);
  for (;;) {
    char chunk[65536];
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      log_error("export: read %s: %s", e->path, strerror(errno));
      buf_puts(err, "读取导出临时文件失败");
      buf_release(&data);
      goto done;
    }
    if (r == 0) break;
    buf_append(&data, chunk, (size_t)r);
  }
  buf_append(out, data.p, data.len);
  buf_release(&data);
  rc = 0;
done:
  if (fd >= 0) close(fd);
  scrub_file(e->path);
  return rc;
}

int export_finish(Export *e, Buf *out, Buf *err) {
  int rc = 0;
  if (e->col > 0) export_row_end(e); /* a row left open counts */
  if (e->fmt == EXPORT_XLSX)
    rc = xlsx_finish(e, out, err);
  else
    buf_append(out, e->csv.p ? e->csv.p : "", e->csv.len);
  buf_release(&e->csv);
  free(e);
  return rc;
}

int export_respond(Export *e, Response *resp, const char *stem, Buf *err) {
  ExportFormat fmt = e->fmt;
  Buf data = BUF_INIT;
  for (const char *p = stem; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '-'))
      jx_fatal("export_respond: stem '%s' is not plain ASCII", stem);
  if (export_finish(e, &data, err) != 0) {
    buf_release(&data);
    return -1;
  }
  char day[20], disp[160];
  time_local(jx_now(), day); /* the day in 北京时间 */
  snprintf(disp, sizeof disp, "attachment; filename=\"%s-%.4s%.2s%.2s.%s\"",
           stem, day, day + 5, day + 8, export_ext(fmt));
  resp->status = 200;
  resp->content_type = export_mime(fmt);
  resp->static_body = NULL;
  buf_clear(&resp->body);
  buf_append(&resp->body, data.p ? data.p : "", data.len);
  buf_release(&data);
  resp_header(resp, "Content-Disposition", disp);
  return 0;
}
