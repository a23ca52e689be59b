// What-if: pick a compression alternative for the whole model, a name scope or one op, see the
// estimated totals in the summary cards, and export the choices as a winglet recipe.
(function () {
  'use strict';
  const WG = window.WG;

  const h = WG.h;

  // ---------- data ----------
  const doc = WG.doc;
  const ops = doc.ops || [];
  const whatIf = doc.what_if && Array.isArray(doc.what_if.ops) && Array.isArray(doc.what_if.alternatives)
    ? doc.what_if : null;
  const candidates = whatIf ? whatIf.ops : [];
  const alternatives = whatIf ? whatIf.alternatives : [];
  const altById = new Map(alternatives.map((a) => [a.id, a]));
  const slotOf = new Map(candidates.map((opIndex, k) => [opIndex, k]));   // op index -> position k in the arrays

  const choices = new Map();   // op index -> alternative id; absent = "current" (as compiled)

  // Summary cards: key, label, formatter. Lower is better for all of them.
  const TOTAL_KEYS = [
    ['storage_bytes', 'Model size', (x) => WG.fmt.bytes(x)],
    ['latency_ms', 'Latency', (x) => WG.fmt.ms(x)],
    ['energy_mj', 'Energy', (x) => WG.fmt.mj(x)],
    ['avg_power_w', 'Average power', (x) => WG.fmt.w(x)],
    ['peak_memory_bytes', 'Peak memory', (x) => WG.fmt.bytes(x)],
  ];

  function num(x) { return typeof x === 'number' && isFinite(x) ? x : null; }

  function compiledTotals() {
    const t = doc.totals || {};
    const plan = doc.plan || {};
    return {
      latency_ms: num(t.latency_ms), energy_mj: num(t.energy_mj), avg_power_w: num(t.avg_power_w),
      peak_memory_bytes: num(t.peak_memory_bytes), storage_bytes: num(plan.storage_bytes),
      weight_bytes: num(t.weight_bytes), macs: num(t.macs),
    };
  }

  function beforeTotals() {
    const b = doc.totals && doc.totals.before;
    if (!b) return null;
    return {
      latency_ms: num(b.latency_ms), energy_mj: num(b.energy_mj), avg_power_w: num(b.avg_power_w),
      peak_memory_bytes: num(b.peak_memory_bytes), storage_bytes: num(b.storage_bytes),
      weight_bytes: num(b.weight_bytes), macs: num(b.macs),
    };
  }

  function power(energyMj, latencyMs) {
    return energyMj != null && latencyMs ? energyMj / latencyMs : null;
  }

  // The one alternative every candidate takes, or null when choices differ (or some are "current").
  function uniformChoice() {
    if (!candidates.length || choices.size !== candidates.length) return null;
    let id = null;
    for (const v of choices.values()) {
      if (id === null) id = v;
      else if (v !== id) return null;
    }
    return id;
  }

  // alt.key[k] − op.key; 0 when either is missing (an alternative without the value changes nothing).
  function altDelta(a, key, k, op) {
    const v = num(a[key] && a[key][k]), cur = num(op[key]);
    return v == null || cur == null ? 0 : v - cur;
  }

  // Sum of per-op changes (see ../README.md): totals + Σ (alt.X[k] − current X of op i) over changed ops.
  function estimatedTotals() {
    const base = compiledTotals();
    if (!choices.size) return { totals: base, exact: true, changed: 0 };
    const uniform = uniformChoice();
    if (uniform && altById.get(uniform).totals) {
      const t = Object.assign({}, base, altById.get(uniform).totals);
      if (t.avg_power_w == null) t.avg_power_w = power(t.energy_mj, t.latency_ms);
      return { totals: t, exact: true, changed: choices.size, uniform };
    }
    let dLatencyUs = 0, dEnergyUj = 0, dWeightBytes = 0, dMacs = 0;
    for (const [i, id] of choices) {
      const a = altById.get(id), k = slotOf.get(i), op = ops[i];
      dLatencyUs += altDelta(a, 'latency_us', k, op);
      dEnergyUj += altDelta(a, 'energy_uj', k, op);
      dWeightBytes += altDelta(a, 'weight_bytes', k, op);
      dMacs += altDelta(a, 'macs', k, op);
    }
    const add = (x, d) => (x == null ? null : x + d);
    const t = {
      latency_ms: add(base.latency_ms, dLatencyUs / 1000),
      energy_mj: add(base.energy_mj, dEnergyUj / 1000),
      peak_memory_bytes: add(base.peak_memory_bytes, dWeightBytes),
      storage_bytes: add(base.storage_bytes, dWeightBytes),
      weight_bytes: add(base.weight_bytes, dWeightBytes),
      macs: add(base.macs, dMacs),
    };
    t.avg_power_w = power(t.energy_mj, t.latency_ms);
    return { totals: t, exact: false, changed: choices.size };
  }

  // ---------- per-op views of an alternative ----------
  // What op i would look like under choice id ('current' = as compiled).
  function opUnder(i, id) {
    const op = ops[i];
    if (id === 'current' || !altById.has(id) || !slotOf.has(i)) {
      const c = op.compression;
      const compressed = !!(c && c.technique && c.technique !== 'none');
      return {
        latency_us: op.latency_us, energy_uj: op.energy_uj, weight_bytes: op.weight_bytes,
        compressed, sqnr_db: compressed ? num(c.sqnr_db) : null,
        technique: compressed ? c.technique : 'none',
      };
    }
    const a = altById.get(id), k = slotOf.get(i);
    const value = (key) => { const v = num(a[key] && a[key][k]); return v == null ? op[key] : v; };
    return {
      latency_us: value('latency_us'), energy_uj: value('energy_uj'), weight_bytes: value('weight_bytes'),
      compressed: a.id !== 'none' && a.technique !== 'none', sqnr_db: num(a.sqnr_db && a.sqnr_db[k]),
      technique: a.technique || a.id,
    };
  }

  function choiceOf(i) { return choices.get(i) || 'current'; }

  // Error summary over every candidate as chosen: compressed count, worst and median SQNR (null = exact).
  function errorSummary() {
    let compressed = 0, worst = null, worstOp = null;
    const finite = [];
    const indices = candidates.length ? candidates : ops.map((_, i) => i);
    for (const i of indices) {
      const v = opUnder(i, choiceOf(i));
      if (!v.compressed) continue;
      compressed++;
      if (v.sqnr_db == null) continue;
      finite.push(v.sqnr_db);
      if (worst == null || v.sqnr_db < worst) { worst = v.sqnr_db; worstOp = i; }
    }
    finite.sort((a, b) => a - b);
    const m = finite.length;
    const median = m ? (m % 2 ? finite[(m - 1) / 2] : (finite[m / 2 - 1] + finite[m / 2]) / 2) : null;
    return { compressed, worst, worstOp, median };
  }

  // ---------- summary cards ----------
  function signed(fmt, d) {
    if (d == null) return '';
    const s = fmt(Math.abs(d));
    return (d > 0 ? '+' : d < 0 ? '−' : '±') + s;
  }

  function deltaEl(value, ref, fmt, what) {
    if (value == null || ref == null) return null;
    const d = value - ref;
    const rel = ref ? d / ref : 0;
    if (!(Math.abs(d) > 1e-9 * Math.max(1, Math.abs(ref)))) return h('div', { class: 'wi-delta', text: `= ${what}` });
    const pct = Math.abs(rel) < 1e-3 ? '<0.1%' : `${rel > 0 ? '+' : '−'}${Math.abs(rel * 100).toFixed(Math.abs(rel) < 0.1 ? 1 : 0)}%`;
    return h('div', { class: 'wi-delta ' + (d < 0 ? 'wi-better' : 'wi-worse'), title: `change ${what}` },
      `${signed(fmt, d)} (${pct}) ${what}`);
  }

  function card(key, label, valueText, rawValue, extra, title) {
    return h('div', { class: 'wi-card', 'data-testid': 'total-' + key, 'data-value': rawValue == null ? '' : rawValue, title },
      h('div', { class: 'wi-card-label', text: label }),
      h('div', { class: 'wi-card-value', text: valueText }),
      extra);
  }

  function errorCard() {
    const e = errorSummary();
    const label = 'Compression error';
    if (!e.compressed) return card('error', label, 'none', '', h('div', { class: 'wi-delta', text: 'no compressed weights' }));
    const worstName = e.worstOp != null ? ops[e.worstOp].name : '';
    const text = e.worst == null ? 'exact' : `worst ${WG.fmt.db(e.worst)}`;
    return card('error', label, text, e.worst == null ? '' : e.worst,
      h('div', { class: 'wi-delta' }, `${e.compressed} weight${e.compressed === 1 ? '' : 's'} compressed`,
        e.median != null ? ` · median ${WG.fmt.db(e.median)}` : ''),
      e.worstOp != null ? `worst SQNR at ${worstName}` : null);
  }

  // Compare mode: the cards hold the first report's totals (the one Explore and Charts show); say so.
  function sourceCard() {
    if (WG.mode !== 'compare') return null;
    const reports = WG.payload.reports || [];
    const label = (reports[0] && reports[0].label) || 'report 1';
    return h('div', { class: 'wi-card wi-source', 'data-testid': 'summary-source',
      title: `These totals, Explore and Charts show ${label}, the first of the ${reports.length} compared reports; the Compare tab shows them all.` },
    h('div', { class: 'wi-card-label', text: 'Totals of' }),
    h('div', { class: 'wi-card-value', text: label }),
    h('div', { class: 'wi-delta', text: `report 1 of ${reports.length}` }));
  }

  // Renders #summary. Without what-if changes the delta is against the uncompressed model when the
  // report applied a recipe; with changes it is against the compiled report.
  function renderSummary() {
    const box = document.getElementById('summary');
    if (!box) return;
    const est = estimatedTotals();
    const compiled = compiledTotals();
    const before = beforeTotals();
    const ref = est.changed ? compiled : before;
    const what = est.changed ? 'vs compiled' : 'vs uncompressed';
    const cards = TOTAL_KEYS.map(([key, label, fmt]) => {
      const v = est.totals[key];
      return card(key, label, fmt(v), v, ref ? deltaEl(v, ref[key], fmt, what) : null);
    });
    cards.push(errorCard());
    const source = sourceCard();
    if (source) cards.unshift(source);
    const note = est.changed
      ? h('div', { class: 'wi-summary-note', 'data-testid': 'whatif-active' },
        h('strong', { text: 'What-if' }), ` · ${est.changed} op${est.changed === 1 ? '' : 's'} changed · `,
        est.exact ? 'exact engine totals' : 'estimate: sum of per-op changes')
      : null;
    box.replaceChildren(...[h('div', { class: 'wi-cards' }, cards), note].filter(Boolean));
  }
  WG.renderSummary = renderSummary;

  // ---------- choices ----------
  function setChoice(i, id) {
    if (!slotOf.has(i)) return;
    if (id === 'current' || !altById.has(id)) choices.delete(i);
    else choices.set(i, id);
  }

  function changed(source) {
    renderSummary();
    renderPanel();
    WG.bus.emit('whatif', { choices, source, totals: estimatedTotals() });
  }

  function setModelChoice(id) {
    choices.clear();
    if (id !== 'current') for (const i of candidates) setChoice(i, id);
    changed('model');
  }

  function setScopeChoice(path, id) {
    for (const i of candidatesInScope(path)) setChoice(i, id);
    changed('scope');
  }

  function reset() {
    choices.clear();
    changed('reset');
  }

  function inScope(op, path) {
    const s = op.scope || '';
    return path === '' || s === path || s.startsWith(path + '/');
  }

  function candidatesInScope(path) {
    return candidates.filter((i) => inScope(ops[i], path));
  }

  // The scope's common choice, or null when its ops differ.
  function scopeChoice(path) {
    let id = null;
    for (const i of candidatesInScope(path)) {
      const c = choiceOf(i);
      if (id === null) id = c;
      else if (id !== c) return null;
    }
    return id || 'current';
  }

  // Scope levels of op i, outermost first: "/a", "/a/b", ...
  function scopeLevels(i) {
    const scope = ops[i].scope || '';
    const lead = scope.startsWith('/') ? '/' : '';
    const parts = scope.split('/').filter(Boolean);
    const levels = [];
    for (let n = 1; n <= parts.length; n++) levels.push(lead + parts.slice(0, n).join('/'));
    return levels;
  }

  // ---------- panel ----------
  let panel = null;
  let scopeLevel = null;       // chosen scope path for the selected op; null = innermost with >1 candidate

  function fmtDeltaUs(d) { return d == null ? '' : `${d > 0 ? '+' : d < 0 ? '−' : '±'}${WG.fmt.us(Math.abs(d))}`; }

  // Aggregate of an alternative over some ops: Δlatency against the compiled report, worst SQNR.
  function aggregate(indices, id) {
    let dLat = 0, worst = null, compressed = false;
    for (const i of indices) {
      const cur = opUnder(i, 'current');
      const alt = opUnder(i, id);
      dLat += (alt.latency_us || 0) - (cur.latency_us || 0);
      if (alt.compressed) {
        compressed = true;
        if (alt.sqnr_db != null && (worst == null || alt.sqnr_db < worst)) worst = alt.sqnr_db;
      }
    }
    return { dLat, worst, compressed };
  }

  function sqnrText(a) {
    if (!a.compressed) return 'no error';
    return a.worst == null ? 'exact' : WG.fmt.db(a.worst);
  }

  function choiceSelect(testid, current, indices, onchange, label) {
    const sel = h('select', { 'data-testid': testid, 'aria-label': label, onchange: (e) => onchange(e.target.value) });
    if (current === null) sel.append(h('option', { value: '', disabled: true, selected: true, text: 'mixed' }));
    sel.append(h('option', { value: 'current', selected: current === 'current', text: 'current (as compiled)' }));
    for (const a of alternatives) {
      let text = a.label ? `${a.id} — ${a.label}` : a.id;
      if (indices) {
        const agg = aggregate(indices, a.id);
        text += `  ·  Δ ${fmtDeltaUs(agg.dLat)}  ·  ${sqnrText(agg)}`;
      } else if (a.totals) {
        text += `  ·  ${WG.fmt.ms(a.totals.latency_ms)}  ·  ${WG.fmt.bytes(a.totals.storage_bytes)}`;
      }
      sel.append(h('option', { value: a.id, selected: current === a.id, text }));
    }
    return sel;
  }

  function row(label, control, hint) {
    return h('div', { class: 'wi-row' }, h('label', { class: 'wi-label' }, label), control, hint ? h('div', { class: 'wi-hint', text: hint }) : null);
  }

  function modelControl() {
    const value = choices.size ? uniformChoice() : 'current';   // null = mixed
    return row('Whole model', choiceSelect('whatif-model-choice', value, null, setModelChoice, 'alternative for the whole model'),
    `${candidates.length} ops with a compressible weight`);
  }

  function scopeControl(i) {
    const levels = i == null ? [] : scopeLevels(i).filter((p) => candidatesInScope(p).length > 0);
    if (!levels.length) {
      return row('Scope', h('select', { 'data-testid': 'whatif-scope-choice', disabled: true, 'aria-label': 'alternative for the scope' },
        h('option', { value: 'current', text: i == null ? 'select an op first' : scopeLevels(i).length ? 'no compressible weight in its scopes' : 'op has no name scope' })));
    }
    if (!levels.includes(scopeLevel)) {
      const multi = levels.filter((p) => candidatesInScope(p).length > 1);
      scopeLevel = multi.length ? multi[multi.length - 1] : levels[levels.length - 1];
    }
    const levelSel = h('select', { class: 'wi-level', 'data-testid': 'whatif-scope-level', 'aria-label': 'scope level',
      onchange: (e) => { scopeLevel = e.target.value; renderPanel(); } },
    levels.map((p) => h('option', { value: p, selected: p === scopeLevel, text: `${p}  (${candidatesInScope(p).length})` })));
    const members = candidatesInScope(scopeLevel);
    const sel = choiceSelect('whatif-scope-choice', scopeChoice(scopeLevel), members,
      (id) => setScopeChoice(scopeLevel, id), 'alternative for the scope');
    return h('div', { class: 'wi-row' }, h('label', { class: 'wi-label', text: 'Scope' }), levelSel, sel,
      h('div', { class: 'wi-hint', text: `${members.length} op${members.length === 1 ? '' : 's'} with a weight in this scope` }));
  }

  function opControl(i) {
    if (i == null || !slotOf.has(i)) {
      return row('Selected op', h('select', { 'data-testid': 'whatif-op-choice', disabled: true, 'aria-label': 'alternative for the selected op' },
        h('option', { value: 'current', text: i == null ? 'select an op first' : 'no compressible weight' })));
    }
    return row('Selected op', choiceSelect('whatif-op-choice', choiceOf(i), [i],
      (id) => { setChoice(i, id); changed('op'); }, 'alternative for the selected op'), ops[i].name);
  }

  // Every alternative for the selected op side by side; a row click picks it.
  function opTable(i) {
    if (i == null || !slotOf.has(i)) return null;
    const cur = opUnder(i, 'current');
    const chosen = choiceOf(i);
    const rowsData = [['current', 'current', cur]].concat(alternatives.map((a) => [a.id, a.label || a.id, opUnder(i, a.id)]));
    const th = (t, title) => h('th', { text: t, title });
    // Each value is coloured against the op as compiled; the change is in the cell's tooltip.
    const cell = (v, ref, fmt) => {
      const d = v - ref;
      const same = !(Math.abs(d) > 1e-9 * Math.max(1, Math.abs(ref)));
      return h('td', { class: 'num' + (same ? '' : d < 0 ? ' wi-better' : ' wi-worse'), text: fmt(v),
        title: same ? 'same as compiled' : `${signed(fmt, d)} vs compiled` });
    };
    const pick = (id) => { setChoice(i, id); changed('op-table'); };
    const body = rowsData.map(([id, label, v]) => h('tr', {
      class: id === chosen ? 'wi-chosen' : '', tabindex: 0, 'data-testid': 'whatif-alt-row', 'data-alt': id,
      'aria-selected': String(id === chosen), onclick: () => pick(id),
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(id); } },
    },
    h('td', { class: 'wi-alt-id', text: id, title: label }),
    cell(v.latency_us, cur.latency_us, WG.fmt.us),
    cell(v.energy_uj, cur.energy_uj, WG.fmt.uj),
    cell(v.weight_bytes, cur.weight_bytes, WG.fmt.bytes),
    h('td', { class: 'num', text: !v.compressed ? '—' : v.sqnr_db == null ? 'exact' : WG.fmt.db(v.sqnr_db) })));
    return h('table', { class: 'wi-op-table', 'data-testid': 'whatif-op-table' },
      h('caption', { text: 'Alternatives for the selected op (click to choose; green = lower than compiled)' }),
      h('thead', {}, h('tr', {}, th('choice'), th('latency'), th('energy'), th('weights'),
        th('SQNR', 'weight error, signal-to-quantization-noise ratio; higher is better'))),
      h('tbody', {}, body));
  }

  function changedList() {
    if (!choices.size) return null;
    const items = [...choices.entries()].sort((a, b) => a[0] - b[0]).slice(0, 50).map(([i, id]) => h('li', {},
      h('button', { class: 'wi-link', type: 'button', title: ops[i].name, onclick: () => WG.select(i, 'whatif'), text: shortName(ops[i].name) }),
      h('span', { class: 'wi-tag', text: id })));
    const more = choices.size > 50 ? h('li', { class: 'wi-hint', text: `… and ${choices.size - 50} more` }) : null;
    return h('details', { class: 'wi-changed' }, h('summary', { text: `${choices.size} op${choices.size === 1 ? '' : 's'} changed` }), h('ul', {}, items, more));
  }

  function shortName(name) {
    return name.length > 48 ? '…' + name.slice(-47) : name;
  }

  function missingPanel() {
    return h('div', { class: 'wi-missing', 'data-testid': 'whatif-missing' },
      h('p', { text: 'This report has no precomputed what-if alternatives.' }),
      h('p', {}, 'Compile with the HTML exporter to get them: ', h('code', { text: 'winglet compile MODEL -t DEVICE -o report.html' }),
        ' (or ', h('code', { text: '--what-if' }), ' with ', h('code', { text: '--json' }), ' for the JSON document).'));
  }

  function renderPanel() {
    if (!panel) return;
    const head = h('div', { class: 'wi-head' }, h('h3', { text: 'What-if compression' }),
      whatIf ? h('div', { class: 'wi-buttons' },
        h('button', { type: 'button', 'data-testid': 'whatif-reset', onclick: reset, disabled: !choices.size, text: 'Reset' }),
        h('button', { type: 'button', 'data-testid': 'whatif-export', onclick: downloadRecipe, title: 'download the choices as a winglet recipe', text: 'Export recipe.toml' }))
        : null);
    if (!whatIf) { panel.replaceChildren(head, missingPanel()); return; }
    const sel = WG.state.selected;
    // Re-rendering replaces the controls: remember which one had focus to give it back.
    const active = document.activeElement && panel.contains(document.activeElement) ? document.activeElement : null;
    const focused = active && active.getAttribute('data-testid')
      ? `[data-testid="${active.getAttribute('data-testid')}"]` + (active.dataset.alt ? `[data-alt="${active.dataset.alt}"]` : '')
      : null;
    const table = opTable(sel);
    panel.replaceChildren(...[head,
      h('p', { class: 'wi-hint' }, 'Totals are the sum of per-op changes; exact when every weight takes the same alternative.'),
      modelControl(), scopeControl(sel), opControl(sel), table && h('div', { class: 'wi-table-wrap' }, table), changedList()].filter(Boolean));
    if (focused) { const el = panel.querySelector(focused); if (el) el.focus(); }
  }

  // ---------- recipe export ----------
  // "key = value" lines -> canonical text so equal entries from different sources compare equal.
  function canonical(lines) {
    const pairs = [];
    for (const line of lines.split('\n')) {
      const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) pairs.push(m[1] + '=' + m[2].replace(/^"(.*)"$/, '$1'));
    }
    return pairs.sort().join(' ');
  }

  function fixed(x, digits) { return typeof x === 'number' && isFinite(x) ? x.toFixed(digits) : 'n/a'; }

  function tomlValue(v) {
    return /^(true|false|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/.test(v) ? v : JSON.stringify(v);
  }

  // The compiled report's compression of op i as recipe lines (options are "k=v k=v").
  function compiledEntry(op) {
    const c = op.compression;
    if (!c || !c.technique || c.technique === 'none') return 'technique = "none"';
    const lines = [`technique = ${JSON.stringify(c.technique)}`];
    for (const kv of String(c.options || '').split(/\s+/).filter(Boolean)) {
      const eq = kv.indexOf('=');
      if (eq > 0) lines.push(`${kv.slice(0, eq)} = ${tomlValue(kv.slice(eq + 1))}`);
    }
    return lines.join('\n');
  }

  function entryOf(i) {
    const id = choiceOf(i);
    return id === 'current' ? compiledEntry(ops[i]) : altById.get(id).recipe.trim();
  }

  function recipeText() {
    const est = estimatedTotals();
    const t = est.totals;
    const model = (doc.model && (doc.model.path || doc.model.graph_name)) || 'model';
    const device = doc.plan && doc.plan.device ? `${doc.plan.device.name || ''} (${doc.plan.device.id || ''})` : 'no device';
    const out = [
      '# winglet recipe exported by the HTML report viewer (what-if)',
      `# model:  ${model}`,
      `# device: ${device}`,
      `# estimated totals (${est.exact ? 'exact engine totals' : 'sum of per-op changes'}):`,
      `#   latency ${fixed(t.latency_ms, 3)} ms, energy ${fixed(t.energy_mj, 3)} mJ, average power ${fixed(t.avg_power_w, 3)} W,`,
      `#   peak memory ${t.peak_memory_bytes} bytes (${WG.fmt.bytes(t.peak_memory_bytes)}), storage ${t.storage_bytes} bytes (${WG.fmt.bytes(t.storage_bytes)})`,
      `# apply: winglet compile ${model} -t ${(doc.plan && doc.plan.device && doc.plan.device.id) || 'DEVICE'} --recipe recipe.toml`,
      '',
    ];
    // The most common entry becomes [default]; every op that differs gets a name override.
    const entries = candidates.map((i) => ({ i, text: entryOf(i), key: canonical(entryOf(i)) }));
    const counts = new Map();
    for (const e of entries) counts.set(e.key, (counts.get(e.key) || 0) + 1);
    const none = canonical('technique = "none"');
    let defaultKey = none;
    let best = 0;
    for (const [key, n] of counts) if (n > best || (n === best && key === none)) { best = n; defaultKey = key; }
    if (defaultKey !== none || counts.size === 1) {
      out.push('[default]', entries.find((e) => e.key === defaultKey).text, '');
    }
    for (const e of entries) {
      if (e.key === defaultKey) continue;
      out.push('[[override]]', `name = ${JSON.stringify(ops[e.i].name)}`, e.text, '');
    }
    return out.join('\n');
  }

  function downloadRecipe() {
    const blob = new Blob([recipeText()], { type: 'application/toml' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: 'recipe.toml', style: 'display:none' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // ---------- public API for other views (charts) ----------
  WG.whatif = {
    available: !!whatIf,
    choices,
    alternatives,
    estimatedTotals,
    compiledTotals,
    beforeTotals,
    errorSummary,
    recipeText,
    setChoice: (i, id) => { setChoice(i, id); changed('api'); },
    setModelChoice,
    reset,
  };

  // ---------- mount ----------
  function mount() {
    panel = document.getElementById('whatif');
    if (!panel) return;
    panel.classList.add('wi-panel');
    renderPanel();
    WG.bus.on('select', () => { scopeLevel = null; renderPanel(); });
  }

  WG.modules.push({ id: 'whatif', order: 30, mount });
})();
