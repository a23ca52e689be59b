// Charts tab: where time and energy go (by op type, by unit), the simulated timeline per unit, and
// before/after totals (uncompressed vs compiled, compiled vs what-if). Hand-written SVG.
(function () {
  'use strict';
  const WG = window.WG;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    for (const c of children.flat()) if (c != null && c !== false) el.append(c);
    return el;
  }

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    setAttrs(el, attrs);
    for (const c of children.flat()) if (c != null && c !== false) el.append(c);
    return el;
  }

  function setAttrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, String(v));
    }
  }

  function title(text) { return s('title', { text }); }

  const doc = WG.doc;
  const ops = doc.ops || [];

  // ---------- bar charts ----------
  // Sums metric `key` of ops grouped by `groupOf`, largest first.
  function groupSums(groupOf, key) {
    const sums = new Map();
    for (const op of ops) {
      const v = op[key];
      if (typeof v !== 'number' || !isFinite(v)) continue;
      const g = groupOf(op) || '(none)';
      const e = sums.get(g) || { label: g, value: 0, count: 0 };
      e.value += v;
      e.count++;
      sums.set(g, e);
    }
    return [...sums.values()].sort((a, b) => b.value - a.value);
  }

  // Bar charts are drawn at 1 SVG unit = 1 CSS pixel (width attribute, max-width 100%) so text
  // stays at its CSS size.
  const BAR_W = 360;
  const LABEL_W = 160;
  const VALUE_W = 130;
  const ROW_H = 20;

  // Horizontal bars, one row per item: label, bar scaled to the largest, value and share.
  function barChart(items, fmt, colorOf, testid, maxRows = 20) {
    const total = items.reduce((a, e) => a + e.value, 0);
    let shown = items;
    if (items.length > maxRows) {
      const rest = items.slice(maxRows - 1);
      shown = items.slice(0, maxRows - 1).concat([{
        label: `${rest.length} others`, value: rest.reduce((a, e) => a + e.value, 0),
        count: rest.reduce((a, e) => a + e.count, 0), other: true,
      }]);
    }
    const max = Math.max(1e-30, ...shown.map((e) => e.value));
    const width = LABEL_W + BAR_W + VALUE_W;
    const svg = s('svg', { class: 'ch-bars', 'data-testid': testid, viewBox: `0 0 ${width} ${shown.length * ROW_H + 4}`,
      width, role: 'img', 'aria-label': testid });
    shown.forEach((e, r) => {
      const y = r * ROW_H + 2;
      const w = Math.max(1, (e.value / max) * (BAR_W - 8));
      const share = total ? (e.value / total) * 100 : 0;
      svg.append(s('g', { class: 'ch-bar-row' },
        title(`${e.label}: ${fmt(e.value)} (${share.toFixed(1)}%), ${e.count} op${e.count === 1 ? '' : 's'}`),
        s('text', { x: LABEL_W - 8, y: y + ROW_H / 2, class: 'ch-label', 'text-anchor': 'end', 'dominant-baseline': 'central', text: clip(e.label, 22) }),
        s('rect', { x: LABEL_W, y: y + 2, width: w, height: ROW_H - 5, rx: 2, fill: e.other ? '#bbb' : colorOf(e, r) }),
        s('text', { x: LABEL_W + w + 6, y: y + ROW_H / 2, class: 'ch-value', 'dominant-baseline': 'central',
          text: `${fmt(e.value)}  ${share.toFixed(1)}%` })));
    });
    return svg;
  }

  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '…' : text; }

  function section(titleText, ...body) {
    return h('section', { class: 'ch-section' }, h('h3', { text: titleText }), ...body.flat(Infinity));
  }

  // One colour per metric, as in the table's inline bars (Okabe–Ito blue / vermillion).
  const LATENCY_COLOR = '#0072B2';
  const ENERGY_COLOR = '#D55E00';
  const latencyColor = () => LATENCY_COLOR;
  const energyColor = () => ENERGY_COLOR;
  function unitColorOf(e) { return WG.unitColor(e.label); }

  // Ops carry the energy of their own work; the model total also holds the units' static power
  // over the whole inference, which belongs to no op. Say so, or the bars look short.
  function staticEnergyNote() {
    const total = WG.doc.totals && WG.doc.totals.energy_mj;
    if (typeof total !== 'number') return [];
    const opsMj = ops.reduce((sum, op) => sum + (op.energy_uj || 0), 0) / 1000;
    if (total - opsMj <= total * 1e-3) return [];
    return h('p', { class: 'ch-note', 'data-testid': 'chart-static-energy',
      text: `Ops account for ${WG.fmt.mj(opsMj)} of the model's ${WG.fmt.mj(total)}; the other ` +
            `${WG.fmt.mj(total - opsMj)} is static power over the inference, which belongs to no op.` });
  }

  function breakdowns() {
    const byType = (op) => op.op_type;
    const byUnit = (op) => op.unit;
    const grid = h('div', { class: 'ch-grid' },
      section('Latency by op type', barChart(groupSums(byType, 'latency_us'), WG.fmt.us, latencyColor, 'chart-latency-type')),
      section('Energy by op type', barChart(groupSums(byType, 'energy_uj'), WG.fmt.uj, energyColor, 'chart-energy-type')));
    if (ops.some((op) => op.unit)) {
      grid.append(
        section('Latency by unit', barChart(groupSums(byUnit, 'latency_us'), WG.fmt.us, unitColorOf, 'chart-latency-unit')),
        section('Energy by unit', barChart(groupSums(byUnit, 'energy_uj'), WG.fmt.uj, unitColorOf, 'chart-energy-unit'),
          staticEnergyNote()));
    }
    return grid;
  }

  // ---------- before / after ----------
  const COMPARE_KEYS = [
    ['latency_ms', 'Latency', (x) => WG.fmt.ms(x)],
    ['energy_mj', 'Energy', (x) => WG.fmt.mj(x)],
    ['avg_power_w', 'Avg power', (x) => WG.fmt.w(x)],
    ['peak_memory_bytes', 'Peak memory', (x) => WG.fmt.bytes(x)],
    ['storage_bytes', 'Model size', (x) => WG.fmt.bytes(x)],
  ];

  // Paired bars per metric, each pair scaled to its own larger value (the units differ).
  function pairChart(series, testid) {
    const rowH = 16, groupH = series.length * rowH + 14;
    const width = LABEL_W + BAR_W + 240;
    const keys = COMPARE_KEYS.filter(([k]) => series.every((x) => x.totals[k] != null));
    const svg = s('svg', { class: 'ch-bars', 'data-testid': testid, viewBox: `0 0 ${width} ${keys.length * groupH + 4}`, width });
    keys.forEach(([key, label, fmt], g) => {
      const y0 = g * groupH + 4;
      const max = Math.max(1e-30, ...series.map((x) => x.totals[key]));
      svg.append(s('text', { x: LABEL_W - 8, y: y0 + (series.length * rowH) / 2, class: 'ch-label', 'text-anchor': 'end', 'dominant-baseline': 'central', text: label }));
      series.forEach((x, r) => {
        const v = x.totals[key];
        const w = Math.max(1, (v / max) * (BAR_W - 8));
        const ref = series[0].totals[key];
        const rel = ref ? v / ref - 1 : 0;
        const pct = !r || !ref ? '' : Math.abs(rel) < 5e-4 ? ' (=)' : ` (${rel > 0 ? '+' : '−'}${Math.abs(rel * 100).toFixed(1)}%)`;
        const y = y0 + r * rowH;
        svg.append(s('g', {}, title(`${x.label} ${label}: ${fmt(v)}${pct}`),
          s('rect', { x: LABEL_W, y, width: w, height: rowH - 3, rx: 2, fill: x.color }),
          s('text', { x: LABEL_W + w + 6, y: y + (rowH - 3) / 2, class: 'ch-value', 'dominant-baseline': 'central', text: `${x.label}: ${fmt(v)}${pct}` })));
      });
    });
    return svg;
  }

  const BEFORE_COLOR = '#999999';
  const COMPILED_COLOR = '#0072B2';  // Okabe–Ito blue
  const WHATIF_COLOR = '#E69F00';    // Okabe–Ito orange

  function beforeAfter() {
    const wi = WG.whatif;
    const compiled = wi ? wi.compiledTotals() : null;
    if (!compiled) return null;
    const parts = [];
    const before = wi.beforeTotals();
    if (before) {
      parts.push(h('p', { class: 'ch-hint', text: 'The recipe this report was compiled with, against the uncompressed model.' }),
        pairChart([{ label: 'uncompressed', totals: before, color: BEFORE_COLOR }, { label: 'compiled', totals: compiled, color: COMPILED_COLOR }], 'chart-before-after'));
    }
    const est = wi.available ? wi.estimatedTotals() : null;
    if (est && est.changed) {
      parts.push(h('p', { class: 'ch-hint', text: `What-if choices (${est.changed} ops changed; ${est.exact ? 'exact engine totals' : 'sum of per-op changes'}) against the compiled report.` }),
        pairChart([{ label: 'compiled', totals: compiled, color: COMPILED_COLOR }, { label: 'what-if', totals: est.totals, color: WHATIF_COLOR }], 'chart-whatif'));
    } else if (wi.available) {
      parts.push(h('p', { class: 'ch-hint', text: 'Pick alternatives in the What-if panel (Explore tab) to compare them here.' }));
    }
    if (!parts.length) return null;
    return section('Before / after', parts);
  }

  // ---------- timeline ----------
  const LANE_H = 26;
  const AXIS_H = 22;
  const TL_LABEL_W = 70;
  const TL_MIN_W = 300;

  // Visible time window [t0, t1] in µs; plotW is the plot width in CSS pixels, measured on draw.
  const timeline = { t0: 0, t1: 1, end: 1, svg: null, lanes: [], plotW: 900, height: 0 };

  function laneNames() {
    const order = ((doc.plan && doc.plan.units) || []).map((u) => u.name);
    const used = new Set(ops.map((op) => op.unit).filter(Boolean));
    const names = order.filter((n) => used.has(n));
    for (const n of used) if (!names.includes(n)) names.push(n);
    return names;
  }

  function timelineSection() {
    const withTime = ops.some((op) => typeof op.start_us === 'number' && typeof op.latency_us === 'number' && op.unit);
    if (!withTime) return null;
    timeline.lanes = laneNames();
    timeline.end = Math.max(1e-9, ...ops.map((op) => (op.start_us || 0) + (op.latency_us || 0)));
    timeline.t0 = 0;
    timeline.t1 = timeline.end;
    timeline.height = AXIS_H + timeline.lanes.length * LANE_H + 4;
    const svg = s('svg', { class: 'ch-timeline', 'data-testid': 'chart-timeline',
      tabindex: 0, 'aria-label': 'simulated timeline per unit; wheel to zoom, drag to pan, double-click to reset' });
    timeline.svg = svg;
    svg.addEventListener('wheel', onWheel, { passive: false });
    svg.addEventListener('pointerdown', onPointerDown);
    svg.addEventListener('dblclick', resetZoom);
    svg.addEventListener('keydown', onTimelineKey);
    drawTimeline();
    const controls = h('div', { class: 'ch-controls' },
      h('button', { type: 'button', text: '−', title: 'zoom out', 'aria-label': 'zoom out', onclick: () => zoomAt(0.5, 1.6) }),
      h('button', { type: 'button', text: '+', title: 'zoom in', 'aria-label': 'zoom in', onclick: () => zoomAt(0.5, 1 / 1.6) }),
      h('button', { type: 'button', text: 'Fit', title: 'show the whole run', onclick: resetZoom }),
      h('span', { class: 'ch-hint', text: 'wheel: zoom · drag: pan · click a bar: select the op' }));
    return section(`Simulated timeline (${WG.fmt.ms(timeline.end / 1000)} end to end)`, controls, svg);
  }

  function xOf(t) { return TL_LABEL_W + ((t - timeline.t0) / (timeline.t1 - timeline.t0)) * timeline.plotW; }

  function niceStep(span) {
    const raw = span / 8;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
    return 10 * p;
  }

  function drawTimeline() {
    const svg = timeline.svg;
    // Fit the drawing to the space it has (the tab may have been hidden when it was built).
    const avail = svg.parentNode ? svg.parentNode.clientWidth : 0;
    if (avail > 0) timeline.plotW = Math.max(TL_MIN_W, avail - TL_LABEL_W - 12);
    const fullW = TL_LABEL_W + timeline.plotW + 10;
    svg.setAttribute('viewBox', `0 0 ${fullW} ${timeline.height}`);
    svg.setAttribute('width', fullW);
    svg.setAttribute('height', timeline.height);
    const TL_W = timeline.plotW;
    const { t0, t1, lanes } = timeline;
    const sel = WG.state.selected;
    const children = [];
    // Axis.
    const step = niceStep(t1 - t0);
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      const x = xOf(t);
      children.push(s('line', { x1: x, x2: x, y1: AXIS_H - 4, y2: AXIS_H + lanes.length * LANE_H, class: 'ch-grid-line' }),
        s('text', { x, y: AXIS_H - 8, class: 'ch-axis', 'text-anchor': 'middle', text: WG.fmt.us(t) }));
    }
    lanes.forEach((name, r) => {
      const y = AXIS_H + r * LANE_H;
      children.push(s('rect', { x: TL_LABEL_W, y, width: TL_W, height: LANE_H - 2, class: 'ch-lane' }),
        s('text', { x: TL_LABEL_W - 8, y: y + LANE_H / 2, class: 'ch-label', 'text-anchor': 'end', 'dominant-baseline': 'central', text: name }));
    });
    // Ops: only those overlapping the view; sub-pixel neighbours merge visually, so skip them when
    // they would land on the same pixel as the previous bar of that lane (keeps 10k-op runs light).
    const lastPx = new Map();
    const laneIndex = new Map(lanes.map((n, r) => [n, r]));
    let selectedBar = null;
    ops.forEach((op, i) => {
      const start = op.start_us, dur = op.latency_us;
      if (typeof start !== 'number' || typeof dur !== 'number' || !laneIndex.has(op.unit)) return;
      if (start + dur < t0 || start > t1) return;
      const x0 = Math.max(TL_LABEL_W, xOf(start));
      const x1 = Math.min(TL_LABEL_W + TL_W, xOf(start + dur));
      const r = laneIndex.get(op.unit);
      const px = Math.floor(x0);
      if (i !== sel && x1 - x0 < 1 && lastPx.get(r) === px) return;
      lastPx.set(r, px);
      const y = AXIS_H + r * LANE_H + 3;
      const bar = s('rect', {
        x: x0, y, width: Math.max(0.8, x1 - x0), height: LANE_H - 8,
        fill: WG.unitColor(op.unit), class: 'ch-op' + (op.critical ? ' ch-critical' : '') + (i === sel ? ' selected' : ''),
        'data-op-index': i, 'data-testid': 'timeline-op',
      }, title(`${op.name}\n${op.op_type} on ${op.unit}\nstart ${WG.fmt.us(start)}, ${WG.fmt.us(dur)}, ${WG.fmt.uj(op.energy_uj)}${op.critical ? '\ncritical path' : ''}`));
      if (i === sel) selectedBar = bar; else children.push(bar);
    });
    if (selectedBar) children.push(selectedBar);   // drawn last so its outline is on top
    svg.replaceChildren(...children);
  }

  // Zoom by `factor` around a fraction `at` (0..1) of the visible span.
  function zoomAt(at, factor) {
    const { t0, t1, end } = timeline;
    const span = Math.min(end, Math.max(end / 1e5, (t1 - t0) * factor));
    const centre = t0 + at * (t1 - t0);
    let n0 = centre - at * span;
    n0 = Math.max(0, Math.min(end - span, n0));
    timeline.t0 = n0;
    timeline.t1 = n0 + span;
    drawTimeline();
  }

  function resetZoom() {
    timeline.t0 = 0;
    timeline.t1 = timeline.end;
    drawTimeline();
  }

  // Pointer x (client) -> fraction of the plot width.
  function fractionAt(clientX) {
    const box = timeline.svg.getBoundingClientRect();
    return Math.max(0, Math.min(1, (clientX - box.left - TL_LABEL_W) / timeline.plotW));
  }

  function onWheel(e) {
    e.preventDefault();
    zoomAt(fractionAt(e.clientX), e.deltaY > 0 ? 1.25 : 0.8);
  }

  function onPointerDown(e) {
    const target = e.target;
    const startX = e.clientX, t0 = timeline.t0, t1 = timeline.t1;
    const perPx = (t1 - t0) / timeline.plotW;
    let moved = false;
    const move = (ev) => {
      const dx = ev.clientX - startX;
      if (Math.abs(dx) > 3) moved = true;
      if (!moved) return;
      const span = t1 - t0;
      const n0 = Math.max(0, Math.min(timeline.end - span, t0 - dx * perPx));
      timeline.t0 = n0;
      timeline.t1 = n0 + span;
      drawTimeline();
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      if (!moved && target && target.getAttribute && target.getAttribute('data-op-index') != null) {
        WG.select(Number(target.getAttribute('data-op-index')), 'charts');
      }
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  function onTimelineKey(e) {
    if (e.key === '+' || e.key === '=') zoomAt(0.5, 0.8);
    else if (e.key === '-') zoomAt(0.5, 1.25);
    else if (e.key === 'ArrowLeft') shift(-0.2);
    else if (e.key === 'ArrowRight') shift(0.2);
    else if (e.key === '0') resetZoom();
    else return;
    e.preventDefault();
  }

  function shift(fraction) {
    const span = timeline.t1 - timeline.t0;
    const n0 = Math.max(0, Math.min(timeline.end - span, timeline.t0 + fraction * span));
    timeline.t0 = n0;
    timeline.t1 = n0 + span;
    drawTimeline();
  }

  // Keep the selected op in view (and highlighted) when it is picked elsewhere.
  function onSelect(i) {
    if (!timeline.svg) return;
    if (i != null && ops[i] && typeof ops[i].start_us === 'number') {
      const op = ops[i], span = timeline.t1 - timeline.t0;
      if (op.start_us + op.latency_us < timeline.t0 || op.start_us > timeline.t1) {
        const n0 = Math.max(0, Math.min(timeline.end - span, op.start_us - span / 2));
        timeline.t0 = n0;
        timeline.t1 = n0 + span;
      }
    }
    drawTimeline();
  }

  // ---------- mount ----------
  let root = null;
  let beforeAfterSlot = null;

  function renderBeforeAfter() {
    if (!beforeAfterSlot) return;
    beforeAfterSlot.replaceChildren(...[beforeAfter()].filter(Boolean));
  }

  function build() {
    root = h('div', { id: 'charts', class: 'ch-root', 'data-testid': 'charts' });
    beforeAfterSlot = h('div', { class: 'ch-before-after' });
    root.append(beforeAfterSlot, breakdowns());
    const tl = timelineSection();
    if (tl) root.append(tl);
    renderBeforeAfter();
    WG.bus.on('whatif', renderBeforeAfter);
    WG.bus.on('select', onSelect);
    WG.bus.on('tab', (id) => { if (id === 'charts' && timeline.svg) drawTimeline(); });
    WG.bus.on('resize', () => { if (timeline.svg && timeline.svg.isConnected && timeline.svg.parentNode.clientWidth) drawTimeline(); });
    return root;
  }

  WG.charts = { build };
  WG.modules.push({ id: 'charts', order: 40, mount: () => { WG.mountPanel('charts', 'Charts', build(), { order: 10 }); } });
})();
