import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { AdminFaultsContent } from '../AdminFaultsContent';
import { AdminSettingsContent } from '../AdminSettingsContent';
import { AdminUsersContent } from '../AdminUsersContent';

/**
 * The admin page for apps on the legacy frontend system: a header and the
 * Users, System Settings and Faults tabs. The new frontend system builds the
 * same page from its page and sub-page extensions instead.
 */
export function ApiTokensAdminPage() {
  return (
    <Page themeId="tool">
      <Header title="Administrator" subtitle="API tokens" />
      <TabbedLayout>
        <TabbedLayout.Route path="/users" title="Users">
          <AdminUsersContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/settings" title="System Settings">
          <AdminSettingsContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/faults" title="Faults">
          <AdminFaultsContent />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
