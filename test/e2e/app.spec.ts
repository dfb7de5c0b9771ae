import { test, expect } from '@playwright/test';

test('guest signs in and finds the example components in the catalog', async ({
  page,
}, testInfo) => {
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();

  await expect(page.getByRole('link', { name: 'Support chatbot' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Code assistant' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('catalog.png'), fullPage: true });

  await page.getByRole('link', { name: 'Support chatbot' }).click();
  await expect(page.getByText('ML Engineering').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('support-chatbot.png'), fullPage: true });
});
