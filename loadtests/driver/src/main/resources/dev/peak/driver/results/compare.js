// Builds compare.html from the one JSON object CompareWriter embeds, DATA = {a, b, rows, warnings, variants, table}.
// Every figure, ratio, spread and mark is computed once, in Java (Comparison): this script only groups, formats
// and draws them, A and B of each variant together: A lighter with a dashed outline or line, B solid, in the
// variant's colour (DATA.variants, as the report colours it).
'use strict';

const DATA = JSON.parse(document.getElementById('compare-data').textContent);
const ROOT = document.getElementById('report');
const CHARTS = [];
const GROUPS = ['RI1', 'RI2'];
const SIDES = [DATA.a, DATA.b];
const A_LIGHTER = 0.55;
const MARKS = {
  HIGHER: { symbol: '▲', text: 'B above A beyond both runs\' own spread' },
  LOWER: { symbol: '▼', text: 'B below A beyond both runs\' own spread' },
  WITHIN: { symbol: '', text: 'within a run\'s own spread' },
  NO_SPREAD: { symbol: '?', text: 'no spread to judge by' },
  NONE: { symbol: '', text: '' }
};
// Hatching marks a maximum that is only a lower bound, as in the report.
const HATCH = { symbol: 'rect', symbolSize: 1, rotation: -Math.PI / 4, dashArrayX: [1, 0], dashArrayY: [2, 4],
  color: 'rgba(0, 0, 0, 0.45)' };

// ---- small helpers (the ones the report has too are in page.js) ------------------------------------------

function sideName(side) { return `${side.name} · ${side.commit || 'unknown commit'}`; }

function ratioText(f) {
  return f.ratio === null || f.ratio === undefined ? '—' : f.ratio.toFixed(3) + ' ' + MARKS[f.mark].symbol;
}

function spreadText(s) { return s ? `${pct(s.share)} (${s.from})` : 'none'; }

function flagged(f) { return f.mark === 'HIGHER' || f.mark === 'LOWER'; }

function grid(parent, columns) {
  const g = el('div', { class: 'grid' + columns });
  parent.append(g);
  return g;
}

// ---- charts ------------------------------------------------------------------------------------------------

function baseOption(title, subtitle) {
  return {
    animation: false,
    title: { text: title, subtext: subtitle || '', left: 'center', textStyle: { fontSize: 14 },
      subtextStyle: { fontSize: 11, color: '#555' } },
    legend: { top: subtitle ? 44 : 28, type: 'plain', itemGap: 10, textStyle: { fontSize: 11 } },
    grid: { left: 76, right: 32, bottom: 56 },
    tooltip: { trigger: 'item', confine: true }
  };
}

function hasPoints(series) {
  return series.some(s => s.data.some(d => d !== null && d !== undefined
    && !(typeof d === 'object' && !Array.isArray(d) && (d.value === null || d.value === undefined))));
}

/**
 * Draws {@code option} in a new box in {@code parent}; a chart with no data point is not drawn: one line says
 * which chart and why instead.
 */
function chart(parent, option, cls, why) {
  if (!hasPoints(option.series)) {
    parent.append(el('p', { class: 'caption nochart' }, `No chart of ${option.title.text}: ${why}.`));
    return null;
  }
  const box = el('div', { class: 'chart ' + (cls || '') });
  parent.append(box);
  // the legend wraps: leave it as many rows as its names need above the plot
  const names = [...new Set(option.series.filter(s => s.name).map(s => s.name))];
  const width = names.reduce((w, n) => w + 36 + 6.3 * String(n).length, 0);
  const rows = option.legend.show === false ? 0 : Math.ceil(width / Math.max(200, box.clientWidth - 40));
  option.grid.top = option.legend.top + 22 * rows + 16;
  const c = echarts.init(box, null, { renderer: 'canvas' });
  c.setOption(option, true);
  CHARTS.push(c);
  return c;
}

window.addEventListener('resize', () => CHARTS.forEach(c => c.resize()));

/** A's bar: the variant's colour lightened, with a dashed outline in the colour itself. */
function styleA(hex, lowerBound) {
  const style = { color: lighten(hex, A_LIGHTER), borderColor: hex, borderType: 'dashed', borderWidth: 1.5 };
  if (lowerBound) style.decal = HATCH;
  return style;
}

function styleB(hex, lowerBound) {
  const style = { color: hex, borderColor: hex, borderWidth: 1.5 };
  if (lowerBound) style.decal = HATCH;
  return style;
}

