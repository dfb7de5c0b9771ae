/**
 * Server-side behaviour of the built-in types, as their registry strategies
 * upstream: defaults (SetDefaults_*), allocations (Service cluster IPs and node
 * ports, Job selectors), status resets and validation.
 */
import type { KubeObject, ObjectStore, ResourceType } from './api';
import { eventTableColumns } from './eventPrinters';
import {
  CONFIG_MAP_TYPE,
  EVENT_TYPE,
  JOB_TYPE,
  NAMESPACE_TYPE,
  NODE_CLAIM_TYPE,
  NODE_TYPE,
  POD_TYPE,
  SECRET_TYPE,
  SERVICE_TYPE,
  STATEFUL_SET_TYPE,
} from './builtinTypes';
import {
  CUSTOM_RESOURCE_DEFINITION_TYPE,
  customResourceDefinitionStrategy,
} from './customResourceDefinitions';
import { API_SERVICE_TYPE, apiServiceStrategy } from './apiServices';
import { metricsStrategies } from './metricsApi';
import {
  defaultPodSpec,
  qosClass,
  setDefault,
  templateMatchesSelector,
  validatePodSpec,
} from './podSpecRules';
import type { ResourceStrategy } from './strategy';

type Obj = Record<string, any>;

// ------------------------------------------------------------------ allocators

/** Service cluster IPs from AKS's default service CIDR 10.0.0.0/16 (10.0.0.10 is kube-dns). */
function makeServiceAllocators(store: ObjectStore) {
  const inUse = (pick: (svc: Obj) => unknown[]) =>
    new Set(
      store
        .list({ group: '', plural: 'services' })
        .items.flatMap(svc => pick(svc as Obj)),
    );
  return {
    clusterIP(): string {
      const used = inUse(svc => [svc.spec?.clusterIP]);
      for (;;) {
        const n = 11 + Math.floor(Math.random() * (65534 - 11));
        const ip = `10.0.${Math.floor(n / 256)}.${n % 256}`;
        if (!used.has(ip) && n % 256 !== 0 && n % 256 !== 255) {
          return ip;
        }
      }
    },
    nodePort(): number {
      const used = inUse(svc =>
        (svc.spec?.ports ?? []).map((p: Obj) => p.nodePort),
      );
      for (;;) {
        const port = 30000 + Math.floor(Math.random() * 2768);
        if (!used.has(port)) {
          return port;
        }
      }
    },
  };
}

// ------------------------------------------------------------------ strategies

