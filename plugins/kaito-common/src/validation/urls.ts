/*
 * Tuning input URL rules. KAITO v0.12 (`validateDataSourceURL`, v1beta1)
 * accepts only http and https dataset URLs and rejects `localhost` and
 * `*.localhost`, three metadata host names, and literal loopback, private
 * (RFC 1918, fc00::/7), link-local and link-local multicast addresses.
 *
 * The suite rejects more, deliberately (a tuning Job fetches from inside the
 * cluster's network): host names that can only resolve inside a cluster or
 * private network (single-label names, `.local`, `.internal`, `.svc`,
 * `.cluster.local`, ...), 0.0.0.0/8, CGNAT 100.64.0.0/10, further metadata
 * addresses (Azure WireServer, Alibaba Cloud) and IPv4 spellings WHATWG URL
 * normalizes (`0x7f.1`), which Go's parser leaves as names. The reason says
 * which rule is KAITO's and which is the suite's. Names that resolve to
 * private addresses through public DNS cannot be detected without resolving
 * them, which only the cluster can do.
 */

import { shown } from './issues';

/**
 * Rule ids of the URL checks.
 *
 * @public
 */
export type UrlRuleId =
  | 'url.invalid'
  | 'url.scheme'
  | 'url.localhost'
  | 'url.private-host'
  | 'url.link-local'
  | 'url.metadata-host';

/**
 * Why a URL is rejected.
 *
 * @public
 */
export interface UrlProblem {
  rule: UrlRuleId;
  reason: string;
}

/** KAITO v0.12's `isMetadataHostname`. */
const KAITO_METADATA_HOST_NAMES = new Set([
  'metadata.google.internal',
  'metadata.google',
  'instance-data.ec2.internal',
]);

const METADATA_HOST_NAMES = new Set([
  ...KAITO_METADATA_HOST_NAMES,
  'metadata',
  'metadata.goog',
]);

/** Azure IMDS and WireServer, AWS IMDS/ECS, Alibaba Cloud. */
const METADATA_IPV4 = new Set([
  '169.254.169.254',
  '168.63.129.16',
  '169.254.170.2',
  '100.100.100.200',
]);

const LOCALHOST_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
]);

const CLUSTER_ONLY_SUFFIXES = [
  '.local',
  '.localdomain',
  '.internal',
  '.svc',
  '.cluster.local',
  '.lan',
  '.home.arpa',
];

/**
 * How a URL host is classified: a rejected kind, or `public`.
 *
 * @public
 */
export type UrlHostClass =
  | Exclude<UrlRuleId, 'url.invalid' | 'url.scheme'>
  | 'public';

function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p))) {
    return undefined;
  }
  const octets = parts.map(Number);
  return octets.every(o => o <= 255) ? octets : undefined;
}

function classifyIpv4([a, b, c]: number[], dotted: string): UrlHostClass {
  if (METADATA_IPV4.has(dotted)) return 'url.metadata-host';
  if (a === 127 || a === 0) return 'url.localhost';
  if (a === 169 && b === 254) return 'url.link-local';
  if (a === 224 && b === 0 && c === 0) return 'url.link-local';
  if (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  ) {
    return 'url.private-host';
  }
  return 'public';
}

