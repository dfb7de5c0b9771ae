import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { KaitoEntityProvider } from './KaitoEntityProvider';
import { catalogModuleKaito } from './module';

describe('catalogModuleKaito', () => {
  it('adds the provider, which schedules its refresh from config', async () => {
    const addEntityProvider = jest.fn();
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModuleKaito,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            catalog: {
              providers: {
                kaito: {
                  schedule: {
                    frequency: { seconds: 30 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledTimes(1);
    const provider = addEntityProvider.mock.calls[0][0] as KaitoEntityProvider;
    expect(provider).toBeInstanceOf(KaitoEntityProvider);
    expect(provider.getProviderName()).toBe('kaito');
    await provider.connect({ applyMutation: jest.fn(), refresh: jest.fn() });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'kaito-entity-provider:refresh',
        scope: 'global',
        frequency: { seconds: 30 },
        timeout: { minutes: 1 },
      }),
    );
  });
});
