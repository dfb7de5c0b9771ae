import { KaitoGpuPool } from '@kaito-backstage/plugin-kaito-node';

/** `name (vmSize, N node(s), autoscaling a..b, Spot)` for log lines. */
export function describePool(pool: KaitoGpuPool): string {
  const scale = pool.autoscaling
    ? `${pool.count} node(s), autoscaling ${pool.minCount ?? '?'}..${
        pool.maxCount ?? '?'
      }`
    : `${pool.count} node(s)`;
  return `${pool.name} (${pool.vmSize ?? pool.sku}, ${scale}${
    pool.spot ? ', Spot' : ''
  })`;
}

/** The error of a pool ARM failed to provision, with Azure's code and message. */
export function azureFailure(pool: KaitoGpuPool, cluster: string): Error {
  const error = pool.provisioningError;
  const azure = error?.code
    ? `Azure ${error.code}: ${error.message ?? ''}`
    : `Azure reported provisioning state ${pool.provisioningState}${
        error?.message ? `: ${error.message}` : ''
      }`;
  return new Error(
    `GPU pool "${pool.name}" on cluster "${cluster}" failed to provision. ${azure}`.trim(),
  );
}
