// CSRF, generated from `jixun routes`: every route marked csrf=1, called by a
// user whose role may call it, is refused with 403 (code "csrf" for JSON)
// without a token, with a wrong one (header or body) and with another
// session's token, while the right token gets past the check.  Where the
// effect is observable, the refused request changed nothing (logout,
// password change, role grant/revoke, settings, account lock).  And every
// route that is not a GET is marked csrf=1, but the login routes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, demoAccounts } from './lib.mjs';
import {
  routeTable, policyTable, rolesFor, concretePath, isLogout, login, loginOk, call,
  bogusToken, userAddOk, goodPassword, uniqueLogin,
} from './authlib.mjs';

// The only state-changing routes that may go without a token: there is no
// session (and so no token) before a login.
const LOGIN_ROUTES = new Set(['POST /login', 'POST /login/totp', 'POST /api/v1/session']);

// Read at load time, so that each route is a test of its own.
const [routes, policy] = await Promise.all([routeTable(), policyTable()]);

let srv, db;
let pw = {};
const tally = { routes: 0, requests: 0 };

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

/** A demo account that may call route (demo logins are their role codes). */
function callerFor(route) {
  if (['self', 'login'].includes(route.perm)) return 'xcb';
  return rolesFor(route, policy).find((r) => pw[r]) || null;
}

/** The empty body a route of this kind accepts syntactically. */
function emptyBody(route) {
  if (route.mode === 'json') return route.method === 'DELETE' ? {} : { json: {} };
  return { form: {} };
}

/** Asserts a CSRF refusal. */
function assertCsrfRefused(r, route, what) {
  tally.requests++;
  const name = `${route.method} ${route.pattern} ${what}`;
  assert.equal(r.status, 403, `${name}: status (${r.text.slice(0, 200)})`);
  if (route.mode === 'json') assert.equal(r.data?.error?.code, 'csrf', `${name}: code`);
  else assert.match(r.text, /请求校验失败/, `${name}: the Chinese CSRF message`);
}

/** A fresh account with a known, already changed password: {id, login, password}. */
async function activeUser(role = 'xcb') {
  const who = uniqueLogin('csrf');
  const first = goodPassword('a');
  const id = await userAddOk(db, { login: who, role, password: first });
  const s = await loginOk(srv, who, first);
  const password = goodPassword('b');
  const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: first, new_password: password } });
  assert.equal(r.status, 204, r.text);
  return { id, login: who, password };
}

describe('the route table', () => {
  it('every route that is not a GET carries csrf=1, but the login routes', () => {
    const offenders = routes
      .filter((r) => r.method !== 'GET' && !r.csrf && !LOGIN_ROUTES.has(`${r.method} ${r.pattern}`))
      .map((r) => `${r.method} ${r.pattern}`);
    assert.deepEqual(offenders, [], `state-changing routes without CSRF: ${offenders.join(', ')}`);
    // And the exceptions are public: no session, so nothing to forge.
    for (const r of routes.filter((x) => LOGIN_ROUTES.has(`${x.method} ${x.pattern}`))) {
      assert.equal(r.perm, 'public', `${r.method} ${r.pattern}`);
    }
  });

  it('every csrf=1 route may be called by some role (else it cannot be checked)', () => {
    const none = routes.filter((r) => r.csrf && !callerFor(r)).map((r) => `${r.method} ${r.pattern} (${r.perm})`);
    assert.deepEqual(none, []);
  });
});

