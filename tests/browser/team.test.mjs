// Forming a team in the browser (同向调度力量), on the demo city: 巡察办
// opens the current round, goes to its 第二巡察组 and states a staffing
// need; the commission's 联系纪检监察室 opens the request, sees the ranked
// candidates with the reasons for each score, selects (选派) the first one,
// and lands on the team, where the person now stands as a member with
// their joint-training status.  Once with JavaScript, once without.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, demoAccounts } from '../http/lib.mjs';
import { launchBrowser, watchPage, withScreenshot } from './lib.mjs';

let srv, db, browser, pw;
before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  browser = await launchBrowser();
});
after(async () => {
  try {
    await browser?.close();
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

/** Clicks selector and waits for the page it leads to. */
async function go(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function login(page, user) {
  await page.goto(srv.url('/login'));
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pw[user]);
  await go(page, 'form.login button[type="submit"]');
  assert.equal(new URL(page.url()).pathname, '/', `${user} reaches the 工作台`);
}

async function formTeam(t, { javaScriptEnabled, need }) {
  const office = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled });
  const commission = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled });
  const a = await office.newPage();
  const b = await commission.newPage();
  const problems = [...[a, b].map(watchPage)];
  try {
    // 1. 巡察办: round → team → staffing need.
    await withScreenshot(a, t, async () => {
      await login(a, 'xcb');
      await go(a, 'nav.main a[href="/rounds"]');
      await go(a, 'main a:text("五届市委第三轮巡察")');
      assert.match(await a.textContent('#units'), /了解/);
      await go(a, 'main a:text("第二巡察组")');
      assert.match(await a.title(), /五届市委第三轮巡察 · 第二巡察组/);
      await a.fill('textarea[name="text"]', need);
      await a.fill('input[name="required_expertise"]', '财务、审计');
      await a.fill('input[name="count"]', '1');
      await a.selectOption('form[action$="/staffing-requests"] select[name="position"]', 'member');
      await go(a, 'form[action$="/staffing-requests"] button[type="submit"]');
      assert.match(new URL(a.url()).pathname, /^\/staffing-requests\/\d+$/);
      assert.match(await a.textContent('.notice.ok'), /已保存/);
      assert.equal((await a.textContent('#status')).trim(), '待答复');
    });

    // 2. The commission: the request → ranked candidates → 选派.
    let chosen;
    await withScreenshot(b, t, async () => {
      await login(b, 'lxs');
      await go(b, 'nav.main a[href="/staffing-requests"]');
      await go(b, `main a:text("${need}")`);
      const rows = b.locator('#candidates tbody tr');
      assert.ok(await rows.count() > 5, 'candidates are listed');
      const first = rows.first();
      // Why it ranks there: one reason per component, in Chinese.
      const reasons = await first.locator('ul.facts li').allTextContents();
      assert.ok(reasons.some((r) => /^专长符合：/.test(r)), reasons.join(' | '));
      assert.ok(reasons.some((r) => /巡察期/.test(r)), reasons.join(' | '));
      chosen = (await first.locator('td.name').innerText()).split('\n')[0].trim();
      await Promise.all([b.waitForNavigation({ waitUntil: 'load' }), first.locator('button:text("选派")').click()]);
      assert.match(new URL(b.url()).pathname, /^\/teams\/\d+$/);
      assert.match(await b.textContent('.notice.ok'), /已保存/);
      const member = b.locator('#members tbody tr', { hasText: chosen });
      assert.equal(await member.count(), 1, `${chosen} is on the team`);
      assert.equal((await member.locator('td.position').textContent()).trim(), '成员');
      assert.match(await member.locator('td.training').textContent(), /^(已参加|未参加)/);
      const row = b.locator('#requests tbody tr', { hasText: need });
      assert.match(await row.textContent(), /1 \/ 1.*已答复/);
    });

    // 3. 巡察办 sees the answer and the team formed.
    await withScreenshot(a, t, async () => {
      await a.reload({ waitUntil: 'load' });
      assert.equal((await a.textContent('#status')).trim(), '已答复');
      assert.ok((await a.textContent('#answers')).includes(chosen));
      await go(a, 'main a:text("第二巡察组")');
      assert.ok((await a.textContent('#members')).includes(chosen));
    });
    await Promise.all([a, b].map((p) => p.waitForLoadState('networkidle')));
    assert.deepEqual(problems.flat(), [], 'console errors / failed requests');
  } finally {
    await office.close();
    await commission.close();
  }
}

describe('forming a team from a staffing request', () => {
  it('works with JavaScript', async (t) => {
    await formTeam(t, { javaScriptEnabled: true, need: '财务审计 1 名（浏览器测试甲）' });
  });
  it('works without JavaScript', async (t) => {
    await formTeam(t, { javaScriptEnabled: false, need: '财务审计 1 名（浏览器测试乙）' });
  });
});
