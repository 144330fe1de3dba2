// The adapter's header copy on what hostile servers send: values that are not UTF-8 (Chromium hands them
// over as bytes, binaryValue), huge values, thousands of lines.
import { describe, expect, it } from 'vitest';
import { copyHeaders } from '../../../src/background/adapter.ts';
import { isKeptResponseHeader } from '../../../src/cors/tracking-predicates.ts';

describe('copyHeaders on hostile response headers', () => {
  it('reads a binaryValue as latin-1, one character per byte', () => {
    const bytes = [...Buffer.from('http://', 'latin1'), 0xff, 0xfe, ...Buffer.from('<b>', 'latin1'), 0xe9, 0x80];
    expect(copyHeaders([{ name: 'Access-Control-Allow-Origin', binaryValue: bytes }], isKeptResponseHeader)).toEqual([
      ['access-control-allow-origin', 'http://\u00ff\u00fe<b>\u00e9\u0080'],
    ]);
  });

  it('copies 256 KB of bytes and 10 000 lines without trouble, keeping unimportant values out', () => {
    const big = new Array<number>(256 * 1024).fill(0xff);
    const lines = Array.from({ length: 10_000 }, (_, i) => ({ name: `X-H-${i}`, binaryValue: [0xff, i & 0xff] }));
    const copied = copyHeaders([{ name: 'Vary', binaryValue: big }, ...lines], isKeptResponseHeader);
    expect(copied[0]?.[1]).toHaveLength(big.length);
    expect(copied).toHaveLength(10_001);
    expect(copied.slice(1).every(([, v]) => v === '')).toBe(true);
  });

  it('an entry with neither value nor bytes is an empty value', () => {
    expect(copyHeaders([{ name: 'Access-Control-Allow-Origin' }], isKeptResponseHeader)).toEqual([['access-control-allow-origin', '']]);
  });
});
