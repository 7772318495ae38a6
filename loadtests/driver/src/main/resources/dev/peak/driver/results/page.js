// What report.js (index.html) and compare.js (compare.html) share: building elements, a variant's facts, the
// report's number formats, sections and axes. ReportWriter puts it before the page's own script; each page defines
// DATA (with DATA.variants, as ReportWriter.variants writes it) and ROOT, the element the page is built in.
'use strict';

const FALLBACK_COLOR = '#999999';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  });
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

/** A variant's facts from DATA.variants; a variant a newer suite added gets its id as label and a neutral grey. */
function variant(id) {
  return DATA.variants[id] || { label: id, color: FALLBACK_COLOR, group: /^ri2/i.test(id) ? 'RI2' : 'RI1' };
}

function label(id) { return variant(id).label; }

function color(id) { return variant(id).color; }

function distinct(values) { return [...new Set(values)].sort((a, b) => a - b); }

/** Three significant digits at most, whole numbers from 100 up: as Answers.number writes them. */
function num(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(Number(x).toPrecision(3)));
}

function pct(share) { return share === null || share === undefined ? '—' : num(100 * share) + ' %'; }

/** A colour {@code t} of the way to white, for pale marks in a variant's own colour. */
function lighten(hex, t) {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const c = [1, 3, 5].map(k => parseInt(hex.slice(k, k + 2), 16));
  return '#' + c.map(x => Math.round(x + (255 - x) * t).toString(16).padStart(2, '0')).join('');
}

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

function serversText(n) { return plural(n, 'server'); }

/** What a rate counts: RI1's requests, RI2's transactions (PEAK: a call to B; mesh: one /chain). */
function rateUnit(group) { return group === 'RI2' ? 'transactions/s' : 'requests/s'; }

function section(title, id) {
  const s = el('section', { id: id });
  s.append(el('h2', {}, title));
  ROOT.append(s);
  return s;
}

function caption(parent, ...text) { parent.append(el('p', { class: 'caption' }, ...text)); }

function axis(name, extra) {
  return Object.assign({ name: name, nameLocation: 'middle', nameGap: 32, nameTextStyle: { fontWeight: 'bold' } },
    extra || {});
}

function yAxis(name, extra) { return axis(name, Object.assign({ type: 'value', nameGap: 52 }, extra || {})); }

/** The suite's order (DATA.variants lists them in it), unknown variants after by name. */
function byVariant(a, b) {
  const order = Object.keys(DATA.variants);
  const ia = order.includes(a) ? order.indexOf(a) : order.length;
  const ib = order.includes(b) ? order.indexOf(b) : order.length;
  return ia - ib || a.localeCompare(b);
}
