/**
 * The labels of KAITO's workloads, exactly as v0.12.0 sets them (and the
 * Kubernetes controllers add), so that label selectors that work here work on
 * AKS. From pkg/workspace/manifests/manifests.go:
 *  - GenerateTuningJobManifest: the Job and its pod template carry only
 *    `kaito.sh/workspace=<name>`;
 *  - GenerateStatefulSetManifest: the StatefulSet has no labels; its selector
 *    and pod template are `kaito.sh/workspace=<name>` (plus the InferenceSet and
 *    multi-role labels when the Workspace has them, absent here);
 *  - GenerateServiceManifest / GenerateHeadlessServiceManifest: no labels.
 * None of the Workspace's own labels (the suite's `backstage.io/kubernetes-id`)
 * reach its workloads.
 */
import { startSimulator, type RunningSimulator } from './simulator';
import { DEMO_NAMESPACE } from './seed/demo';

jest.setTimeout(60_000);

describe("KAITO's workload labels", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'demo', timeScale: 1000 });
  });

  afterAll(() => sim?.stop());

  const get = (group: string, plural: string, name: string) =>
    sim.store.get({ group, plural, namespace: DEMO_NAMESPACE, name })!;
  const pods = (workspace: string) =>
    sim.store.list({
      group: '',
      plural: 'pods',
      namespace: DEMO_NAMESPACE,
      labelSelector: `kaito.sh/workspace=${workspace}`,
    }).items;

  it('the Workspaces carry the suite labels, which KAITO does not copy', () => {
    expect(
      get('kaito.sh', 'workspaces', 'support-chatbot').metadata.labels,
    ).toMatchObject({ 'backstage.io/kubernetes-id': 'support-chatbot' });
  });

  it('tuning: the Job and its pods carry kaito.sh/workspace and the Job controller labels', () => {
    const job = get('batch', 'jobs', 'support-chatbot-tuning');
    const uid = job.metadata.uid!;
    expect(job.metadata.labels).toEqual({
      'kaito.sh/workspace': 'support-chatbot-tuning',
    });
    const jobLabels = {
      'kaito.sh/workspace': 'support-chatbot-tuning',
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'support-chatbot-tuning',
      'controller-uid': uid,
      'job-name': 'support-chatbot-tuning',
    };
    expect((job.spec as any).template.metadata.labels).toEqual(jobLabels);
    const tuningPods = pods('support-chatbot-tuning');
    expect(tuningPods.length).toBeGreaterThan(0);
    for (const pod of tuningPods) {
      expect(pod.metadata.labels).toEqual(jobLabels);
    }
  });

  it('inference: the StatefulSet has no labels; its pods carry kaito.sh/workspace and the StatefulSet controller labels', () => {
    const sts = get('apps', 'statefulsets', 'support-chatbot');
    expect(sts.metadata.labels).toBeUndefined();
    expect((sts.spec as any).selector).toEqual({
      matchLabels: { 'kaito.sh/workspace': 'support-chatbot' },
    });
    expect((sts.spec as any).template.metadata.labels).toEqual({
      'kaito.sh/workspace': 'support-chatbot',
    });
    const [pod] = pods('support-chatbot');
    expect(pod.metadata.name).toBe('support-chatbot-0');
    expect(pod.metadata.labels).toEqual({
      'kaito.sh/workspace': 'support-chatbot',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': expect.stringMatching(/^support-chatbot-/),
      'statefulset.kubernetes.io/pod-name': 'support-chatbot-0',
    });
  });

  it('the Services have no labels and select the pods by kaito.sh/workspace', () => {
    const service = get('', 'services', 'support-chatbot');
    const headless = get('', 'services', 'support-chatbot-headless');
    expect(service.metadata.labels).toBeUndefined();
    expect(headless.metadata.labels).toBeUndefined();
    expect((service.spec as any).selector).toEqual({
      'kaito.sh/workspace': 'support-chatbot',
      'statefulset.kubernetes.io/pod-name': 'support-chatbot-0',
    });
    expect((headless.spec as any).selector).toEqual({
      'kaito.sh/workspace': 'support-chatbot',
    });
  });

  it('so backstage.io/kubernetes-id finds the Workspaces but none of their pods', () => {
    const byId = (group: string, plural: string) =>
      sim.store
        .list({
          group,
          plural,
          namespace: DEMO_NAMESPACE,
          labelSelector: 'backstage.io/kubernetes-id=support-chatbot',
        })
        .items.map(o => o.metadata.name);
    expect(byId('kaito.sh', 'workspaces').sort()).toEqual([
      'support-chatbot',
      'support-chatbot-tuning',
    ]);
    expect(byId('', 'pods')).toEqual([]);
    expect(byId('apps', 'statefulsets')).toEqual([]);
    expect(byId('batch', 'jobs')).toEqual([]);
  });
});
