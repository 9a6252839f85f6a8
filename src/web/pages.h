/* pages.h: every handler named in the route table (routes.c). */
#ifndef JX_PAGES_H
#define JX_PAGES_H

#include "web/http.h"

/* page_platform.c */
void page_healthz(Request *req, Response *resp);
void page_static(Request *req, Response *resp);
void page_home(Request *req, Response *resp);

/* page_auth.c */
void page_login(Request *req, Response *resp);
void page_login_post(Request *req, Response *resp);
void page_logout(Request *req, Response *resp);
void page_me(Request *req, Response *resp);
void page_password(Request *req, Response *resp);
void page_password_post(Request *req, Response *resp);
void page_session_end(Request *req, Response *resp);
void api_session_create(Request *req, Response *resp);
void api_session_delete(Request *req, Response *resp);
void api_me(Request *req, Response *resp);
void api_me_password(Request *req, Response *resp);

#endif
