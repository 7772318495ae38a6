// Builds the report from the one JSON object ReportWriter embeds, DATA = {results, model, variants, summaryTable}
// (model: scale.sh model's model.json, when the folder has one).
// Every figure is computed once, in Java, and stored in results.json: this script filters, groups, sorts and
// formats it, and never derives a statistic of its own. Variant labels and colours come from DATA.variants.
'use strict';

const DATA = JSON.parse(document.getElementById('results-data').textContent);
const R = DATA.results;
const MANIFEST = R.manifest || {};
const PLAN = MANIFEST.plan || {};
const MODEL = DATA.model || null;
const ROOT = document.getElementById('report');
const CHARTS = [];
const GROUPS = ['RI1', 'RI2'];
const LONG_TABLE = 24;

// What one request costs, by component: the servers' own work in blues, the balancing infrastructure in oranges;
// the generator is the client, not the system, and is drawn apart in grey.
const ROLES = [
  { id: 'service-a', name: 'service A', color: '#1f4e8c' },
  { id: 'service-b', name: 'service B', color: '#7fb0e0' },
  { id: 'proxy', name: 'proxy', color: '#b8430b' },
  { id: 'ingress', name: 'ingress', color: '#e36f1e' },
  { id: 'sidecar', name: 'sidecars', color: '#f4a259' },
  { id: 'peak-dns', name: 'peak-dns', color: '#f7c873' }
];
const GENERATOR = { id: 'generator', name: 'generator (the client)', color: '#9a9a9a' };

// Staircase levels: the shape says which kind of level it is; hollow = failed (see staircases()).
const STAR = 'path://M50 0L61 35H98L68 57L79 91L50 70L21 91L32 57L2 35H39Z';
const KINDS = {
  fixed: { symbol: 'rect', text: 'fixed rate (a fraction of the baseline\'s capacity)' },
  climb: { symbol: 'circle', text: 'climb' },
  confirm: { symbol: 'diamond', text: 'confirm (a failure run again)' },
  refine: { symbol: 'triangle', text: 'refine (bisection)' },
  check: { symbol: STAR, text: 'check (kernel\'s default CFS period)' }
};
const FAILURE_TAGS = { errors: 'errors', shedding: 'shedding', 'generator-bound': 'generator-bound' };
const ALERT = '#c0392b';
const WARN = '#d97b00';

// Hatching marks what is not a plain measurement of the system: a lower bound, a rate it did not sustain, the client.
const HATCH = { symbol: 'rect', symbolSize: 1, rotation: -Math.PI / 4, dashArrayX: [1, 0], dashArrayY: [2, 4],
  color: 'rgba(0, 0, 0, 0.45)' };

// ---- small helpers -----------------------------------------------------------------------------------------

function variantsIn(rows) { return [...new Set(rows.map(r => r.variant))].sort(byVariant); }

/** Runs, capacities, faults, skipped staircases…: by variant, cost, servers and repeat, whichever they have. */
function byRun(a, b) {
  return byVariant(a.variant, b.variant) || (a.cost || 0) - (b.cost || 0) || a.servers - b.servers
    || (a.repeat || 0) - (b.repeat || 0);
}

function sameFraction(a, b) { return Math.abs(a - b) < 1e-9; }

function signed(x) {
  if (x === null || x === undefined) return '—';
  return (x > 0 ? '+' : x < 0 ? '−' : '±') + num(Math.abs(x));
}

function costText(cost) { return `cost ${cost}`; }

/** A large figure with its thousands grouped ("14,343,704"), as the model's answer writes them; smaller as num(). */
function grouped(x) {
  return typeof x === 'number' && Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : num(x);
}

/** An axis label for figures that span decades: 1, 10, 100, 1k, …, 10M. */
function compact(x) {
  if (Math.abs(x) >= 1e6) return num(x / 1e6) + 'M';
  return Math.abs(x) >= 1e3 ? num(x / 1e3) + 'k' : num(x);
}

function runName(r) {
  return `${label(r.variant)} · ${serversText(r.servers)} · ${costText(r.cost)} · repeat ${r.repeat}`;
}

function throttled(level) { return (level.flags || []).includes('throttled'); }

function recoveryText(s) { return s < 0 ? 'not recovered' : num(s) + ' s'; }

function limitsText() {
  const parts = [];
  if (typeof PLAN.errorLimit === 'number') parts.push(`errors ≤ ${num(PLAN.errorLimit * 100)} %`);
  if (typeof PLAN.sloMs === 'number') parts.push(`p99 ≤ ${num(PLAN.sloMs)} ms`);
  if (typeof PLAN.quotaStopShare === 'number') {
    parts.push(`no instance stopped by its CPU quota for over ${num(PLAN.quotaStopShare * 100)} % of the level`);
  }
  return parts.join(', ');
}

// ---- page structure ----------------------------------------------------------------------------------------

function callout(parent, title, ...text) {
  parent.append(el('div', { class: 'callout' }, el('strong', {}, title + ' '), ...text));
}

function grid(parent, columns) {
  const g = el('div', { class: 'grid' + (columns || 2) });
  parent.append(g);
  return g;
}

function table(parent, headers, rows, rowClass) {
  if (!rows.length) {
    parent.append(el('p', { class: 'caption' }, '(no rows in this results file)'));
    return null;
  }
  const t = el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { class: cellClass(rows[0][i], i) && 'text' }, h)))),
    el('tbody', {}, rows.map((row, r) => el('tr', { class: rowClass ? rowClass(r) : null },
      row.map((c, i) => el('td', { class: cellClass(c, i) }, c === null || c === undefined ? '—' : c))))));
  parent.append(el('div', { class: 'scroll' }, t));
  return t;
}

/** Long tables fold away under their title, so that a section's charts stay next to one another. */
function tableBox(parent, title, count) {
  if (count <= LONG_TABLE) {
    parent.append(el('h3', {}, title));
    return parent;
  }
  const d = el('details', {}, el('summary', {}, `${title} (${count} rows)`));
  parent.append(d);
  return d;
}

/** Text aligns left and stays on one line unless it is long prose; numbers align right. */
function cellClass(c, i) {
  if (i > 0 && !isText(c)) return null;
  return typeof c === 'string' && c.length > 60 ? 'text long' : 'text';
}

/** Words and links align left, numbers (also "≥ 1500", "+0.12", "−32", "0.1 %", "3 s", "1 → 2") right. */
function isText(c) {
  return c instanceof Node || (typeof c === 'string' && !/^[≥+−±×→\d.,\s–—%s-]*$/.test(c));
}

/** Radio buttons that redraw a section's charts with another choice (a percentile, a fraction, …). */
let toggles = 0;
function toggle(parent, legend, choices, initial, onChange) {
  const name = 'toggle-' + (++toggles);
  const box = el('div', { class: 'toggle' }, el('span', {}, legend));
  choices.forEach(([value, text]) => {
    const input = el('input', { type: 'radio', name: name });
    input.checked = value === initial;
    input.addEventListener('change', () => onChange(value));
    box.append(el('label', {}, input, ' ' + text));
  });
  parent.append(box);
}

// The SVG namespace, spelt in pieces: it is a name, not a link, and the page must hold no URL.
const SVG_NS = ['http:', '', 'www.w3.org', '2000', 'svg'].join('/');

/** A symbol as the charts draw it, for the keys written under them. */
function glyph(symbol, fill, stroke) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', '13');
  svg.setAttribute('height', '13');
  svg.setAttribute('viewBox', '0 0 100 100');
  svg.setAttribute('class', 'glyph');
  const shapes = {
    rect: 'M12 12H88V88H12Z', circle: 'M50 8A42 42 0 1 1 49.9 8Z', diamond: 'M50 4L96 50L50 96L4 50Z',
    triangle: 'M50 6L94 90H6Z'
  };
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', shapes[symbol] || symbol.replace('path://', ''));
  path.setAttribute('fill', fill || 'none');
  path.setAttribute('stroke', stroke || 'none');
  path.setAttribute('stroke-width', '12');
  svg.append(path);
  return svg;
}

/** A line as the charts draw it, dashed or with a point on it, for the same keys. */
function lineGlyph(stroke, dashed, dotted) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '13');
  svg.setAttribute('viewBox', '0 0 28 13');
  svg.setAttribute('class', 'glyph');
  const line = document.createElementNS(SVG_NS, 'path');
  line.setAttribute('d', 'M1 6.5H27');
  line.setAttribute('stroke', stroke);
  line.setAttribute('stroke-width', '2');
  if (dashed) line.setAttribute('stroke-dasharray', '5 3');
  svg.append(line);
  if (dotted) {
    const dot = document.createElementNS(SVG_NS, 'circle');
    [['cx', '14'], ['cy', '6.5'], ['r', '2.5'], ['fill', stroke]].forEach(([k, v]) => dot.setAttribute(k, v));
    svg.append(dot);
  }
  return svg;
}

function key(parent, items) {
  parent.append(el('p', { class: 'key' }, items.map(([g, text]) => el('span', {}, g, ' ' + text))));
}

// ---- charts ------------------------------------------------------------------------------------------------

function baseOption(title, subtitle) {
  return {
    animation: false,
    title: { text: title, subtext: subtitle || '', left: 'center', textStyle: { fontSize: 14 },
      subtextStyle: { fontSize: 11, color: '#555' } },
    legend: { type: 'plain', itemGap: 10, textStyle: { fontSize: 11 } }, // its top: fitTo()
    grid: { left: 76, right: 32, bottom: 56 },
    tooltip: { trigger: 'item', confine: true }
  };
}

/** A log axis for latencies that span decades (0.1 ms to seconds); its labels stay plain numbers. */
function logAxis(name, extra) {
  return yAxis(name, Object.assign({ type: 'log', logBase: 10, axisLabel: { formatter: v => num(v) },
    minorTick: { show: true }, minorSplitLine: { show: true, lineStyle: { color: '#f3f3f3' } } }, extra || {}));
}

function serversAxis() {
  return axis('servers', { type: 'value', minInterval: 1, min: v => Math.max(0, v.min - 0.3), max: v => v.max + 0.3,
    axisLabel: { formatter: v => (Number.isInteger(v) ? v : '') } });
}

/** The SLO as a horizontal mark on a latency axis, when the plan has one. */
function sloMark() {
  return typeof PLAN.sloMs === 'number' ? {
    yAxis: PLAN.sloMs, lineStyle: { color: '#444', type: 'dashed', width: 1 },
    label: { formatter: `SLO p99 ${num(PLAN.sloMs)} ms`, position: 'insideStartTop', color: '#444', fontSize: 10 }
  } : null;
}

function chartBox(parent, cls) {
  const box = el('div', { class: 'chart ' + (cls || '') });
  parent.append(box);
  return box;
}

/** A data point: an entry that is neither missing (null, ECharts' '-') nor an object without a value. */
function isPoint(d) {
  if (d === null || d === undefined || d === '-') return false;
  return !(typeof d === 'object' && !Array.isArray(d) && !isPoint(d.value));
}

function pointsIn(series) { return (series || []).reduce((n, s) => n + (s.data || []).filter(isPoint).length, 0); }

/**
 * Draws (or redraws) {@code option} in {@code box}, and records on the box what it drew: its title in data-chart,
 * the data points ECharts holds in data-points. Callers that know a chart would be empty write a note() instead;
 * a box left here without points is a defect, which says so and which data-points="0" lets the tests find.
 */
