import {
  azureGpuSkus,
  findPreset,
  kaitoPresets,
  rankSkusForPreset,
  tunablePresets,
} from '@kaito-backstage/plugin-kaito-common';
import { templateEntity } from './__testUtils__/harness';

const ACTIONS = [
  'kaito:gpu-pool:ensure',
  'kaito:workspace:create',
  'kaito:workspace:wait',
  'kaito:workspace:delete',
];

function property(template: any, name: string): any {
  for (const page of template.spec.parameters) {
    if (page.properties?.[name]) return page.properties[name];
    for (const dep of Object.values<any>(page.dependencies ?? {})) {
      for (const branch of dep.oneOf ?? []) {
        if (branch.properties?.[name]) return branch.properties[name];
      }
    }
  }
  return undefined;
}

const nvidiaSkus = azureGpuSkus
  .filter(s => s.gpuVendor === 'nvidia')
  .map(s => s.name);

describe('templates', () => {
  it.each(['fine-tune-model', 'deploy-inference', 'provision-gpu-pool'])(
    '%s is a v1beta3 template using only kaito actions',
    name => {
      const template = templateEntity(name);
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(template.kind).toBe('Template');
      expect(template.metadata.name).toBe(name);
      for (const step of (template.spec as any).steps) {
        expect(ACTIONS).toContain(step.action);
      }
      // The KAITO pickers only decorate plain fields: each picked field keeps a
      // plain type (and an enum where the template restricts the choice).
      const parameters = JSON.stringify((template.spec as any).parameters);
      for (const match of parameters.matchAll(
        /"ui:field":"(Kaito\w+Picker)"/g,
      )) {
        expect(['KaitoModelPicker', 'KaitoGpuSkuPicker']).toContain(match[1]);
      }
    },
  );

  it('fine-tune-model offers the tunable presets and defaults to the cheapest SKU for phi-3-mini QLoRA', () => {
    const template = templateEntity('fine-tune-model');
    const presets: string[] = property(template, 'preset').enum;
    // mistral-7b is on KAITO's list but broken in v0.12 (see kaito-common's README).
    expect([...presets].sort()).toEqual(
      tunablePresets()
        .map(p => p.name)
        .filter(n => n !== 'mistral-7b')
        .sort(),
    );
    const preset = property(template, 'preset').default;
    expect(findPreset(preset)?.family).toBe('phi-3');
    expect(property(template, 'method').default).toBe('qlora');
    const [recommended] = rankSkusForPreset(
      findPreset(preset)!,
      'tuning',
      'qlora',
    );
    expect(property(template, 'instanceType').default).toBe(
      recommended.sku.name,
    );
    expect([...property(template, 'instanceType').enum].sort()).toEqual(
      [...nvidiaSkus].sort(),
    );
    expect(property(template, 'entityRef')['ui:field']).toBe('EntityPicker');
    expect(property(template, 'owner')['ui:field']).toBe('OwnerPicker');
  });

  it('deploy-inference offers every preset and takes the AI Workspaces prefill', () => {
    const template = templateEntity('deploy-inference');
    expect([...property(template, 'preset').enum].sort()).toEqual(
      kaitoPresets
        .filter(p => !p.deprecated)
        .map(p => p.name)
        .sort(),
    );
    // The property names the AI Workspaces tab prefills (?formData=).
    for (const name of [
      'entityRef',
      'cluster',
      'namespace',
      'preset',
      'adapterImage',
      'adapterName',
      'sourceWorkspace',
    ]) {
      expect(property(template, name)).toBeDefined();
    }
  });

  it('provision-gpu-pool offers the NVIDIA GPU SKUs', () => {
    const template = templateEntity('provision-gpu-pool');
    expect([...property(template, 'vmSize').enum].sort()).toEqual(
      [...nvidiaSkus].sort(),
    );
  });
});