/** The legend's two entries: neutral, since each bar takes its variant's colour. */
function legendStyle(side) {
  return side === DATA.a ? { color: '#d4d4d4', borderColor: '#666', borderType: 'dashed', borderWidth: 1.5 }
    : { color: '#666' };
}

/**
 * Bars of one figure, A and B side by side per variant (and server count, where the chart has several).
 * {@code spec.pick(row)} gives the row's figure, {@code spec.bound(row, side)} whether that side's value is a lower
 * bound, {@code spec.format(value)} its label.
 */
function pairedBars(rows, spec) {
  const counts = distinct(rows.map(r => r.servers));
  const format = spec.format || num;
  const upright = uprightLabels(rows);
  const categories = rows.map(r => label(r.variant).replace(' (', '\n(')
    + (counts.length > 1 ? `\n${serversText(r.servers)}` : ''));
  const series = SIDES.map(side => ({
    name: sideName(side), type: 'bar', barMaxWidth: 44, barGap: '10%', itemStyle: legendStyle(side),
    data: rows.map(r => {
      const f = spec.pick(r);
      const value = side === DATA.a ? f.a : f.b;
      if (value === null || value === undefined) return null;
      const lower = spec.bound ? spec.bound(r, side) : false;
      const mark = side === DATA.b ? MARKS[f.mark].symbol : '';
      const strong = flagged(f) && side === DATA.b;
      return {
        value: value, row: r, figure: f,
        itemStyle: side === DATA.a ? styleA(color(r.variant), lower) : styleB(color(r.variant), lower),
        label: Object.assign({ show: true, position: 'top', fontSize: 10, color: strong ? '#000' : '#444',
          fontWeight: strong ? 'bold' : 'normal', formatter: (lower ? '≥ ' : '') + format(value) + (mark ? ' ' + mark : '') },
        upright ? { rotate: 90, align: 'left', verticalAlign: 'middle', distance: 4 } : {})
      };
    })
  }));
  return Object.assign(baseOption(spec.title, serversSubtitle(rows)), {
    tooltip: { trigger: 'item', confine: true, formatter: p => figureTip(p.data.row, p.data.figure, spec.title, format) },
    xAxis: axis('', { type: 'category', data: categories, axisLabel: { interval: 0, fontSize: 10, lineHeight: 13 } }),
    // upright labels need room above the highest bar
    yAxis: yAxis(spec.axisName, Object.assign(upright ? { max: v => niceCeiling(v.max * 1.25) } : {}, spec.yAxis || {})),
    series: series
  });
}

/** More than four pairs leave a bar's label less room than its text: it stands upright over its bar. */
function uprightLabels(rows) { return rows.length > 4; }

/** A round number at or above {@code x} for an axis' end: 1, 2 or 5 times a power of ten, or a multiple of it. */
function niceCeiling(x) {
  if (!(x > 0)) return x;
  const step = Math.pow(10, Math.floor(Math.log10(x)));
  return Math.ceil(x / step * 2) / 2 * step;
}

function figureTip(row, f, what, format) {
  const value = x => (x === null || x === undefined ? '—' : format(x));
  return `${label(row.variant)} · ${serversText(row.servers)} · cost ${row.cost}<br>${what}<br>` +
    `A ${value(f.a)} (spread ${spreadText(f.spreadA)})<br>B ${value(f.b)} (spread ${spreadText(f.spreadB)})<br>` +
    `B/A ${ratioText(f)}${MARKS[f.mark].text ? ': ' + MARKS[f.mark].text : ''}`;
}

// ---- 1. header ---------------------------------------------------------------------------------------------

function header() {
  ROOT.append(el('h1', {}, 'PEAK reference suite — runs compared'));
  SIDES.forEach(side => {
    const repeats = Math.max(0, ...side.runs.map(r => r.repeat));
    ROOT.append(el('p', { class: 'meta' }, el('strong', {}, side.name + ' '), el('code', {}, side.folder),
      ` · profile ${side.profile || '—'} · commit `, el('code', {}, side.commit || 'unknown'),
      ` · started ${side.startedAt || '?'} · ${plural(repeats, 'repeat')}`, side.partial ? ' · PARTIAL' : ''));
  });
  if (DATA.warnings.length) {
    ROOT.append(el('div', { class: 'callout' }, el('strong', {}, 'Not like for like: '), DATA.warnings.join('; ') + '.'));
  }
  ROOT.append(el('p', { class: 'key' },
    el('span', {}, el('span', { class: 'swatch-a' }), ' A: lighter, dashed outline or dashed line'),
    el('span', {}, el('span', { class: 'swatch-b' }), ' B: solid, in the variant\'s colour'),
    el('span', {}, '▲ ▼ B above / below A beyond both runs\' own spread'),
    el('span', {}, '? no spread to judge by')));
  const items = [['table', 'Side by side'], ['capacity', 'Throughput'], ['staircases', 'p99 against rate'],
    ['cost', 'CPU per request'], ['balance', 'Balance']];
  ROOT.append(el('nav', { class: 'toc' }, items.map(([id, text]) => el('a', { href: '#' + id }, text))));
}

