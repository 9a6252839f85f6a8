// The login page in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core): Chinese, clean console, and usable without JavaScript.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/lib.mjs';
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

describe('login page', () => {
  it('renders in Chinese with no console errors or failed requests', async (t) => {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    const problems = watchPage(page);
    try {
      await withScreenshot(page, t, async () => {
        const res = await page.goto(srv.url('/login'), { waitUntil: 'load' });
        assert.equal(res.status(), 200);
        assert.match(await page.title(), /登录/);
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        assert.ok(await page.isVisible('input[name="username"]'), 'username field visible');
        assert.ok(await page.isVisible('input[name="password"]'), 'password field visible');
        await page.waitForLoadState('networkidle');
        assert.deepEqual(problems, [], 'console errors / failed requests');
      });
    } finally {
      await ctx.close();
    }
  });

  it('works without JavaScript: a wrong password shows a Chinese error and the form again', async (t) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const problems = watchPage(page);
    try {
      await withScreenshot(page, t, async () => {
        await page.goto(srv.url('/login'));
        await page.fill('input[name="username"]', 'no-such-user');
        await page.fill('input[name="password"]', 'Wrong-Passw0rd!');
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.press('input[name="password"]', 'Enter'),
        ]);
        const text = await page.textContent('body');
        assert.match(text, /用户名或密码错误/);
        assert.ok(await page.isVisible('input[name="username"]'), 'the form is still there');
        assert.ok(await page.isVisible('input[name="password"]'), 'the password field is still there');
        // The typed password must not be echoed back into the page.
        assert.equal(await page.inputValue('input[name="password"]'), '');
        assert.doesNotMatch(await page.content(), /Wrong-Passw0rd!/);
        // The refused login may answer 401 (Chromium then logs the status as
        // a console error): that is the expected outcome, not breakage.
        const refused = /^(?:response 401 |console: Failed to load resource: .* 401 .*)\S*\/login\b/;
        assert.deepEqual(problems.filter((p) => !refused.test(p)), [], 'console errors / failed requests');
      });
    } finally {
      await ctx.close();
    }
  });
});
