import { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

/**
 * The golden path of issue 6, end to end against the started app and
 * simulator: a guest (member of ml-team) fine-tunes a model for
 * component:default/support-chatbot through the fine-tune-model template and
 * its KAITO pickers, watches the run on the AI Workspaces tab, serves the
 * adapter with "Serve this model" (deploy-inference, prefilled) and chats
 * with it. Every stage leaves a screenshot in the test's output directory.
 *
 * Runs after app.spec.ts (files run in name order with one worker) and
 * deletes the two workspaces it created at the end, so app.spec.ts and a
 * second run find the demo seed as it was.
 */

const ENTITY_REF = 'component:default/support-chatbot';
const ENTITY_TAB = '/catalog/default/component/support-chatbot/kaito';
const PRESET = 'phi-3-mini-128k-instruct';
const TUNING_SKU = 'Standard_NC24ads_A100_v4';
const ADAPTER_IMAGE = 'kaitodemo.azurecr.io/adapters/tuned-model:v1';

/** The entity tab's workspaces table (the run history comes after it). */
function workspacesTable(page: Page): Locator {
  return page.getByRole('table').first();
}

/** The names of the workspaces on the tab whose name starts with `prefix`. */
async function workspaceNames(page: Page, prefix: string): Promise<string[]> {
  const names = await workspacesTable(page)
    .getByRole('link', { name: new RegExp(`^${prefix}`) })
    .allInnerTexts();
  return names.map(n => n.trim());
}

/** A workspace's row on the tab. */
function workspaceRow(page: Page, name: string): Locator {
  return workspacesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

/**
 * The tab updates when kaito-backend signals a change (Backstage signals),
 * and re-reads when the browser tab becomes visible again. The watcher also
 * asks for that re-read (as switching back to the browser tab would), so
 * the test does not depend on the push alone (live-and-legible.spec.ts
 * checks the push).
 */
async function refreshTab(page: Page): Promise<void> {
  await page.evaluate(() =>
    document.dispatchEvent(new Event('visibilitychange')),
  );
}

test.use({ actionTimeout: 30_000 });

test('guest fine-tunes a model with the pickers, serves the adapter and chats with it', async ({
  page,
  context,
}, testInfo) => {
  // Two template runs (tuning about 20 s, serving about 10 s at time scale
  // 120) plus a cold dev-server compile of the scaffolder pages.
  test.setTimeout(6 * 60_000);

  let shots = 0;
  const shot = async (stage: string, on: Page = page) => {
    shots += 1;
    const file = `${String(shots).padStart(2, '0')}-${stage}.png`;
    await on.screenshot({ path: testInfo.outputPath(file), fullPage: true });
  };

  await test.step('sign in as guest', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
  });

  // A second browser tab keeps the entity's AI Workspaces tab open, as a
  // user watching the run would.
  const watcher = await context.newPage();
  await test.step('open the AI Workspaces tab of support-chatbot', async () => {
    await watcher.goto(ENTITY_TAB);
    await expect(
      workspacesTable(watcher).getByRole('link', {
        name: 'support-chatbot-tuning',
      }),
    ).toBeVisible();
    await shot('ai-workspaces-before', watcher);
  });

  await test.step('fine-tune-model: owner and target', async () => {
    await page.goto(ENTITY_TAB);
    await page.getByRole('link', { name: 'Fine-tune a model' }).click();
    await expect(
      page.getByRole('heading', { name: 'Fine-tune a model (KAITO)' }),
    ).toBeVisible({ timeout: 90_000 });
    // Prefilled from the entity by the tab's button.
    await expect(page.getByRole('textbox', { name: 'Component' })).toHaveValue(
      ENTITY_REF,
    );
    await expect(page.getByRole('textbox', { name: 'Namespace' })).toHaveValue(
      'ml-team',
    );
    await expect(page.getByRole('textbox', { name: 'Cluster' })).toHaveValue(
      'aks-kaito-dev',
    );
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('ML');
    await page.getByRole('option', { name: 'ML Engineering' }).click();
    await shot('fine-tune-owner-and-target');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  await test.step('fine-tune-model: KaitoModelPicker and KaitoGpuSkuPicker', async () => {
    const model = page.getByRole('combobox', { name: 'Base model' });
    await expect(model).toBeVisible();
    await model.click();
    // tunableOnly: every preset offered can be fine-tuned.
    const options = page.getByRole('option');
    await expect(options.first()).toBeVisible();
    const offered = await options.allInnerTexts();
    expect(offered.length).toBeGreaterThan(1);
    for (const option of offered) {
      expect(option).toContain('tunable: lora/qlora');
    }
    await page
      .getByRole('option', { name: new RegExp(`^${PRESET}\\b`) })
      .click();
    await expect(model).toHaveValue(PRESET);
    await expect(
      page.getByText(`microsoft/Phi-3-mini-128k-instruct · 3.8B params`),
    ).toBeVisible();

    // The SKU picker reads the model and method from the form and lists
    // the SKUs that fit, cheapest first, with price and quota.
    const skus = page.getByRole('radiogroup', { name: 'GPU SKU' });
    await expect(
      page.getByText(
        new RegExp(`SKUs fit ${PRESET} for tuning \\(qlora\\), cheapest first`),
      ),
    ).toBeVisible();
    // The backend's recommendation (the cheapest fit) is preselected.
    const sku = skus.getByRole('radio', { name: new RegExp(`^${TUNING_SKU}`) });
    await expect(sku).toBeChecked();
    await expect(
      skus.getByRole('radio', { name: /Recommended/ }),
    ).toHaveAttribute('value', TUNING_SKU);
    await expect(skus.getByRole('radio', { checked: true })).toHaveCount(1);
    // LoRA trains in bf16: the list follows the method field.
    await page.getByRole('button', { name: /^Method/ }).click();
    await page.getByRole('option', { name: 'LoRA', exact: true }).click();
    await expect(
      page.getByText(new RegExp(`SKUs fit ${PRESET} for tuning \\(lora\\)`)),
    ).toBeVisible();
    await page.getByRole('button', { name: /^Method/ }).click();
    await page
      .getByRole('option', { name: 'QLoRA (4-bit base model)' })
      .click();
    await expect(
      page.getByText(new RegExp(`SKUs fit ${PRESET} for tuning \\(qlora\\)`)),
    ).toBeVisible();
    await sku.check();
    await expect(sku).toBeChecked();
    await shot('fine-tune-model-and-gpu');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  await test.step('fine-tune-model: data, serve, review', async () => {
    await expect(
      page.getByRole('textbox', { name: 'Adapter image' }),
    ).toHaveValue(ADAPTER_IMAGE);
    await page.getByRole('button', { name: 'Next' }).click();
    // The adapter is served through "Serve this model" below, not by this run.
    await page
      .getByRole('checkbox', { name: 'Serve the tuned model' })
      .uncheck();
    await page.getByRole('button', { name: 'Review' }).click();
    for (const value of [
      ENTITY_REF,
      'group:default/ml-team',
      PRESET,
      TUNING_SKU,
    ]) {
      await expect(
        page.getByRole('cell', { name: value, exact: true }),
      ).toBeVisible();
    }
    await shot('fine-tune-review');
  });

  let tuning = '';
  await test.step('watch the run on the AI Workspaces tab: provisioning to succeeded', async () => {
    await refreshTab(watcher);
    const before = new Set(
      await workspaceNames(watcher, 'support-chatbot-tune-'),
    );

    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/create\/tasks\//);

    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          await refreshTab(watcher);
          if (!tuning) {
            const fresh = (
              await workspaceNames(watcher, 'support-chatbot-tune-')
            ).filter(n => !before.has(n));
            if (fresh.length === 0) return 'not created yet';
            tuning = fresh[0];
          }
          const state = (
            await workspaceRow(watcher, tuning)
              .getByTestId('workspace-state')
              .innerText()
          ).trim();
          if (seen[seen.length - 1] !== state) {
            seen.push(state);
            if (state === 'Provisioning') {
              await shot('tuning-provisioning', watcher);
            } else if (state === 'Running') {
              await shot('fine-tune-task-running');
            }
          }
          return state;
        },
        {
          message: 'the new tuning workspace reaches Succeeded on the tab',
          timeout: 180_000,
          intervals: [250],
        },
      )
      .toBe('Succeeded');
    await shot('tuning-succeeded', watcher);
    testInfo.annotations.push({
      type: 'tuning states on the tab',
      description: `${tuning}: ${seen.join(' → ')}`,
    });
    expect(seen, `states of ${tuning} on the tab`).toContain('Provisioning');
    expect(seen.indexOf('Provisioning')).toBeLessThan(
      seen.indexOf('Succeeded'),
    );
    expect(seen).not.toContain('Failed');
    const row = workspaceRow(watcher, tuning);
    await expect(row).toContainText('tuning');
    await expect(row).toContainText(PRESET);
    await expect(row).toContainText('qlora');
    await expect(row).toContainText(TUNING_SKU);
  });

  await test.step('the fine-tune-model task finishes with its output', async () => {
    await expect(
      page.getByRole('heading', { name: 'Fine-tuning result' }),
    ).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText(`ml-team/${tuning}`).first()).toBeVisible();
    await expect(page.getByText('provisioned by KAITO').first()).toBeVisible();
    await expect(page.getByText(ADAPTER_IMAGE).first()).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'AI Workspaces' }),
    ).toBeVisible();
    await shot('fine-tune-task-done');
  });

  await test.step('Serve this model', async () => {
    await page.getByRole('link', { name: 'Fine-tuning run' }).click();
    await expect(page.getByRole('heading', { name: tuning })).toBeVisible();
    await expect(page.getByTestId('workspace-state').first()).toHaveText(
      'Succeeded',
    );
    const serve = page.getByRole('link', { name: 'Serve this model' });
    await expect(serve).toBeVisible();
    await shot('tuning-run-detail');
    await serve.click();
    await expect(
      page.getByRole('heading', { name: 'Deploy a model endpoint (KAITO)' }),
    ).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole('textbox', { name: 'Component' })).toHaveValue(
      ENTITY_REF,
    );
    await expect(page.getByRole('textbox', { name: 'Cluster' })).toHaveValue(
      'aks-kaito-dev',
    );
    await expect(page.getByRole('textbox', { name: 'Namespace' })).toHaveValue(
      'ml-team',
    );
    await shot('deploy-inference-prefilled');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  let inferenceSku = '';
  await test.step('deploy-inference: KaitoModelPicker and KaitoGpuSkuPicker', async () => {
    await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue(
      PRESET,
    );
    await expect(
      page.getByText(
        new RegExp(`SKUs fit ${PRESET} for inference, cheapest first`),
      ),
    ).toBeVisible();
    // Take the picker's recommendation (the cheapest SKU that fits).
    const skus = page.getByRole('radiogroup', { name: 'GPU SKU' });
    const recommended = skus.getByRole('radio', { name: /Recommended/ });
    await expect(recommended).toHaveCount(1);
    inferenceSku = (await recommended.getAttribute('value')) ?? '';
    expect(inferenceSku).toMatch(/^Standard_/);
    await recommended.check();
    await expect(recommended).toBeChecked();
    await shot('deploy-inference-model-and-gpu');
    await page.getByRole('button', { name: 'Next' }).click();

    // The adapter the tuning run pushed, named after the run.
    await expect(
      page.getByRole('textbox', { name: 'Adapter image' }),
    ).toHaveValue(ADAPTER_IMAGE);
    await expect(
      page.getByRole('textbox', { name: 'Adapter name' }),
    ).toHaveValue(tuning);
    await page.getByRole('button', { name: 'Review' }).click();
    for (const value of [
      ENTITY_REF,
      PRESET,
      inferenceSku,
      ADAPTER_IMAGE,
      tuning,
    ]) {
      await expect(
        page.getByRole('cell', { name: value, exact: true }),
      ).toBeVisible();
    }
    await shot('deploy-inference-review');
  });

  await test.step('the deploy-inference task brings the endpoint up', async () => {
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/create\/tasks\//);
    await expect(
      page.getByRole('link', { name: 'Chat with the model' }),
    ).toBeVisible({
      timeout: 180_000,
    });
    await expect(page.getByText(ADAPTER_IMAGE).first()).toBeVisible();
    await shot('deploy-inference-task-done');
  });

  let serving = '';
  await test.step('the endpoint serves the adapter', async () => {
    await page.getByRole('link', { name: 'Inference endpoint' }).click();
    const heading = page.getByRole('heading', {
      name: /^support-chatbot-serve-/,
    });
    await expect(heading).toBeVisible();
    serving = (await heading.innerText()).trim();
    await expect(page.getByTestId('workspace-state').first()).toHaveText(
      'Ready',
    );
    const adapters = page.getByRole('table', { name: 'Adapters' });
    await expect(
      adapters.getByRole('cell', { name: tuning, exact: true }),
    ).toBeVisible();
    await expect(
      adapters.getByRole('cell', { name: ADAPTER_IMAGE }),
    ).toBeVisible();
    await expect(page.getByText(inferenceSku).first()).toBeVisible();
    await shot('endpoint-overview');
  });

  await test.step('chat with the tuned model', async () => {
    await page.getByRole('tab', { name: 'Chat' }).click();
    const message = page.getByRole('textbox', { name: 'Message' });
    await expect(message).toBeEnabled();
    const question = 'How do I reset my password?';
    await message.fill(question);
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByTestId('chat-message-assistant').last();
    await expect(answer).toContainText(`You said: ${question}`);
    await expect(answer).not.toHaveAttribute('aria-busy', 'true');
    await shot('chat-answer');
    // The endpoint serves the base model and the tuned adapter (see the
    // Adapters table above); the playground of a workspace serving an
    // adapter must answer with it. Soft, so the clean-up still runs.
    await expect
      .soft(answer, 'the chat answer comes from the tuned adapter')
      .toContainText(`[${PRESET} + adapter ${tuning}] You said: ${question}`, {
        timeout: 5_000,
      });
  });

  await test.step('clean up: delete the two workspaces', async () => {
    await watcher.close();
    await page.goto(ENTITY_TAB);
    const created = [tuning, serving];
    for (const name of created) {
      await page
        .getByRole('button', { name: `Delete workspace ${name}` })
        .click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toContainText(`Delete workspace ${name}?`);
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await expect(dialog).toBeHidden();
    }
    await expect
      .poll(
        async () => {
          await refreshTab(page);
          return (await workspaceNames(page, 'support-chatbot-')).filter(n =>
            created.includes(n),
          );
        },
        { timeout: 60_000, intervals: [500] },
      )
      .toEqual([]);
  });
});
