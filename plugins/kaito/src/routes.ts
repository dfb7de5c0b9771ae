import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Route of the "AI Workspaces" entity tab (legacy frontend system).
 *
 * @public
 */
export const entityContentRouteRef = createRouteRef({ id: 'kaito' });

/**
 * Route of the GPU pools page (legacy frontend system).
 *
 * @public
 */
export const gpuPoolsRouteRef = createRouteRef({ id: 'kaito:gpu-pools' });
