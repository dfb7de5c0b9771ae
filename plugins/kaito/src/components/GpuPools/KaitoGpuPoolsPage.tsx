import { Content, Header, Page } from '@backstage/core-components';
import { GpuPoolsContent } from './GpuPoolsContent';

/**
 * The GPU pools page with its own header, for apps on the legacy frontend
 * system (the new system adds the header itself).
 */
export function GpuPoolsPageWithHeader() {
  return (
    <Page themeId="tool">
      <Header
        title="GPU pools"
        subtitle="AKS GPU node pools for KAITO workspaces across clusters"
      />
      <Content>
        <GpuPoolsContent />
      </Content>
    </Page>
  );
}
