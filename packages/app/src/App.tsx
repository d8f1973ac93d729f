import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// The plugins themselves are discovered from this package's dependencies
// (app.packages: all); the app only adds its own modules.
export default createApp({
  features: [navModule, signInModule],
});
