/** Every ported row, in the order of the Go files. */
import { e2eRows } from './e2eRows';
import type { TableRow } from './tableRow';
import {
  v1alpha1AdapterRows,
  v1alpha1ConfigRows,
  v1alpha1InferenceRows,
  v1alpha1InferenceUpdateRows,
  v1alpha1ResourceRows,
  v1alpha1ResourceUpdateRows,
  v1alpha1TuningRows,
  v1alpha1UrlScopeRows,
  v1alpha1WorkspaceRows,
} from './v1alpha1Rows';
import {
  adapterRows,
  inferenceConfigRows,
  inferenceCreateRows,
  inferenceUpdateRows,
} from './v1beta1InferenceRows';
import {
  migModelFitRows,
  partitionRows,
  resourceCreateRows,
  resourceUpdateRows,
} from './v1beta1ResourceRows';
import {
  dataDestinationCreateRows,
  dataDestinationUpdateRows,
  dataSourceCreateRows,
  dataSourceUpdateRows,
  tuningCreateRows,
  tuningUpdateRows,
} from './v1beta1TuningRows';
import {
  annotationRows,
  napFeatureGateRows,
  nodeClassRows,
  workspaceCreateRows,
  workspaceNameRows,
  workspaceUpdateRows,
} from './v1beta1WorkspaceRows';

export const allRows: TableRow[] = [
  ...resourceCreateRows,
  ...migModelFitRows,
  ...partitionRows,
  ...resourceUpdateRows,
  ...inferenceCreateRows,
  ...adapterRows,
  ...inferenceUpdateRows,
  ...workspaceCreateRows,
  ...workspaceNameRows,
  ...annotationRows,
  ...nodeClassRows,
  ...napFeatureGateRows,
  ...workspaceUpdateRows,
  ...tuningCreateRows,
  ...tuningUpdateRows,
  ...dataSourceCreateRows,
  ...dataSourceUpdateRows,
  ...dataDestinationCreateRows,
  ...dataDestinationUpdateRows,
  ...inferenceConfigRows,
  ...v1alpha1ResourceRows,
  ...v1alpha1ResourceUpdateRows,
  ...v1alpha1InferenceRows,
  ...v1alpha1AdapterRows,
  ...v1alpha1InferenceUpdateRows,
  ...v1alpha1WorkspaceRows,
  ...v1alpha1TuningRows,
  ...v1alpha1ConfigRows,
  ...v1alpha1UrlScopeRows,
  ...e2eRows,
];
