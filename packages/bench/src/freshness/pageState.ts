import type { Page } from '@playwright/test';

/*
 * Where a page shows a workspace's state, read in the page itself: a
 * MutationObserver notes the first moment (the page's Date.now(), the same
 * clock as the benchmark's on one machine) each new value appears, so a
 * sample's end is when the DOM had it, not when the benchmark looked.
 */
/**
 * Which page: the KAITO tab (the state of `workspace`'s row in the AI
 * workspaces table) or the Kubernetes plugin's tab (the `State` row of the
 * status table of the workspace's custom-resource accordion, expanded
 * beforehand).
 */
export type StateProbe =
  | { tab: 'kaito'; workspace: string }
  | { tab: 'kubernetes' };

/** Starts noting the times the probed state changes. */
export async function watchState(page: Page, probe: StateProbe): Promise<void> {
  await page.evaluate(p => {
    const read = (): string | null => {
      if (p.tab === 'kaito') {
        const table = document.querySelector(
          'table[aria-label="AI workspaces"]',
        );
        const row = table
          ? [...table.querySelectorAll('tbody tr')].find(
              tr => tr.querySelector('a')?.textContent?.trim() === p.workspace,
            )
          : undefined;
        return (
          row
            ?.querySelector('[data-testid="workspace-state"]')
            ?.textContent?.trim() ?? null
        );
      }
      for (const row of document.querySelectorAll('tr')) {
        const cells = row.querySelectorAll('td, th');
        if (cells.length >= 2 && cells[0].textContent?.trim() === 'State') {
          return cells[1].textContent?.trim() ?? null;
        }
      }
      return null;
    };
    const w = window as unknown as {
      __kaitoBenchStates: { state: string | null; at: number }[];
    };
    w.__kaitoBenchStates = [{ state: read(), at: Date.now() }];
    const note = () => {
      const state = read();
      const last = w.__kaitoBenchStates[w.__kaitoBenchStates.length - 1];
      if (state !== last.state) {
        w.__kaitoBenchStates.push({ state, at: Date.now() });
      }
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  }, probe);
}

/** When the page first showed `state` after `since` (epoch ms), once it has. */
export async function shownAt(
  page: Page,
  state: string,
  since: number,
  timeoutMs: number,
): Promise<number> {
  const handle = await page.waitForFunction(
    ([wanted, after]) => {
      const states = (
        window as unknown as {
          __kaitoBenchStates: { state: string | null; at: number }[];
        }
      ).__kaitoBenchStates;
      return states.find(s => s.state === wanted && s.at >= after)?.at ?? false;
    },
    [state, since] as const,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

/** The state the page shows now. */
export async function currentState(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const states = (
      window as unknown as {
        __kaitoBenchStates: { state: string | null; at: number }[];
      }
    ).__kaitoBenchStates;
    return states[states.length - 1].state;
  });
}
