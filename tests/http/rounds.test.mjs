// Rounds, teams, staffing and joint training over HTTP (issue 4, the rounds
// half) on the demo city: the demo's rounds and pages; phases only forward
// and in order (skip and backward refused in Chinese, through the API and
// the HTML form); the three 回避 rules refusing with rule and fact, nothing
// written, every refusal audited; the 领导小组's audited exception; the
// ranked candidates of a staffing request with their reasons and the
// commission's selection; joint training shown on the team; and
// jurisdiction scoping (a 北岭县 user sees only the county's rounds).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, freshDatabase, runCliOk, demoAccounts, BACKEND, checkErrorShape, CJK } from './lib.mjs';
import { loginOk, call, userAddOk, goodPassword, uniqueLogin } from './authlib.mjs';

let srv, db, pw;
let xcb, lxs, ldxz, xfs, auditor, county;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Run SQL against the test database with the backend's own client; the output, trimmed. */
async function sql(text) {
  const out = BACKEND === 'sqlite'
    ? await run('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', db.loc, text])
    : await run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c', text]);
  return out.trim();
}

async function staffId(code) {
  const v = await sql(`SELECT id FROM staff WHERE code = '${code}'`);
  assert.match(v, /^\d+$/, `staff ${code}`);
  return Number(v);
}

/** A fresh account with role in jurisdiction jur, logged in with a changed password. */
async function userIn(jur, role = 'xcb') {
  const who = uniqueLogin('rnd');
  const first = goodPassword('a');
  await userAddOk(db, { login: who, role, password: first });
  await sql(`UPDATE app_user SET jurisdiction_code = '${jur}' WHERE login = '${who}'`);
  const s = await loginOk(srv, who, first);
  const second = goodPassword('b');
  const r = await call(srv, s, 'POST', '/api/v1/me/password', { json: { old_password: first, new_password: second } });
  assert.equal(r.status, 204, r.text);
  return loginOk(srv, who, second);
}

async function getJson(s, p) {
  const r = await call(srv, s, 'GET', p);
  assert.equal(r.status, 200, `GET ${p}: ${r.text.slice(0, 300)}`);
  return r.data;
}

async function post(s, p, json, status) {
  const r = await call(srv, s, 'POST', p, { json });
  if (status) assert.equal(r.status, status, `POST ${p}: ${r.text.slice(0, 400)}`);
  return r;
}

function expectError(r, status, code) {
  assert.equal(r.status, status, `status (body: ${r.text.slice(0, 300)})`);
  const e = checkErrorShape(r.data, assert);
  if (code) assert.equal(e.code, code);
  return e;
}

async function audit(action, extra = '') {
  const d = await getJson(auditor, `/api/v1/audit?action=${action}&per_page=200${extra}`);
  return d.items;
}

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  xcb = await loginOk(srv, 'xcb', pw.xcb);
  lxs = await loginOk(srv, 'lxs', pw.lxs);
  ldxz = await loginOk(srv, 'ldxz', pw.ldxz);
  xfs = await loginOk(srv, 'xfs', pw.xfs);
  auditor = await loginOk(srv, 'auditor', pw.auditor);
  county = await userIn('ML.BL');
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

describe('the demo rounds', () => {
  it('has two past rounds and the current one, in its phases', async () => {
    const d = await getJson(xcb, '/api/v1/rounds');
    const titles = d.items.map((r) => r.title);
    for (const t of ['五届市委第一轮巡察', '五届市委第二轮巡察', '五届市委第三轮巡察']) assert.ok(titles.includes(t), t);
    const cur = d.items.find((r) => r.title === '五届市委第三轮巡察');
    const full = await getJson(xcb, `/api/v1/rounds/${cur.id}`);
    const phases = full.units.map((u) => u.phase).sort();
    assert.deepEqual(phases, ['prepare', 'prepare', 'understand', 'understand']);
    const u = full.units.find((x) => x.phase === 'understand');
    assert.deepEqual(u.history.map((h) => h.phase), ['prepare', 'understand']);
    assert.equal(u.next_phase, 'report');
    assert.equal(full.teams.length, 2);
    const past = d.items.find((r) => r.title === '五届市委第一轮巡察');
    const pf = await getJson(xcb, `/api/v1/rounds/${past.id}`);
    assert.ok(pf.units.every((x) => x.phase === 'rectify' && x.history.length === 6 && x.next_phase === null));
  });

  it('renders the pages in Chinese', async () => {
    const d = await getJson(xcb, '/api/v1/rounds');
    const cur = d.items.find((r) => r.title === '五届市委第三轮巡察');
    const full = await getJson(xcb, `/api/v1/rounds/${cur.id}`);
    const pages = {
      '/rounds': '巡察轮次', [`/rounds/${cur.id}`]: '推进到“报告”', [`/teams/${full.teams[0].id}`]: '同堂培训',
      '/staffing-requests': '力量需求', '/trainings': '“纪巡审”干部集中学习培训班', '/rounds/new': '新建巡察轮次',
    };
    for (const [p, text] of Object.entries(pages)) {
      const r = await call(srv, xcb, 'GET', p);
      assert.equal(r.status, 200, p);
      assert.ok(r.text.includes(text), `${p} shows ${text}`);
    }
    const q = await call(srv, lxs, 'GET', '/avoid-overrides');
    assert.equal(q.status, 403, 'only the 领导小组 sees the exception queue');
    assert.equal((await call(srv, xfs, 'GET', '/api/v1/rounds')).status, 403);
  });
});

