// The access matrix, generated from the tables: every route of `jixun routes`
// × every role (one demo account each) and an anonymous caller, with the
// expected answer computed from `jixun policy` (public → anyone; login/self
// → any logged-in user; otherwise the role must hold the permission).
//   denied:  logged in → 403 (HTML and JSON, code "forbidden");
//            anonymous → 303 to /login (HTML) or 401 "unauthenticated" (JSON)
//   allowed: an id that does not exist and an empty body with the session's
//            CSRF token → 2xx/3xx/400/404/409/415/422, never 401/403
// Plus own/foreign record probes: another user's session cannot be ended,
// and an account record is the system administrator's alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, demoAccounts } from './lib.mjs';
import {
  routeTable, policyTable, roleCodes, expectedAccess, concretePath, isLogout,
  loginOk, call,
} from './authlib.mjs';

let srv, db;
let routes = [], policy = [], roles = [];
const sessions = {};   // role code → {cookie, csrf, id, roles, login}
let pw = {};
const tally = { cells: 0, allowed: 0, denied: 0 };
const ALLOWED_STATUS = new Set([400, 404, 409, 415, 422]);

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  [routes, policy, roles] = await Promise.all([routeTable(), policyTable(), roleCodes(db)]);
  for (const [login, password] of Object.entries(pw)) {
    const s = await loginOk(srv, login, password);
    s.login = login;
    for (const r of s.roles) sessions[r] ??= s;
  }
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

/** The request that probes one cell: an empty body of the route's kind. */
function probe(route, s) {
  const p = concretePath(route.pattern);
  const opts = { csrf: !!s };
  if (route.method !== 'GET') {
    if (route.mode === 'json') {
      if (route.method !== 'DELETE') opts.json = {};
    } else {
      opts.form = {};
    }
  }
  return call(srv, s, route.method, p, opts);
}

/** Checks one cell; returns a description of the mismatch, or null. */
async function check(route, s, roleList) {
  const want = expectedAccess(route, roleList, policy);
  const r = await probe(route, s);
  const what = `${roleList ? roleList.join('+') : 'anonymous'} ${route.method} ${route.pattern} (${route.perm})`;
  tally.cells++;
  tally[want]++;
  const got = `${r.status}${r.location ? ' → ' + r.location : ''}${r.data?.error ? ' ' + r.data.error.code : ''}`;
  if (want === 'denied') {
    if (!s && route.mode === 'html') {
      if (r.status !== 303 || !/^\/login(\?|$)/.test(r.location || '')) return `${what}: want 303 → /login, got ${got}`;
    } else if (!s) {
      if (r.status !== 401 || r.data?.error?.code !== 'unauthenticated') return `${what}: want 401 unauthenticated, got ${got}`;
    } else {
      if (r.status !== 403) return `${what}: want 403, got ${got}`;
      if (route.mode === 'json' && r.data?.error?.code !== 'forbidden') return `${what}: want code forbidden, got ${got}`;
    }
    return null;
  }
  const ok = (r.status >= 200 && r.status < 400) || ALLOWED_STATUS.has(r.status);
  if (!ok) return `${what}: allowed by the tables, got ${got}`;
  // A redirect to the login form, or to a forced password change or TOTP
  // enrolment from elsewhere, is a refusal in disguise.
  const loc = r.location || '';
  if (s && r.status >= 300 && r.status < 400 && !isLogout(route) &&
      (/^\/login(\?|$)/.test(loc) || (/^\/me\/(password|totp)(\?|$)/.test(loc) && !route.pattern.startsWith('/me/')))) {
    return `${what}: allowed by the tables, but redirected to ${r.location}`;
  }
  return null;
}

