// Problem clues through the JSON API (issue 5) on the demo city, with the
// server's clock in a file (JIXUN_CLOCK_FILE) starting on 2026-08-31 10:00
// 北京时间: one clue walked from 登记 to 结案 by the roles the state-machine
// table names; for a sample of actions a wrong role gets 403 and a wrong
// state 409, each with a Chinese message, and nothing changes (same state,
// same history); the audit records name the code and the action, never the
// text; and the deadlines: a transfer on 31 August owes its first feedback
// on 28 February, which shows in the 30-day list, then as overdue
// (?window=-1, ?fig=overdue, ?overdue=1) once the clock passes it, until
// the feedback is sent; 督办 notices land in the handling office's inbox.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, freshDatabase, runCliOk, demoAccounts, checkErrorShape, CJK, BACKEND } from './lib.mjs';
import { loginOk, call, Clock, userAddOk, goodPassword, uniqueLogin } from './authlib.mjs';

const T0 = Date.parse('2026-08-31T02:00:00Z') / 1000; // 10:00 北京时间
const LOGINS = ['xcz_member', 'xcz_leader', 'xcz_deputy', 'xcb', 'ldxz', 'ags', 'cbbm', 'lxs', 'secadmin', 'auditor'];

let srv, db, clock, pw;
const S = {};    // login → session {cookie, csrf, id}
let ROUND, TEAM, UNIT;

/** Log every account in again (after the clock moved past the idle timeout). */
async function loginAll() {
  for (const u of LOGINS) S[u] = await loginOk(srv, u, pw[u]);
}

async function get(u, p, status = 200) {
  const r = await call(srv, S[u], 'GET', p);
  assert.equal(r.status, status, `${u} GET ${p}: ${r.text.slice(0, 300)}`);
  return r.data;
}

function act(u, id, action, json = {}) {
  return call(srv, S[u], 'POST', `/api/v1/clues/${id}/actions/${action}`, { json });
}

async function actOk(u, id, action, json = {}) {
  const r = await act(u, id, action, json);
  assert.equal(r.status, 200, `${u} ${action}: ${r.text.slice(0, 400)}`);
  assert.ok(r.data.event_id > 0, 'the answer names the event');
  assert.equal(r.data.id, id);
  return r.data;
}

let seq = 0;
async function createClue(u = 'xcz_member', extra = {}) {
  const tag = `${process.pid}-${++seq}`;
  const body = {
    round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'integrity', source: 'interview',
    summary: `测试线索${tag}：违规收受礼金`, facts: `经个别谈话了解，某副院长违规收受礼金（${tag}）。`,
    cond_nature: true, cond_evidence: true, cond_facts: true,
    persons: [{ name: `甲某${tag}`, post: '副院长', party_member: true, supervisory_object: true }],
    ...extra,
  };
  const r = await call(srv, S[u], 'POST', '/api/v1/clues', { json: body });
  assert.equal(r.status, 201, `create: ${r.text.slice(0, 400)}`);
  return r.data;
}

/** Expects a refusal with status; the message is Chinese. */
function refused(r, status) {
  assert.equal(r.status, status, `want ${status}: ${r.text.slice(0, 300)}`);
  const e = checkErrorShape(r.data, assert);
  assert.match(e.message, CJK);
  return e;
}

/** A refused action changes nothing: same state, same history. */
async function refusedNoChange(u, id, action, json, status, viewer = 'xcz_member') {
  const before = await get(viewer, `/api/v1/clues/${id}`);
  const evBefore = await get(viewer, `/api/v1/clues/${id}/events`);
  const e = refused(await act(u, id, action, json), status);
  const after = await get(viewer, `/api/v1/clues/${id}`);
  const evAfter = await get(viewer, `/api/v1/clues/${id}/events`);
  assert.equal(after.state, before.state, `${action}: state unchanged`);
  assert.equal(after.transfer_step, before.transfer_step);
  assert.equal(after.updated_at, before.updated_at, `${action}: not touched`);
  assert.deepEqual(evAfter.items.map((x) => x.id), evBefore.items.map((x) => x.id), `${action}: no event`);
  return e;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function sql(text) {
  return BACKEND === 'sqlite'
    ? run('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', db.loc, text])
    : run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c', text]);
}

/** A fresh account with role, working in office of 明澜市, logged in. */
async function userIn(role, office) {
  const who = uniqueLogin('clu');
  const first = goodPassword('a');
  await userAddOk(db, { login: who, role, password: first, env: clock.env });
  await sql(`UPDATE app_user SET jurisdiction_code = 'ML', office_code = '${office}' WHERE login = '${who}'`);
  const s = await loginOk(srv, who, first);
  const second = goodPassword('b');
  const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: first, new_password: second } });
  assert.equal(r.status, 204, r.text);
  return loginOk(srv, who, second);
}

