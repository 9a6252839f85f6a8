// Sessions and accounts against a server whose clock the test moves
// (JIXUN_CLOCK_FILE: jx_now() re-reads the file on every call): idle and
// absolute timeouts (and a dead session stays dead when the clock goes
// back), logout and password change end sessions server-side, the lockout
// and its window, one answer for unknown users and wrong passwords, the
// forced change at first login, password expiry, the password policy with
// its Chinese reasons, disabled accounts, and API tokens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, checkErrorShape, CJK } from './lib.mjs';
import {
  Clock, MINUTE, HOUR, DAY, login, loginOk, call, userAddOk, goodPassword, uniqueLogin,
} from './authlib.mjs';

let srv, db, clock;

before(async () => {
  db = await freshDatabase();
  clock = new Clock(db.dir);
  await runCliOk(['init', '--db', db.loc], { env: clock.env });
  srv = await startServer({ db, env: clock.env });
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

/** `jixun …` on the test database at the test clock. */
function cli(args) {
  return runCliOk([...args, '--db', db.loc], { env: clock.env });
}

/** A new account from `jixun user add` (must change at first login): {id, login, password}. */
async function newUser(role = 'xcb') {
  const who = uniqueLogin('s');
  const password = goodPassword('f');
  const id = await userAddOk(db, { login: who, role, password, env: clock.env });
  return { id, login: who, password };
}

/** A new account that has made its first change: {id, login, password, history}. */
async function activeUser(role = 'xcb') {
  const u = await newUser(role);
  const s = await loginOk(srv, u.login, u.password);
  const password = goodPassword('a');
  const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: password } });
  assert.equal(r.status, 204, r.text);
  return { id: u.id, login: u.login, password, history: [u.password, password] };
}

/** GET /api/v1/me and GET / as s: {api, html} statuses, asserting a dead session answers as one. */
async function probe(s) {
  const api = await call(srv, s, 'GET', '/api/v1/me');
  const html = await call(srv, s, 'GET', '/me');
  if (api.status === 401) assert.equal(api.data?.error?.code, 'unauthenticated');
  if (html.status === 303) assert.match(html.location, /^\/login\b/);
  return { api: api.status, html: html.status };
}
const ALIVE = { api: 200, html: 200 };
const DEAD = { api: 401, html: 303 };

/** An HTML login through the form: {status, text, location, cookie}. */
async function formLogin(username, password) {
  const res = await srv.fetch('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return {
    status: res.status, text: await res.text(), location: res.headers.get('location'),
    cookie: (res.headers.get('set-cookie') || '').split(';')[0],
  };
}

describe('session timeouts (moving the server clock)', () => {
  it('idle: alive at +29 min, dead 31 min after the last request, and still dead when the clock goes back', async () => {
    const u = await activeUser();
    const s1 = await loginOk(srv, u.login, u.password);
    const s2 = await loginOk(srv, u.login, u.password);
    clock.advance(29 * MINUTE);
    assert.deepEqual(await probe(s1), ALIVE, 's1 at +29 min');
    clock.advance(31 * MINUTE); // s1: 31 min idle; s2: 60 min idle
    assert.deepEqual(await probe(s1), DEAD, 's1 31 min after its last request');
    assert.deepEqual(await probe(s2), DEAD, 's2 60 min after login');
    clock.advance(-31 * MINUTE); // back to when both would still be within the limit
    assert.deepEqual(await probe(s1), DEAD, 's1 stays dead: ended server-side');
    assert.deepEqual(await probe(s2), DEAD, 's2 stays dead');
    clock.advance(31 * MINUTE);
    // A new session of the same account is fine.
    assert.deepEqual(await probe(await loginOk(srv, u.login, u.password)), ALIVE);
  });

  it('idle: a session idle for 30 min exactly still works, 30 min + 1 s does not', async () => {
    const u = await activeUser();
    const s1 = await loginOk(srv, u.login, u.password);
    const s2 = await loginOk(srv, u.login, u.password);
    clock.advance(30 * MINUTE);
    assert.equal((await call(srv, s1, 'GET', '/api/v1/me')).status, 200, 'at 30 min');
    clock.advance(1);
    assert.equal((await call(srv, s2, 'GET', '/api/v1/me')).status, 401, 'at 30 min + 1 s');
  });

  it('absolute: active every 20 min, alive until 12 h, dead after', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    for (let t = 20; t <= 12 * 60; t += 20) {
      clock.advance(20 * MINUTE);
      const r = await call(srv, s, 'GET', '/api/v1/me');
      assert.equal(r.status, 200, `alive at +${t} min`);
    }
    clock.advance(20 * MINUTE); // 12 h 20 min after login, 20 min after the last request
    assert.deepEqual(await probe(s), DEAD, 'dead after 12 h');
    clock.advance(-2 * HOUR);
    assert.deepEqual(await probe(s), DEAD, 'still dead with the clock 2 h back');
    clock.advance(2 * HOUR);
  });
});

