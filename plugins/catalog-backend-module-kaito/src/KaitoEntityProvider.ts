import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  isKaitoAvailable,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoRequestOptions,
  KaitoService,
  KaitoWorkspaceDetail,
  KaitoWorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-node';
import {
  InferenceEndpoint,
  KaitoEntityAnnotations,
  KaitoEntityOptions,
  TunedModel,
  endpointEntity,
  endpointFromWorkspace,
  tunedModelEntity,
  tunedModelFromRun,
  tunedModelFromWorkspace,
} from './entities';

/**
 * `CATALOG_FILTER_EXISTS` of `@backstage/catalog-client` (a global symbol,
 * so it is the same value without importing that package).
 */
const CATALOG_FILTER_EXISTS = Symbol.for(
  'CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111',
);

/** Default refresh schedule of the provider. @public */
export const DEFAULT_KAITO_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 2 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 15 },
  };

/** Options of {@link KaitoEntityProvider}. @public */
export interface KaitoEntityProviderOptions {
  kaito: KaitoService;
  /** The catalog, to find the entities that own KAITO workspaces. */
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Runs the refresh on a schedule; omit to only refresh on demand. */
  scheduler?: SchedulerService;
  schedule?: SchedulerServiceTaskScheduleDefinition;
  entityOptions?: KaitoEntityOptions;
}

const key = (ref: {
  cluster: string;
  namespace: string;
  name?: string;
  workspace?: string;
}) => `${ref.cluster}/${ref.namespace}/${ref.name ?? ref.workspace}`;

/** Entities the provider published itself (they carry the Kubernetes annotations too). */
function isPublishedByKaito(entity: Entity): boolean {
  return (
    Boolean(entity.metadata.annotations?.[KaitoEntityAnnotations.workspace]) ||
    Boolean(
      entity.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith('kaito:'),
    )
  );
}

/**
 * Publishes KAITO tuned models (`Resource` of type `ai-model`) and inference
 * endpoints (`ai-endpoint`) as catalog entities, owned by and related to
 * the entity whose workspace made them. Each refresh is a full mutation: an
 * endpoint disappears with its workspace; a tuned model stays while the run
 * history says its tuning run succeeded, since the adapter outlives the
 * workspace. It reads through the KAITO backend with its own service
 * credentials.
 *
 * @public
 */
