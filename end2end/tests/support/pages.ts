import { expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/// The password of every demo account.
export const DEMO_PASSWORD = 'convene-demo-2026';

/// axe with the WCAG 2.1 AA rules; it runs in the page, so JavaScript must be on.
/// `exclude` leaves out what axe cannot enter, such as a sandboxed frame without scripts.
export async function expectNoAxeViolations(page: Page, what: string, exclude?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (exclude) builder = builder.exclude(exclude);
  const results = await builder.analyze();
  expect(results.violations.map((v) => `${what}: ${v.id} ${v.help}`)).toEqual([]);
}

/// A browser of its own, signed in with the demo password, on the account page (the
/// secretariat lands on its overview).
export async function signedIn(browser: Browser, email: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'With your password' });
  await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(email);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/(account|admin)$/);
  return page;
}
