import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// The same journey runs with JavaScript on (hydrated) and off (plain HTML).
test('a visitor follows a network to its first plenary', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Networks and events' })).toBeVisible();
  await expect(page.getByTestId('demo-notice')).toContainText('Demonstration data.');
  await expect(page.getByRole('link', { name: 'Plenary Meeting, spring 2027', exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'European Judicial Organised Crime Network' }).click();
  await expect(page).toHaveURL(/\/networks\/ejocn(#[\w-]+)?$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('European Judicial Organised Crime Network');
  await expect(page.getByRole('heading', { name: 'National Contact Points' })).toBeVisible();
  await expect(page.locator('[data-member-state="PL"]')).toHaveText('Poland');
  await expect(page.getByRole('heading', { name: 'Associate Partners' })).toBeVisible();

  await page.getByRole('link', { name: 'First Plenary Meeting', exact: true }).click();
  await expect(page).toHaveURL(/\/networks\/ejocn\/events\/first-plenary-meeting(#[\w-]+)?$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('First Plenary Meeting');
  await expect(page.getByText('Wednesday 19 March 2025, 09:00 CET')).toBeVisible();
  await expect(page.getByText('Polish Presidency of the Council of the European Union')).toBeVisible();
  await expect(page).toHaveTitle('First Plenary Meeting — Convene');
});

test('an unknown address shows the not-found page', async ({ page }) => {
  const response = await page.goto('/networks/ejocn/events/no-such-event');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('pages have no detectable WCAG 2.1 AA violations', async ({ page }, info) => {
  // axe runs inside the page, so it needs JavaScript; the markup is the same without it.
  test.skip(info.project.name !== 'javascript', 'axe needs JavaScript');
  for (const path of ['/', '/networks/ejocn', '/networks/ejocn/events/first-plenary-meeting', '/nowhere']) {
    await page.goto(path);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(results.violations.map((v) => `${path}: ${v.id} ${v.help}`)).toEqual([]);
  }
});