function draw(box, option) {
  const previous = echarts.getInstanceByDom(box);
  box.setAttribute('data-chart', option.title.text);
  if (!pointsIn(option.series)) {
    if (previous) {
      CHARTS.splice(CHARTS.indexOf(previous), 1);
      previous.dispose();
    }
    box.textContent = '';
    box.classList.add('nodata');
    box.append(el('strong', {}, option.title.text), el('span', {}, 'no data point to draw'));
    box.setAttribute('data-points', '0');
    return null;
  }
  if (box.classList.contains('nodata')) {
    box.classList.remove('nodata');
    box.textContent = '';
  }
  fitTo(box, option);
  const c = previous || echarts.init(box, null, { renderer: 'canvas' });
  c.setOption(option, true);
  if (!previous) CHARTS.push(c);
  box.setAttribute('data-points', String(pointsIn(c.getOption().series)));
  return c;
}

function chart(parent, option, cls) { return draw(chartBox(parent, cls), option); }

// ECharts neither wraps a long title nor leaves room for a legend that wraps: in a narrow box (a phone) both would
// run into the plot. fitTo() measures them as the canvas will draw them.
const MEASURE = document.createElement('canvas').getContext('2d');
const TITLE_FONT = 'bold 14px sans-serif';
const SUBTITLE_FONT = '11px sans-serif';

/** How many lines {@code text} takes in {@code font} when broken at spaces to fit {@code width} pixels. */
function lines(text, font, width) {
  MEASURE.font = font;
  return rowsFilled(String(text).split(' ').map(word => MEASURE.measureText(word + ' ').width), width);
}

/** How many rows pieces of these widths fill, laid out in order, a new row when the next one does not fit. */
function rowsFilled(widths, width) {
  let count = widths.length ? 1 : 0;
  let used = 0;
  widths.forEach(w => {
    if (used > 0 && used + w > width) {
      count++;
      used = 0;
    }
    used += w;
  });
  return count;
}

/** Rows of legend items (a 25-px symbol, 5 px, the name, 10 px to the next) in {@code width} pixels. */
function legendRows(names, width) {
  MEASURE.font = SUBTITLE_FONT;
  return rowsFilled(names.map(n => 40 + MEASURE.measureText(String(n)).width), width);
}

/** Wraps the title in the box's width and puts the legend, then the plot, below the lines they take. */
function fitTo(box, option) {
  const width = box.clientWidth - 24;
  Object.assign(option.title.textStyle, { width: width, overflow: 'break' });
  Object.assign(option.title.subtextStyle, { width: width, overflow: 'break' });
  const subtitle = option.title.subtext ? 16 * lines(option.title.subtext, SUBTITLE_FONT, width) : 0;
  option.legend.top = 28 + 18 * (lines(option.title.text, TITLE_FONT, width) - 1) + subtitle;
  const names = [...new Set(option.series.filter(s => s.name).map(s => s.name))];
  const rows = option.legend.show === false ? 0 : legendRows(names, width);
  option.grid.top = option.legend.top + 24 * rows + 16;
  // a value axis' labels do not thin out: five of "10,000" overlap in a phone's plot
  if (box.clientWidth < 480) {
    [].concat(option.xAxis || []).filter(a => a.type === 'value' && a.splitNumber === undefined)
      .forEach(a => { a.splitNumber = 3; });
  }
}

/** One line instead of a chart, saying why there is nothing to draw. */
function note(parent, ...text) { parent.append(el('p', { class: 'note' }, ...text)); }

/** Why no two variants were measured at the same offered rate. */
function noFixedRates() {
  return Object.keys(PLAN.fixedFractions || {}).length ? 'no level ran at a fixed share of the baseline\'s capacity'
    : 'this profile runs no fixed rates';
}

window.addEventListener('resize', () => CHARTS.forEach(c => c.resize()));

// ---- 1. header ---------------------------------------------------------------------------------------------

function header() {
  ROOT.append(el('h1', {}, 'PEAK reference suite — results'));
  const budgets = Object.entries(MANIFEST.cpuBudgets || {}).map(([role, cpus]) => `${role} ${num(cpus)}`).join(', ');
  ROOT.append(el('p', { class: 'meta' },
    `Profile ${MANIFEST.profile || '—'} · platform ${PLAN.platform || '—'} · ` +
    `started ${MANIFEST.startedAt || '?'} · ${MANIFEST.partial ? 'not finished (partial)'
      : 'finished ' + (MANIFEST.finishedAt || '?')} · commit `,
    el('code', {}, MANIFEST.gitCommit || 'unknown')));
  ROOT.append(el('p', { class: 'meta' },
    el('strong', {}, 'CPU budgets '), `(CPUs per instance): ${budgets || '—'}. `,
    el('strong', {}, 'Enforced by '), `${MANIFEST.cpuEnforcement || 'unknown'}. `,
    limitsText() ? [el('strong', {}, 'A level passes with '), limitsText() + '.'] : []));
  variantKey(ROOT);
  partialCallout();
  miniatureCallout();
  generatorBoundCallout();
  lowerBoundCallout();
  throttledCallout();
  skippedCallout();
  contents();
}

function variantKey(parent) {
  const present = new Set(R.runs.map(r => r.variant).concat(R.faults.map(f => f.variant)));
  const items = Object.keys(DATA.variants).concat([...present].filter(v => !DATA.variants[v]).sort())
    .filter(v => present.has(v));
  parent.append(el('p', { class: 'key' }, GROUPS.map(g => {
    const of = items.filter(v => variant(v).group === g);
    return of.length ? el('span', {}, el('strong', {}, g + ': '),
      of.map(v => el('span', { class: 'swatch-item' }, glyph('rect', color(v)), ' ' + label(v)))) : [];
  })));
}

function miniatureCallout() {
  const factors = Object.entries(MANIFEST.miniature || {});
  if (!factors.length) return;
  callout(ROOT, 'Miniature mode.', 'Every CPU budget of the system was multiplied by ',
    factors.map(([group, f]) => `×${num(f)} (${group})`).join(', '),
    ' so that the largest server count fits this machine. Every capacity and scaling figure in this report is of ' +
    'these shrunk servers and proxies, not of full-size ones.');
}

function generatorBoundCallout() {
  const bound = [];
  R.runs.slice().sort(byRun).forEach(r => r.levels.filter(l => l.verdict === 'generator-bound')
    .forEach(l => bound.push(`${runName(r)} at ${num(l.rate)}/s`)));
  if (!bound.length) return;
  callout(ROOT, `${plural(bound.length, 'generator-bound level')}:`, bound.join('; '),
    '. The load generator, not the system, ran out of CPU there: such a level never counts as the system failing, ' +
    'and a maximum it ended is only a lower bound (marked "≥").');
}

function lowerBoundCallout() {
  const bounds = R.capacities.filter(c => c.lowerBound);
  if (!bounds.length) return;
  callout(ROOT, 'Lower bounds:', bounds.map(c => `${label(c.variant)} · ${serversText(c.servers)} · ` +
    `${costText(c.cost)}: ≥ ${num(c.maxRps)} (stopped by ${c.stoppedBy})`).join('; '),
  '. Something other than the system ended these searches (the generator, the plan\'s last level or its ceiling), ' +
  'so the system\'s maximum is at least this.');
}

function throttledCallout() {
  const runs = R.runs.slice().sort(byRun).map(r => ({ run: r, levels: r.levels.filter(l => l.passed && throttled(l)) }))
    .filter(x => x.levels.length);
  if (!runs.length) return;
  const total = runs.reduce((n, x) => n + x.levels.length, 0);
  const d = el('details', {}, el('summary', {}, 'which levels'),
    el('ul', {}, runs.map(x => el('li', {}, `${runName(x.run)}: ${x.levels.map(l => num(l.rate) + '/s').join(', ')}`))));
  callout(ROOT, `${plural(total, 'passing level')} flagged "throttled":`, 'an instance of the system was stopped by ' +
    'its CFS quota for more than 1 % of the window, enough to set a p99. They passed, but their tail latency may ' +
    'be the quota\'s stalls rather than the architecture\'s. They have a black outline in the staircases.', d);
}

// A run still going, or stopped before its plan ended: the report of what it finished, and how to go on
function partialCallout() {
  if (!MANIFEST.partial) return;
  const unfinished = R.runs.filter(r => r.stop === 'interrupted');
  callout(ROOT, 'Partial results:',
    'this run had not finished its plan when this page was written (it is rewritten after every level). ',
    unfinished.length ? `The staircase it was measuring (${unfinished.map(r => `${label(r.variant)} at ` +
      `${serversText(r.servers)}, ${costText(r.cost)}`).join('; ')}) is shown with its levels so far and no maximum. `
      : '',
    'If it was interrupted, ', el('code', {}, 'make bench RESUME=<this folder>'),
    ' measures what is left with the same options; an unfinished staircase is measured again from its start.');
}

function skippedCallout() {
  if (!R.skipped.length) return;
  callout(ROOT, 'Not measured:', R.skipped.slice().sort(byRun)
    .map(s => `${label(s.variant)} at ${serversText(s.servers)} (${s.reason})`).join('; '),
  '. These staircases were in the plan; their bars and points are missing on purpose.');
}

function contents() {
  const items = [['figure', 'Figure 1'], ['answers', 'Answers'], ['capacity', 'Throughput'],
    ['latency', 'Latency added'], ['cost', 'Cost per request'], ['generator', 'Generator cost'],
    ['staircases', 'Staircases'], ['enforcement', 'Enforcement check'], ['balance', 'Balance'], ['faults', 'Faults']]
    .concat(MODEL ? [['at-scale', 'At scale']] : [], [['manifest', 'Manifest']]);
  ROOT.append(el('nav', { class: 'toc' }, items.map(([id, text]) => el('a', { href: '#' + id }, text))));
}

// ---- 2. answers --------------------------------------------------------------------------------------------

function answers() {
  const s = section('Answers to the research questions', 'answers');
  s.classList.add('answers');
  caption(s, 'Written by the driver from the figures below, with its rules for calling a difference a tie.');
  if (!R.answers.length) s.append(el('p', {}, 'No answers in this results file.'));
  answerParagraphs(s, R.answers);
}

function answerParagraphs(parent, paragraphs) {
  paragraphs.forEach(a => {
    // the question (up to its "?") or the "Limits of this run:" lead in bold, the answer after it
    const lead = a.match(/^(RQ\d[^?]*\?|[^:]{1,40}:)\s*([\s\S]*)$/);
    parent.append(lead ? el('p', {}, el('strong', {}, lead[1]), ' ' + lead[2]) : el('p', {}, a));
  });
}

// ---- 3. figure 1 -------------------------------------------------------------------------------------------

/**
 * The figure for a paper: per reference implementation, how far each variant goes (its maximum sustainable rate)
 * beside what it costs a client on the way (its transaction's latency at one offered rate shared by all), with
 * RI1 direct, no balancer at all, as the floor. At the highest work cost measured: a request that does work, as in
 * service; at cost 0 the servers do nothing and the infrastructure alone is measured (the cost section shows it).
 */