describe('sessions end server-side', () => {
  it('logout (form): replaying the old cookie gets the login form / 401', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    assert.deepEqual(await probe(s), ALIVE);
    const r = await call(srv, s, 'POST', '/logout', { form: {} });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/login');
    assert.match(r.headers.get('set-cookie') || '', /jixun_session=;.*Max-Age=0/, 'the cookie is cleared');
    assert.deepEqual(await probe(s), DEAD, 'the old cookie no longer works');
    const home = await call(srv, s, 'GET', '/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/login');
  });

  it('logout (API): DELETE /api/v1/session, then the cookie is dead', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    const other = await loginOk(srv, u.login, u.password);
    const r = await call(srv, s, 'DELETE', '/api/v1/session');
    assert.equal(r.status, 204);
    assert.deepEqual(await probe(s), DEAD);
    assert.deepEqual(await probe(other), ALIVE, 'logout ends this session only');
  });

  it('a password change ends the other sessions and keeps the current one (API and form)', async () => {
    const u = await activeUser();
    const s1 = await loginOk(srv, u.login, u.password);
    const s2 = await loginOk(srv, u.login, u.password);
    const s3 = await loginOk(srv, u.login, u.password);
    const p2 = goodPassword('c');
    const r = await call(srv, s1, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: p2 } });
    assert.equal(r.status, 204, r.text);
    assert.deepEqual(await probe(s1), ALIVE, 'the current session stays');
    assert.deepEqual(await probe(s2), DEAD, 'another session ends');
    assert.deepEqual(await probe(s3), DEAD, 'every other session ends');
    const s4 = await loginOk(srv, u.login, p2);
    const p3 = goodPassword('d');
    const f = await call(srv, s1, 'POST', '/me/password', { form: { old_password: p2, new_password: p3, new_password2: p3 } });
    assert.equal(f.status, 303, f.text.slice(0, 300));
    assert.deepEqual(await probe(s1), ALIVE);
    assert.deepEqual(await probe(s4), DEAD);
  });
});

