/* test_export.c: the CSV and XLSX table writers (web/export.c): BOM,
** RFC 4180 quoting, formula neutralisation, Chinese text, bad UTF-8,
** short and long rows, and an XLSX read back with unzip(1). */
#include "unit.h"

#include <glob.h>

#include "web/export.h"

#define T1 1795860660 /* 2026-11-28T10:11:00Z = 2026-11-28 18:11 北京时间 */

static const ExportColumn cols2[] = {{"编号", 8}, {"名称", 20}};

/* The whole CSV for rows of text cells (NULL ends a row, two NULLs end
** the table).  Caller frees. */
static char *csv_of(const char *const *cells) {
  Buf out = BUF_INIT, err = BUF_INIT;
  Export *e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  assert_non_null(e);
  for (size_t i = 0; cells[i] || cells[i + 1]; i++) {
    if (cells[i])
      export_text(e, cells[i]);
    else
      export_row_end(e);
  }
  export_row_end(e);
  assert_int_equal(export_finish(e, &out, &err), 0);
  buf_release(&err);
  return buf_detach(&out);
}

static void test_csv_bom_and_header(void **state) {
  const char *const cells[] = {"1", "甲", NULL, NULL};
  char *s = csv_of(cells);
  assert_memory_equal(s, "\xEF\xBB\xBF", 3);
  assert_string_equal(s + 3, "编号,名称\r\n1,甲\r\n");
  free(s);
}

static void test_csv_quoting(void **state) {
  const char *const cells[] = {"a,b",   "say \"hi\"", NULL, "line1\nline2",
                               "cr\rx", NULL,         "",   "plain",
                               NULL,    NULL};
  char *s = csv_of(cells);
  assert_string_equal(s + 3,
                      "编号,名称\r\n"
                      "\"a,b\",\"say \"\"hi\"\"\"\r\n"
                      "\"line1\nline2\",\"cr\rx\"\r\n"
                      ",plain\r\n");
  free(s);
}

static void test_csv_formula_neutralised(void **state) {
  const char *const cells[] = {"=1+1", "+1",  NULL,  "-2", "@SUM(A1)",
                               NULL,   "\tx", "\rx", NULL, "=a,b",
                               "a=b",  NULL,  NULL};
  char *s = csv_of(cells);
  assert_string_equal(s + 3,
                      "编号,名称\r\n"
                      "'=1+1,'+1\r\n"
                      "'-2,'@SUM(A1)\r\n"
                      "'\tx,\"'\rx\"\r\n"
                      "\"'=a,b\",a=b\r\n");
  free(s);
}

static void test_csv_numbers_and_times(void **state) {
  static const ExportColumn cols[] = {{"数", 0}, {"时间", 0}, {"空", 0}};
  Buf out = BUF_INIT, err = BUF_INIT;
  Export *e = export_begin(EXPORT_CSV, NULL, cols, 3, &err);
  export_int(e, -42); /* a number, not text: no quote added */
  export_time(e, T1);
  export_time(e, 0);
  export_row_end(e);
  export_int(e, INT64_MAX);
  export_row_end(e);
  export_int(e, 1);
  export_time(e, 1795883405); /* 2026-11-28T16:30:05Z: the next day in Beijing */
  export_row_end(e);
  assert_int_equal(export_rows(e), 3);
  assert_int_equal(export_finish(e, &out, &err), 0);
  assert_string_equal(buf_str(&out) + 3,
                      "数,时间,空\r\n"
                      "-42,2026-11-28 18:11:00,\r\n"
                      "9223372036854775807,,\r\n"
                      "1,2026-11-29 00:30:05,\r\n");
  buf_release(&out);
  buf_release(&err);
}

