/**
 * The create-only APIs the API server answers without storing anything:
 * authentication and authorization reviews (`kubectl auth can-i`,
 * `kubectl auth whoami`) and pod Bindings. The simulator has one credential,
 * and it is a cluster admin (AKS's local account, user `masterclient` in
 * `system:masters`), so every access review is allowed.
 */
import type { KubeObject, ObjectStore, ResourceType } from './api';
import { StatusError, badRequest, notFound } from './errors';
import type { AnswerContext, ResourceStrategy } from './strategy';

type Obj = Record<string, any>;

/** Who the simulator's bearer token authenticates as. */
export const ADMIN_USER = {
  username: 'masterclient',
  groups: ['system:masters', 'system:authenticated'],
};

/** The posted object with its status, as the review endpoints echo it. */
function answered(obj: KubeObject, status: Obj): KubeObject {
  return {
    ...obj,
    metadata: { ...obj.metadata, creationTimestamp: null } as any,
    status,
  };
}

const allowed = async (obj: KubeObject) => answered(obj, { allowed: true });

const reviewStrategies: Record<string, ResourceStrategy> = {
  'authorization.k8s.io/selfsubjectaccessreviews': { answerCreate: allowed },
  'authorization.k8s.io/subjectaccessreviews': { answerCreate: allowed },
  'authorization.k8s.io/localsubjectaccessreviews': {
    async answerCreate(obj, { namespace }) {
      const spec = (obj.spec ?? {}) as Obj;
      const attrs = spec.resourceAttributes;
      if (attrs?.namespace && attrs.namespace !== namespace) {
        throw new StatusError(
          422,
          'Invalid',
          `LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "${attrs.namespace}": must match metadata.namespace`,
        );
      }
      return answered(obj, { allowed: true });
    },
  },
  'authorization.k8s.io/selfsubjectrulesreviews': {
    answerCreate: async obj =>
      answered(obj, {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      }),
  },
  'authentication.k8s.io/selfsubjectreviews': {
    answerCreate: async obj => answered(obj, { userInfo: ADMIN_USER }),
  },
  'authentication.k8s.io/tokenreviews': {
    async answerCreate(obj, { apiToken }: AnswerContext) {
      const spec = (obj.spec ?? {}) as Obj;
      if (!spec.token) {
        throw new StatusError(
          422,
          'Invalid',
          'TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value',
        );
      }
      return answered(
        obj,
        spec.token === apiToken
          ? {
              authenticated: true,
              user: ADMIN_USER,
              ...(spec.audiences ? { audiences: spec.audiences } : {}),
            }
          : { user: {}, error: 'invalid bearer token' },
      );
    },
  },
};

/** `POST .../bindings`: assigns the pod named by the Binding to its target node, once. */
function bindingStrategy(store: ObjectStore): ResourceStrategy {
  return {
    async answerCreate(binding, { namespace }) {
      const target = (binding.target ?? {}) as Obj;
      const name = binding.metadata?.name;
      if (!name || !target.name) {
        throw badRequest(
          'a Binding needs metadata.name (the pod) and target.name (the node)',
        );
      }
      const ref = { group: '', plural: 'pods', namespace, name };
      const pod = store.get(ref);
      if (!pod) {
        throw notFound('', 'pods', name);
      }
      const spec = (pod.spec ?? {}) as Obj;
      if (spec.nodeName) {
        throw new StatusError(
          409,
          'Conflict',
          `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`,
          { name, kind: 'pods/binding' },
        );
      }
      await store.update({ ...pod, spec: { ...spec, nodeName: target.name } });
      return {
        apiVersion: 'v1',
        kind: 'Status',
        metadata: {},
        status: 'Success',
        code: 201,
      } as unknown as KubeObject;
    },
  };
}

/** Strategies of the create-only types, by `group/plural`. */
export function reviewStrategyFor(
  type: ResourceType,
  store: ObjectStore,
): ResourceStrategy | undefined {
  if (type.group === '' && type.plural === 'bindings') {
    return bindingStrategy(store);
  }
  return reviewStrategies[`${type.group}/${type.plural}`];
}
