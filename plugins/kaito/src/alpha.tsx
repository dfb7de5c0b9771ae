import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { Content } from '@backstage/core-components';
import MemoryIcon from '@mui/icons-material/Memory';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  KAITO_ENTITY_TAB_PATH,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoClient, kaitoApiRef } from './api';

/** Route of the GPU pools page (new frontend system). */
const gpuPoolsPageRouteRef = createRouteRef();

/** The KAITO API client. */
const kaitoApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kaitoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
});

/** The "AI Workspaces" tab of entities mapped to Kubernetes. */
const kaitoEntityContent = EntityContentBlueprint.make({
  name: 'workspaces',
  params: {
    // The links to the tab (kaito-common's entityTabPath) use this path.
    path: `/${KAITO_ENTITY_TAB_PATH}`,
    title: 'AI Workspaces',
    group: 'deployment',
    filter: {
      $any: [
        {
          [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${ANNOTATION_KUBERNETES_LABEL_SELECTOR}`]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('./components/EntityContent/KaitoEntityContent').then(m => (
        <m.KaitoEntityContent />
      )),
  },
});

/** The GPU pools page. */
const kaitoGpuPoolsPage = PageBlueprint.make({
  name: 'gpu-pools',
  params: {
    path: '/kaito/gpu-pools',
    title: 'GPU pools',
    // With an icon the page gets its own item in the sidebar.
    icon: <MemoryIcon />,
    routeRef: gpuPoolsPageRouteRef,
    loader: () =>
      import('./components/GpuPools/GpuPoolsContent').then(m => (
        <Content>
          <m.GpuPoolsContent />
        </Content>
      )),
  },
});

/**
 * The KAITO frontend plugin for the new frontend system: the "AI
 * Workspaces" entity tab, the GPU pools page and the API client.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'kaito',
  title: 'KAITO',
  info: { packageJson: () => import('../package.json') },
  extensions: [kaitoApi, kaitoEntityContent, kaitoGpuPoolsPage],
  routes: { gpuPools: gpuPoolsPageRouteRef },
});

export { kaitoScaffolderFormFieldsModule } from './fields/formFields';