// ---- 2. the table ------------------------------------------------------------------------------------------

function sideBySide() {
  const s = section('Side by side', 'table');
  caption(s, 'One row per variant, server count and cost in either run. B/A is marked ▲ or ▼ only when |B/A − 1| ' +
    'is larger than both runs\' own spread for that figure: (max − min) / median over the run\'s repeats; for the ' +
    'maximum never less than the search\'s bracket, the gap from the maximum to the lowest rate that failed above ' +
    'it. With one repeat that bracket is the maximum\'s only spread: it says how finely the search located the ' +
    'maximum, not how much a rerun would move it. "?": no spread to judge by: one repeat gives none for p99, CPU ' +
    'and balance (the full profile runs 3 repeats), and a lower bound (≥) has no failing level above it. Hover a ' +
    'ratio for both spreads.');
  if (!DATA.rows.length) {
    caption(s, 'Neither run has a staircase: there is nothing to compare.');
    return;
  }
  const groups = [['max sustainable (/s)', 3], ['p99 at max (ms)', 3], ['system CPU µs/request at % of baseline', 4],
    ['lowest Jain index', 3]];
  const head = el('thead', {},
    el('tr', {}, ['variant', 'servers', 'cost'].map(h => el('th', { rowspan: 2, class: 'text' }, h)),
      groups.map(([h, n]) => el('th', { colspan: n }, h)), el('th', { rowspan: 2, class: 'text' }, 'note')),
    el('tr', {}, ['A', 'B', 'B/A', 'A', 'B', 'B/A', 'at', 'A', 'B', 'B/A', 'A', 'B', 'B/A'].map(h => el('th', {}, h))));
  const body = el('tbody', {}, DATA.rows.map(r => el('tr', { class: r.inA && r.inB ? null : 'onlyone' },
    el('td', { class: 'text' }, label(r.variant)), el('td', {}, r.servers), el('td', {}, r.cost),
    figureCells(r.maxRps, v => num(v), r.lowerBoundA, r.lowerBoundB),
    figureCells(r.p99AtMaxMs, v => num(v)),
    el('td', {}, pct(r.costFraction)), figureCells(r.systemUs, v => num(v)),
    figureCells(r.lowestJain, v => (v === null || v === undefined ? '—' : v.toFixed(3))),
    el('td', { class: 'text' }, note(r)))));
  s.append(el('div', { class: 'scroll' }, el('table', {}, head, body)));
  caption(s, 'System CPU: servers and infrastructure (proxy, ingress, sidecars, peak-dns), not the generator, µs ' +
    'per primary request at the fixed rate in column "at", that share of each run\'s own baseline capacity: 50 % ' +
    'where both runs have it, else the highest share below it both have (RI2 runs at 10 and 25 %); the two runs\' ' +
    'rates differ as their baselines do. Lowest Jain index over repeats, of staircases with two servers or more ' +
    '(— with one server: nothing to balance).');
  const d = el('details', {}, el('summary', {}, 'The table as scale.sh compare printed it'));
  d.append(el('pre', {}, DATA.table));
  s.append(d);
}

function figureCells(f, format, lowerA, lowerB) {
  const ratio = el('td', { class: flagged(f) ? 'beyond' : null,
    title: f.ratio === null || f.ratio === undefined ? null
      : `spread A ${spreadText(f.spreadA)}, B ${spreadText(f.spreadB)}` }, ratioText(f));
  return [el('td', {}, (lowerA && f.a !== null ? '≥ ' : '') + format(f.a)),
    el('td', {}, (lowerB && f.b !== null ? '≥ ' : '') + format(f.b)), ratio];
}

