/*
 * Request and response types of kaito-backend's REST API (mounted at
 * `/api/kaito`), shared by the backend, the frontend and the node client.
 */

export * from './clusters';
export * from './workspaces';
export * from './chat';
export * from './pools';
export * from './catalog';
export * from './runs';
export * from './signals';
