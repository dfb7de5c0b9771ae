import { mockServices } from '@backstage/backend-test-utils';
import {
  AKS_POOL_NAME_PATTERN,
  azureGpuSkus,
  isDns1123Label,
} from '@kaito-backstage/plugin-kaito-common';
import {
  PROGRESS_LOG_INTERVAL_MS,
  ProgressLog,
  adapterNameFrom,
  defaultPoolName,
  defaultWorkspaceName,
  entityTabPath,
  parseEntityRefParts,
  kaitoEntityRef,
  pollIntervals,
  workspaceTabPath,
} from './util';

describe('ProgressLog', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs on every change and at least every 15 s otherwise', () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const logger = mockServices.logger.mock();
    const progress = new ProgressLog(logger);
    const tick = (ms: number, key: string) => {
      now += ms;
      progress.update(key, () => `${key} at ${now}`);
    };
    tick(0, 'Provisioning');
    tick(5_000, 'Provisioning');
    tick(5_000, 'Provisioning');
    expect(logger.info).toHaveBeenCalledTimes(1);
    tick(4_999, 'Provisioning');
    expect(logger.info).toHaveBeenCalledTimes(1);
    tick(1, 'Provisioning'); // 15 s since the last line
    expect(logger.info).toHaveBeenCalledTimes(2);
    tick(1_000, 'Running');
    expect(logger.info).toHaveBeenCalledTimes(3);
    expect(PROGRESS_LOG_INTERVAL_MS).toBe(15_000);
  });

  it('polls quickly first, then at the configured interval (never above 15 s)', () => {
    const it10 = pollIntervals(10_000);
    const seen = Array.from({ length: 12 }, () => it10.next().value);
    expect(seen[0]).toBe(250);
    expect(Math.max(...seen)).toBe(10_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('names', () => {
  it('derives a valid AKS pool name from every GPU SKU, with a Spot variant', () => {
    for (const sku of azureGpuSkus) {
      for (const spot of [false, true]) {
        const name = defaultPoolName(sku.name, spot);
        expect(name).toMatch(AKS_POOL_NAME_PATTERN);
        expect(defaultPoolName(sku.armVmSize, spot)).toBe(name);
      }
    }
    expect(defaultPoolName('Standard_NC24ads_A100_v4')).toBe('nc24adsa100');
    expect(defaultPoolName('standard_nc24ads_a100_v4', true)).toBe(
      'nc24adsa100s',
    );
    const names = azureGpuSkus.map(s => defaultPoolName(s.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('derives stable, valid workspace names per task and step', () => {
    const a = defaultWorkspaceName({
      entityRef: 'component:default/support-chatbot',
      kind: 'tuning',
      taskId: 't1',
      stepId: 's1',
    });
    expect(a).toMatch(/^support-chatbot-tune-[0-9a-f]{6}$/);
    expect(
      defaultWorkspaceName({
        entityRef: 'component:default/support-chatbot',
        kind: 'tuning',
        taskId: 't1',
        stepId: 's1',
      }),
    ).toBe(a);
    expect(
      defaultWorkspaceName({
        entityRef: 'component:default/support-chatbot',
        kind: 'tuning',
        taskId: 't2',
        stepId: 's1',
      }),
    ).not.toBe(a);
    const long = defaultWorkspaceName({
      entityRef: `component:default/${'Very_Long.Entity-Name'.repeat(5)}`,
      kind: 'inference',
      taskId: 't1',
    });
    expect(isDns1123Label(long)).toBe(true);
    expect(long).toMatch(/-serve-[0-9a-f]{6}$/);
  });

  it('derives adapter names from images and claims', () => {
    expect(
      adapterNameFrom('kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v1'),
    ).toBe('support-chatbot-phi-3-v1');
    expect(adapterNameFrom('registry/a/b@sha256:abc')).toBe('b');
    expect(adapterNameFrom('my-claim')).toBe('my-claim');
  });

  it('reads entity refs as the catalog does, and nothing else', () => {
    expect(parseEntityRefParts(' Component:Team-A/support-chatbot ')).toEqual({
      kind: 'component',
      namespace: 'team-a',
      name: 'support-chatbot',
    });
    expect(parseEntityRefParts('group:platform-team')).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'platform-team',
    });
    for (const bad of ['support-chatbot', 'component:', ':x', 'component:team/', '']) {
      expect(parseEntityRefParts(bad)).toBeUndefined();
    }
  });

  it('builds entity tab paths', () => {
    expect(entityTabPath('component:default/support-chatbot')).toBe(
      '/catalog/default/component/support-chatbot/kaito',
    );
    expect(entityTabPath('Component:Team-A/x')).toBe(
      '/catalog/team-a/component/x/kaito',
    );
    expect(
      workspaceTabPath(
        'component:default/support-chatbot',
        { cluster: 'c', namespace: 'n', name: 'w' },
        'chat',
      ),
    ).toBe(
      '/catalog/default/component/support-chatbot/kaito?workspace=c%2Fn%2Fw&view=chat',
    );
  });
});

describe('kaitoEntityRef', () => {
  // The same vectors as kaitoEntityName in the catalog module's tests.
  it('names the catalog entity the KAITO catalog module publishes', () => {
    expect(
      kaitoEntityRef('component:default/support-chatbot', {
        cluster: 'aks-kaito-dev',
        namespace: 'ml-team',
        name: 'ws',
      }),
    ).toBe('resource:default/ws.ml-team.aks-kaito-dev');
    const long = kaitoEntityRef('component:team-a/x', {
      cluster: 'aks-prod-eastus',
      namespace: 'ml-team',
      name: 'x'.repeat(60),
    })!;
    expect(long).toBe(`resource:team-a/${'x'.repeat(54)}-36d2d322`);
    expect(long.length - 'resource:team-a/'.length).toBeLessThanOrEqual(63);
  });
});
