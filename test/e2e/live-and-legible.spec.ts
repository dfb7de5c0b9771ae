import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Issue 16 end to end: the AI Workspaces tab follows a change made with
 * kubectl through Backstage signals alone (the app has signals, so nothing
 * polls), and the suite's tables read at a glance at 1280 and 1920 px: no
 * word breaks inside a cell, nothing wider than its card. The screenshots
 * stay in the test's output directory.
 */

const KUBECONFIG = path.resolve(__dirname, '../../.tools/run/kubeconfig');
const CODE_ASSISTANT = '/catalog/default/component/code-assistant/kaito';
const CHATBOT = '/catalog/default/component/support-chatbot/kaito';
const CHANNEL = 'kaito:entity:component:default/code-assistant';

function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, ...args], {
    input,
    encoding: 'utf8',
  });
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * Words of a table that the browser laid out across more than one line
 * (e.g. "Succee / ded"): each word's text range must sit on one line box.
 */
async function brokenWords(page: Page, table: string): Promise<string[]> {
  return page.getByRole('table', { name: table }).evaluate(element => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index!);
        range.setEnd(node, match.index! + match[0].length);
        const lines = new Set(
          [...range.getClientRects()]
            .filter(r => r.width > 0)
            .map(r => Math.round(r.top)),
        );
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

/** The table's card ends inside the page, and the page does not scroll sideways. */
async function fitsItsCard(page: Page, table: string) {
  const fits = await page.getByRole('table', { name: table }).evaluate(el => {
    const container = el.parentElement!;
    const card = container.parentElement!;
    const cardBox = card.getBoundingClientRect();
    return {
      pageOverflow:
        document.documentElement.scrollWidth -
        document.documentElement.clientWidth,
      cardRight: cardBox.right,
      viewport: document.documentElement.clientWidth,
      // Wider than the card: it scrolls inside it.
      scrollsInside:
        el.scrollWidth <= container.clientWidth ||
        getComputedStyle(container).overflowX === 'auto',
    };
  });
  expect(
    fits.pageOverflow,
    `${table}: the page scrolls sideways`,
  ).toBeLessThanOrEqual(0);
  expect(fits.cardRight).toBeLessThanOrEqual(fits.viewport);
  expect(fits.scrollsInside, `${table}: wider than its card`).toBe(true);
}

test.describe.configure({ mode: 'serial' });

test('a workspace created and deleted with kubectl shows up on the open tab through a signal, with nothing polling', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const name = `code-assistant-kubectl-${Date.now().toString(36)}`;
  const reads: number[] = [];
  const signals: { at: number; payload: string }[] = [];
  const subscriptions: string[] = [];
  page.on('request', request => {
    if (new URL(request.url()).pathname === '/api/kaito/workspaces') {
      reads.push(Date.now());
    }
  });
  page.on('websocket', ws => {
    ws.on('framesent', frame => subscriptions.push(String(frame.payload)));
    ws.on('framereceived', frame =>
      signals.push({ at: Date.now(), payload: String(frame.payload) }),
    );
  });
  const signalsOnChannel = (since: number) =>
    signals.filter(s => s.at >= since && s.payload.includes(`"${CHANNEL}"`));

  await signIn(page);
  await page.goto(CODE_ASSISTANT);
  const table = page.getByRole('table', { name: 'AI workspaces' });
  await expect(
    table.getByRole('link', { name: 'code-assistant', exact: true }),
  ).toBeVisible();
  await expect
    .poll(() => subscriptions.some(s => s.includes(CHANNEL)), {
      message: 'the tab subscribes to the entity channel',
    })
    .toBe(true);

  // Longer than the polling interval (5 s): no read, nothing polls.
  const quietFrom = reads.length;
  await page.waitForTimeout(6_500);
  expect(reads.length, 'reads while nothing changed').toBe(quietFrom);

  const applied = Date.now();
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: {
        name,
        namespace: 'ml-team',
        labels: { 'backstage.io/kubernetes-id': 'code-assistant' },
      },
      resource: {
        instanceType: 'Standard_NV36ads_A10_v5',
        labelSelector: { matchLabels: { apps: name } },
      },
      inference: { preset: { name: 'phi-3-mini-4k-instruct' } },
    }),
  );
  const row = table.getByRole('row').filter({
    has: page.getByRole('link', { name, exact: true }),
  });
  await expect(row).toBeVisible({ timeout: 15_000 });
  const shown = Date.now();
  const announced = signalsOnChannel(applied);
  expect(announced.length, 'signals on the entity channel').toBeGreaterThan(0);
  const firstSignal = announced[0].at;
  // The read that brought the row came after the signal, not from a timer.
  expect(reads.filter(t => t >= applied && t < firstSignal)).toEqual([]);
  expect(reads.some(t => t >= firstSignal && t <= shown)).toBe(true);
  // The signal names only what changed.
  expect(JSON.parse(announced[0].payload)).toEqual({
    channel: CHANNEL,
    message: { topics: expect.arrayContaining(['workspaces']) },
  });
  testInfo.annotations.push({
    type: 'push latency',
    description: `kubectl apply → signal ${
      firstSignal - applied
    } ms → row on the page ${shown - applied} ms`,
  });
  await page.screenshot({
    path: testInfo.outputPath('kubectl-workspace-pushed.png'),
    fullPage: true,
  });

  const deleted = Date.now();
  kubectl(['delete', 'workspace', name, '-n', 'ml-team', '--wait=false']);
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  expect(signalsOnChannel(deleted).length).toBeGreaterThan(0);
});

