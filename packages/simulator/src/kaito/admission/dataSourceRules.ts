import { BlockList, isIP } from 'node:net';
import { FieldError } from './fieldError';
import type { DataDestination, DataSource } from '../workspace';

/**
 * `DataSource` / `DataDestination` validation of
 * `api/v1beta1/workspace_validation.go`. Only v1beta1 checks data-source
 * URLs (v0.12: HTTP(S) only, no local, private, link-local or metadata
 * hosts); the v1alpha1 webhook takes any URL.
 */
export interface DataSourceRules {
  checkUrls: boolean;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** `splitDockerDomain` of github.com/distribution/reference. */
function splitDockerDomain(name: string): { domain: string; rest: string } {
  const slash = name.indexOf('/');
  let domain: string;
  let rest: string;
  if (
    slash === -1 ||
    (!/[.:]/.test(name.slice(0, slash)) &&
      name.slice(0, slash) !== 'localhost' &&
      name.slice(0, slash).toLowerCase() === name.slice(0, slash))
  ) {
    domain = 'docker.io';
    rest = name;
  } else {
    domain = name.slice(0, slash);
    rest = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  return { domain, rest };
}

/** `reference.ParseDockerRef`'s error text; undefined when the image parses. */
export function imageReferenceError(image: string): string | undefined {
  if (/^[a-f0-9]{64}$/.test(image)) {
    return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  }
  const { domain, rest } = splitDockerDomain(image);
  const tagSep = rest.indexOf(':');
  const remoteName = tagSep > -1 ? rest.slice(0, tagSep) : rest;
  if (remoteName.toLowerCase() !== remoteName) {
    return `invalid reference format: repository name (${remoteName}) must be lowercase`;
  }
  const full = `${domain}/${rest}`;
  const match = REFERENCE_RE.exec(full);
  if (!match) {
    if (REFERENCE_RE.test(full.toLowerCase())) {
      return 'repository name must be lowercase';
    }
    return 'invalid reference format';
  }
  if (match[1].length > 255) {
    return 'repository name must not be more than 255 characters';
  }
  return undefined;
}

const METADATA_HOSTS = [
  'metadata.google.internal',
  'metadata.google',
  'instance-data.ec2.internal',
];

/** `IsLoopback() || IsPrivate() || IsLinkLocalUnicast() || IsLinkLocalMulticast()` of net.IP. */
const blocked = new BlockList();
blocked.addSubnet('127.0.0.0', 8, 'ipv4');
blocked.addSubnet('10.0.0.0', 8, 'ipv4');
blocked.addSubnet('172.16.0.0', 12, 'ipv4');
blocked.addSubnet('192.168.0.0', 16, 'ipv4');
blocked.addSubnet('169.254.0.0', 16, 'ipv4');
blocked.addSubnet('224.0.0.0', 24, 'ipv4');
blocked.addAddress('::1', 'ipv6');
blocked.addSubnet('fc00::', 7, 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addSubnet('ff02::', 16, 'ipv6');

function isBlockedAddress(host: string): boolean {
  const version = isIP(host);
  if (version === 4) return blocked.check(host, 'ipv4');
  if (version === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(host, 'ipv6');
  }
  return false;
}

/** ASCII control characters (0x00-0x1f, 0x7f) or whitespace. */
function hasControlOrSpace(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || code === 0x7f || /\s/u.test(ch)) return true;
  }
  return false;
}

/**
 * `url.ParseRequestURI` as far as the check needs it: scheme and hostname,
 * or undefined when Go would fail to parse or find no host.
 */
function requestUriHost(
  raw: string,
): { scheme: string; hostname: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(raw);
  // Go's url.Parse refuses ASCII control characters (and a space here ends the URL).
  if (!m || hasControlOrSpace(raw)) return undefined;
  const [, scheme, rest] = m;
  if (!rest.startsWith('//')) return undefined;
  const authority = rest.slice(2).split(/[/?]/, 1)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let hostname: string;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0) return undefined;
    hostname = hostPort.slice(1, end);
    const after = hostPort.slice(end + 1);
    if (after && !/^:\d*$/.test(after)) return undefined;
  } else {
    const colon = hostPort.lastIndexOf(':');
    hostname = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    if (colon >= 0 && !/^\d*$/.test(hostPort.slice(colon + 1))) {
      return undefined;
    }
  }
  if (hostPort === '') return { scheme, hostname: '' };
  return { scheme, hostname };
}

