import { Config, ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { JsonObject } from '@backstage/types';
import path from 'node:path';
import { startApiTokensBackend } from '../__testUtils__/startApiTokensBackend';
import { SettingsStore } from '../database/SettingsStore';
import { SmtpEmailSender } from '../expiry/EmailSender';
import { ExpirySettings } from '../expiry/ExpirySettings';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The environment of a production deployment. */
const PRODUCTION_ENV = {
  APP_BASE_URL: 'https://backstage.corp.example',
  BACKEND_BASE_URL: 'https://backstage.corp.example',
  SMTP_HOST: 'smtp.corp.example',
  SMTP_PORT: '465',
  SMTP_SECURE: 'true',
  SMTP_USERNAME: 'backstage-mailer',
  SMTP_PASSWORD: 'mailer-password',
  EMAIL_FROM: 'Backstage <backstage@corp.example>',
  API_TOKENS_PEPPER: 'pepper-from-the-vault',
  POSTGRES_HOST: 'db.corp.example',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'db-password',
};

/**
 * The two real config files, merged as `--config app-config.yaml --config
 * app-config.production.yaml` merges them, with `env` as the environment.
 */
async function loadProductionConfig(
  env: Record<string, string | undefined>,
): Promise<Config> {
  const source = ConfigSources.default({
    rootDir: REPO_ROOT,
    argv: [
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      path.join(REPO_ROOT, 'app-config.production.yaml'),
    ],
    // No APP_CONFIG_* overrides from the test process's environment.
    env: {},
    watch: false,
    substitutionFunc: async name => env[name],
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

describe('app-config.production.yaml', () => {
  it('takes the URLs, CORS origin, SMTP server, sender and pepper from the environment, not the development file', async () => {
    const config = await loadProductionConfig(PRODUCTION_ENV);

    expect(config.getString('app.baseUrl')).toBe(
      'https://backstage.corp.example',
    );
    expect(config.getString('backend.baseUrl')).toBe(
      'https://backstage.corp.example',
    );
    expect(config.getString('backend.cors.origin')).toBe(
      'https://backstage.corp.example',
    );
    expect(config.getStringArray('backend.csp.connect-src')).toEqual([
      "'self'",
      'https:',
    ]);
    const email = config.getConfig('apiTokens.notifications.email');
    expect(email.getString('from')).toBe('Backstage <backstage@corp.example>');
    expect(email.getString('smtp.host')).toBe('smtp.corp.example');
    expect(email.getNumber('smtp.port')).toBe(465);
    expect(email.getBoolean('smtp.secure')).toBe(true);
    expect(email.getBoolean('smtp.requireTls')).toBe(true);
    expect(email.getString('smtp.username')).toBe('backstage-mailer');
    expect(email.getString('smtp.password')).toBe('mailer-password');
    expect(config.getString('apiTokens.pepper')).toBe('pepper-from-the-vault');
    expect(config.getString('auth.environment')).toBe('production');

    // Nothing of the development machine is left.
    const everything = JSON.stringify(config.get());
    expect(everything).not.toMatch(/localhost|127\.0\.0\.1|:1025|:3000/);
    expect(SmtpEmailSender.fromConfig(config)).toBeInstanceOf(SmtpEmailSender);
  });

  it('defaults to STARTTLS on port 587 and never to clear text', async () => {
    const { SMTP_PORT, SMTP_SECURE, ...env } = PRODUCTION_ENV;

    const email = (await loadProductionConfig(env)).getConfig(
      'apiTokens.notifications.email.smtp',
    );

    expect(email.getNumber('port')).toBe(587);
    expect(email.getBoolean('secure')).toBe(false);
    expect(email.getBoolean('requireTls')).toBe(true);
  });

  it('lets no development value through when a variable is unset: the backend refuses to start, naming the key', async () => {
    const { SMTP_HOST, ...withoutHost } = PRODUCTION_ENV;
    const noHost = await loadProductionConfig(withoutHost);
    expect(noHost.getString('apiTokens.notifications.email.smtp.host')).toBe(
      'smtp-host-is-not-set.invalid',
    );
    expect(() => SmtpEmailSender.fromConfig(noHost)).toThrow(
      /apiTokens\.notifications\.email\.smtp\.host is not set.*SMTP_HOST/,
    );

    const { EMAIL_FROM, ...withoutFrom } = PRODUCTION_ENV;
    await expect(
      loadProductionConfig(withoutFrom).then(SmtpEmailSender.fromConfig),
    ).rejects.toThrow(
      /apiTokens\.notifications\.email\.from is not set.*EMAIL_FROM/,
    );

    const { APP_BASE_URL, BACKEND_BASE_URL, ...withoutUrls } = PRODUCTION_ENV;
    const noUrls = await loadProductionConfig(withoutUrls);
    for (const key of [
      'app.baseUrl',
      'backend.baseUrl',
      'backend.cors.origin',
    ]) {
      expect(noUrls.getString(key)).toMatch(/^https:\/\/[a-z-]+\.invalid$/);
    }
  });
});

describe('startup checks of the email config', () => {
  const smtp = { host: 'smtp.example.com', port: 587 };
  const from = 'Backstage <backstage@example.com>';

  it.each<[string, JsonObject, RegExp]>([
    [
      'an email block without an SMTP host',
      { email: { from, smtp: { port: 587 } } },
      /apiTokens\.notifications\.email\.smtp\.host is not set/,
    ],
    [
      'an empty SMTP host',
      { email: { from, smtp: { ...smtp, host: ' ' } } },
      /apiTokens\.notifications\.email\.smtp\.host is not set/,
    ],
    [
      'an SMTP host that is no host name',
      { email: { from, smtp: { ...smtp, host: 'SMTP_HOST is not set' } } },
      /apiTokens\.notifications\.email\.smtp\.host must be a host name/,
    ],
    [
      'an SMTP port out of range',
      { email: { from, smtp: { ...smtp, port: 70000 } } },
      /apiTokens\.notifications\.email\.smtp\.port must be a port number/,
    ],
    [
      'a sender that is no address',
      { email: { from: 'Backstage', smtp } },
      /apiTokens\.notifications\.email\.from must be an address/,
    ],
    [
      'default addresses without an SMTP server',
      { defaultEmails: 'ops@example.com' },
      /apiTokens\.notifications\.defaultEmails is set, but apiTokens\.notifications\.email\.smtp\.host is not/,
    ],
    [
      'maxAttempts of 0',
      { email: { from, smtp, maxAttempts: 0 } },
      /apiTokens\.notifications\.email\.maxAttempts must be a whole number from 1 to 10, got 0/,
    ],
    [
      'maxAttempts that is not a number',
      { email: { from, smtp, maxAttempts: 'five' } },
      /apiTokens\.notifications\.email\.maxAttempts must be a whole number from 1 to 10, got "five"/,
    ],
    [
      'a fractional maxAttempts',
      { email: { from, smtp, maxAttempts: 2.5 } },
      /apiTokens\.notifications\.email\.maxAttempts must be a whole number/,
    ],
    [
      'a retryDelay that is no duration',
      { email: { from, smtp, retryDelay: 'soon' } },
      /apiTokens\.notifications\.email\.retryDelay must be a duration/,
    ],
    [
      'a retryDelay of zero',
      { email: { from, smtp, retryDelay: { minutes: 0 } } },
      /apiTokens\.notifications\.email\.retryDelay must be a positive duration/,
    ],
  ])('refuses to start with %s', async (_case, notifications, message) => {
    await expect(
      startApiTokensBackend({ config: { apiTokens: { notifications } } }),
    ).rejects.toThrow(message);
  });

  it('starts with a valid email config, and reads maxAttempts and retryDelay', async () => {
    const notifications = {
      email: { from, smtp, maxAttempts: '3', retryDelay: '10m' },
    };
    const config = new ConfigReader({ apiTokens: { notifications } });
    const noSettings = {} as SettingsStore;
    expect(ExpirySettings.fromConfig(config, noSettings).emailRetry).toEqual({
      maxAttempts: 3,
      firstDelayMs: 10 * 60 * 1000,
    });

    const backend = await startApiTokensBackend({
      config: { apiTokens: { notifications } },
    });
    await backend.stop();
  });
});
