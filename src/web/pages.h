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


/* page_rounds.c, page_teams.c, page_teams_api.c, page_training.c */
void page_rounds(Request *req, Response *resp);
void page_round_new(Request *req, Response *resp);
void page_round_create(Request *req, Response *resp);
void page_round(Request *req, Response *resp);
void page_round_edit(Request *req, Response *resp);
void page_round_update(Request *req, Response *resp);
void page_round_unit_add(Request *req, Response *resp);
void page_round_unit_remove(Request *req, Response *resp);
void page_round_phase(Request *req, Response *resp);
void api_rounds(Request *req, Response *resp);
void api_round(Request *req, Response *resp);
void api_round_create(Request *req, Response *resp);
void api_round_update(Request *req, Response *resp);
void api_round_unit_add(Request *req, Response *resp);
void api_round_unit_remove(Request *req, Response *resp);
void api_round_phase(Request *req, Response *resp);
void page_team(Request *req, Response *resp);
void page_team_create(Request *req, Response *resp);
void page_team_unit_add(Request *req, Response *resp);
void page_team_member_add(Request *req, Response *resp);
void page_team_member_remove(Request *req, Response *resp);
void page_sreq_create(Request *req, Response *resp);
void page_override_request(Request *req, Response *resp);
void page_sreqs(Request *req, Response *resp);
void page_sreq(Request *req, Response *resp);
void page_sreq_answer(Request *req, Response *resp);
void page_overrides(Request *req, Response *resp);
void page_override_approve(Request *req, Response *resp);
void page_override_reject(Request *req, Response *resp);
void api_teams(Request *req, Response *resp);
void api_team(Request *req, Response *resp);
void api_team_create(Request *req, Response *resp);
void api_team_unit_add(Request *req, Response *resp);
void api_team_member_add(Request *req, Response *resp);
void api_team_member_remove(Request *req, Response *resp);
void api_override_request(Request *req, Response *resp);
void api_sreqs(Request *req, Response *resp);
void api_sreq(Request *req, Response *resp);
void api_sreq_create(Request *req, Response *resp);
void api_sreq_candidates(Request *req, Response *resp);
void api_sreq_answer(Request *req, Response *resp);
void api_overrides(Request *req, Response *resp);
void api_override_approve(Request *req, Response *resp);
void api_override_reject(Request *req, Response *resp);
void page_trainings(Request *req, Response *resp);
void page_training_new(Request *req, Response *resp);
void page_training_create(Request *req, Response *resp);
void page_training(Request *req, Response *resp);
void page_training_attendees(Request *req, Response *resp);
void page_training_record(Request *req, Response *resp);
void api_trainings(Request *req, Response *resp);
void api_training(Request *req, Response *resp);
void api_training_create(Request *req, Response *resp);
void api_training_attendees(Request *req, Response *resp);
void api_training_record(Request *req, Response *resp);