function figure() {
  const s = section('Figure 1: PEAK against the reverse proxies, the mesh and no balancer', 'figure');
  const cost = R.capacities.length ? Math.max(...R.capacities.map(c => c.cost)) : undefined;
  if (cost === undefined) {
    note(s, 'Nothing to draw: this results file has no staircase.');
    return;
  }
  const rows = GROUPS.map(group => ({ group: group, servers: figureServers(group, cost) }))
    .filter(r => r.servers !== undefined)
    .map(r => Object.assign(r, { panels: [figureThroughput(r.group, cost, r.servers),
      figureLatency(r.group, cost, r.servers)] }));
  const empty = r => r.panels.every(p => p.reason);
  const reasons = list => [...new Set(list.flatMap(r => r.panels.map(p => p.reason).filter(Boolean)))].join('; ');
  if (rows.every(empty)) {
    note(s, `Nothing to draw at ${costText(cost)}: ${reasons(rows)}.`);
    return;
  }
  caption(s, `At ${costText(cost)} and the server count most variants of a reference implementation ran at: left, ` +
    `the highest rate each variant sustained (${limitsText() || 'within the plan\'s limits'}); right, what its ` +
    'transaction took at one offered rate shared by all, RI1 direct (no balancer) being the floor. PEAK carries the ' +
    'claim where its bars reach as far as the proxies\' and the mesh\'s on the left, and no farther on the right.');
  rows.forEach(r => {
    if (empty(r)) {
      note(s, `${r.group}, ${serversText(r.servers)}: ${reasons([r])}.`);
      return;
    }
    const row = grid(s, 2);
    r.panels.forEach(p => (p.option ? chart(row, p.option, 'small') : note(row, `${r.group}: ${p.reason}.`)));
  });
}

/** The server count at which most of the group's variants have a capacity at {@code cost}; the largest if several. */
function figureServers(group, cost) {
  const rows = R.capacities.filter(c => c.cost === cost && variant(c.variant).group === group);
  const measured = n => rows.filter(c => c.servers === n).length;
  return distinct(rows.map(c => c.servers)).reduce((best, n) => (measured(n) >= measured(best) ? n : best), undefined);
}

/** "RI2 mesh (sidecar emulation)" on two lines, so that a phone's narrow chart keeps room for its bars. */
function twoLines(id) { return label(id).replace(' (', '\n('); }

/** The group's capacities as bars (median over repeats) with each repeat's maximum as a dot. */
function figureThroughput(group, cost, servers) {
  const rows = R.capacities.filter(c => c.cost === cost && c.servers === servers && variant(c.variant).group === group)
    .sort(byRun);
  const unit = rateUnit(group);
  if (rows.every(c => c.lowerBound && c.maxRps === rows[0].maxRps)) {
    return { reason: `every variant passed the plan's last rate (≥ ${num(rows[0].maxRps)}/s), so no maximum separates ` +
      'them' };
  }
  const vs = rows.map(c => c.variant);
  const repeated = rows.some(c => c.repeats > 1);
  const repeats = R.runs.filter(r => r.cost === cost && r.servers === servers && vs.includes(r.variant)
    && typeof r.maxSustainableRps === 'number');
  const option = Object.assign(baseOption(`${group}: maximum sustainable ${unit}`, `${costText(cost)}, ` +
    `${serversText(servers)} · ${repeated ? 'bar: median over repeats, dot: each repeat' : 'one repeat'}` +
    `${rows.some(c => c.lowerBound) ? ' · "≥": a lower bound' : ''}`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => (p.data.capacity ? capacityTip(p.data.capacity)
      : `${runName(p.data.run)}<br>max ${p.data.run.lowerBound ? '≥ ' : ''}${num(p.data.run.maxSustainableRps)}/s`) },
    grid: { left: 8, right: 20, bottom: 44, containLabel: true },
    xAxis: axis(`max sustainable (${unit})`, { type: 'value', min: 0, nameGap: 26 }),
    yAxis: { type: 'category', inverse: true, data: vs.map(twoLines), axisLabel: { fontSize: 11, lineHeight: 13 } },
    series: [{
      name: 'median over repeats', type: 'bar', barMaxWidth: 26,
      data: rows.map(c => ({
        value: c.maxRps, capacity: c,
        itemStyle: Object.assign({ color: color(c.variant) }, c.lowerBound ? { decal: HATCH, opacity: 0.75 } : {}),
        // inside the bar's start: the repeats' dots sit around its end
        label: { show: true, position: 'insideLeft', fontSize: 11, fontWeight: 'bold', color: '#fff',
          textBorderColor: 'rgba(0, 0, 0, 0.55)', textBorderWidth: 2,
          formatter: (c.lowerBound ? '≥ ' : '') + num(c.maxRps) }
      }))
    }].concat(repeated ? [{
      name: 'each repeat', type: 'scatter', symbolSize: 7, color: '#222', z: 3,
      data: repeats.map(r => ({ value: [r.maxSustainableRps, vs.indexOf(r.variant)], run: r }))
    }] : [])
  });
  option.legend.show = false; // the subtitle says what bars and dots are
  return { option: option };
}

/**
 * The group's transaction latency at one of the fixed rates, beside RI1 direct's at the same rate: p99 as the bar,
 * labelled with what it adds over direct, p50 as a tick across it.
 */
function figureLatency(group, cost, servers) {
  const all = R.latencyAdded.filter(l => l.cost === cost && l.servers === servers);
  const members = variantsIn(all).filter(v => variant(v).group === group && !variant(v).baseline);
  if (!members.length) {
    return { reason: R.latencyAdded.length ? `no fixed rate at ${costText(cost)} and ${serversText(servers)}`
      : noFixedRates() };
  }
  const fraction = figureFraction(all, members);
  const rows = all.filter(l => sameFraction(l.fraction, fraction)
    && (members.includes(l.variant) || variant(l.variant).baseline)).sort(byRun);
  const option = Object.assign(baseOption(`${group}: transaction latency at ${pct(fraction)} of direct's capacity`,
    `${costText(cost)}, ${serversText(servers)}, ${num(rows[0].rate)}/s · bar: p99 (and what it adds over direct) ` +
    '· tick: p50'), {
    tooltip: { trigger: 'item', confine: true, formatter: p => latencyTip(p.data.row) },
    grid: { left: 8, right: 20, bottom: 44, containLabel: true },
    // room on the right for the longest bar's label
    xAxis: axis('transaction latency (ms)', { type: 'value', min: 0, boundaryGap: [0, '30%'], nameGap: 26 }),
    yAxis: { type: 'category', inverse: true, data: rows.map(l => twoLines(l.variant)),
      axisLabel: { fontSize: 11, lineHeight: 13 } },
    series: [{
      name: 'p99', type: 'bar', barMaxWidth: 26,
      data: rows.map(l => ({
        value: l.p99Ms, row: l,
        itemStyle: l.passed ? { color: color(l.variant) } : { color: lighten(color(l.variant), 0.6), decal: HATCH },
        label: { show: true, position: 'right', fontSize: 11, lineHeight: 13, color: '#222',
          formatter: `${num(l.p99Ms)} ms\n${variant(l.variant).baseline ? 'direct' : signed(l.addedP99Ms)}` +
            `${l.passed ? '' : ', not sustained'}` }
      }))
    }, {
      name: 'p50', type: 'scatter', symbol: 'rect', symbolSize: [3, 20], color: '#111', z: 3,
      data: rows.map((l, i) => ({ value: [l.p50Ms, i], row: l }))
    }]
  });
  option.legend.show = false; // the subtitle says what bars and ticks are
  return { option: option };
}

/**
 * The highest fixed fraction up to half the baseline's capacity at which every one of {@code members} ran: all of
 * them sustain it, and none is so near its maximum that queueing sets its tail. RI2's are 10 and 25 %.
 */
function figureFraction(rows, members) {
  const fractions = distinct(rows.filter(l => members.includes(l.variant)).map(l => l.fraction));
  const ranAt = (v, f) => rows.some(l => l.variant === v && sameFraction(l.fraction, f));
  const everyone = fractions.filter(f => members.every(v => ranAt(v, f)));
  const candidates = everyone.length ? everyone : fractions;
  const upToHalf = candidates.filter(f => f <= 0.5 + 1e-9);
  return upToHalf.length ? upToHalf[upToHalf.length - 1] : candidates[0];
}

// ---- 4. maximum sustainable throughput ---------------------------------------------------------------------

function capacity() {
  const s = section('Maximum sustainable throughput', 'capacity');
  caption(s, 'The highest offered rate each variant sustained (', limitsText() || 'within the plan\'s limits',
    '), the median over repeats, per work cost (cost = SHA-256 rounds per request) and server count. RI1 counts ' +
    'requests/s (GET /work); RI2 counts transactions/s (PEAK: a call to B with its session\'s token; mesh: one ' +
    '/chain), so the two groups are drawn apart and not compared with each other. Hatched bars labelled "≥" are ' +
    'lower bounds: the generator or the plan, not the system, ended the search. Every staircase\'s clients are ' +
    'Gatling\'s: PEAK\'s keep a DNS answer for its TTL and resend nothing (the fault runs also measure peak-client\'s ' +
    'failover).');
  const costs = distinct(R.capacities.map(c => c.cost));
  if (!costs.length) {
    note(s, 'No capacity to draw: this results file has no staircase.');
    return;
  }
  costs.forEach(cost => {
    const row = grid(s, 2);
    GROUPS.forEach(g => capacityBars(row, cost, g));
  });
  scalingCharts(s, costs);
  table(tableBox(s, 'Every capacity', R.capacities.length),
    ['variant', 'cost', 'servers', 'max (primary requests/s)', 'spread over repeats', 'repeats', 'p99 at max (ms)',
      'stopped by'],
    R.capacities.slice().sort(byRun).map(c => [label(c.variant), c.cost, c.servers,
      (c.lowerBound ? '≥ ' : '') + num(c.maxRps), c.repeats > 1 ? pct(c.spread) : 'one repeat', c.repeats,
      num(c.p99AtMaxMs), c.stoppedBy]));
  caption(s, 'Spread = (max − min) / median of the repeats\' maxima. p99 at max: the primary call\'s p99 at the ' +
    'highest passing level, median over repeats.');
}

function capacityBars(parent, cost, group) {
  const rows = R.capacities.filter(c => c.cost === cost && variant(c.variant).group === group);
  const servers = distinct(rows.map(c => c.servers));
  const skipped = R.skipped.filter(sk => variant(sk.variant).group === group && servers.includes(sk.servers));
  const sub = skipped.length
    ? 'not measured: ' + skipped.map(sk => `${label(sk.variant)} at ${serversText(sk.servers)}`).join(', ') : '';
  chart(parent, Object.assign(baseOption(`${group}, ${costText(cost)}: maximum sustainable ${rateUnit(group)}`, sub), {
    tooltip: { trigger: 'item', confine: true, formatter: p => capacityTip(p.data.capacity) },
    xAxis: axis('servers', { type: 'category', data: servers.map(serversText) }),
    yAxis: yAxis(`max sustainable (${rateUnit(group)})`),
    series: variantsIn(rows).map(v => ({
      name: label(v), type: 'bar', color: color(v), barMaxWidth: 64, barGap: '12%',
      data: servers.map(n => {
        const c = rows.find(x => x.variant === v && x.servers === n);
        return c ? {
          value: c.maxRps, capacity: c, itemStyle: c.lowerBound ? { decal: HATCH, opacity: 0.75 } : undefined,
          label: { show: true, position: 'top', fontSize: 10, formatter: (c.lowerBound ? '≥ ' : '') + num(c.maxRps) }
        } : null;
      })
    }))
  }));
}