export function builtinStrategies(
  store: ObjectStore,
): Map<ResourceType, ResourceStrategy> {
  const allocate = makeServiceAllocators(store);
  return new Map<ResourceType, ResourceStrategy>([
    ...metricsStrategies(store),
    [API_SERVICE_TYPE, apiServiceStrategy(store)],
    [
      NAMESPACE_TYPE,
      {
        tracksGeneration: false,
        nameValidation: 'dns1123Label',
        returnDeletedObject: true,
        prepareForCreate(ns) {
          ns.metadata.labels = {
            ...ns.metadata.labels,
            'kubernetes.io/metadata.name': ns.metadata.name,
          };
          ns.spec = { finalizers: ['kubernetes'] };
          ns.status = { phase: 'Active' };
        },
        prepareForUpdate(ns, old) {
          ns.metadata.labels = {
            ...ns.metadata.labels,
            'kubernetes.io/metadata.name': ns.metadata.name,
          };
          ns.spec = old.spec;
        },
      },
    ],
    [NODE_TYPE, { keepStatusOnCreate: true, tracksGeneration: false }],
    [
      POD_TYPE,
      {
        tracksGeneration: false,
        returnDeletedObject: true,
        prepareForCreate(pod) {
          const spec = pod.spec as Obj | undefined;
          defaultPodSpec(spec);
          pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
        },
        validate: pod => validatePodSpec(pod.spec as Obj, 'spec'),
      },
    ],
    [
      SERVICE_TYPE,
      {
        tracksGeneration: false,
        nameValidation: 'dns1035Label',
        returnDeletedObject: true,
        prepareForCreate(svc) {
          const spec = ((svc.spec as Obj) ??= {});
          setDefault(spec, 'type', 'ClusterIP');
          setDefault(spec, 'sessionAffinity', 'None');
          if (spec.type !== 'ExternalName') {
            setDefault(spec, 'clusterIP', allocate.clusterIP());
            spec.clusterIPs = [spec.clusterIP];
            setDefault(spec, 'ipFamilies', ['IPv4']);
            setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
            setDefault(spec, 'internalTrafficPolicy', 'Cluster');
          }
          for (const port of spec.ports ?? []) {
            setDefault(port, 'protocol', 'TCP');
            setDefault(port, 'targetPort', port.port);
            if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
              setDefault(port, 'nodePort', allocate.nodePort());
            }
          }
          if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
            setDefault(spec, 'externalTrafficPolicy', 'Cluster');
          }
          svc.status = { loadBalancer: {} };
        },
        prepareForUpdate(svc, old) {
          // patchAllocatedValues: an update that omits allocated values keeps them.
          const spec = ((svc.spec as Obj) ??= {});
          const oldSpec = (old.spec as Obj) ?? {};
          setDefault(spec, 'clusterIP', oldSpec.clusterIP);
          setDefault(spec, 'clusterIPs', oldSpec.clusterIPs);
          for (const port of spec.ports ?? []) {
            const before = (oldSpec.ports ?? []).find(
              (p: Obj) => p.port === port.port,
            );
            if (before?.nodePort) {
              setDefault(port, 'nodePort', before.nodePort);
            }
          }
        },
        validate(svc, old) {
          const spec = (svc.spec as Obj) ?? {};
          const oldIP = (old?.spec as Obj | undefined)?.clusterIP;
          if (old && oldIP && spec.clusterIP !== oldIP) {
            return [
              {
                reason: 'FieldValueInvalid',
                field: 'spec.clusterIPs[0]',
                message: `Invalid value: []string{"${spec.clusterIP}"}: may not change once set`,
              },
            ];
          }
          return [];
        },
      },
    ],
    [
      SECRET_TYPE,
      {
        tracksGeneration: false,
        prepareForCreate: normalizeSecret,
        prepareForUpdate: normalizeSecret,
      },
    ],
    [
      JOB_TYPE,
      {
        defaultPropagationPolicy: 'Orphan',
        prepareForCreate(job) {
          const spec = ((job.spec as Obj) ??= {});
          const template = (spec.template ??= {});
          defaultPodSpec(template.spec);
          if (
            spec.completions === undefined &&
            spec.parallelism === undefined
          ) {
            spec.completions = 1;
            spec.parallelism = 1;
          }
          setDefault(spec, 'parallelism', 1);
          setDefault(spec, 'backoffLimit', 6);
          setDefault(spec, 'completionMode', 'NonIndexed');
          setDefault(spec, 'suspend', false);
          setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
          if (!spec.manualSelector) {
            const uid = job.metadata.uid!;
            const name = job.metadata.name;
            spec.selector = {
              matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
            };
            template.metadata = {
              ...template.metadata,
              labels: {
                ...template.metadata?.labels,
                'batch.kubernetes.io/controller-uid': uid,
                'batch.kubernetes.io/job-name': name,
                'controller-uid': uid,
                'job-name': name,
              },
            };
            if (
              !job.metadata.labels ||
              Object.keys(job.metadata.labels).length === 0
            ) {
              job.metadata.labels = { ...template.metadata.labels };
            }
          }
          job.status = {};
        },
        prepareForUpdate(job, old) {
          const spec = ((job.spec as Obj) ??= {});
          const oldSpec = (old.spec as Obj) ?? {};
          setDefault(spec, 'selector', oldSpec.selector);
        },
        validate(job) {
          const spec = (job.spec as Obj) ?? {};
          const causes = validatePodSpec(
            spec.template?.spec,
            'spec.template.spec',
          );
          const restartPolicy = spec.template?.spec?.restartPolicy;
          if (restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
            causes.push({
              reason: 'FieldValueNotSupported',
              field: 'spec.template.spec.restartPolicy',
              message: `Unsupported value: "${restartPolicy}": supported values: "OnFailure", "Never"`,
            });
          }
          return causes;
        },
      },
    ],
    [
      STATEFUL_SET_TYPE,
      {
        prepareForCreate(sts) {
          const spec = ((sts.spec as Obj) ??= {});
          setDefault(spec, 'replicas', 1);
          setDefault(spec, 'podManagementPolicy', 'OrderedReady');
          setDefault(spec, 'updateStrategy', {
            type: 'RollingUpdate',
            rollingUpdate: { partition: 0 },
          });
          setDefault(spec, 'revisionHistoryLimit', 10);
          setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {
            whenDeleted: 'Retain',
            whenScaled: 'Retain',
          });
          defaultPodSpec(spec.template?.spec);
          sts.status = { replicas: 0, availableReplicas: 0 };
        },
        validate(sts) {
          const spec = (sts.spec as Obj) ?? {};
          return [
            ...templateMatchesSelector(sts as Obj, 'spec'),
            ...validatePodSpec(spec.template?.spec, 'spec.template.spec'),
          ];
        },
      },
    ],
    [EVENT_TYPE, { tableColumns: eventTableColumns, tracksGeneration: false }],
    [CONFIG_MAP_TYPE, { tracksGeneration: false }],
    [NODE_CLAIM_TYPE, {}],
    [CUSTOM_RESOURCE_DEFINITION_TYPE, customResourceDefinitionStrategy],
  ]);
}

function normalizeSecret(secret: KubeObject) {
  if (!secret.type) {
    secret.type = 'Opaque';
  }
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData) {
    const data = { ...((secret.data as Record<string, string>) ?? {}) };
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    }
    secret.data = data;
    delete secret.stringData;
  }
}
