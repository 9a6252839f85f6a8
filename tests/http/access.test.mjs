// 知悉范围 (need-to-know): business users ask to be put on a record's access
// list, the security administrator approves or rejects, and revokes; the
// requester follows the outcome in /access/mine. Every step needs its
// permission and CSRF token and leaves an audit record (checked through the
// auditor's API). Runs on a demo database with a clock file, so a grant's
// expiry can be reached.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, freshDatabase, runCliOk, demoAccounts, checkErrorShape, CJK, BACKEND } from './lib.mjs';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY_MS = 86400_000;

let srv, db, clockFile;
let pw = {};     // demo login → password
const who = {};  // demo login → {cookie, csrf, id}

function setClock(ms) { writeFileSync(clockFile, iso(ms) + '\n'); }

async function loginOk(user) {
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: pw[user] }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `login ${user}: ${JSON.stringify(body)}`);
  who[user] = { cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token, id: body.user.id };
}

/** A JSON API call as user (null: anonymous); csrf: false leaves the token out. */
async function call(user, method, p, body, { csrf = true } = {}) {
  const headers = {};
  if (user) headers.Cookie = who[user].cookie;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (user && csrf && method !== 'GET') headers['X-CSRF-Token'] = who[user].csrf;
  const res = await srv.fetch(p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* HTML or empty */ }
  return { status: res.status, json, text, res };
}

/** Expects a JSON error with status (and code); returns the error object. */
function expectError(r, status, code) {
  assert.equal(r.status, status, `status (body: ${r.text.slice(0, 300)})`);
  const e = checkErrorShape(r.json, assert);
  if (code) assert.equal(e.code, code);
  return e;
}

/** An HTML form POST as user; csrf: false leaves the token out. */
async function form(user, p, fields, { csrf = true } = {}) {
  const body = new URLSearchParams({ ...(csrf ? { csrf: who[user].csrf } : {}), ...fields });
  const res = await srv.fetch(p, {
    method: 'POST',
    headers: { Cookie: who[user].cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') || '' };
}

async function page(user, p) {
  const res = await srv.fetch(p, { headers: { Cookie: who[user].cookie } });
  return { status: res.status, text: await res.text() };
}

/** Audit rows matching the filters, read through the auditor's API. */
async function audit(filters) {
  const q = new URLSearchParams({ per_page: '200', ...filters });
  const r = await call('auditor', 'GET', `/api/v1/audit?${q}`);
  assert.equal(r.status, 200, `audit query ${q}: ${r.text.slice(0, 300)}`);
  return r.json.items;
}

async function expectAudit(filters, n = 1) {
  const rows = await audit(filters);
  assert.equal(rows.length, n, `audit rows for ${JSON.stringify(filters)}: ${JSON.stringify(rows)}`);
  return rows;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)); else resolve(stdout);
    });
  });
}

/** Run SQL on the server's database behind its back (test set-up only). */
async function sql(text) {
  if (BACKEND === 'sqlite') await run('sqlite3', ['-cmd', '.timeout 5000', db.loc, text]);
  else await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c', text]);
}

async function fileRequest(user, fields) {
  const r = await call(user, 'POST', '/api/v1/access/requests', { reason: '工作需要', ...fields });
  assert.equal(r.status, 201, `file request: ${r.text}`);
  return r.json;
}

