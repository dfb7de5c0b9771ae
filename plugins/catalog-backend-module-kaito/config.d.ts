export interface Config {
  catalog?: {
    providers?: {
      /** The KAITO entity provider (tuned models and inference endpoints). */
      kaito?: {
        /**
         * When to refresh. Default: every 2 minutes, 5 minute timeout, first
         * run 15 seconds after start-up.
         */
        schedule?: {
          frequency: { [unit: string]: number } | string;
          timeout: { [unit: string]: number } | string;
          initialDelay?: { [unit: string]: number } | string;
          scope?: 'global' | 'local';
        };
      };
    };
  };
}
