import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { linkAfter, nextMessage, seenIds, subjectOf } from './support/mail';

// A chair invites a category of the network to the spring plenary from the
// event's own page; an invitee opens the personal link from the delivered mail,
// without an account, and registers. With JavaScript on and off (each project
// invites another category, as both share one database).

const DEMO_PASSWORD = 'convene-demo-2026';
const CHAIR = 'aoife.byrne@ejocn.demo.example';
const INVITEE = {
  javascript: { email: 'isabelle.laurent@commission.demo.example', category: 'Observer' },
  'no-javascript': { email: 'henrik.maas@europol.demo.example', category: 'Associate Partner' },
} as const;

async function expectNoAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${what}: ${v.id} ${v.help}`)).toEqual([]);
}

test('a chair invites a category and an invitee registers from the link in the mail', async ({ page, browser, baseURL }, info) => {
  const invitee = INVITEE[info.project.name as keyof typeof INVITEE];
  const seen = await seenIds(invitee.email);

  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'With your password' });
  await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(CHAIR);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  const spring = page.getByRole('region', { name: 'Your events' }).getByRole('listitem').filter({ hasText: 'Plenary Meeting, spring 2027' });
  await spring.getByRole('link', { name: 'Manage this event' }).click();
  await page.getByRole('link', { name: "Invite the network's members and see who registered" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invitations: Plenary Meeting, spring 2027');
  if (info.project.name === 'javascript') await expectNoAxeViolations(page, 'invitations page');

  const invite = page.getByRole('region', { name: 'Invite' });
  await invite.getByLabel('Whom to invite').selectOption({ label: invitee.category });
  await invite.getByRole('button', { name: 'Send the invitations' }).click();
  const notice = page.getByTestId('form-notice');
  await expect(notice).toContainText(/invited; the invitations are on their way\./);
  await expect(notice).toBeInViewport();
  await expect(page.getByRole('table').getByRole('cell', { name: invitee.email })).toBeVisible();

  // The invitee's mail, as delivered over SMTP.
  const message = await nextMessage(invitee.email, seen);
  expect(subjectOf(message)).toBe('Invitation: Plenary Meeting, spring 2027');
  const link = linkAfter(message, 'Answer the invitation');
  const url = new URL(link);
  expect(url.origin).toBe(new URL(baseURL!).origin);
  expect(url.pathname).toMatch(/^\/guest\/[A-Za-z0-9_-]{43,}$/);

  // Opened in a browser without any account.
  const context = await browser.newContext({ javaScriptEnabled: info.project.name === 'javascript' });
  const guest = await context.newPage();
  await guest.goto(url.pathname);
  await expect(guest).toHaveURL(/\/guest\/events\/\d+$/);
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('Plenary Meeting, spring 2027');
  if (info.project.name === 'javascript') await expectNoAxeViolations(guest, 'guest page');
  const register = guest.getByRole('group', { name: 'Register' });
  await register.getByLabel('Dietary requirements').fill('Vegetarian');
  // Forgetting the consent: the message at the field, what was typed kept.
  await register.getByRole('button', { name: 'Register' }).click();
  await expect(guest).toHaveURL(/#register-errors$/);
  await expect(guest.getByTestId('form-error').first()).toContainText('agree to the privacy notice');
  await expect(guest.getByLabel('Dietary requirements')).toHaveValue('Vegetarian');
  await guest.getByLabel('I agree to the privacy notice above').check();
  await guest.getByRole('button', { name: 'Register' }).click();
  await expect(guest.getByTestId('form-notice').first()).toHaveText('You are registered.');
  await expect(guest.getByTestId('form-notice').first()).toBeInViewport();
  await expect(guest.getByRole('button', { name: 'Cancel my registration' })).toBeVisible();
  await context.close();

  // The chair sees the answer.
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: invitee.email })).toContainText('Registered');

  // On the day, on a phone: find the invitee by name and check them in.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(page.url().replace(/\/invitations.*$/, '/check-in'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-in: Plenary Meeting, spring 2027');
  const surname = invitee.email.split('@')[0].split('.')[1];
  await page.getByLabel('Name contains').fill(surname);
  await page.getByRole('button', { name: 'Find' }).click();
  const row = page.getByRole('row').filter({ hasText: new RegExp(surname, 'i') });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: /^Check in/ }).click();
  await expect(page.getByTestId('form-notice')).toContainText(': present on Wednesday 17 March.');
  await expect(page.getByTestId('form-notice')).toBeInViewport();
  await expect(page.getByRole('row').filter({ hasText: new RegExp(surname, 'i') })).toContainText('Present');
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)).toBe(false);
  if (info.project.name === 'javascript') await expectNoAxeViolations(page, 'check-in page');
});