function capacityTip(c) {
  return `${label(c.variant)} · ${serversText(c.servers)} · ${costText(c.cost)}<br>max ${c.lowerBound ? '≥ ' : ''}` +
    `${num(c.maxRps)}/s, ${c.repeats > 1 ? 'spread ' + pct(c.spread) : 'one repeat'}<br>p99 at max ` +
    `${num(c.p99AtMaxMs)} ms · stopped by ${c.stoppedBy}`;
}

/** Capacity against servers, when some variant was measured at two server counts or more; then the efficiencies. */
function scalingCharts(s, costs) {
  const counts = v => distinct(R.capacities.filter(c => c.variant === v).map(c => c.servers)).length;
  if (!variantsIn(R.capacities).some(v => counts(v) > 1)) {
    if (R.capacities.length) {
      caption(s, 'Capacity against servers: every variant ran at one server count only, so there is no scaling to draw.');
    }
    return;
  }
  s.append(el('h3', {}, 'Capacity against servers'));
  const row = grid(s, 2);
  costs.forEach(cost => {
    const rows = R.capacities.filter(c => c.cost === cost);
    chart(row, Object.assign(baseOption(`${costText(cost)}: maximum sustainable rate against servers`,
      'solid: RI1 (requests/s) · dashed: RI2 (transactions/s) · ▲ "≥" = lower bound'), {
      tooltip: { trigger: 'item', confine: true, formatter: p => capacityTip(p.data.capacity) },
      xAxis: serversAxis(),
      yAxis: yAxis('max sustainable (requests/s)', { min: 0 }),
      series: variantsIn(rows).map(v => ({
        name: label(v), type: 'line', color: color(v), symbolSize: 9,
        lineStyle: { type: variant(v).group === 'RI2' ? 'dashed' : 'solid', width: 2 },
        data: rows.filter(c => c.variant === v).sort((a, b) => a.servers - b.servers).map(c => ({
          value: [c.servers, c.maxRps], capacity: c, symbol: c.lowerBound ? 'triangle' : 'circle',
          symbolSize: c.lowerBound ? 13 : 9,
          label: { show: c.lowerBound, formatter: '≥', position: 'top', fontWeight: 'bold', color: WARN }
        }))
      }))
    }));
  });
  table(s, ['variant', 'cost', 'servers', 'gain', 'scaling efficiency'],
    R.scaling.slice().sort(byRun).map(x => [label(x.variant), x.cost, `${x.fromServers} → ${x.toServers}`,
      (x.lowerBound ? '≥ ' : '') + '×' + num(x.gain), (x.lowerBound ? '≥ ' : '') + num(x.efficiency)]));
  caption(s, 'Gain = capacity at the largest server count / at the smallest; efficiency = gain / (ratio of server ' +
    'counts): 1 = linear scaling. "≥": the largest count\'s capacity is a lower bound, and so is the efficiency.');
}

// ---- 5. latency added --------------------------------------------------------------------------------------

function latency() {
  const s = section('Latency added over direct at fixed rates', 'latency');
  caption(s, 'Every variant at the same offered rates: fixed fractions of RI1 direct\'s maximum sustainable ' +
    'throughput at that server count and cost. Bars: the transaction\'s p99 (or p50) in ms, median over repeats, on ' +
    'a logarithmic axis. RI1\'s transaction is one GET /work; RI2\'s figures are per transaction: PEAK\'s call to B ' +
    'plus its session\'s token / k, the mesh\'s one /chain. Pale hatched bars labelled "not sustained" are rates the ' +
    'variant failed (errors or p99 over the SLO): their latencies are those of an overload. A missing bar: that ' +
    'level was not run. The table adds what each variant adds over RI1 direct at the same rate (negative: faster ' +
    'than direct, which is noise or queueing in direct).');
  const panels = panelsOf(R.latencyAdded);
  if (!panels.length) {
    note(s, `No latency to compare: ${noFixedRates()}.`);
    return;
  }
  let percentile = 'p99Ms';
  const boxes = panels.map(() => null);
  const redraw = () => panels.forEach((p, i) => draw(boxes[i], latencyOption(p, percentile)));
  toggle(s, 'Bars show', [['p99Ms', 'p99'], ['p50Ms', 'p50']], percentile, p => { percentile = p; redraw(); });
  const row = grid(s, panels.length > 1 ? 2 : 1);
  panels.forEach((p, i) => { boxes[i] = chartBox(row, 'tall'); });
  redraw();
  table(tableBox(s, 'Every fixed rate: latency and latency added', R.latencyAdded.length),
    ['variant', 'cost', 'servers', 'fraction', 'rate (/s)', 'sustained', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)',
      'added p50 (ms)', 'added p90 (ms)', 'added p99 (ms)'],
    R.latencyAdded.map(l => [label(l.variant), l.cost, l.servers, pct(l.fraction), num(l.rate),
      l.passed ? 'yes' : 'not sustained', num(l.p50Ms), num(l.p90Ms), num(l.p99Ms), signed(l.addedP50Ms),
      signed(l.addedP90Ms), signed(l.addedP99Ms)]),
    i => (R.latencyAdded[i].passed ? null : 'failed'));
}

/** One chart per cost and server count, costs first: the groups the fixed rates were set for. */
function panelsOf(rows) {
  const keys = new Map();
  rows.forEach(r => keys.set(`${r.cost}|${r.servers}`, { cost: r.cost, servers: r.servers }));
  return [...keys.values()].sort((a, b) => a.cost - b.cost || a.servers - b.servers);
}

function latencyOption(panel, key) {
  const rows = R.latencyAdded.filter(l => l.cost === panel.cost && l.servers === panel.servers);
  const fractions = distinct(rows.map(l => l.fraction));
  const rateAt = f => rows.find(l => sameFraction(l.fraction, f)).rate;
  const name = key === 'p99Ms' ? 'p99' : 'p50';
  // Bars on a log axis grow from 1, so they are drawn in µs (every latency is far above 1 µs and the base falls
  // below the axis) and the axis is labelled in ms: a unit conversion, the figures are the JSON's.
  const title = `${costText(panel.cost)}, ${serversText(panel.servers)}: transaction ${name} at fixed rates`;
  return Object.assign(baseOption(title, 'x: share of RI1 direct\'s capacity, and the offered rate'), {
    tooltip: { trigger: 'item', confine: true, formatter: p => latencyTip(p.data.row) },
    xAxis: axis('offered rate (share of the baseline\'s capacity)', { type: 'category', nameGap: 40,
      // on two lines and every one shown: a phone's plot would otherwise drop every other fraction
      data: fractions.map(f => `${pct(f)}\n${num(rateAt(f))}/s`), axisLabel: { interval: 0, lineHeight: 13 } }),
    yAxis: logAxis(`${name} latency (ms, log scale)`, { axisLabel: { formatter: v => num(v / 1000) } }),
    series: variantsIn(rows).map(v => ({
      name: label(v), type: 'bar', color: color(v), barGap: '8%', barMaxWidth: 40, clip: true,
      data: fractions.map(f => {
        const l = rows.find(x => x.variant === v && sameFraction(x.fraction, f));
        return l && l[key] > 0 ? {
          value: 1000 * l[key], row: l,
          itemStyle: l.passed ? undefined : { color: lighten(color(v), 0.6), decal: HATCH },
          label: { show: !l.passed, formatter: 'not sustained', position: 'insideBottom', rotate: 90, align: 'left',
            verticalAlign: 'middle', distance: 6, fontSize: 10, color: '#111', backgroundColor: 'rgba(255,255,255,0.85)',
            padding: [1, 3] }
        } : null;
      })
    }))
  });
}

function latencyTip(l) {
  return `${label(l.variant)} · ${pct(l.fraction)} of the baseline (${num(l.rate)}/s)` +
    `${l.passed ? '' : ' — not sustained'}` +
    `<br>p50 ${num(l.p50Ms)} · p90 ${num(l.p90Ms)} · p99 ${num(l.p99Ms)} ms` +
    `<br>over direct: p50 ${signed(l.addedP50Ms)} · p99 ${signed(l.addedP99Ms)} ms`;
}

// ---- 6. cost per request by component ----------------------------------------------------------------------

function costBreakdown() {
  const s = section('CPU cost per request by component', 'cost');
  caption(s, 'CPU microseconds each component spent per primary request (RI2: per transaction) at the fixed rates, ' +
    'each component\'s median over repeats, from its instances\' own cgroup counters. The stack is the system: the ' +
    'servers\' own work in blues, the balancing infrastructure (proxy, ingress, sidecars, peak-dns) in oranges. The ' +
    'grey bar beside it is the load generator, the client: not part of the system, shown for scale. Tax = ' +
    'infrastructure µs / servers µs, under each variant\'s name.');
  const rows = R.costBreakdowns;
  if (!rows.length) {
    note(s, `No cost per request to compare: ${noFixedRates()}.`);
    return;
  }
  const fractions = distinct(rows.map(c => c.fraction));
  let fraction = fractions.find(f => sameFraction(f, 0.5));
  if (fraction === undefined) fraction = fractions[0];
  const panels = panelsOf(rows);
  const boxes = [];
  const redraw = () => panels.forEach((p, i) => draw(boxes[i], costOption(p, fraction)));
  if (fractions.length > 1) {
    toggle(s, 'At', fractions.map(f => [f, `${pct(f)} of the baseline's capacity`]), fraction,
      f => { fraction = f; redraw(); });
  }
  const row = grid(s, panels.length > 1 ? 2 : 1);
  panels.forEach(() => boxes.push(chartBox(row, 'tall')));
  redraw();
  const roles = ROLES.filter(role => rows.some(c => role.id in c.byRole)).concat(otherRoles(rows));
  const box = tableBox(s, 'Every fixed rate: CPU µs per request', rows.length);
  caption(box, 'Each component, then the servers (A and B), the infrastructure, the tax and the generator.');
  table(box, ['variant', 'cost', 'servers', 'fraction', 'rate (/s)'].concat(roles.map(role => role.name),
    ['servers', 'infrastructure', 'tax', 'generator']),
  rows.map(c => [label(c.variant), c.cost, c.servers, pct(c.fraction), num(c.rate)].concat(
    roles.map(role => (role.id in c.byRole ? num(c.byRole[role.id]) : '—')),
    [num(c.serversUs), num(c.infrastructureUs), pct(c.tax), num(c.generatorUs)])));
}

/** Components a newer suite measures that this script does not know, drawn in a neutral colour. */
function otherRoles(rows) {
  const known = new Set(ROLES.map(r => r.id).concat(GENERATOR.id));
  return [...new Set(rows.flatMap(c => Object.keys(c.byRole)))].filter(id => !known.has(id)).sort()
    .map(id => ({ id: id, name: id, color: '#b9a3d6' }));
}

