import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  KaitoValidationError,
  ValidationIssue,
  findGpuSkuByVmSize,
  isDns1123Label,
} from '@kaito-backstage/plugin-kaito-common';
import { kaitoEntityName } from '@kaito-backstage/plugin-kaito-node';
import { createHash } from 'node:crypto';

/*
 * Helpers shared by the kaito:* actions: input validation that names the
 * field and the rule, deterministic names, cancellable waiting and progress
 * logging.
 */

/** Longest gap between two progress lines of a waiting action. */
export const PROGRESS_LOG_INTERVAL_MS = 15_000;

/** First poll interval; it grows towards the action's poll interval. */
const FIRST_POLL_MS = 250;

/** Node label the suite puts on the GPU pools it creates. */
export const LABEL_GPU_POOL = 'kaito.backstage.io/gpu-pool';

/**
 * An `InputError` listing every issue as `<field>: <problem> [<rule>]`, the
 * same wording kaito-common and the KAITO backend use.
 */
export function validationError(
  actionId: string,
  issues: ValidationIssue[],
): InputError {
  return new InputError(
    new KaitoValidationError(`input of ${actionId}`, issues).message,
  );
}

/** Collects `{ field, rule, message }` issues. */
export class Issues {
  readonly list: ValidationIssue[] = [];

  add(field: string, rule: string, text: string): void {
    this.list.push({ field, rule, message: `${field}: ${text} [${rule}]` });
  }

  addAll(issues: ValidationIssue[]): void {
    this.list.push(...issues);
  }

  /** Throws the InputError when there is any issue. */
  throwIfAny(actionId: string): void {
    if (this.list.length > 0) {
      throw validationError(actionId, this.list);
    }
  }
}

/** Checks the coordinates of an existing workspace. */
export function checkWorkspaceRef(
  issues: Issues,
  ref: { cluster?: unknown; namespace?: unknown; name?: unknown },
): void {
  if (typeof ref.cluster !== 'string' || ref.cluster.trim() === '') {
    issues.add('cluster', 'field.required', 'a cluster name is required');
  }
  for (const [field, rule] of [
    ['namespace', 'namespace.dns-label'],
    ['name', 'name.dns-label'],
  ] as const) {
    const value = ref[field];
    if (typeof value !== 'string' || value === '') {
      issues.add(field, 'field.required', 'is required');
    } else if (!isDns1123Label(value)) {
      issues.add(
        field,
        rule,
        `"${value}" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`,
      );
    }
  }
}

/** Checks an optional positive number (minutes, seconds). */
export function checkPositive(
  issues: Issues,
  field: string,
  value: unknown,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    issues.add(
      field,
      'field.positive',
      `${JSON.stringify(value)} must be a positive number`,
    );
  } else if (value > max) {
    issues.add(field, 'field.max', `${value} must be at most ${max}`);
  }
}

/** `kind:namespace/name` parts of an entity ref (kind and namespace lowercased). */
export interface EntityRefParts {
  kind: string;
  namespace: string;
  name: string;
}

/** Parses `kind:[namespace/]name`; undefined when it is not one. */
export function parseEntityRefParts(ref: string): EntityRefParts | undefined {
  try {
    const { kind, namespace, name } = parseEntityRef(ref.trim());
    return {
      kind: kind.toLocaleLowerCase('en-US'),
      namespace: namespace.toLocaleLowerCase('en-US'),
      name,
    };
  } catch {
    return undefined;
  }
}

/** `kind:namespace/name`, normalized. */
export function normalizeEntityRef(ref: string): string {
  const parts = parseEntityRefParts(ref);
  return parts ? `${parts.kind}:${parts.namespace}/${parts.name}` : ref;
}

/** Checks a required entity ref of the form `kind:namespace/name`. */
export function checkEntityRef(
  issues: Issues,
  field: string,
  value: unknown,
  required: boolean,
): void {
  if (value === undefined || value === '') {
    if (required) {
      issues.add(
        field,
        'entity-ref.required',
        'an entity ref (kind:namespace/name) is required',
      );
    }
    return;
  }
  if (typeof value !== 'string' || !parseEntityRefParts(value)) {
    issues.add(
      field,
      'entity-ref.invalid',
      `${JSON.stringify(
        value,
      )} is not an entity ref of the form kind:namespace/name`,
    );
  }
}

