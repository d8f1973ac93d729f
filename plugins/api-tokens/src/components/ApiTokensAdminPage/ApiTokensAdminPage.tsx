import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { apiTokensTranslationRef } from '../../translation';
import { AdminFaultsContent } from '../AdminFaultsContent';
import { AdminLookupContent } from '../AdminLookupContent';
import { AdminSettingsContent } from '../AdminSettingsContent';
import { AdminUsersContent } from '../AdminUsersContent';
import { TokenInventoryContent } from '../TokenInventoryContent';

/**
 * The admin page for apps on the legacy frontend system: a header and the
 * Users, Tokens, System Settings, Faults and Look up a token tabs. The new frontend system builds the
 * same page from its page and sub-page extensions instead.
 */
export function ApiTokensAdminPage() {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('pages.admin')} subtitle={t('pages.adminSubtitle')} />
      <TabbedLayout>
        <TabbedLayout.Route path="/users" title={t('pages.users')}>
          <AdminUsersContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/tokens" title={t('pages.tokens')}>
          <TokenInventoryContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/settings" title={t('pages.systemSettings')}>
          <AdminSettingsContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/faults" title={t('pages.faults')}>
          <AdminFaultsContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/lookup" title={t('pages.lookup')}>
          <AdminLookupContent />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
