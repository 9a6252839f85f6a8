/* A page writing its body with the raw Buf writers: rejected. */
void page(Request *req, Response *resp) { buf_puts(&resp->body, req->path); }
