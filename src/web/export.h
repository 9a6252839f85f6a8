/* export.h: tabular downloads (CSV and XLSX) for the audit trail and the
** ledgers.
**
** A caller describes the columns once, then writes cells row by row, in
** column order, and finally gets the file's bytes in a Buf (or straight
** into a Response as an attachment):
**
**   static const ExportColumn cols[] = {{"时间（北京时间）", 20}, {"用户", 14}};
**   Export *e = export_begin(EXPORT_XLSX, "审计记录", cols, 2, &err);
**   export_time(e, row->at);
**   export_text(e, row->login);
**   export_row_end(e);
**   …
**   export_finish(e, &out, &err);
**
** CSV: UTF-8 with a byte-order mark (so Excel opens Chinese correctly),
** CRLF line ends, RFC 4180 quoting (a field holding , " CR or LF is
** quoted, quotes doubled).  A text cell starting with = + - @ TAB or CR
** gets a leading single quote, so that a spreadsheet never runs it as a
** formula (OWASP "CSV injection").  Numbers are written as they are.
** Times are 北京时间 (UTC+8) "2026-11-30 18:31:00"; say so in the column
** title ("时间（北京时间）").  Machine formats (the JSON APIs) stay
** ISO-8601 UTC.
**
** XLSX (libxlsxwriter): one sheet, a bold header row that stays in view
** and carries an autofilter, text cells as strings (a string cell is
** never evaluated, so no quote is added), integers as numbers, times as
** date cells "yyyy-mm-dd hh:mm:ss" (北京时间).  libxlsxwriter can only write
** to a file: it goes to a mkstemp file in /tmp (mode 0600), is read back,
** overwritten and unlinked before export_finish returns.
**
** Both formats: invalid UTF-8 in a text cell is replaced by U+FFFD; text
** cells are cut at EXPORT_CELL_MAX bytes (Excel's cell limit is 32,767
** characters).  A time of 0 and a NULL text are empty cells.
*/
#ifndef JX_EXPORT_H
#define JX_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"
#include "web/http.h"

#define EXPORT_CELL_MAX 32000 /* bytes kept of one text cell */

typedef enum ExportFormat { EXPORT_CSV = 1, EXPORT_XLSX = 2 } ExportFormat;

typedef struct ExportColumn {
  const char *header; /* column title (Chinese) */
  double width;       /* XLSX column width in characters; 0: default */
} ExportColumn;

typedef struct Export Export;

/* Start a table.  cols (ncols of them, at least one) must outlive the
** Export.  sheet names the XLSX sheet (at most 31 characters, none of
** []:*?/\ ; NULL: "Sheet1"); CSV ignores it.  Returns a new Export (free
** it with export_finish or export_abort), or NULL with a Chinese reason in
** err when the XLSX workbook cannot be created. */
Export *export_begin(ExportFormat fmt, const char *sheet,
                     const ExportColumn *cols, size_t ncols, Buf *err);

/* The next cell of the current row.  Cells past the last column are
** dropped (and logged: a programming error). */
void export_text(Export *e, const char *s);
void export_int(Export *e, int64_t v);
void export_time(Export *e, jx_time t);
/* End the current row; cells not written stay empty. */
void export_row_end(Export *e);
/* Data rows written so far (the header row not counted). */
int64_t export_rows(const Export *e);

/* Finish the file and append its bytes to out.  Frees e.  Returns 0, or
** -1 with a Chinese reason in err (out is then unchanged). */
int export_finish(Export *e, Buf *out, Buf *err);
/* Discard an unfinished export (NULL is fine). */
void export_abort(Export *e);

/* Finish into resp as a download: Content-Type of the format, and
** Content-Disposition: attachment; filename="<stem>-YYYYMMDD.<ext>"
** (today by jx_now(), 北京时间).  stem is ASCII letters, digits and '-'.
** Frees e.  Returns 0, or -1 with a Chinese reason in err (resp is then
** untouched; the caller renders the error). */
int export_respond(Export *e, Response *resp, const char *stem, Buf *err);

/* "text/csv; charset=utf-8" | the XLSX media type. */
const char *export_mime(ExportFormat fmt);
/* "csv" | "xlsx". */
const char *export_ext(ExportFormat fmt);

#endif
