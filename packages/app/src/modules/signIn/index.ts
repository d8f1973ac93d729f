import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { signInPageWithTemporaryTokenSignOut } from '@nholuongut/backstage-plugin-api-tokens';

const devSignInPage = SignInPageBlueprint.make({
  params: {
    // Signing out also clears and revokes the user's temporary API token.
    loader: () =>
      import('./DevSignInPage').then(m =>
        signInPageWithTemporaryTokenSignOut(m.DevSignInPage),
      ),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [devSignInPage],
});
