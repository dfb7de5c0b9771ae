import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleKaito } from './module';

describe('scaffolderModuleKaito', () => {
  it('registers the four kaito actions, with examples, dry run and output schemas', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleKaito],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map((a: any) => a.id)).toEqual([
      'kaito:gpu-pool:ensure',
      'kaito:workspace:create',
      'kaito:workspace:wait',
      'kaito:workspace:delete',
    ]);
    for (const action of actions) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.output.type).toBe('object');
      // Every input and output field is described.
      const described = (schema: any): void => {
        for (const [key, value] of Object.entries<any>(
          schema.properties ?? {},
        )) {
          const v = value.anyOf ? { ...value.anyOf[0], ...value } : value;
          expect({
            action: action.id,
            key,
            description: v.description,
          }).toEqual({
            action: action.id,
            key,
            description: expect.any(String),
          });
          if (v.type === 'object') described(v);
          if (v.type === 'array' && v.items?.type === 'object')
            described(v.items);
        }
      };
      described(action.schema.input);
      described(action.schema.output);
    }
  });
});
