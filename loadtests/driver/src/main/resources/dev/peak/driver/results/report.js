// Builds the report from the one JSON object ReportWriter embeds: every chart, then a table of the same numbers.
'use strict';

const DATA = JSON.parse(document.getElementById('results-data').textContent);
const R = DATA.results;
const MANIFEST = R.manifest || {};
const PLAN = MANIFEST.plan || {};
const ROOT = document.getElementById('report');
const CHARTS = [];

const COLORS = {
  'ri1-direct': '#7f7f7f', 'ri1-peak': '#1f6fb4', 'ri1-haproxy': '#d62728', 'ri1-nginx': '#2ca02c',
  'ri2-peak': '#8c4fc4', 'ri2-mesh': '#ff7f0e'
};
const EXTRA_COLORS = ['#17becf', '#bcbd22', '#e377c2', '#8c564b'];
const VERDICT_STYLE = {
  'pass': { symbol: 'circle', color: null, text: '' },
  'errors': { symbol: 'diamond', color: '#d62728', text: 'errors' },
  'latency': { symbol: 'triangle', color: '#d62728', text: 'p99 > SLO' },
  'generator-bound': { symbol: 'rect', color: '#e08a00', text: 'generator-bound' }
};
const NO_DATA = 'no data in this profile';
const STAIR_COLORS = ['#1f6fb4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a'];

// ---- small helpers -----------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  });
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

function label(variant) { return DATA.labels[variant] || variant; }

function color(variant) {
  if (COLORS[variant]) return COLORS[variant];
  const i = variants().indexOf(variant);
  return EXTRA_COLORS[i % EXTRA_COLORS.length];
}

function num(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (digits !== undefined) return Number(x).toFixed(digits);
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toString();
  return Number(x.toPrecision(3)).toString();
}

function pct(x) { return x === null || x === undefined ? '—' : (100 * x).toFixed(1) + ' %'; }

function recoveryText(s) { return s < 0 ? 'not recovered' : num(s) + ' s'; }

/** Variants in the report's order: known ones first, then any other the runs name. */
function variants() {
  const seen = new Set(R.runs.map(r => r.variant).concat(R.faults.map(f => f.variant)));
  const known = DATA.order.filter(v => seen.has(v));
  return known.concat([...seen].filter(v => !DATA.order.includes(v)).sort());
}

function runsOf(variant, servers) {
  return R.runs.filter(r => r.variant === variant && (servers === undefined || r.servers === servers));
}

function serverCounts(variant) {
  return [...new Set(runsOf(variant).map(r => r.servers))].sort((a, b) => a - b);
}

function highestPassing(run) {
  const passing = run.steps.filter(s => s.passed);
  return passing.length ? passing.reduce((a, b) => (b.rate > a.rate ? b : a)) : null;
}

function maxRate(run) { const s = highestPassing(run); return s ? s.rate : 0; }

function median(values) {
  const v = values.slice().sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** The repeat whose max throughput is the median one (the lower middle for an even count). */
function medianRun(variant, servers) {
  const runs = runsOf(variant, servers).slice().sort((a, b) => (a.maxSustainableRps || 0) - (b.maxSustainableRps || 0));
  return runs.length ? runs[Math.floor((runs.length - 1) / 2)] : null;
}

function generatorBoundAt(variant, servers) {
  const s = R.summary[variant];
  return !!s && (s.limitByServers[String(servers)] || '').includes('generator-bound');
}

function section(title, id) {
  const s = el('section', { id: id });
  s.append(el('h2', {}, title));
  ROOT.append(s);
  return s;
}

function table(parent, headers, rows, rowClass) {
  const t = el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { class: i === 0 ? 'text' : null }, h)))),
    el('tbody', {}, rows.map((row, r) => el('tr', { class: rowClass ? rowClass(r) : null },
      row.map((c, i) => el('td', { class: i === 0 || isText(c) ? 'text' : null }, c === null ? '—' : c))))));
  parent.append(t);
  return t;
}

/** Words and links align left, numbers (also "≥ 1500", "747–748", "0.1 %", "3 s") right. */
function isText(c) {
  return c instanceof Node || (typeof c === 'string' && !/^[≥\d.,\s–—%s-]*$/.test(c));
}

function caption(parent, text) { parent.append(el('p', { class: 'caption' }, text)); }

