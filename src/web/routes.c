/* routes.c: the route table — the one place that says which URL runs
** which handler, with which permission, CSRF rule and response mode.
**
** The dispatcher (router.c) enforces perm and csrf before the handler
** runs; tests/http/ generates its access and CSRF checks from this table
** through `jixun routes` (cli/cmd_serve.c).  Keep one route per line.
*/
#include "auth/policy.h"
#include "web/pages.h"

#define HTML MODE_HTML
#define JSON MODE_JSON
#define ASSET MODE_ASSET

const Route routes[] = {
    /* method  pattern                     handler             perm      csrf mode max_body audit */
    {"GET",    "/healthz",                 page_healthz,       P_PUBLIC, 0, JSON, 0, NULL},
    {"GET",    "/static/{name}",           page_static,        P_PUBLIC, 0, ASSET, 0, NULL},
    {"GET",    "/",                        page_home,          P_LOGIN,  0, HTML, 0, NULL},
    {"GET",    "/login",                   page_login,         P_PUBLIC, 0, HTML, 0, NULL},
    {"POST",   "/login",                   page_login_post,    P_PUBLIC, 0, HTML, 0, "session.login"},
    {"POST",   "/logout",                  page_logout,        P_SELF,   1, HTML, 0, "session.logout"},
    {"GET",    "/me",                      page_me,            P_SELF,   0, HTML, 0, NULL},
    {"GET",    "/me/password",             page_password,      P_SELF,   0, HTML, 0, NULL},
    {"POST",   "/me/password",             page_password_post, P_SELF,   1, HTML, 0, "user.password_change"},
    {"POST",   "/me/sessions/{id}/end",    page_session_end,   P_SELF,   1, HTML, 0, "session.end"},
    {"POST",   "/api/v1/session",          api_session_create, P_PUBLIC, 0, JSON, 0, "session.login"},
    {"DELETE", "/api/v1/session",          api_session_delete, P_SELF,   1, JSON, 0, "session.logout"},
    {"GET",    "/api/v1/me",               api_me,             P_SELF,   0, JSON, 0, NULL},
    {"POST",   "/api/v1/me/password",      api_me_password,    P_SELF,   1, JSON, 0, "user.password_change"},
};
const size_t n_routes = JX_COUNT(routes);
