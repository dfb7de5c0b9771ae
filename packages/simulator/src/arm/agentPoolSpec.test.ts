import { ArmError } from './errors';
import {
  ClusterFacts,
  parseTaint,
  resolveAgentPoolSpec,
  resolveNodeVersion,
  SPOT_LABEL,
  SPOT_TAINT,
  stripReadOnly,
} from './agentPoolSpec';

const cluster: ClusterFacts = {
  name: 'aks',
  location: 'eastus',
  kubernetesVersion: '1.34.2',
  unavailableVmSizes: new Set(['Standard_ND96isr_H200_v5']),
};

const resolve = (
  properties: Record<string, unknown>,
  existing?: Record<string, unknown>,
  name = 'gpu',
) => resolveAgentPoolSpec(name, { properties }, existing, cluster);

const rejection = (fn: () => unknown): ArmError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArmError);
    return e as ArmError;
  }
  throw new Error('expected an ArmError');
};

describe('resolveAgentPoolSpec', () => {
  it('applies AKS defaults on create', () => {
    expect(resolve({ vmSize: 'standard_nc24ads_a100_v4' })).toEqual({
      vmSize: 'Standard_NC24ads_A100_v4',
      count: 1,
      mode: 'User',
      osType: 'Linux',
      osSKU: 'Ubuntu',
      type: 'VirtualMachineScaleSets',
      scaleSetPriority: 'Regular',
      osDiskType: 'Managed',
      osDiskSizeGB: 128,
      kubeletDiskType: 'OS',
      maxPods: 250,
      enableAutoScaling: false,
      enableNodePublicIP: false,
      enableEncryptionAtHost: false,
      enableUltraSSD: false,
      enableFIPS: false,
      orchestratorVersion: '1.34.2',
      upgradeSettings: { maxSurge: '10%', maxUnavailable: '0' },
      securityProfile: { enableVTPM: false, enableSecureBoot: false },
    });
  });

  it('echoes labels, taints, tags, autoscaling and the GPU profile', () => {
    const spec = resolve({
      vmSize: 'Standard_NC24ads_A100_v4',
      count: 1,
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 2,
      nodeTaints: ['sku=gpu:NoSchedule'],
      nodeLabels: { apps: 'gpu', 'kaito.sh/workspace': 'ws1' },
      tags: { 'created-by': 'backstage' },
      gpuProfile: { driver: 'install' },
      gpuInstanceProfile: 'mig2g',
      availabilityZones: ['1', '2'],
    });
    expect(spec).toMatchObject({
      count: 1,
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 2,
      nodeTaints: ['sku=gpu:NoSchedule'],
      nodeLabels: { apps: 'gpu', 'kaito.sh/workspace': 'ws1' },
      tags: { 'created-by': 'backstage' },
      gpuProfile: { driver: 'Install' },
      gpuInstanceProfile: 'MIG2g',
      availabilityZones: ['1', '2'],
    });
  });

  it('adds the Spot label and taint as AKS does', () => {
    const spec = resolve({
      vmSize: 'Standard_NC24ads_A100_v4',
      scaleSetPriority: 'Spot',
      nodeTaints: ['sku=gpu:NoSchedule'],
    });
    expect(spec).toMatchObject({
      scaleSetPriority: 'Spot',
      scaleSetEvictionPolicy: 'Delete',
      spotMaxPrice: -1,
      nodeLabels: { [SPOT_LABEL]: 'spot' },
      nodeTaints: ['sku=gpu:NoSchedule', SPOT_TAINT],
    });
    // A GET + PUT round trip does not duplicate them.
    expect(
      resolve(
        stripReadOnly(spec) as Record<string, unknown>,
        spec as Record<string, unknown>,
      ).nodeTaints,
    ).toEqual(['sku=gpu:NoSchedule', SPOT_TAINT]);
    expect(
      rejection(() =>
        resolve({
          vmSize: 'Standard_D4s_v5',
          scaleSetPriority: 'Spot',
          mode: 'System',
        }),
      ).code,
    ).toBe('InvalidParameter');
    expect(
      rejection(() => resolve({ vmSize: 'Standard_D4s_v5', spotMaxPrice: 0.5 }))
        .target,
    ).toBe('agentPoolProfile.scaleSetPriority');
  });

  it('count defaults to minCount with autoscaling and min/max are dropped without it', () => {
    expect(
      resolve({
        vmSize: 'Standard_D4s_v5',
        enableAutoScaling: true,
        minCount: 2,
        maxCount: 5,
      }).count,
    ).toBe(2);
    const spec = resolve({
      vmSize: 'Standard_D4s_v5',
      count: 3,
      minCount: 2,
      maxCount: 5,
    });
    expect(spec.minCount).toBeUndefined();
    expect(spec.maxCount).toBeUndefined();
  });

  it('rejects invalid names with AKS wording', () => {
    for (const name of ['GPU', 'gpu-pool', '1gpu', 'averyverylongname', '']) {
      const error = rejection(() =>
        resolveAgentPoolSpec(name, { properties: {} }, undefined, cluster),
      );
      expect(error).toMatchObject({
        statusCode: 400,
        code: 'InvalidParameter',
        target: 'agentPoolProfile.name',
        message:
          'The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for more details.',
      });
    }
    expect(
      rejection(() =>
        resolveAgentPoolSpec(
          'winpool1',
          { properties: { osType: 'Windows' } },
          undefined,
          cluster,
        ),
      ).code,
    ).toBe('InvalidParameter');
  });

  it('rejects unknown and unavailable VM sizes', () => {
    const unknown = rejection(() =>
      resolve({ vmSize: 'Standard_ND96asr_A100_v4' }),
    );
    expect(unknown).toMatchObject({
      statusCode: 400,
      code: 'InvalidParameter',
      target: 'agentPoolProfile.vmSize',
    });
    expect(unknown.message).toMatch(
      /^The VM size of Standard_ND96asr_A100_v4 is not allowed in your subscription in location 'eastus'/,
    );
    const unavailable = rejection(() =>
      resolve({ vmSize: 'Standard_ND96isr_H200_v5' }),
    );
    expect(unavailable).toMatchObject({
      statusCode: 400,
      code: 'SkuNotAvailable',
    });
    expect(unavailable.message).toContain(
      "is currently not available in location 'eastus'",
    );
  });

  it('rejects bad counts and autoscaler bounds', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ count: 1001 }, 'count'],
      [{ count: -1 }, 'count'],
      [{ mode: 'System', count: 0 }, 'count'],
      [{ enableAutoScaling: true, minCount: 3, maxCount: 2 }, 'minCount'],
      [
        { enableAutoScaling: true, minCount: 1, maxCount: 2, count: 3 },
        'count',
      ],
      [{ enableAutoScaling: true, maxCount: 2 }, 'minCount'],
      [
        { mode: 'System', enableAutoScaling: true, minCount: 0, maxCount: 2 },
        'minCount',
      ],
    ];
    for (const [properties, field] of cases) {
      const error = rejection(() =>
        resolve({ vmSize: 'Standard_D4s_v5', ...properties }),
      );
      expect(error).toMatchObject({
        statusCode: 400,
        code: 'InvalidParameter',
        target: `agentPoolProfile.${field}`,
      });
      expect(error.message).toMatch(
        new RegExp(
          `^The value of parameter agentPoolProfile.${field} is invalid.`,
        ),
      );
    }
  });

  it('checks taint, label and tag syntax', () => {
    for (const taint of [
      'sku=gpu',
      'sku=gpu:Sometimes',
      '=gpu:NoSchedule',
      'bad key=x:NoSchedule',
      `k=${'v'.repeat(64)}:NoSchedule`,
    ]) {
      expect(rejection(() => resolve({ nodeTaints: [taint] })).target).toBe(
        'agentPoolProfile.nodeTaints',
      );
    }
    expect(
      rejection(() =>
        resolve({ nodeTaints: ['a=b:NoSchedule', 'a=c:NoSchedule'] }),
      ).code,
    ).toBe('InvalidParameter');
    expect(
      resolve({
        nodeTaints: [
          'nvidia.com/gpu:NoSchedule',
          'sku=gpu:NoExecute',
          'a=:PreferNoSchedule',
        ],
      }).nodeTaints,
    ).toHaveLength(3);
    expect(parseTaint('sku=gpu:NoSchedule')).toEqual({
      key: 'sku',
      value: 'gpu',
      effect: 'NoSchedule',
    });
    expect(
      rejection(() => resolve({ nodeLabels: { 'bad key': 'x' } })).target,
    ).toBe('agentPoolProfile.nodeLabels');
    const tag = rejection(() =>
      resolve({ tags: { 'backstage.io/owner': 'team-a' } }),
    );
    expect(tag).toMatchObject({
      statusCode: 400,
      code: 'InvalidTagNameCharacters',
    });
  });

  it('reports JSON type mismatches as the RP’s Go unmarshaller does', () => {
    expect(rejection(() => resolve({ count: '2' }))).toMatchObject({
      statusCode: 400,
      code: 'UnmarshalError',
      message:
        'UnmarshalEntity encountered error: json: cannot unmarshal string into Go struct field AgentPoolProperties.properties.count of type int32.',
    });
    expect(
      rejection(() => resolve({ nodeTaints: 'sku=gpu:NoSchedule' })).message,
    ).toContain('of type []string');
    expect(rejection(() => resolve({ count: 1.5 })).message).toContain(
      'cannot unmarshal number 1.5',
    );
  });

  it('merges updates with the existing pool and refuses immutable changes', () => {
    const existing = resolve({
      vmSize: 'Standard_NC24ads_A100_v4',
      nodeLabels: { apps: 'gpu' },
      tags: { a: 'b' },
    });
    const scaled = resolve({ count: 3 }, existing as Record<string, unknown>);
    expect(scaled).toMatchObject({
      vmSize: 'Standard_NC24ads_A100_v4',
      count: 3,
      nodeLabels: { apps: 'gpu' },
      tags: { a: 'b' },
    });
    expect(
      resolve({ tags: {} }, existing as Record<string, unknown>).tags,
    ).toEqual({});
    const change = rejection(() =>
      resolve(
        { vmSize: 'Standard_NC48ads_A100_v4' },
        existing as Record<string, unknown>,
      ),
    );
    expect(change).toMatchObject({
      statusCode: 400,
      code: 'PropertyChangeNotAllowed',
      target: 'properties.vmSize',
    });
    // Same value in another case is not a change.
    expect(
      resolve(
        { vmSize: 'standard_nc24ads_a100_v4' },
        existing as Record<string, unknown>,
      ).vmSize,
    ).toBe('Standard_NC24ads_A100_v4');
    // Read-only fields sent back after a GET are ignored.
    expect(
      resolve(
        { provisioningState: 'Failed', eTag: 'x', count: 2 },
        existing as Record<string, unknown>,
      ).provisioningState,
    ).toBeUndefined();
  });

  it('validates orchestratorVersion against the control plane', () => {
    expect(resolve({ orchestratorVersion: '1.33' }).orchestratorVersion).toBe(
      '1.33',
    );
    expect(
      rejection(() => resolve({ orchestratorVersion: '1.35.0' })).code,
    ).toBe('NodePoolMcVersionIncompatible');
    expect(rejection(() => resolve({ orchestratorVersion: '1.30' })).code).toBe(
      'NodePoolMcVersionIncompatible',
    );
    expect(
      rejection(() => resolve({ orchestratorVersion: 'latest' })).code,
    ).toBe('InvalidParameter');
    expect(resolveNodeVersion('1.34', '1.34.2')).toBe('1.34.2');
    expect(resolveNodeVersion('1.33', '1.34.2')).toBe('1.33.0');
  });

  it('only accepts MIG profiles on MIG-capable sizes', () => {
    expect(
      rejection(() =>
        resolve({
          vmSize: 'Standard_NV36ads_A10_v5',
          gpuInstanceProfile: 'MIG1g',
        }),
      ).target,
    ).toBe('agentPoolProfile.gpuInstanceProfile');
  });
});