describe('every csrf=1 route refuses a missing or wrong token', () => {
  for (const route of routes.filter((r) => r.csrf)) {
    it(`${route.method} ${route.pattern}`, async () => {
      const who = callerFor(route);
      assert.ok(who, `no role may call ${route.method} ${route.pattern}`);
      // Two sessions of the caller: s is used, t's token is "another session's".
      const s = await loginOk(srv, who, pw[who]);
      const t = await loginOk(srv, who, pw[who]);
      const p = concretePath(route.pattern);
      const body = emptyBody(route);
      assertCsrfRefused(await call(srv, s, route.method, p, { ...body, csrf: false }), route, 'without a token');
      assertCsrfRefused(await call(srv, s, route.method, p, { ...body, csrf: bogusToken() }), route, 'with a wrong token');
      assertCsrfRefused(await call(srv, s, route.method, p, { ...body, csrf: t.csrf }), route, "with another session's token");
      assertCsrfRefused(await call(srv, s, route.method, p, { ...body, csrf: s.csrf.slice(0, 32) }), route, 'with a truncated token');
      assertCsrfRefused(await call(srv, s, route.method, p, { ...body, csrf: s.csrf.toUpperCase() }), route, 'with the token in upper case');
      // The token in the other place (JSON body field / form via header).
      if (route.mode === 'json' && route.method !== 'DELETE') {
        assertCsrfRefused(await call(srv, s, route.method, p, { json: {}, csrf: bogusToken(), csrfIn: 'body' }), route, 'with a wrong csrf_token field');
      } else if (route.mode === 'html') {
        assertCsrfRefused(await call(srv, s, route.method, p, { form: {}, csrf: bogusToken(), csrfIn: 'header' }), route, 'with a wrong X-CSRF-Token header');
      }
      // The session survived every refusal, and the right token passes the
      // check (whatever the handler then says about the empty body).
      assert.equal((await call(srv, s, 'GET', '/api/v1/me')).status, 200, 'the session is still alive');
      const ok = await call(srv, s, route.method, p, { ...body, csrf: true });
      assert.ok(!(ok.status === 403 && (ok.data?.error?.code === 'csrf' || /请求校验失败/.test(ok.text))),
        'with the right token it is still refused as CSRF');
      assert.notEqual(ok.status, 403, `with the right token: 403 ${ok.text.slice(0, 200)}`);
      tally.routes++;
    });
  }

  it('checked every csrf=1 route', () => {
    console.log(`csrf: ${tally.routes} csrf=1 routes, ${tally.requests} refused requests checked`);
    assert.equal(tally.routes, routes.filter((r) => r.csrf).length);
    assert.ok(tally.routes >= 10);
  });
});