function costOption(panel, fraction) {
  const rows = R.costBreakdowns.filter(c => c.cost === panel.cost && c.servers === panel.servers
    && sameFraction(c.fraction, fraction));
  const vs = variantsIn(rows);
  const at = v => rows.find(c => c.variant === v);
  const roles = ROLES.filter(role => rows.some(c => role.id in c.byRole)).concat(otherRoles(rows));
  const rate = rows.length ? ` (${num(rows[0].rate)}/s)` : '';
  const system = roles.map(role => ({
    name: role.name, type: 'bar', stack: 'system', color: role.color, barMaxWidth: 22,
    data: vs.map(v => (role.id in at(v).byRole ? { value: at(v).byRole[role.id], row: at(v) } : null))
  }));
  const client = {
    name: GENERATOR.name, type: 'bar', color: GENERATOR.color, barMaxWidth: 22,
    itemStyle: { opacity: 0.8, decal: HATCH },
    data: vs.map(v => ({ value: at(v).generatorUs, row: at(v) }))
  };
  return Object.assign(baseOption(`${costText(panel.cost)}, ${serversText(panel.servers)}: CPU µs per request at ` +
    `${pct(fraction)} of the baseline${rate}`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => costTip(p.data.row, p.seriesName, p.value) },
    grid: { left: 190, right: 32, bottom: 50 },
    yAxis: { type: 'category', inverse: true, data: vs.map(v => `${label(v)}\ntax ${pct(at(v).tax)}`),
      axisLabel: { fontSize: 11, lineHeight: 14 } },
    xAxis: axis('CPU per request (µs)', { type: 'value' }),
    series: system.concat(client)
  });
}

function costTip(c, component, value) {
  return `${label(c.variant)} at ${num(c.rate)}/s<br>${component}: ${num(value)} µs<br>` +
    `servers ${num(c.serversUs)} µs · ` +
    `infrastructure ${num(c.infrastructureUs)} µs · tax ${pct(c.tax)} · generator ${num(c.generatorUs)} µs`;
}

// ---- 7. generator cost -------------------------------------------------------------------------------------

function generatorCost() {
  const s = section('Generator cost per request', 'generator');
  const budget = (MANIFEST.cpuBudgets || {}).loadGenerator;
  caption(s, 'The load generator\'s own CPU, from its cgroup: left, microseconds per primary request at every ' +
    'level; right, CPUs it used during the level (CPU-seconds per second)',
  typeof budget === 'number' ? `, against its budget of ${num(budget)} CPU` : '',
  '. The generator is the client, not the system: its cost should stay well below the system\'s (compare its µs ' +
  'with the stacks above), and its CPUs well below its budget, or its own queueing sets the latency and the level ' +
  'is judged generator-bound. Hollow points on the right: levels that did not pass.');
  const rows = R.costs.filter(c => c.role === GENERATOR.id);
  const costs = distinct(rows.map(c => c.cost).concat(R.runs.map(r => r.cost)));
  if (!costs.length) note(s, 'No generator to show: this results file has no staircase.');
  costs.forEach(cost => {
    const row = grid(s, 2);
    const perRequest = rows.filter(c => c.cost === cost);
    if (perRequest.length) {
      chart(row, generatorPerRequest(perRequest, cost), 'small');
    } else {
      note(row, `${costText(cost)}: no CPU reading of the generator's cgroup, so no CPU per request.`);
    }
    chart(row, generatorCpus(R.runs.filter(r => r.cost === cost), cost, budget), 'small');
  });
}

function generatorPerRequest(rows, cost) {
  return Object.assign(baseOption(`${costText(cost)}: generator CPU per request`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => `${label(p.data.row.variant)} · ` +
      `${serversText(p.data.row.servers)} · repeat ${p.data.row.repeat} · ${p.data.row.kind} level<br>` +
      `offered ${num(p.value[0])}/s: ${num(p.value[1])} µs per request` },
    xAxis: axis('offered rate (primary requests/s)', { type: 'value' }),
    yAxis: yAxis('CPU per request (µs)', { min: 0 }),
    series: variantsIn(rows).map(v => ({
      name: label(v), type: 'scatter', color: color(v), symbolSize: 7,
      data: rows.filter(c => c.variant === v).map(c => ({ value: [c.offeredRps, c.cpuUsPerRequest], row: c }))
    }))
  });
}

function generatorCpus(runs, cost, budget) {
  const series = variantsIn(runs).map(v => ({
    name: label(v), type: 'scatter', color: color(v), symbolSize: 7,
    data: runs.filter(r => r.variant === v).flatMap(r => r.levels.map(l => ({
      value: [l.rate, l.generatorCpu], run: r, level: l,
      itemStyle: l.passed ? undefined : { color: '#fff', borderColor: color(v), borderWidth: 1.5 }
    })))
  }));
  if (series.length && typeof budget === 'number') {
    series[0].markLine = { silent: true, symbol: 'none', data: [{ yAxis: budget }],
      label: { formatter: `budget ${num(budget)} CPU`, position: 'insideEndTop', fontSize: 10 },
      lineStyle: { color: ALERT, type: 'dashed' } };
  }
  return Object.assign(baseOption(`${costText(cost)}: CPUs the generator used`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => `${runName(p.data.run)}<br>${p.data.level.kind} ` +
      `level, offered ${num(p.value[0])}/s: ${num(p.value[1])} CPU (${p.data.level.verdict})` },
    xAxis: axis('offered rate (primary requests/s)', { type: 'value' }),
    // the top, a tenth above the budget, is seldom a round number: its label would sit on the budget's
    yAxis: yAxis('CPUs used (CPU-seconds/s)', { min: 0, max: v => Math.max(v.max, budget || 0) * 1.1,
      axisLabel: { showMaxLabel: false } }),
    series: series
  });
}

// ---- 8. staircases -----------------------------------------------------------------------------------------

