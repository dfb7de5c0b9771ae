import { isResourcePermission } from '@backstage/plugin-permission-common';
import { kaitoPermissions } from './permissions';

describe('kaitoPermissions', () => {
  it('defines the suite permissions', () => {
    expect(kaitoPermissions.map(p => p.name)).toEqual([
      'kaito.workspace.read',
      'kaito.workspace.create',
      'kaito.workspace.delete',
      'kaito.chat',
      'kaito.gpupool.read',
      'kaito.gpupool.manage',
    ]);
  });

  it('makes workspace and chat permissions catalog-entity resource permissions', () => {
    const resourceScoped = kaitoPermissions
      .filter(p => isResourcePermission(p, 'catalog-entity'))
      .map(p => p.name);
    expect(resourceScoped).toEqual([
      'kaito.workspace.read',
      'kaito.workspace.create',
      'kaito.workspace.delete',
      'kaito.chat',
    ]);
  });

  it('sets the action attributes', () => {
    expect(kaitoPermissions.map(p => p.attributes.action)).toEqual([
      'read',
      'create',
      'delete',
      undefined,
      'read',
      'update',
    ]);
  });
});
