import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService as CatalogClient } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_ENTITY_REF,
  ValidationIssue,
  Workspace,
  shown,
} from '@kaito-backstage/plugin-kaito-common';
import { Request } from 'express';
import { entityRefParam, queryParam } from './requestParams';
import { invalidRequest } from './service/httpErrors';
import { NamespaceOwner, NamespacePolicy } from './service/namespacePolicy';
import {
  entityWorkspaceSelector,
  workspaceMatchesEntity,
} from './service/entityWorkspaces';

function auditMeta(value: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(value));
}

/**
 * What every route checks before it acts: who calls, whether the
 * permission framework allows it, which catalog entity a workspace belongs
 * to; and the audit event around every write.
 */
export class RequestGuard {
  constructor(
    private readonly options: {
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
      auditor: AuditorService;
      catalog: CatalogClient;
      namespaces: NamespacePolicy;
    },
  ) {}

  credentials(req: Request): Promise<BackstageCredentials> {
    return this.options.httpAuth.credentials(req);
  }

  /** The caller's credentials; NotAllowedError unless the permission is granted. */
  async authorize(
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const { permissions } = this.options;
    const credentials = await this.credentials(req);
    const [decision] =
      permission.type === 'resource'
        ? await permissions.authorize(
            [
              {
                permission: permission as ResourcePermission,
                resourceRef: resourceRef!,
              },
            ],
            { credentials },
          )
        : await permissions.authorize(
            [{ permission: permission as BasicPermission }],
            { credentials },
          );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
    return credentials;
  }

  /** The entity as the caller sees it in the catalog, if it does. */
  findEntity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    return this.options.catalog.getEntityByRef(ref, { credentials });
  }

  /**
   * The entity as the caller sees it; a 404 for an entity that does not
   * exist or that the caller may not see, on every route alike (routes ask
   * before any permission decision on it).
   */
  async entity(
    ref: string,
    credentials: BackstageCredentials,
    field = 'entityRef',
  ): Promise<Entity> {
    const entity = await this.findEntity(ref, credentials);
    if (!entity) {
      throw new NotFoundError(
        `${field}: entity ${shown(
          ref,
        )} was not found in the catalog [entity.not-found]`,
      );
    }
    return entity;
  }

  /** An entity as the namespace policy sees it: its ref and the namespace it names. */
  namespaceOwner(entity: Entity): NamespaceOwner {
    return {
      ref: stringifyEntityRef(entity),
      namespace: entityWorkspaceSelector(entity).namespace,
    };
  }

  /**
   * A GPU pool request (create or ensure) checked before anything is
   * looked up: its own validation first (400s naming the field), then its
   * tags follow the same rules as workspaces: a tagged entity must exist
   * (404) and a tagged workspace namespace must be one that entity's
   * workspaces may live in (403 naming the rule). Returns the body with the
   * entity ref normalized.
   */
  async checkPoolRequest<
    T extends { entityRef?: string; workspace?: { namespace: string } },
  >(
    req: Request,
    body: T,
    cluster: string,
    issues: ValidationIssue[],
  ): Promise<T> {
    if (issues.length > 0) {
      throw invalidRequest('GPU pool request', issues);
    }
    let owner: NamespaceOwner | undefined;
    if (body.entityRef !== undefined) {
      const entity = await this.entity(
        entityRefParam(body.entityRef),
        await this.credentials(req),
      );
      owner = this.namespaceOwner(entity);
    }
    if (body.workspace) {
      this.options.namespaces.check({
        cluster,
        namespace: body.workspace.namespace,
        owner,
        field: 'workspace.namespace',
      });
    }
    return owner ? { ...body, entityRef: owner.ref } : body;
  }

  /**
   * The entity a workspace belongs to: its entity-ref annotation, or else an
   * `entityRef` query parameter that the backend checks against the
   * entity's own annotations (looked up in the catalog as the caller).
   */
  async workspaceEntityRef(req: Request, ws: Workspace): Promise<string> {
    const annotated = ws.metadata.annotations?.[ANNOTATION_ENTITY_REF];
    if (annotated) {
      try {
        return stringifyEntityRef(parseEntityRef(annotated));
      } catch {
        // fall through to the query parameter
      }
    }
    const requested = queryParam(req, 'entityRef');
    if (!requested) {
      throw new NotAllowedError(
        `Workspace ${ws.metadata.namespace}/${ws.metadata.name} is not linked to a catalog entity ` +
          `(no ${ANNOTATION_ENTITY_REF} annotation); pass entityRef=<ref> of the entity it belongs to`,
      );
    }
    const ref = entityRefParam(requested);
    const entity = await this.entity(ref, await this.credentials(req));
    if (!workspaceMatchesEntity(ws, entityWorkspaceSelector(entity))) {
      throw new NotAllowedError(
        `Workspace ${ws.metadata.namespace}/${ws.metadata.name} does not belong to ${ref}`,
      );
    }
    return ref;
  }

  /** Runs `fn` inside an audit event that records its success or failure. */
  async audited<T>(
    req: Request,
    eventId: string,
    meta: Record<string, unknown>,
    fn: () => Promise<T>,
    severityLevel: 'low' | 'medium' = 'medium',
  ): Promise<T> {
    const event = await this.options.auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta: auditMeta(meta),
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
