// The public surface without a session: health check, login page and its
// assets, redirects, error pages, methods, security headers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, BACKEND, CJK, checkErrorShape } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/** /static/… URLs referenced by an HTML page (link href, script src, img src). */
function staticRefs(html) {
  const refs = new Set();
  for (const m of html.matchAll(/\b(?:href|src)\s*=\s*["']?(\/static\/[^"'\s>]+)/gi)) refs.add(m[1].replaceAll('&amp;', '&'));
  return [...refs];
}

/** Absolute or protocol-relative references that would make the browser load something from elsewhere. */
function externalRefs(text) {
  const pats = [
    /\b(?:src|href|action|formaction|poster|srcset|data)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?\s*((?:https?:)?\/\/[^"')\s]+)/gi,
    /@import\s+(?:url\()?\s*["']((?:https?:)?\/\/[^"']+)/gi,
    /\b(?:from|import|fetch)\s*\(?\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
  ];
  const out = [];
  for (const re of pats) {
    for (const m of text.matchAll(re)) {
      if (!/^(?:https?:)?\/\/(?:127\.0\.0\.1|localhost)(?:[:/]|$)/.test(m[1])) out.push(m[1]);
    }
  }
  return out;
}

const EXPECTED_TYPES = {
  '.css': /^text\/css\b/,
  '.js': /^(?:text|application)\/javascript\b/,
  '.mjs': /^(?:text|application)\/javascript\b/,
  '.svg': /^image\/svg\+xml\b/,
  '.png': /^image\/png$/,
  '.ico': /^image\/(?:x-icon|vnd\.microsoft\.icon)$/,
  '.woff2': /^font\/woff2$/,
  '.json': /^application\/json\b/,
};

function checkSecurityHeaders(res, what) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy header`);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean)
    .map((d) => { const [k, ...v] = d.split(/\s+/); return [k.toLowerCase(), v.join(' ')]; }));
  assert.match(directives['frame-ancestors'] ?? '', /'none'/, `${what}: CSP has frame-ancestors 'none' (${csp})`);
  const scriptSrc = directives['script-src'] ?? directives['default-src'];
  assert.ok(scriptSrc !== undefined, `${what}: CSP restricts scripts (script-src or default-src) (${csp})`);
  assert.doesNotMatch(scriptSrc, /'unsafe-inline'/, `${what}: script-src without 'unsafe-inline' (${csp})`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.ok(res.headers.get('referrer-policy'), `${what}: Referrer-Policy header`);
}

describe('GET /healthz', () => {
  it('answers 200 JSON without a login, naming the backend', async () => {
    const res = await srv.fetch('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    const body = await res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.db, BACKEND);
    assert.equal(typeof body.version, 'string');
    assert.ok(body.version.length > 0, 'version is not empty');
  });
});

describe('GET /login', () => {
  let html, res;
  before(async () => {
    res = await srv.fetch('/login');
    html = await res.text();
  });

  it('is a Chinese HTML page with the login form', () => {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(html, /<html[^>]*\blang="zh-CN"/);
    assert.match(html, /登录/);
    assert.match(html, /<form\b[^>]*>/i, 'has a form');
    assert.match(html, /<input\b[^>]*\bname="username"/i, 'has input name=username');
    assert.match(html, /<input\b[^>]*\bname="password"/i, 'has input name=password');
    assert.match(html, /<input\b[^>]*\btype="password"/i, 'password input is type=password');
  });

  it('loads nothing from outside the host', () => {
    assert.deepEqual(externalRefs(html), []);
  });

  it('serves every linked /static/ asset with type, ETag and 304 revalidation', async () => {
    const refs = staticRefs(html);
    assert.ok(refs.length > 0, 'the login page links at least one /static/ asset');
    for (const ref of refs) {
      const r = await srv.fetch(ref);
      const body = await r.text();
      assert.equal(r.status, 200, `${ref} status`);
      const ext = ref.replace(/[?#].*$/, '').match(/\.[a-z0-9]+$/i)?.[0]?.toLowerCase();
      const want = EXPECTED_TYPES[ext];
      assert.ok(want, `${ref}: unexpected asset type ${ext}`);
      assert.match(r.headers.get('content-type') ?? '', want, `${ref} content-type`);
      const etag = r.headers.get('etag');
      assert.ok(etag, `${ref} has an ETag`);
      if (ext === '.css' || ext === '.js' || ext === '.mjs' || ext === '.svg') {
        assert.deepEqual(externalRefs(body), [], `${ref} loads nothing from outside the host`);
      }
      const again = await srv.fetch(ref, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304, `${ref} with If-None-Match`);
      assert.equal((await again.arrayBuffer()).byteLength, 0, `${ref} 304 has no body`);
    }
  });
});

describe('security headers', () => {
  it('are on every kind of response', async () => {
    const login = await srv.fetch('/login');
    const asset = staticRefs(await login.text())[0];
    const paths = ['/healthz', '/login', '/no-such-page', '/api/v1/no-such-thing', '/'];
    if (asset) paths.push(asset);
    else assert.fail('no /static/ asset linked from /login to check');
    for (const p of paths) {
      const r = await srv.fetch(p);
      await r.arrayBuffer();
      checkSecurityHeaders(r, `GET ${p} (${r.status})`);
    }
  });
});

describe('without a session', () => {
  it('GET / redirects to /login with 303', async () => {
    const res = await srv.fetch('/');
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^(?:http:\/\/127\.0\.0\.1:\d+)?\/login(?:\?|$)/);
  });
});

describe('not found', () => {
  it('an unknown page is a Chinese 404 page', async () => {
    const res = await srv.fetch('/no-such-page');
    const html = await res.text();
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.match(html, /页面不存在/);
  });

  it('an unknown /api/v1/ path is a JSON 404', async () => {
    const res = await srv.fetch('/api/v1/no-such-thing');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    const e = checkErrorShape(await res.json(), assert);
    assert.equal(e.code, 'not_found');
    assert.equal(e.field, null);
  });
});

describe('wrong method', () => {
  for (const [method, p] of [['DELETE', '/healthz'], ['PUT', '/login'], ['POST', '/healthz']]) {
    it(`${method} ${p} → 405 with Allow`, async () => {
      const res = await srv.fetch(p, { method });
      await res.arrayBuffer();
      assert.equal(res.status, 405);
      const allow = res.headers.get('allow');
      assert.ok(allow, 'Allow header present');
      assert.match(allow, /\bGET\b/);
      assert.doesNotMatch(allow, new RegExp(`\\b${method}\\b`));
    });
  }
});
