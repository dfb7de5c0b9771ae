import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kaitoServiceRef } from '@kaito-backstage/plugin-kaito-node';
import {
  createGpuPoolEnsureAction,
  createWorkspaceCreateAction,
  createWorkspaceDeleteAction,
  createWorkspaceWaitAction,
} from './actions';

/**
 * Registers the kaito:* scaffolder actions. They call the KAITO backend
 * through `kaitoServiceRef` with the initiating user's credentials.
 *
 * @public
 */
export const scaffolderModuleKaito = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kaito',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        kaito: kaitoServiceRef,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, kaito, discovery }) {
        const options = { kaito, discovery };
        scaffolder.addActions(
          createGpuPoolEnsureAction(options),
          createWorkspaceCreateAction(options),
          createWorkspaceWaitAction(options),
          createWorkspaceDeleteAction(options),
        );
      },
    });
  },
});
