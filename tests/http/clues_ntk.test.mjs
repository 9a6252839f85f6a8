// Need-to-know (知悉范围) of problem clues over HTTP (issue 5): a user outside
// a clue's access list gets 404 for it — the same answer as for a missing
// id — on every route that names it (read, edit, actions, history, access
// list, feedback, notices, attachments), and it is absent from the ledger,
// its total, the figures' click-throughs (?fig=), the text search (?q=),
// the deadline lists and the XLSX export.  After an access grant (the
// request/approve flow of /api/v1/access/…) they see it; after revocation
// they do not again.  The inspection office, after the transfer, sees the
// state and outcome but not the content ("clue_status").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, freshDatabase, runCliOk, demoAccounts, checkErrorShape, BACKEND } from './lib.mjs';
import { loginOk, call, Clock, userAddOk, goodPassword, uniqueLogin, routeTable, policyTable, expectedAccess } from './authlib.mjs';

const T0 = Date.parse('2026-12-01T02:00:00Z') / 1000; // 10:00 北京时间
const LOGINS = ['xcz_member', 'xcz_leader', 'xcz_deputy', 'xcb', 'ldxz', 'ags', 'cbbm', 'lxs', 'secadmin', 'auditor'];

let srv, db, clock, pw, routes, policy;
const S = {};
let ROUND, TEAM, UNIT;
let A;  // a draft: the recorder (xcz_member) and the leader only
let B;  // transferred to the commission, assigned to 第一监督检查室 (ML.JJ1)
let MISSING; // the error a missing id gets
const TOKEN_A = `甲号${process.pid}线索`;
const TOKEN_B = `乙号${process.pid}线索`;

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000, maxBuffer: 64 << 20, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function sql(text) {
  const out = BACKEND === 'sqlite'
    ? await run('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', db.loc, text])
    : await run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c', text]);
  return out.trim();
}

async function get(s, p, status = 200) {
  const r = await call(srv, s, 'GET', p);
  assert.equal(r.status, status, `GET ${p}: ${r.text.slice(0, 300)}`);
  return r.data;
}

async function actOk(s, id, action, json = {}) {
  const r = await call(srv, s, 'POST', `/api/v1/clues/${id}/actions/${action}`, { json });
  assert.equal(r.status, 200, `${action}: ${r.text.slice(0, 400)}`);
  return r.data;
}

async function createClue(summary) {
  const r = await call(srv, S.xcz_member, 'POST', '/api/v1/clues', {
    json: {
      round_id: ROUND, team_id: TEAM, unit_id: UNIT, category: 'integrity', source: 'petition',
      summary, facts: `${summary}：具体事实。`, cond_nature: true, cond_evidence: true, cond_facts: true,
      persons: [{ name: `${summary}当事人`, post: '科长', party_member: true, supervisory_object: true }],
    },
  });
  assert.equal(r.status, 201, r.text);
  return r.data;
}

