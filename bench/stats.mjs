// Small statistics for the benchmark: medians, paired ratios, formatting.

/** @param {number[]} values */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** @param {number[]} values */
export function spread(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

/**
 * Median of per-pair ratios a[i] / b[i] (pairs measured next to each other in one run).
 * @param {number[]} a @param {number[]} b
 */
export function pairedRatio(a, b) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && y > 0) ratios.push(x / y);
  }
  return { median: median(ratios), ...spread(ratios), ratios };
}

/** @param {number} n @param {number} [digits] */
export function fmt(n, digits = 1) {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** @param {number} bytes */
export function kib(bytes) {
  return `${fmt(bytes / 1024, 1)} KiB`;
}
