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

/* page_audit.c */
void page_audit(Request *req, Response *resp);
void api_audit(Request *req, Response *resp);
void page_audit_export_csv(Request *req, Response *resp);
void page_audit_export_xlsx(Request *req, Response *resp);
void page_audit_verify(Request *req, Response *resp);

/* page_users.c */
void page_users(Request *req, Response *resp);
void page_user_new(Request *req, Response *resp);
void page_user_create(Request *req, Response *resp);
void page_user(Request *req, Response *resp);
void page_user_lock(Request *req, Response *resp);
void page_user_unlock(Request *req, Response *resp);
void page_user_disable(Request *req, Response *resp);
void page_user_enable(Request *req, Response *resp);
void page_user_reset_password(Request *req, Response *resp);
void page_user_expiry(Request *req, Response *resp);
void api_users(Request *req, Response *resp);
void api_user(Request *req, Response *resp);
void api_user_create(Request *req, Response *resp);
void api_user_lock(Request *req, Response *resp);
void api_user_unlock(Request *req, Response *resp);
void api_user_disable(Request *req, Response *resp);
void api_user_enable(Request *req, Response *resp);
void api_user_reset_password(Request *req, Response *resp);
void api_user_expiry(Request *req, Response *resp);

/* page_auth.c (second login step), page_mfa.c */
void page_login_totp_post(Request *req, Response *resp);
void page_totp(Request *req, Response *resp);
void page_totp_setup(Request *req, Response *resp);
void page_totp_enable(Request *req, Response *resp);
void page_totp_disable(Request *req, Response *resp);

/* page_secadmin.c */
void page_secadmin(Request *req, Response *resp);
void page_secadmin_role_totp(Request *req, Response *resp);
void page_secadmin_users(Request *req, Response *resp);
void page_secadmin_user(Request *req, Response *resp);
void page_secadmin_grant(Request *req, Response *resp);
void page_secadmin_revoke(Request *req, Response *resp);
void page_secadmin_totp_reset(Request *req, Response *resp);
void page_secadmin_settings(Request *req, Response *resp);
void page_secadmin_settings_post(Request *req, Response *resp);
void api_roles(Request *req, Response *resp);
void api_role_totp(Request *req, Response *resp);
void api_role_grants(Request *req, Response *resp);
void api_role_grant_create(Request *req, Response *resp);
void api_role_grant_delete(Request *req, Response *resp);
void api_settings(Request *req, Response *resp);
void api_settings_post(Request *req, Response *resp);

/* page_access.c */
void page_access_mine(Request *req, Response *resp);
void page_access_request_post(Request *req, Response *resp);
void page_access_requests(Request *req, Response *resp);
void page_access_approve(Request *req, Response *resp);
void page_access_reject(Request *req, Response *resp);
void page_access_grants(Request *req, Response *resp);
void page_access_revoke(Request *req, Response *resp);
void api_access_mine(Request *req, Response *resp);
void api_access_request_create(Request *req, Response *resp);
void api_access_requests(Request *req, Response *resp);
void api_access_approve(Request *req, Response *resp);
void api_access_reject(Request *req, Response *resp);
void api_access_grants(Request *req, Response *resp);
void api_access_revoke(Request *req, Response *resp);

#endif
