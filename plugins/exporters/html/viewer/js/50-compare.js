// Compare view (payload.kind === 'compare'): the reports' totals side by side and a diff of their
// ops matched by name, each with its change against the first report.
(function () {
  'use strict';
  const WG = window.WG;

  const h = WG.h;

  function num(x) { return typeof x === 'number' && isFinite(x) ? x : null; }

  // ---------- totals ----------
  const TOTALS = [
    ['latency_ms', 'Latency', (d) => num(d.totals.latency_ms), (x) => WG.fmt.ms(x)],
    ['energy_mj', 'Energy', (d) => num(d.totals.energy_mj), (x) => WG.fmt.mj(x)],
    ['avg_power_w', 'Average power', (d) => num(d.totals.avg_power_w), (x) => WG.fmt.w(x)],
    ['peak_memory_bytes', 'Peak memory', (d) => num(d.totals.peak_memory_bytes), (x) => WG.fmt.bytes(x)],
    ['storage_bytes', 'Model size (storage)', (d) => num(d.plan && d.plan.storage_bytes), (x) => WG.fmt.bytes(x)],
    ['weight_bytes', 'Weight bytes', (d) => num(d.totals.weight_bytes), (x) => WG.fmt.bytes(x)],
    ['macs', 'MACs', (d) => num(d.totals.macs), (x) => WG.fmt.count(x)],
    ['op_count', 'Ops', (d) => num(d.totals.op_count), (x) => WG.fmt.count(x)],
  ];

  function fitsOf(d) {
    const f = d.plan && typeof d.plan.fits === 'boolean' ? d.plan.fits : d.totals && d.totals.fits;
    return typeof f === 'boolean' ? f : null;
  }

  function deltaText(v, ref, fmt) {
    if (v == null || ref == null) return { text: '', cls: '' };
    const d = v - ref;
    if (Math.abs(d) <= 1e-9 * Math.max(1, Math.abs(ref))) return { text: '=', cls: 'cmp-same' };
    const pct = ref ? ` (${d > 0 ? '+' : '−'}${Math.abs((d / ref) * 100).toFixed(1)}%)` : '';
    return { text: `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}${pct}`, cls: d < 0 ? 'cmp-better' : 'cmp-worse' };
  }

  function subtitle(d) {
    const device = d.plan && d.plan.device ? d.plan.device.name || d.plan.device.id : 'no device';
    const model = d.model ? d.model.path || d.model.graph_name : '';
    return `${model} · ${device}`;
  }

  function totalsTable(reports) {
    const head = h('tr', {}, h('th', { text: '' }), reports.map((r, ri) => h('th', { scope: 'col' },
      h('div', { class: 'cmp-label', text: r.label || `report ${ri + 1}` }),
      h('div', { class: 'cmp-sub', text: subtitle(r.report) }))));
    const rows = TOTALS.map(([key, label, get, fmt]) => {
      const ref = get(reports[0].report);
      return h('tr', {}, h('th', { scope: 'row', text: label }), reports.map((r, ri) => {
        const v = get(r.report);
        const d = ri ? deltaText(v, ref, fmt) : null;
        return h('td', { class: 'num', 'data-testid': 'compare-total', 'data-key': key, 'data-report': ri, 'data-value': v == null ? '' : v },
          h('span', { text: fmt(v) }), d && d.text ? h('span', { class: 'cmp-delta ' + d.cls, text: d.text }) : null);
      }));
    });
    rows.push(h('tr', {}, h('th', { scope: 'row', text: 'Fits the device' }), reports.map((r, ri) => {
      const f = fitsOf(r.report);
      return h('td', { class: 'num ' + (f === false ? 'cmp-worse' : ''), 'data-testid': 'compare-total', 'data-key': 'fits', 'data-report': ri,
        'data-value': f == null ? '' : String(f), text: f == null ? 'n/a' : f ? 'yes' : 'no',
        title: (r.report.plan && r.report.plan.fit_detail) || '' });
    })));
    return h('table', { class: 'cmp-totals', 'data-testid': 'compare-totals' }, h('thead', {}, head), h('tbody', {}, rows));
  }

  // ---------- op diff ----------
  // Per-op columns: key, header, getter, formatter, numeric (gets a Δ column).
  const OP_COLS = [
    ['latency_us', 'latency', (op) => num(op.latency_us), (x) => WG.fmt.us(x), true],
    ['energy_uj', 'energy', (op) => num(op.energy_uj), (x) => WG.fmt.uj(x), true],
    ['weight_bytes', 'weights', (op) => num(op.weight_bytes), (x) => WG.fmt.bytes(x), true],
    ['unit', 'unit', (op) => op.unit || null, (x) => (x == null ? '—' : x), false],
    ['technique', 'compression', (op) => (op.compression && op.compression.technique) || 'none', (x) => x, false],
  ];

  // Rows of ops matched by name, in the first report's execution order; ops only in later reports
  // follow their predecessor in that report.
  function matchOps(reports) {
    const rows = new Map();
    const order = [];
    reports.forEach((r, ri) => {
      let prev = null;
      (r.report.ops || []).forEach((op, i) => {
        let row = rows.get(op.name);
        if (!row) {
          row = { name: op.name, op_type: op.op_type, per: new Array(reports.length).fill(null) };
          rows.set(op.name, row);
          const at = prev == null ? -1 : order.indexOf(prev);
          if (ri === 0 || at < 0) order.push(row); else order.splice(at + 1, 0, row);
        }
        if (!row.per[ri]) row.per[ri] = { op, index: i };
        prev = row;
      });
    });
    for (const row of order) finishRow(row, reports.length);
    return order;
  }

  // Precomputes values, deltas vs the first report, presence and whether anything changed.
  function finishRow(row, n) {
    row.values = OP_COLS.map(([, , get]) => row.per.map((p) => (p ? get(p.op) : null)));
    row.present = row.per.map(Boolean);
    row.status = row.present.every(Boolean) ? 'matched' : !row.present[0] ? 'added' : 'removed';
    row.changed = row.status !== 'matched' || OP_COLS.some(([, , , , numeric], c) => {
      const ref = row.values[c][0];
      return row.values[c].some((v) => (numeric ? !close(v, ref) : v !== ref));
    });
    let maxDl = 0;
    for (let r = 1; r < n; r++) {
      const a = row.values[0][0], b = row.values[0][r];
      const d = (b || 0) - (a || 0);
      if (Math.abs(d) > Math.abs(maxDl)) maxDl = d;
    }
    row.maxDeltaLatency = maxDl;
  }

  function close(a, b) {
    if (a == null || b == null) return a === b;
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  }

  const state = { changedOnly: true, text: '', sortKey: 'abs_delta_latency', sortDir: -1, limit: 500 };

  function sortRows(rows) {
    const { sortKey, sortDir } = state;
    if (sortKey === 'order') return rows;
    const val = (row) => {
      if (sortKey === 'abs_delta_latency') return Math.abs(row.maxDeltaLatency);
      if (sortKey === 'name') return row.name;
      const m = /^(\w+)@(\d+)$/.exec(sortKey);
      if (m) {
        const c = OP_COLS.findIndex(([k]) => k === m[1]);
        return row.values[c][Number(m[2])];
      }
      const d = /^delta_(\w+)@(\d+)$/.exec(sortKey);
      if (d) {
        const c = OP_COLS.findIndex(([k]) => k === d[1]);
        const a = row.values[c][0], b = row.values[c][Number(d[2])];
        return a == null || b == null ? null : b - a;
      }
      return 0;
    };
    return rows.map((row, i) => ({ row, i, v: val(row) })).sort((x, y) => {
      if (x.v == null && y.v == null) return x.i - y.i;
      if (x.v == null) return 1;
      if (y.v == null) return -1;
      const c = typeof x.v === 'string' ? x.v.localeCompare(y.v) : x.v - y.v;
      return c ? c * sortDir : x.i - y.i;
    }).map((x) => x.row);
  }

  function visibleRows(allRows) {
    const q = state.text.trim().toLowerCase();
    const filtered = allRows.filter((row) => (!state.changedOnly || row.changed)
      && (!q || row.name.toLowerCase().includes(q) || (row.op_type || '').toLowerCase().includes(q)));
    return sortRows(filtered);
  }

  function headerCell(key, text, titleText, rowspan) {
    const active = state.sortKey === key;
    return h('th', { scope: 'col', rowspan, class: 'cmp-sortable' + (active ? ' active' : ''), tabindex: 0, title: titleText || 'sort',
      'aria-sort': active ? (state.sortDir < 0 ? 'descending' : 'ascending') : null, 'data-sort': key,
      onclick: () => sortBy(key), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(key); } } },
    text, active ? (state.sortDir < 0 ? ' ▼' : ' ▲') : '');
  }

  let render = () => {};

  function sortBy(key) {
    if (state.sortKey === key) state.sortDir = -state.sortDir;
    else { state.sortKey = key; state.sortDir = key === 'name' ? 1 : -1; }
    render();
  }

  function diffHead(reports) {
    const top = h('tr', {}, headerCell('name', 'op', 'sort by name', 2),
      headerCell('abs_delta_latency', '|Δ latency|', 'largest latency change against the first report', 2));
    const sub = h('tr', {});
    for (const [key, label, , , numeric] of OP_COLS) {
      const span = numeric ? reports.length * 2 - 1 : reports.length;
      top.append(h('th', { colspan: span, class: 'cmp-group', text: label }));
      reports.forEach((r, ri) => {
        sub.append(headerCell(`${key}@${ri}`, r.label || `#${ri + 1}`));
        if (numeric && ri) sub.append(headerCell(`delta_${key}@${ri}`, 'Δ', `change of ${label} vs ${reports[0].label}`));
      });
    }
    return h('thead', {}, top, sub);
  }

  function diffRow(row, reports) {
    const cells = [];
    cells.push(h('td', { class: 'cmp-name', title: row.name },
      row.status !== 'matched' ? h('span', { class: 'cmp-badge cmp-' + row.status, text: row.status,
        title: 'not in ' + reports.filter((_, ri) => !row.present[ri]).map((r) => r.label).join(', ') }) : null,
      h('span', { text: row.name }), h('span', { class: 'cmp-type', text: row.op_type || '' })));
    const dl = row.maxDeltaLatency;
    cells.push(h('td', { class: 'num ' + (dl < 0 ? 'cmp-better' : dl > 0 ? 'cmp-worse' : ''), 'data-testid': 'compare-cell', 'data-key': 'abs_delta_latency', 'data-report': '',
      'data-value': Math.abs(dl), text: dl ? WG.fmt.us(Math.abs(dl)) : '' }));
    OP_COLS.forEach(([key, , , fmt, numeric], c) => {
      const vals = row.values[c];
      vals.forEach((v, ri) => {
        const present = row.present[ri];
        const differs = ri > 0 && present && row.present[0] && (numeric ? !close(v, vals[0]) : v !== vals[0]);
        cells.push(h('td', { class: (numeric ? 'num' : 'cmp-text') + (!numeric && differs ? ' cmp-diff' : '') + (present ? '' : ' cmp-absent'),
          'data-testid': 'compare-cell', 'data-key': key, 'data-report': ri, 'data-value': v == null ? '' : v,
          text: present ? fmt(v) : '—' }));
        if (numeric && ri) {
          const d = present && row.present[0] ? deltaText(v, vals[0], fmt) : { text: '', cls: '' };
          cells.push(h('td', { class: 'num cmp-delta ' + d.cls, 'data-testid': 'compare-delta', 'data-key': key, 'data-report': ri,
            'data-value': present && row.present[0] && v != null && vals[0] != null ? v - vals[0] : '', text: d.text === '=' ? '' : d.text }));
        }
      });
    });
    const first = row.per[0];
    return h('tr', { 'data-testid': 'compare-row', 'data-op-name': row.name, class: 'cmp-' + row.status,
      tabindex: first ? 0 : null, title: first ? 'open in Explore' : null,
      ondblclick: first ? () => openInExplore(first.index) : null,
      onkeydown: first ? (e) => { if (e.key === 'Enter') openInExplore(first.index); } : null }, cells);
  }

  // The Explore tab shows the first report, so only its ops can be selected there.
  function openInExplore(index) {
    WG.select(index, 'compare');
    WG.showTab('explore');
  }

  function diffSection(reports) {
    const allRows = matchOps(reports);
    const changedCount = allRows.filter((r) => r.changed).length;
    const counts = h('span', { class: 'cmp-counts' });
    const table = h('table', { class: 'cmp-diff-table', 'data-testid': 'compare-table' });
    const more = h('div', { class: 'cmp-more' });
    const controls = h('div', { class: 'cmp-controls' },
      h('label', {}, h('input', { type: 'checkbox', checked: state.changedOnly, 'data-testid': 'compare-changed-only',
        onchange: (e) => { state.changedOnly = e.target.checked; state.limit = 500; render(); } }), ' changed only'),
      h('input', { type: 'search', placeholder: 'filter by name or op type', 'data-testid': 'compare-filter', 'aria-label': 'filter ops',
        oninput: (e) => { state.text = e.target.value; state.limit = 500; render(); } }),
      counts);
    render = () => {
      const rows = visibleRows(allRows);
      counts.textContent = `${rows.length} shown · ${changedCount} of ${allRows.length} ops differ`;
      const shown = rows.slice(0, state.limit);
      table.replaceChildren(diffHead(reports), h('tbody', {}, shown.map((row) => diffRow(row, reports))));
      more.replaceChildren(...(rows.length > shown.length ? [h('button', { type: 'button', text: `show ${Math.min(500, rows.length - shown.length)} more of ${rows.length - shown.length}`,
          onclick: () => { state.limit += 500; render(); } })] : []));
    };
    render();
    return h('section', { class: 'cmp-section' }, h('h3', { text: 'Ops (matched by name)' }), controls,
      h('div', { class: 'cmp-table-wrap' }, table), more,
      h('p', { class: 'cmp-hint', text: `Δ is against ${reports[0].label}; green is lower (better), orange higher. Double-click a row (or Enter) to open it in Explore.` }));
  }

  function build() {
    const reports = (WG.payload && WG.payload.reports) || [];
    const root = h('div', { id: 'compare', class: 'cmp-root', 'data-testid': 'compare' });
    if (reports.length < 2) {
      root.append(h('p', { text: 'A comparison needs two or more reports.' }));
      return root;
    }
    root.append(h('section', { class: 'cmp-section' }, h('h3', { text: `Totals (Δ against ${reports[0].label})` }), totalsTable(reports)),
      diffSection(reports));
    return root;
  }

  WG.compare = { build, matchOps };
  // Compare mode only: its tab comes first (negative order) and is shown by default.
  if (WG.mode === 'compare') {
    WG.modules.push({ id: 'compare', order: 50, mount: () => { WG.mountPanel('compare', 'Compare', build(), { order: -10 }); } });
  }
})();
