// One problem clue walked from discovery to conclusion in the browser, on
// the demo city, by the roles involved (纪巡一体): the team member records
// it, the 组长 judges it (研判), submits it and approves step 1 of the
// transfer chain, 巡察办 approves step 2, the 领导小组 step 3 → transferred
// with its 移交函号; 案管室 registers it and assigns it to 第一监督检查室,
// which proposes 初步核实; 案管室 approves; the handling office files the
// case (立案), sends it to 审理, records the sanction, decides and
// concludes, and reports back.  Once 巡察办's personal approval grant is
// revoked, the inspection office still sees the clue's state and outcome
// (its office's "clue_status" grant), never the summary.  Without
// JavaScript: every form posts as a plain HTML form.
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

const SUMMARY = '浏览器测试：某中心医院采购设备涉嫌围标串标';
const FACTS = '个别谈话反映，2025 年设备采购中三家投标公司实为同一控制人。\n相关合同已调取。';

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

async function state(page) {
  return (await page.textContent('#clue-state')).trim();
}

/**
 * Takes action code on the clue page: fill(form) fills the fields the
 * action needs, then its button posts the form; the page that comes back
 * must carry no error and show the clue in state `expect`.
 */
async function act(page, code, expect, fill = async () => {}) {
  const form = page.locator(`#act-${code} form`);
  assert.equal(await form.count(), 1, `the action ${code} is offered`);
  await fill(form);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type="submit"]').click()]);
  const err = page.locator('.notice.error');
  assert.equal(await err.count(), 0, `${code}: ${await err.count() ? await err.first().textContent() : ''}`);
  assert.equal(await state(page), expect, `after ${code}`);
}

