import type { KubeObject, WatchEvent } from './api';
import { createClusterStore } from './cluster';
import { StatusError, admissionDenied } from './errors';
import type { InMemoryObjectStore } from './store';

const WS = { group: 'kaito.sh', plural: 'workspaces' };
const PODS = { group: '', plural: 'pods' };
const CMS = { group: '', plural: 'configmaps' };
const JOBS = { group: 'batch', plural: 'jobs' };
const NS = { group: '', plural: 'namespaces' };

const workspace = (
  name: string,
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name, namespace: 'default' },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { app: name } },
  },
  inference: { preset: { name: 'phi-4' } },
  ...extra,
});

const configMap = (
  name: string,
  meta: Partial<KubeObject['metadata']> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...meta },
  data: { a: '1' },
});

async function expectStatus(
  promise: Promise<unknown> | (() => unknown),
  code: number,
  reason?: string,
) {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(code);
    if (reason !== undefined) {
      expect((error as StatusError).reason).toBe(reason);
    }
    return error as StatusError;
  }
  throw new Error(`expected a ${code} StatusError`);
}

describe('InMemoryObjectStore', () => {
  let store: InMemoryObjectStore;
  beforeEach(async () => {
    store = await createClusterStore();
  });

  describe('create', () => {
    it('fills uid, resourceVersion, creationTimestamp and generation', async () => {
      const before = Number(store.currentResourceVersion());
      const created = await store.create(workspace('a'));
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(created.metadata.resourceVersion)).toBe(before + 1);
      expect(created.metadata.creationTimestamp).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      expect(created.metadata.generation).toBe(1);
      const second = await store.create(workspace('b'));
      expect(Number(second.metadata.resourceVersion)).toBe(before + 2);
    });

    it('generates names from generateName', async () => {
      const created = await store.create(
        configMap('', { generateName: 'cfg-' }),
      );
      expect(created.metadata.name).toMatch(
        /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
      );
    });

    it('rejects duplicates with 409 AlreadyExists', async () => {
      await store.create(workspace('a'));
      const error = await expectStatus(
        store.create(workspace('a')),
        409,
        'AlreadyExists',
      );
      expect(error.message).toBe('workspaces.kaito.sh "a" already exists');
    });

    it('answers 404 for a missing namespace and 403 for a terminating one', async () => {
      const missing = await expectStatus(
        store.create({
          ...configMap('x'),
          metadata: { name: 'x', namespace: 'nope' },
        }),
        404,
        'NotFound',
      );
      expect(missing.message).toBe('namespaces "nope" not found');

      await store.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'busy' },
      });
      await store.create({
        ...configMap('held'),
        metadata: { name: 'held', namespace: 'busy', finalizers: ['x/y'] },
      });
      await store.delete({ ...NS, name: 'busy' });
      expect(store.get({ ...NS, name: 'busy' })?.status).toEqual({
        phase: 'Terminating',
      });
      const terminating = await expectStatus(
        store.create({
          ...configMap('new'),
          metadata: { name: 'new', namespace: 'busy' },
        }),
        403,
        'Forbidden',
      );
      expect(terminating.message).toContain('because it is being terminated');
    });

    it('validates names and labels with 422 Invalid', async () => {
      const error = await expectStatus(
        store.create(workspace('Bad_Name')),
        422,
        'Invalid',
      );
      expect(error.message).toMatch(
        /^Workspace\.kaito\.sh "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      );
      expect(error.details?.causes?.[0]).toMatchObject({
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
      });
      await expectStatus(
        store.create(configMap('ok', { labels: { 'bad key': 'x' } })),
        422,
        'Invalid',
      );
    });

    it('refuses a resourceVersion on create like etcd (500)', async () => {
      const error = await expectStatus(
        store.create(configMap('x', { resourceVersion: '12' })),
        500,
      );
      expect(error.message).toBe(
        'resourceVersion should not be set on objects to be created',
      );
    });

    it('drops .status on create for types with a status subresource', async () => {
      const created = await store.create(
        workspace('a', { status: { state: 'Ready' } }),
      );
      expect(created.status).toBeUndefined();
      const pod = await store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
        status: { phase: 'Running' },
      });
      expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
      expect((pod.spec as any).containers[0].imagePullPolicy).toBe('Always');
    });

    it('stores objects written through another served version in the storage version', async () => {
      const seen: string[] = [];
      store.addAdmissionHook(WS, req => {
        seen.push(`${req.requestVersion}:${req.object?.apiVersion}`);
      });
      const created = await store.create({
        ...workspace('old'),
        apiVersion: 'kaito.sh/v1alpha1',
      });
      expect(created.apiVersion).toBe('kaito.sh/v1beta1');
      expect(
        store.get({ ...WS, namespace: 'default', name: 'old' })?.apiVersion,
      ).toBe('kaito.sh/v1beta1');
      expect(seen).toEqual(['v1alpha1:kaito.sh/v1alpha1']);
    });

    it('supports dry runs', async () => {
      const before = store.currentResourceVersion();
      const result = await store.create(workspace('dry'), { dryRun: true });
      expect(result.metadata.uid).toBeDefined();
      expect(
        store.get({ ...WS, namespace: 'default', name: 'dry' }),
      ).toBeUndefined();
      expect(store.currentResourceVersion()).toBe(before);
    });
  });

  describe('admission', () => {
    it('runs hooks in registration order; they may mutate or deny', async () => {
      const calls: string[] = [];
      store.addAdmissionHook(WS, req => {
        calls.push(`first:${req.operation}`);
        if (req.operation === 'CREATE') {
          return {
            ...req.object!,
            metadata: { ...req.object!.metadata, labels: { defaulted: 'yes' } },
          };
        }
        return undefined;
      });
      store.addAdmissionHook(WS, async req => {
        calls.push(
          `second:${req.operation}:${
            req.object?.metadata.labels?.defaulted ?? '-'
          }`,
        );
        if (
          req.operation === 'UPDATE' &&
          (req.object as any).inference.preset.name === 'forbidden'
        ) {
          throw admissionDenied(
            'validation.workspace.kaito.sh',
            'preset may not change',
          );
        }
      });
      const created = await store.create(workspace('a'));
      expect(created.metadata.labels).toEqual({ defaulted: 'yes' });
      const denied = await expectStatus(
        store.update({
          ...created,
          inference: { preset: { name: 'forbidden' } },
        }),
        403,
        'Forbidden',
      );
      expect(denied.message).toBe(
        'admission webhook "validation.workspace.kaito.sh" denied the request: preset may not change',
      );
      await store.delete({ ...WS, namespace: 'default', name: 'a' });
      expect(calls).toEqual([
        'first:CREATE',
        'second:CREATE:yes',
        'first:UPDATE',
        'second:UPDATE:yes',
        'first:DELETE',
        'second:DELETE:-',
      ]);
    });
  });

  describe('update', () => {
    it('uses optimistic concurrency', async () => {
      const created = await store.create(workspace('a'));
      const first = await store.update({
        ...created,
        resource: { instanceType: 'X', labelSelector: {} },
      });
      expect(first.metadata.generation).toBe(2);
      const stale = await expectStatus(
        store.update({ ...created, inference: {} }),
        409,
        'Conflict',
      );
      expect(stale.message).toBe(
        'Operation cannot be fulfilled on workspaces.kaito.sh "a": the object has been modified; please apply your changes to the latest version and try again',
      );
      const { resourceVersion, ...withoutVersion } = created.metadata;
      const unconditional = await store.update({
        ...created,
        metadata: withoutVersion,
        inference: {},
      });
      expect(unconditional.inference).toEqual({});
    });

    it('keeps server-owned fields and ignores .status on the main resource', async () => {
      const created = await store.create(workspace('a'));
      const updated = await store.update({
        ...created,
        metadata: {
          ...created.metadata,
          uid: undefined,
          creationTimestamp: '2000-01-01T00:00:00Z',
          labels: { x: 'y' },
        },
        status: { state: 'Hacked' },
      });
      expect(updated.metadata.uid).toBe(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).toBe(
        created.metadata.creationTimestamp,
      );
      expect(updated.metadata.generation).toBe(1);
      expect(updated.status).toBeUndefined();
    });

    it('does not bump the resourceVersion for a no-op update', async () => {
      const created = await store.create(workspace('a'));
      const events: WatchEvent[] = [];
      store.watch({ ...WS }, e => events.push(e));
      const same = await store.update(created);
      expect(same.metadata.resourceVersion).toBe(
        created.metadata.resourceVersion,
      );
      expect(events).toEqual([]);
    });

    it('answers 404 for objects that do not exist', async () => {
      const error = await expectStatus(
        store.update(workspace('ghost')),
        404,
        'NotFound',
      );
      expect(error.message).toBe('workspaces.kaito.sh "ghost" not found');
    });
  });

  describe('updateStatus', () => {
    it('changes only .status', async () => {
      const created = await store.create(workspace('a'));
      const ready = {
        type: 'InferenceReady',
        status: 'True',
        reason: 'WorkspaceInferenceStatusSuccess',
        message: 'Inference has been deployed successfully',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      };
      const updated = await store.updateStatus({
        ...created,
        metadata: { ...created.metadata, labels: { ignored: 'yes' } },
        inference: { preset: { name: 'ignored' } },
        status: { state: 'Ready', conditions: [ready] },
      });
      expect(updated.status).toEqual({ state: 'Ready', conditions: [ready] });
      expect(updated.metadata.labels).toBeUndefined();
      // accessMode: the CRD's default, applied on create.
      expect(updated.inference).toEqual({
        preset: { name: 'phi-4', accessMode: 'public' },
      });
      expect(updated.metadata.generation).toBe(1);
      await expectStatus(
        store.updateStatus({ ...created, status: {} }),
        409,
        'Conflict',
      );
    });

    it('is not available for types without a status subresource', async () => {
      const cm = await store.create(configMap('c'));
      const error = await expectStatus(store.updateStatus(cm), 404, 'NotFound');
      expect(error.message).toBe(
        'the server could not find the requested resource',
      );
    });
  });

  describe('delete', () => {
    it('waits for finalizers, then removes the object when the last one goes', async () => {
      const created = await store.create(
        workspace('a', {
          metadata: {
            name: 'a',
            namespace: 'default',
            finalizers: ['workspace.finalizer.kaito.sh'],
          },
        }),
      );
      const terminating = await store.delete({
        ...WS,
        namespace: 'default',
        name: 'a',
      });
      expect(terminating?.metadata.deletionTimestamp).toBeDefined();
      expect(terminating?.metadata.deletionGracePeriodSeconds).toBe(0);
      expect(
        store.get({ ...WS, namespace: 'default', name: 'a' }),
      ).toBeDefined();

      const addMore = await expectStatus(
        store.update({
          ...terminating!,
          metadata: {
            ...terminating!.metadata,
            finalizers: ['workspace.finalizer.kaito.sh', 'other/x'],
          },
        }),
        422,
        'Invalid',
      );
      expect(addMore.message).toContain(
        'no new finalizers can be added if the object is being deleted',
      );

      const events: WatchEvent[] = [];
      store.watch(
        { ...WS, resourceVersion: terminating!.metadata.resourceVersion },
        e => events.push(e),
      );
      await store.update({
        ...terminating!,
        metadata: { ...terminating!.metadata, finalizers: [] },
      });
      expect(
        store.get({ ...WS, namespace: 'default', name: 'a' }),
      ).toBeUndefined();
      expect(events.map(e => e.type)).toEqual(['DELETED']);
      expect(events[0].object.metadata.uid).toBe(created.metadata.uid);
      await expectStatus(
        store.delete({ ...WS, namespace: 'default', name: 'a' }),
        404,
        'NotFound',
      );
    });

    it('checks delete preconditions', async () => {
      const created = await store.create(configMap('c'));
      await expectStatus(
        store.delete(
          { ...CMS, namespace: 'default', name: 'c' },
          { preconditions: { uid: 'other' } },
        ),
        409,
        'Conflict',
      );
      await store.delete(
        { ...CMS, namespace: 'default', name: 'c' },
        { preconditions: { uid: created.metadata.uid } },
      );
      expect(
        store.get({ ...CMS, namespace: 'default', name: 'c' }),
      ).toBeUndefined();
    });

    const ownedBy = (owner: KubeObject) => [
      {
        apiVersion: owner.apiVersion,
        kind: owner.kind,
        name: owner.metadata.name,
        uid: owner.metadata.uid!,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];

    it('garbage-collects dependents in the background, transitively', async () => {
      const ws = await store.create(workspace('owner'));
      const cm = await store.create(
        configMap('child', { ownerReferences: ownedBy(ws) }),
      );
      await store.create(
        configMap('grandchild', { ownerReferences: ownedBy(cm) }),
      );
      await store.create(configMap('unrelated'));
      await store.delete({ ...WS, namespace: 'default', name: 'owner' });
      expect(
        store
          .list({ ...CMS, namespace: 'default' })
          .items.map(o => o.metadata.name),
      ).toEqual(['unrelated']);
    });

    it('keeps dependents that still have a live owner, dropping the dangling reference', async () => {
      const a = await store.create(workspace('a'));
      const b = await store.create(workspace('b'));
      await store.create(
        configMap('shared', {
          ownerReferences: [...ownedBy(a), ...ownedBy(b)],
        }),
      );
      await store.delete({ ...WS, namespace: 'default', name: 'a' });
      const shared = store.get({
        ...CMS,
        namespace: 'default',
        name: 'shared',
      });
      expect(shared?.metadata.ownerReferences?.map(r => r.name)).toEqual(['b']);
    });

    it('orphans dependents with propagationPolicy Orphan', async () => {
      const ws = await store.create(workspace('owner'));
      await store.create(configMap('child', { ownerReferences: ownedBy(ws) }));
      await store.delete(
        { ...WS, namespace: 'default', name: 'owner' },
        { propagationPolicy: 'Orphan' },
      );
      const child = store.get({ ...CMS, namespace: 'default', name: 'child' });
      expect(child).toBeDefined();
      expect(child?.metadata.ownerReferences).toBeUndefined();
    });

    it('deletes in the foreground: the owner waits for its dependents', async () => {
      const ws = await store.create(workspace('owner'));
      const child = await store.create(
        configMap('child', {
          ownerReferences: ownedBy(ws),
          finalizers: ['test/hold'],
        }),
      );
      const owner = await store.delete(
        { ...WS, namespace: 'default', name: 'owner' },
        { propagationPolicy: 'Foreground' },
      );
      expect(owner?.metadata.finalizers).toEqual(['foregroundDeletion']);
      const heldChild = store.get({
        ...CMS,
        namespace: 'default',
        name: 'child',
      })!;
      expect(heldChild.metadata.deletionTimestamp).toBeDefined();
      expect(
        store.get({ ...WS, namespace: 'default', name: 'owner' }),
      ).toBeDefined();
      await store.update({
        ...heldChild,
        metadata: { ...heldChild.metadata, finalizers: [] },
      });
      expect(
        store.get({ ...CMS, namespace: 'default', name: 'child' }),
      ).toBeUndefined();
      expect(
        store.get({ ...WS, namespace: 'default', name: 'owner' }),
      ).toBeUndefined();
      expect(child.metadata.uid).toBeDefined();
    });

    it('orphans the Pods of a batch/v1 Job by default, like the real API', async () => {
      const job = await store.create({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'tune', namespace: 'default' },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'c', image: 'x:1' }],
            },
          },
        },
      });
      expect(
        (job.spec as any).selector.matchLabels[
          'batch.kubernetes.io/controller-uid'
        ],
      ).toBe(job.metadata.uid);
      const pod = (uid: string, name: string) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'default',
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: 'tune',
              uid,
              controller: true,
            },
          ],
        },
        spec: { containers: [{ name: 'c', image: 'x:1' }] },
      });
      await store.create(pod(job.metadata.uid!, 'tune-a'));
      await store.delete({ ...JOBS, namespace: 'default', name: 'tune' });
      expect(
        store.get({ ...PODS, namespace: 'default', name: 'tune-a' })?.metadata
          .ownerReferences,
      ).toBeUndefined();

      const job2 = await store.create({
        ...job,
        metadata: { name: 'tune2', namespace: 'default' },
      });
      await store.create(pod(job2.metadata.uid!, 'tune2-a'));
      await store.delete(
        { ...JOBS, namespace: 'default', name: 'tune2' },
        { propagationPolicy: 'Background' },
      );
      expect(
        store.get({ ...PODS, namespace: 'default', name: 'tune2-a' }),
      ).toBeUndefined();
    });

    it('deletes the contents of a namespace, then the namespace', async () => {
      await store.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team' },
      });
      await store.create({
        ...workspace('w'),
        metadata: { name: 'w', namespace: 'team', finalizers: ['kaito/x'] },
      });
      await store.create({
        ...configMap('c'),
        metadata: { name: 'c', namespace: 'team' },
      });
      await store.delete({ ...NS, name: 'team' });
      expect(
        store.get({ ...CMS, namespace: 'team', name: 'c' }),
      ).toBeUndefined();
      const held = store.get({ ...WS, namespace: 'team', name: 'w' })!;
      expect(held.metadata.deletionTimestamp).toBeDefined();
      expect(store.get({ ...NS, name: 'team' })?.status).toEqual({
        phase: 'Terminating',
      });
      await store.update({
        ...held,
        metadata: { ...held.metadata, finalizers: [] },
      });
      expect(store.get({ ...NS, name: 'team' })).toBeUndefined();
    });

    it('refuses to delete the default namespace', async () => {
      const error = await expectStatus(
        store.delete({ ...NS, name: 'default' }),
        403,
        'Forbidden',
      );
      expect(error.message).toBe(
        'namespaces "default" is forbidden: this namespace may not be deleted',
      );
    });
  });

  describe('list', () => {
    it('filters by namespace, labels and fields, sorted by namespace/name', async () => {
      await store.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'b-ns' },
      });
      await store.create(configMap('z', { labels: { tier: 'web' } }));
      await store.create(configMap('y', { labels: { tier: 'db' } }));
      await store.create({
        ...configMap('x'),
        metadata: { name: 'x', namespace: 'b-ns', labels: { tier: 'web' } },
      });
      const names = (q: object) =>
        store
          .list({ ...CMS, ...q })
          .items.map(o => `${o.metadata.namespace}/${o.metadata.name}`);
      expect(names({})).toEqual(['b-ns/x', 'default/y', 'default/z']);
      expect(names({ namespace: 'default' })).toEqual([
        'default/y',
        'default/z',
      ]);
      expect(names({ labelSelector: 'tier=web' })).toEqual([
        'b-ns/x',
        'default/z',
      ]);
      expect(
        names({
          labelSelector: 'tier in (db,web)',
          fieldSelector: 'metadata.namespace!=b-ns',
        }),
      ).toEqual(['default/y', 'default/z']);
      expect(names({ fieldSelector: 'metadata.name=y' })).toEqual([
        'default/y',
      ]);
      expect(store.list({ ...CMS }).resourceVersion).toBe(
        store.currentResourceVersion(),
      );
    });
  });

  describe('watch', () => {
    it('replays events after a resourceVersion, then streams new ones in order', async () => {
      const a = await store.create(workspace('a'));
      const events: string[] = [];
      const stop = store.watch(
        {
          ...WS,
          resourceVersion: String(Number(a.metadata.resourceVersion) - 1),
        },
        e =>
          events.push(
            `${e.type}:${e.object.metadata.name}:${e.object.metadata.resourceVersion}`,
          ),
      );
      const b = await store.create(workspace('b'));
      await store.delete({ ...WS, namespace: 'default', name: 'a' });
      stop();
      await store.create(workspace('c'));
      expect(events).toEqual([
        `ADDED:a:${a.metadata.resourceVersion}`,
        `ADDED:b:${b.metadata.resourceVersion}`,
        `DELETED:a:${Number(b.metadata.resourceVersion) + 1}`,
      ]);
    });

    it('sends the current state as ADDED for resourceVersion "0" and nothing old without one', async () => {
      await store.create(workspace('a'));
      const fromZero: string[] = [];
      const fromNow: string[] = [];
      store.watch({ ...WS, resourceVersion: '0' }, e =>
        fromZero.push(`${e.type}:${e.object.metadata.name}`),
      );
      store.watch({ ...WS }, e =>
        fromNow.push(`${e.type}:${e.object.metadata.name}`),
      );
      await store.create(workspace('b'));
      expect(fromZero).toEqual(['ADDED:a', 'ADDED:b']);
      expect(fromNow).toEqual(['ADDED:b']);
    });

    it('turns selector transitions into ADDED and DELETED', async () => {
      const events: string[] = [];
      store.watch({ ...CMS, labelSelector: 'watched=yes' }, e =>
        events.push(`${e.type}:${e.object.metadata.labels?.watched ?? '-'}`),
      );
      const cm = await store.create(configMap('c'));
      const labelled = await store.update({
        ...cm,
        metadata: { ...cm.metadata, labels: { watched: 'yes' } },
      });
      const changed = await store.update({ ...labelled, data: { a: '2' } });
      await store.update({
        ...changed,
        metadata: { ...changed.metadata, labels: { watched: 'no' } },
      });
      expect(events).toEqual(['ADDED:yes', 'MODIFIED:yes', 'DELETED:yes']);
    });

    it('answers 410 Expired for a resourceVersion older than the retained history', async () => {
      const small = await createClusterStore({ historyLimit: 10 });
      const first = await small.create(configMap('c0'));
      for (let i = 1; i < 30; i++) {
        await small.create(configMap(`c${i}`));
      }
      const error = await expectStatus(
        () =>
          small.watch(
            { ...CMS, resourceVersion: first.metadata.resourceVersion },
            () => {},
          ),
        410,
        'Expired',
      );
      expect(error.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
      expect(() =>
        small.watch(
          { ...CMS, resourceVersion: small.currentResourceVersion() },
          () => {},
        ),
      ).not.toThrow();
    });

    it('delivers events in order to every watcher even when a watcher writes from its callback', async () => {
      const a: string[] = [];
      const b: string[] = [];
      // updateStatus commits synchronously, so this write happens while ADDED is being dispatched.
      store.watch({ ...WS }, e => {
        a.push(`${e.type}:${(e.object.status as any)?.state ?? '-'}`);
        if (e.type === 'ADDED') {
          void store.updateStatus({
            ...e.object,
            status: { state: 'Pending' },
          });
        }
      });
      store.watch({ ...WS }, e =>
        b.push(`${e.type}:${(e.object.status as any)?.state ?? '-'}`),
      );
      await store.create(workspace('first'));
      expect(a).toEqual(['ADDED:-', 'MODIFIED:Pending']);
      expect(b).toEqual(['ADDED:-', 'MODIFIED:Pending']);
    });
  });
});
