/**
 * What the registry strategies of Pods and the workload types share about a
 * pod spec, as upstream: defaults (`SetDefaults_PodSpec`, image pull policy),
 * the QoS class, the spec's validation and a template's labels matching the
 * selector.
 */
import type { StatusCause } from './errors';

type Obj = Record<string, any>;

export const setDefault = (obj: Obj, field: string, value: unknown) => {
  if (obj[field] === undefined || obj[field] === null) {
    obj[field] = value;
  }
};

function defaultImagePullPolicy(image: string | undefined): string {
  if (!image) {
    return 'IfNotPresent';
  }
  if (image.includes('@')) {
    return 'IfNotPresent';
  }
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_PodSpec and SetDefaults_Container, for Pods and pod templates. */
export function defaultPodSpec(spec: Obj | undefined) {
  if (!spec) {
    return;
  }
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const container of [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
  ]) {
    setDefault(
      container,
      'imagePullPolicy',
      defaultImagePullPolicy(container.image),
    );
    setDefault(container, 'terminationMessagePath', '/dev/termination-log');
    setDefault(container, 'terminationMessagePolicy', 'File');
    setDefault(container, 'resources', {});
    for (const port of container.ports ?? []) {
      setDefault(port, 'protocol', 'TCP');
    }
  }
}

export function qosClass(spec: Obj | undefined): string {
  const containers: Obj[] = [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
  ];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) {
      any = true;
    }
    for (const resource of ['cpu', 'memory']) {
      if (limits[resource] === undefined) {
        guaranteed = false;
      } else if (
        requests[resource] !== undefined &&
        String(requests[resource]) !== String(limits[resource])
      ) {
        guaranteed = false;
      }
    }
  }
  if (!any) {
    return 'BestEffort';
  }
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function validatePodSpec(
  spec: Obj | undefined,
  path: string,
): StatusCause[] {
  const containers: Obj[] = spec?.containers ?? [];
  if (containers.length === 0) {
    return [
      {
        reason: 'FieldValueRequired',
        field: `${path}.containers`,
        message: 'Required value',
      },
    ];
  }
  const causes: StatusCause[] = [];
  containers.forEach((c, i) => {
    if (!c.name) {
      causes.push({
        reason: 'FieldValueRequired',
        field: `${path}.containers[${i}].name`,
        message: 'Required value',
      });
    }
    if (!c.image) {
      causes.push({
        reason: 'FieldValueRequired',
        field: `${path}.containers[${i}].image`,
        message: 'Required value',
      });
    }
  });
  return causes;
}

export function templateMatchesSelector(obj: Obj, path: string): StatusCause[] {
  const matchLabels: Record<string, string> =
    obj.spec?.selector?.matchLabels ?? {};
  const labels: Record<string, string> =
    obj.spec?.template?.metadata?.labels ?? {};
  if (!obj.spec?.selector) {
    return [
      {
        reason: 'FieldValueRequired',
        field: `${path}.selector`,
        message: 'Required value',
      },
    ];
  }
  const mismatch = Object.entries(matchLabels).some(
    ([k, v]) => labels[k] !== v,
  );
  return mismatch
    ? [
        {
          reason: 'FieldValueInvalid',
          field: `${path}.template.metadata.labels`,
          message: `Invalid value: ${JSON.stringify(
            labels,
          )}: \`selector\` does not match template \`labels\``,
        },
      ]
    : [];
}
