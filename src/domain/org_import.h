/* org_import.h: importing units, people and staff from spreadsheets
** (XLSX or CSV), all or nothing (issue 4, docs/IMPORT.md).
**
** Two layers:
**  1. org_sheet.c reads a file into a Sheet: rows of text cells.  CSV may
**     be UTF-8 (with or without a byte-order mark) or GB18030/GBK: text
**     that is not valid UTF-8 is converted from GB18030 with iconv, and a
**     file that is neither is refused with a message naming the encodings
**     tried.  XLSX is read with libzip and expat, streaming the sheet:
**     shared strings, inline strings, numbers, booleans and date cells
**     (by their number format) become text; dates as 'YYYY-MM-DD'.
**  2. org_import.c checks every row against the registry rules and the
**     database (required columns, formats, unknown references such as a
**     jurisdiction or parent unit code, duplicates within the file and
**     against the database) and collects every problem as (row, column,
**     reason) in Chinese.  A file with any problem imports nothing; a
**     clean file is imported in the caller's transaction.
** These parsers take outside input: they are fuzzed (fuzz/) and never
** trust sizes or structure.
*/
#ifndef JX_ORG_IMPORT_H
#define JX_ORG_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/org.h"

#define SHEET_MAX_ROWS 100000  /* data rows in one file */
#define SHEET_MAX_COLS 64      /* columns read; later ones are ignored */
#define SHEET_MAX_CELL 4000    /* bytes of one cell */
#define SHEET_MAX_XML (256u << 20) /* bytes inflated from one XLSX part */

/* ---- sheets ---- */

typedef struct SheetRow {
  int64_t number; /* the row number a spreadsheet shows (1: header) */
  char **cells;   /* UTF-8 text, trimmed; "" for an empty cell */
  size_t n;
} SheetRow;

typedef struct Sheet {
  SheetRow *rows; /* non-empty rows in order; rows[0] is the header */
  size_t n;
  size_t cap;
  char format[8];    /* "csv" | "xlsx" */
  char encoding[32]; /* CSV: "UTF-8", "UTF-8（带 BOM）", "GB18030（GBK）" */
} Sheet;

void sheet_free(Sheet *s);
/* Read data[0..len) as CSV or XLSX, chosen by content (an XLSX file is a
** zip archive).  0, or -1 with a Chinese reason in err (the whole file is
** refused: unreadable archive, wrong encoding, unbalanced quotes, too many
** rows …); *out is then empty. */
int sheet_read(const char *data, size_t len, Sheet *out, Buf *err);
int sheet_read_csv(const char *data, size_t len, Sheet *out, Buf *err);
int sheet_read_xlsx(const char *data, size_t len, Sheet *out, Buf *err);
/* An Excel serial day number as 'YYYY-MM-DD' into out[11] (date1904: the
** workbook counts from 1904).  -1 when out of range. */
int sheet_serial_date(double serial, int date1904, char out[11]);

/* ---- import ---- */

typedef enum OrgImportKind {
  IMPORT_UNIT = 0,
  IMPORT_PERSON = 1,
  IMPORT_STAFF = 2,
  IMPORT__COUNT
} OrgImportKind;

/* "unit" | "person" | "staff" (org_import.kind) and the Chinese noun. */
const char *org_import_kind_code(OrgImportKind k);
const char *org_import_kind_label(OrgImportKind k);
/* The kind for a code, or -1. */
int org_import_kind_of(const char *code);

/* One column an import file may have. */
typedef struct OrgImportColumn {
  const char *header; /* Chinese header, e.g. 单位编码 */
  int required;       /* the column must exist and the cell be filled */
  const char *hint;   /* what goes in it (docs, templates) */
} OrgImportColumn;

/* The columns of kind k, in template order; *n receives the count. */
const OrgImportColumn *org_import_columns(OrgImportKind k, size_t *n);

/* One problem found in a file. */
typedef struct OrgImportError {
  int64_t row;  /* spreadsheet row number; 0: the file as a whole */
  char *column; /* header of the column, "" when not one column */
  char *reason; /* Chinese */
} OrgImportError;

typedef struct OrgImportReport {
  OrgImportKind kind;
  char format[8];
  char encoding[32];
  int64_t rows;      /* data rows read */
  int64_t bad_rows;  /* rows with at least one problem */
  int64_t imported;  /* rows written (0 unless commit and clean) */
  int64_t checked;   /* data rows checked so far (rows when complete) */
  OrgImportError *errors;
  size_t n_errors;
  char *ignored_columns; /* headers not used, "、"-joined ("" none) */
} OrgImportReport;

void org_import_report_free(OrgImportReport *r);

/* Read and check data as an import of kind for viewer v; with commit, and
** only when there is no problem at all, write every row (in the caller's
** transaction; on a database failure the caller must roll back).  Returns
** 0 when the file is clean (and, with commit, imported), 1 when it has
** problems (listed in rep; nothing written), -1 on a database error. */
int org_import_run(Db *db, const OrgViewer *v, OrgImportKind kind,
                   const char *data, size_t len, int commit,
                   OrgImportReport *rep);

/* Check only data rows from+1 .. from+count (1 is the first row after
** the header) of a file, for progress on large files; nothing is
** written.  The whole file is read each time (duplicates and parents
** may lie anywhere in it); the header, and the file-wide checks such as
** loops of parent units, are judged with the chunk that ends the file.
** A problem with the file as a whole (unreadable, bad header) ends the
** check at once: rep->checked is then rep->rows.  rep holds this
** chunk's problems only.  Returns 0 (chunk clean), 1 (problems) or -1
** (database error). */
int org_import_check(Db *db, const OrgViewer *v, OrgImportKind kind,
                     const char *data, size_t len, int64_t from,
                     int64_t count, OrgImportReport *rep);

#endif
