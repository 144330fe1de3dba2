/**
 * Local Network Access (WICG, https://wicg.github.io/local-network-access/) sorts addresses into spaces;
 * a page on a less private space needs permission to reach a more private one. Hosts given as names
 * other than localhost cannot be placed without DNS, so they count as public.
 */

export type AddressSpace = 'loopback' | 'local' | 'public';

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function ipv4Space([a, b]: number[]): AddressSpace {
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'local';
  if (a === 169 && b === 254) return 'local';
  if (a === 100 && b !== undefined && b >= 64 && b <= 127) return 'local';
  return 'public';
}

/** The address space of an IP address or host name (brackets around IPv6 allowed). */
export function addressSpace(hostOrIp: string): AddressSpace {
  const host = hostOrIp.trim().toLowerCase().replace(/^\[|\]$/g, '');
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