function baseOption(title, subtitle) {
  return {
    animation: false,
    title: { text: title, subtext: subtitle || '', left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
    legend: { top: subtitle ? 44 : 28, type: 'plain', itemGap: 8, textStyle: { fontSize: 11 } },
    grid: { left: 72, right: 64, bottom: 52 },
    tooltip: { trigger: 'item' }
  };
}

function axis(name, extra) {
  return Object.assign({ name: name, nameLocation: 'middle', nameGap: 32, nameTextStyle: { fontWeight: 'bold' } }, extra || {});
}

function variantAxis(names) {
  return axis('variant', { type: 'category', data: names, nameGap: 42,
    axisLabel: { interval: 0, fontSize: 10, formatter: v => v.replace(' (', '\n(') } });
}

function serversAxis() {
  return axis('servers', { type: 'value', minInterval: 1, min: v => Math.max(0, v.min - 0.3), max: v => v.max + 0.3,
    axisLabel: { formatter: v => (Number.isInteger(v) ? v : '') } });
}

function yAxis(name, extra) { return axis(name, Object.assign({ type: 'value', nameGap: 48 }, extra || {})); }

/** A chart in a new box of {@code parent}; with no series, the box says so instead of drawing empty axes. */
function chart(parent, option, cls) {
  const box = el('div', { class: 'chart ' + (cls || '') });
  parent.append(box);
  const hasData = (option.series || []).some(s => (s.data || []).length > 0);
  if (!hasData) {
    box.classList.add('nodata');
    box.append(el('strong', {}, option.title.text), el('span', {}, NO_DATA));
    return null;
  }
  // the legend wraps: leave it as many rows as its names need above the plot
  const names = [...new Set(option.series.map(s => s.name))];
  const width = names.reduce((w, n) => w + 34 + 6.2 * String(n).length, 0);
  const rows = option.legend.show === false ? 0 : Math.ceil(width / Math.max(200, box.clientWidth - 40));
  option.grid.top = option.legend.top + 22 * rows + 18;
  const c = echarts.init(box, null, { renderer: 'canvas' });
  c.setOption(option);
  CHARTS.push(c);
  return c;
}

window.addEventListener('resize', () => CHARTS.forEach(c => c.resize()));

// ---- header, answers ---------------------------------------------------------------------------------------

function header() {
  ROOT.append(el('h1', {}, 'PEAK reference suite — results'));
  ROOT.append(el('p', { class: 'meta' },
    `Profile ${MANIFEST.profile || '—'} · ${MANIFEST.startedAt || '?'} → ${MANIFEST.finishedAt || '?'} · commit `,
    el('code', {}, MANIFEST.gitCommit || 'unknown'),
    ` · CPU budgets ${Object.entries(MANIFEST.cpuBudgets || {}).map(([k, v]) => k + ' ' + v).join(', ') || '—'}`,
    ` (${MANIFEST.cpuEnforcement || 'enforcement unknown'})`));
  const bound = [];
  R.runs.forEach(r => r.steps.filter(s => s.verdict === 'generator-bound')
    .forEach(s => bound.push(`${label(r.variant)} n=${r.servers} r${r.repeat} at ${num(s.rate)}/s`)));
  if (bound.length) {
    ROOT.append(el('p', { class: 'callout' }, el('strong', {}, `${bound.length} generator-bound step(s): `),
      'the load generator, not the system, was the limit at ', bound.join('; '),
      '. These are marked in every chart and table (orange squares, "≥" maxima) and never counted as the system ' +
      'failing: the maxima they end are lower bounds.'));
  }
  const s = section('Answers to the research questions', 'answers');
  s.classList.add('answers');
  DATA.answers.forEach(a => s.append(el('p', {}, a)));
}

// ---- 1, 2: throughput and p99 vs servers -------------------------------------------------------------------

function throughputSeries(vs, value) {
  const series = [];
  vs.forEach(v => {
    const ns = serverCounts(v);
    series.push({
      name: label(v), type: 'line', color: color(v), symbolSize: 9,
      data: ns.map(n => {
        const bound = generatorBoundAt(v, n);
        return {
          value: [n, median(runsOf(v, n).map(value))],
          symbol: bound ? 'triangle' : 'circle', symbolSize: bound ? 14 : 9,
          label: { show: bound, formatter: '≥', position: 'top', fontWeight: 'bold', color: '#e08a00' }
        };
      })
    });
    // each repeat as a faint dot: the spread behind the median
    const repeats = runsOf(v);
    if (repeats.some(r => runsOf(v, r.servers).length > 1)) {
      series.push({
        name: label(v), type: 'scatter', color: color(v), symbolSize: 6, itemStyle: { opacity: 0.45 },
        data: repeats.map(r => [r.servers, value(r)])
      });
    }
  });
  return series;
}

function throughput() {
  const s = section('Throughput and latency vs servers', 'throughput');
  const row = el('div', { class: 'grid2' });
  s.append(row);
  const ri1 = variants().filter(v => !v.startsWith('ri2-'));
  const ri2 = variants().filter(v => v.startsWith('ri2-'));
  chart(row, Object.assign(baseOption('RI1: max sustainable throughput vs servers', 'median of repeats; dots = repeats; ▲≥ = generator-bound (lower bound)'), {
    xAxis: serversAxis(),
    yAxis: yAxis('max sustainable throughput (requests/s)'),
    series: throughputSeries(ri1, r => r.maxSustainableRps || 0)
  }));
  chart(row, Object.assign(baseOption('RI2: max sustainable throughput vs servers', 'transactions/s: PEAK = a call to B with the session\'s token, mesh = one /chain'), {
    xAxis: serversAxis(),
    yAxis: yAxis('max sustainable throughput (transactions/s)'),
    series: throughputSeries(ri2, maxRate)
  }));
  const row2 = el('div', { class: 'grid2' });
  s.append(row2);
  chart(row2, Object.assign(baseOption('p99 latency at max sustainable throughput vs servers', 'p99 of the highest passing step, median of repeats'), {
    xAxis: serversAxis(),
    yAxis: yAxis('p99 latency (ms)'),
    series: variants().map(v => ({
      name: label(v), type: 'line', color: color(v), symbolSize: 9,
      data: serverCounts(v).map(n => [n, R.summary[v] ? R.summary[v].p99AtMaxMsByServers[String(n)] : null])
        .filter(p => p[1] !== null && p[1] !== undefined)
    }))
  }));
  const eff = variants().filter(v => R.summary[v] && R.summary[v].scalingEfficiency !== null);
  chart(row2, Object.assign(baseOption('Scaling efficiency per variant', '(X(n_max)/X(n_min)) / (n_max/n_min); 1 = linear'), {
    xAxis: variantAxis(eff.map(label)),
    yAxis: yAxis('scaling efficiency (1 = linear)', { min: 0 }),
    series: [{
      name: 'efficiency', type: 'bar', barMaxWidth: 48,
      data: eff.map(v => ({ value: R.summary[v].scalingEfficiency, itemStyle: { color: color(v) } })),
      label: { show: true, position: 'top', formatter: p => num(p.value, 2) },
      markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1, name: 'linear' }], label: { formatter: 'linear' }, lineStyle: { type: 'dashed' } }
    }]
  }));
  caption(s, 'Max sustainable throughput: the offered requests/s (RI1) or transactions/s (RI2) of the ' +
    'highest step whose error rate and p99 stayed within the limits' + limitsText() + '. Spread = (max − min) / median over repeats.');
  const rows = [];
  variants().forEach(v => serverCounts(v).forEach(n => {
    const runs = runsOf(v, n);
    const rps = runs.map(r => r.maxSustainableRps || 0);
    const sum = R.summary[v] || {};
    const key = String(n);
    const bound = generatorBoundAt(v, n) ? '≥ ' : '';
    rows.push([label(v), n, runs.length, bound + num((sum.maxRpsByServers || {})[key]),
      `${num(Math.min(...rps))}–${num(Math.max(...rps))}`, pct((sum.maxRpsSpreadByServers || {})[key]),
      bound + num((sum.maxRateByServers || {})[key]), num((sum.p99AtMaxMsByServers || {})[key]),
      (sum.limitByServers || {})[key] || '—', num(sum.scalingEfficiency, 2), num(sum.jainMin, 3)]);
  }));
  table(s, ['variant', 'servers', 'repeats', 'max req/s (median)', 'range', 'spread', 'max transactions/s',
    'p99 at max (ms)', 'stopped by', 'scaling efficiency', 'Jain min'], rows);
}

