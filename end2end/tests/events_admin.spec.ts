import { test, expect } from '@playwright/test';

// The secretariat's event pages through their real forms, with JavaScript on and
// off: the page's field names must be the ones the server functions read.

const SECRETARIAT = 'femke.visser@eurojust.demo.example';
const CHAIR = 'aoife.byrne@ejocn.demo.example';

test('the secretariat creates, publishes and staffs an event through the forms', async ({ page }, info) => {
  const title = `Workshop day on seaport investigations (${info.project.name})`;
  const slug = `workshop-day-on-seaport-investigations-${info.project.name}`;

  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'With your password' });
  await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(SECRETARIAT);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill('convene-demo-2026');
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin(#[\w-]+)?$/);

  await page.goto('/admin/events/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Summary').fill('Practitioners compare how they trace drug consignments through seaports.');
  await page.getByLabel('Kind of event').selectOption({ label: 'Workshop day' });
  // An end before the start comes back with the message at the field and the title kept.
  await page.getByLabel('Starts').fill('2027-05-10T09:00');
  await page.getByLabel('Ends').fill('2027-05-10T08:00');
  await page.getByLabel('Venue').fill('Eurojust, The Hague');
  await page.getByRole('button', { name: 'Create the event' }).click();
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();

  await page.getByLabel('Starts').fill('2027-05-10T09:00');
  await page.getByLabel('Ends').fill('2027-05-10T17:30');
  await page.getByRole('button', { name: 'Create the event' }).click();
  await expect(page).toHaveURL(/\/admin\/events\/\d+#event-notice$/);
  await expect(page.getByTestId('form-notice').first()).toHaveText('Saved.');
  await expect(page.getByTestId('event-status')).toHaveText(/^This event is a draft/);

  // A draft is not public.
  const anonymous = await page.context().browser()!.newContext();
  const outsider = await anonymous.newPage();
  const hidden = await outsider.goto(`/networks/ejocn/events/${slug}`);
  expect(hidden?.status()).toBe(404);

  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page.getByTestId('event-status')).toHaveText(/^This event is published/);
  // The notice is where the page lands, not at the top of a long page.
  await expect(page.getByTestId('form-notice').first()).toHaveText('The event is published.');
  await expect(page.getByTestId('form-notice').first()).toBeInViewport();
  const shown = await outsider.goto(`/networks/ejocn/events/${slug}`);
  expect(shown?.status()).toBe(200);
  await expect(outsider.getByRole('heading', { level: 1 })).toHaveText(title);
  // Typed in the event's zone (Europe/Amsterdam), shown in it again.
  await expect(outsider.getByText('Monday 10 May 2027, 09:00 CEST')).toBeVisible();
  await anonymous.close();

  const people = page.getByRole('region', { name: 'Chairs and organisers' });
  await people.getByLabel('Email address').fill(CHAIR);
  await people.getByRole('button', { name: 'Add to the event' }).click();
  await expect(page.getByRole('region', { name: 'Chairs and organisers' }).getByRole('cell', { name: 'Aoife Byrne', exact: true })).toBeVisible();
});
