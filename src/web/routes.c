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
    {"GET",    "/audit",                   page_audit,         P_AUDIT_READ,   0, HTML, 0, "audit.read"},
    {"GET",    "/audit/export.csv",        page_audit_export_csv,  P_AUDIT_EXPORT, 0, HTML, 0, "audit.export"},
    {"GET",    "/audit/export.xlsx",       page_audit_export_xlsx, P_AUDIT_EXPORT, 0, HTML, 0, "audit.export"},
    {"POST",   "/audit/verify",            page_audit_verify,  P_AUDIT_READ,   1, HTML, 0, "audit.verify"},
    {"GET",    "/api/v1/audit",            api_audit,          P_AUDIT_READ,   0, JSON, 0, "audit.read"},
    {"GET",    "/admin/users",             page_users,         P_USER_ADMIN, 0, HTML, 0, NULL},
    {"GET",    "/admin/users/new",         page_user_new,      P_USER_ADMIN, 0, HTML, 0, NULL},
    {"POST",   "/admin/users",             page_user_create,   P_USER_ADMIN, 1, HTML, 0, "user.create"},
    {"GET",    "/admin/users/{id}",        page_user,          P_USER_ADMIN, 0, HTML, 0, NULL},
    {"POST",   "/admin/users/{id}/lock",   page_user_lock,     P_USER_ADMIN, 1, HTML, 0, "user.lock"},
    {"POST",   "/admin/users/{id}/unlock", page_user_unlock,   P_USER_ADMIN, 1, HTML, 0, "user.unlock"},
    {"POST",   "/admin/users/{id}/disable", page_user_disable, P_USER_ADMIN, 1, HTML, 0, "user.disable"},
    {"POST",   "/admin/users/{id}/enable", page_user_enable,   P_USER_ADMIN, 1, HTML, 0, "user.enable"},
    {"POST",   "/admin/users/{id}/reset-password", page_user_reset_password, P_USER_ADMIN, 1, HTML, 0, "user.reset_password"},
    {"POST",   "/admin/users/{id}/expiry", page_user_expiry,   P_USER_ADMIN, 1, HTML, 0, "user.set_expiry"},
    {"GET",    "/api/v1/users",            api_users,          P_USER_ADMIN, 0, JSON, 0, NULL},
    {"GET",    "/api/v1/users/{id}",       api_user,           P_USER_ADMIN, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/users",            api_user_create,    P_USER_ADMIN, 1, JSON, 0, "user.create"},
    {"POST",   "/api/v1/users/{id}/lock",  api_user_lock,      P_USER_ADMIN, 1, JSON, 0, "user.lock"},
    {"POST",   "/api/v1/users/{id}/unlock", api_user_unlock,   P_USER_ADMIN, 1, JSON, 0, "user.unlock"},
    {"POST",   "/api/v1/users/{id}/disable", api_user_disable, P_USER_ADMIN, 1, JSON, 0, "user.disable"},
    {"POST",   "/api/v1/users/{id}/enable", api_user_enable,   P_USER_ADMIN, 1, JSON, 0, "user.enable"},
    {"POST",   "/api/v1/users/{id}/reset-password", api_user_reset_password, P_USER_ADMIN, 1, JSON, 0, "user.reset_password"},
    {"POST",   "/api/v1/users/{id}/expiry", api_user_expiry,   P_USER_ADMIN, 1, JSON, 0, "user.set_expiry"},
    {"POST",   "/login/totp",              page_login_totp_post, P_PUBLIC, 0, HTML, 0, "session.login"},
    {"GET",    "/me/totp",                 page_totp,          P_SELF,   0, HTML, 0, NULL},
    {"POST",   "/me/totp/setup",           page_totp_setup,    P_SELF,   1, HTML, 0, "mfa.setup"},
    {"POST",   "/me/totp/enable",          page_totp_enable,   P_SELF,   1, HTML, 0, "mfa.enable"},
    {"POST",   "/me/totp/disable",         page_totp_disable,  P_SELF,   1, HTML, 0, "mfa.disable"},
    {"GET",    "/secadmin",                page_secadmin,      P_ROLE_GRANT, 0, HTML, 0, NULL},
    {"POST",   "/secadmin/roles/{code}/totp", page_secadmin_role_totp, P_POLICY_ADMIN, 1, HTML, 0, "role.totp"},
    {"GET",    "/secadmin/users",          page_secadmin_users, P_ROLE_GRANT, 0, HTML, 0, NULL},
    {"GET",    "/secadmin/users/{id}",     page_secadmin_user, P_ROLE_GRANT, 0, HTML, 0, NULL},
    {"POST",   "/secadmin/users/{id}/roles/grant", page_secadmin_grant, P_ROLE_GRANT, 1, HTML, 0, "role.grant"},
    {"POST",   "/secadmin/users/{id}/roles/revoke", page_secadmin_revoke, P_ROLE_GRANT, 1, HTML, 0, "role.revoke"},
    {"POST",   "/secadmin/users/{id}/totp/reset", page_secadmin_totp_reset, P_ROLE_GRANT, 1, HTML, 0, "mfa.reset"},
    {"GET",    "/secadmin/settings",       page_secadmin_settings, P_POLICY_ADMIN, 0, HTML, 0, NULL},
    {"POST",   "/secadmin/settings",       page_secadmin_settings_post, P_POLICY_ADMIN, 1, HTML, 0, "settings.update"},
    {"GET",    "/api/v1/roles",            api_roles,          P_ROLE_GRANT, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/roles/{code}/totp", api_role_totp,     P_POLICY_ADMIN, 1, JSON, 0, "role.totp"},
    {"GET",    "/api/v1/role-grants",      api_role_grants,    P_ROLE_GRANT, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/role-grants",      api_role_grant_create, P_ROLE_GRANT, 1, JSON, 0, "role.grant"},
    {"DELETE", "/api/v1/role-grants/{user_id}/{role}", api_role_grant_delete, P_ROLE_GRANT, 1, JSON, 0, "role.revoke"},
    {"GET",    "/api/v1/settings",         api_settings,       P_POLICY_ADMIN, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/settings",         api_settings_post,  P_POLICY_ADMIN, 1, JSON, 0, "settings.update"},
    {"GET",    "/access/mine",             page_access_mine,   P_ACCESS_REQUEST, 0, HTML, 0, NULL},
    {"POST",   "/access/requests",         page_access_request_post, P_ACCESS_REQUEST, 1, HTML, 0, "access.request"},
    {"GET",    "/access/requests",         page_access_requests, P_ACCESS_APPROVE, 0, HTML, 0, "access.queue_read"},
    {"POST",   "/access/requests/{id}/approve", page_access_approve, P_ACCESS_APPROVE, 1, HTML, 0, "access.approve"},
    {"POST",   "/access/requests/{id}/reject", page_access_reject, P_ACCESS_APPROVE, 1, HTML, 0, "access.reject"},
    {"GET",    "/access/grants",           page_access_grants, P_ACCESS_APPROVE, 0, HTML, 0, "access.list"},
    {"POST",   "/access/grants/{id}/revoke", page_access_revoke, P_ACCESS_APPROVE, 1, HTML, 0, "access.revoke"},
    {"GET",    "/api/v1/access/mine",      api_access_mine,    P_ACCESS_REQUEST, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/access/requests",  api_access_request_create, P_ACCESS_REQUEST, 1, JSON, 0, "access.request"},
    {"GET",    "/api/v1/access/requests",  api_access_requests, P_ACCESS_APPROVE, 0, JSON, 0, NULL},
    {"POST",   "/api/v1/access/requests/{id}/approve", api_access_approve, P_ACCESS_APPROVE, 1, JSON, 0, "access.approve"},
    {"POST",   "/api/v1/access/requests/{id}/reject", api_access_reject, P_ACCESS_APPROVE, 1, JSON, 0, "access.reject"},
    {"GET",    "/api/v1/access/grants",    api_access_grants,  P_ACCESS_APPROVE, 0, JSON, 0, "access.list"},
    {"POST",   "/api/v1/access/grants/{id}/revoke", api_access_revoke, P_ACCESS_APPROVE, 1, JSON, 0, "access.revoke"},
};
const size_t n_routes = JX_COUNT(routes);
