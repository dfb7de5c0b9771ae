import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { findPreset } from '@kaito-backstage/plugin-kaito-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { presets } from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import {
  KaitoModelPicker,
  kaitoModelPickerValidation,
  offeredPresets,
  presetSizeText,
} from './KaitoModelPicker';

const server = setupServer();
registerMswTestHooks(server);

function props(overrides: Record<string, unknown> = {}) {
  return {
    onChange: jest.fn(),
    schema: { title: 'Base model' },
    uiSchema: {},
    rawErrors: [],
    required: true,
    disabled: false,
    idSchema: { $id: 'root_preset' },
    formData: undefined,
    formContext: { formData: {} },
    ...overrides,
  } as any;
}

async function openOptions() {
  const input = await screen.findByRole('combobox', { name: /Base model/ });
  await userEvent.click(input);
  return screen.findByRole('listbox');
}

describe('KaitoModelPicker', () => {
  beforeEach(() => {
    server.use(
      http.get(`${API}/catalog/presets`, () =>
        HttpResponse.json({ items: presets }),
      ),
    );
  });

  it('offers only tunable presets with tunableOnly, with their size', async () => {
    await renderKaito(
      <KaitoModelPicker
        {...props({ uiSchema: { 'ui:options': { tunableOnly: true } } })}
      />,
    );
    const listbox = await openOptions();
    await within(listbox).findByText('phi-3-mini-128k-instruct');
    expect(
      within(listbox).getByText('qwen2.5-coder-7b-instruct'),
    ).toBeInTheDocument();
    expect(
      within(listbox).queryByText('llama-3.1-8b-instruct'),
    ).not.toBeInTheDocument();
    expect(within(listbox).queryByText('gpt-oss-20b')).not.toBeInTheDocument();
    const options = within(listbox).getAllByRole('option');
    expect(options).toHaveLength(
      presets.filter(p => p.tunable && !p.deprecated).length,
    );
    expect(
      within(listbox).getAllByText(
        /microsoft\/Phi-3-mini-128k-instruct · 3.8B params · 7.1 GiB weights · 128k context/,
      ),
    ).toHaveLength(1);
  });

  it('offers every current preset without tunableOnly, and reports the choice', async () => {
    const p = props();
    await renderKaito(<KaitoModelPicker {...p} />);
    const listbox = await openOptions();
    await userEvent.click(
      await within(listbox).findByText('llama-3.1-8b-instruct'),
    );
    expect(p.onChange).toHaveBeenCalledWith('llama-3.1-8b-instruct');
    expect(offeredPresets(presets).some(x => x.deprecated)).toBe(false);
  });

  it('describes the selected preset', async () => {
    await renderKaito(<KaitoModelPicker {...props({ formData: 'phi-4' })} />);
    await waitFor(() =>
      expect(
        screen.getByText(
          `microsoft/phi-4 · ${presetSizeText(findPreset('phi-4')!)}`,
        ),
      ).toBeInTheDocument(),
    );
  });

  it('rejects presets KAITO cannot fine-tune when tunableOnly', () => {
    const addError = jest.fn();
    const context = {
      uiSchema: { 'ui:options': { tunableOnly: true } },
    } as any;
    kaitoModelPickerValidation(
      'llama-3.1-8b-instruct',
      { addError } as any,
      context,
    );
    expect(addError).toHaveBeenCalledWith(
      'KAITO cannot fine-tune llama-3.1-8b-instruct',
    );
    addError.mockClear();
    kaitoModelPickerValidation('phi-4', { addError } as any, context);
    expect(addError).not.toHaveBeenCalled();
    kaitoModelPickerValidation('nope', { addError } as any, context);
    expect(addError).toHaveBeenCalledWith('nope is not a KAITO preset');
  });
});
