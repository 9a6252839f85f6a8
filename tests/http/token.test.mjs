// API tokens: `jixun token create` prints a token once; sent as
// "Authorization: Bearer …" it acts as its user (that user's permissions,
// audited under that login) without a cookie or a CSRF token; a revoked,
// malformed or unknown token, or one whose user is locked, gets 401.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCli, runCliOk, demoAccounts, checkErrorShape } from './lib.mjs';

let srv, db;
let pw = {};
let auditor;

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'auditor', password: pw.auditor }),
  });
  assert.equal(res.status, 200);
  auditor = { cookie: res.headers.get('set-cookie').split(';')[0] };
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

/** `jixun token create`; returns {token, id, stdout}. */
async function createToken(user, extra = []) {
  const r = await runCliOk(['token', 'create', '--db', db.loc, '--user', user, ...extra]);
  const m = /\bjx_[0-9a-f]{64}\b/.exec(r.stdout);
  assert.ok(m, `a token in: ${r.stdout}`);
  const id = Number(/编号 (\d+)/.exec(r.stdout)[1]);
  return { token: m[0], id, stdout: r.stdout };
}

async function bearer(token, method, path, json, scheme = 'Bearer') {
  const headers = { Authorization: `${scheme} ${token}` };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const res = await srv.fetch(path, { method, headers, body });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* HTML */ }
  return { res, status: res.status, data, text };
}

async function audit(query) {
  const res = await srv.fetch(`/api/v1/audit?${query}`, { headers: { Cookie: auditor.cookie } });
  assert.equal(res.status, 200);
  return (await res.json()).items;
}

describe('API tokens', () => {
  it('a token from the CLI works on GET /api/v1/me without a cookie', async () => {
    const { token, stdout } = await createToken('ags', ['--name', '报表接口', '--days', '30']);
    assert.match(stdout, /只显示这一次/);
    const r = await bearer(token, 'GET', '/api/v1/me');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.login, 'ags');
    assert.deepEqual(r.data.roles.map((x) => x.code), ['ags']);
    assert.equal(r.res.headers.get('set-cookie'), null, 'no session cookie for a token');
    // The scheme is case-insensitive (RFC 7235).
    assert.equal((await bearer(token, 'GET', '/api/v1/me', undefined, 'bearer')).status, 200);
    const list = await runCliOk(['token', 'list', '--db', db.loc, '--user', 'ags']);
    assert.match(list.stdout, /ags\s+有效/);
    assert.match(list.stdout, /报表接口/);
    assert.ok(!list.stdout.includes(token), 'the list never shows the token');
    const created = await audit('action=token.create');
    assert.ok(created.some((a) => a.login === 'ags' && a.source === 'cli' && a.outcome === 'ok'));
    assert.ok(created.every((a) => !a.summary.includes(token)), 'the token is not audited');
  });

  it('carries its user\'s permissions: a business token is refused on account admin', async () => {
    const { token } = await createToken('xcb');
    const r = await bearer(token, 'GET', '/api/v1/users');
    assert.equal(r.status, 403);
    checkErrorShape(r.data, assert);
  });

  it('a POST with a sysadmin token needs no CSRF token and is audited as that user', async () => {
    const { token } = await createToken('sysadmin');
    const r = await bearer(token, 'POST', '/api/v1/users', { login: 'via.token', display_name: '令牌创建' });
    assert.equal(r.status, 201, r.text);
    const id = r.data.user.id;
    const lock = await bearer(token, 'POST', `/api/v1/users/${id}/lock`, {});
    assert.equal(lock.status, 200, lock.text);
    const rec = await audit(`action=user.lock&object_type=user&object_id=${id}`);
    assert.equal(rec.length, 1);
    assert.equal(rec[0].login, 'sysadmin');
    assert.equal(rec[0].outcome, 'ok');
  });

  it('an unknown, malformed or altered token gets 401, even with a valid cookie beside it', async () => {
    const { token } = await createToken('ags');
    const altered = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    for (const t of [altered, token.slice(3), token + 'x', 'jx_', 'x'.repeat(500), '']) {
      const r = await bearer(t, 'GET', '/api/v1/me');
      assert.equal(r.status, 401, `token ${t.slice(0, 20)}…`);
      checkErrorShape(r.data, assert);
    }
    const withCookie = await srv.fetch('/api/v1/me', {
      headers: { Authorization: `Bearer ${altered}`, Cookie: auditor.cookie },
    });
    assert.equal(withCookie.status, 401, 'a bad bearer token is not rescued by a cookie');
    await withCookie.text();
  });

  it('a revoked token gets 401; revoking twice fails', async () => {
    const { token, id } = await createToken('ags');
    assert.equal((await bearer(token, 'GET', '/api/v1/me')).status, 200);
    await runCliOk(['token', 'revoke', '--db', db.loc, '--id', String(id)]);
    assert.equal((await bearer(token, 'GET', '/api/v1/me')).status, 401);
    const again = await runCli(['token', 'revoke', '--db', db.loc, '--id', String(id)]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /已被吊销/);
    const list = await runCliOk(['token', 'list', '--db', db.loc]);
    assert.match(list.stdout, new RegExp(`^${id}\\s+ags\\s+已吊销`, 'm'));
    const rec = await audit('action=token.revoke');
    assert.deepEqual(rec.filter((a) => a.object_id === id).map((a) => a.outcome), ['failed', 'ok']);
  });

  it('stops working while its user is locked', async () => {
    const { token } = await createToken('dfzf');
    await runCliOk(['user', 'lock', '--db', db.loc, '--login', 'dfzf']);
    assert.equal((await bearer(token, 'GET', '/api/v1/me')).status, 401);
    await runCliOk(['user', 'unlock', '--db', db.loc, '--login', 'dfzf']);
    assert.equal((await bearer(token, 'GET', '/api/v1/me')).status, 200);
  });

  it('bad CLI input: unknown user, days out of range, missing options', async () => {
    const unknown = await runCli(['token', 'create', '--db', db.loc, '--user', 'no.such.user']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /不存在/);
    for (const days of ['0', '366', 'ten']) {
      const r = await runCli(['token', 'create', '--db', db.loc, '--user', 'ags', '--days', days]);
      assert.equal(r.code, 2, `--days ${days}`);
    }
    assert.equal((await runCli(['token', 'create', '--db', db.loc])).code, 2);
    assert.equal((await runCli(['token', 'revoke', '--db', db.loc])).code, 2);
    assert.equal((await runCli(['token', 'revoke', '--db', db.loc, '--id', '999999'])).code, 1);
    assert.equal((await runCli(['token'])).code, 2);
  });

  it('the server log never holds a token', async () => {
    const { token } = await createToken('ags');
    await bearer(token, 'GET', '/api/v1/me');
    await srv.waitForStderr(/GET \/api\/v1\/me 200/);
    assert.ok(!srv.stderr.includes(token.slice(3)), 'no token in the log');
  });
});
