/**
 * What a correct answer of each measured endpoint looks like. A wrong answer
 * makes the figures meaningless, so the benchmark stops on one.
 */

export interface ExpectedAnswer {
  /** The entity's workspaces over all clusters. */
  workspaces: number;
  clusters: number;
}

/** kaito-backend `GET /workspaces?entityRef=`: every workspace, no errors. */
export function kaitoListProblem(
  status: number,
  body: any,
  expected: ExpectedAnswer,
): string | undefined {
  if (
    status === 200 &&
    body?.items?.length === expected.workspaces &&
    body.errors?.length === 0
  ) {
    return undefined;
  }
  return `kaito-backend workspace list: unexpected answer (HTTP ${status}): ${JSON.stringify(
    body,
  ).slice(0, 500)}`;
}

/**
 * The Kubernetes plugin's custom-resource query: one item per cluster, no
 * errors, and the entity's workspaces over all of them.
 */
export function kubernetesQueryProblem(
  status: number,
  body: any,
  expected: ExpectedAnswer,
): string | undefined {
  const items: any[] = body?.items ?? [];
  const found = items.reduce(
    (n, item) =>
      n +
      (item.resources ?? []).reduce(
        (m: number, res: any) => m + (res.resources?.length ?? 0),
        0,
      ),
    0,
  );
  if (
    status === 200 &&
    items.length === expected.clusters &&
    items.every(item => (item.errors ?? []).length === 0) &&
    found === expected.workspaces
  ) {
    return undefined;
  }
  return `Kubernetes plugin custom-resource query: unexpected answer (HTTP ${status}): ${JSON.stringify(
    body,
  ).slice(0, 500)}`;
}
