/* A page that builds markup from data: codecheck must reject it. */
void page(Buf *b, const char *fmt, const char *name) { html_printf(b, fmt, name); }
