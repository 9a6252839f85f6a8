/* policy.c: the role × permission × scope table (see policy.h).
**
** 三员分立: sysadmin manages accounts and never sees case content or the
** audit trail; secadmin manages roles, grants and policies; auditor only
** reads and exports the audit trail.  Business roles gain permissions as
** their modules arrive (clues, org, rectify …).
*/
#include "auth/policy.h"

#include <string.h>

const PolicyRule policy_rules[] = {
    /* role        permission       scope */
    {"sysadmin", P_USER_ADMIN, SCOPE_ALL},
    {"secadmin", P_ROLE_GRANT, SCOPE_ALL},
    {"secadmin", P_POLICY_ADMIN, SCOPE_ALL},
    {"auditor", P_AUDIT_READ, SCOPE_ALL},
    {"auditor", P_AUDIT_EXPORT, SCOPE_ALL},
    /* 知悉范围 (auth/ntk.h): every business role may ask to widen a
     * record's access list; the security administrator decides. */
    {"xcb", P_ACCESS_REQUEST, SCOPE_OWN},
    {"xcz_leader", P_ACCESS_REQUEST, SCOPE_OWN},
    {"xcz_deputy", P_ACCESS_REQUEST, SCOPE_OWN},
    {"xcz_member", P_ACCESS_REQUEST, SCOPE_OWN},
    {"ags", P_ACCESS_REQUEST, SCOPE_OWN},
    {"xfs", P_ACCESS_REQUEST, SCOPE_OWN},
    {"dfzf", P_ACCESS_REQUEST, SCOPE_OWN},
    {"lxs", P_ACCESS_REQUEST, SCOPE_OWN},
    {"cbbm", P_ACCESS_REQUEST, SCOPE_OWN},
    {"ldxz", P_ACCESS_REQUEST, SCOPE_OWN},
    {"zgllr", P_ACCESS_REQUEST, SCOPE_OWN},
    {"secadmin", P_ACCESS_APPROVE, SCOPE_ALL},
    /* Record-specific approvers: below SCOPE_ALL a type's hook decides
     * (auth/ntk.c ntk_types[]) — for a clue, its team's 组长 while the
     * team holds it, the 案管室 after the transfer. */
    {"xcz_leader", P_ACCESS_APPROVE, SCOPE_JURISDICTION},
    {"ags", P_ACCESS_APPROVE, SCOPE_JURISDICTION},
    /* org registries (domain/org.h): business roles read within their
     * jurisdiction subtree (the city's 巡察办 has code "ML", so it sees
     * the counties); only the 巡察办 edits; the people registry is
     * confidential and narrower.  Administrators see no business data. */
    {"xcb", P_ORG_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_ORG_READ, SCOPE_JURISDICTION},
    {"xcz_deputy", P_ORG_READ, SCOPE_JURISDICTION},
    {"xcz_member", P_ORG_READ, SCOPE_JURISDICTION},
    {"ags", P_ORG_READ, SCOPE_JURISDICTION},
    {"xfs", P_ORG_READ, SCOPE_JURISDICTION},
    {"dfzf", P_ORG_READ, SCOPE_JURISDICTION},
    {"lxs", P_ORG_READ, SCOPE_JURISDICTION},
    {"cbbm", P_ORG_READ, SCOPE_JURISDICTION},
    {"ldxz", P_ORG_READ, SCOPE_JURISDICTION},
    {"xcb", P_ORG_EDIT, SCOPE_JURISDICTION},
    {"xcb", P_PEOPLE_READ, SCOPE_JURISDICTION},
    {"lxs", P_PEOPLE_READ, SCOPE_JURISDICTION},
    {"ags", P_PEOPLE_READ, SCOPE_JURISDICTION},
    {"ldxz", P_PEOPLE_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_PEOPLE_READ, SCOPE_JURISDICTION},
    /* Rounds, teams, staffing and training (domain/rounds.h): the
     * inspection office plans and staffs; the commission's rooms answer
     * staffing requests; the 领导小组 decides 回避 exceptions.  All within
     * the user's jurisdiction subtree. */
    {"xcb", P_ROUND_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_ROUND_READ, SCOPE_JURISDICTION},
    {"xcz_deputy", P_ROUND_READ, SCOPE_JURISDICTION},
    {"xcz_member", P_ROUND_READ, SCOPE_JURISDICTION},
    {"lxs", P_ROUND_READ, SCOPE_JURISDICTION},
    {"ags", P_ROUND_READ, SCOPE_JURISDICTION},
    {"ldxz", P_ROUND_READ, SCOPE_JURISDICTION},
    {"xcb", P_ROUND_EDIT, SCOPE_JURISDICTION},
    {"lxs", P_STAFFING_ANSWER, SCOPE_JURISDICTION},
    {"ags", P_STAFFING_ANSWER, SCOPE_JURISDICTION},
    {"xcb", P_AVOID_REQUEST, SCOPE_JURISDICTION},
    {"lxs", P_AVOID_REQUEST, SCOPE_JURISDICTION},
    {"ags", P_AVOID_REQUEST, SCOPE_JURISDICTION},
    {"ldxz", P_AVOID_APPROVE, SCOPE_JURISDICTION},
    {"xcb", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"xcz_deputy", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"xcz_member", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"lxs", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"ags", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"ldxz", P_TRAINING_READ, SCOPE_JURISDICTION},
    {"xcb", P_TRAINING_EDIT, SCOPE_JURISDICTION},
    {"lxs", P_TRAINING_EDIT, SCOPE_JURISDICTION},
    /* Problem clues (domain/clue.h).  The route permission only opens
     * the door: every list, count and record is further fenced by the
     * clue's 知悉范围 (auth/ntk.h), and which action a role may take in
     * which state is the state-machine table's (domain/clue_flow.c).
     * The inspection office's view of a clue it transferred is the
     * 'clue_status' grant: state and outcome codes, not the content. */
    {"xcb", P_CLUE_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_CLUE_READ, SCOPE_JURISDICTION},
    {"xcz_deputy", P_CLUE_READ, SCOPE_JURISDICTION},
    {"xcz_member", P_CLUE_READ, SCOPE_JURISDICTION},
    {"ags", P_CLUE_READ, SCOPE_JURISDICTION},
    {"lxs", P_CLUE_READ, SCOPE_JURISDICTION},
    {"dfzf", P_CLUE_READ, SCOPE_JURISDICTION},
    {"xfs", P_CLUE_READ, SCOPE_JURISDICTION},
    {"cbbm", P_CLUE_READ, SCOPE_JURISDICTION},
    {"ldxz", P_CLUE_READ, SCOPE_JURISDICTION},
    {"xcz_leader", P_CLUE_RECORD, SCOPE_JURISDICTION},
    {"xcz_deputy", P_CLUE_RECORD, SCOPE_JURISDICTION},
    {"xcz_member", P_CLUE_RECORD, SCOPE_JURISDICTION},
    {"xcb", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"xcz_leader", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"xcz_deputy", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"xcz_member", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"ags", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"lxs", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"dfzf", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"xfs", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"cbbm", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"ldxz", P_CLUE_ACT, SCOPE_JURISDICTION},
    {"ags", P_CLUE_SUPERVISE, SCOPE_JURISDICTION},
    {"xcb", P_CLUE_EXPORT, SCOPE_JURISDICTION},
    {"ags", P_CLUE_EXPORT, SCOPE_JURISDICTION},
    {"ldxz", P_CLUE_EXPORT, SCOPE_JURISDICTION},
    {"xcb", P_CLUE_STATS, SCOPE_JURISDICTION},
    {"ags", P_CLUE_STATS, SCOPE_JURISDICTION},
    {"ldxz", P_CLUE_STATS, SCOPE_JURISDICTION},
    {"cbbm", P_CLUE_STATS, SCOPE_JURISDICTION},
};
const size_t n_policy_rules = sizeof policy_rules / sizeof policy_rules[0];

