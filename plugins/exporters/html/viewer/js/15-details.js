// Details pane: every field of the selected op, its tensors with shapes, its compression error and
// before/after numbers, and its producers/consumers as links that select them.
(function () {
  'use strict';
  const WG = window.WG;
  const h = WG.h;
  const fmt = WG.fmt;
  const ops = WG.doc.ops;
  const totals = WG.doc.totals || {};
  const isNum = (x) => typeof x === 'number' && isFinite(x);

  // Fields shown in the sections below; anything else an op carries lands in "Other fields".
  const SHOWN = new Set(['name', 'op_type', 'domain', 'scope', 'macs', 'flops', 'params', 'weight_bytes', 'input_bytes',
    'output_bytes', 'output_names', 'output_shapes', 'inputs', 'unit', 'fallback_reason', 'group', 'start_us',
    'latency_us', 'energy_uj', 'memory_traffic_bytes', 'bound', 'critical', 'arena_offset', 'compression', 'before',
    'cost_rule', 'multiplier', 'in_subgraph', 'assumed_dims', 'spill', 'source', 'kernel', 'latency_spread_us']);
  // How to show a metric-like key wherever it appears (op fields, before/after, compression).
  const KEY_FMT = {
    latency_us: fmt.us, start_us: fmt.us, energy_uj: fmt.uj, memory_traffic_bytes: fmt.bytes,
    weight_bytes: fmt.bytes, input_bytes: fmt.bytes, output_bytes: fmt.bytes, macs: fmt.count, flops: fmt.count,
    params: fmt.count, sqnr_db: fmt.db, arena_offset: fmt.bytes,
  };
  const LABEL = {
    latency_us: 'Latency', start_us: 'Start', energy_uj: 'Energy', memory_traffic_bytes: 'Memory traffic',
    weight_bytes: 'Weights', input_bytes: 'Input', output_bytes: 'Output', macs: 'MACs', flops: 'FLOPs',
    params: 'Params', sqnr_db: 'SQNR', rel_l2: 'Relative L2 error', cosine: 'Cosine similarity',
    max_abs_error: 'Max abs error', original_bits: 'Original bits', bits: 'Stored bits', arena_offset: 'Arena offset',
    cost_rule: 'Cost rule', in_subgraph: 'In subgraph', assumed_dims: 'Assumed dims', fallback_reason: 'Fallback',
  };
  const label = (key) => LABEL[key] || key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

  function plain(v) {
    if (v == null) return 'n/a';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function valueText(key, v) {
    if (v == null) return 'n/a';
    const f = KEY_FMT[key];
    return f && isNum(v) ? f(v) : plain(v);
  }
  // A raw number as a tooltip, so formatted values can still be read exactly.
  function rawTitle(v) { return isNum(v) ? String(v) : null; }

  function shapeText(shape) {
    if (!Array.isArray(shape)) return '';
    return '[' + shape.map((d) => (d == null ? '?' : d)).join(', ') + ']';
  }

  // ---------- pieces ----------
  function opLink(j) {
    const op = ops[j];
    return h('button', { type: 'button', class: 'oplink', 'data-testid': 'op-link', 'data-op-index': j,
      title: `${op.name} (#${j}) — select` },
    h('span', { class: 'swatch', style: `background:${WG.unitColor(op.unit)}` }),
    h('span', { class: 'oplink-type', text: op.op_type }), h('span', { class: 'oplink-name', text: op.name }));
  }

  function row(key, value, extra) {
    return [h('dt', { text: label(key) }), h('dd', { 'data-key': key, title: rawTitle(value) }, valueText(key, value), extra || null)];
  }

  function section(title, ...content) {
    const body = content.flat().filter(Boolean);
    if (!body.length) return null;
    return h('section', { class: 'dt-section' }, h('h3', { text: title }), ...body);
  }

  function share(v, total) {
    return isNum(v) && isNum(total) && total > 0 ? h('span', { class: 'muted share', text: ` ${fmt.pct(v / total)} of total` }) : null;
  }

  function header(i, op) {
    const badges = [h('span', { class: 'badge', text: op.op_type })];
    badges.push(h('span', { class: 'badge' }, h('span', { class: 'swatch', style: `background:${WG.unitColor(op.unit)}` }), op.unit || 'no unit'));
    if (op.critical) badges.push(h('span', { class: 'badge badge-crit', text: 'critical path' }));
    if (op.fallback_reason) badges.push(h('span', { class: 'badge badge-bad', text: 'fallback', title: op.fallback_reason }));
    if (op.spill) badges.push(h('span', { class: 'badge badge-warn', text: 'spills', title: 'its working set exceeds the unit\'s on-chip memory' }));
    if (op.compression) {
      // `bits` is the whole stored tensor; the per-weight width is an option of the technique.
      const width = /(?:^|\s)bits=(\d+)/.exec(op.compression.options || '');
      badges.push(h('span', { class: 'badge badge-ok', text: `${op.compression.technique || 'compressed'}${width ? ' ' + width[1] + '-bit' : ''}` }));
    }
    const nav = h('span', { class: 'dt-nav' },
      h('button', { type: 'button', class: 'btn-small', title: 'Previous op (execution order)', 'aria-label': 'Previous op', disabled: i === 0, onclick: () => WG.select(i - 1, 'details') }, '‹'),
      h('button', { type: 'button', class: 'btn-small', title: 'Next op (execution order)', 'aria-label': 'Next op', disabled: i === ops.length - 1, onclick: () => WG.select(i + 1, 'details') }, '›'));
    return h('div', { class: 'dt-head' },
      h('div', { class: 'dt-title' }, h('span', { class: 'muted', text: `#${i}` }), nav),
      h('div', { class: 'dt-name', text: op.name, title: op.name }),
      op.scope ? h('div', { class: 'dt-scope muted', text: op.scope, title: 'name scope' }) : null,
      h('div', { class: 'dt-badges' }, badges));
  }

  // Schema 1.4: measured or predicted, and for a measured op the spread of its kernel's runs.
  function sourceRows(op) {
    if (!op.source) return null;
    const spread = op.latency_spread_us;
    const text = {
      measured: `measured${op.kernel ? ` (kernel ${op.kernel})` : ''}`,
      fused: `ran inside kernel ${op.kernel || '?'} (its time is on that kernel's op)`,
      folded: 'folded: computed once when the runtime loaded the model',
      'not observed': 'not observed in the run',
      predicted: 'predicted by the cost model',
    }[op.source] || op.source;
    return [h('dt', { text: 'Source' }), h('dd', { 'data-key': 'source', 'data-testid': 'details-source' }, text),
      spread ? [h('dt', { text: 'Spread' }), h('dd', { 'data-key': 'latency_spread_us', 'data-testid': 'details-spread' },
        `${fmt.us(spread.min)} – ${fmt.us(spread.max)} over the timed runs`)] : null];
  }

  function costSection(op) {
    const end = isNum(op.start_us) && isNum(op.latency_us) ? op.start_us + op.latency_us : null;
    return section('Cost', h('dl', {},
      sourceRows(op),
      row('latency_us', op.latency_us, share(op.latency_us, isNum(totals.latency_ms) ? totals.latency_ms * 1000 : null)),
      row('energy_uj', op.energy_uj, share(op.energy_uj, isNum(totals.energy_mj) ? totals.energy_mj * 1000 : null)),
      row('start_us', op.start_us, end != null ? h('span', { class: 'muted', text: ` → ${fmt.us(end)}` }) : null),
      row('memory_traffic_bytes', op.memory_traffic_bytes),
      row('bound', op.bound),
      row('macs', op.macs), row('flops', op.flops),
      'cost_rule' in op ? row('cost_rule', op.cost_rule) : null,
      'multiplier' in op && op.multiplier !== 1 ? row('multiplier', op.multiplier) : null));
  }

  function placementSection(op) {
    return section('Placement & memory', h('dl', {},
      row('unit', op.unit),
      op.fallback_reason ? row('fallback_reason', op.fallback_reason) : null,
      row('critical', !!op.critical),
      row('group', op.group),
      row('params', op.params), row('weight_bytes', op.weight_bytes),
      row('input_bytes', op.input_bytes), row('output_bytes', op.output_bytes),
      row('arena_offset', op.arena_offset),
      op.spill ? spillRow(op.spill) : null));
  }

  // Schema 1.4: the working set beyond the unit's on-chip memory and what it adds (already in the cost).
  function spillRow(s) {
    return [h('dt', { text: 'Spill' }), h('dd', { 'data-key': 'spill', 'data-testid': 'details-spill', title: JSON.stringify(s) },
      `${fmt.bytes(s.bytes)} over on-chip memory: +${fmt.bytes(s.traffic_bytes)} traffic, +${fmt.us(s.latency_us)}, +${fmt.uj(s.energy_uj)}`)];
  }

  // Producer op of each tensor name, to show where inputs come from and their shapes.
  let producerOf = null;
  function producerOfTensor(name) {
    if (!producerOf) {
      producerOf = new Map();
      ops.forEach((op, j) => (op.output_names || []).forEach((n, k) => { if (!producerOf.has(n)) producerOf.set(n, [j, k]); }));
    }
    return producerOf.get(name) || null;
  }

  function tensorsSection(i, op) {
    const parts = [];
    if (Array.isArray(op.inputs)) {
      const items = op.inputs.map((name) => {
        const p = producerOfTensor(name);
        const shape = p ? shapeText((ops[p[0]].output_shapes || [])[p[1]]) : '';
        return h('li', {}, h('div', { class: 'tensor' }, h('span', { class: 'mono', text: name, title: name }), shape ? h('span', { class: 'shape', text: shape }) : null),
          p ? h('div', { class: 'from' }, h('span', { class: 'muted', text: 'from ' }), opLink(p[0])) : h('div', { class: 'from muted', text: 'model input' }));
      });
      parts.push(h('h4', { text: `Inputs (${op.inputs.length})` }), items.length ? h('ul', { class: 'tensors' }, items) : h('div', { class: 'muted', text: 'none' }));
    } else {
      parts.push(h('div', { class: 'muted note', text: 'This report has no input lists (schema < 1.3): producers are unknown.' }));
    }
    const names = op.output_names || [];
    const consumers = Array.isArray(op.inputs) || ops.some((o) => Array.isArray(o.inputs)) ? consumersByTensor(i) : null;
    const outs = names.map((name, k) => {
      const readers = consumers ? consumers.get(name) || [] : [];
      return h('li', {}, h('div', { class: 'tensor' }, h('span', { class: 'mono', text: name, title: name }), h('span', { class: 'shape', text: shapeText((op.output_shapes || [])[k]) })),
        consumers ? (readers.length ? h('div', { class: 'from' }, h('span', { class: 'muted', text: 'to ' }), readers.map(opLink)) : h('div', { class: 'from muted', text: 'model output (no reader)' })) : null);
    });
    parts.push(h('h4', { text: `Outputs (${names.length})` }), outs.length ? h('ul', { class: 'tensors' }, outs) : h('div', { class: 'muted', text: 'none' }));
    return section('Tensors', parts);
  }

  // tensor name -> [consumer op indices] for the outputs of op i (uses the cached edge list).
  function consumersByTensor(i) {
    const out = new Map();
    const names = new Set(ops[i].output_names || []);
    for (const j of WG.consumers(i)) {
      for (const name of ops[j].inputs || []) {
        if (!names.has(name)) continue;
        if (!out.has(name)) out.set(name, []);
        if (!out.get(name).includes(j)) out.get(name).push(j);
      }
    }
    return out;
  }

  function linksSection(i) {
    if (!ops.some((o) => Array.isArray(o.inputs))) return null;
    const prod = WG.producers(i), cons = WG.consumers(i);
    return section('Neighbours',
      h('h4', { text: `Producers (${prod.length})` }), prod.length ? h('div', { class: 'links', 'data-testid': 'details-producers' }, prod.map(opLink)) : h('div', { class: 'muted', text: 'none (reads model inputs)' }),
      h('h4', { text: `Consumers (${cons.length})` }), cons.length ? h('div', { class: 'links', 'data-testid': 'details-consumers' }, cons.map(opLink)) : h('div', { class: 'muted', text: 'none (writes model outputs)' }));
  }

  function compressionSection(op) {
    const c = op.compression;
    if (!c) return null;
    const sq = isNum(c.sqnr_db) ? c.sqnr_db : null;
    const quality = sq == null ? ['exact', 'badge-ok'] : sq >= 30 ? ['low error', 'badge-ok'] : sq >= 20 ? ['moderate error', 'badge-warn'] : ['high error', 'badge-bad'];
    const rows = [];
    const order = ['technique', 'options', 'tensor', 'bits', 'original_bits', 'sqnr_db', 'rel_l2', 'cosine', 'max_abs_error', 'sparsity'];
    const keys = order.filter((k) => k in c).concat(Object.keys(c).filter((k) => !order.includes(k)));
    for (const k of keys) rows.push(row(k, k === 'sqnr_db' && c[k] == null ? 'exact (no error)' : c[k]));
    return section('Compression',
      h('div', { class: 'dt-badges' }, h('span', { class: 'badge ' + quality[1], 'data-testid': 'details-error', text: sq == null ? 'exact' : `SQNR ${fmt.db(sq)} · ${quality[0]}` })),
      h('dl', {}, rows));
  }

  function beforeAfterSection(op) {
    const b = op.before;
    if (!b) return null;
    const rows = Object.keys(b).map((k) => {
      const before = b[k], after = op[k];
      let delta = '';
      let cls = '';
      if (isNum(before) && isNum(after)) {
        const d = after - before;
        delta = before ? `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs((d / before) * 100).toFixed(1)}%` : d ? 'new' : '=';
        cls = d < 0 ? 'better' : d > 0 ? 'worse' : '';
      } else if (before !== after) delta = 'changed';
      return h('tr', {}, h('th', { text: label(k) }), h('td', { class: 'num', title: rawTitle(before), text: valueText(k, before) }),
        h('td', { class: 'num', title: rawTitle(after), text: valueText(k, after) }), h('td', { class: 'num delta ' + cls, text: delta }));
    });
    return section('Before → after compression', h('table', { class: 'ba' },
      h('thead', {}, h('tr', {}, h('th', {}), h('th', { class: 'num', text: 'before' }), h('th', { class: 'num', text: 'after' }), h('th', { class: 'num', text: 'Δ' }))),
      h('tbody', {}, rows)));
  }

  function otherSection(op) {
    const keys = Object.keys(op).filter((k) => !SHOWN.has(k));
    const flags = ['domain', 'in_subgraph', 'assumed_dims'].filter((k) => k in op);
    const all = flags.concat(keys);
    if (!all.length) return null;
    return section('Other fields', h('dl', {}, all.map((k) => row(k, op[k]))));
  }

  // ---------- render ----------
  let pane = null;
  function render(i) {
    if (!pane) return;
    if (i == null || !ops[i]) {
      pane.replaceChildren(h('div', { class: 'dt-empty muted' },
        h('p', { text: 'Select an op in the table or the graph to see all its fields.' }),
        h('p', { text: 'Keyboard: ↑/↓ move through the table, Enter selects, Esc clears.' })));
      pane.removeAttribute('data-op-index');
      return;
    }
    const op = ops[i];
    pane.dataset.opIndex = String(i);
    const parts = [header(i, op), costSection(op), compressionSection(op), beforeAfterSection(op),
      placementSection(op), linksSection(i), tensorsSection(i, op), otherSection(op)];
    pane.replaceChildren(...parts.filter(Boolean));   // replaceChildren would print a null as "null"

  }

  function mount() {
    pane = document.getElementById('details');
    if (!pane) return;
    pane.setAttribute('data-testid', 'details');
    pane.classList.add('details');
    pane.addEventListener('click', (e) => {
      const link = e.target.closest('.oplink');
      if (link) WG.select(Number(link.dataset.opIndex), 'details');
    });
    WG.bus.on('select', (i) => { render(i); pane.scrollTop = 0; });   // the details scroll on their own
    render(WG.state.selected);
  }

  WG.modules.push({ id: 'details', order: 15, mount });
})();