describe('a clue from discovery to conclusion', () => {
  it('is recorded, judged, transferred, handled and concluded through the UI', async (t) => {
    const ctx = {};
    const pages = {};
    const problems = [];
    const users = ['xcz_member', 'xcz_leader', 'xcb', 'ldxz', 'ags', 'cbbm', 'secadmin'];
    for (const u of users) {
      ctx[u] = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
      pages[u] = await ctx[u].newPage();
      problems.push(watchPage(pages[u]));
    }
    let url;
    try {
      // 1. The team member records the clue.
      const m = pages.xcz_member;
      await withScreenshot(m, t, async () => {
        await login(m, 'xcz_member');
        await go(m, 'nav.main a[href="/clues"]');
        await go(m, 'main a[href="/clues/new"]');
        // Choose the team and unit first (the form works without JS).
        const choice = m.locator('form[method="get"] select[name="choice"]');
        const first = await choice.locator('option').first().getAttribute('value');
        await choice.selectOption(first);
        await go(m, 'form[method="get"] button[type="submit"]');
        assert.match(await m.textContent('#choice'), /第一巡察组/);
        await m.fill('input[name="summary"]', SUMMARY);
        await m.fill('textarea[name="facts"]', FACTS);
        await m.fill('input[name="p1_name"]', '测试人甲');
        await m.fill('input[name="p1_post"]', '设备科科长');
        await m.check('input[name="p1_party"]');
        await m.check('input[name="p1_super"]');
        for (const c of ['cond_nature', 'cond_evidence', 'cond_facts']) await m.check(`input[name="${c}"]`);
        await go(m, 'form[action="/clues"] button[type="submit"]');
        assert.match(new URL(m.url()).pathname, /^\/clues\/\d+$/);
        assert.match(await m.textContent('.notice.ok'), /已保存/);
        assert.match(await m.textContent('#clue-code'), /^ML-\d{4}-\d{4}$/);
        assert.equal(await state(m), '待研判');
        assert.equal((await m.textContent('#clue-summary')).trim(), SUMMARY);
        assert.match(await m.textContent('#persons'), /测试人甲.*设备科科长/s);
        url = new URL(m.url()).pathname;
        // Edit while still with the team.
        await go(m, `a[href="${url}/edit"]`);
        assert.equal(await m.inputValue('input[name="p1_name"]'), '测试人甲');
        await m.fill('textarea[name="facts"]', `${FACTS}\n补充：已调取付款凭证。`);
        await go(m, `form[action="${url}"] button[type="submit"]`);
        assert.match(await m.textContent('.facts'), /补充：已调取付款凭证/);
        // An attachment, sealed at rest, comes back as it went in.
        await m.setInputFiles('#attach-form input[name="file"]',
          { name: '谈话笔录.txt', mimeType: 'text/plain', buffer: Buffer.from('笔录内容 ABC') });
        await go(m, '#attach-form button[type="submit"]');
        const link = m.locator('#attachments a', { hasText: '谈话笔录.txt' });
        assert.equal(await link.count(), 1);
        const file = await m.request.get(srv.url(await link.getAttribute('href')));
        assert.equal(file.status(), 200);
        assert.equal((await file.body()).toString(), '笔录内容 ABC');
        assert.match(file.headers()['content-disposition'], /^attachment;.*filename\*=UTF-8''%E8%B0%88/);
        // It is in the member's ledger.
        await go(m, 'nav.main a[href="/clues"]');
        assert.match(await m.textContent('#ledger'), new RegExp(SUMMARY));
      });

      // 2. The 组长: 研判, submit for transfer, approve step 1 choosing 巡察办.
      const l = pages.xcz_leader;
      await withScreenshot(l, t, async () => {
        await login(l, 'xcz_leader');
        await l.goto(srv.url(url));
        await act(l, 'review', '已研判', async (f) => {
          await f.locator('input[name="participants"]').fill('聂启航、符晓岚、柏一舟');
          await f.locator('textarea[name="conclusion"]').fill('问题性质明确，证据充分，建议移交纪委监委。');
        });
        assert.match(await l.textContent('#reviews'), /聂启航、符晓岚、柏一舟/);
        await act(l, 'submit', '移交审批中', async (f) => {
          await f.locator('select[name="destination"]').selectOption('commission');
        });
        await act(l, 'approve_transfer', '移交审批中', async (f) => {
          const next = f.locator('select[name="next_approver_id"]');
          assert.match(await next.locator('option:checked').textContent(), /庞素清/);
          await f.locator('textarea[name="opinion"]').fill('同意移交。');
        });
        assert.match(await l.textContent('#approvals'), /同意/);
      });

      // 3. 巡察办 approves step 2 choosing the 领导小组.
      const x = pages.xcb;
      await withScreenshot(x, t, async () => {
        await login(x, 'xcb');
        await x.goto(srv.url(url));
        assert.equal((await x.textContent('#clue-summary')).trim(), SUMMARY, 'the approver reads the clue');
        await act(x, 'approve_transfer', '移交审批中', async (f) => {
          const next = f.locator('select[name="next_approver_id"]');
          const opts = await next.locator('option').allTextContents();
          const i = opts.findIndex((o) => /岑怀瑾/.test(o));
          assert.ok(i >= 0, opts.join(' | '));
          await next.selectOption({ index: i });
        });
      });

      // 4. The 领导小组 approves the last step: transferred, numbered.
      const d = pages.ldxz;
      await withScreenshot(d, t, async () => {
        await login(d, 'ldxz');
        await d.goto(srv.url(url));
        assert.match(await d.textContent('#act-approve_transfer'), /最后一步/);
        await act(d, 'approve_transfer', '已移交待接收');
        assert.match(await d.textContent('#transfer-no'), /^明纪巡移〔\d{4}〕\d+号$/);
        // The printable 移交函 carries the number, the unit and the person.
        await go(d, `a[href="${url}/letter"]`);
        const letter = await d.textContent('#letter');
        assert.match(letter, /明纪巡移〔\d{4}〕\d+号/);
        assert.ok(letter.includes(SUMMARY) && letter.includes('测试人甲'));
        const docx = await d.request.get(srv.url(`${url}/letter.docx`));
        assert.equal(docx.status(), 200);
        const bytes = await docx.body();
        assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip (DOCX)');
      });

      // 5. 案管室 registers and assigns to 第一监督检查室.
      const a = pages.ags;
      await withScreenshot(a, t, async () => {
        await login(a, 'ags');
        await go(a, 'nav.main a[href="/clues"]');
        await go(a, `#ledger a[href="${url}"]`);
        await act(a, 'register', '已登记');
        assert.match(await a.textContent('#register-no'), /^明纪案登〔\d{4}〕\d+号$/);
        await act(a, 'assign', '已分办', async (f) => {
          await f.locator('select[name="handling_office"]').selectOption('ML.JJ1');
          await f.locator('input[name="approver"]').fill('钟叙白');
        });
        assert.match(await a.textContent('#handling-office'), /第一/);
        // Not 案管室's to take, and not an action at all: refused in Chinese.
        const csrf = await a.getAttribute('input[name="csrf"]', 'value');
        const wrongRole = await a.request.post(srv.url(`${url}/act/propose`),
          { form: { csrf, disposal: 'verify', opinion: '越权', meeting: '无' } });
        assert.equal(wrongRole.status(), 403);
        assert.match(await wrongRole.text(), /您的角色不能执行/);
        const bogus = await a.request.post(srv.url(`${url}/act/bogus`), { form: { csrf } });
        assert.equal(bogus.status(), 400);
        assert.match(await bogus.text(), /没有这项办理操作/);
      });

      // 6. The handling office proposes 初步核实; 案管室 approves it.
      const c = pages.cbbm;
      await withScreenshot(c, t, async () => {
        await login(c, 'cbbm');
        await c.goto(srv.url(url));
        await act(c, 'propose', '已拟处置意见', async (f) => {
          await f.locator('select[name="disposal"]').selectOption('verify');
          await f.locator('textarea[name="opinion"]').fill('拟予以初步核实。');
          await f.locator('input[name="meeting"]').fill('室务会 2026-11');
        });
      });
      await withScreenshot(a, t, async () => {
        await a.reload({ waitUntil: 'load' });
        await act(a, 'approve_disposal', '初步核实', async (f) => {
          await f.locator('input[name="approver"]').fill('分管领导');
          await f.locator('input[name="meeting"]').fill('专题会议 第 12 次');
        });
      });

      // 案管室 issues a 督办 to the handling office; it lands in the inbox
      // (the demo data may hold other notices: count from what is there).
      const unread = async (p) => {
        const badge = p.locator('#nav-unread');
        return await badge.count() ? Number((await badge.textContent()).trim()) : 0;
      };
      await c.reload({ waitUntil: 'load' });
      const before = await unread(c);
      await withScreenshot(a, t, async () => {
        await a.fill('#notice-form textarea[name="text"]', '请加快初核进度，按期反馈。');
        await go(a, '#notice-form button[type="submit"]');
        assert.match(await a.textContent('#notices'), /请加快初核进度/);
        // The ledger filters by state; the export is a workbook.
        await a.goto(srv.url('/clues?state=verify'));
        assert.equal(await a.locator(`#ledger a[href="${url}"]`).count(), 1);
        await a.goto(srv.url('/clues?state=terminal'));
        assert.equal(await a.locator(`#ledger a[href="${url}"]`).count(), 0);
        const x1 = await a.request.get(srv.url('/clues/export.xlsx?state=verify'));
        assert.equal(x1.status(), 200);
        assert.match(x1.headers()['content-type'], /spreadsheetml/);
        assert.equal((await x1.body()).subarray(0, 2).toString(), 'PK');
        await a.goto(srv.url('/clues/due'));
        assert.deepEqual(await a.locator('main h2').allTextContents(), ['已逾期', '7 天内到期', '8 至 30 天内到期']);
      });
      await withScreenshot(c, t, async () => {
        await c.reload({ waitUntil: 'load' });
        assert.equal(await unread(c), before + 1);
        await go(c, 'nav.main a[href="/inbox"]');
        const row = c.locator('#unread tbody tr', { hasText: '请加快初核进度' });
        assert.equal(await row.count(), 1);
        await Promise.all([c.waitForNavigation({ waitUntil: 'load' }), row.locator('button[type="submit"]').click()]);
        assert.equal((await c.textContent('#unread-count')).trim(), String(before));
        assert.equal(await unread(c), before);
        assert.equal(await c.locator('#unread tbody tr', { hasText: '请加快初核进度' }).count(), 0);
        await c.goto(srv.url(url));
      });

      // 7. 立案, 审理, the sanction, the decision, 结案 and the final report.
      await withScreenshot(c, t, async () => {
        await c.reload({ waitUntil: 'load' });
        // A refused action keeps what was typed and says why in Chinese.
        const f0 = c.locator('#act-file_case form');
        await f0.locator('input[name="approver"]').fill('书记');
        await f0.locator('input[name="meeting"]').fill('常委会');
        await f0.locator('input[name="date"]').evaluate((e) => { e.removeAttribute('max'); e.value = '2999-01-01'; });
        await Promise.all([c.waitForNavigation({ waitUntil: 'load' }), f0.locator('button[type="submit"]').click()]);
        assert.match(await c.textContent('.notice.error'), /「立案审查调查」的日期不能晚于今天/);
        assert.equal(await c.inputValue('#act-file_case input[name="meeting"]'), '常委会');
        assert.equal(await state(c), '初步核实');
        await act(c, 'file_case', '立案审查调查', async (f) => {
          await f.locator('select[name="filing"]').selectOption('both');
          await f.locator('input[name="date"]').fill(await f.locator('input[name="date"]').getAttribute('max'));
        });
        assert.match(await c.textContent('#persons'), /\d{4}-\d{2}-\d{2}/, '立案 dates per person');
        await act(c, 'to_trial', '审理');
        await act(c, 'sanction', '审理', async (f) => {
          const opts = await f.locator('select[name="measure"] option').allTextContents();
          const i = opts.findIndex((o) => /警告/.test(o));
          await f.locator('select[name="measure"]').selectOption({ index: i >= 0 ? i : 0 });
          await f.locator('input[name="note"]').fill('经审理');
        });
        assert.match(await c.textContent('#persons td.outcome'), /形态/);
        await act(c, 'decide', '已作出处理决定');
        await act(c, 'conclude', '已办结');
        assert.notEqual((await c.textContent('#clue-outcome')).trim(), '—');
        const fb = c.locator('#act-feedback form');
        if (await fb.count()) {
          await fb.locator('textarea[name="text"]').fill('已结案，给予党内警告处分。');
          await Promise.all([c.waitForNavigation({ waitUntil: 'load' }), fb.locator('button[type="submit"]').click()]);
          assert.equal(await c.locator('.notice.error').count(), 0);
          assert.match(await c.textContent('#feedback'), /第 1 次/);
        }
      });

      // 8. After 巡察办's personal grant is revoked, its office sees the
      // state and outcome only.
      const s = pages.secadmin;
      await withScreenshot(s, t, async () => {
        await login(s, 'secadmin');
        const id = url.split('/').pop();
        await s.goto(srv.url(`/access/grants?object_type=clue&object_id=${id}`));
        // The 知悉人 column (the second) names 巡察办's account.
        const row = s.locator('table.grid tbody tr')
          .filter({ has: s.locator('td:nth-child(2)', { hasText: '庞素清' }) });
        assert.equal(await row.count(), 1, 'xcb is on the list as an approver');
        await row.locator('input[name="reason"]').fill('审批完毕，撤销个人知悉');
        await Promise.all([s.waitForNavigation({ waitUntil: 'load' }), row.locator('button[type="submit"]').click()]);
      });
      await withScreenshot(x, t, async () => {
        await x.goto(srv.url(url));
        assert.match(await x.textContent('#status-only'), /只能查看/);
        assert.match(await state(x), /办结/);
        assert.equal(await x.locator('#clue-summary').count(), 0);
        assert.ok(!(await x.content()).includes(SUMMARY), 'the summary is not on the page');
        assert.ok(!(await x.content()).includes('测试人甲'), 'nor the person');
        await x.goto(srv.url('/clues'));
        const row = x.locator(`#ledger tr:has(a[href="${url}"])`);
        assert.equal(await row.count(), 1, 'the clue is in the office ledger');
        assert.match(await row.textContent(), /仅可查看状态/);
        assert.ok(!(await x.content()).includes(SUMMARY));
        const letter = await x.request.get(srv.url(`${url}/letter`));
        assert.equal(letter.status(), 403, 'no letter with the status view');
      });

      // Someone outside the access list: 404, same message as a missing id.
      const r1 = await pages.secadmin.request.get(srv.url('/clues/999999'));
      const r2 = await pages.xcz_member.request.get(srv.url('/clues/999999'));
      const r3 = await pages.xcz_member.request.get(srv.url(`${url}/letter`));
      assert.equal(r2.status(), 404);
      assert.equal(r3.status(), 200, 'the recorder stays on the list');
      const lx = await browser.newContext({ locale: 'zh-CN' });
      try {
        const p = await lx.newPage();
        await login(p, 'lxs');
        const hidden = await p.request.get(srv.url(url));
        const missing = await p.request.get(srv.url('/clues/999999'));
        assert.equal(hidden.status(), 404);
        assert.equal(missing.status(), 404);
        assert.match(await hidden.text(), /问题线索不存在或无权查看/);
        assert.match(await missing.text(), /问题线索不存在或无权查看/);
        await p.goto(srv.url('/clues'));
        assert.equal(await p.locator(`a[href="${url}"]`).count(), 0, 'absent from the ledger');
      } finally {
        await lx.close();
      }
      assert.notEqual(r1.status(), 200);
      for (const p of Object.values(pages)) await p.waitForLoadState('networkidle');
      // The one refusal provoked above (a future date) is expected.
      const unexpected = problems.flat().filter((p) => !/\b400\b.*\/act\/file_case/.test(p));
      assert.deepEqual(unexpected, [], 'console errors / failed requests');
    } finally {
      for (const u of users) await ctx[u]?.close();
    }
  });
});
