import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import kaitoPlugin, { kaitoScaffolderFormFieldsModule } from './alpha';
import { entity, entityWithoutAnnotations } from './__fixtures__';
import {
  kaitoGpuSkuPickerFormField,
  kaitoModelPickerFormField,
} from './fields/formFields';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

describe('new frontend system', () => {
  it('is the kaito plugin with an API, an entity tab and a page', () => {
    expect(kaitoPlugin.id).toBe('kaito');
    const ids = [...(kaitoPlugin as any).extensions].map((e: any) => e.id ?? e);
    expect(ids).toEqual(
      expect.arrayContaining([
        'api:kaito',
        'entity-content:kaito/workspaces',
        'page:kaito/gpu-pools',
      ]),
    );
  });

  it('gives the GPU pools page a title and an icon, so the sidebar lists it', () => {
    const page = (kaitoPlugin as any).getExtension('page:kaito/gpu-pools');
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.title)).toBe('GPU pools');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('filters the entity tab on the Kubernetes annotations', () => {
    const tab = (kaitoPlugin as any).getExtension(
      'entity-content:kaito/workspaces',
    );
    const tester = createExtensionTester(tab);
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as ((e: Entity) => boolean) | undefined;
    expect(filter).toBeDefined();
    expect(filter!(entity)).toBe(true);
    expect(filter!(entityWithoutAnnotations)).toBe(false);
    expect(
      filter!({
        ...entityWithoutAnnotations,
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-label-selector': 'app=x' },
        },
      }),
    ).toBe(true);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'AI Workspaces',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(
      'deployment',
    );
  });

  it('registers both scaffolder fields in a scaffolder module', async () => {
    expect(kaitoScaffolderFormFieldsModule.pluginId).toBe('scaffolder');
    const fields: any[] = await Promise.all([
      createExtensionTester(kaitoModelPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      )(),
      createExtensionTester(kaitoGpuSkuPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      )(),
    ]);
    expect(fields.map(f => f.name)).toEqual([
      'KaitoModelPicker',
      'KaitoGpuSkuPicker',
    ]);
    expect(fields.every(f => typeof f.component === 'function')).toBe(true);
  });
});
