/* codecheck.c: build-time check for injection-prone code (in the spirit
** of Fossil's tools/codecheck1.c).  Run by the Makefile on every build;
** any finding fails the build.
**
** Rules:
**  1. html_printf(b, FMT, …) and html_raw(b, LIT): FMT and LIT must be
**     string literals, so markup never comes from data (html_printf
**     escapes every %s).
**  2. db_prepare(db, SQL) and db_exec(db, SQL): SQL must be a string
**     literal outside src/store/; other SQL goes through the statement
**     catalogue (store/stmts.def).
**  3. No printf-family format literal may contain SQL (SELECT, INSERT,
**     UPDATE, DELETE) together with %s: bind parameters instead.
**  4. In the page files (src/web/page_*.c, layout.c) the raw Buf writers
**     (buf_puts, buf_printf, buf_append, buf_putc) never write the page
**     body (`b` or `&resp->body`).
** A reviewed exception carries a comment containing "codecheck:" and the
** reason on the same line or on one of the two lines above.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

typedef struct Src {
  const char *path;
  char *text;
  size_t len;
} Src;

static int line_of(const Src *s, size_t off) {
  int line = 1;
  for (size_t i = 0; i < off && i < s->len; i++)
    if (s->text[i] == '\n') line++;
  return line;
}

/* Does the line holding off, or one of the two before it, hold a
** "codecheck:" exemption? */
static int exempt(const Src *s, size_t off) {
  size_t end = off;
  while (end < s->len && s->text[end] != '\n') end++;
  size_t start = off;
  int lines = 0;
  while (start > 0) {
    if (s->text[start - 1] == '\n' && ++lines == 3) break;
    start--;
  }
  for (size_t i = start; i + 10 <= end; i++)
    if (memcmp(s->text + i, "codecheck:", 10) == 0) return 1;
  return 0;
}

static void report(const Src *s, size_t off, const char *msg) {
  if (exempt(s, off)) return;
  fprintf(stderr, "%s:%d: codecheck: %s\n", s->path, line_of(s, off), msg);
  failures++;
}

static size_t skip_space(const Src *s, size_t i) {
  for (;;) {
    while (i < s->len && strchr(" \t\r\n", s->text[i])) i++;
    if (i + 1 < s->len && s->text[i] == '/' && s->text[i + 1] == '*') {
      char *e = strstr(s->text + i + 2, "*/");
      i = e ? (size_t)(e - s->text) + 2 : s->len;
      continue;
    }
    return i;
  }
}

/* Index just after the first top-level comma of the call whose '(' is at
** open, or 0 when the call ends first. */
static size_t after_first_comma(const Src *s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s->len; i++) {
    char c = s->text[i];
    if (c == '"' || c == '\'') {
      for (i++; i < s->len && s->text[i] != c; i++)
        if (s->text[i] == '\\') i++;
      continue;
    }
    if (c == '(') depth++;
    if (c == ')' && --depth == 0) return 0;
    if (c == ',' && depth == 1) return i + 1;
  }
  return 0;
}

