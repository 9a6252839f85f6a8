/* SQL assembled with %s: rejected. */
void q(Buf *b, const char *name) { buf_printf(b, "SELECT * FROM app_user WHERE login = '%s'", name); }