function limitsText() {
  const parts = [];
  if (typeof PLAN.errorLimit === 'number') parts.push(`errors ≤ ${num(PLAN.errorLimit * 100)} %`);
  if (typeof PLAN.sloMs === 'number') parts.push(`p99 ≤ ${num(PLAN.sloMs)} ms`);
  return parts.length ? ' (' + parts.join(', ') + ')' : '';
}

// ---- 4: balance --------------------------------------------------------------------------------------------

function balance() {
  const s = section('Balance', 'balance');
  const row = el('div', { class: 'grid2' });
  s.append(row);
  const vs = variants().filter(v => runsOf(v).some(r => r.balance));
  const ns = [...new Set(R.runs.filter(r => r.balance).map(r => r.servers))].sort((a, b) => a - b);
  const multi = ns.filter(n => n >= 2);
  const jains = R.runs.filter(r => r.balance && r.servers >= 2).map(r => r.balance.jain);
  const floor = Math.min(0.9, Math.floor(Math.min(...jains, 1) * 10) / 10);
  chart(row, Object.assign(baseOption("Jain's fairness index per variant and server count",
    `median of repeats; 1 = even, 1/n = one instance takes all; axis starts at ${floor}`), {
    xAxis: variantAxis(vs.map(label)),
    yAxis: yAxis("Jain's index (dimensionless)", { min: floor, max: 1 }),
    tooltip: { trigger: 'axis' },
    series: multi.map(n => ({
      name: `${n} servers`, type: 'bar', barMaxWidth: 36,
      label: { show: true, position: 'top', fontSize: 9, formatter: p => num(p.value, 3) },
      data: vs.map(v => {
        const j = runsOf(v, n).filter(r => r.balance).map(r => r.balance.jain);
        return j.length ? Number(median(j).toFixed(4)) : null;
      })
    }))
  }));
  const largest = ns.length ? ns[ns.length - 1] : null;
  const perRun = vs.map(v => runsOf(v, largest).filter(r => r.balance)
    .sort((a, b) => a.repeat - b.repeat)[0]).filter(r => r);
  const instances = [...new Set(perRun.flatMap(r => Object.keys(r.balance.perInstance)))]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const share = (run, id) => {
    const group = id.split('-')[0];
    const total = Object.entries(run.balance.perInstance).filter(([k]) => k.split('-')[0] === group)
      .reduce((a, [, c]) => a + c, 0);
    return id in run.balance.perInstance && total > 0 ? Number((100 * run.balance.perInstance[id] / total).toFixed(2)) : null;
  };
  chart(row, Object.assign(baseOption(`Requests per instance at ${largest || '?'} servers (first repeat)`,
    'share of each service\'s requests; dashed = even share'), {
    xAxis: axis('instance', { type: 'category', data: instances }),
    yAxis: yAxis('share of the service\'s requests (%)', { min: 0 }),
    tooltip: {
      trigger: 'item',
      formatter: p => `${p.seriesName}<br>${p.name}: ${p.value} % (${perRun[p.seriesIndex].balance.perInstance[p.name]} requests)`
    },
    series: perRun.map((r, i) => ({
      name: label(r.variant), type: 'bar', color: color(r.variant),
      data: instances.map(id => share(r, id)),
      markLine: i === 0 && largest ? { silent: true, symbol: 'none', data: [{ yAxis: 100 / largest }], label: { formatter: 'even' }, lineStyle: { type: 'dashed', color: '#444' } } : undefined
    }))
  }));
  const rows = R.runs.filter(r => r.balance).sort((a, b) => order(a, b)).map(r => [label(r.variant), r.servers,
    r.repeat, num(r.balance.jain, 4), num(r.balance.cv, 3),
    Object.entries(r.balance.perInstance).map(([k, c]) => `${k}: ${c}`).join(', ')]);
  table(s, ['variant', 'servers', 'repeat', "Jain's index", 'CV', 'requests per instance'], rows);
}