/** `validateDataSourceURL`; undefined when the URL is acceptable. */
export function dataSourceUrlError(raw: string): string | undefined {
  const parsed = requestUriHost(raw);
  if (!parsed || parsed.hostname === '') return 'invalid data source URL';
  const scheme = parsed.scheme.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return 'data source URL must use HTTP or HTTPS';
  }
  const host = parsed.hostname.toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    METADATA_HOSTS.includes(host)
  ) {
    return 'data source URL must not target a local or metadata endpoint';
  }
  if (isBlockedAddress(host.split('%')[0])) {
    return 'data source URL must not target a loopback, private, or link-local address';
  }
  return undefined;
}

export function validateDataSourceCreate(
  source: DataSource,
  rules: DataSourceRules,
): FieldError {
  let errs = FieldError.none();
  let specified = 0;
  if ((source.urls ?? []).length > 0) {
    if (rules.checkUrls) {
      for (const url of source.urls!) {
        const error = dataSourceUrlError(url);
        if (error) errs = errs.also(FieldError.invalidValue(error, 'URLs'));
      }
    }
    specified++;
  }
  if (source.image) {
    const error = imageReferenceError(source.image);
    if (error) {
      errs = errs.also(
        FieldError.invalidValue(
          `Unable to parse input image reference: ${error}`,
          'Image',
        ),
      );
    }
    specified++;
  }
  if (source.volumeSource) specified++;
  if (specified !== 1) {
    errs = errs.also(
      FieldError.generic(
        'Exactly one of URLs, Volume, or Image must be specified',
        'URLs',
        'Volume',
        'Image',
      ),
    );
  }
  return errs;
}

export function validateDataSourceUpdate(
  source: DataSource,
  old: DataSource | undefined,
  isTuning: boolean,
): FieldError {
  let errs = FieldError.none();
  if (isTuning && (old?.name ?? '') !== (source.name ?? '')) {
    errs = errs.also(
      FieldError.invalidValue(
        'During tuning Name field cannot be changed once set',
        'Name',
      ),
    );
  }
  if (source.image) {
    const error = imageReferenceError(source.image);
    if (error) {
      errs = errs.also(
        FieldError.invalidValue(
          `Unable to parse input image reference: ${error}`,
          'Image',
        ),
      );
    }
  }
  return errs;
}

export function validateDataDestinationCreate(
  dest: DataDestination,
): FieldError {
  let errs = FieldError.none();
  let specified = 0;
  if (dest.image) {
    const error = imageReferenceError(dest.image);
    if (error) {
      errs = errs.also(
        FieldError.invalidValue(
          `Unable to parse output image reference: ${error}`,
          'Image',
        ),
      );
    }
    if (!dest.imagePushSecret) {
      errs = errs.also(
        FieldError.missing(
          'Must specify imagePushSecret with destination image',
        ),
      );
    }
    specified++;
  }
  if (dest.volumeSource) specified++;
  if (specified !== 1) {
    errs = errs.also(
      FieldError.missing('Exactly one of Volume or Image must be specified'),
    );
  }
  return errs;
}

export function validateDataDestinationUpdate(
  dest: DataDestination,
): FieldError {
  const error = dest.image ? imageReferenceError(dest.image) : undefined;
  return error
    ? FieldError.invalidValue(
        `Unable to parse output image reference: ${error}`,
        'Image',
      )
    : FieldError.none();
}
