/* html_raw with data instead of a literal: rejected. */
void page(Buf *b, const char *user_text) { html_raw(b, user_text); }
