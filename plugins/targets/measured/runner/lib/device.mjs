// Facts about the machine the runner runs on, read without side effects; what cannot be read is
// null rather than guessed.
import fs from 'node:fs';
import os from 'node:os';

function readText(file) {
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { return null; }
}

// x86 names the CPU in "model name"; ARM kernels use "Hardware", "Processor" or "CPU part".
function cpuModel() {
  const info = readText('/proc/cpuinfo') || '';
  for (const key of ['model name', 'Hardware', 'Processor']) {
    const line = info.split('\n').find((l) => l.split(':')[0].trim() === key);
    if (line && line.includes(':')) return line.slice(line.indexOf(':') + 1).trim();
  }
  const cpus = os.cpus();
  return cpus.length && cpus[0].model ? cpus[0].model : 'unknown';
}

export function deviceFacts(threads) {
  return {
    cpu_model: cpuModel(),
    logical_cpus: os.cpus().length,
    threads,
    governor: readText('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor'),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
