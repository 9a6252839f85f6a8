/* app.js: small niceties only; every page works without it.
   Written as ES5 so older Chromium-based browsers run it. */
(function () {
  'use strict';
  // Ask before ending a session or logging out from a form marked so.
  document.addEventListener('submit', function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
  // Prevent double submission of the same form.
  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    if (ev.defaultPrevented || !f.querySelector) return;
    var b = f.querySelector('button[type=submit]');
    if (b) {
      window.setTimeout(function () { b.disabled = true; }, 0);
    }
  });
}());
