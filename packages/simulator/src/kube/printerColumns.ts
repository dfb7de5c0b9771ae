/**
 * The building blocks of server-side table columns, as
 * pkg/printers/internalversion/printers.go formats cells: a column with its
 * cell function, `<none>`, container names and images, label selectors and
 * the pod-template columns of the workload types.
 */
import type { ComputedPrinterColumn } from './strategy';

type Obj = Record<string, any>;

export const NONE = '<none>';

export const column = (
  name: string,
  type: ComputedPrinterColumn['type'],
  jsonPath: string,
  cell: (obj: Obj, now: Date) => unknown,
  priority = 0,
  description = '',
): ComputedPrinterColumn => ({
  name,
  type,
  jsonPath,
  cell: cell as ComputedPrinterColumn['cell'],
  priority,
  description,
});

export const containerNames = (spec: Obj | undefined) =>
  (spec?.containers ?? []).map((c: Obj) => c.name).join(',');
export const containerImages = (spec: Obj | undefined) =>
  (spec?.containers ?? []).map((c: Obj) => c.image).join(',');

export function formatSelector(selector: Obj | undefined): string {
  if (!selector) {
    return NONE;
  }
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    parts.push(
      `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(
        ',',
      )})`,
    );
  }
  return parts.length ? parts.join(',') : NONE;
}

/**
 * The wide columns of workload tables: container names and images of the pod
 * template, and the pod selector.
 */
export function podTemplateColumns(
  selectorDescription: string,
): ComputedPrinterColumn[] {
  return [
    column(
      'Containers',
      'string',
      '.spec.template.spec.containers[*].name',
      o => containerNames(o.spec?.template?.spec),
      1,
      'Names of each container in the template.',
    ),
    column(
      'Images',
      'string',
      '.spec.template.spec.containers[*].image',
      o => containerImages(o.spec?.template?.spec),
      1,
      'Images referenced by each container in the template.',
    ),
    column(
      'Selector',
      'string',
      '.spec.selector',
      o => formatSelector(o.spec?.selector),
      1,
      selectorDescription,
    ),
  ];
}