for (const width of [1280, 1920]) {
  test(`the suite's tables read at a glance at ${width} px`, async ({
    page,
  }, testInfo) => {
    // Two widths of five pages, and a cold compile of the scaffolder pages.
    test.setTimeout(360_000);
    await page.setViewportSize({ width, height: 1000 });
    const shot = (what: string) =>
      page.screenshot({
        path: testInfo.outputPath(`${what}-${width}.png`),
        fullPage: true,
      });
    await signIn(page);

    await page.goto(CHATBOT);
    await expect(
      page.getByRole('table', { name: 'AI workspaces' }).getByRole('link', {
        name: 'support-chatbot-tuning',
      }),
    ).toBeVisible();
    await expect(page.getByTestId('run-totals')).toBeVisible();
    for (const table of ['AI workspaces', 'Run history']) {
      expect(await brokenWords(page, table), `${table}: broken words`).toEqual(
        [],
      );
      await fitsItsCard(page, table);
    }
    await shot('tab-support-chatbot');
    await page
      .getByRole('table', { name: 'Run history' })
      .locator('xpath=ancestor::div[contains(@class,"MuiCard-root")][1]')
      .screenshot({ path: testInfo.outputPath(`run-history-${width}.png`) });

    await page.goto(CODE_ASSISTANT);
    const stuck = page.getByRole('table', { name: 'AI workspaces' });
    await expect(stuck.getByTestId('workspace-state').first()).toHaveText(
      'Provisioning',
    );
    await expect(stuck).toContainText('blocked');
    expect(await brokenWords(page, 'AI workspaces')).toEqual([]);
    await shot('tab-code-assistant');

    await page.goto(CHATBOT);
    await page.getByRole('link', { name: 'support-chatbot-tuning' }).click();
    await expect(
      page.getByRole('heading', { name: 'support-chatbot-tuning' }),
    ).toBeVisible();
    await expect(page.getByText('Training progress')).toBeVisible();
    for (const table of ['Pods', 'NodeClaims']) {
      expect(await brokenWords(page, table), `${table}: broken words`).toEqual(
        [],
      );
    }
    expect(
      await page.evaluate(
        () =>
          document.documentElement.scrollWidth -
          document.documentElement.clientWidth,
      ),
      'the detail scrolls sideways',
    ).toBeLessThanOrEqual(0);
    await shot('detail-tuning');

    await page.goto('/kaito/gpu-pools');
    await expect(
      page.getByRole('table', { name: 'GPU node pools' }),
    ).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'GPU node pools' }).getByText('gpua10'),
    ).toBeVisible();
    expect(await brokenWords(page, 'GPU node pools')).toEqual([]);
    await fitsItsCard(page, 'GPU node pools');
    await shot('gpu-pools');

    await page.goto(CHATBOT);
    await page.getByRole('link', { name: 'Fine-tune a model' }).click();
    await expect(
      page.getByRole('heading', { name: 'Fine-tune a model (KAITO)' }),
    ).toBeVisible({ timeout: 90_000 });
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('ML');
    await page.getByRole('option', { name: 'ML Engineering' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const model = page.getByRole('combobox', { name: 'Base model' });
    await model.click();
    await page
      .getByRole('option', { name: /^phi-3-mini-128k-instruct\b/ })
      .click();
    await expect(
      page
        .getByRole('radiogroup', { name: 'GPU SKU' })
        .getByRole('radio')
        .first(),
    ).toBeVisible();
    await shot('pickers');
  });
}
