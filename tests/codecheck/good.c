/* What the checker must accept: literal formats, literal SQL, a reviewed
** exception. */
void page(Buf *b, const char *name) {
  html_printf(b, "<p>%s</p>", name);
  html_raw(b, "<hr>");
  db_exec(db, "DELETE FROM setting WHERE key = 'x'");
  const char *sql = "SELECT 1";
  db_exec(db, sql); /* codecheck: a constant chosen above */
}
