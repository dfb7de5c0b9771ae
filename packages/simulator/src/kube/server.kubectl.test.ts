/**
 * The API server as the real kubectl sees it (over HTTPS: kubectl only sends
 * bearer tokens over TLS). Skipped, with a message, when kubectl is not on PATH.
 */
import { stringify as stringifyYaml } from 'yaml';
import type { KubeObject } from './api';
import {
  Kubectl,
  describeWithKubectl,
  selfSignedTls,
  startTestCluster,
  tableLines,
  type TestCluster,
} from './testSupport';

const lines = tableLines;

const WS = { group: 'kaito.sh', plural: 'workspaces' };

const workspaceManifest = (
  name: string,
  preset = 'phi-4-mini-instruct',
) => `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: ${name}
resource:
  instanceType: Standard_NC24ads_A100_v4
  labelSelector:
    matchLabels:
      apps: ${name}
inference:
  preset:
    name: ${preset}
`;

describeWithKubectl('server.kubectl.test.ts')(
  'kubectl against the simulated API server',
  () => {
    jest.setTimeout(30_000);
    let cluster: TestCluster;
    let kubectl: Kubectl;

    beforeAll(async () => {
      cluster = await startTestCluster({ tls: await selfSignedTls() });
      kubectl = new Kubectl(cluster.server.kubeconfig());
    });

    afterAll(async () => {
      kubectl?.dispose();
      await cluster?.close();
    });

    const ok = async (...args: string[]) => {
      const result = await kubectl.run(args);
      if (result.code !== 0) {
        throw new Error(
          `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`,
        );
      }
      return result.stdout;
    };

    it('lists namespaces', async () => {
      const out = lines(await ok('get', 'ns'));
      expect(out[0]).toBe('NAME STATUS AGE');
      expect(out.slice(1).map(l => l.split(' ').slice(0, 2).join(' '))).toEqual(
        [
          'default Active',
          'kaito-workspace Active',
          'kube-node-lease Active',
          'kube-public Active',
          'kube-system Active',
        ],
      );
    });

    it('discovers resources with short names and categories', async () => {
      const out = lines(await ok('api-resources'));
      expect(out[0]).toBe('NAME SHORTNAMES APIVERSION NAMESPACED KIND');
      expect(out).toContain(
        'workspaces wk,wks kaito.sh/v1beta1 true Workspace',
      );
      expect(out).toContain('nodeclaims karpenter.sh/v1 false NodeClaim');
      expect(out).toContain('pods po v1 true Pod');
      expect(out).toContain('statefulsets sts apps/v1 true StatefulSet');
      expect(
        lines(
          await ok('api-resources', '--categories=workspace', '-o', 'name'),
        ),
      ).toEqual(['workspaces.kaito.sh']);
    });

    it('lists the CustomResourceDefinitions of the CRD-style types', async () => {
      const out = lines(await ok('get', 'crd'));
      expect(out[0]).toBe('NAME CREATED AT');
      expect(out.slice(1).map(l => l.split(' ')[0])).toEqual([
        'nodeclaims.karpenter.sh',
        'workspaces.kaito.sh',
      ]);
      expect(out[2]).toMatch(
        /^workspaces\.kaito\.sh \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      expect(
        await ok(
          'get',
          'crd',
          'workspaces.kaito.sh',
          '-o',
          'jsonpath={.spec.versions[*].name} {.spec.names.shortNames[*]}',
        ),
      ).toBe('v1alpha1 v1beta1 wk wks');
      const explain = await ok('explain', 'workspace');
      expect(explain).toContain('KIND:       Workspace');
      expect(explain).toContain('VERSION:    v1beta1');
    });

    it('applies a Workspace (created, unchanged, configured) and prints its columns', async () => {
      const path = kubectl.writeFile('ws.yaml', workspaceManifest('phi'));
      expect((await ok('apply', '-f', path)).trim()).toBe(
        'workspace.kaito.sh/phi created',
      );
      expect((await ok('apply', '-f', path)).trim()).toBe(
        'workspace.kaito.sh/phi unchanged',
      );
      kubectl.writeFile('ws.yaml', workspaceManifest('phi', 'phi-4'));
      expect((await ok('apply', '-f', path)).trim()).toBe(
        'workspace.kaito.sh/phi configured',
      );

      const stored = cluster.store.get({
        ...WS,
        namespace: 'default',
        name: 'phi',
      })!;
      expect((stored.inference as any).preset.name).toBe('phi-4');
      expect(
        stored.metadata.annotations?.[
          'kubectl.kubernetes.io/last-applied-configuration'
        ],
      ).toContain('"phi-4"');

      await cluster.store.updateStatus({
        ...stored,
        status: {
          state: 'Ready',
          targetNodeCount: 1,
          conditions: [
            {
              type: 'ResourceReady',
              status: 'True',
              reason: 'workspaceResourceStatusSuccess',
              message: '',
              lastTransitionTime: '2025-01-01T00:00:00Z',
            },
            {
              type: 'InferenceReady',
              status: 'True',
              reason: 'WorkspaceInferenceStatusSuccess',
              message: '',
              lastTransitionTime: '2025-01-01T00:00:00Z',
            },
            {
              type: 'WorkspaceSucceeded',
              status: 'True',
              reason: 'workspaceSucceeded',
              message: '',
              lastTransitionTime: '2025-01-01T00:00:00Z',
            },
          ],
        },
      });
      const all = lines(await ok('get', 'wk', '-A'));
      expect(all[0]).toBe(
        'NAMESPACE NAME INSTANCE RESOURCEREADY INFERENCEREADY JOBSTARTED WORKSPACESUCCEEDED TARGETNODECOUNT STATE AGE',
      );
      expect(all[1]).toMatch(
        /^default phi Standard_NC24ads_A100_v4 True True True 1 Ready \d+s$/,
      );

      // v1alpha1 prints without TARGETNODECOUNT and STATE.
      const alpha = lines(await ok('get', 'workspaces.v1alpha1.kaito.sh'));
      expect(alpha[0]).toBe(
        'NAME INSTANCE RESOURCEREADY INFERENCEREADY JOBSTARTED WORKSPACESUCCEEDED AGE',
      );

      expect(
        await ok(
          'get',
          'workspace',
          'phi',
          '-o',
          'jsonpath={.resource.instanceType}/{.status.state}',
        ),
      ).toBe('Standard_NC24ads_A100_v4/Ready');
    });

    it('waits for a condition set through updateStatus', async () => {
      await ok(
        'apply',
        '-f',
        kubectl.writeFile('wait.yaml', workspaceManifest('waiter')),
      );
      const waiting = kubectl.run([
        'wait',
        '--for=condition=Foo',
        'workspace/waiter',
        '--timeout=10s',
      ]);
      await new Promise(resolve => setTimeout(resolve, 700));
      const current = cluster.store.get({
        ...WS,
        namespace: 'default',
        name: 'waiter',
      })!;
      await cluster.store.updateStatus({
        ...current,
        status: {
          conditions: [
            {
              type: 'Foo',
              status: 'True',
              reason: 'Test',
              message: 'set by the test',
              observedGeneration: 1,
              lastTransitionTime: new Date().toISOString(),
            },
          ],
        },
      });
      const result = await waiting;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(
        'workspace.kaito.sh/waiter condition met',
      );
    });

    it('times out waiting for a condition that never comes', async () => {
      await ok(
        'apply',
        '-f',
        kubectl.writeFile('never.yaml', workspaceManifest('never')),
      );
      const result = await kubectl.run([
        'wait',
        '--for=condition=Never',
        'workspace/never',
        '--timeout=1s',
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('timed out waiting for the condition');
    });

    it('deletes a Workspace and reports NotFound afterwards', async () => {
      await ok(
        'apply',
        '-f',
        kubectl.writeFile('doomed.yaml', workspaceManifest('doomed')),
      );
      expect((await ok('delete', 'workspace', 'doomed')).trim()).toBe(
        'workspace.kaito.sh "doomed" deleted',
      );
      const after = await kubectl.run(['get', 'wk', 'doomed']);
      expect(after.code).toBe(1);
      expect(after.stderr.trim()).toBe(
        'Error from server (NotFound): workspaces.kaito.sh "doomed" not found',
      );
    });

    it('waits for finalizers on delete and finishes when they are removed', async () => {
      await cluster.store.create({
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: {
          name: 'final',
          namespace: 'default',
          finalizers: ['workspace.finalizer.kaito.sh'],
        },
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: {},
        },
      });
      const deleting = kubectl.run([
        'delete',
        'workspace',
        'final',
        '--timeout=10s',
      ]);
      await new Promise(resolve => setTimeout(resolve, 700));
      const current = cluster.store.get({
        ...WS,
        namespace: 'default',
        name: 'final',
      })!;
      expect(current.metadata.deletionTimestamp).toBeDefined();
      await cluster.store.update({
        ...current,
        metadata: { ...current.metadata, finalizers: [] },
      });
      const result = await deleting;
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe('workspace.kaito.sh "final" deleted');
    });

    it('rejects strategic merge patches on custom resources like the real server', async () => {
      await ok(
        'apply',
        '-f',
        kubectl.writeFile('smp.yaml', workspaceManifest('smp')),
      );
      const result = await kubectl.run([
        'patch',
        'wk',
        'smp',
        '-p',
        '{"resource":{"count":2}}',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'application/strategic-merge-patch+json is not supported by kaito.sh/v1beta1, Kind=Workspace',
      );
      expect(
        (
          await ok(
            'patch',
            'wk',
            'smp',
            '--type=merge',
            '-p',
            '{"resource":{"count":2}}',
          )
        ).trim(),
      ).toBe('workspace.kaito.sh/smp patched');
    });

    it('applies built-in objects with strategic merge patches', async () => {
      const pod = (env: { name: string; value: string }[]): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'main', image: 'nginx:1.27', env },
            { name: 'side', image: 'busybox:1.36' },
          ],
        },
      });
      const path = kubectl.writeFile(
        'pod.yaml',
        stringifyYaml(
          pod([
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ]),
        ),
      );
      expect((await ok('apply', '-f', path)).trim()).toBe('pod/web created');
      kubectl.writeFile(
        'pod.yaml',
        stringifyYaml(
          pod([
            { name: 'A', value: '1' },
            { name: 'C', value: '3' },
          ]),
        ),
      );
      expect((await ok('apply', '-f', path)).trim()).toBe('pod/web configured');
      expect(
        await ok(
          'get',
          'pod',
          'web',
          '-o',
          'jsonpath={.spec.containers[0].env[*].name} {.spec.containers[*].name}',
        ),
      ).toBe('A C main side');
      const pods = lines(await ok('get', 'pods'));
      expect(pods[0]).toBe('NAME READY STATUS RESTARTS AGE');
      expect(pods[1]).toMatch(/^web 0\/2 Pending 0 \d+s$/);
    });

    it('creates namespaces, config maps and secrets imperatively (protobuf bodies)', async () => {
      expect((await ok('create', 'namespace', 'team-a')).trim()).toBe(
        'namespace/team-a created',
      );
      expect(
        (
          await ok(
            'create',
            'secret',
            'generic',
            'hf-token',
            '-n',
            'team-a',
            '--from-literal=token=hf_abc',
          )
        ).trim(),
      ).toBe('secret/hf-token created');
      expect(
        (
          await ok(
            'create',
            'configmap',
            'settings',
            '-n',
            'team-a',
            '--from-literal=a=b',
          )
        ).trim(),
      ).toBe('configmap/settings created');
      const secret = cluster.store.get({
        group: '',
        plural: 'secrets',
        namespace: 'team-a',
        name: 'hf-token',
      })!;
      expect(secret.type).toBe('Opaque');
      expect(Buffer.from((secret.data as any).token, 'base64').toString()).toBe(
        'hf_abc',
      );
      expect(lines(await ok('get', 'secrets', '-n', 'team-a'))[1]).toMatch(
        /^hf-token Opaque 1 \d+s$/,
      );

      expect((await ok('delete', 'namespace', 'team-a')).trim()).toBe(
        'namespace "team-a" deleted',
      );
      expect(
        cluster.store.get({
          group: '',
          plural: 'secrets',
          namespace: 'team-a',
          name: 'hf-token',
        }),
      ).toBeUndefined();
      const protectedNs = await kubectl.run([
        'delete',
        'namespace',
        'kube-system',
      ]);
      expect(protectedNs.stderr.trim()).toBe(
        'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted',
      );
    });

    it('streams pod logs from a registered handler', async () => {
      await cluster.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'tuner', namespace: 'default' },
        spec: { containers: [{ name: 'tuner', image: 'x:1' }] },
      });
      cluster.store.setSubresourceHandler(
        { group: '', plural: 'pods' },
        'log',
        ({ object, res }) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end(`step 1/10 of ${object.metadata.name}\n`);
        },
      );
      expect(await ok('logs', 'tuner')).toBe('step 1/10 of tuner\n');
    });

    it('prints NodeClaims with the Karpenter columns', async () => {
      await cluster.store.create({
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodeClaim',
        metadata: {
          name: 'ws-abc12',
          labels: {
            'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
            'karpenter.sh/capacity-type': 'on-demand',
            'topology.kubernetes.io/zone': 'eastus-1',
          },
        },
        spec: {
          nodeClassRef: {
            group: 'karpenter.azure.com',
            kind: 'AKSNodeClass',
            name: 'default',
          },
        },
      });
      const out = lines(await ok('get', 'nodeclaims'));
      expect(out[0]).toBe('NAME TYPE CAPACITY ZONE NODE READY AGE');
      expect(out[1]).toMatch(
        /^ws-abc12 Standard_NC24ads_A100_v4 on-demand eastus-1 \d+s$/,
      );
    });

    it('is refused without credentials', async () => {
      const anonymous = new Kubectl(
        cluster.server.kubeconfig().replace(/token: .*/, 'token: wrong'),
      );
      try {
        const result = await anonymous.run(['get', 'ns']);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('You must be logged in to the server');
      } finally {
        anonymous.dispose();
      }
    });
  },
);