describe('lockout', () => {
  it('5 wrong passwords within 15 min lock the account for 30 min (423 "locked"), then it opens', async () => {
    const u = await activeUser();
    for (let i = 1; i <= 4; i++) {
      const r = await login(srv, u.login, `Wrong-Pass-${i}x`);
      assert.equal(r.status, 401, `attempt ${i}`);
      assert.equal(r.body.error.code, 'bad_credentials');
      clock.advance(2 * MINUTE);
    }
    const fifth = await login(srv, u.login, 'Wrong-Pass-5x');
    assert.equal(fifth.status, 423, 'the fifth failure locks');
    assert.equal(checkErrorShape(fifth.body, assert).code, 'locked');
    assert.match(fifth.body.error.message, /登录失败次数过多，账号已锁定至/);
    const locked = clock.now;
    // Locked: the right password is refused too, on the API and the form.
    const right = await login(srv, u.login, u.password);
    assert.equal(right.status, 423);
    assert.equal(right.body.error.code, 'locked');
    assert.equal(right.cookie, '', 'no session while locked');
    const form = await formLogin(u.login, u.password);
    assert.equal(form.status, 423);
    assert.match(form.text, /登录失败次数过多，账号已锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    assert.equal(form.cookie, '');
    clock.set(locked + 30 * MINUTE - 1);
    assert.equal((await login(srv, u.login, u.password)).status, 423, 'still locked 1 s before 30 min');
    clock.set(locked + 30 * MINUTE + 1);
    const open = await login(srv, u.login, u.password);
    assert.equal(open.status, 200, `unlocked after 30 min + 1 s: ${open.text}`);
    assert.deepEqual(await probe(open), ALIVE);
  });

  it('a name with no account is locked out the same way, so the lockout reveals no names', async () => {
    const ghost = `ghost.${Date.now() % 100000}`;
    const u = await activeUser();
    for (let i = 1; i <= 4; i++) {
      const g = await login(srv, ghost, `Wrong-Pass-${i}x`);
      const k = await login(srv, u.login, `Wrong-Pass-${i}x`);
      assert.equal(g.status, 401, `unknown name, attempt ${i}`);
      assert.deepEqual(g.body, k.body, `attempt ${i}: the same answer as for a real account`);
    }
    const g5 = await login(srv, ghost, 'Wrong-Pass-5x');
    const k5 = await login(srv, u.login, 'Wrong-Pass-5x');
    assert.equal(g5.status, 423, 'the fifth failure "locks" an unknown name too');
    assert.equal(k5.status, 423);
    assert.deepEqual(g5.body, k5.body, 'identical lock message, lock time included');
    clock.advance(30 * MINUTE + 1);
    assert.equal((await login(srv, ghost, 'Wrong-Pass-6x')).status, 401, 'the lock ends after 30 min');
    assert.equal((await login(srv, u.login, u.password)).status, 200);
  });

  it('failures spread beyond the 15 min window do not lock', async () => {
    const u = await activeUser();
    for (let i = 1; i <= 4; i++) assert.equal((await login(srv, u.login, `Wrong-${i}-Pass`)).status, 401);
    clock.advance(16 * MINUTE);
    assert.equal((await login(srv, u.login, 'Wrong-5-Pass')).status, 401, 'the old four are outside the window');
    assert.equal((await login(srv, u.login, u.password)).status, 200);
  });

  it('a right password clears the count', async () => {
    const u = await activeUser();
    for (let i = 1; i <= 4; i++) assert.equal((await login(srv, u.login, `Wrong-${i}-Pass`)).status, 401);
    assert.equal((await login(srv, u.login, u.password)).status, 200);
    for (let i = 1; i <= 4; i++) assert.equal((await login(srv, u.login, `Wrong-${i}-Pass`)).status, 401, `after the reset, attempt ${i}`);
    assert.equal((await login(srv, u.login, u.password)).status, 200);
  });
});

describe('one answer for an unknown user and a wrong password', () => {
  it('API: identical status and body, no cookie', async () => {
    const u = await activeUser();
    const wrong = await login(srv, u.login, 'Not-The-Passw0rd!');
    const unknown = await login(srv, 'nobody.here', 'Not-The-Passw0rd!');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, wrong.status);
    assert.equal(unknown.text, wrong.text, 'byte-identical bodies');
    assert.equal(wrong.body.error.message, '用户名或密码错误');
    assert.equal(wrong.cookie, '');
    assert.equal(unknown.cookie, '');
  });

  it('form: identical status and page but for the login name echoed back', async () => {
    const u = await activeUser();
    const wrong = await formLogin(u.login, 'Not-The-Passw0rd!');
    const unknown = await formLogin('nobody.here', 'Not-The-Passw0rd!');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, wrong.status);
    assert.equal(unknown.text.replaceAll('nobody.here', 'LOGIN'), wrong.text.replaceAll(u.login, 'LOGIN'));
    assert.match(wrong.text, /用户名或密码错误/);
  });
});

