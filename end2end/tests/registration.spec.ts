import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, signedIn } from './support/pages';
import { linkAfter, nextMessage, seenIds, subjectOf } from './support/mail';

// Registration beyond invitations, on the demo's spring plenary (which has three
// places per Member State): the chair opens registration to the contact points
// with approval and asks a question of her own, a contact point registers from her
// account and is approved from the participant list (JavaScript on); a contact
// point registers a colleague of her delegation, who gets their own link
// (JavaScript off). The first test puts the event's rules back as they were, so
// that the other tests find the demo as seeded.

const CHAIR = 'aoife.byrne@ejocn.demo.example';
const MEMBER = 'katharina.becker@ejocn.demo.example';


async function springSettings(chair: Page) {
  const spring = chair.getByRole('region', { name: 'Your events' }).getByRole('listitem').filter({ hasText: 'Plenary Meeting, spring 2027' });
  await spring.getByRole('link', { name: 'Manage this event' }).click();
  await chair.getByRole('link', { name: "Who may register, approval, and the registration form's questions" }).click();
  await expect(chair.getByRole('heading', { level: 1 })).toHaveText('Registration: Plenary Meeting, spring 2027');
}

test('a contact point registers from her account, answers the question, and the chair approves her', async ({ browser }, info) => {
  test.skip(info.project.name !== 'javascript', 'one half of a pair: the delegation test runs without JavaScript');
  const chair = await signedIn(browser, CHAIR, true);
  await springSettings(chair);
  await expectNoAxeViolations(chair, 'registration settings');
  const rules = chair.getByRole('region', { name: 'Who may register' });
  await rules.getByLabel('National Contact Points').check();
  await rules.getByLabel("Registrations wait for the organisers' approval").check();
  await rules.getByRole('button', { name: 'Save' }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Saved.');

  const questions = chair.getByRole('region', { name: 'Questions on the registration form' });
  await questions.getByLabel('Question').fill('Which workshop will you join?');
  await questions.getByLabel('Answer').selectOption({ label: 'One choice from a list' });
  await questions.getByLabel('Choices').fill('Drug trafficking through seaports\nLeadership of criminal networks');
  await questions.getByLabel('Required').check();
  await questions.getByRole('button', { name: 'Add the question' }).click();
  await expect(chair.getByTestId('questions')).toContainText('Which workshop will you join?');

  // The contact point finds the way from the event's page.
  const member = await signedIn(browser, MEMBER, true);
  await member.goto('/networks/ejocn/events/plenary-meeting-spring-2027');
  await member.getByTestId('register-link').click();
  await expect(member.getByRole('heading', { level: 2, name: 'Your registration' })).toBeVisible();
  await expectNoAxeViolations(member, 'registration page of a member');
  const register = member.getByRole('group', { name: 'Register', exact: true });
  await register.getByLabel('I agree to the privacy notice above').check();
  await register.getByRole('button', { name: 'Register', exact: true }).click();
  // The required question, named at its field.
  await expect(member.getByTestId('form-error').first()).toContainText('this question is required');
  await member.getByLabel('I agree to the privacy notice above').check();
  await member.getByLabel('Which workshop will you join?').selectOption({ label: 'Leadership of criminal networks' });
  await member.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(member.getByTestId('form-notice').first()).toContainText("waits for the organisers' approval");

  // The chair approves her from the participant list, filtered to those waiting.
  await chair.goto(chair.url().replace(/\/registration.*$/, '/participants'));
  await chair.getByLabel('Status').selectOption({ label: 'Awaiting approval' });
  await chair.getByRole('button', { name: 'Filter' }).click();
  const row = chair.getByRole('row').filter({ hasText: 'Katharina Becker' });
  await expect(row).toContainText('Leadership of criminal networks');
  await expectNoAxeViolations(chair, 'participant list');
  await row.getByRole('button', { name: /^Approve/ }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Katharina Becker is approved and has a place.');
  await member.reload();
  await expect(member.getByTestId('registration-standing')).toHaveText('You are registered.');

  await chair.goto(chair.url().replace(/\/participants.*$/, '/participants/print'));
  await expectNoAxeViolations(chair, 'printable participant list');

  // The rules as seeded again: by invitation, no approval, no question.
  await chair.goto(chair.url().replace(/\/participants.*$/, '/registration'));
  await rules.getByLabel('National Contact Points').uncheck();
  await rules.getByLabel("Registrations wait for the organisers' approval").uncheck();
  await rules.getByRole('button', { name: 'Save' }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Saved.');
  await chair.getByRole('button', { name: 'Remove the question “Which workshop will you join?”' }).click();
  await expect(chair.getByTestId('form-notice').first()).toContainText('and its answers are removed');
  await chair.context().close();
  await member.context().close();
});

test('a contact point registers a colleague of her delegation, who opens their own link', async ({ browser }, info) => {
  test.skip(info.project.name !== 'no-javascript', 'one half of a pair: the approval test runs with JavaScript');
  const colleague = 'lena.vogel@justiz.demo.example';
  const seen = await seenIds(colleague);
  const member = await signedIn(browser, MEMBER, false);
  await member.goto('/networks/ejocn/events/plenary-meeting-spring-2027');
  await member.getByTestId('register-link').click();
  const delegation = member.getByRole('region', { name: 'The delegation of Germany' });
  await expect(delegation.getByTestId('delegation-seats')).toContainText('of the 3 places');
  const form = delegation.getByRole('group', { name: 'Register a colleague' });
  await form.getByLabel('Full name').fill('Lena Vogel');
  await form.getByLabel('Email address').fill(colleague);
  await form.getByLabel('Organisation').fill('Staatsanwaltschaft Köln');
  await form.getByRole('button', { name: 'Register my colleague' }).click();
  // Two things missing: both named, what was typed kept.
  await expect(member).toHaveURL(/#delegate-errors$/);
  await expect(member.getByTestId('form-error')).toContainText('privacy notice');
  await expect(member.locator('#delegate-role-error')).toBeVisible();
  await expect(member.getByLabel('Full name')).toHaveValue('Lena Vogel');
  await member.getByLabel('Role').fill('Prosecutor');
  await member.getByLabel('My colleague knows the privacy notice and agrees to it').check();
  await member.getByRole('button', { name: 'Register my colleague' }).click();
  await expect(member.getByTestId('form-notice').first()).toContainText('Lena Vogel is registered for your delegation');
  await expect(member.getByTestId('delegation')).toContainText('Prosecutor, Staatsanwaltschaft Köln');

  const message = await nextMessage(colleague, seen);
  expect(subjectOf(message)).toBe('Registered: Plenary Meeting, spring 2027');
  const link = new URL(linkAfter(message, 'See your registration'));
  const context = await browser.newContext({ javaScriptEnabled: false });
  const guest = await context.newPage();
  await guest.goto(link.pathname);
  await expect(guest).toHaveURL(/\/guest\/events\/\d+$/);
  await expect(guest.getByTestId('registration-standing')).toHaveText('You are registered.');
  await guest.getByRole('group', { name: 'Change your registration' }).getByLabel('Dietary requirements').fill('Vegetarian');
  await guest.getByRole('button', { name: 'Save the changes' }).click();
  await expect(guest.getByTestId('form-notice').first()).toHaveText('Your registration is changed.');
  await expect(guest.getByRole('group', { name: 'Change your registration' }).getByLabel('Dietary requirements')).toHaveValue('Vegetarian');
  await context.close();
  await member.context().close();
});

test('the chair invites guests from a spreadsheet after checking every line', async ({ browser }, info) => {
  const js = info.project.name === 'javascript';
  const chair = await signedIn(browser, CHAIR, js);
  const spring = chair.getByRole('region', { name: 'Your events' }).getByRole('listitem').filter({ hasText: 'Plenary Meeting, spring 2027' });
  await spring.getByRole('link', { name: 'Manage this event' }).click();
  await chair.getByRole('link', { name: "Invite the network's members and see who registered" }).click();
  await chair.getByRole('link', { name: 'Invite guests from a spreadsheet (CSV)' }).click();
  await expect(chair.getByRole('heading', { level: 1 })).toHaveText('Invite guests from a file: Plenary Meeting, spring 2027');
  if (js) await expectNoAxeViolations(chair, 'upload page');
  const tag = info.project.name;
  const csv = `Name;Email;Organisation;Member State\r\nAnna Schmidt;anna.${tag}@guests.example;;DE\r\nJean Martin;not-an-address;;FR\r\n`;
  await chair.getByLabel('CSV file').setInputFiles({ name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await chair.getByRole('button', { name: 'Read the file' }).click();
  await expect(chair.getByTestId('upload-summary')).toHaveText('1 guest to invite; 1 line refused.');
  await expect(chair.getByTestId('upload-problems')).toContainText('Line 3: “not-an-address” is not a valid e-mail address.');
  if (js) await expectNoAxeViolations(chair, 'upload preview');
  await chair.getByRole('button', { name: 'Invite this guest' }).click();
  await expect(chair.getByTestId('form-notice').first()).toContainText('1 guest invited from the file');
  await expect(chair.getByRole('table').getByRole('cell', { name: `anna.${tag}@guests.example` })).toBeVisible();
  await chair.context().close();
});
