import type { Workspace } from '../kaito/workspace';

/** The shape of a workspace of the demo's timeline (demoTimeline.ts). */

export type DemoEntity = 'support-chatbot' | 'code-assistant' | 'docs-search';

/** When, before now. */
export interface Ago {
  days?: number;
  hours?: number;
  minutes?: number;
}

export interface DemoRun {
  name: string;
  entity: DemoEntity;
  namespace: string;
  /** The user who ran the template. */
  createdBy: string;
  created: Ago;
  resource: NonNullable<Workspace['resource']>;
  tuning?: NonNullable<Workspace['tuning']> & {
    /** `TrainingArguments.num_train_epochs` (a config of the team's own). */
    epochs?: number;
  };
  inference?: NonNullable<Workspace['inference']>;
  /**
   * What became of it: still there (today's workspaces), cleaned up some
   * hours after it finished, cancelled (deleted while training), or served
   * until it was deleted.
   */
  end:
    | { keep: true }
    | { deleteHoursAfterFinish: number }
    | { cancelAfterMinutes: number }
    | { deleted: Ago };
}