async function mine(user) {
  const r = await call(user, 'GET', '/api/v1/access/mine');
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function grants(type, id, user = 'secadmin') {
  const r = await call(user, 'GET', `/api/v1/access/grants?object_type=${type}&object_id=${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

before(async () => {
  db = await freshDatabase();
  clockFile = path.join(db.dir, 'clock');
  setClock(T0);
  const env = { JIXUN_FAKE_NOW: iso(T0) }; // accounts created "now" too
  await runCliOk(['init', '--db', db.loc], { env });
  pw = await demoAccounts(db, { env });
  srv = await startServer({ db, env: { JIXUN_CLOCK_FILE: clockFile } });
  for (const u of ['xcb', 'ags', 'ldxz', 'cbbm', 'xcz_leader', 'secadmin', 'sysadmin', 'auditor']) await loginOk(u);
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

// The framework is exercised on 'memo', a type no module registers (no
// existence hook, no record approvers); clues, which register both, are
// covered by tests/http/clues_ntk.test.mjs.
let req17;     // xcb's request for memo #9017, approved below
let reqReject; // xcb's request for memo #9018, rejected below

describe('filing a request', () => {
  it('a business user files a request; it is pending in /access/mine and audited', async () => {
    req17 = await fileRequest('xcb', { object_type: 'memo', object_id: 9017, reason: '核查需要' });
    assert.equal(req17.status, 'pending');
    assert.equal(req17.requester.login, 'xcb');
    assert.equal(req17.for_user.login, 'xcb', 'no one named: for the requester');
    assert.equal(req17.for_office, null);
    const m = await mine('xcb');
    assert.equal(m.total, 1);
    assert.equal(m.items[0].id, req17.id);
    assert.equal(m.items[0].status, 'pending');
    const [row] = await expectAudit({ action: 'access.request', object_type: 'access_request', object_id: String(req17.id) });
    assert.equal(row.outcome, 'ok');
    assert.equal(row.login, 'xcb');
    assert.match(row.summary, /memo#9017/);
    assert.doesNotMatch(row.summary, /核查需要/, 'the reason stays out of the audit summary');
  });

  it('the answer is the same whether or not the object exists', async () => {
    const a = await fileRequest('ags', { object_type: 'memo', object_id: 987654321 });
    const b = await fileRequest('ags', { object_type: 'no_such_type', object_id: 1 });
    for (const r of [a, b]) {
      assert.deepEqual(Object.keys(r).sort(), Object.keys(req17).sort());
      assert.equal(r.status, 'pending');
      assert.ok(!('object_exists' in r), 'the requester is never told');
    }
  });

  it('bad input → 400 in Chinese naming the field; nothing is stored', async () => {
    const before = (await mine('xcb')).total;
    const cases = [
      [{ object_type: 'memo', object_id: '9017', reason: 'x' }, 'object_id'],
      [{ object_type: 'memo', object_id: -3, reason: 'x' }, 'object_id'],
      [{ object_type: 'Clue', object_id: 9017, reason: 'x' }, 'object_type'],
      [{ object_type: "clue'--", object_id: 9017, reason: 'x' }, 'object_type'],
      [{ object_type: 'memo', object_id: 9017, reason: '   ' }, 'reason'],
      [{ object_type: 'memo', object_id: 9017, reason: '长'.repeat(501) }, 'reason'],
      [{ object_type: 'memo', object_id: 9017, reason: 'x', for_user: 'no-such-user' }, 'for_user'],
      [{ object_type: 'memo', object_id: 9017, reason: 'x', for_user: 'ags', for_office: 'ML.AGS' }, 'for_office'],
      [{ object_type: 'memo', object_id: 9017, reason: 'x', for_office: 'ML..AGS' }, 'for_office'],
      [{ object_type: 'memo', object_id: 9017, reason: 7 }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const e = expectError(await call('xcb', 'POST', '/api/v1/access/requests', body), 400);
      assert.equal(e.field, field, JSON.stringify(body));
    }
    assert.equal((await mine('xcb')).total, before);
  });

  it('the same pending request twice → 409', async () => {
    expectError(await call('xcb', 'POST', '/api/v1/access/requests',
      { object_type: 'memo', object_id: 9017, reason: '再次申请' }), 409, 'conflict');
  });

  it('administrators may not request (三员), anonymous users must log in', async () => {
    for (const u of ['sysadmin', 'secadmin', 'auditor']) {
      expectError(await call(u, 'POST', '/api/v1/access/requests',
        { object_type: 'memo', object_id: 9017, reason: 'x' }), 403, 'forbidden');
      expectError(await call(u, 'GET', '/api/v1/access/mine'), 403, 'forbidden');
    }
    expectError(await call(null, 'POST', '/api/v1/access/requests',
      { object_type: 'memo', object_id: 9017, reason: 'x' }), 401);
  });
});

describe('approval', () => {
  it('business users cannot approve (403), and the refusal is audited', async () => {
    for (const u of ['xcb', 'cbbm']) {
      expectError(await call(u, 'POST', `/api/v1/access/requests/${req17.id}/approve`, {}), 403, 'forbidden');
      expectError(await call(u, 'GET', '/api/v1/access/requests'), 403, 'forbidden');
      await expectAudit({ action: 'access.approve', user: u, outcome: 'denied' });
    }
  });

  it("record-specific approvers (案管室, 组长) see only their own records' requests", async () => {
    // Their approval reaches only clues (the type's hook): a memo is
    // neither in their queue nor theirs to decide.
    for (const u of ['ags', 'xcz_leader']) {
      const q = await call(u, 'GET', '/api/v1/access/requests');
      assert.equal(q.status, 200);
      assert.ok(!q.json.items.some((x) => x.id === req17.id), `${u}: not in the queue`);
      const r = await call(u, 'POST', `/api/v1/access/requests/${req17.id}/approve`, {});
      assert.ok(r.status === 404 || r.status === 403, `${u}: ${r.status}`);
    }
    assert.equal((await mine('xcb')).items.find((r) => r.id === req17.id).status, 'pending');
  });

  it('the approver sees the queue: object, requester, for whom, reason', async () => {
    const r = await call('secadmin', 'GET', '/api/v1/access/requests');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 3);
    const item = r.json.items.find((x) => x.id === req17.id);
    assert.ok(item, JSON.stringify(r.json));
    assert.equal(item.object_type, 'memo');
    assert.equal(item.object_id, 9017);
    assert.equal(item.requester.login, 'xcb');
    assert.equal(item.for_user.login, 'xcb');
    assert.equal(item.reason, '核查需要');
    assert.equal(item.object_exists, null, 'memo has no existence hook: unknown');
    expectError(await call('secadmin', 'GET', '/api/v1/access/requests?status=bogus'), 400);
  });

  it('whoever filed a request cannot approve it, even holding the approver role', async () => {
    // Later module leaders will hold a business role and approval; grant
    // ldxz the security administrator's role behind the account rules.
    await sql("INSERT INTO user_role(user_id, role_code) SELECT id, 'secadmin' FROM app_user WHERE login = 'ldxz'");
    const own = await fileRequest('ldxz', { object_type: 'memo', object_id: 30 });
    const e = expectError(await call('ldxz', 'POST', `/api/v1/access/requests/${own.id}/approve`, {}), 403, 'forbidden');
    assert.match(e.message, /本人/);
    await expectAudit({ action: 'access.approve', object_type: 'access_request', object_id: String(own.id), outcome: 'denied' });
    // Nor one filed for them by someone else.
    const forLdxz = await fileRequest('ags', { object_type: 'memo', object_id: 31, for_user: 'ldxz' });
    expectError(await call('ldxz', 'POST', `/api/v1/access/requests/${forLdxz.id}/approve`, {}), 403, 'forbidden');
    // Someone else may approve it.
    const ok = await call('secadmin', 'POST', `/api/v1/access/requests/${own.id}/approve`, {});
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'approved');
  });

  it('the security administrator approves; the requester sees it approved; the grant is listed', async () => {
    const r = await call('secadmin', 'POST', `/api/v1/access/requests/${req17.id}/approve`, { note: '同意，限本案使用' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    assert.equal(r.json.decided_by.display_name.includes('乔明远'), true);
    assert.ok(r.json.grant_id > 0);
    const m = (await mine('xcb')).items.find((x) => x.id === req17.id);
    assert.equal(m.status, 'approved');
    assert.equal(m.decision_note, '同意，限本案使用');
    assert.ok(m.decided_at);
    const list = await grants('memo', 9017);
    assert.equal(list.length, 1);
    assert.equal(list[0].id, r.json.grant_id);
    assert.equal(list[0].user.login, 'xcb');
    assert.equal(list[0].state, 'live');
    assert.equal(list[0].request_id, req17.id);
    assert.equal(list[0].approved_by.id, who.secadmin.id);
    assert.equal(list[0].expires_at, null);
    const [row] = await expectAudit({ action: 'access.approve', object_type: 'access_request', object_id: String(req17.id), outcome: 'ok' });
    assert.equal(row.login, 'secadmin');
    assert.match(row.summary, /memo#9017/);
    await expectAudit({ action: 'access.list', object_type: 'memo', object_id: '9017', outcome: 'ok' });
  });

  it('a decided request cannot be decided again (409); unknown ids → 404', async () => {
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${req17.id}/approve`, {}), 409, 'conflict');
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${req17.id}/reject`, { note: '改判' }), 409, 'conflict');
    expectError(await call('secadmin', 'POST', '/api/v1/access/requests/99999/approve', {}), 404);
    expectError(await call('secadmin', 'POST', '/api/v1/access/requests/abc/approve', {}), 404);
  });

  it('an expiry in the past or malformed → 400, nothing decided', async () => {
    const r = await fileRequest('ags', { object_type: 'memo', object_id: 40 });
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${r.id}/approve`, { expires_at: '2020-01-01' }), 400);
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${r.id}/approve`, { expires_at: '明天' }), 400);
    const q = await call('secadmin', 'GET', '/api/v1/access/requests');
    assert.equal(q.json.items.find((x) => x.id === r.id).status, 'pending');
  });
});

describe('rejection', () => {
  it('needs a reason; the requester sees it rejected with the note; no grant', async () => {
    reqReject = await fileRequest('xcb', { object_type: 'memo', object_id: 9018, reason: '了解情况' });
    const e = expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${reqReject.id}/reject`, {}), 400);
    assert.equal(e.field, 'note');
    const r = await call('secadmin', 'POST', `/api/v1/access/requests/${reqReject.id}/reject`, { note: '不在知悉范围内' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'rejected');
    assert.equal(r.json.grant_id, null);
    const m = (await mine('xcb')).items.find((x) => x.id === reqReject.id);
    assert.equal(m.status, 'rejected');
    assert.equal(m.decision_note, '不在知悉范围内');
    assert.equal((await grants('memo', 9018)).length, 0);
    await expectAudit({ action: 'access.reject', object_type: 'access_request', object_id: String(reqReject.id), outcome: 'ok' });
    await expectAudit({ action: 'access.reject', object_type: 'access_request', object_id: String(reqReject.id), outcome: 'failed' });
  });
});