function order(a, b) {
  const va = variants().indexOf(a.variant), vb = variants().indexOf(b.variant);
  return va - vb || a.servers - b.servers || (a.repeat || 0) - (b.repeat || 0);
}

// ---- 5: inner-service cost ---------------------------------------------------------------------------------

function innerService() {
  const s = section('Inner-service communication: RI2 PEAK vs mesh', 'inner');
  const measured = v => serverCounts(v).filter(k => { const r = medianRun(v, k); return r && Object.keys(r.calls).length; });
  const common = measured('ri2-peak').filter(k => measured('ri2-mesh').includes(k));
  const n = common.length ? common[common.length - 1] : null;
  const peak = n === null ? null : medianRun('ri2-peak', n);
  const mesh = n === null ? null : medianRun('ri2-mesh', n);
  const call = (run, kind, p) => (run && run.calls[kind] ? run.calls[kind][p] : null);
  const series = [];
  if (peak && mesh) {
    [['token', 'PEAK: POST /token (A), once per session', '#6a2fa8'], ['b', 'PEAK: GET /work (B), per transaction', '#b48be0']]
      .forEach(([k, name, c]) => series.push({
        name: name, type: 'bar', color: c, barMaxWidth: 60, data: ['p50Ms', 'p99Ms'].map(p => call(peak, k, p))
      }));
    series.push({ name: `${label('ri2-mesh')}: GET /chain, per transaction`, type: 'bar', color: color('ri2-mesh'),
      barMaxWidth: 60, data: ['p50Ms', 'p99Ms'].map(p => call(mesh, 'chain', p)) });
  }
  const row = el('div', { class: 'grid2' });
  s.append(row);
  const sub = peak && mesh ? `${n} server${n === 1 ? '' : 's'}, each at its highest passing step: PEAK ${num(maxRate(peak))}/s, mesh ${num(maxRate(mesh))}/s` : '';
  chart(row, Object.assign(baseOption('Per-transaction latency broken down by call', sub), {
    xAxis: axis('percentile', { type: 'category', data: ['p50', 'p99'] }),
    yAxis: yAxis('latency (ms)'),
    tooltip: { trigger: 'axis' },
    series: series
  }));
  const info = el('div', {});
  row.append(info);
  caption(info, 'A PEAK transaction is one GET /work to B carrying a token; the client fetched that token from A ' +
    'with POST /token once per session of k calls. A mesh transaction is one request, GET /chain, with A→B inside ' +
    'the mesh (ingress → sidecar → A → sidecar → mTLS → sidecar → B). The bars compare the call a transaction ' +
    'waits for (B vs /chain); the token call is shown apart, paid once per session. Whole sessions are in the ' +
    'table. Each variant is measured at its own max rate, not at equal load, at the largest server count where ' +
    'both passed a step.');
  const rows = [];
  [peak, mesh].filter(r => r).forEach(r => Object.entries(r.calls).forEach(([k, p]) =>
    rows.push([label(r.variant), k, p.count, num(p.p50Ms), num(p.p95Ms), num(p.p99Ms), num(p.maxMs)])));
  if (rows.length) table(info, ['variant', 'call', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], rows);
  else info.append(el('p', { class: 'caption' }, NO_DATA));
}

