import type { KubeObject } from '../../kube/api';
import { setCondition } from '../controllers/conditions';
import type { MetaCondition } from '../workspace';

/**
 * Karpenter's NodeClaim condition set (operatorpkg `status.ConditionSet`):
 * Launched, Registered and Initialized start Unknown/AwaitingReconciliation;
 * a True condition's reason is its type; the root Ready condition is True
 * when all three are, otherwise it reports the unhealthy dependents.
 */
export const LIFECYCLE = ['Launched', 'Registered', 'Initialized'] as const;
export type LifecycleCondition = (typeof LIFECYCLE)[number];

export const AWAITING = {
  status: 'Unknown' as const,
  reason: 'AwaitingReconciliation',
  message: 'object is awaiting reconciliation',
};

export function conditionsOf(nodeClaim: KubeObject): MetaCondition[] {
  return (
    (nodeClaim.status as { conditions?: MetaCondition[] } | undefined)
      ?.conditions ?? []
  );
}

export function initialConditions(now: Date): MetaCondition[] {
  let conditions: MetaCondition[] = [];
  for (const type of [...LIFECYCLE, 'Ready']) {
    conditions = setCondition(conditions, { type, ...AWAITING }, now);
  }
  return conditions;
}

export function withLifecycle(
  conditions: MetaCondition[],
  type: LifecycleCondition,
  value:
    | { status: 'True' }
    | { status: 'False' | 'Unknown'; reason: string; message: string },
  now: Date,
): MetaCondition[] {
  const next =
    value.status === 'True'
      ? setCondition(
          conditions,
          { type, status: 'True', reason: type, message: '' },
          now,
        )
      : setCondition(conditions, { type, ...value }, now);
  return withRoot(next, now);
}

function withRoot(conditions: MetaCondition[], now: Date): MetaCondition[] {
  const dependents = LIFECYCLE.map(
    type => conditions.find(c => c.type === type) ?? { type, ...AWAITING },
  );
  if (dependents.every(c => c.status === 'True')) {
    return setCondition(
      conditions,
      { type: 'Ready', status: 'True', reason: 'Ready', message: '' },
      now,
    );
  }
  const unhealthy = dependents.filter(c => c.status !== 'True');
  return setCondition(
    conditions,
    {
      type: 'Ready',
      status: unhealthy.some(c => c.status === 'False') ? 'False' : 'Unknown',
      reason: 'UnhealthyDependents',
      message: unhealthy.map(c => `${c.type}=${c.status}`).join(', '),
    },
    now,
  );
}

export function isNodeClaimReady(nodeClaim: KubeObject): boolean {
  return (
    !nodeClaim.metadata.deletionTimestamp &&
    conditionsOf(nodeClaim).some(c => c.type === 'Ready' && c.status === 'True')
  );
}

/**
 * KAITO v0.12 (`FirstNodeClaimProvisioningState`, #2203/#2251): the first
 * lifecycle condition in trouble, a False one (quota, auth, ...) before an
 * in-progress Unknown one.
 */
export function provisioningState(
  nodeClaims: KubeObject[],
): MetaCondition | undefined {
  const lifecycle = nodeClaims.flatMap(nc =>
    LIFECYCLE.map(
      type =>
        conditionsOf(nc).find(c => c.type === type) ?? { type, ...AWAITING },
    ),
  );
  return (
    lifecycle.find(c => c.status === 'False') ??
    lifecycle.find(c => c.status === 'Unknown')
  );
}