/** The entity's AI Workspaces tab: `/catalog/<namespace>/<kind>/<name>/kaito`. */
export function entityTabPath(
  entityRef: string | undefined,
): string | undefined {
  const parts = entityRef ? parseEntityRefParts(entityRef) : undefined;
  if (!parts) return undefined;
  return `/catalog/${encodeURIComponent(parts.namespace)}/${encodeURIComponent(
    parts.kind,
  )}/${encodeURIComponent(parts.name)}/kaito`;
}

/** The workspace's detail view (or `view`) inside the entity tab. */
export function workspaceTabPath(
  entityRef: string | undefined,
  ref: { cluster: string; namespace: string; name: string },
  view?: 'chat' | 'logs',
): string | undefined {
  const tab = entityTabPath(entityRef);
  if (!tab) return undefined;
  const workspace = [ref.cluster, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/');
  return `${tab}?workspace=${encodeURIComponent(workspace)}${
    view ? `&view=${view}` : ''
  }`;
}

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

/**
 * The GPU pool name used for a SKU when none is given: the VM series and
 * GPU model (`Standard_NC24ads_A100_v4` -> `nc24adsa100`), plus `s` for
 * Spot. Deterministic, so a retried task finds the pool it created.
 */
export function defaultPoolName(vmSize: string, spot = false): string {
  const sku = findGpuSkuByVmSize(vmSize);
  const name = sku?.name ?? vmSize;
  const series = name.replace(/^Standard_/i, '').split('_')[0] ?? name;
  const model = sku?.gpuModel ?? '';
  let base = `${series}${model}`
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]/g, '');
  if (!/^[a-z]/.test(base)) base = `g${base}`;
  base = base.slice(0, spot ? 11 : 12);
  return spot ? `${base}s` : base;
}

/** An adapter name (DNS subdomain) from an image reference or claim name. */
export function adapterNameFrom(source: string): string {
  const withoutDigest = source.split('@')[0];
  const lastSegment = withoutDigest.split('/').pop() ?? withoutDigest;
  const [repo, tag] = lastSegment.split(':');
  const raw = tag && tag !== 'latest' ? `${repo}-${tag}` : repo;
  return dnsLabelPrefix(raw, 63);
}

/** Human duration: `3m 05s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The error thrown when the task is cancelled while an action waits. */
export class CancelledError extends Error {
  readonly name = 'CancelledError';
}

/** Throws a CancelledError explaining what stays behind when `signal` fired. */
export function throwIfCancelled(
  signal: AbortSignal | undefined,
  what: string,
): void {
  if (signal?.aborted) {
    throw new CancelledError(`Cancelled while ${what}`);
  }
}

/** Sleeps `ms`, or less when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Poll intervals growing from 250 ms to `maxMs` (x1.5 each time). */
export function* pollIntervals(maxMs: number): Generator<number, never> {
  let next = Math.min(FIRST_POLL_MS, maxMs);
  for (;;) {
    yield next;
    next = Math.min(maxMs, Math.round(next * 1.5));
  }
}

/** Whether a failed call is worth retrying while waiting (backend or cluster briefly away). */
export function isTransient(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  const e = error as {
    name?: string;
    code?: string;
    cause?: { code?: string };
  };
  if (e?.name === 'AbortError') return false;
  const code = e?.code ?? e?.cause?.code;
  return (
    e?.name === 'TypeError' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET'
  );
}

/** Whether an error means the thing does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof NotFoundError;
}

/**
 * Logs a line when the status changes, and at least every
 * {@link PROGRESS_LOG_INTERVAL_MS} otherwise.
 */
export class ProgressLog {
  private lastKey?: string;
  private lastAt = 0;

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs = PROGRESS_LOG_INTERVAL_MS,
  ) {}

  update(key: string, line: () => string): void {
    const now = Date.now();
    if (key !== this.lastKey || now - this.lastAt >= this.intervalMs) {
      this.logger.info(line());
      this.lastKey = key;
      this.lastAt = now;
    }
  }
}

/** Drops `undefined`, `null` and empty strings from an object (template forms leave them). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  ) as T;
}

/** A JSON-safe copy (checkpoint values must be JSON). */
export function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/**
 * The catalog entity the KAITO catalog module publishes for a workspace:
 * `resource:<owner namespace>/<kaitoEntityName>`.
 */
export function kaitoEntityRef(
  ownerRef: string | undefined,
  ref: { cluster: string; namespace: string; name: string },
): string | undefined {
  const owner = ownerRef ? parseEntityRefParts(ownerRef) : undefined;
  if (!owner) return undefined;
  return `resource:${owner.namespace}/${kaitoEntityName(ref)}`;
}