/** A 404 exactly like a missing id's. */
function assertHidden(r, what) {
  assert.equal(r.status, 404, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  const e = checkErrorShape(r.data, assert);
  assert.deepEqual(e, MISSING, `${what}: the same answer as a missing id`);
}

/** Every route of the table that names a clue ({id} under /clues/ or
 * /api/v1/clues/), as s: 404, the same as for a missing id — or 403 where
 * the route's permission refuses s's role before any record is looked at
 * (which says nothing about the clue either). */
async function assertAllHidden(s, id, who) {
  const bodies = {
    'PUT /api/v1/clues/{id}': { summary: '改' },
    'POST /api/v1/clues/{id}/actions/{action}': { participants: '全体', conclusion: '移交' },
    'POST /api/v1/clues/{id}/feedback': { text: '反馈' },
    'POST /api/v1/clues/{id}/notices': { text: '督办' },
  };
  const mine = routes.filter((r) => /^\/(api\/v1\/)?clues\/\{id\}/.test(r.pattern));
  assert.ok(mine.length >= 10, `clue routes: ${mine.length}`);
  for (const route of mine) {
    for (const action of route.pattern.includes('{action}') ? ['review', 'register', 'no_such_action'] : ['']) {
      const p = route.pattern.replace('{id}', id).replace('{aid}', '1').replace('{action}', action);
      const opts = {};
      if (route.method !== 'GET') {
        if (route.mode === 'json') opts.json = bodies[`${route.method} ${route.pattern}`] ?? {};
        else opts.form = {};
      }
      const r = await call(srv, s, route.method, p, opts);
      const what = `${who} ${route.method} ${p}`;
      if (expectedAccess(route, s.roles, policy) === 'denied') {
        assert.equal(r.status, 403, `${what}: refused by the route's permission`);
      } else if (route.mode === 'json') {
        assertHidden(r, what);
      } else {
        assert.equal(r.status, 404, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
      }
      tally.probes++;
    }
  }
}
const tally = { probes: 0 };

/** The codes of the ledger as s sees it with query q (all pages). */
async function ledger(s, q = '') {
  const d = await get(s, `/api/v1/clues?per_page=200${q ? '&' + q : ''}`);
  assert.ok(d.total <= 200, 'one page is enough here');
  assert.equal(d.items.length, d.total, 'the total counts exactly the visible rows');
  return { total: d.total, codes: d.items.map((x) => x.code), items: d.items };
}

/** The codes in the XLSX export as s sees it; null when the route is absent. */
async function exportCodes(s) {
  if (!routes.some((r) => r.pattern === '/clues/export.xlsx')) return null;
  const res = await srv.fetch('/clues/export.xlsx', { headers: { Cookie: s.cookie } });
  assert.equal(res.status, 200, `export: ${res.status}`);
  const file = path.join(db.dir, `export-${Date.now()}-${Math.random().toString(16).slice(2)}.xlsx`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const xml = await run('unzip', ['-p', file]);
  return xml;
}

async function userIn(role, office) {
  const who = uniqueLogin('ntk');
  const first = goodPassword('a');
  await userAddOk(db, { login: who, role, password: first, env: clock.env });
  await sql(`UPDATE app_user SET jurisdiction_code = 'ML', office_code = '${office}' WHERE login = '${who}'`);
  const s = await loginOk(srv, who, first);
  const second = goodPassword('b');
  const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: first, new_password: second } });
  assert.equal(r.status, 204, r.text);
  return loginOk(srv, who, second);
}

/** Request access to clue id as s, approved by the security administrator. */
async function grant(s, id) {
  const r = await call(srv, s, 'POST', '/api/v1/access/requests', { json: { object_type: 'clue', object_id: id, reason: '协助核查' } });
  assert.equal(r.status, 201, r.text);
  const a = await call(srv, S.secadmin, 'POST', `/api/v1/access/requests/${r.data.id}/approve`, { json: {} });
  assert.equal(a.status, 200, a.text);
  return a.data;
}

/** Revoke every live grant of s's user on clue id. */
async function revoke(s, id) {
  const g = await get(S.secadmin, `/api/v1/access/grants?object_type=clue&object_id=${id}&per_page=200`);
  const mine = g.items.filter((x) => x.user?.id === s.id && x.state === 'live');
  assert.ok(mine.length > 0, `a live grant for user ${s.id}: ${JSON.stringify(g.items)}`);
  for (const x of mine) {
    const r = await call(srv, S.secadmin, 'POST', `/api/v1/access/grants/${x.id}/revoke`, { json: { reason: '核查结束' } });
    assert.equal(r.status, 200, r.text);
  }
}

let xcb2; // a second 巡察办 user: the office's "clue_status" view only