let round;   // the round the tests below create: 六届市委第一轮巡察
let team;    // its 第一巡察组, covering 明澜市第三中学 and 北岭县人民医院
let unitS03; // 明澜市第三中学

describe('rounds and phases', () => {
  it('creates a round with a generated title and adds units', async () => {
    const r = await post(xcb, '/api/v1/rounds', { term: 6, number: 1, kind: 'regular', start_date: '2027-03-01', end_date: '2027-05-31' }, 201);
    round = r.data;
    assert.equal(round.title, '六届市委第一轮巡察');
    assert.equal(round.jurisdiction_code, 'ML');
    for (const code of ['ML-EDU-S03', 'BL-HEALTH-H01']) {
      const a = await post(xcb, `/api/v1/rounds/${round.id}/units`, { unit_code: code, entered_on: '2027-02-15' }, 201);
      round = a.data;
    }
    assert.equal(round.units.length, 2);
    unitS03 = round.units.find((u) => u.code === 'ML-EDU-S03');
    assert.equal(unitS03.phase, 'prepare');
    // The same term and number again is refused.
    const dup = await post(xcb, '/api/v1/rounds', { term: 6, number: 1, kind: 'special' });
    expectError(dup, 409, 'conflict');
    const bad = await post(xcb, '/api/v1/rounds', { term: 6, number: 2, kind: 'weekly' });
    assert.equal(expectError(bad, 400, 'invalid').field, 'kind');
    const rows = await audit('round.create');
    assert.ok(rows.some((a) => a.object_id === round.id && a.summary.includes('新建巡察轮次')));
  });

  it('moves phases only forward and in order', async () => {
    const p = `/api/v1/rounds/${round.id}/units/${unitS03.unit_id}/phase`;
    const skip = await post(xcb, p, { phase: 'report' });
    assert.equal(expectError(skip, 409, 'conflict').message, '巡察阶段须依次推进：“准备”之后应为“了解”，不能跳至“报告”');
    const ok = await post(xcb, p, { phase: 'understand', entered_on: '2027-03-01' }, 200);
    const u = ok.data.units.find((x) => x.unit_id === unitS03.unit_id);
    assert.equal(u.phase, 'understand');
    assert.deepEqual(u.history.map((h) => [h.phase, h.entered_on]), [['prepare', '2027-02-15'], ['understand', '2027-03-01']]);
    const back = await post(xcb, p, { phase: 'prepare' });
    assert.equal(expectError(back, 409, 'conflict').message, '巡察阶段只能向前推进，不能从“了解”退回“准备”');
    const same = await post(xcb, p, { phase: 'understand' });
    assert.match(expectError(same, 409).message, /已处于“了解”阶段/);
    const unknown = await post(xcb, p, { phase: 'celebrate' });
    expectError(unknown, 400, 'invalid');
    // The HTML form refuses a skip the same way, and the page says why.
    const form = await call(srv, xcb, 'POST', `/rounds/${round.id}/units/${unitS03.unit_id}/phase`, { form: { to: 'feedback' } });
    assert.equal(form.status, 409);
    assert.ok(form.text.includes('巡察阶段须依次推进：“了解”之后应为“报告”，不能跳至“反馈”'), form.text.slice(0, 2000));
    const after = await getJson(xcb, `/api/v1/rounds/${round.id}`);
    assert.equal(after.units.find((x) => x.unit_id === unitS03.unit_id).phase, 'understand', 'refusals changed nothing');
    // Only 巡察办 moves phases.
    expectError(await post(lxs, p, { phase: 'report' }), 403, 'forbidden');
    const rows = await audit('round.phase_advance');
    assert.ok(rows.some((a) => a.outcome === 'ok' && a.summary.includes('准备 → 了解')));
    assert.ok(rows.some((a) => a.outcome === 'failed' && a.summary.includes('准备 → 报告')));
  });
});

