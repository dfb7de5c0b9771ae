import { test, expect, Page, Response } from '@playwright/test';

/**
 * Backstage's own Kubernetes tab (@backstage/plugin-kubernetes, already in the
 * dev app) on the demo seed, against the simulator as against AKS.
 *
 * support-chatbot maps to its workspaces by `backstage.io/kubernetes-id`, the
 * label the suite puts on the Workspaces it creates. KAITO v0.12 labels the
 * pods of a workspace only `kaito.sh/workspace=<workspace>` (and leaves its
 * StatefulSet and Services unlabelled), so no label selector finds both an
 * entity's Workspaces and their pods: the component's tab must load without
 * an error and show its Workspaces; the pods show on the endpoint entity the
 * catalog module publishes for the `support-chatbot` workspace, whose
 * selector is `kaito.sh/workspace=support-chatbot`, and that entity's AI
 * Workspaces tab shows the same workspace and pod.
 */

const CLUSTER = 'AKS with KAITO (simulator)';
const COMPONENT = '/catalog/default/component/support-chatbot';
const ENDPOINT =
  '/catalog/default/resource/support-chatbot.ml-team.aks-kaito-dev';
const PROBLEM = 'There was a problem retrieving Kubernetes objects';

/** What the Kubernetes tab fetched: the plugin's `/services/:id` answer. */
function kubernetesObjects(page: Page): Promise<Response> {
  return page.waitForResponse(
    r =>
      r.url().includes('/api/kubernetes/services/') &&
      r.request().method() === 'POST',
    { timeout: 60_000 },
  );
}

interface ClusterObjects {
  cluster: { name: string };
  errors: unknown[];
  resources: Array<{ type: string; resources: any[] }>;
}

function namesOf(objects: ClusterObjects, type: string): string[] {
  return objects.resources
    .filter(r => r.type === type)
    .flatMap(r => r.resources.map(o => o.metadata.name as string))
    .sort();
}

test('the Kubernetes tab shows no error, and the workspace pods on the endpoint entity', async ({
  page,
}, testInfo) => {
  test.setTimeout(5 * 60_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  await test.step('support-chatbot: no error, its Workspaces listed', async () => {
    const fetched = kubernetesObjects(page);
    await page.goto(`${COMPONENT}/kubernetes`);
    const response = await fetched;
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: ClusterObjects[] };
    expect(items).toHaveLength(1);
    expect(items[0].errors).toEqual([]);
    expect(namesOf(items[0], 'customresources')).toEqual([
      'support-chatbot',
      'support-chatbot-tuning',
    ]);
    expect(namesOf(items[0], 'pods')).toEqual([]);

    await expect(page.getByText(CLUSTER)).toBeVisible();
    await expect(page.getByText(PROBLEM)).toHaveCount(0);
    await page.getByText(CLUSTER).click();
    await expect(
      page.getByText('support-chatbot-tuning').first(),
    ).toBeVisible();
    await shot('component-kubernetes-tab.png');
  });

  await test.step('the endpoint entity lists the support-chatbot workspace pod', async () => {
    // The catalog module publishes the entity on one of its first refreshes
    // after start; until then the page says the entity is not found.
    const heading = page.getByRole('heading', {
      name: /endpoint for Support chatbot/,
    });
    await expect
      .poll(
        async () => {
          await page.goto(ENDPOINT);
          return heading.waitFor({ timeout: 15_000 }).then(
            () => true,
            () => false,
          );
        },
        { timeout: 180_000, intervals: [2_000] },
      )
      .toBe(true);

    const fetched = kubernetesObjects(page);
    await page.goto(`${ENDPOINT}/kubernetes`);
    const response = await fetched;
    const { items } = (await response.json()) as { items: ClusterObjects[] };
    expect(items).toHaveLength(1);
    expect(items[0].errors).toEqual([]);
    expect(namesOf(items[0], 'pods')).toEqual(['support-chatbot-0']);

    await expect(page.getByText(CLUSTER)).toBeVisible();
    await expect(page.getByText(PROBLEM)).toHaveCount(0);
    await expect(page.getByText('1 pod')).toBeVisible();
    await expect(page.getByText('No pods with errors')).toBeVisible();
    await shot('endpoint-kubernetes-tab.png');
  });

  await test.step("the endpoint's AI Workspaces tab shows the same workspace and pod", async () => {
    await page.goto(`${ENDPOINT}/kaito`);
    const table = page.getByRole('table').first();
    await expect(
      table.getByRole('link', { name: 'support-chatbot', exact: true }),
    ).toBeVisible();
    await expect(
      table.getByRole('link', { name: 'support-chatbot-tuning' }),
    ).toHaveCount(0);
    await table
      .getByRole('link', { name: 'support-chatbot', exact: true })
      .click();
    await expect(page.getByText('support-chatbot-0').first()).toBeVisible();
    await shot('endpoint-ai-workspaces-tab.png');
  });
});