/* page_org.c, page_org_people.c, page_org_import.c, page_org_api.c */
void page_org_jurisdictions(Request *req, Response *resp);
void page_org_jurisdiction_create(Request *req, Response *resp);
void page_org_jurisdiction(Request *req, Response *resp);
void page_org_jurisdiction_update(Request *req, Response *resp);
void page_org_offices(Request *req, Response *resp);
void page_org_office(Request *req, Response *resp);
void page_org_office_create(Request *req, Response *resp);
void page_org_office_update(Request *req, Response *resp);
void page_org_tags(Request *req, Response *resp);
void page_org_tag_create(Request *req, Response *resp);
void page_org_tag_update(Request *req, Response *resp);
void page_org_tag_delete(Request *req, Response *resp);
void page_org_units(Request *req, Response *resp);
void page_org_unit(Request *req, Response *resp);
void page_org_unit_new(Request *req, Response *resp);
void page_org_unit_edit(Request *req, Response *resp);
void page_org_unit_create(Request *req, Response *resp);
void page_org_unit_update(Request *req, Response *resp);
void page_org_people(Request *req, Response *resp);
void page_org_person(Request *req, Response *resp);
void page_org_person_new(Request *req, Response *resp);
void page_org_person_edit(Request *req, Response *resp);
void page_org_person_create(Request *req, Response *resp);
void page_org_person_update(Request *req, Response *resp);
void page_org_staff(Request *req, Response *resp);
void page_org_staff_one(Request *req, Response *resp);
void page_org_staff_new(Request *req, Response *resp);
void page_org_staff_edit(Request *req, Response *resp);
void page_org_staff_create(Request *req, Response *resp);
void page_org_staff_update(Request *req, Response *resp);
void page_org_staff_post_add(Request *req, Response *resp);
void page_org_staff_post_delete(Request *req, Response *resp);
void page_org_staff_tie_add(Request *req, Response *resp);
void page_org_staff_tie_delete(Request *req, Response *resp);
void page_org_staff_avail_add(Request *req, Response *resp);
void page_org_staff_avail_delete(Request *req, Response *resp);
void page_org_import(Request *req, Response *resp);
void page_org_import_post(Request *req, Response *resp);
void page_org_import_confirm(Request *req, Response *resp);
void page_org_import_discard(Request *req, Response *resp);
void page_org_import_show(Request *req, Response *resp);
void api_org_import_create(Request *req, Response *resp);
void api_org_import_get(Request *req, Response *resp);
void api_org_import_confirm(Request *req, Response *resp);
void page_org_import_template(Request *req, Response *resp);
void page_org_export_units(Request *req, Response *resp);
void page_org_export_people(Request *req, Response *resp);
void page_org_export_staff(Request *req, Response *resp);
void api_org_jurisdictions(Request *req, Response *resp);
void api_org_jurisdiction_create(Request *req, Response *resp);
void api_org_jurisdiction_update(Request *req, Response *resp);
void api_org_offices(Request *req, Response *resp);
void api_org_office(Request *req, Response *resp);
void api_org_office_create(Request *req, Response *resp);
void api_org_office_update(Request *req, Response *resp);
void api_org_tags(Request *req, Response *resp);
void api_org_tag_create(Request *req, Response *resp);
void api_org_tag_update(Request *req, Response *resp);
void api_org_tag_delete(Request *req, Response *resp);
void api_org_units(Request *req, Response *resp);
void api_org_unit(Request *req, Response *resp);
void api_org_unit_create(Request *req, Response *resp);
void api_org_unit_update(Request *req, Response *resp);
void api_org_people(Request *req, Response *resp);
void api_org_person(Request *req, Response *resp);
void api_org_person_create(Request *req, Response *resp);
void api_org_person_update(Request *req, Response *resp);
void api_org_staff(Request *req, Response *resp);
void api_org_staff_one(Request *req, Response *resp);
void api_org_staff_create(Request *req, Response *resp);
void api_org_staff_update(Request *req, Response *resp);
/* problem clues: pages (page_clues*.c, page_inbox.c) */
void page_clues(Request *req, Response *resp);
void page_clues_export(Request *req, Response *resp);
void page_clues_due(Request *req, Response *resp);
void page_clue_new(Request *req, Response *resp);
void page_clue_create(Request *req, Response *resp);
void page_clue(Request *req, Response *resp);
void page_clue_edit(Request *req, Response *resp);
void page_clue_update(Request *req, Response *resp);
void page_clue_act(Request *req, Response *resp);
void page_clue_notice(Request *req, Response *resp);
void page_clue_letter(Request *req, Response *resp);
void page_clue_letter_docx(Request *req, Response *resp);
void page_clue_attach(Request *req, Response *resp);
void page_clue_attachment(Request *req, Response *resp);
void page_inbox(Request *req, Response *resp);
void page_inbox_read(Request *req, Response *resp);

/* problem clues: figures (page_figures.c) */
void page_figures(Request *req, Response *resp);
void api_figures(Request *req, Response *resp);

/* problem clues: JSON API (page_clues_api.c) */
void api_clues(Request *req, Response *resp);
void api_clue_create(Request *req, Response *resp);
void api_clues_due(Request *req, Response *resp);
void api_clue(Request *req, Response *resp);
void api_clue_update(Request *req, Response *resp);
void api_clue_act(Request *req, Response *resp);
void api_clue_events(Request *req, Response *resp);
void api_clue_access(Request *req, Response *resp);
void api_clue_feedback(Request *req, Response *resp);
void api_clue_feedback_add(Request *req, Response *resp);
void api_clue_notices(Request *req, Response *resp);
void api_clue_notice_add(Request *req, Response *resp);
void api_notices(Request *req, Response *resp);
void api_notice_read(Request *req, Response *resp);

#endif
