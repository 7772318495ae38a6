// Every script error and console.error of this page, listed in a callout above the report: a reader sees that
// charts may be missing, and the tests' headless browser (BrowserCheck), whose log cannot tell a console.error
// from a console.log, finds them in the page. First of the scripts, so that it also hears about echarts.min.js.
(() => {
  const errors = [];
  const show = () => {
    if (!document.body || !errors.length) return;
    let box = document.getElementById('script-errors');
    if (!box) {
      box = document.createElement('div');
      box.id = 'script-errors';
      box.className = 'callout';
      document.body.prepend(box);
    }
    const list = document.createElement('ul');
    errors.forEach(e => list.append(Object.assign(document.createElement('li'),
      { className: 'script-error', textContent: e })));
    box.replaceChildren('This page\'s script failed, so some charts or tables may be missing (the JSON beside it has ' +
      'every figure):', list);
  };
  const record = text => { errors.push(text); show(); };
  const consoleError = console.error;
  console.error = (...args) => {
    record(args.map(String).join(' '));
    consoleError.apply(console, args);
  };
  // capturing: a script that fails to load reports on its element, and its event does not bubble
  window.addEventListener('error', e => record(e instanceof ErrorEvent
    ? `${e.message} (${e.filename || 'this page'}:${e.lineno})` : `could not load ${e.target.src || e.target.tagName}`), true);
  window.addEventListener('unhandledrejection', e => record(`unhandled rejection: ${e.reason}`));
  document.addEventListener('DOMContentLoaded', show);
})();
