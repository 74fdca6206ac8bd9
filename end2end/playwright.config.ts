import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The server is the debug build, on a
// fresh SQLite database filled with the demo data, serving the site (wasm, js, css)
// that `scripts/build` wrote to target/site.
const port = Number(process.env.E2E_PORT ?? 3100);
// The SMTP sink (smtp-sink.mjs) that receives Convene's mail, and where tests read it.
const smtpPort = Number(process.env.SMTP_SINK_PORT ?? port + 25);
const smtpHttpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? port + 26);
// The server binary, from `scripts/build`, `cargo build -p convene` or the Rust tests
// (`cargo nextest run`, as in scripts/test): all compile it with the same cfg flags as
// the wasm (no extra RUSTFLAGS), so any of them hydrates the islands of the site that
// `scripts/build` wrote. CONVENE_BIN names another binary; a release binary needs the
// `hash.txt` that `scripts/build --release` writes beside it.
const convene = process.env.CONVENE_BIN ?? '../target/debug/convene';
// Tests (tests/support/mail.ts) find the sink through this variable.
process.env.SMTP_SINK_HTTP_PORT = String(smtpHttpPort);

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
  webServer: [
    {
      command: 'node smtp-sink.mjs',
      url: `http://127.0.0.1:${smtpHttpPort}/healthz`,
      reuseExistingServer: false,
      timeout: 10_000,
      env: {
        SMTP_SINK_PORT: String(smtpPort),
        SMTP_SINK_HTTP_PORT: String(smtpHttpPort),
      },
    },
    {
      command: `rm -rf ../target/e2e && ${convene} serve`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        DATABASE_URL: 'sqlite://../target/e2e/convene.db',
        CONVENE_LISTEN: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: '../target/site',
        CONVENE_LOG: 'warn',
        // The demo without the spring plenary's registrations: the tests invite
        // and register there themselves.
        CONVENE_DEMO: 'base',
        // Plain SMTP to the sink; retry soon should a delivery fail.
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_FROM: 'Convene <convene@e2e.example>',
        MAIL_RETRY_SECONDS: '1',
      },
    },
  ],
});
