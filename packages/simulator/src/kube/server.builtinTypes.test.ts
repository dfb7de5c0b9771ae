/**
 * The simulated API server as a normal AKS 1.33 cluster looks to kubectl:
 * every standard resource type in discovery (with its scope, short names and
 * categories), `get all`, metrics-server's API (`kubectl top`), the
 * authorization reviews (`auth can-i`, `auth whoami`) and APIServices.
 */
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

describeWithKubectl('server.builtinTypes.test.ts')(
  'the standard resource types, as kubectl sees them',
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
      if (result.code !== 0 || result.stderr.trim()) {
        throw new Error(
          `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`,
        );
      }
      return result.stdout;
    };

    it('api-resources lists the types of an AKS 1.33 cluster', async () => {
      const out = lines(await ok('api-resources'));
      for (const row of [
        'bindings v1 true Binding',
        'componentstatuses cs v1 false ComponentStatus',
        'endpoints ep v1 true Endpoints',
        'limitranges limits v1 true LimitRange',
        'persistentvolumeclaims pvc v1 true PersistentVolumeClaim',
        'persistentvolumes pv v1 false PersistentVolume',
        'replicationcontrollers rc v1 true ReplicationController',
        'resourcequotas quota v1 true ResourceQuota',
        'serviceaccounts sa v1 true ServiceAccount',
        'mutatingwebhookconfigurations admissionregistration.k8s.io/v1 false MutatingWebhookConfiguration',
        'apiservices apiregistration.k8s.io/v1 false APIService',
        'controllerrevisions apps/v1 true ControllerRevision',
        'daemonsets ds apps/v1 true DaemonSet',
        'deployments deploy apps/v1 true Deployment',
        'replicasets rs apps/v1 true ReplicaSet',
        'selfsubjectreviews authentication.k8s.io/v1 false SelfSubjectReview',
        'localsubjectaccessreviews authorization.k8s.io/v1 true LocalSubjectAccessReview',
        'horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler',
        'cronjobs cj batch/v1 true CronJob',
        'certificatesigningrequests csr certificates.k8s.io/v1 false CertificateSigningRequest',
        'leases coordination.k8s.io/v1 true Lease',
        'endpointslices discovery.k8s.io/v1 true EndpointSlice',
        'flowschemas flowcontrol.apiserver.k8s.io/v1 false FlowSchema',
        'nodes metrics.k8s.io/v1beta1 false NodeMetrics',
        'pods metrics.k8s.io/v1beta1 true PodMetrics',
        'ingressclasses networking.k8s.io/v1 false IngressClass',
        'ingresses ing networking.k8s.io/v1 true Ingress',
        'ipaddresses ip networking.k8s.io/v1 false IPAddress',
        'networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy',
        'servicecidrs networking.k8s.io/v1 false ServiceCIDR',
        'runtimeclasses node.k8s.io/v1 false RuntimeClass',
        'poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget',
        'clusterroles rbac.authorization.k8s.io/v1 false ClusterRole',
        'rolebindings rbac.authorization.k8s.io/v1 true RoleBinding',
        'priorityclasses pc scheduling.k8s.io/v1 false PriorityClass',
        'csistoragecapacities storage.k8s.io/v1 true CSIStorageCapacity',
        'storageclasses sc storage.k8s.io/v1 false StorageClass',
        'volumeattachments storage.k8s.io/v1 false VolumeAttachment',
      ]) {
        expect(out).toContain(row);
      }
      expect(
        lines(
          await ok('api-resources', '--categories=all', '-o', 'name'),
        ).sort(),
      ).toEqual(
        [
          'cronjobs.batch',
          'daemonsets.apps',
          'deployments.apps',
          'horizontalpodautoscalers.autoscaling',
          'jobs.batch',
          'pods',
          'replicasets.apps',
          'replicationcontrollers',
          'services',
          'statefulsets.apps',
        ].sort(),
      );
      expect(
        lines(
          await ok(
            'api-resources',
            '--verbs=list',
            '--namespaced=false',
            '-o',
            'name',
          ),
        ),
      ).not.toContain('tokenreviews.authentication.k8s.io');
    });

    it("get all -A shows the API server's own Service and every workload type without an error", async () => {
      const deployment = kubectl.writeFile(
        'deployment.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: 'nginx:1.27' }] }
`,
      );
      await ok('apply', '-f', deployment);
      const out = lines(await ok('get', 'all', '-A'));
      expect(out).toContainEqual(
        expect.stringMatching(
          /^default service\/kubernetes ClusterIP 10\.0\.0\.1 <none> 443\/TCP \d+s$/,
        ),
      );
      expect(out).toContainEqual(
        expect.stringMatching(/^default deployment\.apps\/web 0\/2 0 0 \d+s$/),
      );
    });

    it('serves the empty types the Kubernetes plugin lists, with their printer columns', async () => {
      for (const [resource, header] of [
        ['limitranges', ''],
        ['resourcequotas', ''],
        ['replicasets', ''],
        ['daemonsets', ''],
        ['hpa', ''],
        ['cronjobs', ''],
        ['ingresses', ''],
      ]) {
        const result = await kubectl.run(['get', resource, '-A']);
        expect(result).toMatchObject({ code: 0, stdout: header });
        expect(result.stderr.trim()).toBe('No resources found');
      }
      const hpa = kubectl.writeFile(
        'hpa.yaml',
        `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } }
`,
      );
      await ok('apply', '-f', hpa);
      expect(lines(await ok('get', 'hpa'))).toEqual([
        'NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE',
        expect.stringMatching(
          /^web Deployment\/web cpu: <unknown>\/80% 1 4 0 \d+s$/,
        ),
      ]);
    });

    it('answers auth can-i and auth whoami for its one (admin) credential', async () => {
      expect(
        (await ok('auth', 'can-i', 'delete', 'pods', '-n', 'ml-team')).trim(),
      ).toBe('yes');
      expect(lines(await ok('auth', 'whoami'))).toEqual([
        'ATTRIBUTE VALUE',
        'Username masterclient',
        'Groups [system:masters system:authenticated]',
      ]);
    });

    it("serves metrics-server's API for running pods (kubectl top)", async () => {
      const pod = await cluster.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'busy',
          namespace: 'default',
          labels: { app: 'busy' },
        },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
      } as KubeObject);
      await cluster.store.updateStatus({
        ...pod,
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'main',
              ready: true,
              state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
            },
          ],
        },
      });
      const top = lines(await ok('top', 'pod', '-l', 'app=busy'));
      expect(top[0]).toBe('NAME CPU(cores) MEMORY(bytes)');
      expect(top[1]).toMatch(/^busy \dm \d+Mi$/);
      const list = JSON.parse(
        await ok(
          'get',
          '--raw',
          '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dbusy',
        ),
      );
      expect(list).toMatchObject({
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        items: [
          {
            metadata: {
              name: 'busy',
              namespace: 'default',
              labels: { app: 'busy' },
            },
            window: '15s',
            containers: [
              { name: 'main', usage: { cpu: expect.stringMatching(/^\d+n$/) } },
            ],
          },
        ],
      });
      const watch = await kubectl.run([
        'get',
        '--raw',
        '/apis/metrics.k8s.io/v1beta1/pods?watch=1',
      ]);
      expect(watch.code).not.toBe(0);
      expect(watch.stderr).toContain('MethodNotAllowed');
    });

    it('lists an APIService per served group version; metrics.k8s.io is served by metrics-server', async () => {
      const out = lines(await ok('get', 'apiservices'));
      expect(out[0]).toBe('NAME SERVICE AVAILABLE AGE');
      expect(out).toContainEqual(
        expect.stringMatching(/^v1\. Local True \d+s$/),
      );
      expect(out).toContainEqual(
        expect.stringMatching(
          /^v1beta1\.metrics\.k8s\.io kube-system\/metrics-server True \d+s$/,
        ),
      );
      expect(out).toContainEqual(
        expect.stringMatching(/^v1beta1\.kaito\.sh Local True \d+s$/),
      );
    });
  },
);