before(async () => {
  db = await freshDatabase();
  clock = new Clock(db.dir, T0);
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db, env: clock.env });
  [routes, policy] = await Promise.all([routeTable(), policyTable()]);
  for (const u of LOGINS) S[u] = await loginOk(srv, u, pw[u]);
  const rounds = await get(S.xcb, '/api/v1/rounds?per_page=200');
  ROUND = rounds.items.find((r) => r.title === '五届市委第三轮巡察').id;
  const full = await get(S.xcb, `/api/v1/rounds/${ROUND}`);
  TEAM = full.teams.find((t) => t.name === '第一巡察组').id;
  const team = await get(S.xcb, `/api/v1/teams/${TEAM}`);
  UNIT = team.units.find((u) => u.code === 'ML-HEALTH-H01').unit_id;
  MISSING = checkErrorShape((await call(srv, S.xcz_member, 'GET', '/api/v1/clues/999999999')).data, assert);
  assert.equal(MISSING.code, 'not_found');

  A = await createClue(TOKEN_A);
  B = await createClue(TOKEN_B);
  await actOk(S.xcz_leader, B.id, 'review', { participants: '组长、副组长、组员', conclusion: '建议移交' });
  await actOk(S.xcz_member, B.id, 'submit', { destination: 'commission' });
  await actOk(S.xcz_leader, B.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.xcb.id });
  await actOk(S.xcb, B.id, 'approve_transfer', { opinion: '同意', next_approver_id: S.ldxz.id });
  await actOk(S.ldxz, B.id, 'approve_transfer', { opinion: '同意移交' });
  await actOk(S.ags, B.id, 'register', {});
  B = await actOk(S.ags, B.id, 'assign', { handling_office: 'ML.JJ1', approver: '分管副书记' });
  assert.equal(B.state, 'assigned');
  xcb2 = await userIn('xcb', 'ML.XCB');
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