/* Is the text at i an identifier start of name followed by '('? */
static int is_call(const Src *s, size_t i, const char *name, size_t *open) {
  size_t n = strlen(name);
  if (i + n >= s->len || memcmp(s->text + i, name, n) != 0) return 0;
  if (i > 0) {
    char p = s->text[i - 1];
    if (p == '_' || (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z') ||
        (p >= '0' && p <= '9'))
      return 0;
  }
  size_t j = i + n;
  while (j < s->len && (s->text[j] == ' ' || s->text[j] == '\t')) j++;
  if (j >= s->len || s->text[j] != '(') return 0;
  *open = j;
  return 1;
}

/* The literal starting at i (adjacent literals joined) contains both an
** SQL verb and %s? */
static int literal_sql_with_s(const Src *s, size_t i) {
  int sql = 0, pct = 0;
  while (i < s->len && s->text[i] == '"') {
    size_t j = i + 1;
    for (; j < s->len && s->text[j] != '"'; j++) {
      if (s->text[j] == '\\') {
        j++;
        continue;
      }
      if (s->text[j] == '%' && j + 1 < s->len && s->text[j + 1] == 's') pct = 1;
      static const char *verbs[] = {"SELECT ", "INSERT ", "UPDATE ", "DELETE "};
      for (int v = 0; v < 4; v++)
        if (strncmp(s->text + j, verbs[v], strlen(verbs[v])) == 0) sql = 1;
    }
    i = skip_space(s, j + 1);
  }
  return sql && pct;
}

/* Is the first argument of the call at open the page body (the names
** page code uses for it: `b` or `&resp->body`)? */
static int writes_page(const Src *s, size_t open) {
  size_t a = skip_space(s, open + 1);
  if (strncmp(s->text + a, "&resp->body", 11) == 0) return 1;
  return s->text[a] == 'b' && (s->text[a + 1] == ',' || s->text[a + 1] == ' ');
}

static void check(const Src *s) {
  int page = strstr(s->path, "web/page_") || strstr(s->path, "web/layout.c");
  for (size_t i = 0; i < s->len; i++) {
    char c = s->text[i];
    /* Skip comments, string and character literals. */
    if (c == '/' && i + 1 < s->len && s->text[i + 1] == '*') {
      char *e = strstr(s->text + i + 2, "*/");
      i = e ? (size_t)(e - s->text) + 1 : s->len;
      continue;
    }
    if (c == '/' && i + 1 < s->len && s->text[i + 1] == '/') {
      while (i < s->len && s->text[i] != '\n') i++;
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t j = i + 1;
      for (; j < s->len && s->text[j] != c; j++)
        if (s->text[j] == '\\') j++;
      if (c == '"' && literal_sql_with_s(s, i))
        report(s, i, "SQL text with %s: bind parameters instead");
      i = j;
      continue;
    }
    size_t open;
    static const char *literal_fmt[] = {"html_printf", "html_raw",
                                        "db_prepare", "db_exec"};
    for (int k = 0; k < 4; k++) {
      if (!is_call(s, i, literal_fmt[k], &open)) continue;
      size_t arg = after_first_comma(s, open);
      if (!arg) continue; /* the declaration or a one-argument call */
      arg = skip_space(s, arg);
      if (s->text[arg] != '"') {
        char msg[128];
        snprintf(msg, sizeof msg, "%s: the %s must be a string literal",
                 literal_fmt[k], k < 2 ? "markup" : "SQL");
        /* html.c defines the writer; store/ is the layer that owns SQL
         * text (catalogue, migrations) and hands it to the engine. */
        if (!strstr(s->path, "web/html.c") && !strstr(s->path, "src/store/"))
          report(s, i, msg);
      }
    }
    if (page) {
      static const char *raw[] = {"buf_puts", "buf_printf", "buf_append",
                                  "buf_putc"};
      for (int k = 0; k < 4; k++)
        if (is_call(s, i, raw[k], &open) && writes_page(s, open))
          report(s, i, "raw Buf writer on the page body: use html_printf/html_raw");
    }
  }
}

int main(int argc, char **argv) {
  for (int a = 1; a < argc; a++) {
    FILE *f = fopen(argv[a], "rb");
    if (!f) {
      fprintf(stderr, "codecheck: cannot open '%s'\n", argv[a]);
      return 2;
    }
    Src s = {argv[a], NULL, 0};
    size_t cap = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF) {
      if (s.len + 2 > cap) s.text = realloc(s.text, cap = cap ? cap * 2 : 4096);
      if (!s.text) return 2;
      s.text[s.len++] = (char)ch;
    }
    fclose(f);
    if (!s.text) continue;
    s.text[s.len] = 0;
    check(&s);
    free(s.text);
  }
  if (failures) {
    fprintf(stderr, "codecheck: %d finding(s)\n", failures);
    return 1;
  }
  return 0;
}
