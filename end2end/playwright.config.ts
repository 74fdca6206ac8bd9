import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The server is the debug build made
// by `cargo leptos build`, on a fresh SQLite database filled with the demo data.
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'javascript', use: { javaScriptEnabled: true } },
    { name: 'no-javascript', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: 'rm -rf ../target/e2e && ../target/debug/convene serve',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: 'sqlite://../target/e2e/convene.db',
      CONVENE_LISTEN: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: '../target/site',
      CONVENE_LOG: 'warn',
    },
  },
});