describe('password rules', () => {
  it('first login: must_change_password, GET / goes to /me/password, other API calls 403 until changed', async () => {
    const u = await newUser('xcb');
    const s = await loginOk(srv, u.login, u.password);
    assert.equal(s.must, true, 'the login says so');
    const home = await call(srv, s, 'GET', '/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/me/password');
    const page = await call(srv, s, 'GET', '/me/password');
    assert.equal(page.status, 200);
    assert.match(page.text, /须先修改密码/);
    const me = await call(srv, s, 'GET', '/api/v1/me');
    assert.equal(me.status, 200, 'self routes work');
    assert.equal(me.data.must_change_password, true);
    // A route the role may use otherwise.
    const blocked = await call(srv, s, 'GET', '/api/v1/access/mine');
    assert.equal(blocked.status, 403);
    assert.equal(checkErrorShape(blocked.data, assert).code, 'must_change_password');
    // The form login lands on the change page too.
    const f = await formLogin(u.login, u.password);
    assert.equal(f.status, 303);
    assert.equal(f.location, '/me/password');
    const next = goodPassword('n');
    const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: next } });
    assert.equal(r.status, 204, r.text);
    assert.equal((await call(srv, s, 'GET', '/api/v1/access/mine')).status, 200, 'open after the change');
    assert.equal((await call(srv, s, 'GET', '/')).status, 200);
    const again = await loginOk(srv, u.login, next);
    assert.equal(again.must, false);
  });

  it('rejected passwords, each with its Chinese reason, change nothing', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    const cases = [
      ['too short', 'Ab1#xyz', /密码长度至少为 10 位/],
      ['one class', 'abcdefghijklmn', /至少 3 类/],
      ['two classes', 'abcdefgh12345', /至少 3 类/],
      ['contains the login', `Qz#9-${u.login.toUpperCase()}-x`, /不得包含登录名/],
      ['the current password', u.password, /不能与原密码相同/],
    ];
    for (const [what, pw, reason] of cases) {
      const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: pw } });
      assert.equal(r.status, 422, `${what}: ${r.text}`);
      const e = checkErrorShape(r.data, assert);
      assert.equal(e.code, 'password_rejected', what);
      assert.equal(e.field, 'new_password', what);
      assert.match(e.message, reason, what);
      assert.match(e.message, CJK);
      const f = await call(srv, s, 'POST', '/me/password', { form: { old_password: u.password, new_password: pw, new_password2: pw } });
      assert.equal(f.status, 400, `${what} (form)`);
      assert.match(f.text, reason, `${what} (form)`);
    }
    const wrongOld = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: 'Not-It-123#', new_password: goodPassword() } });
    assert.equal(wrongOld.status, 422);
    assert.match(wrongOld.data.error.message, /原密码不正确/);
    assert.equal((await login(srv, u.login, u.password)).status, 200, 'the password is unchanged');
  });

  it('none of the last 5 passwords may come back; the 6th one back may', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    const hist = [...u.history]; // [first, current]
    let cur = u.password;
    for (let i = 0; i < 4; i++) {
      const next = goodPassword(`h${i}`);
      const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: cur, new_password: next } });
      assert.equal(r.status, 204, r.text);
      hist.push(next);
      cur = next;
    }
    // hist: 6 passwords, the last 5 of which (hist[1..5]) are barred.
    for (const old of hist.slice(1, 5)) {
      const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: cur, new_password: old } });
      assert.equal(r.status, 422, r.text);
      assert.match(r.data.error.message, /不得与最近 5 次使用过的密码相同/);
    }
    const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: cur, new_password: hist[0] } });
    assert.equal(r.status, 204, `the 6th password back is allowed again: ${r.text}`);
  });

  it('after 90 days the password must be changed: login works with must_change_password', async () => {
    const u = await activeUser();
    clock.advance(89 * DAY);
    assert.equal((await loginOk(srv, u.login, u.password)).must, false, 'at 89 days');
    clock.advance(2 * DAY);
    const s = await loginOk(srv, u.login, u.password);
    assert.equal(s.must, true, 'at 91 days');
    const home = await call(srv, s, 'GET', '/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/me/password');
    const blocked = await call(srv, s, 'GET', '/api/v1/access/mine');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.data.error.code, 'must_change_password');
    const next = goodPassword('x');
    assert.equal((await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: next } })).status, 204);
    assert.equal((await loginOk(srv, u.login, next)).must, false, 'a fresh password');
  });
});

describe('disabled accounts and API tokens', () => {
  it('a disabled account is refused and its sessions end; a wrong password tells nothing', async () => {
    const u = await activeUser();
    const s = await loginOk(srv, u.login, u.password);
    await cli(['user', 'disable', '--login', u.login]);
    assert.deepEqual(await probe(s), DEAD, 'its session ended');
    const r = await login(srv, u.login, u.password);
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /账号已停用/);
    assert.equal(r.cookie, '');
    const wrong = await login(srv, u.login, 'Not-The-Passw0rd!');
    assert.equal(wrong.body.error.message, '用户名或密码错误', 'no hint without the right password');
    const f = await formLogin(u.login, u.password);
    assert.equal(f.status, 401);
    assert.match(f.text, /账号已停用/);
    await cli(['user', 'enable', '--login', u.login]);
    assert.equal((await login(srv, u.login, u.password)).status, 200, 'enabled again');
  });

  it('a token from `jixun token create` works as Bearer without CSRF; after `jixun token revoke` → 401', async () => {
    const u = await activeUser();
    const out = (await cli(['token', 'create', '--user', u.login, '--name', '会话测试'])).stdout;
    const token = /\bjx_[0-9a-f]{64}\b/.exec(out)?.[0];
    const id = /编号 (\d+)/.exec(out)?.[1];
    assert.ok(token && id, out);
    const bearer = { Authorization: `Bearer ${token}` };
    const me = await call(srv, null, 'GET', '/api/v1/me', { headers: bearer });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.data.login, u.login);
    // A state change with no cookie and no CSRF token.
    const next = goodPassword('t');
    const r = await call(srv, null, 'POST', '/api/v1/me/password', { json: { old_password: u.password, new_password: next }, headers: bearer });
    assert.equal(r.status, 204, r.text);
    assert.equal((await login(srv, u.login, next)).status, 200, 'the change happened');
    await cli(['token', 'revoke', '--id', id]);
    const gone = await call(srv, null, 'GET', '/api/v1/me', { headers: bearer });
    assert.equal(gone.status, 401);
    assert.equal(gone.data.error.code, 'unauthenticated');
    const gone2 = await call(srv, null, 'POST', '/api/v1/me/password', { json: { old_password: next, new_password: goodPassword() }, headers: bearer });
    assert.equal(gone2.status, 401);
    assert.equal((await login(srv, u.login, next)).status, 200, 'nothing changed');
  });
});
