/* routes.c: the route table — the one place that says which URL runs
** which handler, with which permission, CSRF rule and response mode.
**
** The dispatcher (router.c) enforces perm and csrf before the handler
** runs; tests/http/ generates its access and CSRF checks from this table
** through `jixun routes` (cli/cmd_serve.c).  Keep one route per line.
*/
#include "web/pages.h"

#define HTML MODE_HTML
#define JSON MODE_JSON
#define ASSET MODE_ASSET

const Route routes[] = {
    /* method  pattern                     handler             perm         csrf mode */
    {"GET",    "/healthz",                 page_healthz,       PERM_PUBLIC, 0, JSON, 0},
    {"GET",    "/static/{name}",           page_static,        PERM_PUBLIC, 0, ASSET, 0},
    {"GET",    "/",                        page_home,          PERM_LOGIN,  0, HTML, 0},
    {"GET",    "/login",                   page_login,         PERM_PUBLIC, 0, HTML, 0},
    {"POST",   "/login",                   page_login_post,    PERM_PUBLIC, 0, HTML, 0},
    {"POST",   "/logout",                  page_logout,        PERM_SELF,   1, HTML, 0},
    {"GET",    "/me",                      page_me,            PERM_SELF,   0, HTML, 0},
    {"GET",    "/me/password",             page_password,      PERM_SELF,   0, HTML, 0},
    {"POST",   "/me/password",             page_password_post, PERM_SELF,   1, HTML, 0},
    {"POST",   "/me/sessions/{id}/end",    page_session_end,   PERM_SELF,   1, HTML, 0},
    {"POST",   "/api/v1/session",          api_session_create, PERM_PUBLIC, 0, JSON, 0},
    {"DELETE", "/api/v1/session",          api_session_delete, PERM_SELF,   1, JSON, 0},
    {"GET",    "/api/v1/me",               api_me,             PERM_SELF,   0, JSON, 0},
    {"POST",   "/api/v1/me/password",      api_me_password,    PERM_SELF,   1, JSON, 0},
};
const size_t n_routes = JX_COUNT(routes);