describe('a refused request changes nothing', () => {
  it('logout without a token: the session still works; with it, the session ends', async () => {
    for (const [method, p, body] of [['POST', '/logout', { form: {} }], ['DELETE', '/api/v1/session', {}]]) {
      const s = await loginOk(srv, 'xcb', pw.xcb);
      assertCsrfRefused(await call(srv, s, method, p, { ...body, csrf: false }), { method, pattern: p, mode: p.startsWith('/api/') ? 'json' : 'html' }, 'without a token');
      assert.equal((await call(srv, s, 'GET', '/api/v1/me')).status, 200, `${method} ${p} without a token: session alive`);
      assert.equal((await call(srv, s, 'GET', '/')).status, 200);
      const r = await call(srv, s, method, p, { ...body, csrf: true });
      assert.ok(r.status === 303 || r.status === 204, `${method} ${p}: ${r.status}`);
      assert.equal((await call(srv, s, 'GET', '/api/v1/me')).status, 401, `${method} ${p} with the token ends the session`);
    }
  });

  it('password change without a token: the old password still logs in', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    const next = goodPassword('n');
    const form = { old_password: u.password, new_password: next, new_password2: next };
    assertCsrfRefused(await call(srv, s, 'POST', '/me/password', { form, csrf: false }), { method: 'POST', pattern: '/me/password', mode: 'html' }, '');
    assertCsrfRefused(await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: next }, csrf: false }),
      { method: 'POST', pattern: '/api/v1/me/password', mode: 'json' }, '');
    assert.equal((await login(srv, u.login, u.password)).status, 200, 'the old password still works');
    assert.equal((await login(srv, u.login, next)).status, 401, 'the new one does not');
    // With the token the same request does change it.
    const r = await call(srv, s, 'POST', '/me/password', { form, csrf: true });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal((await login(srv, u.login, next)).status, 200);
    assert.equal((await login(srv, u.login, u.password)).status, 401);
  });

  it('role grant and revoke without a token: the roles stay as they were', async () => {
    const u = await activeUser('xcb');
    const sec = await loginOk(srv, 'secadmin', pw.secadmin);
    const rolesOf = async () => {
      const r = await call(srv, sec, 'GET', `/api/v1/role-grants?user=${u.id}`);
      assert.equal(r.status, 200, r.text);
      return r.data.items.map((x) => x.role).sort();
    };
    assert.deepEqual(await rolesOf(), ['xcb']);
    assertCsrfRefused(await call(srv, sec, 'POST', `/secadmin/users/${u.id}/roles/grant`, { form: { role: 'ags' }, csrf: false }),
      { method: 'POST', pattern: '/secadmin/users/{id}/roles/grant', mode: 'html' }, '');
    assertCsrfRefused(await call(srv, sec, 'POST', '/api/v1/role-grants', { json: { user_id: u.id, role: 'ags' }, csrf: false }),
      { method: 'POST', pattern: '/api/v1/role-grants', mode: 'json' }, '');
    assertCsrfRefused(await call(srv, sec, 'POST', `/secadmin/users/${u.id}/roles/revoke`, { form: { role: 'xcb' }, csrf: false }),
      { method: 'POST', pattern: '/secadmin/users/{id}/roles/revoke', mode: 'html' }, '');
    assertCsrfRefused(await call(srv, sec, 'DELETE', `/api/v1/role-grants/${u.id}/xcb`, { csrf: false }),
      { method: 'DELETE', pattern: '/api/v1/role-grants/{user_id}/{role}', mode: 'json' }, '');
    assert.deepEqual(await rolesOf(), ['xcb'], 'nothing granted or revoked');
    const me = await loginOk(srv, u.login, u.password);
    assert.deepEqual(me.roles, ['xcb']);
    // The same requests with the token do it.
    assert.equal((await call(srv, sec, 'POST', `/secadmin/users/${u.id}/roles/grant`, { form: { role: 'ags' } })).status, 303);
    assert.deepEqual(await rolesOf(), ['ags', 'xcb']);
    assert.equal((await call(srv, sec, 'DELETE', `/api/v1/role-grants/${u.id}/ags`)).status, 204);
    assert.deepEqual(await rolesOf(), ['xcb']);
  });

  it('settings update without a token: the value is unchanged', async () => {
    const sec = await loginOk(srv, 'secadmin', pw.secadmin);
    const value = async (key) => {
      const r = await call(srv, sec, 'GET', '/api/v1/settings');
      assert.equal(r.status, 200, r.text);
      return r.data.items.find((x) => x.key === key).value;
    };
    const key = 'auth.password_min_length';
    const before = await value(key);
    assertCsrfRefused(await call(srv, sec, 'POST', '/secadmin/settings', { form: { [key]: String(before + 2) }, csrf: false }),
      { method: 'POST', pattern: '/secadmin/settings', mode: 'html' }, '');
    assertCsrfRefused(await call(srv, sec, 'POST', '/api/v1/settings', { json: { [key]: before + 2 }, csrf: false }),
      { method: 'POST', pattern: '/api/v1/settings', mode: 'json' }, '');
    assert.equal(await value(key), before, 'unchanged');
    const r = await call(srv, sec, 'POST', '/api/v1/settings', { json: { [key]: before + 2 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(await value(key), before + 2, 'with the token it changes');
    assert.equal((await call(srv, sec, 'POST', '/api/v1/settings', { json: { [key]: before } })).status, 200);
    assert.equal(await value(key), before);
  });

  it('user lock without a token: the user can still log in', async () => {
    const u = await activeUser();
    const sys = await loginOk(srv, 'sysadmin', pw.sysadmin);
    assertCsrfRefused(await call(srv, sys, 'POST', `/admin/users/${u.id}/lock`, { form: {}, csrf: false }),
      { method: 'POST', pattern: '/admin/users/{id}/lock', mode: 'html' }, '');
    assertCsrfRefused(await call(srv, sys, 'POST', `/api/v1/users/${u.id}/lock`, { json: {}, csrf: false }),
      { method: 'POST', pattern: '/api/v1/users/{id}/lock', mode: 'json' }, '');
    assertCsrfRefused(await call(srv, sys, 'POST', `/api/v1/users/${u.id}/disable`, { json: {}, csrf: bogusToken() }),
      { method: 'POST', pattern: '/api/v1/users/{id}/disable', mode: 'json' }, '');
    assert.equal((await login(srv, u.login, u.password)).status, 200, 'still logs in');
    const r = await call(srv, sys, 'POST', `/api/v1/users/${u.id}/lock`, { json: {} });
    assert.ok(r.status >= 200 && r.status < 300, `lock with the token: ${r.status} ${r.text}`);
    assert.equal((await login(srv, u.login, u.password)).status, 423, 'locked with the token');
  });
});