describe('outside the 知悉范围: the clue does not exist', () => {
  it('the recorder sees the draft; the team deputy (not on its list) gets 404 everywhere', async () => {
    assert.equal((await get(S.xcz_member, `/api/v1/clues/${A.id}`)).summary, TOKEN_A);
    assert.equal((await get(S.xcz_leader, `/api/v1/clues/${A.id}`)).summary, TOKEN_A);
    await assertAllHidden(S.xcz_deputy, A.id, 'xcz_deputy');
    // The attempts are on the audit trail, with the id asked for.
    const d = await get(S.auditor, `/api/v1/audit?action=clue.read&object_type=clue&object_id=${A.id}&user=xcz_deputy&per_page=200`);
    assert.ok(d.total >= 1, 'the refused reads are recorded');
    assert.ok(d.items.every((x) => x.outcome !== 'ok' && !x.summary.includes(TOKEN_A)));
  });

  it('案管室 and the other offices get 404 for a clue not transferred to them', async () => {
    await assertAllHidden(S.ags, A.id, 'ags');
    assertHidden(await call(srv, S.ags, 'POST', `/api/v1/clues/${A.id}/notices`, { json: { text: '督办' } }), 'ags notice on A');
    await assertAllHidden(S.lxs, B.id, 'lxs');
    await assertAllHidden(S.cbbm, A.id, 'cbbm');
  });

  it('absent from the ledger, its total, the round filter and the text search', async () => {
    const mine = await ledger(S.xcz_member);
    assert.ok(mine.codes.includes(A.code) && mine.codes.includes(B.code), 'the recorder sees both');
    const dep = await ledger(S.xcz_deputy);
    assert.ok(!dep.codes.includes(A.code) && !dep.codes.includes(B.code));
    const round = await ledger(S.xcz_deputy, `round=${ROUND}`);
    assert.ok(!round.codes.includes(A.code));
    assert.equal((await ledger(S.xcz_member, `q=${encodeURIComponent(TOKEN_A)}`)).total, 1, 'the search finds it');
    assert.equal((await ledger(S.xcz_member, `q=${encodeURIComponent(A.code)}`)).total, 1, 'by code too');
    for (const s of [S.xcz_deputy, S.ags, S.lxs, S.cbbm]) {
      assert.equal((await ledger(s, `q=${encodeURIComponent(TOKEN_A)}`)).total, 0);
      assert.equal((await ledger(s, `q=${encodeURIComponent(A.code)}`)).total, 0);
    }
    assert.equal((await ledger(S.lxs, `q=${encodeURIComponent(TOKEN_B)}`)).total, 0);
    assert.equal((await ledger(S.cbbm, `q=${encodeURIComponent(TOKEN_B)}`)).total, 1, 'the handling office finds B');
    // The HTML ledger (page_clues.c) says the same.
    if (routes.some((r) => r.method === 'GET' && r.pattern === '/clues')) {
      // (the search box echoes what was typed: look for the row's link)
      const lists = async (s, q, c) => {
        const r = await call(srv, s, 'GET', `/clues?q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200);
        return r.text.includes(`href="/clues/${c.id}"`);
      };
      assert.ok(await lists(S.xcz_member, TOKEN_A, A));
      assert.ok(!(await lists(S.xcz_deputy, TOKEN_A, A)));
      assert.ok(!(await lists(S.xcz_deputy, A.code, A)));
      assert.ok(await lists(S.cbbm, B.code, B));
      assert.ok(!(await lists(S.lxs, B.code, B)));
    }
  });

  it("absent from the figures' click-throughs and the deadline lists", async () => {
    for (const fig of ['transferred', 'received']) {
      assert.ok((await ledger(S.ags, `fig=${fig}`)).codes.includes(B.code), `ags fig=${fig}`);
      assert.ok((await ledger(S.cbbm, `fig=${fig}`)).codes.includes(B.code), `cbbm fig=${fig}`);
      assert.ok(!(await ledger(S.lxs, `fig=${fig}`)).codes.includes(B.code), `lxs fig=${fig}`);
    }
    const dues = async (s) => (await get(s, '/api/v1/clues/due?window=366&per_page=200')).items.map((x) => x.clue_code);
    assert.ok((await dues(S.cbbm)).includes(B.code), 'the handling office sees its deadlines');
    assert.ok(!(await dues(S.lxs)).includes(B.code));
    assert.ok(!(await dues(S.xcz_deputy)).includes(B.code));
  });

  it('absent from the XLSX export', async (t) => {
    const ags = await exportCodes(S.ags);
    if (ags === null) {
      t.skip('GET /clues/export.xlsx is not in the route table yet');
      return;
    }
    assert.ok(ags.includes(B.code), 'the export holds what 案管室 may see');
    assert.ok(!ags.includes(A.code), 'and not the draft it may not');
    assert.ok(!ags.includes(TOKEN_A));
    const ldxz = await exportCodes(S.ldxz);
    assert.ok(!ldxz.includes(A.code));
  });
});

describe('the inspection office after the transfer: state, not content', () => {
  it('GET gives the status view without summary, facts or persons', async () => {
    const r = await call(srv, xcb2, 'GET', `/api/v1/clues/${B.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.full, false);
    assert.equal(r.data.state, 'assigned');
    assert.equal(r.data.transfer_no, B.transfer_no);
    for (const k of ['summary', 'facts', 'persons', 'persons_text', 'category', 'source']) {
      assert.ok(!(k in r.data), `no ${k}`);
    }
    assert.ok(!r.text.includes(TOKEN_B), 'no content anywhere in the answer');
    const ev = await call(srv, xcb2, 'GET', `/api/v1/clues/${B.id}/events`);
    assert.equal(ev.status, 200);
    assert.ok(!ev.text.includes(TOKEN_B));
    assert.ok(ev.data.items.every((e) => e.opinion === null), 'no opinions');
  });

  it('its ledger row carries no summary; the text search does not reach it', async () => {
    const l = await ledger(xcb2);
    const row = l.items.find((x) => x.code === B.code);
    assert.ok(row, 'B is listed for the inspection office');
    assert.equal(row.full, false);
    assert.ok(!('summary' in row) && !('persons_text' in row));
    assert.ok(!l.codes.includes(A.code), 'the draft is not');
    assert.equal((await ledger(xcb2, `q=${encodeURIComponent(TOKEN_B)}`)).total, 0);
  });

  it('it may not edit it or act on it beyond its status actions', async () => {
    const r = await call(srv, xcb2, 'PUT', `/api/v1/clues/${B.id}`, { json: { summary: '改' } });
    assert.ok([403, 404, 409].includes(r.status), `PUT: ${r.status}`);
    const a = await call(srv, xcb2, 'POST', `/api/v1/clues/${B.id}/actions/propose`, { json: { disposal: 'talk', opinion: 'x', meeting: 'y' } });
    assert.ok([403, 404].includes(a.status), `propose: ${a.status}`);
    assert.equal((await get(S.ags, `/api/v1/clues/${B.id}`)).state, 'assigned');
  });

  it('its export rows carry no content', async (t) => {
    const x = await exportCodes(xcb2);
    if (x === null) {
      t.skip('GET /clues/export.xlsx is not in the route table yet');
      return;
    }
    assert.ok(x.includes(B.code));
    assert.ok(!x.includes(TOKEN_B), 'no summary in the status-only rows');
  });
});

describe('widened by an approved request, narrowed again by revocation', () => {
  it('the deputy sees the draft after the grant: by id, in the ledger, in the search, on the access list', async () => {
    await grant(S.xcz_deputy, A.id);
    const c = await get(S.xcz_deputy, `/api/v1/clues/${A.id}`);
    assert.equal(c.full, true);
    assert.equal(c.summary, TOKEN_A);
    assert.ok((await ledger(S.xcz_deputy)).codes.includes(A.code));
    assert.equal((await ledger(S.xcz_deputy, `q=${encodeURIComponent(TOKEN_A)}`)).total, 1);
    const acc = await get(S.xcz_deputy, `/api/v1/clues/${A.id}/access`);
    assert.ok(acc.items.some((g) => g.user_id === S.xcz_deputy.id && g.state === 'live'));
  });

  it('after revocation: 404 again, gone from the ledger and the search', async () => {
    await revoke(S.xcz_deputy, A.id);
    await assertAllHidden(S.xcz_deputy, A.id, 'xcz_deputy after revocation');
    assert.ok(!(await ledger(S.xcz_deputy)).codes.includes(A.code));
    assert.equal((await ledger(S.xcz_deputy, `q=${encodeURIComponent(TOKEN_A)}`)).total, 0);
    const acc = await get(S.xcz_member, `/api/v1/clues/${A.id}/access`);
    assert.ok(acc.items.some((g) => g.user_id === S.xcz_deputy.id && g.state === 'revoked'), 'the list keeps the revoked entry');
  });

  it("the team's 组长 decides requests for the team's draft; 案管室 and other 组长-less roles may not", async () => {
    const r = await call(srv, S.xcz_deputy, 'POST', '/api/v1/access/requests', { json: { object_type: 'clue', object_id: A.id, reason: '参与研判' } });
    assert.equal(r.status, 201, r.text);
    const q = await get(S.xcz_leader, '/api/v1/access/requests?status=pending');
    assert.ok(q.items.some((x) => x.id === r.data.id), "in the leader's queue");
    const qa = await get(S.ags, '/api/v1/access/requests?status=pending');
    assert.ok(!qa.items.some((x) => x.id === r.data.id), "not in 案管室's queue: the clue is still with the team");
    const denied = await call(srv, S.ags, 'POST', `/api/v1/access/requests/${r.data.id}/approve`, { json: {} });
    assert.ok(denied.status === 403 || denied.status === 404, `ags: ${denied.status}`);
    const a = await call(srv, S.xcz_leader, 'POST', `/api/v1/access/requests/${r.data.id}/approve`, { json: { note: '同意' } });
    assert.equal(a.status, 200, a.text);
    assert.equal((await get(S.xcz_deputy, `/api/v1/clues/${A.id}`)).summary, TOKEN_A);
    await revoke(S.xcz_deputy, A.id);
    await assertAllHidden(S.xcz_deputy, A.id, 'xcz_deputy after the second revocation');
  });

  it("another office after a grant: the figures' click-through and the deadlines, then not", async () => {
    await grant(S.lxs, B.id);
    assert.ok((await ledger(S.lxs, 'fig=transferred')).codes.includes(B.code));
    const dues = async () => (await get(S.lxs, '/api/v1/clues/due?window=366&per_page=200')).items.map((x) => x.clue_code);
    assert.ok((await dues()).includes(B.code));
    assert.equal((await get(S.lxs, `/api/v1/clues/${B.id}`)).summary, TOKEN_B);
    await revoke(S.lxs, B.id);
    assert.ok(!(await ledger(S.lxs, 'fig=transferred')).codes.includes(B.code));
    assert.ok(!(await dues()).includes(B.code));
    await assertAllHidden(S.lxs, B.id, 'lxs after revocation');
  });
});
