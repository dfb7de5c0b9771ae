import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { skuCatalog } from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import {
  KaitoGpuSkuPicker,
  kaitoGpuSkuPickerValidation,
  skuQueryFromForm,
} from './KaitoGpuSkuPicker';

const server = setupServer();
registerMswTestHooks(server);

function props(overrides: Record<string, unknown> = {}) {
  return {
    onChange: jest.fn(),
    schema: { title: 'GPU SKU' },
    uiSchema: {},
    rawErrors: [],
    required: true,
    disabled: false,
    idSchema: { $id: 'root_sku' },
    formData: undefined,
    formContext: {
      formData: {
        model: 'phi-3-mini-128k-instruct',
        tuning: { method: 'qlora' },
        cluster: 'dev',
      },
    },
    ...overrides,
  } as any;
}

const uiOptions = {
  'ui:options': { presetField: 'model', methodField: 'tuning.method' },
};

describe('KaitoGpuSkuPicker', () => {
  it('asks for the SKUs that fit the model and method named by ui:options', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${API}/catalog/skus`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json(skuCatalog());
      }),
    );
    const p = props({ uiSchema: uiOptions });
    await renderKaito(<KaitoGpuSkuPicker {...p} />);
    await screen.findByText('Standard_NC24ads_A100_v4');
    expect(Object.fromEntries(query!.entries())).toEqual({
      preset: 'phi-3-mini-128k-instruct',
      mode: 'tuning',
      method: 'qlora',
      cluster: 'dev',
    });
  });

  it('preselects the recommended SKU and shows GPU memory, price and quota', async () => {
    server.use(
      http.get(`${API}/catalog/skus`, () => HttpResponse.json(skuCatalog())),
    );
    const p = props({ uiSchema: uiOptions });
    await renderKaito(<KaitoGpuSkuPicker {...p} />);
    await waitFor(() =>
      expect(p.onChange).toHaveBeenCalledWith('Standard_NC24ads_A100_v4'),
    );
    expect(screen.getByText('Recommended')).toBeInTheDocument();
    expect(
      screen.getByText(/1 × A100 · 80 GiB GPU memory · \$3.67\/h/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Quota standardNCADSA100v4Family: 72 of 96 vCPUs free, needs 24/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 × A10 · 24 GiB GPU memory · \$3.20\/h/),
    ).toBeInTheDocument();
    expect(screen.getByText(/needs 36 – not enough quota/)).toBeInTheDocument();
    // The SKU that does not fit is hidden until asked for.
    expect(
      screen.queryByText('Standard_ND96isr_H200_v5'),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: /do not fit/ }));
    expect(screen.getByText('Standard_ND96isr_H200_v5')).toBeInTheDocument();
    expect(
      screen.getByText(/tuning runs on one GPU type only/),
    ).toBeInTheDocument();
  });

  it('keeps a choice that still fits', async () => {
    server.use(
      http.get(`${API}/catalog/skus`, () => HttpResponse.json(skuCatalog())),
    );
    const p = props({
      uiSchema: uiOptions,
      formData: 'Standard_NV36ads_A10_v5',
    });
    await renderKaito(<KaitoGpuSkuPicker {...p} />);
    const a10 = await screen.findByRole('radio', {
      name: /Standard_NV36ads_A10_v5/,
    });
    expect(a10).toBeChecked();
    await userEvent.click(
      screen.getByRole('radio', { name: /Standard_NC24ads_A100_v4/ }),
    );
    expect(p.onChange).toHaveBeenCalledWith('Standard_NC24ads_A100_v4');
    expect(p.onChange).not.toHaveBeenCalledWith('Standard_NV36ads_A10_v5');
  });

  it('asks for a model first', async () => {
    await renderKaito(
      <KaitoGpuSkuPicker {...props({ formContext: { formData: {} } })} />,
    );
    expect(await screen.findByText(/Pick a model first/)).toBeInTheDocument();
  });

  it('derives the query from the form', () => {
    expect(skuQueryFromForm({ preset: 'phi-4' })).toEqual({
      preset: 'phi-4',
      mode: 'inference',
    });
    expect(skuQueryFromForm({ preset: 'phi-4' }, { mode: 'tuning' })).toEqual({
      preset: 'phi-4',
      mode: 'tuning',
      method: 'lora',
    });
    expect(
      skuQueryFromForm(
        { p: 'phi-4', kind: 'tuning', m: 'qlora' },
        {
          presetField: 'p',
          modeField: 'kind',
          methodField: 'm',
        },
      ),
    ).toEqual({ preset: 'phi-4', mode: 'tuning', method: 'qlora' });
  });

  it('validates the SKU name', () => {
    const addError = jest.fn();
    kaitoGpuSkuPickerValidation(
      'Standard_Bogus',
      { addError } as any,
      {} as any,
    );
    expect(addError).toHaveBeenCalledWith(
      '"Standard_Bogus" is not in KAITO v0.12\'s SKU table',
    );
  });

  it('says why a V100 SKU fails on KAITO and offers the cheapest that fits the form\'s model', () => {
    const addError = jest.fn();
    kaitoGpuSkuPickerValidation('Standard_NC6s_v3', { addError } as any, {
      formData: { preset: 'phi-4-mini-instruct' },
      uiSchema: { 'ui:options': { mode: 'inference' } },
    } as any);
    expect(addError).toHaveBeenCalledWith(
      expect.stringMatching(
        /^"Standard_NC6s_v3" is not in KAITO v0\.12's SKU table \(KAITO's webhook lets an N- or D-series name through, then its controller fails with "Unsupported SKU 'Standard_NC6s_v3' for cloud provider"\); the cheapest SKU that fits is Standard_\w+ \(\$[\d.]+\/h\)$/,
      ),
    );
  });
});