describe('access matrix (generated from jixun routes × jixun policy)', () => {
  it('the tables are non-trivial and consistent', () => {
    assert.ok(routes.length >= 20, `${routes.length} routes`);
    const perms = new Set(routes.map((r) => r.perm));
    for (const rule of policy) {
      assert.ok(roles.includes(rule.role), `policy names role ${rule.role}, which is not in jixun role list`);
    }
    // Every permission a route needs is either built in or granted to some role.
    for (const p of perms) {
      if (['public', 'login', 'self'].includes(p)) continue;
      assert.ok(policy.some((r) => r.perm === p && r.scope !== 'none'), `no role holds ${p}: its routes are dead`);
    }
  });

  it('every role has a demo account that holds exactly that role', () => {
    for (const role of roles) {
      assert.ok(sessions[role], `no demo account for role ${role}`);
      assert.deepEqual(sessions[role].roles, [role], `demo account ${sessions[role].login} roles`);
    }
  });

  it('anonymous: public routes answer, every other one sends to the login form (HTML) or 401 (JSON)', async () => {
    const bad = [];
    for (const route of routes) {
      const m = await check(route, null, null);
      if (m) bad.push(m);
    }
    assert.deepEqual(bad, []);
  });

  it('every role × every route (but logout) as the tables say', async () => {
    const bad = [];
    for (const role of roles) {
      const s = sessions[role];
      for (const route of routes) {
        if (isLogout(route)) continue;
        const m = await check(route, s, s.roles);
        if (m) bad.push(m);
      }
      // The session survived its sweep (nothing in it logged it out).
      const me = await call(srv, s, 'GET', '/api/v1/me');
      assert.equal(me.status, 200, `${role}'s session still alive after its sweep`);
    }
    assert.deepEqual(bad, []);
  });

  it('the logout routes, last, with a fresh session each', async () => {
    const bad = [];
    for (const role of roles) {
      for (const route of routes.filter(isLogout)) {
        const s = await loginOk(srv, sessions[role].login, pw[sessions[role].login]);
        const m = await check(route, s, s.roles);
        if (m) bad.push(m);
        const after = await call(srv, s, 'GET', '/api/v1/me');
        if (after.status !== 401) bad.push(`${role} ${route.method} ${route.pattern}: session still alive (${after.status})`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('covers at least roles × routes cells', () => {
    const anon = routes.length;
    console.log(`access matrix: ${tally.cells} cells checked (${roles.length} roles + anonymous × ${routes.length} routes), ` +
      `${tally.allowed} allowed, ${tally.denied} denied`);
    assert.ok(tally.cells >= roles.length * routes.length + anon,
      `${tally.cells} cells < ${roles.length} roles × ${routes.length} routes + anonymous`);
    assert.ok(tally.allowed > 0 && tally.denied > 0);
  });
});

describe('own and foreign records', () => {
  it("ending another user's session → 404, and it stays alive; its owner may end it", async () => {
    const a1 = await loginOk(srv, 'xcz_member', pw.xcz_member);
    const a2 = await loginOk(srv, 'xcz_member', pw.xcz_member, { headers: { 'User-Agent': 'matrix-probe-a2' } });
    const other = await loginOk(srv, 'xcz_deputy', pw.xcz_deputy);
    // a1's session list names a2 (by its browser string) with an end button.
    const page = await call(srv, a1, 'GET', '/me');
    assert.equal(page.status, 200);
    const m = /matrix-probe-a2<\/td><td><form method="post" action="\/me\/sessions\/(\d+)\/end"/.exec(page.text);
    assert.ok(m, 'a1 sees a2 in its session list');
    const id = m[1];
    const foreign = await call(srv, other, 'POST', `/me/sessions/${id}/end`, { form: {} });
    assert.equal(foreign.status, 404, `another user ending it: ${foreign.status}`);
    assert.equal((await call(srv, a2, 'GET', '/api/v1/me')).status, 200, 'a2 is still alive');
    // The owner may.
    const own = await call(srv, a1, 'POST', `/me/sessions/${id}/end`, { form: {} });
    assert.equal(own.status, 303, 'the owner ends it');
    assert.equal((await call(srv, a2, 'GET', '/api/v1/me')).status, 401, 'a2 ended by its owner');
    assert.equal((await call(srv, a1, 'GET', '/api/v1/me')).status, 200, 'a1 itself untouched');
    assert.equal((await call(srv, other, 'GET', '/api/v1/me')).status, 200);
  });

  it('an account record by id: 200 for the system administrator, 403 for everyone else', async () => {
    const target = sessions.xcb.id;
    assert.ok(target > 0);
    for (const p of [`/admin/users/${target}`, `/api/v1/users/${target}`]) {
      const r = await call(srv, sessions.sysadmin, 'GET', p);
      assert.equal(r.status, 200, `sysadmin GET ${p}`);
      if (p.startsWith('/api/')) assert.equal(r.data.login, 'xcb');
      else assert.match(r.text, /xcb/);
      for (const role of roles.filter((x) => x !== 'sysadmin')) {
        const d = await call(srv, sessions[role], 'GET', p);
        assert.equal(d.status, 403, `${role} GET ${p}`);
        if (role !== 'xcb') assert.doesNotMatch(d.text, /庞素清/, `${role} sees nothing of the record`);
      }
      // One's own record is no exception.
      const self = await call(srv, sessions.xcb, 'GET', p);
      assert.equal(self.status, 403, `xcb GET its own ${p}`);
    }
  });
});
