// Summarises a V8 .cpuprofile (node --cpu-prof): self and total time per function, top first.
import { readFileSync } from 'node:fs';

/**
 * @param {string} file
 * @param {number} [top]
 * @returns {{ self: Array<{ fn: string, ms: number, pct: number }>, total: Array<{ fn: string, ms: number, pct: number }> }}
 */
export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map();
  const deltas = profile.timeDeltas;
  // timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    hits.set(id, (hits.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const name = (/** @type {any} */ n) => {
    const f = n.callFrame;
    const file = (f.url || '').split('/').pop()?.split('?')[0];
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  let all = 0;
  for (const [id, us] of hits) {
    all += us;
    const n = nodes.get(id);
    self.set(name(n), (self.get(name(n)) ?? 0) + us);
    // Count each function once per sample stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = name(nodes.get(cur));
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  const rows = (/** @type {Map<string, number>} */ m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: us / 1000, pct: (100 * us) / all }));
  return { self: rows(self), total: rows(total) };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const s = summarizeProfile(process.argv[2] ?? '', Number(process.argv[3] ?? 30));
  console.log('SELF');
  for (const r of s.self) console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.fn}`);
  console.log('TOTAL');
  for (const r of s.total) console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.fn}`);
}
