/* fuzz_sheet.c: libFuzzer driver for sheet_read() (domain/org_import.h):
** the CSV reader (UTF-8, BOM, GB18030 conversion, RFC 4180 quoting) and
** the XLSX reader (libzip + expat) behind the registry import.
**
** The input is copied to its own allocation so that AddressSanitizer
** catches a read past its end.  Checks: a refusal leaves the sheet empty
** with a reason; an accepted sheet respects the row, column and cell
** limits, every cell is valid UTF-8, and row numbers increase.
*/
#include <stdint.h>
#include <stdlib.h>

#include "domain/org_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = xmalloc(size ? size : 1);
  if (size) memcpy(in, data, size);
  Sheet sh;
  Buf err = BUF_INIT;
  int rc = sheet_read(in, size, &sh, &err);
  if (rc != 0 && (rc != -1 || sh.n != 0 || err.len == 0)) abort();
  if (rc == 0) {
    if (sh.n > SHEET_MAX_ROWS + 1) abort();
    for (size_t i = 0; i < sh.n; i++) {
      if (i && sh.rows[i].number <= sh.rows[i - 1].number &&
          str_eq(sh.format, "csv"))
        abort();
      if (sh.rows[i].n > SHEET_MAX_COLS) abort();
      for (size_t k = 0; k < sh.rows[i].n; k++) {
        const char *c = sh.rows[i].cells[k];
        size_t n = strlen(c);
        if (n > SHEET_MAX_CELL || !utf8_valid(c, n)) abort();
      }
    }
  }
  sheet_free(&sh);
  buf_release(&err);
  free(in);
  return 0;
}
