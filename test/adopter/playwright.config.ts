import { defineConfig } from '@playwright/test';
import e2e from '../e2e/playwright.config';

/**
 * The adopter test's browser half, with the e2e tests' settings (Debian's
 * Chromium and its flags): a Backstage app made by @backstage/create-app with
 * the suite installed from its tarballs as the README says.
 * scripts/lib/adopter.sh builds and starts it and sets ADOPTER_APP_URL.
 */
export default defineConfig({
  ...e2e,
  testDir: '.',
  outputDir: '../../test-results/adopter',
  use: { ...e2e.use, baseURL: process.env.ADOPTER_APP_URL },
});
