import { test, expect } from './fixtures';

test('guest signs in, finds the example components and their KAITO workspaces', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Support chatbot' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Code assistant' }),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('catalog.png'),
    fullPage: true,
  });

  // The simulator's demo seed: a succeeded tuning run and the endpoint serving its adapter.
  await page.goto('/catalog/default/component/support-chatbot/kaito');
  const workspaces = page.getByRole('table').first();
  await expect(workspaces.getByText('support-chatbot-tuning')).toBeVisible();
  await expect(workspaces.getByText('Succeeded')).toBeVisible();
  await expect(workspaces.getByText('Ready', { exact: true })).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('ai-workspaces.png'),
    fullPage: true,
  });

  // The one stuck on quota explains itself.
  await page.goto('/catalog/default/component/code-assistant/kaito');
  const stuck = page.getByRole('table').first();
  await expect(
    stuck.getByRole('link', { name: 'code-assistant' }),
  ).toBeVisible();
  await stuck.getByRole('link', { name: 'code-assistant' }).click();
  await expect(page.getByText(/quota/i).first()).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('quota.png'),
    fullPage: true,
  });

  // The GPU pools page has its own sidebar item.
  await nav.getByRole('link', { name: 'GPU pools' }).click();
  await expect(page).toHaveURL(/\/kaito\/gpu-pools$/);
  await expect(page.getByText('GPU node pools')).toBeVisible();
});
