import { test, expect, type Page } from '@playwright/test';

// What a week at the secretariat found (issue 10), as a person at the browser would
// notice it: every error of a form at once, notices in view after an action,
// actions that ask first, dates in the event's own zone, and tables that fit a
// phone. Each test runs with JavaScript on and off, against one server and
// database, so what a test creates carries the project's name.

const DEMO_PASSWORD = 'convene-demo-2026';
const SECRETARIAT = 'femke.visser@eurojust.demo.example';
const CONTACT_POINT = { email: 'katharina.becker@ejocn.demo.example', name: 'Katharina Becker' };

async function signIn(page: Page, email: string, landing: RegExp) {
  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'With your password' });
  await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(email);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(landing);
}

/** Whether the page scrolls sideways (a table wider than the screen). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

test('an empty event form names every problem at once, in a summary that links to each field', async ({ page }) => {
  await signIn(page, SECRETARIAT, /\/admin$/);
  await page.goto('/admin/events/new');
  await page.getByLabel('Kind of event').selectOption({ label: 'Workshop day' });
  await page.getByRole('button', { name: 'Create the event' }).click();
  await expect(page).toHaveURL(/\/admin\/events\/new#event-errors$/);
  const summary = page.getByTestId('form-error').first();
  await expect(summary).toBeInViewport();
  await expect(summary.locator('.error-summary-title')).toHaveText(/There are \d+ problems/);
  const links = summary.getByRole('link');
  expect(await links.count()).toBeGreaterThanOrEqual(3);
  await expect(summary.getByRole('link', { name: /title/i })).toBeVisible();
  await expect(summary.getByRole('link', { name: /starts/i })).toBeVisible();
  // Each link leads to its field.
  await summary.getByRole('link', { name: /title/i }).click();
  await expect(page).toHaveURL(/#event-title$/);
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  // A reload shows the refused form again, errors and all.
  await page.goto('/admin/events/new');
  await expect(page.getByTestId('form-error').first()).toBeVisible();
  await expect(page.getByLabel('Kind of event')).toHaveValue('workshop_day');
});

test('cancelling an event asks first, says what happens, and the result is in view', async ({ page }, info) => {
  const title = `Cancellation rehearsal (${info.project.name})`;
  await signIn(page, SECRETARIAT, /\/admin$/);
  await page.goto('/admin/events/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Kind of event').selectOption({ label: 'Workshop day' });
  await page.getByLabel('Starts').fill('2027-06-10T09:00');
  await page.getByLabel('Ends').fill('2027-06-10T17:00');
  await page.getByRole('button', { name: 'Create the event' }).click();
  await expect(page).toHaveURL(/\/admin\/events\/\d+#event-notice$/);
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page.getByTestId('event-status')).toHaveText(/^This event is published/);

  await page.getByRole('link', { name: 'Cancel the event…' }).click();
  const confirmation = page.getByTestId('confirmation');
  await expect(confirmation).toBeInViewport();
  await expect(confirmation).toContainText('Its public page will say that it is cancelled');
  // "No" changes nothing.
  await confirmation.getByRole('link', { name: 'No, keep it as it is' }).click();
  await expect(page.getByTestId('confirmation')).toHaveCount(0);
  await expect(page.getByTestId('event-status')).toHaveText(/^This event is published/);

  await page.getByRole('link', { name: 'Cancel the event…' }).click();
  await page.getByTestId('confirmation').getByRole('button', { name: 'Yes, cancel the event' }).click();
  await expect(page.getByTestId('event-status')).toHaveText(/^This event is cancelled/);
  await expect(page.getByTestId('form-notice').first()).toHaveText('The event is cancelled.');
  await expect(page.getByTestId('form-notice').first()).toBeInViewport();

  // Back to draft, then deleted after confirmation; the notice lands on the list.
  await page.getByRole('button', { name: 'Return to draft' }).click();
  await page.getByRole('link', { name: 'Delete the draft…' }).click();
  await page.getByTestId('confirmation').getByRole('button', { name: 'Yes, delete the draft' }).click();
  await expect(page).toHaveURL(/\/admin\/events#event-delete-notice$/);
  await expect(page.getByTestId('form-notice')).toContainText(`The draft “${title}” is deleted.`);
  await expect(page.getByRole('link', { name: title, exact: true })).toHaveCount(0);
});

test("the account page dates an event in the event's zone, and the chair sees it once", async ({ page }, info) => {
  const title = `Night session in Helsinki (${info.project.name})`;
  await signIn(page, SECRETARIAT, /\/admin$/);
  await page.goto('/admin/events/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Kind of event').selectOption({ label: 'Workshop day' });
  await page.getByLabel('Time zone').selectOption('Europe/Helsinki');
  // 01:00 in Helsinki on 10 November is still 9 November in UTC.
  await page.getByLabel('Starts').fill('2027-11-10T01:00');
  await page.getByLabel('Ends').fill('2027-11-10T04:00');
  await page.getByRole('button', { name: 'Create the event' }).click();
  await expect(page).toHaveURL(/\/admin\/events\/\d+#event-notice$/);
  const people = page.getByRole('region', { name: 'Chairs and organisers' });
  for (const role of ['Chair', 'Organiser']) {
    await people.getByLabel('Email address').fill(CONTACT_POINT.email);
    await people.getByLabel('Role').selectOption({ label: role });
    await people.getByRole('button', { name: 'Add to the event' }).click();
    await expect(page.getByRole('region', { name: 'Chairs and organisers' }).getByTestId('form-notice')).toBeInViewport();
  }

  await page.context().clearCookies();
  await signIn(page, CONTACT_POINT.email, /\/account$/);
  const events = page.getByRole('region', { name: 'Your events' });
  const item = events.getByRole('listitem').filter({ hasText: title });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('10 November 2027');
  await expect(item).not.toContainText('9 November');
  await expect(item).toContainText(/chair/i);
  await expect(item).toContainText(/organiser/i);
});

test('at phone width the secretariat pages do not scroll sideways', async ({ page }) => {
  await signIn(page, SECRETARIAT, /\/admin$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin/events');
  const spring = page.getByRole('link', { name: 'Plenary Meeting, spring 2027', exact: true });
  await expect(spring).toBeVisible();
  for (const path of ['/admin/events', '/admin/mail', '/admin/audit', '/admin/people']) {
    await page.goto(path);
    expect(await scrollsSideways(page), path).toBe(false);
  }
  // Every column is still there, each cell saying which it is.
  await page.goto('/admin/events');
  await expect(page.locator('td[data-label="Status"]').first()).toBeVisible();
  await spring.click();
  expect(await scrollsSideways(page), 'an event admin page').toBe(false);
});

test('a page the viewer may not see shows only the refusal, and a wrong id is not found', async ({ page }) => {
  await signIn(page, CONTACT_POINT.email, /\/account$/);
  const res = await page.goto('/admin/people');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
  await expect(page.getByRole('link', { name: 'Add a person' })).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, SECRETARIAT, /\/admin$/);
  const missing = await page.goto('/admin/people/abc');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