function note(r) {
  if (!r.inA || !r.inB) {
    const only = r.inA ? 'only in A' : 'only in B';
    return r.missingWhy ? `${only} (${r.inA ? 'B' : 'A'}: ${r.missingWhy})` : only;
  }
  const names = [['max', r.maxRps], ['p99', r.p99AtMaxMs], ['CPU', r.systemUs], ['Jain', r.lowestJain]]
    .filter(([, f]) => flagged(f)).map(([n, f]) => `${n} ${MARKS[f.mark].symbol}`);
  return names.length ? names.join(', ') + ' beyond spread' : '';
}

// ---- 3. capacity -------------------------------------------------------------------------------------------

function capacity() {
  const s = section('Maximum sustainable throughput', 'capacity');
  caption(s, 'Each variant\'s maximum sustainable throughput in A and B, side by side, median over repeats; RI1 ' +
    'counts requests/s, RI2 transactions/s, so the two are drawn apart. The label over B carries its mark ' +
    '(▲ ▼ beyond both spreads, ? none to judge by). Hatched bars labelled "≥" are lower bounds.');
  const costs = distinct(DATA.rows.map(r => r.cost));
  if (!costs.length) caption(s, 'No chart: neither run has a staircase.');
  costs.forEach(cost => {
    const row = grid(s, 2);
    GROUPS.forEach(g => {
      const rows = DATA.rows.filter(r => r.cost === cost && variant(r.variant).group === g);
      if (!rows.length) return;
      chart(row, pairedBars(rows, { title: `${g}, cost ${cost}: maximum sustainable ${rateUnit(g)}`,
        axisName: `max sustainable (${rateUnit(g)})`, pick: r => r.maxRps,
        bound: (r, side) => (side === DATA.a ? r.lowerBoundA : r.lowerBoundB) }),
      '', 'no staircase of it passed a level in either run');
    });
  });
}

function serversSubtitle(rows) {
  const counts = distinct(rows.map(r => r.servers));
  return counts.length === 1 ? serversText(counts[0]) : '';
}

// ---- 4. p99 against offered rate ---------------------------------------------------------------------------

function staircases() {
  const s = section('p99 of the primary call against the offered rate', 'staircases');
  caption(s, 'One chart per variant and cost: every level of A\'s staircases (lighter, dashed) and of B\'s (solid), ' +
    'its offered rate against the primary call\'s p99 on a log axis; hollow points failed. The vertical lines are ' +
    'each staircase\'s maximum sustainable rate, the horizontal dashed line the SLO. Enforcement checks are left ' +
    'out, and so are levels that completed no request (they have no p99).');
  const all = SIDES.flatMap(side => side.runs.map(r => ({ side: side, run: r })));
  const costs = distinct(all.map(x => x.run.cost));
  if (!costs.length) caption(s, 'No chart: neither run has a staircase.');
  costs.forEach(cost => {
    s.append(el('h3', {}, `cost ${cost}`));
    const row = grid(s, 3);
    const here = all.filter(x => x.run.cost === cost);
    [...new Set(here.map(x => x.run.variant))].sort(byVariant)
      .forEach(v => chart(row, staircaseOption(here.filter(x => x.run.variant === v), v, cost), 'stair',
        'none of its levels completed a request'));
  });
}

function staircaseOption(staircases, v, cost) {
  const counts = distinct(staircases.map(x => x.run.servers));
  const hue = color(v);
  const series = staircases.map(({ side, run }) => {
    const isA = side === DATA.a;
    const line = isA ? lighten(hue, A_LIGHTER) : hue;
    const levels = run.levels.filter(l => l.count > 0 && l.p99Ms > 0).sort((x, y) => x.rate - y.rate);
    const maxLine = run.maxSustainableRps === null || run.maxSustainableRps === undefined ? [] : [{
      xAxis: run.maxSustainableRps, lineStyle: { color: line, type: isA ? 'dashed' : 'solid', width: 1.5 },
      label: { show: false } }];
    return {
      name: sideName(side) + (counts.length > 1 ? ` · ${serversText(run.servers)}` : ''), type: 'line', color: line,
      lineStyle: { width: 1.5, type: isA ? 'dashed' : 'solid' }, symbolSize: 8, showAllSymbol: true,
      data: levels.map(l => ({
        value: [l.rate, l.p99Ms], level: l, run: run, side: side, symbol: 'circle',
        itemStyle: l.passed ? { color: line } : { color: '#fff', borderColor: line, borderWidth: 2 }
      })),
      markLine: { silent: true, symbol: 'none', data: maxLine }
    };
  });
  const slo = SIDES.map(side => side.sloMs).find(x => typeof x === 'number');
  if (series.length && typeof slo === 'number') {
    series[0].markLine.data.push({ yAxis: slo, lineStyle: { color: '#444', type: 'dashed', width: 1 },
      label: { show: true, formatter: `SLO p99 ${num(slo)} ms`, position: 'insideStartTop', color: '#444', fontSize: 10 } });
  }
  return Object.assign(baseOption(`${label(v)}, cost ${cost}`, counts.length === 1 ? serversText(counts[0]) : ''), {
    tooltip: { trigger: 'item', confine: true, formatter: p => (p.data && p.data.level ? levelTip(p.data) : '') },
    grid: { left: 62, right: 20, bottom: 48 },
    xAxis: axis(`offered rate (${rateUnit(variant(v).group)})`, { type: 'value', scale: true, nameGap: 28,
      max: x => x.max + 0.06 * (x.max - x.min), axisLabel: { showMaxLabel: false } }),
    yAxis: yAxis('p99 of the primary call (ms)', { type: 'log', logBase: 10, nameGap: 40,
      axisLabel: { formatter: x => num(x) } }),
    series: series
  });
}

