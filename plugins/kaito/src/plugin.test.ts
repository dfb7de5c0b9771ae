import {
  EntityKaitoContent,
  KaitoGpuPoolsPage,
  KaitoGpuSkuPickerFieldExtension,
  KaitoModelPickerFieldExtension,
  isKaitoAvailable,
  kaitoPlugin,
} from './index';
import { entity, entityWithoutAnnotations } from './__fixtures__';

describe('legacy plugin', () => {
  it('exports the plugin, the tab, the page and the field extensions', () => {
    expect(kaitoPlugin.getId()).toBe('kaito');
    expect(EntityKaitoContent).toBeDefined();
    expect(KaitoGpuPoolsPage).toBeDefined();
    expect(KaitoModelPickerFieldExtension).toBeDefined();
    expect(KaitoGpuSkuPickerFieldExtension).toBeDefined();
    expect(kaitoPlugin.getApis()).toHaveLength(1);
  });

  it('shows the tab for entities mapped to Kubernetes', () => {
    expect(isKaitoAvailable(entity)).toBe(true);
    expect(isKaitoAvailable(entityWithoutAnnotations)).toBe(false);
  });
});
