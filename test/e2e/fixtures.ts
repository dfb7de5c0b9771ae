import { writeFile } from 'node:fs/promises';
import { test as base, expect, ConsoleMessage } from '@playwright/test';

/**
 * Playwright's `test` with a console check: every console error and warning
 * of every page of the test is kept (attached as `console.txt`), and the
 * test fails on those whose text or component stack names one of the
 * suite's packages, i.e. warnings raised in (or caused by) our own
 * components. The rest are Backstage's, React's or MUI's own and are only
 * recorded.
 */

/** Where our code shows in a message: dev-server paths or package names. */
const OURS =
  /plugins\/(kaito|scaffolder-backend-module-kaito|catalog-backend-module-kaito)\b|@kaito-backstage\//;

export interface ConsoleRecord {
  type: string;
  text: string;
  url: string;
}

/** Whether a console message is about our code. */
export function namesOurPackages(record: ConsoleRecord): boolean {
  return OURS.test(record.text);
}

export const test = base.extend<{ consoleRecords: ConsoleRecord[] }>({
  consoleRecords: [
    async ({ context }, use, testInfo) => {
      const records: ConsoleRecord[] = [];
      const onConsole = (message: ConsoleMessage) => {
        if (message.type() !== 'error' && message.type() !== 'warning') return;
        records.push({
          type: message.type(),
          text: message.text(),
          url: message.page()?.url() ?? '',
        });
      };
      context.on('console', onConsole);
      await use(records);
      context.off('console', onConsole);
      const body = records
        .map(r => `[${r.type}] ${r.url}\n${r.text}`)
        .join('\n\n');
      // Beside the screenshots, and in the report.
      await writeFile(testInfo.outputPath('console.txt'), body);
      await testInfo.attach('console.txt', { body, contentType: 'text/plain' });
      const ours = records.filter(namesOurPackages);
      testInfo.annotations.push({
        type: 'console',
        description: `${records.length} errors/warnings, ${ours.length} naming our packages`,
      });
      expect(
        ours.map(
          r => `${r.url}: ${r.text.split('\n').slice(0, 12).join('\n')}`,
        ),
        'console errors and warnings from our own components',
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
