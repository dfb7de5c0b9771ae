/** The freshness benchmark's options and its command line. */

export interface FreshnessOptions {
  samples: number;
  entity: string;
  namespace: string;
  workspace: string;
  baseUrl: string;
  kubeconfig: string;
  /** Also time the Kubernetes plugin's tab. */
  kubernetesTab: boolean;
  chromium: string;
  json?: string;
}

export const DEFAULT_OPTIONS: FreshnessOptions = {
  samples: 50,
  entity: 'support-chatbot',
  namespace: 'ml-team',
  workspace: 'support-chatbot',
  baseUrl: 'http://localhost:3000',
  kubeconfig: '.tools/run/kubeconfig',
  kubernetesTab: true,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};

export const USAGE = `Usage: yarn bench:freshness [options]   (inside flock /tmp/kaito-e2e.lock)

  --samples N          state changes timed (default ${DEFAULT_OPTIONS.samples})
  --entity NAME        component whose tabs are open (default ${DEFAULT_OPTIONS.entity})
  --workspace NAME     workspace whose node is flipped (default ${DEFAULT_OPTIONS.workspace}, namespace ${DEFAULT_OPTIONS.namespace})
  --no-kubernetes-tab  time only the KAITO tab (no random waits: much faster)
  --kubeconfig FILE    the simulator's kubeconfig (bin/bench-freshness passes it)
  --base-url URL       the app (default ${DEFAULT_OPTIONS.baseUrl})
  --json FILE          also write the results as JSON
`;

export function parseArgs(
  argv: string[],
): FreshnessOptions & { help: boolean } {
  const options = { ...DEFAULT_OPTIONS, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--samples':
        options.samples = Number(value());
        if (!Number.isInteger(options.samples) || options.samples < 1) {
          throw new Error('--samples must be a positive whole number');
        }
        break;
      case '--entity':
        options.entity = value();
        break;
      case '--workspace':
        options.workspace = value();
        break;
      case '--kubeconfig':
        options.kubeconfig = value();
        break;
      case '--base-url':
        options.baseUrl = value();
        break;
      case '--no-kubernetes-tab':
        options.kubernetesTab = false;
        break;
      case '--json':
        options.json = value();
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return options;
}