function levelTip(d) {
  const l = d.level;
  return `${d.side.name}: ${label(d.run.variant)} · ${serversText(d.run.servers)} · repeat ${d.run.repeat}<br>` +
    `${l.kind} level at ${num(l.rate)}/s: ${l.verdict}<br>p99 ${num(l.p99Ms)} ms<br>maximum of this staircase ` +
    `${d.run.lowerBound ? '≥ ' : ''}${num(d.run.maxSustainableRps)}/s`;
}

// ---- 5. CPU per request ------------------------------------------------------------------------------------

function cost() {
  const s = section('CPU per request of the whole system', 'cost');
  caption(s, 'CPU µs per primary request (RI2: per transaction) of the servers and the infrastructure together, ' +
    'not the generator, median over repeats, at one fixed rate per row: 50 % of each run\'s own baseline capacity ' +
    'where both runs have it, else the highest share below it both have. The share is under each variant\'s name.');
  const rows = DATA.rows.filter(r => r.costFraction !== null && r.costFraction !== undefined);
  const costs = distinct(DATA.rows.map(r => r.cost));
  costs.forEach(c => {
    const row = grid(s, 2);
    GROUPS.forEach(g => {
      const here = rows.filter(r => r.cost === c && variant(r.variant).group === g);
      if (!DATA.rows.some(r => r.cost === c && variant(r.variant).group === g)) return;
      const option = pairedBars(here, { title: `${g}, cost ${c}: system CPU µs per ${g === 'RI2' ? 'transaction' : 'request'}`,
        axisName: 'CPU per request (µs)', pick: r => r.systemUs });
      option.xAxis.data = here.map((r, i) => `${option.xAxis.data[i]}\nat ${pct(r.costFraction)}`);
      chart(row, option, '', 'neither run measured a fixed rate there (the smoke profile runs none of the baseline\'s ' +
        'fractions)');
    });
  });
  if (!costs.length) caption(s, 'No chart: neither run has a staircase.');
}

// ---- 6. balance --------------------------------------------------------------------------------------------

function balance() {
  const s = section('Balance across instances', 'balance');
  caption(s, 'The lowest Jain index over repeats of the requests each instance served (1 = even, 1/n = one ' +
    'instance took all), for staircases with two servers or more.');
  const rows = DATA.rows.filter(r => r.servers >= 2);
  if (!rows.length) {
    caption(s, 'No chart: every staircase in both runs ran on one server, where there is nothing to balance.');
    return;
  }
  const row = grid(s, 2);
  distinct(rows.map(r => r.cost)).forEach(c => {
    const here = rows.filter(r => r.cost === c);
    const floor = x => Math.max(0, Math.floor(x.min * 20) / 20 - 0.05);
    // the index ends at 1: room for upright labels above it, but no tick there
    const yAxis = { min: floor, max: x => 1 + (uprightLabels(here) ? 0.3 * (1 - floor(x)) : 0),
      axisLabel: { formatter: x => (x > 1 ? '' : num(x)) } };
    chart(row, pairedBars(here, { title: `cost ${c}: lowest Jain index`, axisName: 'Jain\'s index (1 = even)',
      pick: r => r.lowestJain, format: x => x.toFixed(3), yAxis: yAxis }), '',
    'no staircase with two servers or more recorded its instances\' counts');
  });
}

header();
sideBySide();
capacity();
staircases();
cost();
balance();
