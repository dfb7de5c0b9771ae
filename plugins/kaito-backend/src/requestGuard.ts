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
  Workspace,
} from '@kaito-backstage/plugin-kaito-common';
import { Request } from 'express';
import { entityRefParam, queryParam } from './requestParams';
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
            [{ permission: permission as ResourcePermission, resourceRef: resourceRef! }],
            { credentials },
          )
        : await permissions.authorize(
            [{ permission: permission as BasicPermission }],
            { credentials },
          );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${permission.name}${resourceRef ? ` on ${resourceRef}` : ''}`,
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

  /** The entity as the caller sees it; NotFoundError when it does not. */
  async entity(ref: string, credentials: BackstageCredentials): Promise<Entity> {
    const entity = await this.findEntity(ref, credentials);
    if (!entity) {
      throw new NotFoundError(`Entity ${ref} not found in the catalog`);
    }
    return entity;
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