static void test_csv_bad_utf8_and_extra_cells(void **state) {
  Buf out = BUF_INIT, err = BUF_INIT;
  Export *e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  export_text(e, "a\xff\xc3(b"); /* two malformed bytes */
  export_text(e, "纪巡");
  export_text(e, "dropped");
  export_row_end(e);
  export_text(e, NULL);
  /* left open: export_finish ends the row */
  assert_int_equal(export_finish(e, &out, &err), 0);
  assert_string_equal(buf_str(&out) + 3,
                      "编号,名称\r\n"
                      "a\xEF\xBF\xBD\xEF\xBF\xBD(b,纪巡\r\n"
                      ",\r\n");
  buf_release(&out);
  buf_release(&err);
}

static void test_csv_long_cell_cut(void **state) {
  char *big = xmalloc(EXPORT_CELL_MAX + 10);
  /* 3-byte characters, so the cut must fall on a boundary. */
  size_t n = 0;
  while (n + 3 <= EXPORT_CELL_MAX + 6) {
    memcpy(big + n, "中", 3);
    n += 3;
  }
  big[n] = 0;
  Buf out = BUF_INIT, err = BUF_INIT;
  Export *e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  export_text(e, big);
  assert_int_equal(export_finish(e, &out, &err), 0);
  const char *row = strstr(buf_str(&out), "\r\n") + 2;
  size_t cell = strcspn(row, ",");
  assert_true(cell <= EXPORT_CELL_MAX);
  assert_true(cell > EXPORT_CELL_MAX - 3);
  assert_int_equal(cell % 3, 0);
  assert_true(utf8_valid(row, cell));
  free(big);
  buf_release(&out);
  buf_release(&err);
}

static size_t temp_files(void) {
  glob_t g;
  size_t n = 0;
  if (glob("/tmp/jixun-export-*", 0, NULL, &g) == 0) n = g.gl_pathc;
  globfree(&g);
  return n;
}

/* Run `unzip -p file member`; its output into out.  Returns the exit
** status. */
static int unzip_member(const char *file, const char *member, Buf *out) {
  char *cmd = xasprintf("unzip -p '%s' '%s'", file, member);
  FILE *p = popen(cmd, "r");
  free(cmd);
  assert_non_null(p);
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
    buf_append(out, chunk, got);
  return pclose(p);
}

static void test_xlsx_round_trip(void **state) {
  if (system("command -v unzip >/dev/null 2>&1") != 0)
    fail_msg("unzip(1) is needed (Debian package unzip; scripts/deps.sh)");
  static const ExportColumn cols[] = {{"编号", 8}, {"摘要", 40}, {"时间", 20}};
  size_t before = temp_files();
  Buf out = BUF_INIT, err = BUF_INIT;
  Export *e = export_begin(EXPORT_XLSX, "审计记录", cols, 3, &err);
  assert_non_null(e);
  export_int(e, 7);
  export_text(e, "登录失败：用户名或密码错误 <b>&amp;");
  export_time(e, T1);
  export_row_end(e);
  export_int(e, 8);
  export_text(e, "=HYPERLINK(\"http://x\")"); /* a string cell, inert */
  export_row_end(e);
  assert_int_equal(export_finish(e, &out, &err), 0);
  assert_true(out.len > 100);
  assert_memory_equal(out.p, "PK\x03\x04", 4);
  assert_true(temp_files() <= before); /* the temporary file is gone */

  char *dir = unit_tmpdir();
  char *file = xasprintf("%s/t.xlsx", dir);
  FILE *f = fopen(file, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(out.p, 1, out.len, f), out.len);
  fclose(f);
  Buf sheet = BUF_INIT, book = BUF_INIT;
  assert_int_equal(unzip_member(file, "xl/worksheets/sheet1.xml", &sheet), 0);
  assert_int_equal(unzip_member(file, "xl/workbook.xml", &book), 0);
  const char *x = buf_str(&sheet);
  assert_non_null(strstr(x, "编号"));
  assert_non_null(strstr(x, "登录失败：用户名或密码错误 &lt;b&gt;&amp;amp;"));
  /* The would-be formula is stored as text, never as <f>. */
  assert_non_null(strstr(x, "=HYPERLINK("));
  assert_null(strstr(x, "<f>"));
  assert_non_null(strstr(x, "<autoFilter ref=\"A1:C3\""));
  assert_non_null(strstr(x, "<pane ")); /* header row frozen */
  /* 2026-11-28T10:11:00Z as an Excel serial date in 北京时间 (18:11). */
  assert_non_null(strstr(x, "46354.757638"));
  assert_non_null(strstr(buf_str(&book), "name=\"审计记录\""));
  buf_release(&sheet);
  buf_release(&book);
  unit_rmtree(dir);
  free(dir);
  free(file);
  buf_release(&out);
  buf_release(&err);
}

