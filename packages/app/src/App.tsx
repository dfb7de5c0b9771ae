import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { kaitoScaffolderFormFieldsModule } from '@kaito-backstage/plugin-kaito/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';

export default createApp({
  // The KAITO plugin itself is discovered (app.packages: all); its scaffolder
  // form fields are a module of the scaffolder plugin and are added here.
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    kaitoScaffolderFormFieldsModule,
  ],
});
