// Core of the winglet report viewer: the payload, an event bus, selection, formatting, metrics,
// colour scales and cached graph structure, shared by every other script through the global WG.
//
// Module convention (all js/*.js files):
//   - Each file is a plain script wrapped in an IIFE; it only touches the global `WG`.
//   - At load time a module may read WG.payload / WG.doc and define things on WG, but must not
//     build UI. It registers itself with
//         WG.modules.push({ id: 'graph', order: 20, mount() { ... } });
//     js/90-main.js calls every mount() once, in ascending `order`, after the page skeleton exists
//     (#table-pane, #graph-pane, #details, #whatif, #summary, #tabs are in page.html). A mount may
//     return a Promise; window.WG_READY becomes true once all mounts have settled and
//     WG.renderSummary() has run. An exception in one mount is logged and does not stop the others.
//   - Extra tabs: WG.mountPanel(id, title, element, {order}) — Explore has order 0; the tab with the
//     lowest order is shown first (Compare uses a negative order in compare mode).
//   - Events (WG.bus): 'select' (index|null, {source}), 'whatif' (detail), 'metric' (key),
//     'tab' (id, shown when a tab becomes visible), 'resize' (panes were resized).
(function () {
  'use strict';
  const WG = (window.WG = window.WG || {});
  WG.modules = WG.modules || [];
  WG.state = { selected: null };

  // ---------- payload ----------
  function readPayload() {
    const el = document.getElementById('winglet-data');
    try {
      return JSON.parse(el ? el.textContent : 'null') || {};
    } catch (e) {
      console.error('winglet: cannot parse the embedded report', e);
      return {};
    }
  }
  WG.payload = readPayload();
  WG.mode = WG.payload.kind === 'compare' ? 'compare' : 'report';
  WG.doc = (WG.mode === 'compare'
    ? ((WG.payload.reports || [])[0] || {}).report
    : WG.payload.report) || { ops: [], totals: {}, plan: {} };
  WG.doc.ops = WG.doc.ops || [];

  // ---------- event bus ----------
  const listeners = new Map();
  WG.bus = {
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(fn);
      return () => { const l = listeners.get(event); l.splice(l.indexOf(fn), 1); };
    },
    emit(event, ...args) {
      for (const fn of (listeners.get(event) || []).slice()) {
        try { fn(...args); } catch (e) { console.error(`winglet: '${event}' listener failed`, e); }
      }
    },
  };

  // Selects op i (or null) everywhere; listeners get (i, {source}) and skip their own source.
  WG.select = function (i, source) {
    const index = i == null || !(i >= 0 && i < WG.doc.ops.length) ? null : i | 0;
    WG.state.selected = index;
    WG.bus.emit('select', index, { source: source || 'api' });
  };

  // ---------- formatting ----------
  const isNum = (x) => typeof x === 'number' && isFinite(x);
  function fixed(x, digits) {
    const a = Math.abs(x);
    if (a === 0) return '0';
    if (a >= 100) return x.toFixed(0);
    if (a >= 10) return x.toFixed(Math.min(digits, 1));
    return x.toFixed(digits);
  }
  function scaled(x, steps, base) {
    // steps: [[factor, suffix], ...] from largest to smallest
    if (!isNum(x)) return 'n/a';
    for (const [factor, suffix] of steps) {
      if (Math.abs(x) >= factor * 0.9995) return fixed(x / factor, 2) + suffix;
    }
    return fixed(x, 2) + base;
  }
  WG.fmt = {
    bytes: (n) => (!isNum(n) ? 'n/a' : Math.abs(n) < 1024 ? `${n} B`
      : scaled(n, [[2 ** 40, ' TiB'], [2 ** 30, ' GiB'], [2 ** 20, ' MiB'], [2 ** 10, ' KiB']], ' B')),
    count: (n) => (!isNum(n) ? 'n/a' : Math.abs(n) < 1000 ? String(Math.round(n * 100) / 100)
      : scaled(n, [[1e12, ' T'], [1e9, ' G'], [1e6, ' M'], [1e3, ' k']], '')),
    us: (x) => (!isNum(x) ? 'n/a' : Math.abs(x) >= 1e6 ? fixed(x / 1e6, 2) + ' s'
      : Math.abs(x) >= 1000 ? fixed(x / 1000, 2) + ' ms' : fixed(x, 2) + ' µs'),
    ms: (x) => (!isNum(x) ? 'n/a' : Math.abs(x) >= 1000 ? fixed(x / 1000, 2) + ' s'
      : Math.abs(x) < 1 && x !== 0 ? fixed(x * 1000, 2) + ' µs' : fixed(x, 2) + ' ms'),
    uj: (x) => (!isNum(x) ? 'n/a' : Math.abs(x) >= 1e6 ? fixed(x / 1e6, 2) + ' J'
      : Math.abs(x) >= 1000 ? fixed(x / 1000, 2) + ' mJ' : fixed(x, 2) + ' µJ'),
    mj: (x) => (!isNum(x) ? 'n/a' : Math.abs(x) >= 1000 ? fixed(x / 1000, 2) + ' J'
      : Math.abs(x) < 1 && x !== 0 ? fixed(x * 1000, 2) + ' µJ' : fixed(x, 2) + ' mJ'),
    w: (x) => (!isNum(x) ? 'n/a' : Math.abs(x) < 1 && x !== 0 ? fixed(x * 1000, 2) + ' mW' : fixed(x, 2) + ' W'),
    db: (x) => (!isNum(x) ? 'n/a' : x.toFixed(1) + ' dB'),
    pct: (x) => (!isNum(x) ? 'n/a' : (x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0) + '%'),
  };

  // ---------- metrics (what views colour / chart by) ----------
  const field = (key) => (op) => (isNum(op[key]) ? op[key] : null);
  const sqnr = (op) => (op.compression && isNum(op.compression.sqnr_db) ? op.compression.sqnr_db : null);
  // lowerIsWorse: for error (SQNR) a small value is the hot spot, so colour scales should invert.
  WG.metrics = [
    { key: 'latency_us', label: 'Latency', fmt: WG.fmt.us, get: field('latency_us') },
    { key: 'energy_uj', label: 'Energy', fmt: WG.fmt.uj, get: field('energy_uj') },
    { key: 'memory_traffic_bytes', label: 'Memory traffic', fmt: WG.fmt.bytes, get: field('memory_traffic_bytes') },
    { key: 'macs', label: 'MACs', fmt: WG.fmt.count, get: field('macs') },
    { key: 'flops', label: 'FLOPs', fmt: WG.fmt.count, get: field('flops') },
    { key: 'weight_bytes', label: 'Weights', fmt: WG.fmt.bytes, get: field('weight_bytes') },
    { key: 'output_bytes', label: 'Output', fmt: WG.fmt.bytes, get: field('output_bytes') },
    { key: 'params', label: 'Params', fmt: WG.fmt.count, get: field('params') },
    { key: 'sqnr_db', label: 'Error (SQNR)', fmt: WG.fmt.db, get: sqnr, lowerIsWorse: true },
  ];
  WG.metric = (key) => WG.metrics.find((m) => m.key === key) || null;

  // ---------- colours ----------
  // Viridis, 11 stops: perceptually uniform and readable with every common colour-vision deficiency.
  const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884',
    '#44bf70', '#7ad151', '#bddf26', '#fde725'].map((hex) => [1, 3, 5].map((k) => parseInt(hex.substr(k, 2), 16)));
  WG.colorScale = function (t) {
    if (!isNum(t)) return '#d0d4da';
    const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
    const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
    const f = x - k;
    const c = VIRIDIS[k].map((v, j) => Math.round(v + (VIRIDIS[k + 1][j] - v) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };
  // Text colour that stays readable on WG.colorScale(t).
  WG.colorScaleText = (t) => (isNum(t) && t > 0.62 ? '#1b1b1b' : '#ffffff');

  // Okabe–Ito palette; the usual unit names get stable colours, other units take the rest in order.
  const OKABE_ITO = ['#0072B2', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  const KNOWN_UNITS = { npu: '#0072B2', ane: '#0072B2', gpu: '#009E73', cpu: '#E69F00', dsp: '#CC79A7' };
  const unitColors = new Map();
  WG.unitColor = function (name) {
    const key = String(name == null ? '' : name);
    if (!unitColors.has(key)) {
      const used = new Set(unitColors.values());
      // Own keys only: a unit named "constructor" must not pick up Object.prototype members.
      const known = Object.prototype.hasOwnProperty.call(KNOWN_UNITS, key.toLowerCase()) ? KNOWN_UNITS[key.toLowerCase()] : null;
      const free = OKABE_ITO.find((c) => !used.has(c));
      unitColors.set(key, known && !used.has(known) ? known : free || OKABE_ITO[unitColors.size % OKABE_ITO.length]);
    }
    return unitColors.get(key);
  };
  // Give plan units their colours in plan order, so colours are stable across views.
  for (const u of (WG.doc.plan && WG.doc.plan.units) || []) WG.unitColor(u.name);

  // ---------- structure (cached) ----------
  let tree = null;
  let scopeIndex = null;
  // Tree of name scopes: {name, path, parent, children: Map(name -> node), ops: [direct op indices],
  // count: ops in the subtree, first: smallest op index in the subtree}. Root: name '', path ''.
  WG.scopeTree = function () {
    if (tree) return tree;
    const node = (name, path, parent) => ({ name, path, parent, children: new Map(), ops: [], count: 0, first: Infinity });
    tree = node('', '', null);
    scopeIndex = new Map([['', tree]]);
    WG.doc.ops.forEach((op, i) => {
      const scope = op.scope || '';
      let n = scopeIndex.get(scope);
      if (!n) {
        n = tree;
        const lead = scope.startsWith('/') ? '/' : '';
        const parts = scope.split('/').filter(Boolean);
        for (let k = 0; k < parts.length; k++) {
          let child = n.children.get(parts[k]);
          if (!child) {
            child = node(parts[k], lead + parts.slice(0, k + 1).join('/'), n);
            n.children.set(parts[k], child);
            scopeIndex.set(child.path, child);
          }
          n = child;
        }
        scopeIndex.set(scope, n);
      }
      n.ops.push(i);
      for (let a = n; a; a = a.parent) { a.count++; if (i < a.first) a.first = i; }
    });
    return tree;
  };
  WG.scopeNode = (path) => { WG.scopeTree(); return scopeIndex.get(path || '') || null; };

  let edgeList = null;
  let producersOf = null;
  let consumersOf = null;
  // [[from, to], ...]: op `from` writes a tensor that op `to` reads (deduplicated, in op order).
  WG.edges = function () {
    if (edgeList) return edgeList;
    const ops = WG.doc.ops;
    const producer = new Map();
    ops.forEach((op, i) => { for (const name of op.output_names || []) if (!producer.has(name)) producer.set(name, i); });
    edgeList = [];
    producersOf = ops.map(() => []);
    consumersOf = ops.map(() => []);
    ops.forEach((op, i) => {
      const seen = new Set();
      for (const name of op.inputs || []) {
        const j = producer.get(name);
        if (j === undefined || j === i || seen.has(j)) continue;
        seen.add(j);
        edgeList.push([j, i]);
        producersOf[i].push(j);
        consumersOf[j].push(i);
      }
    });
    return edgeList;
  };
  WG.producers = (i) => { WG.edges(); return producersOf[i] || []; };
  WG.consumers = (i) => { WG.edges(); return consumersOf[i] || []; };
  WG.hasEdges = () => WG.doc.ops.some((op) => Array.isArray(op.inputs));

  // ---------- small DOM helper ----------
  // h('div', {class, text, onclick, 'data-x': 1}, ...children)
  WG.h = function (tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c);
    return el;
  };

  // ---------- tabs ----------
  const panels = [];   // {id, title, order, tab, panel}
  WG.activeTab = null;
  WG.showTab = function (id) {
    const entry = panels.find((p) => p.id === id);
    if (!entry) return;
    for (const p of panels) {
      const on = p === entry;
      p.tab.setAttribute('aria-selected', String(on));
      p.tab.tabIndex = on ? 0 : -1;
      p.tab.classList.toggle('active', on);
      p.panel.hidden = !on;
    }
    if (WG.activeTab !== id) { WG.activeTab = id; WG.bus.emit('tab', id); }
  };
  function onTabKey(e) {
    const order = panels.map((p) => p.tab);
    const k = order.indexOf(e.currentTarget);
    let next = null;
    if (e.key === 'ArrowRight') next = order[(k + 1) % order.length];
    else if (e.key === 'ArrowLeft') next = order[(k - 1 + order.length) % order.length];
    else if (e.key === 'Home') next = order[0];
    else if (e.key === 'End') next = order[order.length - 1];
    if (!next) return;
    e.preventDefault();
    next.focus();
    WG.showTab(next.dataset.tab);
  }
  // Registers a tab. `el` is placed in a new <section id="tab-ID"> unless it already is the panel.
  WG.mountPanel = function (id, title, el, opts) {
    const order = (opts && opts.order) != null ? opts.order : 100;
    const bar = document.getElementById('tabs');
    let panel = document.getElementById('tab-' + id);
    if (!panel) {
      panel = WG.h('section', { id: 'tab-' + id, class: 'tab-panel', role: 'tabpanel', 'aria-label': title });
      document.getElementById('tab-panels').append(panel);
    }
    if (el && el !== panel && el.parentNode !== panel) panel.append(el);
    const tab = WG.h('button', { type: 'button', role: 'tab', id: 'tabbtn-' + id, 'data-tab': id,
      'data-testid': 'tab-' + id, 'aria-controls': panel.id, class: 'tab', text: title });
    tab.addEventListener('click', () => WG.showTab(id));
    tab.addEventListener('keydown', onTabKey);
    panel.setAttribute('aria-labelledby', tab.id);
    const entry = { id, title, order, tab, panel };
    panels.push(entry);
    panels.sort((a, b) => a.order - b.order);
    bar.replaceChildren(...panels.map((p) => p.tab));
    if (WG.activeTab == null || WG.activeTab === id) panel.hidden = false;
    else { panel.hidden = true; tab.setAttribute('aria-selected', 'false'); tab.tabIndex = -1; }
    return panel;
  };
  WG.panels = panels;

  // Default summary (helper C's what-if module replaces it): plain totals cards.
  WG.renderSummary = function () {};
})();