/** Parses an IPv6 address (as WHATWG URL serializes it) into 8 hextets. */
function parseIpv6(host: string): number[] | undefined {
  let text = host;
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded) {
    const v4 = parseIpv4(embedded[1]);
    if (!v4) return undefined;
    text = `${text.slice(0, embedded.index)}${((v4[0] << 8) | v4[1]).toString(
      16,
    )}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [
    ...head,
    ...Array(halves.length === 2 ? missing : 0).fill('0'),
    ...tail,
  ];
  if (!groups.every(g => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map(g => parseInt(g, 16));
}

function classifyIpv6(groups: number[]): UrlHostClass {
  const isZero = (from: number, to: number) =>
    groups.slice(from, to).every(g => g === 0);
  if (isZero(0, 5) && groups[5] === 0xffff) {
    const v4 = [
      groups[6] >> 8,
      groups[6] & 0xff,
      groups[7] >> 8,
      groups[7] & 0xff,
    ];
    return classifyIpv4(v4, v4.join('.'));
  }
  if (isZero(0, 7) && (groups[7] === 0 || groups[7] === 1)) {
    return 'url.localhost';
  }
  // AWS IMDS over IPv6: fd00:ec2::254
  if (
    groups[0] === 0xfd00 &&
    groups[1] === 0xec2 &&
    isZero(2, 7) &&
    groups[7] === 0x254
  ) {
    return 'url.metadata-host';
  }
  if ((groups[0] & 0xffc0) === 0xfe80) return 'url.link-local';
  // link-local multicast (Go's IsLinkLocalMulticast)
  if ((groups[0] & 0xff0f) === 0xff02) return 'url.link-local';
  if ((groups[0] & 0xfe00) === 0xfc00) return 'url.private-host';
  return 'public';
}

function classifyHostName(host: string): UrlHostClass {
  if (METADATA_HOST_NAMES.has(host)) return 'url.metadata-host';
  if (LOCALHOST_NAMES.has(host) || host.endsWith('.localhost')) {
    return 'url.localhost';
  }
  if (
    !host.includes('.') ||
    CLUSTER_ONLY_SUFFIXES.some(s => host.endsWith(s))
  ) {
    return 'url.private-host';
  }
  return 'public';
}

/**
 * Classifies a URL host (as `URL.hostname` gives it) for the tuning URL
 * rules.
 *
 * @public
 */
export function classifyUrlHost(hostname: string): UrlHostClass {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups ? classifyIpv6(groups) : 'url.private-host';
  }
  const v4 = parseIpv4(host);
  if (v4) return classifyIpv4(v4, v4.join('.'));
  return classifyHostName(host);
}

const HOST_CLASS_REASONS: Record<Exclude<UrlHostClass, 'public'>, string> = {
  'url.localhost': 'is a localhost address',
  'url.private-host': 'is a private or cluster-internal address',
  'url.link-local': 'is a link-local address',
  'url.metadata-host': 'is a cloud metadata endpoint',
};

/**
 * Checks a tuning input URL against KAITO v0.12's rules; undefined when it
 * is acceptable.
 *
 * @public
 */
export function checkTuningInputUrl(raw: string): UrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { rule: 'url.invalid', reason: `${shown(raw)} is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      rule: 'url.scheme',
      reason: `scheme "${url.protocol.replace(
        /:$/,
        '',
      )}" is not allowed; use http or https`,
    };
  }
  if (!url.hostname) {
    return { rule: 'url.invalid', reason: `${shown(raw)} has no host` };
  }
  const hostClass = classifyUrlHost(url.hostname);
  if (hostClass === 'public') {
    return undefined;
  }
  const who = kaitoRejectsHost(url.hostname)
    ? 'which KAITO rejects for tuning input'
    : 'which the suite rejects for tuning input (KAITO v0.12 lets it through)';
  return {
    rule: hostClass,
    reason: `host ${url.hostname} ${HOST_CLASS_REASONS[hostClass]}, ${who}`,
  };
}

/**
 * Whether KAITO v0.12's own host check (`validateDataSourceURL`) rejects
 * the host: `localhost`, `*.localhost`, its metadata names, and literal
 * loopback, private and link-local (unicast or multicast) addresses.
 */
function kaitoRejectsHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    KAITO_METADATA_HOST_NAMES.has(host)
  ) {
    return true;
  }
  let v4: number[] | undefined;
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    if (!groups) return false;
    const isZero = (from: number, to: number) =>
      groups.slice(from, to).every(g => g === 0);
    if (isZero(0, 5) && groups[5] === 0xffff) {
      v4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
    } else {
      return (
        (isZero(0, 7) && groups[7] === 1) ||
        (groups[0] & 0xfe00) === 0xfc00 ||
        (groups[0] & 0xffc0) === 0xfe80 ||
        (groups[0] & 0xff0f) === 0xff02
      );
    }
  } else {
    v4 = parseIpv4(host);
  }
  if (!v4) return false;
  const [a, b, c] = v4;
  return (
    a === 127 ||
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 224 && b === 0 && c === 0)
  );
}
