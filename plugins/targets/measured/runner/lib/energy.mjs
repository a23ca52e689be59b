// Package energy from the Linux powercap (RAPL) counters, when this process may read them.
// The counters are cumulative microjoules that wrap at max_energy_range_uj; sampling after every
// run keeps each step well inside one wrap. Measures the whole package: other processes count too.
import fs from 'node:fs';
import path from 'node:path';

const POWERCAP = '/sys/class/powercap';

function readNumber(file) {
  return Number(fs.readFileSync(file, 'utf8').trim());
}

// Top-level package domains ("intel-rapl:0", not the "intel-rapl:0:0" sub-domains) whose
// counter is readable; [] where there is none.
function packageDomains() {
  let entries;
  try { entries = fs.readdirSync(POWERCAP); } catch { return []; }
  const domains = [];
  for (const entry of entries.filter((e) => /^[a-z-]+rapl:\d+$/.test(e)).sort()) {
    const dir = path.join(POWERCAP, entry);
    try {
      const name = fs.readFileSync(path.join(dir, 'name'), 'utf8').trim();
      const range = readNumber(path.join(dir, 'max_energy_range_uj'));
      const start = readNumber(path.join(dir, 'energy_uj'));
      if (name.startsWith('package') && Number.isFinite(range) && range > 0 && Number.isFinite(start))
        domains.push({ counter: path.join(dir, 'energy_uj'), name, range, last: start, total_uj: 0 });
    } catch { /* unreadable (often root-only): not measured */ }
  }
  return domains;
}

export class EnergyMeter {
  constructor() { this.domains = packageDomains(); this.startedAt = 0; this.seconds = 0; }
  available() { return this.domains.length > 0; }
  start() {
    for (const d of this.domains) { d.last = readNumber(d.counter); d.total_uj = 0; }
    this.startedAt = performance.now();
  }
  sample() {
    for (const d of this.domains) {
      const now = readNumber(d.counter);
      d.total_uj += now >= d.last ? now - d.last : now + d.range - d.last;
      d.last = now;
    }
    this.seconds = (performance.now() - this.startedAt) / 1000;
  }
  // The protocol's energy object for `runs` inferences, or null when nothing was measured.
  result(runs) {
    if (!this.available() || runs === 0 || this.seconds <= 0) return null;
    const joules = this.domains.reduce((a, d) => a + d.total_uj, 0) / 1e6;
    return {
      source: 'rapl',
      domains: this.domains.map((d) => ({ name: d.name, counter: d.counter, joules: d.total_uj / 1e6 })),
      joules_total: joules,
      seconds: this.seconds,
      inferences: runs,
      joules_per_inference: joules / runs,
      average_power_w: joules / this.seconds,
    };
  }
}