// ---- 6: faults ---------------------------------------------------------------------------------------------

function faults() {
  const s = section('Fault tolerance', 'faults');
  caption(s, 'Requests per second around each fault. Dashed line = the fault; red band = error window (first to ' +
    'last second with a failed request); green line = recovered (the first 2 consecutive seconds without a failed ' +
    'request whose ok rate averages ≥ 80 % of the rate before the fault, capped at the offered rate).');
  const grid = el('div', { class: 'grid3' });
  s.append(grid);
  const list = R.faults.slice().sort(order);
  if (!list.length) {
    chart(grid, Object.assign(baseOption('Fault timelines'), { series: [] }), 'small');
  }
  list.forEach(f => {
    const ts = f.timeline.map(x => String(x.t));
    const failing = f.timeline.filter(x => x.ko > 0).map(x => x.t);
    // labels sit in headroom above the bars: "fault" left of its line, "recovered" right of its own
    const peak = Math.max(1, ...f.timeline.map(x => x.ok + x.ko));
    const lines = [{ xAxis: String(f.faultAtS), lineStyle: { color: '#000', type: 'dashed', width: 1.5 } }];
    const notes = [{ coord: [String(f.faultAtS), peak * 1.22], label: { formatter: 'fault ', position: 'left' } }];
    if (f.recoveryS >= 0) {
      const at = String(f.faultAtS + Math.round(f.recoveryS));
      lines.push({ xAxis: at, lineStyle: { color: '#2ca02c', width: 2 } });
      notes.push({ coord: [at, peak * 1.08], label: { formatter: ' recovered', position: 'right', color: '#2a7a2a' } });
    } else {
      notes.push({ coord: [String(f.faultAtS), peak * 1.08], label: { formatter: ' not recovered', position: 'right', color: '#d62728' } });
    }
    chart(grid, Object.assign(baseOption(`${label(f.variant)}: ${f.fault}`,
      `${f.errors} errors of ${f.requests} · window ${num(f.errorWindowS)} s · ${f.recoveryS < 0 ? 'NOT RECOVERED' : 'recovered in ' + num(f.recoveryS) + ' s'}`), {
      grid: { left: 56, right: 16, bottom: 44 },
      tooltip: { trigger: 'axis' },
      xAxis: axis('time (s)', { type: 'category', data: ts, nameGap: 26 }),
      yAxis: yAxis('requests/s', { nameGap: 40, max: Math.ceil(peak * 1.35 / 50) * 50 }),
      series: [
        {
          name: 'ok', type: 'bar', stack: 't', color: '#6aa84f', barCategoryGap: '10%', data: f.timeline.map(x => x.ok),
          markLine: { silent: true, symbol: 'none', data: lines, label: { show: false } },
          markPoint: { silent: true, symbol: 'circle', symbolSize: 0, data: notes,
            label: { fontSize: 10, fontWeight: 'bold', color: '#000' } },
          markArea: failing.length ? { silent: true, itemStyle: { color: 'rgba(214,39,40,0.15)' },
            data: [[{ xAxis: String(Math.min(...failing)) }, { xAxis: String(Math.max(...failing)) }]] } : undefined
        },
        { name: 'failed', type: 'bar', stack: 't', color: '#d62728', data: f.timeline.map(x => x.ko) }
      ]
    }), 'small');
  });
  table(s, ['variant', 'fault', 'servers', 'rate (requests/s)', 'requests', 'errors', 'error window', 'recovery'],
    list.map(f => [label(f.variant), f.fault, f.servers, num(f.rate), f.requests, f.errors, num(f.errorWindowS) + ' s',
      recoveryText(f.recoveryS)]));
}