describe('editing', () => {
  it('edits a round through the API and the form, refusing bad dates', async () => {
    const bad = await call(srv, xcb, 'PUT', `/api/v1/rounds/${round.id}`, { json: { end_date: '2027-02-01' } });
    assert.equal(expectError(bad, 400, 'invalid').field, 'end_date');
    const ok = await call(srv, xcb, 'PUT', `/api/v1/rounds/${round.id}`, { json: { title: '六届市委第一轮巡察（调整）' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data.title, '六届市委第一轮巡察（调整）');
    assert.equal(ok.data.start_date, '2027-03-01', 'absent fields keep their value');
    const form = await call(srv, xcb, 'POST', `/rounds/${round.id}`, {
      form: { term: '6', number: '1', kind: 'regular', title: '', sector_code: '', start_date: '2027-03-01', end_date: '2027-05-31' },
    });
    assert.equal(form.status, 303, form.text.slice(0, 500));
    const back = await getJson(xcb, `/api/v1/rounds/${round.id}`);
    assert.equal(back.title, '六届市委第一轮巡察', 'an empty title is generated again');
    const formBad = await call(srv, xcb, 'POST', `/rounds/${round.id}`, { form: { term: '0', number: '1', kind: 'regular' } });
    assert.equal(formBad.status, 400);
    assert.ok(formBad.text.includes('届次应为 1 到 99 之间的整数'));
    expectError(await call(srv, lxs, 'PUT', `/api/v1/rounds/${round.id}`, { json: {} }), 403, 'forbidden');
  });

  it('forms a team on the round page, refusing a duplicate name', async () => {
    const ok = await call(srv, xcb, 'POST', `/rounds/${round.id}/teams`, { form: { name: '第九巡察组' } });
    assert.equal(ok.status, 303);
    assert.match(ok.location, /^\/teams\/\d+\?saved=1$/);
    const dup = await call(srv, xcb, 'POST', `/rounds/${round.id}/teams`, { form: { name: '第九巡察组' } });
    assert.equal(dup.status, 409);
    assert.ok(dup.text.includes('本轮巡察已有“第九巡察组”'));
    assert.ok(dup.text.includes('被巡察单位与阶段'), 'the round page again, with the reason');
  });
});

describe('回避', () => {
  let ids;

  before(async () => {
    // A cadre of the 派驻组 that supervises the city's schools.
    await sql(`INSERT INTO staff(code, name, office_id, jurisdiction_code, created_at, updated_at) VALUES ('LL900', '测试派驻干部', (SELECT id FROM office WHERE code = 'ML.PZ1'), 'ML', 0, 0)`);
    ids = {};
    for (const c of ['LL001', 'LL005', 'LL008', 'LL900', 'LL019']) ids[c] = await staffId(c);
    const t = await post(xcb, '/api/v1/teams', { round_id: round.id, name: '第一巡察组', unit_ids: round.units.map((u) => u.unit_id) }, 201);
    team = t.data;
    assert.equal(team.units.length, 2);
  });

  it('refuses each rule with the rule and the fact, and writes nothing', async () => {
    const cases = [
      ['LL008', 'worked_in_unit', '回避：2018-09 至 2022-08 曾在明澜市第三中学任职（5 年内）（任职回避）'],
      ['LL005', 'relative_in_unit', '回避：亲属在北岭县人民医院任职（配偶任该院副院长）（亲属回避）'],
      ['LL900', 'supervised_by_own_office', '回避：明澜市第三中学由本人所在的明澜市纪委监委派驻教育局纪检监察组监督（派驻监督回避）'],
    ];
    for (const [code, rule, fact] of cases) {
      const r = await post(xcb, `/api/v1/teams/${team.id}/members`, { staff_id: ids[code], position: 'member' });
      const e = expectError(r, 409, 'avoid');
      assert.ok(e.message.includes(fact), `${code}: ${e.message}`);
      assert.ok(e.message.includes('须回避，不能加入第一巡察组'));
      assert.equal(r.data.avoid[0].rule, rule);
    }
    const t = await getJson(xcb, `/api/v1/teams/${team.id}`);
    assert.equal(t.members.length, 0, 'no refused person was added');
    const rows = (await audit('team.member_add')).filter((a) => a.object_id === team.id);
    assert.equal(rows.filter((a) => a.outcome === 'failed' && a.summary.includes('因回避拒绝加入')).length, 3);
    for (const a of rows) assert.ok(!a.summary.includes('配偶'), 'the audit summary does not repeat the fact');
  });

  it('refuses on the HTML form with the fact and offers the exception', async () => {
    const r = await call(srv, xcb, 'POST', `/teams/${team.id}/members`, { form: { staff_id: String(ids.LL008), position: 'member' } });
    assert.equal(r.status, 409);
    assert.ok(r.text.includes('回避：2018-09 至 2022-08 曾在明澜市第三中学任职（5 年内）'));
    assert.ok(r.text.includes(`action="/teams/${team.id}/overrides"`), 'the exception form is offered');
    assert.ok(r.text.includes('提请领导小组批准'));
  });

  it('lets the 领导小组 approve an exception, adding the member, audited', async () => {
    const reason = '该同志熟悉教育系统业务，离任已逾四年（测试理由）';
    const req = await post(xcb, `/api/v1/teams/${team.id}/overrides`, { staff_id: ids.LL008, reason, position: 'member' }, 201);
    assert.equal(req.data.status, 'pending');
    assert.equal(req.data.rules, 'worked_in_unit');
    expectError(await post(xcb, `/api/v1/teams/${team.id}/overrides`, { staff_id: ids.LL008, reason }), 409, 'conflict');
    expectError(await post(xcb, `/api/v1/teams/${team.id}/overrides`, { staff_id: ids.LL019, reason }), 409, 'conflict');
    // Only the 领导小组 decides; a rejection needs a reason.
    expectError(await post(xcb, `/api/v1/avoid-overrides/${req.data.id}/approve`, {}), 403, 'forbidden');
    const q = await getJson(ldxz, '/api/v1/avoid-overrides?status=pending');
    const item = q.items.find((o) => o.id === req.data.id);
    assert.ok(item && item.fact.includes('曾在明澜市第三中学任职'));
    expectError(await post(ldxz, `/api/v1/avoid-overrides/${req.data.id}/reject`, {}), 400, 'invalid');
    const ok = await post(ldxz, `/api/v1/avoid-overrides/${req.data.id}/approve`, { note: '同意，注意加强监督' }, 200);
    assert.equal(ok.data.status, 'approved');
    const t = await getJson(xcb, `/api/v1/teams/${team.id}`);
    const m = t.members.find((x) => x.staff_id === ids.LL008);
    assert.ok(m, 'approval added the member');
    assert.equal(m.override_id, req.data.id);
    expectError(await post(ldxz, `/api/v1/avoid-overrides/${req.data.id}/approve`, {}), 409, 'conflict');
    const rows = await audit('team.avoid_override', `&object_type=avoidance_override&object_id=${req.data.id}`);
    assert.equal(rows.filter((a) => a.outcome === 'ok').length, 1);
    assert.ok(rows[0].summary.includes('批准回避例外') && rows[0].summary.includes('任职回避'), rows[0].summary);
    assert.ok(!rows.some((a) => a.summary.includes('测试理由')), 'the reason stays out of the audit summary');
    assert.equal((await audit('team.avoid_request', `&object_id=${req.data.id}`)).length, 1);
  });
});

describe('staffing requests', () => {
  let sreq;

  it('lets 巡察办 state a need, and ranks candidates with reasons', async () => {
    expectError(await post(lxs, '/api/v1/staffing-requests', { team_id: team.id, text: 'x' }), 403, 'forbidden');
    const r = await post(xcb, '/api/v1/staffing-requests', {
      team_id: team.id, text: '组长人选 1 名，具有县区纪委常务副书记工作经历',
      required_posts: ['县区纪委常务副书记工作经历'], required_expertise: '案件查办', count: 1, position: 'leader',
    }, 201);
    sreq = r.data;
    assert.equal(sreq.status, 'open');
    assert.deepEqual(sreq.required_posts, ['县区纪委常务副书记工作经历']);
    assert.equal(sreq.from_date, '2027-03-01', 'the round\'s dates by default');
    expectError(await call(srv, xcb, 'GET', `/api/v1/staffing-requests/${sreq.id}/candidates`), 403, 'forbidden');
    const c = await getJson(lxs, `/api/v1/staffing-requests/${sreq.id}/candidates`);
    assert.ok(c.items.length > 10);
    assert.ok(c.scoring.some((w) => w.component === 'post' && w.points === 40));
    // Ranked: no 回避 first, by score; everyone with 回避 last.
    const firstAvoid = c.items.findIndex((x) => x.avoid);
    assert.ok(firstAvoid > 0);
    assert.ok(c.items.slice(firstAvoid).every((x) => x.avoid), '回避 ranks last');
    const free = c.items.slice(0, firstAvoid);
    for (let i = 1; i < free.length; i++) assert.ok(free[i - 1].score >= free[i].score, 'by score');
    // The former county standing deputy secretaries head the list.
    const top = free.slice(0, 5).map((x) => x.code).sort();
    assert.deepEqual(top, ['LL001', 'LL009', 'LL017', 'LL025', 'LL033']);
    const first = free[0];
    assert.ok(first.reasons.some((x) => x.component === 'post' && x.points === 40 && x.text.startsWith('具有“县区纪委常务副书记工作经历”')));
    assert.ok(first.reasons.every((x) => CJK.test(x.text)));
    const rel = c.items.find((x) => x.code === 'LL005');
    assert.ok(rel.avoid && rel.avoid_rules[0].rule === 'relative_in_unit');
    assert.ok(rel.reasons.some((x) => x.component === 'avoid' && x.text.includes('亲属在北岭县人民医院任职')));
    assert.ok(!c.items.some((x) => x.code === 'LL008'), 'members are not candidates');
    assert.ok((await audit('staffing.candidates', `&object_id=${sreq.id}`)).length >= 1, 'reading candidates is audited');
  });

  it('lets the commission select (选派), refusing 回避 with the fact', async () => {
    const id = await staffId('LL005');
    const bad = await post(lxs, `/api/v1/staffing-requests/${sreq.id}/answers`, { staff_id: id });
    assert.ok(expectError(bad, 409, 'avoid').message.includes('回避：亲属在北岭县人民医院任职'));
    expectError(await post(xcb, `/api/v1/staffing-requests/${sreq.id}/answers`, { staff_id: id }), 403, 'forbidden');
    const lead = await staffId('LL001');
    const ok = await post(lxs, `/api/v1/staffing-requests/${sreq.id}/answers`, { staff_id: lead }, 201);
    assert.equal(ok.data.status, 'answered');
    assert.deepEqual(ok.data.answers.map((a) => a.code), ['LL001']);
    const t = await getJson(xcb, `/api/v1/teams/${team.id}`);
    assert.equal(t.members.find((m) => m.staff_id === lead).position, 'leader');
    const again = await post(lxs, `/api/v1/staffing-requests/${sreq.id}/answers`, { staff_id: await staffId('LL009') });
    assert.match(expectError(again, 409, 'conflict').message, /已答复完毕/);
    const rows = await audit('staffing.answer', `&object_id=${sreq.id}`);
    assert.equal(rows.filter((a) => a.outcome === 'ok').length, 1);
    assert.equal(rows.filter((a) => a.outcome === 'failed').length, 2);
  });

  it('shows joint training on the team', async () => {
    const t = await getJson(xcb, `/api/v1/teams/${team.id}`);
    const lead = t.members.find((m) => m.code === 'LL001');
    assert.equal(lead.joint_training.attended, true, 'LL001 attended the demo classes');
    assert.match(lead.joint_training.latest, /“纪巡审”干部集中学习培训班（2026-10-20）/);
    const other = t.members.find((m) => m.code === 'LL008');
    assert.equal(other.joint_training.attended, false);
    const tr = await post(xcb, '/api/v1/trainings', {
      title: '巡察业务同堂培训（六届第一轮前）', date: '2027-02-20', hours: '3.5',
      lecturers: [{ name: '冷若尘', side: 'commission' }, { name: '黎明澈', side: 'audit' }],
      staff_ids: [other.staff_id],
    }, 201);
    assert.equal(tr.data.minutes, 210);
    assert.equal(tr.data.hours, '3.5');
    const t2 = await getJson(xcb, `/api/v1/teams/${team.id}`);
    assert.equal(t2.members.find((m) => m.code === 'LL008').joint_training.attended, true);
    const rec = await getJson(xcb, `/api/v1/trainings/records/${other.staff_id}`);
    assert.equal(rec.sessions.length, 1);
    assert.equal(rec.total_hours, '3.5');
    const badSide = await post(xcb, '/api/v1/trainings', { title: 'x', date: '2027-02-21', hours: 1, lecturers: [{ name: '某', side: 'police' }] });
    assert.equal(expectError(badSide, 400, 'invalid').field, 'lecturers');
    const page = await call(srv, xcb, 'GET', `/teams/${team.id}`);
    assert.ok(page.text.includes('已参加（1 次，最近：巡察业务同堂培训（六届第一轮前）（2027-02-20））'));
  });
});

describe('joint training pages', () => {
  it('records a session through the form, with its lecturers and attendees', async () => {
    const sid = await staffId('LL019');
    const none = await call(srv, xcb, 'POST', '/trainings', { form: { title: '纪巡审联合培训', date: '2027-01-10', hours: '2' } });
    assert.equal(none.status, 400);
    assert.ok(none.text.includes('请至少填写一名授课人'));
    const r = await call(srv, xcb, 'POST', '/trainings', {
      form: {
        title: '纪巡审联合培训', date: '2027-01-10', hours: '2', jurisdiction_code: 'ML',
        lecturer_name_1: '汤致远', lecturer_side_1: 'inspection', lecturer_name_2: '黎明澈', lecturer_side_2: 'audit',
        staff_id: String(sid),
      },
    });
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const page = await call(srv, xcb, 'GET', r.location.replace('?saved=1', ''));
    assert.ok(page.text.includes('汤致远（巡察）') && page.text.includes('黎明澈（审计）'));
    const rec = await call(srv, lxs, 'GET', `/trainings/records/${sid}`);
    assert.ok(rec.text.includes('纪巡审联合培训') && rec.text.includes('共 1 次，2 学时'));
    // The round page shows each member's joint training.
    const d = await getJson(xcb, '/api/v1/rounds');
    const cur = d.items.find((x) => x.title === '五届市委第三轮巡察');
    const rp = await call(srv, xcb, 'GET', `/rounds/${cur.id}`);
    assert.ok(rp.text.includes('（组长，同堂培训：已参加）'), 'members and their training on the round page');
  });
});

describe('jurisdiction scoping: a 北岭县 user sees only the county', () => {
  let countyRound;

  it('sees none of the city\'s rounds, teams or requests', async () => {
    const d = await getJson(county, '/api/v1/rounds');
    assert.equal(d.total, 0);
    for (const p of [`/api/v1/rounds/${round.id}`, `/api/v1/teams/${team.id}`, `/rounds/${round.id}`, `/teams/${team.id}`]) {
      assert.equal((await call(srv, county, 'GET', p)).status, 404, p);
    }
    assert.equal((await getJson(county, '/api/v1/teams')).total, 0);
    assert.equal((await getJson(county, '/api/v1/staffing-requests')).total, 0);
    expectError(await post(county, `/api/v1/rounds/${round.id}/units`, { unit_code: 'BL-EDU' }), 404, 'not_found');
  });

  it('creates the county\'s own rounds, with the county\'s units only', async () => {
    expectError(await post(county, '/api/v1/rounds', { term: 3, number: 1, kind: 'regular', jurisdiction_code: 'ML' }), 400, 'invalid');
    const r = await post(county, '/api/v1/rounds', { term: 3, number: 1, kind: 'mobile' }, 201);
    countyRound = r.data;
    assert.equal(countyRound.jurisdiction_code, 'ML.BL');
    assert.equal(countyRound.title, '三届县委第一轮巡察');
    const city = await post(county, `/api/v1/rounds/${countyRound.id}/units`, { unit_code: 'ML-EDU-S01' });
    assert.match(expectError(city, 400, 'invalid').message, /不在本轮巡察的辖区/);
    await post(county, `/api/v1/rounds/${countyRound.id}/units`, { unit_code: 'BL-EDU' }, 201);
    const mine = await getJson(county, '/api/v1/rounds');
    assert.deepEqual(mine.items.map((x) => x.id), [countyRound.id]);
    // The city sees the county's round too.
    const all = await getJson(xcb, '/api/v1/rounds?per_page=200');
    assert.ok(all.items.some((x) => x.id === countyRound.id));
    const list = await call(srv, county, 'GET', '/rounds');
    assert.ok(list.text.includes('三届县委第一轮巡察') && !list.text.includes('五届市委'));
  });
});
