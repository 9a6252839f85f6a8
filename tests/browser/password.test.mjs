// The first login in a browser: an account made with `jixun user add` logs
// in through the form, is held on the change-password page (Chinese), sees
// the policy's Chinese reason for a weak password, sets a good one, reaches
// the 工作台, and logs out with the header's 退出 button; the old session
// cookie then opens nothing.  Once with JavaScript, once without.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/lib.mjs';
import { userAddOk, goodPassword, uniqueLogin } from '../http/authlib.mjs';
import { launchBrowser, watchPage, withScreenshot } from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Submits the form holding selector and waits for the page it leads to. */
async function submit(page, selector) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(selector),
  ]);
}

async function firstLogin(t, { javaScriptEnabled }) {
  const login = uniqueLogin('web');
  const first = goodPassword('f');
  const good = goodPassword('g');
  await userAddOk(srv.db, { login, name: '测试人员·林照溪', role: 'xcb', password: first });
  const ctx = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled });
  const page = await ctx.newPage();
  const problems = watchPage(page);
  try {
    await withScreenshot(page, t, async () => {
      // 1. The login form.
      await page.goto(srv.url('/login'));
      await page.fill('input[name="username"]', login);
      await page.fill('input[name="password"]', first);
      await submit(page, 'form.login button[type="submit"]');

      // 2. Held on the change-password page, in Chinese.
      assert.equal(new URL(page.url()).pathname, '/me/password', 'forced to change the password');
      assert.match(await page.title(), /修改密码/);
      assert.match(await page.textContent('main'), /首次登录、密码被重置或密码已过期，须先修改密码/);
      // Nothing else opens meanwhile.
      await page.goto(srv.url('/'));
      assert.equal(new URL(page.url()).pathname, '/me/password', 'the 工作台 sends back to the change');

      // 3. A weak password: the policy's reason, in Chinese, on the same form.
      await page.fill('input[name="old_password"]', first);
      await page.fill('input[name="new_password"]', 'Ab1#short');
      await page.fill('input[name="new_password2"]', 'Ab1#short');
      await submit(page, 'main form button[type="submit"]');
      assert.equal(new URL(page.url()).pathname, '/me/password');
      assert.match(await page.textContent('.notice.error'), /密码长度至少为 10 位/);
      assert.equal(await page.inputValue('input[name="new_password"]'), '', 'the rejected password is not echoed');

      // 4. A good one.
      await page.fill('input[name="old_password"]', first);
      await page.fill('input[name="new_password"]', good);
      await page.fill('input[name="new_password2"]', good);
      await submit(page, 'main form button[type="submit"]');
      assert.match(await page.textContent('main'), /密码已修改/);
      // The 工作台 opens now (it sent back to the change page before).
      await submit(page, 'nav.main a[href="/"]');
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal((await page.textContent('main h1')).trim(), '工作台');
      assert.match(await page.textContent('main'), /测试人员·林照溪/);

      // 5. 退出 in the header ends on the login page.
      const old = (await ctx.cookies()).find((c) => c.name === 'jixun_session');
      assert.ok(old?.value, 'a session cookie while logged in');
      await submit(page, 'header form[action="/logout"] button');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.ok(await page.isVisible('input[name="username"]'), 'the login form');
      assert.ok(!(await ctx.cookies()).some((c) => c.name === 'jixun_session' && c.value), 'the cookie is gone');

      // 6. The old cookie opens nothing, in the browser or replayed by hand.
      await ctx.addCookies([{ name: 'jixun_session', value: old.value, url: srv.url('/') }]);
      await page.goto(srv.url('/'));
      assert.equal(new URL(page.url()).pathname, '/login', 'the old cookie is dead');
      const res = await srv.fetch('/', { headers: { Cookie: `jixun_session=${old.value}` } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login');

      // The weak password was refused with a 400, which Chromium reports as
      // a failed resource: expected, not breakage.
      const refused = /^(?:response 400 |console: Failed to load resource: .* 400 .*)\S*\/me\/password\b/;
      assert.deepEqual(problems.filter((p) => !refused.test(p)), [], 'console errors / failed requests');
    });
  } finally {
    await ctx.close();
  }
}

describe('first login: forced password change', () => {
  it('with JavaScript', async (t) => firstLogin(t, { javaScriptEnabled: true }));
  it('without JavaScript', async (t) => firstLogin(t, { javaScriptEnabled: false }));
});