// ---- 7: staircases -----------------------------------------------------------------------------------------

function staircases() {
  const s = section('Staircases: achieved vs offered load, p99 per step', 'staircases');
  caption(s, 'One chart per variant; a line per server count and repeat (colour = server count, fainter = later repeats). Solid = achieved requests/s (left axis), ' +
    'dashed = p99 (right axis). Failing steps are red (◆ errors, ▲ p99 over the SLO); orange squares are ' +
    'generator-bound steps: the load generator, not the system, was the limit.');
  const grid = el('div', { class: 'grid2' });
  s.append(grid);
  const vs = variants().filter(v => runsOf(v).length);
  if (!vs.length) chart(grid, Object.assign(baseOption('Staircases'), { series: [] }));
  vs.forEach(v => {
    const series = [];
    const ns = serverCounts(v);
    runsOf(v).slice().sort(order).forEach((r, i) => {
      // one colour per server count, achieved and p99 alike; later repeats fainter
      const name = `n=${r.servers} r${r.repeat}`;
      const hue = STAIR_COLORS[ns.indexOf(r.servers) % STAIR_COLORS.length];
      const opacity = r.repeat > 1 ? 0.55 : 1;
      const point = (st, y, labelled) => {
        const style = VERDICT_STYLE[st.verdict] || VERDICT_STYLE.pass;
        return {
          value: [st.rate, y], symbol: style.symbol, symbolSize: st.passed ? 5 : 12,
          itemStyle: style.color ? { color: style.color, opacity: 1 } : undefined,
          label: { show: labelled && !st.passed, formatter: style.text, position: st.verdict === 'generator-bound' ? 'left' : 'top',
            fontSize: 10, fontWeight: 'bold', color: style.color || '#333' }
        };
      };
      series.push({ name: name, type: 'line', yAxisIndex: 0, color: hue, lineStyle: { opacity: opacity },
        itemStyle: { opacity: opacity }, labelLayout: { hideOverlap: true },
        data: r.steps.map(st => point(st, st.achievedRps, true)) });
      series.push({ name: name, type: 'line', yAxisIndex: 1, color: hue, lineStyle: { type: 'dashed', opacity: opacity },
        itemStyle: { opacity: opacity },
        data: r.steps.map(st => point(st, st.p99Ms, false)),
        markLine: i === 0 && typeof PLAN.sloMs === 'number' ? { silent: true, symbol: 'none', data: [{ yAxis: PLAN.sloMs }],
          label: { formatter: 'p99 SLO', position: 'insideEndTop', color: '#666' }, lineStyle: { color: '#999' } } : undefined });
    });
    const option = Object.assign(baseOption(label(v), 'solid: achieved requests/s (left) · dashed: p99 ms (right)'), {
      tooltip: { trigger: 'item', formatter: p => `${p.seriesName} (${p.seriesIndex % 2 ? 'p99 ms' : 'achieved req/s'})<br>offered ${num(p.value[0])}/s: ${num(p.value[1])}` },
      xAxis: axis('offered load (requests/s)', { type: 'value', scale: true }),
      yAxis: [yAxis('achieved (requests/s)'), yAxis('p99 latency (ms)', { nameGap: 40, splitLine: { show: false } })],
      series: series
    });
    chart(grid, option);
  });
  vs.forEach(v => {
    const d = el('details', {}, el('summary', {}, `${label(v)}: every step`));
    s.append(d);
    const rows = [];
    const classes = [];
    runsOf(v).slice().sort(order).forEach(r => r.steps.forEach(st => {
      const errorRate = st.ok + st.ko ? st.ko / (st.ok + st.ko) : 0;
      rows.push([label(v), r.servers, r.repeat, num(st.rate), num(st.achievedRps), st.ok, st.ko, pct(errorRate),
        num(st.p50Ms), num(st.p95Ms), num(st.p99Ms), num(st.maxMs), st.verdict, num(st.generatorCpu, 2),
        st.gatlingReport ? el('a', { href: st.gatlingReport }, 'Gatling report') : '—']);
      classes.push(st.verdict === 'pass' ? null : st.verdict);
    }));
    table(d, ['variant', 'servers', 'repeat', 'offered /s', 'achieved req/s', 'ok', 'ko', 'errors', 'p50 ms',
      'p95 ms', 'p99 ms', 'max ms', 'verdict', 'generator CPU (s/s)', 'report'], rows, i => classes[i]);
  });
}