describe('revocation', () => {
  it('needs the approver and a reason; then the grant is revoked, once', async () => {
    const [g] = await grants('memo', 9017);
    expectError(await call('xcb', 'POST', `/api/v1/access/grants/${g.id}/revoke`, { reason: '自行撤销' }), 403, 'forbidden');
    expectError(await call('xcb', 'GET', '/api/v1/access/grants?object_type=memo&object_id=9017'), 403, 'forbidden');
    const e = expectError(await call('secadmin', 'POST', `/api/v1/access/grants/${g.id}/revoke`, {}), 400);
    assert.equal(e.field, 'reason');
    assert.equal((await grants('memo', 9017))[0].state, 'live');
    const r = await call('secadmin', 'POST', `/api/v1/access/grants/${g.id}/revoke`, { reason: '案件已移交' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'revoked');
    assert.equal(r.json.revoke_reason, '案件已移交');
    assert.equal(r.json.revoked_by.id, who.secadmin.id);
    const [after] = await grants('memo', 9017);
    assert.equal(after.state, 'revoked');
    expectError(await call('secadmin', 'POST', `/api/v1/access/grants/${g.id}/revoke`, { reason: '再撤' }), 409, 'conflict');
    expectError(await call('secadmin', 'POST', '/api/v1/access/grants/99999/revoke', { reason: '不存在' }), 404);
    const [row] = await expectAudit({ action: 'access.revoke', object_type: 'record_access', object_id: String(g.id), outcome: 'ok' });
    assert.match(row.summary, /memo#9017/);
    await expectAudit({ action: 'access.revoke', user: 'xcb', outcome: 'denied' });
  });

  it('the access list needs both object parameters', async () => {
    expectError(await call('secadmin', 'GET', '/api/v1/access/grants'), 400);
    expectError(await call('secadmin', 'GET', '/api/v1/access/grants?object_type=memo&object_id=x'), 400);
  });
});

describe('CSRF', () => {
  it('every state change needs the token; refused changes leave nothing and are audited', async () => {
    const before = (await mine('xcb')).total;
    const p = await fileRequest('xcb', { object_type: 'memo', object_id: 50 });
    expectError(await call('xcb', 'POST', '/api/v1/access/requests',
      { object_type: 'memo', object_id: 51, reason: 'x' }, { csrf: false }), 403, 'csrf');
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${p.id}/approve`, {}, { csrf: false }), 403, 'csrf');
    expectError(await call('secadmin', 'POST', `/api/v1/access/requests/${p.id}/reject`, { note: 'x' }, { csrf: false }), 403, 'csrf');
    expectError(await call('secadmin', 'POST', '/api/v1/access/grants/1/revoke', { reason: 'x' }, { csrf: false }), 403, 'csrf');
    for (const [user, path, fields] of [
      ['xcb', '/access/requests', { object_type: 'memo', object_id: '52', reason: 'x' }],
      ['secadmin', `/access/requests/${p.id}/approve`, {}],
      ['secadmin', `/access/requests/${p.id}/reject`, { note: 'x' }],
      ['secadmin', '/access/grants/1/revoke', { reason: 'x' }],
    ]) {
      const r = await form(user, path, fields, { csrf: false });
      assert.equal(r.status, 403, `${path}: ${r.text.slice(0, 200)}`);
      assert.match(r.text, CJK);
    }
    assert.equal((await mine('xcb')).total, before + 1);
    assert.equal((await mine('xcb')).items.find((x) => x.id === p.id).status, 'pending');
    assert.equal((await grants('memo', 9017))[0].state, 'revoked', 'the grant revoke was refused, state unchanged');
    // Each refusal is recorded under its route's action.
    for (const [action, user] of [['access.request', 'xcb'], ['access.approve', 'secadmin'],
      ['access.reject', 'secadmin'], ['access.revoke', 'secadmin']]) {
      const rows = (await audit({ action, user, outcome: 'denied' })).filter((r) => /：csrf$/.test(r.summary));
      assert.equal(rows.length, 2, `${action}: ${JSON.stringify(rows)}`);
    }
  });
});

describe('HTML pages', () => {
  it('the requester files through the form and follows it on /access/mine', async () => {
    const p = await page('xcb', '/access/mine');
    assert.equal(p.status, 200);
    assert.match(p.text, /<form method="post" action="\/access\/requests">/);
    assert.match(p.text, /name="csrf"/);
    assert.match(p.text, /href="\/access\/mine">知悉范围</);
    assert.doesNotMatch(p.text, /href="\/access\/requests">/, 'no approval link for a business user');
    const r = await form('xcb', '/access/requests', { object_type: 'memo', object_id: '60', reason: '页面申请' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const m = /\/access\/mine\?submitted=(\d+)$/.exec(r.location);
    assert.ok(m, r.location);
    const after = await page('xcb', `/access/mine?submitted=${m[1]}`);
    assert.match(after.text, new RegExp(`申请已提交（编号 ${m[1]}）`));
    assert.match(after.text, /页面申请/);
    assert.match(after.text, /待审批/);
    await expectAudit({ action: 'access.request', object_type: 'access_request', object_id: m[1], outcome: 'ok' });
  });

  it('a bad form → 400 with the error in Chinese, fields refilled, nothing stored', async () => {
    const before = (await mine('xcb')).total;
    const r = await form('xcb', '/access/requests', { object_type: 'memo', object_id: 'abc', reason: '<保留的理由>' });
    assert.equal(r.status, 400);
    assert.match(r.text, /对象编号应为正整数/);
    assert.match(r.text, /&lt;保留的理由&gt;/, 'the reason is refilled, escaped');
    assert.equal((await mine('xcb')).total, before);
  });

  it('the approver approves, views the access list and revokes through the pages', async () => {
    const req = await fileRequest('ags', { object_type: 'memo', object_id: 61, reason: '页面审批' });
    const q = await page('secadmin', '/access/requests');
    assert.equal(q.status, 200);
    assert.match(q.text, /页面审批/);
    assert.match(q.text, new RegExp(`action="/access/requests/${req.id}/approve"`));
    assert.match(q.text, /href="\/access\/requests">知悉范围审批</);
    const a = await form('secadmin', `/access/requests/${req.id}/approve`, { note: '', expires: '' });
    assert.equal(a.status, 303, a.text.slice(0, 300));
    const done = await page('secadmin', '/access/requests?status=approved');
    assert.match(done.text, /页面审批/);
    const g = await page('secadmin', '/access/grants?object_type=memo&object_id=61');
    assert.equal(g.status, 200);
    assert.match(g.text, /有效/);
    const gid = /action="\/access\/grants\/(\d+)\/revoke"/.exec(g.text)?.[1];
    assert.ok(gid, g.text.slice(0, 2000));
    const rv = await form('secadmin', `/access/grants/${gid}/revoke`, { reason: '页面撤销' });
    assert.equal(rv.status, 303);
    assert.match(rv.location, /revoked=1/);
    const g2 = await page('secadmin', rv.location.replace(/^https?:\/\/[^/]+/, ''));
    assert.match(g2.text, /已撤销/);
    assert.match(g2.text, /页面撤销/);
    const bad = await form('secadmin', `/access/grants/${gid}/revoke`, { reason: '再撤' });
    assert.equal(bad.status, 409);
    assert.match(bad.text, /已撤销/);
  });

  it('a refused decision re-renders the queue with the error', async () => {
    const req = await fileRequest('ags', { object_type: 'memo', object_id: 62 });
    const r = await form('secadmin', `/access/requests/${req.id}/reject`, { note: '' });
    assert.equal(r.status, 400);
    assert.match(r.text, /请填写驳回理由/);
    const r2 = await form('secadmin', `/access/requests/${req.id}/approve`, { expires: 'not-a-date' });
    assert.equal(r2.status, 400);
    assert.match(r2.text, /有效期/);
  });

  it('each page is for its role only', async () => {
    for (const p of ['/access/requests', '/access/grants']) assert.equal((await page('xcb', p)).status, 403, p);
    assert.equal((await page('secadmin', '/access/mine')).status, 403);
    assert.equal((await page('sysadmin', '/access/requests')).status, 403);
    const res = await srv.fetch('/access/mine');
    await res.arrayBuffer();
    assert.equal(res.status, 303, 'anonymous: to the login form');
  });
});

describe('expiry', () => {
  it('a grant with an end date turns expired when the clock passes it', async () => {
    const req = await fileRequest('xcb', { object_type: 'memo', object_id: 70 });
    const day = iso(T0 + DAY_MS).slice(0, 10);
    const r = await call('secadmin', 'POST', `/api/v1/access/requests/${req.id}/approve`, { expires_at: day });
    assert.equal(r.status, 200, r.text);
    let [g] = await grants('memo', 70);
    assert.equal(g.state, 'live');
    assert.equal(g.expires_at, `${iso(T0 + DAY_MS).slice(0, 10)}T16:00:00Z`, 'the end of the day given, in 北京时间');
    setClock(T0 + 3 * DAY_MS);
    await loginOk('secadmin'); // the old session has idled out
    [g] = await grants('memo', 70);
    assert.equal(g.state, 'expired');
  });
});
