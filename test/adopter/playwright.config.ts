import { defineConfig, devices } from '@playwright/test';

/**
 * The adopter test's browser half: a Backstage app made by
 * @backstage/create-app with the suite installed from its tarballs as the
 * README says (scripts/lib/adopter.sh builds it, starts it and sets
 * ADOPTER_APP_URL). Chromium is Debian's.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['json']],
  outputDir: '../../test-results/adopter',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: process.env.ADOPTER_APP_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
});