/** Walk a fresh clue to 已移交 (destination 纪委监委) on today's date. */
async function transferClue(extra = {}) {
  const c = await createClue('xcz_member', extra);
  await actOk('xcz_leader', c.id, 'review', { participants: '组长、副组长、组员', conclusion: '问题具体，可查性强，建议移交' });
  await actOk('xcz_member', c.id, 'submit', { destination: 'commission' });
  await actOk('xcz_leader', c.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.xcb.id });
  await actOk('xcb', c.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.ldxz.id });
  return actOk('ldxz', c.id, 'approve_transfer', { opinion: '同意移交' });
}

before(async () => {
  db = await freshDatabase();
  clock = new Clock(db.dir, T0);
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db, env: clock.env });
  await loginAll();
  // The clock moves half a year below: passwords must not age out meanwhile.
  const s = await call(srv, S.secadmin, 'POST', '/api/v1/settings', { json: { 'auth.password_max_age_days': 0 } });
  assert.equal(s.status, 200, s.text);
  const rounds = await get('xcb', '/api/v1/rounds?per_page=200');
  const cur = rounds.items.find((r) => r.title === '五届市委第三轮巡察');
  assert.ok(cur, 'the demo round');
  const full = await get('xcb', `/api/v1/rounds/${cur.id}`);
  ROUND = cur.id;
  TEAM = full.teams.find((t) => t.name === '第一巡察组').id;
  const team = await get('xcb', `/api/v1/teams/${TEAM}`);
  UNIT = team.units.find((u) => u.code === 'ML-HEALTH-H01').unit_id;
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

let W; // the clue walked from 登记 to 结案

