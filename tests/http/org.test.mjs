// The organisation registries over HTTP (issue 4): pages and the JSON API
// for jurisdictions, offices, units, people, staff and sector tags on the
// demo city; jurisdiction scoping (a 北岭县 user sees only the county, in
// lists, by id, in the pages and in exports); the confidential people
// registry (who may read it, and that reads and exports are audited);
// import preview + confirm through multipart uploads (all or nothing,
// with every bad row listed); and the XLSX exports.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, freshDatabase, runCliOk, demoAccounts, BACKEND, checkErrorShape, CJK } from './lib.mjs';
import { loginOk, call, userAddOk, goodPassword, uniqueLogin } from './authlib.mjs';

let srv, db, pw;
let city, county, lxs, xfs, auditor;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000, maxBuffer: 32 << 20, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Run SQL against the test database with the backend's own client. */
function sql(text) {
  return BACKEND === 'sqlite'
    ? run('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', db.loc, text])
    : run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c', text]);
}

/** A fresh xcb account in jurisdiction jur, logged in with a changed password. */
async function userIn(jur, role = 'xcb') {
  const who = uniqueLogin('org');
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

/** Every item of a paginated list (per_page 200). */
async function all(s, p) {
  const items = [];
  for (let page = 1; ; page++) {
    const d = await getJson(s, `${p}${p.includes('?') ? '&' : '?'}per_page=200&page=${page}`);
    items.push(...d.items);
    if (items.length >= d.total || d.items.length === 0) return { items, total: d.total };
  }
}

/** POST a file to /org/import as session s (the token in the header). */
async function upload(s, kind, name, bytes, { csrf = true } = {}) {
  const fd = new FormData();
  fd.append('kind', kind);
  fd.append('file', new Blob([bytes]), name);
  const headers = { Cookie: s.cookie };
  if (csrf) headers['X-CSRF-Token'] = s.csrf;
  const res = await srv.fetch('/org/import', { method: 'POST', headers, body: fd });
  return { status: res.status, text: await res.text() };
}

async function auditRows(action) {
  const d = await getJson(auditor, `/api/v1/audit?action=${action}&per_page=200`);
  return d.items;
}

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  city = await loginOk(srv, 'xcb', pw.xcb);
  lxs = await loginOk(srv, 'lxs', pw.lxs);
  xfs = await loginOk(srv, 'xfs', pw.xfs);
  auditor = await loginOk(srv, 'auditor', pw.auditor);
  county = await userIn('ML.BL');
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

describe('registries: the demo city', () => {
  it('has 明澜市 with 北岭县 and 南渡区, about 150 units, 40 staff and 60 people', async () => {
    const j = await getJson(city, '/api/v1/jurisdictions');
    assert.deepEqual(j.items.map((x) => x.code), ['ML', 'ML.BL', 'ML.ND']);
    assert.equal(j.items[1].name, '北岭县');
    assert.equal(j.items[1].parent_code, 'ML');
    const u = await getJson(city, '/api/v1/units?per_page=1');
    assert.ok(u.total >= 140 && u.total <= 170, `units: ${u.total}`);
    assert.equal((await getJson(city, '/api/v1/staff?per_page=1')).total, 40);
    assert.equal((await getJson(lxs, '/api/v1/people?per_page=1')).total, 60);
    const tags = await getJson(city, '/api/v1/sector-tags');
    for (const t of ['教育', '卫生健康', '医保', '住建', '农业农村', '民政']) {
      assert.ok(tags.items.some((x) => x.name === t), t);
    }
  });

  it('serves every registry page in Chinese', async () => {
    const unit = (await getJson(city, '/api/v1/units?q=BL-EDU-S01')).items[0];
    const staff = (await getJson(city, '/api/v1/staff?per_page=1')).items[0];
    const person = (await getJson(city, '/api/v1/people?per_page=1')).items[0];
    const office = (await getJson(city, '/api/v1/offices?per_page=1')).items[0];
    const pages = {
      '/org/units': '被巡察单位', [`/org/units/${unit.id}`]: unit.name, '/org/units/new': '新建被巡察单位',
      [`/org/units/${unit.id}/edit`]: '编辑被巡察单位', '/org/staff': '巡察力量库',
      [`/org/staff/${staff.id}`]: '工作经历', [`/org/staff/${staff.id}/edit`]: '编辑力量库人员',
      '/org/staff/new': '新增力量库人员', '/org/people': '干部人员', [`/org/people/${person.id}`]: person.name,
      '/org/people/new': '新增干部人员', '/org/jurisdictions': '辖区', '/org/jurisdictions/ML.BL': '编辑辖区',
      '/org/offices': '部门/科室', [`/org/offices/${office.id}`]: office.name, '/org/sector-tags': '领域标签',
      '/org/import': '导入', '/': '组织机构',
    };
    for (const [p, want] of Object.entries(pages)) {
      const r = await call(srv, city, 'GET', p);
      assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
      assert.ok(r.text.includes(want), `${p} shows ${want}`);
    }
  });

  it('searches units by name, sector and jurisdiction', async () => {
    const d = await getJson(city, '/api/v1/units?q=' + encodeURIComponent('人民医院'));
    assert.ok(d.total >= 3);
    for (const u of d.items) assert.match(u.name, /人民医院/);
    const m = await getJson(city, '/api/v1/units?sector=medins&jurisdiction=ML.ND');
    assert.ok(m.total >= 1);
    for (const u of m.items) {
      assert.equal(u.jurisdiction_code, 'ML.ND');
      assert.ok(u.sectors.includes('medins'));
    }
    const html = await call(srv, city, 'GET', '/org/units?q=' + encodeURIComponent('北岭县人民医院'));
    assert.match(html.text, /北岭县人民医院/);
    assert.doesNotMatch(html.text, /南渡区人民医院/);
  });
});

describe('jurisdiction scoping: a 北岭县 user sees only the county', () => {
  it('in API lists, counts and by id', async () => {
    const mine = await all(county, '/api/v1/units');
    const bl = await getJson(city, '/api/v1/units?jurisdiction=ML.BL&per_page=1');
    assert.equal(mine.total, bl.total);
    assert.ok(mine.total > 20);
    for (const u of mine.items) assert.equal(u.jurisdiction_code, 'ML.BL');
    const nd = (await getJson(city, '/api/v1/units?jurisdiction=ML.ND&per_page=1')).items[0];
    const r = await call(srv, county, 'GET', `/api/v1/units/${nd.id}`);
    assert.equal(r.status, 404);
    checkErrorShape(r.data, assert);
    assert.equal((await call(srv, county, 'GET', `/org/units/${nd.id}`)).status, 404);
    const j = await getJson(county, '/api/v1/jurisdictions');
    assert.deepEqual(j.items.map((x) => x.code), ['ML.BL']);
    const staff = await all(county, '/api/v1/staff');
    assert.equal(staff.total, 10);
    for (const s of staff.items) assert.equal(s.jurisdiction_code, 'ML.BL');
    const people = await all(county, '/api/v1/people');
    for (const p of people.items) assert.equal(p.jurisdiction_code, 'ML.BL');
    const offices = await all(county, '/api/v1/offices');
    for (const o of offices.items) assert.equal(o.jurisdiction_code, 'ML.BL');
  });

  it('in the pages', async () => {
    const r = await call(srv, county, 'GET', '/org/units?jur=ML.ND');
    assert.equal(r.status, 200);
    assert.match(r.text, /共 0 条/);
    const list = await call(srv, county, 'GET', '/org/units');
    assert.match(list.text, /北岭县/);
    assert.doesNotMatch(list.text, /南渡区/);
  });

  it('in writes: no unit in the other county, no parent from there', async () => {
    let r = await call(srv, county, 'POST', '/api/v1/units',
      { json: { code: 'CTY-1', name: '越界单位', jurisdiction_code: 'ML.ND', level: 'county' } });
    assert.equal(r.status, 400);
    assert.equal(checkErrorShape(r.data, assert).field, 'jurisdiction_code');
    r = await call(srv, county, 'POST', '/api/v1/units',
      { json: { code: 'CTY-2', name: '借上级', jurisdiction_code: 'ML.BL', level: 'county', parent_code: 'ND-EDU' } });
    assert.equal(r.status, 400);
    assert.equal(r.data.error.field, 'parent_code');
    const nd = (await getJson(city, '/api/v1/units?jurisdiction=ML.ND&per_page=1')).items[0];
    r = await call(srv, county, 'PUT', `/api/v1/units/${nd.id}`, { json: { name: '改名' } });
    assert.equal(r.status, 404);
  });

  it('in exports', async () => {
    const res = await srv.fetch('/org/export/units.xlsx', { headers: { Cookie: county.cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    const file = path.join(db.dir, 'county-units.xlsx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const strings = (await run('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'])).toString('utf8') +
      (await run('unzip', ['-l', file])).toString('utf8');
    assert.match(strings, /北岭县第一中学/);
    assert.doesNotMatch(strings, /南渡区/);
    assert.match(strings, /单位编码/);
  });
});

describe('units: create and edit with the tree rules', () => {
  it('creates through the form and refuses a loop with a Chinese error', async () => {
    let r = await call(srv, city, 'POST', '/org/units', {
      form: { code: 'HT-A', name: '测试甲单位', jurisdiction_code: 'ML.BL', level: 'county', sector: 'edu' },
    });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const a = Number(/\/org\/units\/(\d+)$/.exec(r.location)[1]);
    r = await call(srv, city, 'POST', '/org/units', {
      form: { code: 'HT-B', name: '测试乙单位', jurisdiction_code: 'ML.BL', level: 'township', parent_code: 'HT-A' },
    });
    assert.equal(r.status, 303);
    r = await call(srv, city, 'POST', `/org/units/${a}`, {
      form: { code: 'HT-A', name: '测试甲单位', jurisdiction_code: 'ML.BL', level: 'county', parent_code: 'HT-B' },
    });
    assert.equal(r.status, 400);
    assert.match(r.text, /循环/);
    assert.match(r.text, /value="HT-B"/, 'the form keeps what was typed');
    const u = await getJson(city, `/api/v1/units/${a}`);
    assert.equal(u.parent, null, 'the refused edit changed nothing');
    assert.deepEqual(u.sectors, ['edu']);
  });

  it('updates through the API with the fields given', async () => {
    let r = await call(srv, city, 'POST', '/api/v1/units', {
      json: { code: 'HT-C', name: '测试丙单位', jurisdiction_code: 'ML.ND', level: '县区级', sectors: ['教育', 'health'], office_code: 'ML.ND.PZ1' },
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.data.sectors.sort(), ['edu', 'health']);
    assert.equal(r.data.office.code, 'ML.ND.PZ1');
    r = await call(srv, city, 'PUT', `/api/v1/units/${r.data.id}`, { json: { name: '测试丙单位（改）', sectors: [] } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.name, '测试丙单位（改）');
    assert.deepEqual(r.data.sectors, []);
    assert.equal(r.data.office.code, 'ML.ND.PZ1', 'fields not named keep their values');
    r = await call(srv, city, 'POST', '/api/v1/units', { json: { code: 'HT-C', name: 'x', jurisdiction_code: 'ML', level: 'city' } });
    assert.equal(r.status, 409);
    assert.match(checkErrorShape(r.data, assert).message, /已存在/);
    r = await call(srv, city, 'POST', '/api/v1/units', { json: { code: 'HT-D', name: 'x', jurisdiction_code: 'ML', level: 'city', office_code: 'ML.AGS' } });
    assert.equal(r.status, 400);
    assert.equal(r.data.error.field, 'office_code');
  });

  it('lets only the 巡察办 edit', async () => {
    const r = await call(srv, lxs, 'POST', '/api/v1/units', { json: { code: 'HT-E', name: 'x', jurisdiction_code: 'ML', level: 'city' } });
    assert.equal(r.status, 403);
  });
});

describe('offices, tags and the staff pool', () => {
  it('creates an office whose code starts with its jurisdiction', async () => {
    let r = await call(srv, city, 'POST', '/api/v1/offices', { json: { code: 'ML.BL.PZ9', jurisdiction_code: 'ML.BL', name: '北岭县纪委监委派驻测试组', kind: 'stationed' } });
    assert.equal(r.status, 201, r.text);
    r = await call(srv, city, 'POST', '/api/v1/offices', { json: { code: 'ML.PZ9', jurisdiction_code: 'ML.BL', name: '错码', kind: 'stationed' } });
    assert.equal(r.status, 400);
    assert.equal(r.data.error.field, 'code');
  });

  it('edits the sector tags and refuses to delete one in use', async () => {
    let r = await call(srv, city, 'POST', '/org/sector-tags', { form: { code: 'meal', name: '校园餐', sort_order: '200' } });
    assert.equal(r.status, 303);
    r = await call(srv, city, 'POST', '/org/sector-tags/edu/delete', { form: {} });
    assert.equal(r.status, 409);
    assert.match(r.text, /不能删除/);
    r = await call(srv, city, 'DELETE', '/api/v1/sector-tags/meal');
    assert.equal(r.status, 204);
  });

  it('keeps posts, expertise, ties and availability', async () => {
    let r = await call(srv, city, 'POST', '/api/v1/staff', {
      json: {
        code: 'HT-S1', name: '测试组员', jurisdiction_code: 'ML', office_code: 'ML.JJ1', expertise: ['财务', '工程'],
        posts: [{ title: '县区纪委常务副书记', org_name: '北岭县纪委监委', from_date: '2018-01-01', to_date: '2021-06-30' }],
        ties: [{ unit_code: 'BL-EDU-S01', kind: 'relative', note: '配偶在该校任教' }],
        availability: [{ from_date: '2027-01-01', to_date: '2027-06-30' }],
      },
    });
    assert.equal(r.status, 201, r.text);
    const id = r.data.id;
    assert.deepEqual(r.data.expertise.sort(), ['工程', '财务'].sort());
    assert.equal(r.data.posts[0].title, '县区纪委常务副书记');
    assert.equal(r.data.ties[0].unit.code, 'BL-EDU-S01');
    assert.equal(r.data.availability[0].to_date, '2027-06-30');
    const found = await getJson(city, '/api/v1/staff?past_post=' + encodeURIComponent('县区纪委常务副书记'));
    assert.ok(found.items.some((s) => s.id === id));
    // Ties describe relatives: only people readers see them.
    const seen = await getJson(xfs, `/api/v1/staff/${id}`);
    assert.equal(seen.ties, undefined);
    // Bad sub-records refuse the whole request.
    r = await call(srv, city, 'PUT', `/api/v1/staff/${id}`, { json: { name: '改名', availability: [{ from_date: '2027-05-01', to_date: '2027-01-01' }] } });
    assert.equal(r.status, 400);
    assert.equal((await getJson(city, `/api/v1/staff/${id}`)).name, '测试组员');
    // The HTML sub-forms.
    r = await call(srv, city, 'POST', `/org/staff/${id}/availability`, { form: { from_date: '2027-09-01', to_date: '2027-12-31' } });
    assert.equal(r.status, 303);
    const page = await call(srv, city, 'GET', `/org/staff/${id}`);
    assert.match(page.text, /2027-12-31/);
    assert.match(page.text, /配偶在该校任教/);
  });
});

describe('people: confidential', () => {
  it('only people readers see them; reads and exports are audited', async () => {
    assert.equal((await call(srv, xfs, 'GET', '/api/v1/people')).status, 403);
    assert.equal((await call(srv, xfs, 'GET', '/org/people')).status, 403);
    const p = (await getJson(lxs, '/api/v1/people?per_page=1')).items[0];
    const r = await call(srv, lxs, 'GET', `/api/v1/people/${p.id}`);
    assert.equal(r.status, 200);
    assert.equal(typeof r.data.party_member, 'boolean');
    const page = await call(srv, lxs, 'GET', `/org/people/${p.id}`);
    assert.equal(page.status, 200);
    const reads = await auditRows('person.read');
    assert.ok(reads.filter((x) => x.object_id === p.id && x.login === 'lxs').length >= 2, 'both reads audited');
    for (const x of reads) assert.ok(!x.summary.includes(p.name), 'the summary does not name the person');
    const ex = await srv.fetch('/org/export/people.xlsx', { headers: { Cookie: lxs.cookie } });
    assert.equal(ex.status, 200);
    await ex.arrayBuffer();
    assert.ok((await auditRows('person.export')).some((x) => x.login === 'lxs'));
  });

  it('the 巡察办 creates a person; the unit must exist', async () => {
    let r = await call(srv, city, 'POST', '/api/v1/people', { json: { code: 'HT-P1', name: '测试干部', unit_code: 'BL-EDU', party_member: true } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.unit.code, 'BL-EDU');
    r = await call(srv, city, 'POST', '/api/v1/people', { json: { code: 'HT-P2', name: '测试干部', unit_code: 'NO-UNIT' } });
    assert.equal(r.status, 400);
    assert.equal(r.data.error.field, 'unit_code');
  });
});

describe('import: preview, then all or nothing', () => {
  const header = '单位编码,单位名称,所属辖区编码,上级单位编码,层级,领域标签,派驻组编码\r\n';

  it('lists every bad row and imports nothing', async () => {
    const csv = header +
      'HI-1,导入测试一,ML.BL,,县区级,教育,\r\n' +
      'HI-1,导入测试重复,ML.BL,,县区级,,\r\n' +
      'HI-3,导入测试三,ML.QQ,,县区级,,\r\n' +
      'HI-4,导入测试四,ML.BL,NOPE,县区级,不存在的标签,\r\n';
    const r = await upload(city, 'unit', 'bad.csv', Buffer.from(csv));
    assert.equal(r.status, 422, r.text.slice(0, 500));
    assert.match(r.text, /未导入任何数据/);
    assert.match(r.text, /<th>行号<\/th><th>列<\/th><th>原因<\/th>/);
    assert.match(r.text, /<td>3<\/td><td>单位编码<\/td><td>与第 2 行/);
    assert.match(r.text, /<td>4<\/td><td>所属辖区编码<\/td><td>辖区编码“ML.QQ”不存在/);
    assert.match(r.text, /<td>5<\/td><td>上级单位编码<\/td>/);
    assert.match(r.text, /<td>5<\/td><td>领域标签<\/td>/);
    assert.equal((await getJson(city, '/api/v1/units?q=HI-1')).total, 0);
  });

  it('refuses a file in neither UTF-8 nor GBK, naming the encodings', async () => {
    const r = await upload(city, 'unit', 'x.csv', Buffer.concat([Buffer.from(header), Buffer.from([0xff, 0xfe, 0x2c, 0xff, 0x0a])]));
    assert.equal(r.status, 422);
    assert.match(r.text, /UTF-8/);
    assert.match(r.text, /GB18030/);
  });

  it('previews a clean GBK file, then imports it on confirmation', async () => {
    const csv = header +
      'HI-10,导入测试学区,ML.BL,BL-EDU,县区级,教育,ML.BL.PZ1\r\n' +
      'HI-11,导入测试小学,ML.BL,HI-10,乡镇（街道）级,教育,\r\n';
    const { TextEncoder } = globalThis;
    assert.ok(TextEncoder);
    const gbk = await run('iconv', ['-f', 'UTF-8', '-t', 'GBK', writeTemp('gbk.csv', csv)]);
    let r = await upload(city, 'unit', '单位.csv', gbk);
    assert.equal(r.status, 200, r.text.slice(0, 600));
    assert.match(r.text, /GB18030（GBK）/);
    assert.match(r.text, /检查通过：2 行/);
    assert.equal((await getJson(city, '/api/v1/units?q=HI-10')).total, 0, 'the preview wrote nothing');
    const id = /\/org\/import\/(\d+)\/confirm/.exec(r.text)[1];
    // Another user cannot confirm it.
    const other = await userIn('ML');
    assert.equal((await call(srv, other, 'POST', `/org/import/${id}/confirm`, { form: {} })).status, 404);
    r = await call(srv, city, 'POST', `/org/import/${id}/confirm`, { form: {} });
    assert.equal(r.status, 200, r.text.slice(0, 600));
    assert.match(r.text, /已导入 2 行/);
    const u = (await getJson(city, '/api/v1/units?q=HI-11')).items[0];
    assert.equal(u.parent.code, 'HI-10');
    assert.equal(u.level, 'township');
    // Once only.
    r = await call(srv, city, 'POST', `/org/import/${id}/confirm`, { form: {} });
    assert.equal(r.status, 409);
    assert.ok((await auditRows('org.import')).some((x) => x.object_id === Number(id) && x.outcome === 'ok'));
  });

  it('needs the CSRF token on the upload', async () => {
    const r = await upload(city, 'unit', 'x.csv', Buffer.from(header), { csrf: false });
    assert.equal(r.status, 403);
  });

  // The page's form (no JavaScript) sends the token as a multipart field.
  it('accepts the token as a multipart field, as the form sends it', async () => {
    const fd = new FormData();
    fd.append('csrf', city.csrf);
    fd.append('kind', 'unit');
    fd.append('file', new Blob([Buffer.from(header + 'HI-90,表单上传,ML.BL,,县区级,,\r\n')]), 'form.csv');
    const res = await srv.fetch('/org/import', { method: 'POST', headers: { Cookie: city.cookie }, body: fd });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    assert.match(text, /检查通过/);
  });

  it('round-trips an export: the exported staff sheet re-imports as duplicates', async () => {
    const res = await srv.fetch('/org/export/staff.xlsx?jur=ML.ND', { headers: { Cookie: city.cookie } });
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    const r = await upload(city, 'staff', 'staff.xlsx', bytes);
    assert.equal(r.status, 422, r.text.replace(/[\s\S]*<main>/, '').slice(0, 400));
    assert.match(r.text, /Excel（XLSX）/);
    assert.match(r.text, /在系统中已存在/);
    assert.match(r.text, /数据行数<\/dt><dd>10</);
  });

  it('serves an empty template per kind', async () => {
    const res = await srv.fetch('/org/import/template/unit', { headers: { Cookie: city.cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition'), /attachment/);
    await res.arrayBuffer();
    assert.equal((await call(srv, city, 'GET', '/org/import/template/nope')).status, 404);
  });
});

function writeTemp(name, text) {
  const f = path.join(db.dir, name);
  writeFileSync(f, text);
  return f;
}

describe('errors are Chinese', () => {
  it('for a bad JSON field and a bad page', async () => {
    const r = await call(srv, city, 'GET', '/api/v1/units?per_page=0');
    assert.equal(r.status, 400);
    assert.match(checkErrorShape(r.data, assert).message, CJK);
    const p = await call(srv, city, 'POST', '/api/v1/units', { json: { code: 5 } });
    assert.equal(p.status, 400);
    assert.equal(p.data.error.field, 'code');
  });
});

describe('import: large files are checked in chunks, with progress', () => {
  const header = '单位编码,单位名称,所属辖区编码,上级单位编码,层级\r\n';
  const ROWS = 2500;
  const CHUNK = 500;
  let sec;

  /** A unit CSV of ROWS rows with codes prefix-N; bad(i) may spoil row i. */
  function bigCsv(prefix, bad = () => null) {
    const lines = [header];
    for (let i = 0; i < ROWS; i++) lines.push(bad(i) ?? `${prefix}-${i},分批导入${prefix}${i},ML.ND,,村级\r\n`);
    return Buffer.from(lines.join(''));
  }

  async function setChunk(n) {
    const r = await call(srv, sec, 'POST', '/api/v1/settings', { json: { 'org.import_chunk_rows': n } });
    assert.equal(r.status, 200, r.text);
  }

  const refreshRe = /<meta http-equiv="refresh" content="1;url=(\/org\/import\/\d+)">/;
  const progressRe = /已检查 (\d+) \/ (\d+) 行（(\d+)%）/;

  /** Follow the page's meta refresh until checking is complete; the last page. */
  async function followRefreshes(first) {
    let r = first;
    let seen = 0;
    for (let step = 0; step < 3 * ROWS / CHUNK; step++) {
      const m = refreshRe.exec(r.text);
      if (!m) return r;
      assert.equal(r.status, 200, r.text.slice(0, 300));
      const p = progressRe.exec(r.text);
      assert.ok(p, 'the progress line');
      assert.equal(Number(p[2]), ROWS);
      assert.ok(Number(p[1]) > seen && Number(p[1]) < ROWS, `progress moves on: ${p[1]}`);
      assert.equal(Number(p[3]), Math.floor(Number(p[1]) * 100 / ROWS));
      seen = Number(p[1]);
      r = await call(srv, city, 'GET', m[1]);
    }
    assert.fail('checking never completed');
  }

  async function unitTotal(q) {
    return (await getJson(city, `/api/v1/units?q=${encodeURIComponent(q)}&per_page=1`)).total;
  }

  before(async () => {
    sec = await loginOk(srv, 'secadmin', pw.secadmin);
    await setChunk(CHUNK);
  });
  after(async () => {
    await setChunk(2000);
  });

  it('shows progress, refreshing itself, then imports every row on confirmation', async () => {
    const first = await upload(city, 'unit', 'big.csv', bigCsv('BK'));
    assert.equal(first.status, 200, first.text.slice(0, 500));
    const p = progressRe.exec(first.text);
    assert.ok(p, first.text.replace(/[\s\S]*<main>/, '').slice(0, 500));
    assert.equal(Number(p[1]), CHUNK);
    assert.equal(Number(p[2]), ROWS);
    assert.match(first.text, refreshRe);
    assert.doesNotMatch(first.text, /确认导入/);
    const id = /\/org\/import\/(\d+)"/.exec(first.text)[1];
    // Confirming before checking is complete is refused.
    assert.equal((await call(srv, city, 'POST', `/org/import/${id}/confirm`, { form: {} })).status, 409);
    const last = await followRefreshes(first);
    assert.equal(last.status, 200, last.text.slice(0, 500));
    assert.match(last.text, new RegExp(`检查通过：${ROWS} 行`));
    assert.doesNotMatch(last.text, refreshRe);
    assert.match(last.text, new RegExp(`/org/import/${id}/confirm`));
    assert.equal(await unitTotal('分批导入BK'), 0, 'checking wrote nothing');
    const r = await call(srv, city, 'POST', `/org/import/${id}/confirm`, { form: {} });
    assert.equal(r.status, 200, r.text.slice(0, 500));
    assert.match(r.text, new RegExp(`已导入 ${ROWS} 行`));
    assert.equal(await unitTotal('分批导入BK'), ROWS);
    assert.ok((await auditRows('org.import_check')).some((x) => x.object_id === Number(id) && x.outcome === 'ok'));
  });

  it('a bad row in the last chunk: the file ends invalid, lists that row and imports nothing', async () => {
    const csv = bigCsv('BX', (i) => (i === ROWS - 1 ? `BX-${i},末行有误,ML.QQ,,村级\r\n` : null));
    const first = await upload(city, 'unit', 'bad-big.csv', csv);
    assert.equal(first.status, 200, first.text.slice(0, 500));
    assert.match(first.text, refreshRe);
    const id = /\/org\/import\/(\d+)"/.exec(first.text)[1];
    const last = await followRefreshes(first);
    assert.equal(last.status, 422, last.text.slice(0, 500));
    assert.match(last.text, /未导入任何数据/);
    assert.match(last.text, new RegExp(`<td>${ROWS + 1}</td><td>所属辖区编码</td><td>辖区编码“ML.QQ”不存在`));
    assert.match(last.text, /（涉及 1 行）/);
    // Showing it again is the same list (checking is not repeated).
    const again = await call(srv, city, 'GET', `/org/import/${id}`);
    assert.equal(again.status, 422);
    assert.equal((again.text.match(/ML\.QQ/g) || []).length, 1);
    const r = await call(srv, city, 'POST', `/org/import/${id}/confirm`, { form: {} });
    assert.equal(r.status, 422, r.text.slice(0, 500));
    assert.equal(await unitTotal('分批导入BX'), 0);
  });

  it('the JSON API: create → poll → confirm, with a bearer token and with a cookie session', async () => {
    const out = (await runCliOk(['token', 'create', '--db', db.loc, '--user', 'xcb', '--name', '导入接口'])).stdout;
    const token = /\bjx_[0-9a-f]{64}\b/.exec(out)?.[0];
    assert.ok(token, out);
    const bearer = { Authorization: `Bearer ${token}` };
    const create = async (headers, csv, kind = 'unit') => {
      const fd = new FormData();
      fd.append('kind', kind);
      fd.append('file', new Blob([csv]), 'api.csv');
      const res = await srv.fetch('/api/v1/imports', { method: 'POST', headers, body: fd });
      const text = await res.text();
      // The router refuses a missing CSRF token before the handler, in
      // the route's (HTML) mode; every answer of the handler is JSON.
      if (res.status === 403) return { status: res.status, data: null };
      assert.match(res.headers.get('content-type') || '', /^application\/json/, text.slice(0, 300));
      return { status: res.status, data: JSON.parse(text) };
    };
    let c = await create(bearer, bigCsv('BA'));
    assert.equal(c.status, 202, JSON.stringify(c.data));
    assert.equal(c.data.status, 'checking');
    assert.equal(c.data.rows_total, ROWS);
    assert.equal(c.data.rows_checked, CHUNK);
    assert.deepEqual(c.data.errors, []);
    const id = c.data.id;
    assert.ok(Number.isInteger(id));
    const early = await call(srv, null, 'POST', `/api/v1/imports/${id}/confirm`, { json: {}, headers: bearer });
    assert.equal(early.status, 409, early.text);
    checkErrorShape(early.data, assert);
    let s = c.data;
    for (let i = 0; i < 10 && s.status === 'checking'; i++) {
      const r = await call(srv, null, 'GET', `/api/v1/imports/${id}`, { headers: bearer });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.data.rows_checked > s.rows_checked);
      s = r.data;
    }
    assert.equal(s.status, 'ready');
    assert.equal(s.rows_checked, ROWS);
    assert.equal(await unitTotal('分批导入BA'), 0);
    let r = await call(srv, null, 'POST', `/api/v1/imports/${id}/confirm`, { json: {}, headers: bearer });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.imported, ROWS);
    assert.equal(r.data.status, 'imported');
    assert.equal(await unitTotal('分批导入BA'), ROWS);
    r = await call(srv, null, 'POST', `/api/v1/imports/${id}/confirm`, { json: {}, headers: bearer });
    assert.equal(r.status, 409, 'once only');

    // A cookie session needs the CSRF header; a small file is ready at once.
    const small = Buffer.from(header + 'BC-1,接口导入一,ML.BL,,县区级\r\n');
    c = await create({ Cookie: city.cookie }, small);
    assert.equal(c.status, 403);
    c = await create({ Cookie: city.cookie, 'X-CSRF-Token': city.csrf }, small);
    assert.equal(c.status, 202, JSON.stringify(c.data));
    assert.equal(c.data.status, 'ready');
    assert.equal(c.data.rows_checked, 1);
    // Only the uploader sees it.
    assert.equal((await call(srv, county, 'GET', `/api/v1/imports/${c.data.id}`)).status, 404);
    r = await call(srv, city, 'POST', `/api/v1/imports/${c.data.id}/confirm`, { json: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.imported, 1);

    // A small file with problems is answered at once and not kept.
    c = await create(bearer, Buffer.from(header + 'BC-2,接口导入二,ML.QQ,,县区级\r\n'));
    assert.equal(c.status, 422);
    checkErrorShape(c.data, assert);
    assert.equal(c.data.status, 'invalid');
    assert.equal(c.data.id, null);
    assert.deepEqual(c.data.errors[0], { row: 2, column: '所属辖区编码', reason: '辖区编码“ML.QQ”不存在' });

    // A large one with a bad last row ends invalid and cannot be confirmed.
    c = await create(bearer, bigCsv('BY', (i) => (i === ROWS - 1 ? `BY-0,末行重复,ML.ND,,村级\r\n` : null)));
    assert.equal(c.status, 202);
    s = c.data;
    for (let i = 0; i < 10 && s.status === 'checking'; i++) {
      s = (await call(srv, null, 'GET', `/api/v1/imports/${c.data.id}`, { headers: bearer })).data;
    }
    assert.equal(s.status, 'invalid');
    assert.equal(s.bad_rows, 1);
    assert.equal(s.errors.length, 1);
    assert.equal(s.errors[0].row, ROWS + 1);
    assert.equal(s.errors[0].column, '单位编码');
    r = await call(srv, null, 'POST', `/api/v1/imports/${c.data.id}/confirm`, { json: {}, headers: bearer });
    assert.equal(r.status, 422, r.text.slice(0, 300));
    assert.equal(r.data.errors[0].row, ROWS + 1);
    assert.equal(await unitTotal('分批导入BY'), 0);
    const audits = await auditRows('org.import');
    assert.ok(audits.some((x) => x.object_id === id && x.outcome === 'ok'));
  });

  it('needs P_ORG_EDIT: 403 for the upload, the progress and the confirmation', async () => {
    const fd = new FormData();
    fd.append('kind', 'unit');
    fd.append('file', new Blob([Buffer.from(header + 'BD-1,无权导入,ML.BL,,县区级\r\n')]), 'x.csv');
    const res = await srv.fetch('/api/v1/imports', { method: 'POST', headers: { Cookie: auditor.cookie, 'X-CSRF-Token': auditor.csrf }, body: fd });
    assert.equal(res.status, 403);
    checkErrorShape(await res.json(), assert); // refusals before the handler are JSON too
    const anon = await srv.fetch('/api/v1/imports', { method: 'POST', body: fd });
    assert.equal(anon.status, 401);
    checkErrorShape(await anon.json(), assert);
    assert.equal((await call(srv, auditor, 'GET', '/api/v1/imports/1')).status, 403);
    assert.equal((await call(srv, auditor, 'POST', '/api/v1/imports/1/confirm', { json: {} })).status, 403);
    assert.equal((await call(srv, auditor, 'GET', '/org/import/1')).status, 403);
    assert.equal(await unitTotal('无权导入'), 0);
  });
});