// ---- manifest ----------------------------------------------------------------------------------------------

function manifest() {
  const s = section('Run manifest', 'manifest');
  const kv = (obj) => Object.entries(obj || {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  table(s, ['item', 'value'], [
    ['profile', MANIFEST.profile || '—'],
    ['command line', el('code', {}, MANIFEST.commandLine || '—')],
    ['git commit', el('code', {}, MANIFEST.gitCommit || '—')],
    ['started (UTC)', MANIFEST.startedAt || '—'],
    ['finished (UTC)', MANIFEST.finishedAt || '—'],
    ['CPU enforcement', MANIFEST.cpuEnforcement || '—'],
    ['client model', MANIFEST.clientModel || '—']
  ].map(([k, v]) => [k, v]));
  const row = el('div', { class: 'grid3' });
  s.append(row);
  [['CPU budgets (CPUs per role)', MANIFEST.cpuBudgets], ['Versions', MANIFEST.versions], ['Machine', MANIFEST.machine]]
    .forEach(([title, obj]) => {
      const d = el('div', {}, el('h3', {}, title));
      row.append(d);
      table(d, ['key', 'value'], kv(obj));
    });
  s.append(el('h3', {}, 'Plan'));
  s.append(el('pre', {}, JSON.stringify(PLAN, null, 2)));
  if ((MANIFEST.notes || []).length) {
    s.append(el('h3', {}, 'Notes'));
    s.append(el('ul', {}, MANIFEST.notes.map(n => el('li', {}, n))));
  }
  s.append(el('h3', {}, 'Summary as printed by make bench'));
  s.append(el('pre', {}, DATA.summaryTable));
  s.append(el('p', { class: 'caption' }, 'Raw data beside this page: ', el('a', { href: 'results.json' }, 'results.json'),
    ', ', el('a', { href: 'results.csv' }, 'results.csv'), '. Charts by Apache ECharts (echarts.min.js).'));
}

header();
throughput();
balance();
innerService();
faults();
staircases();
manifest();
