import { isIP } from 'node:net';
import { FieldError } from './fieldError';
import type { DataDestination, DataSource } from '../workspace';

/**
 * `DataSource` / `DataDestination` validation from
 * `api/v1beta1/workspace_validation.go`, including v0.12's stricter URL
 * rules (no localhost, private, link-local or metadata hosts).
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** `reference.ParseDockerRef`'s verdict; undefined when the image is valid. */
export function imageReferenceError(image: string): string | undefined {
  if (REFERENCE_RE.test(image)) return undefined;
  if (REFERENCE_RE.test(image.toLowerCase())) {
    const repo = image.split(/[:@]/)[0];
    return `invalid reference format: repository name (${repo}) must be lowercase`;
  }
  return 'invalid reference format';
}

const METADATA_HOSTS = [
  'metadata.google.internal',
  'metadata.google',
  'instance-data.ec2.internal',
];

function isBlockedAddress(host: string): boolean {
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 224 && b === 0)
    );
  }
  if (version === 6) {
    const h = host.toLowerCase();
    return (
      h === '::1' ||
      h.startsWith('fc') ||
      h.startsWith('fd') ||
      h.startsWith('fe8') ||
      h.startsWith('fe9') ||
      h.startsWith('fea') ||
      h.startsWith('feb') ||
      h.startsWith('ff02')
    );
  }
  return false;
}

/** `validateDataSourceURL`; undefined when the URL is acceptable. */
export function dataSourceUrlError(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid data source URL';
  }
  if (!url.host) return 'invalid data source URL';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'data source URL must use HTTP or HTTPS';
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
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

export function validateDataSourceCreate(source: DataSource): FieldError {
  let errs = FieldError.none();
  let specified = 0;
  if ((source.urls ?? []).length > 0) {
    for (const url of source.urls!) {
      const error = dataSourceUrlError(url);
      if (error) errs = errs.also(FieldError.invalidValue(error, 'URLs'));
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
