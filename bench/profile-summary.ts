/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time and
 * self time per file / package, as percentages of the non-idle samples.
 *
 *   node --cpu-prof --import tsx bench/e2e.ts --only rx-mqtt --qos 1 --size 64 --no-warmup
 *   node --import tsx bench/profile-summary.ts CPU.*.cpuprofile [--top 30] [--filter src/]
 *
 * `--filter TEXT` also lists the top functions whose file path contains TEXT.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { renderTable } from './support/table.js';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function where(frame: CallFrame): string {
  if (frame.url === '') return '';
  const path = frame.url.startsWith('file://') ? relative(process.cwd(), new URL(frame.url).pathname) : frame.url;
  return `${path}:${frame.lineNumber + 1}`;
}

function bucket(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: built-ins';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return `npm ${pkg[1]}`;
  return url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
}

function top(map: Map<string, number>, n: number, total: number): string[][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([key, us]) => [(us / 1000).toFixed(1), ((us / total) * 100).toFixed(1), key]);
}

function main(): void {
  const argv = process.argv.slice(2);
  const file = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--top' && argv[argv.indexOf(a) - 1] !== '--filter');
  const topAt = argv.indexOf('--top');
  const filterAt = argv.indexOf('--filter');
  const n = topAt >= 0 ? Number(argv[topAt + 1]) : 25;
  const filterText = filterAt >= 0 ? argv[filterAt + 1] : undefined;
  if (file === undefined) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [--top N] [--filter TEXT]\n');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByBucket = new Map<string, number>();
  const selfFiltered = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number);
    if (node === undefined) continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') { idle += us; continue; }
    total += us;
    const key = `${frame.functionName || '(anonymous)'} ${where(frame)}`.trim();
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
    const b = bucket(frame);
    selfByBucket.set(b, (selfByBucket.get(b) ?? 0) + us);
    if (filterText !== undefined && frame.url.includes(filterText)) selfFiltered.set(key, (selfFiltered.get(key) ?? 0) + us);
  }
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`);
  console.log(`\nTop ${n} functions by self time\n${renderTable(['self ms', '%', 'function'], top(selfByFunction, n, total), ['r', 'r', 'l'])}`);
  console.log(`\nSelf time by file / package\n${renderTable(['self ms', '%', 'where'], top(selfByBucket, n, total), ['r', 'r', 'l'])}`);
  if (filterText !== undefined) {
    console.log(`\nTop ${n} functions in files matching "${filterText}"\n${renderTable(['self ms', '%', 'function'], top(selfFiltered, n, total), ['r', 'r', 'l'])}`);
  }
}

main();
