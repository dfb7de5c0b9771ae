import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  KaitoDemoPermissionPolicy,
  PLATFORM_GROUP,
} from './kaitoPermissionPolicy';

const entityPermission = (name: string) =>
  createPermission({
    name,
    attributes: {},
    resourceType: 'catalog-entity',
  });

const userWith = (ownershipEntityRefs: string[]): PolicyQueryUser =>
  ({
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    credentials: {} as any,
  } as unknown as PolicyQueryUser);

describe('KaitoDemoPermissionPolicy', () => {
  const policy = new KaitoDemoPermissionPolicy();
  const mlEngineer = userWith(['user:default/guest', 'group:default/ml-team']);
  const platformEngineer = userWith(['user:default/grace', PLATFORM_GROUP]);

  it.each(['kaito.workspace.create', 'kaito.workspace.delete', 'kaito.chat'])(
    'lets only the owners of the entity %s',
    async name => {
      const decision = await policy.handle(
        { permission: entityPermission(name) },
        mlEngineer,
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/guest', 'group:default/ml-team'],
          },
        },
      });
    },
  );

  it('denies an owner-only permission that is not tied to an entity', async () => {
    const decision = await policy.handle(
      { permission: createPermission({ name: 'kaito.chat', attributes: {} }) },
      mlEngineer,
    );
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('lets only the platform team manage GPU pools', async () => {
    const manage = createPermission({
      name: 'kaito.gpupool.manage',
      attributes: { action: 'update' },
    });
    expect(
      (await policy.handle({ permission: manage }, platformEngineer)).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect((await policy.handle({ permission: manage }, mlEngineer)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it.each(['kaito.workspace.read', 'kaito.gpupool.read', 'catalog.entity.read'])(
    'lets everyone %s',
    async name => {
      const decision = await policy.handle(
        { permission: createPermission({ name, attributes: { action: 'read' } }) },
        mlEngineer,
      );
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    },
  );
});