function staircases() {
  const s = section('Staircases: p99 of the primary call at every level', 'staircases');
  caption(s, 'One chart per variant and cost; one series per staircase (server count and repeat). Each point is a ' +
    'level: its offered rate (primary requests/s: RI1 /work, RI2 PEAK B\'s /work, mesh /chain) against the p99 of ' +
    'the primary call in ms, on a log axis. The dashed horizontal line is the SLO; the thin vertical line in the ' +
    'series\' colour, the staircase\'s maximum sustainable rate. Points are joined in order of rate only to follow ' +
    'one staircase. Levels that completed no request have no p99 and are only in the tables.');
  key(s, Object.entries(KINDS).map(([, k]) => [glyph(k.symbol, '#666'), k.text]).concat([
    [glyph('circle', '#666'), 'filled: pass'],
    [glyph('circle', '#fff', '#666'), 'hollow: failed (p99 over the SLO, or as labelled: "errors", "shedding": mostly refused at once with 503, ' +
      '"generator-bound")'],
    [glyph('circle', '#666', '#000'), 'black outline: passed but throttled']]));
  const runs = R.runs.slice().sort(byRun);
  const groups = new Map();
  runs.forEach(r => {
    const k = `${r.cost}|${r.variant}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  });
  const costs = distinct(runs.map(r => r.cost));
  if (!costs.length) {
    note(s, 'No staircase in this results file.');
    return;
  }
  costs.forEach(cost => {
    s.append(el('h3', {}, costText(cost)));
    const row = grid(s, 3);
    [...groups.values()].filter(g => g[0].cost === cost).forEach(g => {
      if (g.some(r => r.levels.some(hasP99))) {
        chart(row, staircaseOption(g), 'stair');
      } else {
        note(row, `${label(g[0].variant)}, ${costText(cost)}: no level completed a request, so no p99 to draw ` +
          '(its levels are in the tables below).');
      }
    });
  });
  table(tableBox(s, 'Staircases and their Gatling reports', runs.length),
    ['variant', 'cost', 'servers', 'repeat', 'CPU budgets', 'warm-up', 'levels', 'max sustainable (/s)', 'stopped by',
    'Gatling report'],
  runs.map(r => [label(r.variant), r.cost, r.servers, r.repeat,
    Object.entries(r.budgets || {}).map(([k, v]) => `${k} ${num(v)}`).join(', '), warmUpText(r.warmUp), r.levels.length,
    r.stop === 'interrupted' ? 'unfinished' : r.maxSustainableRps === null ? 'none passed'
      : (r.stop === 'failed' ? '' : '≥ ') + num(r.maxSustainableRps), r.stop,
    r.gatlingReport ? el('a', { href: r.gatlingReport }, 'open') : '—']));
  variantsIn(runs).forEach(v => levelTable(s, runs.filter(r => r.variant === v)));
}

/** How a staircase's warm-up ended: a level after one that did not settle may carry the JIT compilers' stops. */
function warmUpText(w) {
  if (!w) return '—';
  const stopped = w.mostThrottled ? `, ${w.mostThrottled} throttled ${num(100 * w.throttledShare)} %` : '';
  return `${w.settled ? 'settled' : 'NOT settled'} after ${w.tailSeconds} s at ${num(w.systemUsPerRequest)} µs/req${stopped}`;
}

/** The series of a chart in one variant's colour: darker for more servers (dashed lines for later repeats). */
function shade(hex, i, n) {
  return n < 2 ? hex : lighten(hex, 0.55 * (1 - i / (n - 1))); // the smallest count up to 55 % lighter
}

/** Levels that completed no request have no p99, and a log axis cannot draw a zero. */
function hasP99(l) { return l.primary && l.primary.count > 0 && l.primary.p99Ms > 0; }

function staircaseOption(runs) {
  const first = runs[0];
  const counts = distinct(runs.map(r => r.servers));
  const series = runs.map(r => {
    const hue = shade(color(r.variant), counts.indexOf(r.servers), counts.length);
    const levels = r.levels.filter(hasP99)
      .sort((a, b) => a.rate - b.rate || a.index - b.index);
    return {
      name: `${serversText(r.servers)}, repeat ${r.repeat}`, type: 'line', color: hue,
      lineStyle: { width: 1, opacity: 0.5, type: r.repeat > 1 ? 'dashed' : 'solid' }, showAllSymbol: true,
      labelLayout: { hideOverlap: true },
      data: levels.map(l => levelPoint(r, l, hue)),
      markLine: { silent: true, symbol: 'none', data: maxLine(r, hue, runs.length === 1) }
    };
  });
  // the SLO rides on the first series' marks: a series of its own would need a legend entry
  const slo = sloMark();
  if (series.length && slo) series[0].markLine.data.push(slo);
  const option = Object.assign(baseOption(`${label(first.variant)}, ${costText(first.cost)}`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => (p.data.level ? levelTip(p.data.run, p.data.level) : '') },
    grid: { left: 62, right: 20, bottom: 48 },
    xAxis: axis(`offered rate (${rateUnit(variant(first.variant).group)})`, { type: 'value', scale: true, nameGap: 28,
      max: v => v.max + 0.06 * (v.max - v.min), axisLabel: { showMaxLabel: false } }),
    yAxis: logAxis('p99 of the primary call (ms)', { nameGap: 40 }),
    series: series
  });
  option.legend.show = runs.length > 1; // one staircase: the title says it all
  return option;
}

/** The staircase's maximum sustainable rate as a vertical line, labelled when it is the chart's only staircase. */
function maxLine(run, hue, labelled) {
  if (run.maxSustainableRps === null || run.maxSustainableRps === undefined) return [];
  return [{ xAxis: run.maxSustainableRps, lineStyle: { color: hue, type: 'solid', width: 1 },
    label: { show: labelled, formatter: `max ${run.stop === 'failed' ? '' : '≥ '}${num(run.maxSustainableRps)}`,
      position: 'insideEndTop', fontSize: 9, color: '#333' } }];
}

function levelPoint(run, l, hue) {
  const style = { color: hue };
  if (!l.passed) {
    Object.assign(style, { color: '#fff', borderColor: hue, borderWidth: 2 });
  } else if (throttled(l)) {
    Object.assign(style, { borderColor: '#000', borderWidth: 1.5 });
  }
  const tag = FAILURE_TAGS[l.verdict];
  return {
    value: [l.rate, l.primary.p99Ms], run: run, level: l, symbol: (KINDS[l.kind] || KINDS.climb).symbol,
    symbolSize: l.kind === 'check' ? 13 : 9, itemStyle: style,
    label: { show: !!tag, formatter: tag || '', position: 'top', fontSize: 9, fontWeight: 'bold',
      color: l.verdict === 'errors' || l.verdict === 'shedding' ? ALERT : WARN }
  };
}

function levelTip(run, l) {
  const fraction = l.fraction === null || l.fraction === undefined ? '' : ' ' + pct(l.fraction);
  return `${runName(run)}<br>level ${l.index} (${l.kind}${fraction}): ` +
    `${l.verdict}${(l.flags || []).length ? ', ' + l.flags.join(', ') : ''}<br>offered ${num(l.rate)}/s, achieved ` +
    `${num(l.achievedRps)}/s, ${l.ok} ok / ${l.ko} failed${l.shed ? ` (${l.shed} shed)` : ''}<br>primary p50 ${num(l.primary.p50Ms)} · p99 ` +
    `${num(l.primary.p99Ms)} ms<br>generator ${num(l.generatorCpu)} CPU · most throttled ${l.mostThrottled || '—'} ` +
    `${pct(l.throttledShare)} of the window`;
}

function levelTable(parent, runs) {
  const d = el('details', {}, el('summary', {}, `${label(runs[0].variant)}: every level`));
  parent.append(d);
  const rows = [];
  const classes = [];
  runs.forEach(r => r.levels.slice().sort((a, b) => a.index - b.index).forEach(l => {
    rows.push([label(r.variant), r.cost, r.servers, r.repeat, l.index, l.kind,
      l.fraction === null || l.fraction === undefined ? '—' : pct(l.fraction), num(l.rate), num(l.achievedRps), l.ok, l.ko,
      l.shed || 0, l.sessions, num(l.primary.p50Ms), num(l.primary.p90Ms), num(l.primary.p99Ms), num(l.primary.maxMs), l.verdict,
      (l.flags || []).join(', ') || '—', num(l.generatorCpu), pct(l.throttledShare), l.mostThrottled || '—']);
    classes.push(l.passed ? (throttled(l) ? 'throttled' : null) : l.verdict);
  }));
  table(d, ['variant', 'cost', 'servers', 'repeat', 'level', 'kind', 'fraction', 'offered (/s)', 'achieved (/s)', 'ok',
    'failed', 'of which shed', 'sessions', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)', 'verdict', 'flags', 'generator (CPU)',
    'throttled share', 'most throttled'], rows, i => classes[i]);
}

// ---- 9. enforcement check ----------------------------------------------------------------------------------

function enforcement() {
  const s = section('Enforcement check', 'enforcement');
  caption(s, 'RI1 direct at the same fixed rate (half its capacity) under the CPU enforcement this run measures with ' +
    '(marked "in use") and under the kernel\'s default (100 ms CFS period, no burst), in the same run. Throttled ' +
    'share: the share of the window the most throttled server was stopped by its CPU quota. If the two differ ' +
    'much, the way budgets are enforced, not the architecture, sets the tail latency.');
  if (!R.enforcement.length) {
    note(s, 'Not run: this profile has no enforcement check.');
    return;
  }
  const inUse = e => (MANIFEST.cpuEnforcement || '').includes(e.enforcement);
  table(s, ['enforcement', 'cost', 'servers', 'rate (/s)', 'sustained', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)',
    'throttled share'],
  R.enforcement.slice().sort((a, b) => a.cost - b.cost || a.servers - b.servers).map(e => [
    e.enforcement + (inUse(e) ? ' (in use)' : ''), e.cost, e.servers, num(e.rate), e.passed ? 'yes' : 'no', num(e.p50Ms),
    num(e.p90Ms), num(e.p99Ms), pct(e.throttledShare)]));
}

// ---- 10. balance -------------------------------------------------------------------------------------------

function balance() {
  const s = section('Balance across instances', 'balance');
  caption(s, 'Jain\'s fairness index of the requests each instance served over a staircase\'s passing levels, per ' +
    'staircase with two servers or more: 1 = even, 1/n = one instance took all. One point per staircase (its ' +
    'shape: the server count; side by side: repeats). RI1 counts A\'s instances, RI2 B\'s.');
  const runs = R.runs.filter(r => r.balance && r.servers >= 2).sort(byRun);
  if (!runs.length) {
    note(s, R.runs.some(r => r.servers >= 2)
      ? 'No balance to show: no staircase with two servers or more counted the requests of each instance.'
      : 'No balance to show: every staircase ran at one server, so there is nothing to balance.');
    return;
  }
  const costs = distinct(runs.map(r => r.cost));
  const row = grid(s, 2);
  costs.forEach(cost => chart(row, balanceOption(runs.filter(r => r.cost === cost), cost), 'small'));
  table(tableBox(s, 'Balance of every staircase with two servers or more', runs.length),
    ['variant', 'cost', 'servers', 'repeat', 'Jain\'s index', 'coefficient of variation', 'requests per instance'],
    runs.map(r => [label(r.variant), r.cost, r.servers, r.repeat, r.balance.jain.toFixed(4), num(r.balance.cv),
      Object.entries(r.balance.perInstance).map(([k, c]) => `${k}: ${c}`).join(', ')]));
}

function balanceOption(runs, cost) {
  const vs = variantsIn(runs);
  const counts = distinct(runs.map(r => r.servers));
  const repeats = distinct(runs.map(r => r.repeat));
  const symbols = ['circle', 'rect', 'triangle', 'diamond', 'pin'];
  // side by side within a variant, in pixels, so that server counts and repeats do not hide each other
  const offset = r => 22 * (counts.indexOf(r.servers) - (counts.length - 1) / 2)
    + 8 * (repeats.indexOf(r.repeat) - (repeats.length - 1) / 2);
  return Object.assign(baseOption(`${costText(cost)}: Jain's index per staircase`), {
    tooltip: { trigger: 'item', confine: true,
      formatter: p => `${runName(p.data.run)}<br>Jain ${p.data.run.balance.jain.toFixed(4)}` },
    xAxis: axis('variant', { type: 'category', data: vs.map(v => label(v).replace(' (', '\n(')), nameGap: 40,
      axisLabel: { interval: 0, fontSize: 10, lineHeight: 13 } }),
    yAxis: yAxis('Jain\'s index (1 = even)', { max: 1, min: v => Math.max(0, Math.floor(v.min * 20) / 20 - 0.05) }),
    series: counts.map((n, i) => ({
      name: serversText(n), type: 'scatter', symbol: symbols[i % symbols.length], symbolSize: 11, color: '#555',
      data: runs.filter(r => r.servers === n).map(r => ({ value: [vs.indexOf(r.variant), r.balance.jain], run: r,
        symbolOffset: [offset(r), 0], itemStyle: { color: color(r.variant) } }))
    }))
  });
}

// ---- 11. faults --------------------------------------------------------------------------------------------

function faults() {
  const s = section('Fault tolerance', 'faults');
  caption(s, 'Requests completed per second under constant load, one fault injected at the dashed black line: ' +
    'green = ok, red = failed. The solid green line marks recovery, as RQ1\'s answer defines it: the first ' +
    'seconds without a failed request whose ok rate is back near the rate before the fault. Error window: first ' +
    'to last second with a failed request; "not recovered": the run ended first. Client: what sent the requests. ' +
    'Gatling\'s keeps a DNS answer for its TTL and resends nothing, so under PEAK a dead server\'s clients fail until ' +
    'their answer expires; peak-client\'s moves a failed request to another server and asks peak-dns again. A proxy\'s ' +
    'clients need no failover of their own: the proxy retries for them. Client CPU: the load generator\'s CPU per ' +
    'request over the fault\'s level, what the client itself cost.');
  const list = R.faults.slice().sort((a, b) => byRun(a, b) || clientOf(a).localeCompare(clientOf(b)));
  if (!list.length) {
    note(s, 'No fault run in this profile.');
    return;
  }
  const grid3 = grid(s, 3);
  list.forEach(f => chart(grid3, faultOption(f), 'small'));
  table(s, ['variant', 'client', 'fault', 'servers', 'rate (/s)', 'requests', 'failed', 'error window', 'recovery',
    'client CPU (µs/req)'],
    list.map(f => [label(f.variant), CLIENTS[clientOf(f)], f.fault, f.servers, num(f.rate), f.requests, f.errors,
      num(f.errorWindowS) + ' s', recoveryText(f.recoveryS), f.generatorUsPerRequest == null ? '—'
        : num(f.generatorUsPerRequest)]), i => (list[i].recoveryS < 0 ? 'failed' : null));
}

/** Results written before the client was a choice were all sent by Gatling. */
function clientOf(f) { return f.client || 'gatling'; }

const CLIENTS = { 'gatling': 'Gatling, no failover', 'peak-client': 'peak-client, failover' };