describe('recording a clue', () => {
  it('a team member records it: 201, 待研判, its code, the persons, on its access list', async () => {
    W = await createClue();
    assert.equal(W.state, 'draft');
    assert.equal(W.state_label, '待研判');
    assert.equal(W.full, true);
    assert.match(W.code, /^ML-2026-\d{4}$/);
    assert.equal(W.persons.length, 1);
    assert.equal(W.persons[0].post, '副院长');
    assert.equal(W.category_label, '违反廉洁纪律');
    assert.equal(W.source_label, '个别谈话');
    assert.ok(Array.isArray(W.deadlines) && Array.isArray(W.actions));
    const acc = await get('xcz_member', `/api/v1/clues/${W.id}/access`);
    const users = acc.items.filter((g) => g.state === 'live' && g.object_type === 'clue').map((g) => g.user_id);
    assert.ok(users.includes(S.xcz_member.id), 'the recorder');
    assert.ok(users.includes(S.xcz_leader.id), 'the team leader');
  });

  it('bad input → 400 naming the field; nothing is recorded', async () => {
    const before = (await get('xcz_member', '/api/v1/clues?per_page=1')).total;
    const cases = [
      [{}, 'round_id'],
      [{ round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'integrity', source: 'interview', summary: '', facts: 'x', persons: [{ name: '乙某' }] }, 'summary'],
      [{ round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'nope', source: 'interview', summary: 's', facts: 'x', persons: [{ name: '乙某' }] }, 'category'],
      [{ round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'integrity', source: 'interview', summary: 's', facts: 'x', persons: 'x' }, 'persons'],
      [{ round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'integrity', source: 'interview', summary: 's', facts: 'x', persons: [{ name: '乙某' }], cond_nature: 'yes' }, 'cond_nature'],
    ];
    for (const [body, field] of cases) {
      const e = refused(await call(srv, S.xcz_member, 'POST', '/api/v1/clues', { json: body }), 400);
      assert.equal(e.field, field, JSON.stringify(body));
    }
    assert.equal((await get('xcz_member', '/api/v1/clues?per_page=1')).total, before);
  });

  it('malformed action and edit bodies → 400 naming the field; nothing changes', async () => {
    const c = await createClue();
    const cases = [
      ['assist_assign', { user_ids: 'x' }, 'user_ids'],
      ['assist_assign', { user_ids: [S.ags.id, 'a'] }, 'user_ids'],
      ['file_case', { person_id: -1 }, 'person_id'],
      ['review', { opinion: 5 }, 'opinion'],
      ['review', { participants: ['甲'] }, 'participants'],
    ];
    for (const [action, body, field] of cases) {
      const e = refused(await act('xcz_leader', c.id, action, body), 400);
      assert.equal(e.field, field, JSON.stringify(body));
    }
    for (const [body, field] of [[{ persons: [{ name: 5 }] }, 'persons'], [{ persons: [7] }, 'persons'],
      [{ summary: 3 }, 'summary'], [{ cond_facts: 2 }, 'cond_facts']]) {
      const e = refused(await call(srv, S.xcz_member, 'PUT', `/api/v1/clues/${c.id}`, { json: body }), 400);
      assert.equal(e.field, field, JSON.stringify(body));
    }
    const after = await get('xcz_member', `/api/v1/clues/${c.id}`);
    assert.equal(after.summary, c.summary);
    assert.equal(after.state, 'draft');
    assert.equal(after.updated_at, c.updated_at);
  });

  it('an unknown action is refused; PUT edits while with the team', async () => {
    const e = refused(await act('xcz_member', W.id, 'no_such_action'), 404);
    assert.equal(e.field, 'action');
    const r = await call(srv, S.xcz_member, 'PUT', `/api/v1/clues/${W.id}`, { json: { facts: `${W.facts}（补充）` } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.facts, `${W.facts}（补充）`);
    assert.equal(r.data.summary, W.summary, 'absent fields keep their value');
    assert.equal(r.data.persons.length, 1, 'absent persons keep the list');
    W = r.data;
  });
});

describe('the walk from 待研判 to 结案, with refusals on the way', () => {
  it('研判 and submission: wrong role 403, wrong state 409, nothing changes', async () => {
    // 提交移交 needs 已研判.
    await refusedNoChange('xcz_member', W.id, 'submit', { destination: 'commission' }, 409);
    // 研判 is the leader's or the deputy's.
    await refusedNoChange('xcz_member', W.id, 'review', { participants: '全体组员', conclusion: '建议移交' }, 403);
    // A date in the future is refused.
    const e = refused(await act('xcz_leader', W.id, 'review', { date: '2026-09-01', participants: '全体', conclusion: '建议移交' }), 400);
    assert.equal(e.field, 'date');
    const r = await actOk('xcz_leader', W.id, 'review', { participants: '组长、副组长、组员', conclusion: '问题具体，建议移交' });
    assert.equal(r.state, 'reviewed');
    await refusedNoChange('xcz_leader', W.id, 'approve_transfer', { opinion: '同意' }, 409);
    const s = await actOk('xcz_member', W.id, 'submit', { destination: 'commission' });
    assert.equal(s.state, 'pending');
    assert.equal(s.transfer_step, 1);
  });

  it('the approval chain 组长 → 巡察办 → 领导小组, then 已移交 with its number', async () => {
    await refusedNoChange('xcz_member', W.id, 'approve_transfer', { opinion: '同意' }, 403);
    let r = await actOk('xcz_leader', W.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.xcb.id });
    assert.equal(r.state, 'pending');
    assert.equal(r.transfer_step, 2);
    await refusedNoChange('xcz_leader', W.id, 'approve_transfer', { opinion: '同意' }, 403);
    r = await actOk('xcb', W.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.ldxz.id });
    assert.equal(r.transfer_step, 3);
    r = await actOk('ldxz', W.id, 'approve_transfer', { opinion: '同意移交' });
    assert.equal(r.state, 'transferred');
    assert.equal(r.transferred_on, '2026-08-31');
    assert.match(r.transfer_no, /^明纪巡移〔2026〕\d+号$/);
    assert.equal(r.destination, 'commission');
    const fb = r.deadlines.find((d) => d.rule === 'fb_first');
    assert.ok(fb, `first feedback deadline in ${JSON.stringify(r.deadlines)}`);
    assert.equal(fb.due_on, '2027-02-28', '31 August + 6 months = the last day of February');
  });

  it('案管室 registers and assigns; the handling office proposes; 案管室 approves 初步核实', async () => {
    await refusedNoChange('xcb', W.id, 'register', {}, 403);
    let r = await actOk('ags', W.id, 'register', {});
    assert.equal(r.state, 'registered');
    assert.match(r.register_no, /^明纪案登〔2026〕\d+号$/);
    assert.equal(r.received_on, '2026-08-31');
    await refusedNoChange('ags', W.id, 'conclude', {}, 409, 'ags');
    r = await actOk('ags', W.id, 'assign', { handling_office: 'ML.JJ1', approver: '分管副书记', date: '2026-08-31' });
    assert.equal(r.state, 'assigned');
    assert.equal(r.handling_office, 'ML.JJ1');
    assert.ok(r.deadlines.some((d) => d.rule === 'disposal' && d.due_on === '2026-09-30'), JSON.stringify(r.deadlines));
    await refusedNoChange('ags', W.id, 'propose', { disposal: 'verify', opinion: '拟初核', meeting: '室务会' }, 403, 'ags');
    await refusedNoChange('ags', W.id, 'approve_disposal', { approver: '分管副书记', meeting: '专题会' }, 409, 'ags');
    r = await actOk('cbbm', W.id, 'propose', { disposal: 'verify', opinion: '拟予初步核实', meeting: '室务会 2026-08-31' });
    assert.equal(r.state, 'proposed');
    r = await actOk('ags', W.id, 'approve_disposal', { approver: '分管副书记', meeting: '监督执纪专题会' });
    assert.equal(r.state, 'verify');
  });

  it('立案, feedback, 审理, a decision per person, 结案', async () => {
    let r = await actOk('cbbm', W.id, 'file_case', { approver: '书记', meeting: '常委会', filing: 'both', person_id: 0 });
    assert.equal(r.state, 'investigating');
    assert.equal(r.n_filed, 1);
    assert.equal(r.persons[0].filed_party_on, '2026-08-31');
    assert.equal(r.filed_on, '2026-08-31');
    // 留置: 3 months from the start, extended once by 3, not twice.
    r = await actOk('cbbm', W.id, 'detain', { person_id: r.persons[0].id, approver: '市监委' });
    assert.equal(r.measures.length, 1);
    const m = r.measures[0];
    assert.equal(m.start_on, '2026-08-31');
    assert.equal(m.limit_on, '2026-11-30');
    assert.equal(r.n_detained, 1);
    assert.ok(r.deadlines.some((d) => d.rule === 'detention' && d.ref_id === m.id && d.due_on === '2026-11-30'));
    r = await actOk('cbbm', W.id, 'detain_extend', { measure_id: m.id, approver: '省监委' });
    assert.equal(r.measures[0].limit_on, '2027-02-28');
    assert.equal(r.measures[0].extensions, 1);
    const again = await act('cbbm', W.id, 'detain_extend', { measure_id: m.id, approver: '省监委' });
    assert.ok([400, 409].includes(again.status), `a second extension: ${again.status} ${again.text}`);
    assert.match(again.data.error.message, CJK);
    assert.equal((await get('ags', `/api/v1/clues/${W.id}`)).measures[0].extensions, 1);
    r = await actOk('cbbm', W.id, 'detain_end', { measure_id: m.id });
    assert.equal(r.measures[0].ended_on, '2026-08-31');
    const fb = await call(srv, S.cbbm, 'POST', `/api/v1/clues/${W.id}/feedback`, { json: { text: '已立案审查调查，进展正常。' } });
    assert.equal(fb.status, 201, fb.text);
    assert.equal(fb.data.items.length, 1);
    assert.equal(fb.data.items[0].seq, 1);
    assert.equal(fb.data.items[0].sent_on, '2026-08-31');
    const seen = await get('xcz_member', `/api/v1/clues/${W.id}/feedback`);
    assert.equal(seen.items.length, 1, 'the team sees the feedback');
    r = await get('ags', `/api/v1/clues/${W.id}`);
    const first = r.deadlines.find((d) => d.rule === 'fb_first');
    assert.equal(first.done_on, '2026-08-31', 'the first feedback answered');
    r = await actOk('cbbm', W.id, 'to_trial', {});
    assert.equal(r.state, 'trial');
    assert.equal(r.trial_on, '2026-08-31');
    await refusedNoChange('cbbm', W.id, 'conclude', {}, 409, 'ags');
    // 作出处理决定 needs a result for every person.
    const d = await act('cbbm', W.id, 'decide', {});
    assert.ok([400, 409].includes(d.status), `decide without a sanction: ${d.status} ${d.text}`);
    assert.match(d.data.error.message, /每名被反映人/);
    assert.equal((await get('ags', `/api/v1/clues/${W.id}`)).state, 'trial');
    r = await actOk('cbbm', W.id, 'sanction', { person_id: r.persons[0].id, measure: 'party_serious_warning', note: '给予党内严重警告处分' });
    assert.equal(r.state, 'trial');
    assert.equal(r.n_sanctioned, 1);
    r = await actOk('cbbm', W.id, 'decide', {});
    assert.equal(r.state, 'decided');
    assert.equal(r.decided_on, '2026-08-31');
    const sanc = r.sanctions[0];
    assert.equal(sanc.measure_label, '严重警告');
    assert.equal(sanc.form, 2);
    assert.equal(sanc.person_id, r.persons[0].id);
    assert.ok(r.deadlines.some((d) => d.rule === 'announce' && d.ref_id === sanc.id && d.due_on === '2026-09-30'));
    assert.ok(r.deadlines.some((d) => d.rule === 'execute' && d.ref_id === sanc.id && d.due_on === '2027-02-28'));
    r = await actOk('cbbm', W.id, 'announce', { sanction_id: sanc.id });
    assert.equal(r.sanctions[0].announced_on, '2026-08-31');
    await refusedNoChange('xcz_member', W.id, 'conclude', {}, 403, 'ags');
    r = await actOk('ags', W.id, 'conclude', { opinion: '结案' });
    assert.equal(r.state, 'concluded');
    assert.equal(r.terminal, true);
    assert.equal(r.outcome, 'concluded');
    assert.equal(r.concluded_on, '2026-08-31');
    assert.ok(!r.deadlines.some((d) => d.rule === 'fb_next' && !d.done_on), 'no feedback owed after 结案');
  });

  it('the history lists every action taken, in order, and nothing refused', async () => {
    const ev = await get('ags', `/api/v1/clues/${W.id}/events`);
    const acts = ev.items.map((e) => e.action).filter((a) => a !== 'create');
    assert.deepEqual(acts, ['edit', 'review', 'submit', 'approve_transfer', 'approve_transfer', 'approve_transfer',
      'register', 'assign', 'propose', 'approve_disposal', 'file_case', 'detain', 'detain_extend', 'detain_end',
      'feedback', 'to_trial', 'sanction', 'decide', 'announce', 'conclude']);
    const last = ev.items[ev.items.length - 1];
    assert.equal(last.from_state, 'decided');
    assert.equal(last.to_state, 'concluded');
    assert.equal(last.action_label.length > 0, true);
    assert.match(last.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('no editing once transferred (409), and the record still reads the same', async () => {
    const r = await call(srv, S.xcz_member, 'PUT', `/api/v1/clues/${W.id}`, { json: { summary: '改动' } });
    refused(r, 409);
    assert.equal((await get('xcz_member', `/api/v1/clues/${W.id}`)).summary, W.summary);
  });

  it('every action is audited with the clue code and the action, never the text', async () => {
    const d = await get('auditor', `/api/v1/audit?action=clue.act&object_type=clue&object_id=${W.id}&per_page=200`);
    const ok = d.items.filter((x) => x.outcome === 'ok');
    assert.equal(ok.length, 18, `ok records: ${JSON.stringify(d.items.map((x) => [x.outcome, x.summary]))}`);
    assert.ok(d.items.some((x) => x.outcome !== 'ok'), 'the refusals are recorded too');
    for (const row of d.items) {
      assert.ok(row.summary.includes(W.code), row.summary);
      assert.ok(!row.summary.includes('礼金'), 'no summary or facts text');
    }
    const reads = await get('auditor', `/api/v1/audit?action=clue.read&object_type=clue&object_id=${W.id}&per_page=5`);
    assert.ok(reads.total > 0, 'reads are audited');
    const create = await get('auditor', `/api/v1/audit?action=clue.create&object_type=clue&object_id=${W.id}`);
    assert.equal(create.total, 1);
  });
});

let D; // transferred on 2026-08-31, assigned to 第一监督检查室 and in 初步核实; no feedback yet

describe('deadlines on a fixed clock', () => {
  it('a transfer on 31 August owes its first feedback on 28 February', async () => {
    D = await transferClue();
    assert.equal(D.transferred_on, '2026-08-31');
    await actOk('ags', D.id, 'register', {});
    await actOk('ags', D.id, 'assign', { handling_office: 'ML.JJ1', approver: '分管副书记' });
    // The disposal answered at once: the first feedback is its only open deadline.
    await actOk('cbbm', D.id, 'propose', { disposal: 'verify', opinion: '拟予初步核实', meeting: '室务会' });
    D = await actOk('ags', D.id, 'approve_disposal', { approver: '分管副书记', meeting: '专题会' });
    assert.equal(D.state, 'verify');
    const fb = D.deadlines.find((d) => d.rule === 'fb_first');
    assert.equal(fb.due_on, '2027-02-28');
    assert.equal(fb.done_on, null);
    const due = await get('ags', '/api/v1/clues/due?window=-1&per_page=200');
    assert.ok(!due.items.some((x) => x.clue_id === D.id), 'nothing overdue yet');
    const fig = await get('ags', '/api/v1/clues?fig=overdue&per_page=200');
    assert.ok(!fig.items.some((x) => x.id === D.id));
  });

  it('bad windows and filters → 400 naming the parameter', async () => {
    for (const [p, field] of [['/api/v1/clues/due?window=abc', 'window'], ['/api/v1/clues/due?window=-5', 'window'],
      ['/api/v1/clues?fig=nope', 'fig'], ['/api/v1/clues?state=nope', 'state'], ['/api/v1/clues?from=2026-02-30', 'from'],
      ['/api/v1/clues?round=x', 'round'], ['/api/v1/clues?sort=name', 'sort'], ['/api/v1/clues?per_page=0', 'per_page']]) {
      const e = refused(await call(srv, S.ags, 'GET', p), 400);
      assert.equal(e.field, field, p);
    }
  });

  it('within 30 days of it: in the 30-day list, not in the 7-day list', async () => {
    clock.set(Date.parse('2027-02-10T02:00:00Z') / 1000);
    await loginAll();
    const d30 = await get('ags', '/api/v1/clues/due?window=30&per_page=200');
    const item = d30.items.find((x) => x.clue_id === D.id && x.rule === 'fb_first');
    assert.ok(item, JSON.stringify(d30.items.map((x) => [x.clue_code, x.rule, x.due_on])));
    assert.equal(item.days_left, 18);
    assert.equal(item.overdue, false);
    assert.equal(item.clue_code, D.code);
    const d7 = await get('ags', '/api/v1/clues/due?window=7&per_page=200');
    assert.ok(!d7.items.some((x) => x.clue_id === D.id && x.rule === 'fb_first'));
  });

  it('the warning windows are the settings: 18 days left is "urgent" at 20, and the default list follows', async () => {
    const put = async (v) => {
      const r = await call(srv, S.secadmin, 'POST', '/api/v1/settings', { json: v });
      assert.equal(r.status, 200, r.text);
    };
    await put({ 'clue.due_urgent_days': 20, 'clue.due_warn_days': 25 });
    try {
      const page = await call(srv, S.ags, 'GET', '/clues/due');
      assert.equal(page.status, 200);
      assert.match(page.text, /<h2>20 天内到期<\/h2>/);
      assert.match(page.text, /<h2>21 至 25 天内到期<\/h2>/);
      const urgent = /<table class="grid" id="due-7">([\s\S]*?)<\/table>/.exec(page.text);
      assert.ok(urgent && urgent[1].includes(D.code), 'in the urgent list now');
      const dflt = await get('ags', '/api/v1/clues/due?per_page=200');
      assert.ok(dflt.items.every((x) => x.days_left <= 25), 'default window = clue.due_warn_days');
      await put({ 'clue.due_warn_days': 10, 'clue.due_urgent_days': 5 });
      const narrow = await get('ags', '/api/v1/clues/due?per_page=200');
      assert.ok(!narrow.items.some((x) => x.clue_id === D.id && x.rule === 'fb_first'), '18 days is beyond 10');
    } finally {
      await put({ 'clue.due_urgent_days': 7, 'clue.due_warn_days': 30 });
    }
  });

  it('past it: overdue in ?window=-1, ?fig=overdue and ?overdue=1', async () => {
    clock.set(Date.parse('2027-03-01T02:00:00Z') / 1000);
    await loginAll();
    const due = await get('ags', '/api/v1/clues/due?window=-1&per_page=200');
    const item = due.items.find((x) => x.clue_id === D.id && x.rule === 'fb_first');
    assert.ok(item, JSON.stringify(due.items.map((x) => [x.clue_code, x.rule, x.due_on])));
    assert.equal(item.due_on, '2027-02-28');
    assert.equal(item.days_left, -1);
    assert.equal(item.overdue, true);
    // The concluded clue owes no feedback; its sanction was announced, but
    // the execution report (6 months after the decision) is late.
    const w = due.items.filter((x) => x.clue_id === W.id).map((x) => x.rule);
    assert.deepEqual(w, ['execute']);
    for (const p of ['/api/v1/clues?fig=overdue&per_page=200', '/api/v1/clues?overdue=1&per_page=200']) {
      const l = await get('ags', p);
      const row = l.items.find((x) => x.id === D.id);
      assert.ok(row, p);
      assert.equal(row.next_due_on, '2027-02-28');
    }
    const one = await get('ags', `/api/v1/clues/${D.id}`);
    assert.ok(one.deadlines.find((d) => d.rule === 'fb_first').overdue);
  });
});

describe('督办 notices and the inbox', () => {
  let notice;
  it('案管室 issues a reminder to the handling office: in the clue history and in the inbox', async () => {
    const before = await get('cbbm', '/api/v1/notices');
    const r = await call(srv, S.ags, 'POST', `/api/v1/clues/${D.id}/notices`,
      { json: { kind: 'reminder', rule: 'fb_first', text: '首次反馈已逾期，请于3月10日前报送', due_on: '2027-03-10' } });
    assert.equal(r.status, 201, r.text);
    notice = r.data;
    assert.equal(notice.kind_label, '提醒');
    assert.equal(notice.to_office, 'ML.JJ1');
    assert.equal(notice.read, false);
    const hist = await get('ags', `/api/v1/clues/${D.id}/notices`);
    assert.equal(hist.items[0].id, notice.id);
    const inbox = await get('cbbm', '/api/v1/notices');
    assert.equal(inbox.total, before.total + 1);
    assert.equal(inbox.unread, before.unread + 1);
    assert.equal(inbox.items[0].id, notice.id);
    assert.equal(inbox.items[0].clue_code, D.code);
    const other = await get('lxs', '/api/v1/notices');
    assert.ok(!other.items.some((x) => x.id === notice.id), 'not in another office\'s inbox');
  });

  it('only 案管室 may issue (403); never to someone outside the 知悉范围 (400)', async () => {
    const r = await call(srv, S.cbbm, 'POST', `/api/v1/clues/${D.id}/notices`, { json: { text: '提醒' } });
    assert.equal(r.status, 403);
    const e = refused(await call(srv, S.ags, 'POST', `/api/v1/clues/${D.id}/notices`,
      { json: { kind: 'escalation', to_user_id: S.lxs.id, text: '挂牌督办' } }), 400);
    assert.equal(e.field, 'to');
    assert.equal((await get('ags', `/api/v1/clues/${D.id}/notices`)).items.length, 1);
  });

  it('the recipient marks it read (204); someone else cannot (404)', async () => {
    assert.equal((await call(srv, S.lxs, 'POST', `/api/v1/notices/${notice.id}/read`, { json: {} })).status, 404);
    const r = await call(srv, S.cbbm, 'POST', `/api/v1/notices/${notice.id}/read`, { json: {} });
    assert.equal(r.status, 204, r.text);
    const unread = await get('cbbm', '/api/v1/notices?unread=1&per_page=200');
    assert.ok(!unread.items.some((x) => x.id === notice.id));
    const all = await get('cbbm', '/api/v1/notices?per_page=200');
    assert.ok(all.items.find((x) => x.id === notice.id).read_at);
  });

  it('the feedback answers it: no longer overdue', async () => {
    const fb = await call(srv, S.cbbm, 'POST', `/api/v1/clues/${D.id}/feedback`, { json: { text: '正在初核，下次反馈时报告结果。' } });
    assert.equal(fb.status, 201, fb.text);
    assert.equal(fb.data.items[0].sent_on, '2027-03-01');
    const due = await get('ags', '/api/v1/clues/due?window=-1&per_page=200');
    assert.ok(!due.items.some((x) => x.clue_id === D.id && x.rule === 'fb_first'));
    const one = await get('ags', `/api/v1/clues/${D.id}`);
    const next = one.deadlines.find((d) => d.rule === 'fb_next' && !d.done_on);
    assert.ok(next, JSON.stringify(one.deadlines));
    assert.equal(next.due_on, '2027-08-31', 'every 6 months from the transfer, no drift');
  });
});

describe('other paths through the table', () => {
  it('退回: a step returns the transfer with an opinion; 整改建议 ends the clue for the team', async () => {
    const c = await createClue();
    await actOk('xcz_leader', c.id, 'review', { participants: '组长、组员', conclusion: '建议移交' });
    await actOk('xcz_member', c.id, 'submit', { destination: 'commission' });
    refused(await act('xcz_leader', c.id, 'return_transfer', {}), 400);
    let r = await actOk('xcz_leader', c.id, 'return_transfer', { opinion: '事实尚需补充' });
    assert.equal(r.state, 'reviewed');
    const s = await createClue();
    r = await actOk('xcz_leader', s.id, 'to_suggestion', { opinion: '属一般性问题，转整改建议' });
    assert.equal(r.state, 'suggestion');
    await refusedNoChange('xcz_leader', s.id, 'review', { participants: '全体', conclusion: '移交' }, 409);
  });

  it('to the organisation department: the inspection office, seeing the status only, records receipt and outcome', async () => {
    const c = await createClue();
    await actOk('xcz_leader', c.id, 'review', { participants: '组长、组员', conclusion: '属选人用人问题' });
    await actOk('xcz_member', c.id, 'submit', { destination: 'organisation' });
    await actOk('xcz_leader', c.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.xcb.id });
    await actOk('xcb', c.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.ldxz.id });
    let r = await actOk('ldxz', c.id, 'approve_transfer', { opinion: '同意移交组织部' });
    assert.equal(r.state, 'transferred');
    assert.equal(r.destination, 'organisation');
    // 案管室 has no part in it.
    assert.equal((await call(srv, S.ags, 'GET', `/api/v1/clues/${c.id}`)).status, 404);
    const office = await userIn('xcb', 'ML.XCB');
    const v = await call(srv, office, 'GET', `/api/v1/clues/${c.id}`);
    assert.equal(v.status, 200, v.text);
    assert.equal(v.data.full, false);
    assert.ok(!('summary' in v.data));
    const a = await call(srv, office, 'POST', `/api/v1/clues/${c.id}/actions/receive_external`, { json: {} });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.data.state, 'external');
    assert.equal(a.data.full, false, 'the answer is still the status view');
    const fb = await call(srv, office, 'POST', `/api/v1/clues/${c.id}/feedback`, { json: { text: '组织部反馈：正在核查。' } });
    assert.equal(fb.status, 201, fb.text);
    const e = await call(srv, office, 'POST', `/api/v1/clues/${c.id}/actions/conclude_external`, { json: { opinion: '组织部已作出组织调整' } });
    assert.equal(e.status, 200, e.text);
    assert.equal(e.data.state, 'concluded');
    assert.equal(e.data.outcome, 'concluded');
  });
});

