import { defineConfig } from '@playwright/test';

const backendEnv = {
  // A fresh SQLite folder for every run, apart from the developer's data/.
  APP_CONFIG_backend_database_connection_directory: '../../data/e2e/sqlite',
  // The secret e2e-tests/leaks.test.ts signs its leak reports with.
  APP_CONFIG_apiTokens_leakReports_hmacSecrets: JSON.stringify([
    'e2e-leak-report-secret-0123456789',
  ]),
};

/**
 * The end-to-end suite: starts the real backend and frontend and drives them
 * in Debian's headless Chromium (Playwright cannot download a browser here).
 */
export default defineConfig({
  testDir: 'e2e-tests',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: true,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }],
  ],
  webServer: [
    {
      command: 'rm -rf data/e2e && yarn workspace backend start',
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      env: backendEnv,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'ignore',
    },
    {
      command: 'yarn workspace app start',
      url: 'http://localhost:3000',
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
      ],
    },
  },
});