static const struct {
  const char *name, *label;
} perm_names[P__COUNT] = {
    [P_PUBLIC] = {"public", "公开"},
    [P_LOGIN] = {"login", "已登录用户"},
    [P_SELF] = {"self", "本人（含待改密）"},
    [P_USER_ADMIN] = {"user.admin", "账号管理"},
    [P_ROLE_GRANT] = {"role.grant", "角色与授权管理"},
    [P_POLICY_ADMIN] = {"policy.admin", "安全策略设置"},
    [P_AUDIT_READ] = {"audit.read", "查询审计记录"},
    [P_AUDIT_EXPORT] = {"audit.export", "导出审计记录"},
    [P_ACCESS_REQUEST] = {"access.request", "申请知悉范围"},
    [P_ACCESS_APPROVE] = {"access.approve", "审批知悉范围"},
    [P_ORG_READ] = {"org.read", "查看组织机构与单位"},
    [P_ORG_EDIT] = {"org.edit", "维护组织机构、单位与力量库"},
    [P_PEOPLE_READ] = {"people.read", "查看干部人员信息"},
    [P_ROUND_READ] = {"round.read", "查看巡察轮次与巡察组"},
    [P_ROUND_EDIT] = {"round.edit", "管理巡察轮次、巡察组与力量需求"},
    [P_STAFFING_ANSWER] = {"staffing.answer", "答复力量需求（选派人员）"},
    [P_AVOID_REQUEST] = {"avoid.request", "申请回避例外"},
    [P_AVOID_APPROVE] = {"avoid.approve", "审批回避例外"},
    [P_TRAINING_READ] = {"training.read", "查看同堂培训与培训记录"},
    [P_TRAINING_EDIT] = {"training.edit", "登记同堂培训"},
    [P_CLUE_READ] = {"clue.read", "查看知悉范围内的问题线索与台账"},
    [P_CLUE_RECORD] = {"clue.record", "登记问题线索（巡察组）"},
    [P_CLUE_ACT] = {"clue.act", "办理问题线索（按状态与角色）"},
    [P_CLUE_SUPERVISE] = {"clue.supervise", "督办问题线索"},
    [P_CLUE_EXPORT] = {"clue.export", "导出问题线索台账"},
    [P_CLUE_STATS] = {"clue.stats", "查看线索统计指标"},
};

const char *perm_name(Perm p) {
  return p >= 0 && p < P__COUNT ? perm_names[p].name : "?";
}

const char *perm_label(Perm p) {
  return p >= 0 && p < P__COUNT ? perm_names[p].label : "?";
}

/* Is code one of the comma-separated roles? */
static int has_role(const char *roles_csv, const char *code) {
  size_t n = strlen(code);
  for (const char *p = roles_csv; p && *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && memcmp(p, code, n) == 0) return 1;
    p = e ? e + 1 : NULL;
  }
  return 0;
}

Scope policy_scope(const char *roles_csv, Perm perm) {
  Scope best = SCOPE_NONE;
  for (size_t i = 0; i < n_policy_rules; i++)
    if (policy_rules[i].perm == perm && policy_rules[i].scope > best &&
        has_role(roles_csv, policy_rules[i].role))
      best = policy_rules[i].scope;
  return best;
}
