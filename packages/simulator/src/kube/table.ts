/**
 * Server-side printing: the `meta.k8s.io/v1` Table that `kubectl get` asks for
 * with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns are NAME,
 * the type's printer columns for the requested version, then AGE (unless the
 * type lists its own creationTimestamp column, as Karpenter's CRDs do).
 */
import type { KubeObject, PrinterColumn, ResourceType } from './api';
import { timestampAge } from './humanDuration';
import { compileJsonPath, type CompiledJsonPath } from './jsonPath';
import type { ComputedPrinterColumn, ResourceStrategy } from './strategy';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: {
    resourceVersion?: string;
    continue?: string;
    remainingItemCount?: number;
  };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

interface ColumnPrinter {
  definition: TableColumnDefinition;
  cell(obj: KubeObject, now: Date): unknown;
}

const isComputed = (column: PrinterColumn): column is ComputedPrinterColumn =>
  typeof (column as ComputedPrinterColumn).cell === 'function';

const compiled = new Map<string, CompiledJsonPath>();
function jsonPath(source: string): CompiledJsonPath {
  let path = compiled.get(source);
  if (!path) {
    path = compileJsonPath(source);
    compiled.set(source, path);
  }
  return path;
}

/** cellForJSONValue and the string printing of the CRD table convertor. */
function crdCell(column: PrinterColumn, obj: KubeObject, now: Date): unknown {
  const results = jsonPath(column.jsonPath).evaluate(obj);
  if (results.length === 0 || results[0] === undefined || results[0] === null) {
    return null;
  }
  const value = results[0];
  switch (column.type) {
    case 'string':
      if (typeof value === 'object') {
        return JSON.stringify(value);
      }
      return String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? timestampAge(value, now) : null;
    default:
      return null;
  }
}

const definitionOf = (column: PrinterColumn): TableColumnDefinition => ({
  name: column.name,
  type: column.type,
  format: '',
  description: column.description ?? '',
  priority: column.priority ?? 0,
});

function columnPrinters(
  type: ResourceType,
  version: string,
  strategy: ResourceStrategy,
): ColumnPrinter[] {
  if (strategy.tableColumns) {
    return strategy.tableColumns.map(column => ({
      definition: definitionOf(column),
      cell: (obj, now) => column.cell(obj, now),
    }));
  }
  const columns =
    type.printerColumnsByVersion?.[version] ?? type.printerColumns ?? [];
  const printers: ColumnPrinter[] = [
    {
      definition: {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: NAME_DESCRIPTION,
        priority: 0,
      },
      cell: obj => obj.metadata.name,
    },
    ...columns.map(column => ({
      definition: definitionOf(column),
      cell: (obj: KubeObject, now: Date) =>
        isComputed(column) ? column.cell(obj, now) : crdCell(column, obj, now),
    })),
  ];
  const listsAge = columns.some(
    c => c.type === 'date' && c.jsonPath === '.metadata.creationTimestamp',
  );
  if (!listsAge) {
    printers.push({
      definition: {
        name: 'Age',
        type: 'date',
        format: '',
        description: AGE_DESCRIPTION,
        priority: 0,
      },
      cell: (obj, now) => timestampAge(obj.metadata.creationTimestamp, now),
    });
  }
  return printers;
}

export interface TableOptions {
  type: ResourceType;
  version: string;
  strategy: ResourceStrategy;
  tableVersion: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  /** Omit columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
  now?: Date;
  listMeta?: Table['metadata'];
}

export function partialObjectMetadata(
  obj: KubeObject,
  metaVersion: 'v1' | 'v1beta1' = 'v1',
) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${metaVersion}`,
    metadata: obj.metadata,
  };
}

export function toTable(objects: KubeObject[], options: TableOptions): Table {
  const now = options.now ?? new Date();
  const printers = columnPrinters(
    options.type,
    options.version,
    options.strategy,
  );
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: options.listMeta ?? {},
    columnDefinitions: options.noHeaders
      ? null
      : printers.map(p => p.definition),
    rows: objects.map(obj => {
      const row: TableRow = { cells: printers.map(p => p.cell(obj, now)) };
      if (options.includeObject === 'Object') {
        row.object = obj;
      } else if (options.includeObject === 'Metadata') {
        row.object = partialObjectMetadata(obj, options.tableVersion);
      }
      return row;
    }),
  };
}
