/**
 * Local Network Access (WICG, https://wicg.github.io/local-network-access/) sorts addresses into spaces;
 * a page on a less private space needs permission to reach a more private one. Hosts given as names
 * other than localhost cannot be placed without DNS, so they count as public.
 */

export type AddressSpace = 'loopback' | 'local' | 'public';

/** The four numbers of a dotted-quad address (one to three decimal digits each, at most 255), else null. */
function ipv4(host: string): number[] | null {
  const parts: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? 0x2e : host.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && digits > 0 && value <= 255 && parts.length < 4) {
      parts.push(value);
      value = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  return parts.length === 4 ? parts : null;
}

function ipv4Space([a, b]: number[]): AddressSpace {
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'local';
  if (a === 169 && b === 254) return 'local';
  if (a === 100 && b !== undefined && b >= 64 && b <= 127) return 'local';
  return 'public';
}

/** Answers remembered at most: a page talks to a handful of hosts. */
const MEMO_SIZE = 256;
const memo = new Map<string, AddressSpace>();

/** The address space of an IP address or host name (brackets around IPv6 allowed). */
export function addressSpace(hostOrIp: string): AddressSpace {
  const known = memo.get(hostOrIp);
  if (known !== undefined) return known;
  const space = spaceOf(hostOrIp);
  if (hostOrIp.length <= 256) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(hostOrIp, space);
  }
  return space;
}

function spaceOf(hostOrIp: string): AddressSpace {
  const lower = hostOrIp.trim().toLowerCase();
  const host = lower.startsWith('[') || lower.endsWith(']') ? lower.replace(/^\[|\]$/g, '') : lower;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.local')) return 'local';
  const v4 = ipv4(host);
  if (v4) return ipv4Space(v4);
  if (!host.includes(':')) return 'public';
  if (host === '::1' || host === '::') return 'loopback';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped?.[1]) {
    const m4 = ipv4(mapped[1]);
    return m4 ? ipv4Space(m4) : 'public';
  }
  if (/^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host)) return 'local';
  return 'public';
}

const RANK: Record<AddressSpace, number> = { public: 0, local: 1, loopback: 2 };

/** True when a request from `from` to `to` goes to a more private space (what LNA guards). */
export function isMorePrivate(from: AddressSpace, to: AddressSpace): boolean {
  return RANK[to] > RANK[from];
}