export class KaitoEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Entities last published per owning entity, kept when a cluster is unreadable. */
  private readonly lastGood = new Map<string, Entity[]>();
  private running?: Promise<void>;

  constructor(private readonly options: KaitoEntityProviderOptions) {}

  getProviderName(): string {
    return 'kaito';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    if (this.options.scheduler) {
      await this.options.scheduler.scheduleTask({
        id: 'kaito-entity-provider:refresh',
        ...(this.options.schedule ?? DEFAULT_KAITO_PROVIDER_SCHEDULE),
        scope: this.options.schedule?.scope ?? 'global',
        fn: async () => {
          try {
            await this.refresh();
          } catch (error) {
            this.options.logger.error(
              `KAITO entity provider refresh failed: ${error}`,
            );
          }
        },
      });
    }
  }

  /** Reads every KAITO workspace and run and replaces the provider's entities. */
  refresh(): Promise<void> {
    // One refresh at a time; a caller during a run waits for it.
    this.running ??= this.doRefresh().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async doRefresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(
        'KaitoEntityProvider is not connected to the catalog yet',
      );
    }
    const { logger } = this.options;
    const started = Date.now();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const owners = await this.listOwners(credentials);
    const entities: Entity[] = [];
    for (const owner of owners) {
      entities.push(...(await this.entitiesFor(owner, credentials)));
    }
    // Two owners never share a workspace, but be safe against duplicates.
    const unique = new Map<string, DeferredEntity>();
    for (const entity of entities) {
      unique.set(stringifyEntityRef(entity), {
        entity,
        locationKey: `kaito-provider:${
          entity.metadata.annotations?.[KaitoEntityAnnotations.cluster]
        }`,
      });
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: [...unique.values()],
    });
    logger.info(
      `KAITO entity provider published ${unique.size} entities for ${
        owners.length
      } owning entities in ${Date.now() - started} ms`,
    );
  }

  /** Catalog entities mapped to Kubernetes objects, except the ones this provider made. */
  private async listOwners(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: [
          {
            [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
              CATALOG_FILTER_EXISTS as any,
          },
          {
            [`metadata.annotations.${ANNOTATION_KUBERNETES_LABEL_SELECTOR}`]:
              CATALOG_FILTER_EXISTS as any,
          },
        ],
      },
      { credentials },
    );
    return items.filter(e => isKaitoAvailable(e) && !isPublishedByKaito(e));
  }

  private async entitiesFor(
    owner: Entity,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const ownerRef = stringifyEntityRef(owner);
    const opts: KaitoRequestOptions = { credentials };
    const { kaito, logger, entityOptions } = this.options;
    const previous = this.lastGood.get(ownerRef) ?? [];
    let workspaces: KaitoWorkspaceSummary[];
    let unreadable: string[];
    let runs: Awaited<ReturnType<KaitoService['listRuns']>>;
    try {
      const listed = await kaito.listWorkspaces(ownerRef, opts);
      workspaces = listed.items;
      unreadable = listed.errors.map(e => e.cluster);
      for (const e of listed.errors) {
        logger.warn(
          `KAITO entity provider: cluster ${e.cluster} unreadable for ${ownerRef}: ${e.message}`,
        );
      }
      runs = await kaito.listRuns(ownerRef, opts);
    } catch (error) {
      logger.warn(
        `KAITO entity provider could not read the workspaces of ${ownerRef}; keeping its ${previous.length} entities: ${error}`,
      );
      return previous;
    }

    const detail = async (
      ws: KaitoWorkspaceSummary,
    ): Promise<KaitoWorkspaceDetail | undefined> => {
      try {
        return await kaito.getWorkspace(
          {
            cluster: ws.cluster,
            namespace: ws.namespace,
            name: ws.name,
            entityRef: ownerRef,
          },
          opts,
        );
      } catch (error) {
        logger.debug(
          `KAITO entity provider: no detail of ${key(ws)}: ${error}`,
        );
        return undefined;
      }
    };

    const models = new Map<string, TunedModel>();
    const endpoints: InferenceEndpoint[] = [];
    for (const ws of workspaces) {
      if (ws.type === 'tuning' && ws.state === 'Succeeded') {
        const model = tunedModelFromWorkspace(ws, await detail(ws));
        // Without the detail (it failed), the run history has the image.
        if (!model.outputImage && ws.uid) {
          const run = runs.find(
            r => r.cluster === ws.cluster && r.workspaceUid === ws.uid,
          );
          if (run?.outputImage) model.outputImage = run.outputImage;
        }
        models.set(key(ws), model);
      } else if (ws.type === 'inference' && ws.state !== 'Deleting') {
        endpoints.push(endpointFromWorkspace(ws, await detail(ws)));
      }
    }
    // Tuning runs that succeeded keep their model after the workspace is
    // deleted: the adapter (image or volume) is still there. Newest first.
    for (const run of runs) {
      if (run.mode !== 'tuning' || run.outcome !== 'succeeded') continue;
      const k = key(run);
      if (models.has(k)) continue;
      if (workspaces.some(ws => key(ws) === k)) continue; // recreated: the live one decides
      models.set(k, tunedModelFromRun(run));
    }

    const modelEntities = [...models.values()].map(m =>
      tunedModelEntity(owner, m, entityOptions),
    );
    const modelRefs = [...models.values()].map((m, i) => ({
      entityRef: stringifyEntityRef(modelEntities[i]),
      outputImage: m.outputImage,
    }));
    const produced = [
      ...modelEntities,
      ...endpoints.map(ep =>
        endpointEntity(owner, ep, modelRefs, entityOptions),
      ),
    ];
    // Keep what an unreadable cluster had; everything else is current.
    const kept = previous.filter(e =>
      unreadable.includes(
        e.metadata.annotations?.[KaitoEntityAnnotations.cluster] ?? '',
      ),
    );
    const result = [...produced, ...kept];
    this.lastGood.set(ownerRef, result);
    return result;
  }
}