describe("the ledger's filters", () => {
  /** Every page of the ledger for ags with query q: rows and total. */
  async function all(q) {
    const d = await get('ags', `/api/v1/clues?per_page=200&${q}`);
    assert.equal(d.items.length, Math.min(d.total, 200));
    return d;
  }
  const has = (d, c) => d.items.some((x) => x.id === c.id);

  it('state, office, period, round/unit/team and the figures select exactly their rows', async () => {
    let d = await all('state=verify');
    assert.ok(has(d, D) && !has(d, W));
    assert.ok(d.items.every((x) => x.state === 'verify'));
    d = await all('state=terminal');
    assert.ok(has(d, W) && !has(d, D));
    d = await all('state=open');
    assert.ok(has(d, D) && !has(d, W));
    d = await all('office=ML.JJ1');
    assert.ok(has(d, W) && has(d, D));
    assert.ok(d.items.every((x) => x.handling_office === 'ML.JJ1'));
    d = await all('office=ML.JJ2');
    assert.ok(!has(d, W) && !has(d, D));
    d = await all('from=2026-08-31&to=2026-08-31');
    assert.ok(has(d, W) && has(d, D));
    assert.ok(d.items.every((x) => x.transferred_on === '2026-08-31'));
    d = await all('from=2026-09-01');
    assert.ok(!has(d, W) && !has(d, D));
    d = await all(`round=${ROUND}&unit=${UNIT}&team=${TEAM}&destination=commission`);
    assert.ok(has(d, W) && has(d, D));
    d = await all('destination=organisation');
    assert.ok(!has(d, W));
    d = await all(`unit=${UNIT + 100000}`);
    assert.equal(d.total, 0);
    d = await all('fig=concluded');
    assert.ok(has(d, W) && !has(d, D));
    d = await all('fig=filed');
    assert.ok(has(d, W) && !has(d, D));
    d = await all('fig=persons_sanctioned');
    assert.ok(has(d, W) && !has(d, D));
    d = await all(`q=${encodeURIComponent(W.code)}`);
    assert.equal(d.total, 1);
    assert.equal(d.items[0].id, W.id);
    assert.equal(d.items[0].summary, W.summary, 'full rows carry the summary');
  });

  it('sorting and paging', async () => {
    const up = (await all('sort=code')).items.map((x) => x.code);
    assert.deepEqual(up, [...up].sort());
    const down = (await all('sort=code&desc=1')).items.map((x) => x.code);
    assert.deepEqual(down, [...up].reverse());
    const total = (await all('')).total;
    assert.ok(total >= 2);
    const p2 = await get('ags', '/api/v1/clues?sort=code&per_page=1&page=2');
    assert.equal(p2.total, total);
    assert.equal(p2.page, 2);
    assert.equal(p2.per_page, 1);
    assert.deepEqual(p2.items.map((x) => x.code), [up[1]]);
  });
});
