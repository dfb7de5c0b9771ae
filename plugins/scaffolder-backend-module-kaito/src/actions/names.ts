import { createHash } from 'node:crypto';
import { parseEntityRefParts } from './entityRefs';

/** Short, stable hash of the parts. */
export function shortHash(...parts: string[]): string {
  return createHash('sha256')
    .update(parts.join('\u0000'))
    .digest('hex')
    .slice(0, 6);
}

function dnsLabelPrefix(value: string, max: number): string {
  const cleaned = value
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '');
  return cleaned.slice(0, max).replace(/-+$/, '') || 'kaito';
}

/**
 * The workspace name a step uses when none is given:
 * `<entity>-<tune|serve>-<hash of task and step>`. The same task and step
 * always get the same name, so a retried or recovered task finds the
 * workspace it created instead of making a second one.
 */
export function defaultWorkspaceName(options: {
  entityRef: string;
  kind: 'tuning' | 'inference';
  taskId: string;
  stepId?: string;
}): string {
  const entityName = parseEntityRefParts(options.entityRef)?.name ?? 'kaito';
  const suffix = `-${options.kind === 'tuning' ? 'tune' : 'serve'}-${shortHash(
    options.taskId,
    options.stepId ?? '',
    options.kind,
  )}`;
  return `${dnsLabelPrefix(entityName, 63 - suffix.length)}${suffix}`;
}

/** An adapter name (DNS subdomain) from an image reference or claim name. */
export function adapterNameFrom(source: string): string {
  const withoutDigest = source.split('@')[0];
  const lastSegment = withoutDigest.split('/').pop() ?? withoutDigest;
  const [repo, tag] = lastSegment.split(':');
  const raw = tag && tag !== 'latest' ? `${repo}-${tag}` : repo;
  return dnsLabelPrefix(raw, 63);
}
