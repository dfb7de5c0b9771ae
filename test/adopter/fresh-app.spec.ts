import { test, expect, type Page } from '@playwright/test';

/*
 * A new Backstage app (create-app, the release in backstage.json) with the
 * suite installed from its packed tarballs and wired exactly as the README's
 * "Adding the suite to your own Backstage app" says, against the simulator's
 * demo seed. Nothing here knows our dev app.
 */

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Create' }),
  ).toBeVisible();
}

test('the AI Workspaces tab of an annotated component lists the demo workspaces', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'support-chatbot' }).click();
  // The tab sits in the entity page's Deployment group.
  await page.getByRole('button', { name: 'Deployment' }).click();
  await page.getByRole('menuitemradio', { name: 'AI Workspaces' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/support-chatbot\/kaito/,
  );

  const workspaces = page.getByRole('table').first();
  await expect(
    workspaces.getByRole('link', { name: 'support-chatbot-tuning' }),
  ).toBeVisible();
  await expect(
    workspaces.getByRole('link', { name: 'support-chatbot', exact: true }),
  ).toBeVisible();
  await expect(workspaces.getByText('Succeeded')).toBeVisible();
  await expect(workspaces.getByText('Ready', { exact: true })).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('ai-workspaces-tab.png'),
    fullPage: true,
  });
});

test('the fine-tune-model template is offered and its KAITO pickers load from the backend', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  // The template's card: the innermost element holding both its title and
  // a Choose button (document order puts it after its ancestors).
  const card = page
    .locator('div')
    .filter({
      has: page.getByRole('heading', { name: 'Fine-tune a model (KAITO)' }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
  await expect(card).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('templates.png'),
    fullPage: true,
  });
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/fine-tune-model/);

  // The second page uses KaitoModelPicker: it renders only when the app
  // registered the suite's scaffolder fields, and its helper text comes from
  // the backend's preset catalog.
  const formData = encodeURIComponent(
    JSON.stringify({
      entityRef: 'component:default/support-chatbot',
      owner: 'group:default/guests',
    }),
  );
  await page.goto(
    `/create/templates/default/fine-tune-model?formData=${formData}`,
  );
  // A Next clicked while the form is still settling (the template and the
  // prefilled entity loading) can leave it on the first step: click again
  // only while the second step has not appeared.
  const baseModel = page.getByRole('combobox', { name: 'Base model' });
  await expect(async () => {
    if (!(await baseModel.isVisible())) {
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await expect(baseModel).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(baseModel).toHaveValue(/phi-3-mini-128k-instruct|Phi-3/i);
  await expect(
    page.getByText(/microsoft\/Phi-3-mini-128k-instruct/i),
  ).toBeVisible();
  // KaitoGpuSkuPicker: the SKUs that fit, with the backend's recommendation.
  await expect(page.getByText('Recommended')).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('fine-tune-model-form.png'),
    fullPage: true,
  });
});
