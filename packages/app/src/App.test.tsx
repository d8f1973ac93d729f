import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  // The sign-in page loads lazily; load it here so that the test waits for
  // the page to render, not for its module to compile.
  beforeAll(() => import('./modules/signIn/DevSignInPage'), 60_000);

  it('offers the configured example users on the sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            devSignIn: { users: ['alice', 'bob'] },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Sign in as alice' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as bob' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Sign in as carol' }),
    ).not.toBeInTheDocument();
  });
});