function faultOption(f) {
  const ts = f.timeline.map(x => String(x.t));
  const lines = [{ xAxis: String(f.faultAtS), lineStyle: { color: '#000', type: 'dashed', width: 1.5 },
    label: { formatter: 'fault', position: 'end', color: '#000' } }];
  if (f.recoveryS >= 0) {
    // unlabelled: it is often a second from the fault's label; the subtitle gives the time
    lines.push({ xAxis: String(f.faultAtS + Math.round(f.recoveryS)), label: { show: false },
      lineStyle: { color: '#2a7a2a', type: 'solid', width: 2 } });
  }
  // a variant whose faults ran under two clients names the client of each chart
  const by = R.faults.some(g => g.variant === f.variant && clientOf(g) !== clientOf(f)) ? ` · ${clientOf(f)}` : '';
  return Object.assign(baseOption(`${label(f.variant)}: ${f.fault}${by}`,
    `${f.errors} failed of ${f.requests} · window ${num(f.errorWindowS)} s · ${f.recoveryS < 0 ? 'NOT RECOVERED'
      : 'recovered in ' + num(f.recoveryS) + ' s'}`), {
    grid: { left: 58, right: 16, bottom: 44 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: axis('time (s)', { type: 'category', data: ts, nameGap: 26 }),
    yAxis: yAxis('requests/s', { nameGap: 44 }),
    series: [
      { name: 'ok', type: 'bar', stack: 't', color: '#6aa84f', barCategoryGap: '10%', data: f.timeline.map(x => x.ok),
        markLine: { silent: true, symbol: 'none', data: lines, label: { fontSize: 10, fontWeight: 'bold' } } },
      { name: 'failed', type: 'bar', stack: 't', color: ALERT, data: f.timeline.map(x => x.ko) }
    ]
  });
}

// ---- 12. at scale ------------------------------------------------------------------------------------------

// The model's three sources against servers: the lab as filled points, the bottleneck model as a dashed line in the
// variant's colour, the simulation as a paler solid line with small points, under the model's dashes where they agree.
const SOURCES = [
  { id: 'measured', text: 'measured (lab)', glyph: () => glyph('circle', '#555'),
    series: hex => ({ type: 'scatter', symbol: 'circle', symbolSize: 11, z: 4,
      itemStyle: { color: hex, borderColor: '#fff', borderWidth: 1.5 } }) },
  { id: 'model', text: 'bottleneck model', glyph: () => lineGlyph('#555', true, false),
    // points only for the tooltip: the dashes are the model's mark
    series: hex => ({ type: 'line', color: hex, z: 3, symbol: 'circle', symbolSize: 10, itemStyle: { opacity: 0 },
      lineStyle: { type: 'dashed', width: 2 }, emphasis: { disabled: true } }) },
  { id: 'simulation', text: 'simulation', glyph: () => lineGlyph('#999', false, true),
    series: hex => ({ type: 'line', color: lighten(hex, 0.4), z: 2, symbol: 'circle', symbolSize: 5,
      lineStyle: { width: 2 } }) }
];
// the model's checks against the lab: a figure further off than this is an error worth a look
const MODEL_TOLERANCE = 0.15;

function manyServers(n) { return n === 1 ? '1 server' : `${grouped(n)} servers`; }

function jainText(j) { return typeof j === 'number' ? j.toFixed(4) : '—'; }

function secondsText(s) { return typeof s === 'number' ? num(s) + ' s' : '—'; }

function relErrorText(e) { return typeof e === 'number' ? signed(100 * e) + ' %' : '—'; }

/** A note in a table: left, and wrapped when long; without one, a dash that keeps the column left (a span). */
function noteCell(text) { return text || el('span', {}, '—'); }

function beyondTolerance(e) { return typeof e === 'number' && Math.abs(e) > MODEL_TOLERANCE; }

/**
 * What scale.sh model carries beyond the lab (model.json): its answer to RQ3, the variants against servers up to
 * thousands, its checks against the lab, the Universal Scalability Law's fits, and the DNS sweeps the lab cannot
 * run. Only when the folder has a model.json.
 */
function atScale() {
  if (!MODEL) return;
  const s = section('At scale: the variants beyond the lab', 'at-scale');
  const st = MODEL.settings || {};
  caption(s, 'From model.json (scale.sh model', st.generatedAt ? `, ${st.generatedAt}` : '', '): the lab\'s CPU ' +
    'cost per request of each component, carried to server counts the lab cannot reach by a bottleneck model (the ' +
    'first instance to run out of CPU sets the maximum) and by a discrete-event simulation of every variant\'s path, ' +
    'both checked against the lab below. The answers above speak for the lab; this one for the model.');
  const answer = el('div', { class: 'answers' });
  s.append(answer);
  if (!(MODEL.answer || []).length) answer.append(el('p', {}, 'No answer in model.json.'));
  answerParagraphs(answer, MODEL.answer || []);
  s.append(el('p', { class: 'meta' }, el('strong', {}, 'Settings: '),
    `calibrated at ${costText(st.cost)} · CPUs per instance: as the lab granted each variant (the table of what the ` +
    `model was given) · P = ${typeof st.proxyCpus === 'number' ? num(st.proxyCpus) + ' CPU' : 'the lab\'s proxy budget'}` +
    `, the one proxy or ingress at every server count · simulations offered ${pct(st.loadFraction)} of the model's capacity, ` +
    `${grouped(st.sessions)} sessions of ${st.requestsPerSession} requests or more.`));
  scaleCharts(s, st);
  modelChecks(s);
  uslFits(s);
  dnsBalance(s);
  dnsLoad(s);
  errorWindows(s, st);
  modelInputs(s);
  if ((MODEL.notes || []).length) {
    s.append(el('h3', {}, 'Notes of the model'));
    s.append(el('ul', {}, MODEL.notes.map(n => el('li', {}, n))));
  }
}

function scaleCharts(s, st) {
  s.append(el('h3', {}, 'Against servers'));
  const rows = MODEL.curves || [];
  if (!rows.length) {
    note(s, 'No curve in model.json.');
    return;
  }
  key(s, SOURCES.map(src => [src.glyph(), src.text]));
  const counts = distinct(rows.map(c => c.servers).concat(st.servers || []));
  const xAxis = axis('servers (log scale)', { type: 'log', logBase: 10, nameGap: 28,
    min: Math.pow(10, Math.floor(Math.log10(counts[0]))), max: Math.pow(10, Math.ceil(Math.log10(counts[counts.length - 1]))),
    axisLabel: { formatter: compact } });
  const panels = [
    { field: 'maxRps', title: 'Maximum throughput against servers', log: true,
      sub: 'RI1 requests/s, RI2 transactions/s, log scale',
      yAxis: logAxis('max throughput (/s)', { axisLabel: { formatter: compact },
        min: v => Math.pow(10, Math.floor(Math.log10(v.min))) }) },
    { field: 'infraCpuShare', title: 'CPU outside the servers, against servers', scale: 100,
      sub: 'proxy, ingress, sidecars and peak-dns: % of all CPU per request',
      yAxis: yAxis('infrastructure share (%)', { min: 0 }) },
    { field: 'p99Ms', title: `p99 at ${pct(st.loadFraction)} of capacity, against servers`,
      sub: 'lab: its level nearest that share of its maximum',
      yAxis: yAxis('p99 (ms)', { min: 0 }) }
  ];
  const row = grid(s, 3);
  panels.forEach(p => {
    const series = scaleSeries(rows, p);
    if (!pointsIn(series)) {
      note(row, `${p.title}: no value in model.json.`);
      return;
    }
    chart(row, Object.assign(baseOption(p.title, p.sub), {
      tooltip: { trigger: 'item', confine: true, formatter: x => curveTip(x.data.row) },
      grid: { left: 64, right: 22, bottom: 50 },
      legend: { type: 'plain', itemGap: 10, textStyle: { fontSize: 11 },
        data: [...new Set(series.map(x => x.name))].map(n => ({ name: n, icon: 'roundRect' })) },
      xAxis: xAxis,
      yAxis: p.yAxis,
      series: series
    }), 'tall');
  });
  caption(s, 'Missing points: that source has no such figure (the model gives no p99, the lab ran at few server ' +
    'counts). The model\'s infrastructure share is a property of the variant\'s path, so its line is flat; the ' +
    'simulation\'s maximum is the rate at which its busiest instance would saturate.');
}

/** One series per variant and source, in the variant's colour; a missing figure (or a zero on a log axis) skipped. */
function scaleSeries(rows, panel) {
  const value = c => {
    const x = c[panel.field];
    return typeof x === 'number' && (!panel.log || x > 0) ? x * (panel.scale || 1) : null;
  };
  return variantsIn(rows).flatMap(v => SOURCES.map(src => {
    const points = rows.filter(c => c.variant === v && c.source === src.id && value(c) !== null)
      .sort((a, b) => a.servers - b.servers);
    return points.length ? Object.assign({ name: label(v) }, src.series(color(v)),
      { data: points.map(c => ({ value: [c.servers, value(c)], row: c })) }) : null;
  })).filter(Boolean);
}

function curveTip(c) {
  const source = (SOURCES.find(src => src.id === c.source) || { text: c.source }).text;
  const has = x => typeof x === 'number';
  const figures = [has(c.maxRps) ? `max ${grouped(c.maxRps)}/s` : null,
    has(c.infraCpuShare) ? `infrastructure ${pct(c.infraCpuShare)}` : null, has(c.p99Ms) ? `p99 ${num(c.p99Ms)} ms` : null,
    has(c.jain) ? `Jain ${jainText(c.jain)}` : null].filter(Boolean);
  const dns = has(c.dnsQps) ? `<br>peak-dns: ${grouped(c.dnsQps)} queries/s` +
    `${has(c.dnsReplicas) ? ` on ${plural(c.dnsReplicas, 'replica')}` : ''}` : '';
  return `${label(c.variant)} · ${manyServers(c.servers)} · ${source}<br>${figures.join(' · ')}` +
    `${c.bottleneck ? '<br>bound by ' + c.bottleneck : ''}${dns}`;
}

function modelChecks(s) {
  s.append(el('h3', {}, 'The model against the lab'));
  const rows = (MODEL.validation || []).slice().sort(byRun);
  caption(s, 'Where the lab measured a maximum, the bottleneck model\'s and the simulation\'s at the lab\'s ' +
    'configuration. The lab\'s search brackets its maximum between the highest rate that passed and the lowest that ' +
    'failed above it; the model\'s error is its distance outside that bracket (0 inside), the simulation\'s is to the ' +
    `lab's maximum. Red rows: an error beyond ±${num(100 * MODEL_TOLERANCE)} %. ` +
    '"≥": the lab\'s maximum is only a lower bound (the generator or the plan ended its search), so a model above it ' +
    'may be right. Jain: the balance of the servers\' requests, in the lab and in the simulation.');
  table(s, ['variant', 'servers', 'lab: passed (/s)', 'lab: failed (/s)', 'model (/s)', 'model error',
    'simulation (/s)', 'simulation error', 'Jain: lab', 'Jain: simulation', 'lab\'s maximum'],
  rows.map(v => [label(v.variant), v.servers, (v.lowerBound ? '≥ ' : '') + grouped(v.measuredRps),
    typeof v.failedRps === 'number' ? grouped(v.failedRps) : '—', grouped(v.modelRps), relErrorText(v.bracketError),
    grouped(v.simRps), relErrorText(v.simRelError), jainText(v.measuredJain), jainText(v.modelJain),
    v.lowerBound ? 'lower bound' : 'the system\'s']),
  i => (beyondTolerance(rows[i].bracketError) ? 'failed' : null));
  const faultRows = (MODEL.faultValidation || []).slice().sort(byRun);
  if (!faultRows.length) {
    caption(s, 'No fault run in the lab, so no fault to simulate against it.');
    return;
  }
  caption(s, 'The lab\'s fault runs simulated: the same variant, servers, rate and fault. Error window: first to ' +
    'last second with a failed request.');
  table(s, ['variant', 'fault', 'servers', 'rate (/s)', 'error window: lab', 'simulation', 'failed requests: lab',
    'simulation', 'note'],
  faultRows.map(f => [label(f.variant), f.fault, f.servers, grouped(f.rate), secondsText(f.measuredWindowS),
    secondsText(f.modelWindowS), grouped(f.measuredErrors), grouped(f.modelErrors), noteCell(f.note)]));
}

function uslFits(s) {
  s.append(el('h3', {}, 'Universal Scalability Law on the lab\'s maxima'));
  caption(s, 'X(N) = λN / (1 + σ(N − 1) + κN(N − 1)), fitted to the maxima the system set (not the generator or ' +
    'the plan): λ, one server\'s rate; σ, contention; κ, coherency, the cost of servers knowing of one another, ' +
    'which makes throughput fall past a peak. Brackets: 95 % confidence intervals. A κ whose interval holds 0 ' +
    'cannot be told from no coherency cost at all, and then no peak is claimed.');
  const rows = (MODEL.usl || []).slice().sort(byRun);
  const fitted = rows.filter(u => typeof u.lambda === 'number');
  const interval = ci => `[${num((ci || [])[0])}, ${num((ci || [])[1])}]`;
  if (fitted.length) {
    table(s, ['variant', 'points', 'λ (/s)', 'σ', 'σ: 95 % interval', 'κ', 'κ: 95 % interval', 'κ indistinguishable from 0',
      'peak at N', 'R²', 'note'],
    fitted.map(u => [label(u.variant), u.points, grouped(u.lambda), num(u.sigma), interval(u.sigmaCi), num(u.kappa),
      interval(u.kappaCi), u.kappaIndistinguishableFromZero === null || u.kappaIndistinguishableFromZero === undefined
        ? '—' : u.kappaIndistinguishableFromZero ? 'yes: no peak claimed' : 'no',
      typeof u.peakServers === 'number' ? grouped(u.peakServers) : '∞ (none)', num(u.rSquared), noteCell(u.note)]));
  }
  // the variants without a fit, one line per reason
  const reasons = new Map();
  rows.filter(u => typeof u.lambda !== 'number').forEach(u => {
    const why = u.note || 'no reason given';
    reasons.set(why, (reasons.get(why) || []).concat(label(u.variant)));
  });
  reasons.forEach((names, why) => note(s, `No fit for ${names.join(', ')}: ${why}.`));
  if (!rows.length) note(s, 'No fit in model.json.');
}

function dnsBalance(s) {
  s.append(el('h3', {}, 'DNS caching and balance'));
  const rows = MODEL.balance || [];
  if (!rows.length) {
    note(s, 'No balance sweep in model.json (scale.sh model --no-sweeps skips it).');
    return;
  }
  caption(s, 'Simulated: clients that keep peak-dns\'s answer for the TTL send all their requests to one server ' +
    'meanwhile, so few clients and long TTLs unbalance the servers. Jain\'s index of the requests each server ' +
    'served, per policy of peak-dns, against TTL and clients: 1 = even, 1/n = one server took all; paler = more ' +
    'even. The table adds the busiest server\'s share over the idlest\'s and the share of the model\'s capacity the ' +
    'simulation reached.');
  const low = Math.min(...rows.map(b => b.jain));
  const row = grid(s, 2);
  [...new Set(rows.map(b => b.policy))].forEach(p => chart(row, balanceHeatmap(rows.filter(b => b.policy === p), low),
    'small'));
  table(tableBox(s, 'Every point of the balance sweep', rows.length),
    ['policy', 'TTL', 'clients', 'servers', 'Jain\'s index', 'busiest / idlest', 'capacity reached'],
    rows.map(b => [b.policy, secondsText(b.ttlS), grouped(b.clients), b.servers, jainText(b.jain),
      typeof b.maxMinShare === 'number' ? '×' + num(b.maxMinShare) : '∞ (one served none)', pct(b.capacityShare)]));
}

function balanceHeatmap(rows, low) {
  const ttls = distinct(rows.map(b => b.ttlS));
  const clients = distinct(rows.map(b => b.clients));
  const option = Object.assign(baseOption(`${rows[0].policy}: Jain's index`,
    `${manyServers(rows[0].servers)}, peak-dns answering by ${rows[0].policy}`), {
    tooltip: { trigger: 'item', confine: true, formatter: p => balanceTip(p.data.row) },
    grid: { left: 64, right: 16, bottom: 50 },
    xAxis: axis('clients', { type: 'category', data: clients.map(grouped), nameGap: 28 }),
    yAxis: yAxis('TTL', { type: 'category', data: ttls.map(secondsText), nameGap: 44 }),
    // one scale for every policy, from the sweep's lowest index to 1
    visualMap: { show: false, dimension: 2, min: Math.min(low, 0.99), max: 1,
      inRange: { color: ['#d6604d', '#f4a582', '#fddbc7', '#f7f7f7'] } },
    series: [{ type: 'heatmap', itemStyle: { borderColor: '#fff', borderWidth: 2 },
      label: { show: true, fontSize: 12, color: '#222', formatter: p => p.data.row.jain.toFixed(3) },
      data: rows.map(b => ({ value: [clients.indexOf(b.clients), ttls.indexOf(b.ttlS), b.jain], row: b })) }]
  });
  option.legend.show = false;
  return option;
}

function balanceTip(b) {
  return `${b.policy} · TTL ${secondsText(b.ttlS)} · ${grouped(b.clients)} clients · ${manyServers(b.servers)}` +
    `<br>Jain ${jainText(b.jain)} · busiest / idlest ${typeof b.maxMinShare === 'number' ? '×' + num(b.maxMinShare)
      : '∞'} · capacity reached ${pct(b.capacityShare)}`;
}

function dnsLoad(s) {
  const rows = MODEL.dnsLoad || [];
  if (!rows.length) return;
  s.append(el('h3', {}, 'peak-dns load'));
  const perTtl = distinct(rows.map(d => d.requestsPerClientPerTtl));
  const rates = distinct(rows.map(d => d.requestRps));
  const calibrated = (MODEL.calibration || []).find(c => typeof c.dnsUsPerQuery === 'number');
  caption(s, 'The queries per second peak-dns answers, and the replicas of one CPU that carry them, for a request ' +
    'rate and the requests each client sends within one TTL (a client asks again once its answer expires)',
  calibrated ? `, at the ${num(calibrated.dnsUsPerQuery)} µs per query the lab measured for ${label(calibrated.variant)}`
    : '', '. Each cell: queries/s → replicas.');
  table(s, ['request rate (/s)'].concat(perTtl.map(k => `${grouped(k)} request${k === 1 ? '' : 's'} per TTL`)),
    rates.map(rate => [grouped(rate)].concat(perTtl.map(k => {
      const d = rows.find(x => x.requestRps === rate && x.requestsPerClientPerTtl === k);
      return d ? `${grouped(d.dnsQps)} → ${d.replicasOfOneCpu}` : '—';
    }))));
}

function errorWindows(s, st) {
  const rows = MODEL.errorWindows || [];
  if (!rows.length) return;
  s.append(el('h3', {}, 'Error window after a server kill'));
  caption(s, 'Simulated: a server killed under load, against the TTL of peak-dns\'s answers and the interval of ' +
    `the health checks (a server leaves after ${st.fall || 'fall'} failed checks). A PEAK client keeps a dead ` +
    'server for as long as its cached answer lives, so its bound is TTL + fall × interval; a proxy\'s or the ' +
    'mesh\'s, fall × interval. Amber: clients that cache every answer for 30 s whatever the TTL (the JDK\'s ' +
    'default); red: a window beyond its bound.');
  const ordered = rows.slice().sort((a, b) => byVariant(a.variant, b.variant) || a.javaCache - b.javaCache
    || a.ttlS - b.ttlS || a.healthIntervalS - b.healthIntervalS);
  table(s, ['variant', 'client cache', 'health checks every', 'error window', 'failed requests', 'bound'],
    ordered.map(w => [label(w.variant), !variant(w.variant).peak ? '— (no DNS)'
      : w.javaCache ? `Java's 30 s (TTL ${secondsText(w.ttlS)})` : `TTL ${secondsText(w.ttlS)}`,
    secondsText(w.healthIntervalS), secondsText(w.windowS), grouped(w.errors), secondsText(w.boundS)]),
    i => (ordered[i].windowS > ordered[i].boundS ? 'failed' : ordered[i].javaCache ? 'java-cache' : null));
}

/** What the model was given (the lab's costs) and what its largest simulations took. */
function modelInputs(s) {
  const calibration = (MODEL.calibration || []).slice().sort(byRun);
  const timings = (MODEL.timings || []).slice().sort(byRun);
  if (calibration.length) {
    const roles = ROLES.filter(role => calibration.some(c => role.id in (c.usPerRequest || {})));
    const box = tableBox(s, 'What the model was given: CPU µs per request in the lab, where each role was busiest, ' +
      'and the CPUs per instance', calibration.length);
    table(box, ['variant', 'servers'].concat(roles.map(role => role.name), ['µs per DNS query', 'DNS queries per request',
      'CPUs: server', 'CPUs: proxy, sidecar, replica']),
      calibration.map(c => [label(c.variant), c.servers].concat(
        roles.map(role => (role.id in (c.usPerRequest || {}) ? num(c.usPerRequest[role.id]) : '—')),
        [num(c.dnsUsPerQuery), num(c.dnsQueriesPerRequest), num(c.serverCpus), num(c.proxyCpus)])));
  }
  if (timings.length) {
    s.append(el('h3', {}, 'Simulation timings'));
    caption(s, 'The largest simulations, on the machine that wrote model.json.');
    table(s, ['variant', 'servers', 'sessions', 'requests', 'events', 'wall time'],
      timings.map(t => [label(t.variant), grouped(t.servers), grouped(t.sessions), grouped(t.requests),
        grouped(t.events), secondsText(t.wallS)]));
  }
}

// ---- 13. manifest ------------------------------------------------------------------------------------------

function manifest() {
  const s = section('Run manifest', 'manifest');
  const text = v => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));
  // values are words even when they look like numbers (versions such as 17.0.15): a span keeps them left
  const kv = obj => Object.entries(obj || {}).map(([k, v]) => [k, el('span', {}, text(v))]);
  table(s, ['item', 'value'], [
    ['profile', MANIFEST.profile || '—'],
    ['command line', el('code', {}, MANIFEST.commandLine || '—')],
    ['git commit', el('code', {}, MANIFEST.gitCommit || '—')],
    ['started (UTC)', MANIFEST.startedAt || '—'],
    ['finished (UTC)', MANIFEST.finishedAt || '—'],
    ['CPU enforcement', MANIFEST.cpuEnforcement || '—'],
    ['miniature', Object.keys(MANIFEST.miniature || {}).length ? text(MANIFEST.miniature) : 'no (budgets as given)'],
    ['client model', MANIFEST.clientModel || '—']
  ]);
  const row = grid(s, 2);
  [['Plan', PLAN], ['CPU budgets (CPUs per instance)', MANIFEST.cpuBudgets], ['Versions', MANIFEST.versions],
    ['Machine', MANIFEST.machine]].forEach(([title, obj]) => {
    const d = el('div', {}, el('h3', {}, title));
    row.append(d);
    table(d, ['key', 'value'], kv(obj));
  });
  if ((MANIFEST.notes || []).length) {
    s.append(el('h3', {}, 'Notes'));
    s.append(el('ul', {}, MANIFEST.notes.map(n => el('li', {}, n))));
  }
  s.append(el('h3', {}, 'Summary as printed at the end of the run'));
  s.append(el('pre', {}, DATA.summaryTable || '—'));
  caption(s, 'Raw data beside this page: ', el('a', { href: 'results.json' }, 'results.json'), ', ',
    el('a', { href: 'results.csv' }, 'results.csv'), ' (one row per level). Charts by Apache ECharts (echarts.min.js).');
}

header();
// the paper's figure first, then the answers that state in words what it and the sections below show
figure();
answers();
capacity();
latency();
costBreakdown();
generatorCost();
staircases();
enforcement();
balance();
faults();
atScale();
manifest();
// The script reached its end, having drawn this many chart boxes: the tests' headless browser reads it beside each
// box's data-points, and a report that stopped half-way has none.
ROOT.setAttribute('data-charts', String(document.querySelectorAll('.chart').length));