static void test_xlsx_bad_sheet_name(void **state) {
  Buf err = BUF_INIT;
  size_t before = temp_files();
  Export *e = export_begin(EXPORT_XLSX, "a/b", cols2, 2, &err);
  assert_null(e);
  assert_true(err.len > 0);
  assert_true(temp_files() <= before);
  buf_release(&err);
}

static void test_abort(void **state) {
  Buf err = BUF_INIT;
  size_t before = temp_files();
  Export *e = export_begin(EXPORT_XLSX, NULL, cols2, 2, &err);
  assert_non_null(e);
  export_text(e, "x");
  export_abort(e);
  e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  export_text(e, "x");
  export_abort(e);
  export_abort(NULL);
  assert_true(temp_files() <= before);
  buf_release(&err);
}

static void test_respond(void **state) {
  clock_set(T1);
  Response resp = {0};
  Buf err = BUF_INIT;
  Export *e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  export_text(e, "1");
  export_row_end(e);
  assert_int_equal(export_respond(e, &resp, "audit", &err), 0);
  assert_int_equal(resp.status, 200);
  assert_string_equal(resp.content_type, "text/csv; charset=utf-8");
  assert_int_equal(resp.n_headers, 1);
  assert_string_equal(resp.headers[0].name, "Content-Disposition");
  assert_string_equal(resp.headers[0].value,
                      "attachment; filename=\"audit-20261128.csv\"");
  assert_memory_equal(resp.body.p, "\xEF\xBB\xBF", 3);
  resp_free(&resp);

  e = export_begin(EXPORT_XLSX, NULL, cols2, 2, &err);
  assert_int_equal(export_respond(e, &resp, "ledger-1", &err), 0);
  assert_string_equal(resp.content_type, export_mime(EXPORT_XLSX));
  assert_string_equal(resp.headers[0].value,
                      "attachment; filename=\"ledger-1-20261128.xlsx\"");
  assert_memory_equal(resp.body.p, "PK", 2);
  resp_free(&resp);

  /* The file's day is the day in 北京时间: 16:30 UTC is already tomorrow. */
  clock_set(1795883400); /* 2026-11-28T16:30:00Z = 2026-11-29 00:30 */
  e = export_begin(EXPORT_CSV, NULL, cols2, 2, &err);
  assert_int_equal(export_respond(e, &resp, "audit", &err), 0);
  assert_string_equal(resp.headers[0].value,
                      "attachment; filename=\"audit-20261129.csv\"");
  resp_free(&resp);
  buf_release(&err);
  clock_set(0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_bom_and_header),
      cmocka_unit_test(test_csv_quoting),
      cmocka_unit_test(test_csv_formula_neutralised),
      cmocka_unit_test(test_csv_numbers_and_times),
      cmocka_unit_test(test_csv_bad_utf8_and_extra_cells),
      cmocka_unit_test(test_csv_long_cell_cut),
      cmocka_unit_test(test_xlsx_round_trip),
      cmocka_unit_test(test_xlsx_bad_sheet_name),
      cmocka_unit_test(test_abort),
      cmocka_unit_test(test_respond),
  };
  return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
