export { KaitoApiClient } from './KaitoApiClient';
export type {
  KaitoApi,
  KaitoRequestOptions,
  WorkspaceLogStream,
} from './KaitoApi';
export type { KaitoRouteParams } from './routes';
export { chatCompletionsPath, kaitoPath, kaitoRoutes } from './routes';
export type { ServerSentEvent } from './streams';
export { readServerSentEvents, readTextChunks } from './streams';
