import type { ContainerScript, LogLine } from '../../wiring/containerScript';
import { servedModelName, type KaitoPreset } from '../catalog';

/**
 * What KAITO's vLLM inference container logs while it starts: engine
 * arguments, weight loading, KV cache sizing, LoRA adapters, then the
 * uvicorn startup lines; it is Ready when "Application startup complete".
 * A model that does not fit dies with CUDA OOM (and the kubelet restarts it).
 */
export interface InferenceRunPlan {
  preset: KaitoPreset;
  adapters: string[];
  gpuCount: number;
  gpuMemoryGiB: number;
  oom: boolean;
  runtime: 'vllm' | 'transformers';
}

const ROUTES = [
  '/openapi.json, Methods: HEAD, GET',
  '/docs, Methods: HEAD, GET',
  '/health, Methods: GET',
  '/load, Methods: GET',
  '/tokenize, Methods: POST',
  '/detokenize, Methods: POST',
  '/v1/models, Methods: GET',
  '/version, Methods: GET',
  '/v1/chat/completions, Methods: POST',
  '/v1/completions, Methods: POST',
  '/v1/embeddings, Methods: POST',
  '/metrics, Methods: GET',
];

export function inferenceServerScript(plan: InferenceRunPlan): ContainerScript {
  const served = servedModelName(plan.preset);
  const weights = plan.preset.modelWeightGiB;
  const loadMs = 20_000 + Math.round(weights * 4_000);
  const info = (file: string, text: string) => `INFO {{ts}} [${file}] ${text}`;
  const lines: LogLine[] = [
    {
      atMs: 0,
      text: info('__init__.py:244', 'Automatically detected platform cuda.'),
    },
    {
      atMs: 1_000,
      text: info('api_server.py:1395', 'vLLM API server version 0.9.2'),
    },
    {
      atMs: 1_001,
      text: info(
        'cli_args.py:325',
        `non-default args: {'model': '/workspace/weights', 'served_model_name': ['${served}'], 'port': 5000, 'tensor_parallel_size': ${
          plan.gpuCount
        }, 'gpu_memory_utilization': 0.84${
          plan.adapters.length > 0 ? ", 'enable_lora': True" : ''
        }}`,
      ),
    },
    {
      atMs: 5_000,
      text: info(
        'config.py:841',
        "This model supports multiple tasks: {'generate', 'classify', 'reward', 'embed'}. Defaulting to 'generate'.",
      ),
    },
    {
      atMs: 8_000,
      text: info(
        'gpu_model_runner.py:1595',
        `Starting to load model ${plan.preset.huggingFaceId}...`,
      ),
    },
  ];
  if (plan.oom) {
    const at = 8_000 + Math.round(loadMs / 2);
    lines.push(
      {
        atMs: at,
        text: `ERROR {{ts}} [core.py:586] EngineCore failed to start.`,
      },
      { atMs: at + 1, text: 'Traceback (most recent call last):' },
      {
        atMs: at + 2,
        text: '  File "/usr/local/lib/python3.12/site-packages/vllm/model_executor/model_loader/default_loader.py", line 269, in load_weights',
      },
      {
        atMs: at + 3,
        text: `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.02 GiB. GPU 0 has a total capacity of ${(
          plan.gpuMemoryGiB / plan.gpuCount
        ).toFixed(2)} GiB of which 412.00 MiB is free. Process has ${(
          plan.gpuMemoryGiB / plan.gpuCount -
          0.4
        ).toFixed(2)} GiB memory in use.`,
      },
    );
    return {
      pullMs: 90_000,
      imageBytes: 9_876_543_210,
      lines,
      exit: { atMs: at + 500, exitCode: 137, reason: 'OOMKilled' },
    };
  }
  const loaded = 8_000 + loadMs;
  const kvGiB = Math.max(1, plan.gpuMemoryGiB * 0.84 - weights - 2.3);
  lines.push(
    {
      atMs: loaded - 1_000,
      text: info(
        'default_loader.py:272',
        `Loading weights took ${((loadMs - 2_000) / 1000).toFixed(2)} seconds`,
      ),
    },
    {
      atMs: loaded,
      text: info(
        'gpu_model_runner.py:1624',
        `Model loading took ${weights.toFixed(4)} GiB and ${(
          loadMs / 1000
        ).toFixed(6)} seconds`,
      ),
    },
    {
      atMs: loaded + 6_000,
      text: info(
        'gpu_worker.py:227',
        `Available KV cache memory: ${kvGiB.toFixed(2)} GiB`,
      ),
    },
    {
      atMs: loaded + 6_001,
      text: info(
        'kv_cache_utils.py:716',
        `GPU KV cache size: ${Math.round(kvGiB * 9_000).toLocaleString(
          'en-US',
        )} tokens`,
      ),
    },
    ...plan.adapters.map((name, i) => ({
      atMs: loaded + 8_000 + i,
      text: info(
        'serving_models.py:185',
        `Loaded new LoRA adapter: name '${name}', path '/mnt/adapter/${name}'`,
      ),
    })),
    {
      atMs: loaded + 9_000,
      text: info(
        'api_server.py:1457',
        'Starting vLLM API server 0 on http://0.0.0.0:5000',
      ),
    },
    {
      atMs: loaded + 9_001,
      text: info('launcher.py:29', 'Available routes are:'),
    },
    ...ROUTES.map((route, i) => ({
      atMs: loaded + 9_002 + i,
      text: info('launcher.py:37', `Route: ${route}`),
    })),
    { atMs: loaded + 9_100, text: 'INFO:     Started server process [1]' },
    {
      atMs: loaded + 9_101,
      text: 'INFO:     Waiting for application startup.',
    },
    { atMs: loaded + 9_200, text: 'INFO:     Application startup complete.' },
  );
  return {
    pullMs: 90_000,
    imageBytes: 9_876_543_210,
    lines,
    readyAtMs: loaded + 9_200,
  };
}
