import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { linkAfter, nextMessage, seenIds, subjectOf } from './support/mail';

// Sign-in, emailed links, the own account and the secretariat's people pages. Every
// test runs twice against the same server and database: with JavaScript on
// (`javascript`) and off (`no-javascript`); the forms are plain HTML forms either way.
//
// Sign-in is rate-limited (5 failed password attempts per address and 10 per client
// within 15 minutes; the same for link requests), and both projects share one
// server: the suite makes few failed attempts and link requests, on different
// addresses.

const DEMO_PASSWORD = 'convene-demo-2026';
const SECRETARIAT = { email: 'femke.visser@eurojust.demo.example', name: 'Femke Visser' };
const CHAIR = { email: 'aoife.byrne@ejocn.demo.example', name: 'Aoife Byrne' };
const CONTACT_POINT = { email: 'katharina.becker@ejocn.demo.example', name: 'Katharina Becker' };
const PARTNER = { email: 'henrik.maas@europol.demo.example', name: 'Henrik Maas' };
const OBSERVER = { email: 'isabelle.laurent@commission.demo.example', name: 'Isabelle Laurent' };

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const passwordSection = (page: Page) => page.getByRole('region', { name: 'With your password' });
const linkSection = (page: Page) => page.getByRole('region', { name: 'With a link by email' });
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Fills and posts the password form of /sign-in (the page must be open). */
async function submitPassword(page: Page, email: string, password: string) {
  const form = passwordSection(page);
  await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(email);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in; the secretariat lands on /admin, everyone else on /account. */
async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await submitPassword(page, email, password);
  await expect(page).toHaveURL(email === SECRETARIAT.email ? /\/admin$/ : /\/account$/);
}

async function signOut(page: Page) {
  await mainNav(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in(#[\w-]+)?$/);
  await expect(page.getByTestId('form-notice')).toHaveText('You are signed out.');
  await expect(mainNav(page).getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

async function expectNoAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = results.violations.map(
    (v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

/** The path and query of an absolute link to this server, checking its origin. */
function onThisServer(link: string, baseURL: string | undefined): string {
  const url = new URL(link);
  expect(url.origin, 'the emailed link points at this server').toBe(new URL(baseURL ?? link).origin);
  return url.pathname + url.search;
}

test.describe('signing in and out', () => {
  test('a contact point signs in with her password, sees her account, and signs out', async ({ page }) => {
    await page.goto('/');
    await mainNav(page).getByRole('link', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in(#[\w-]+)?$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

    await submitPassword(page, CONTACT_POINT.email, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
    await expect(mainNav(page).getByRole('link', { name: `Your account: ${CONTACT_POINT.name}` })).toBeVisible();
    await expect(mainNav(page).getByRole('link', { name: 'Sign in', exact: true })).toHaveCount(0);
    // A contact point is not the secretariat.
    await expect(mainNav(page).getByRole('link', { name: 'Secretariat' })).toHaveCount(0);
    await expect(page.getByTestId('own-email')).toHaveText(CONTACT_POINT.email);
    await expect(page.getByTestId('own-memberships')).toContainText('National Contact Point');
    await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(CONTACT_POINT.name);
    await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your memberships' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your events' })).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Download everything Convene holds about you (JSON)' }),
    ).toHaveAttribute('href', '/account/export.json');
    await expect(page.getByRole('button', { name: 'Sign out on every device' })).toBeVisible();
    await expect(page).toHaveTitle('Your account — Convene');
    // The data export answers with her own data (the request shares the browser's cookies).
    const exported = await page.request.get('/account/export.json');
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toContain('application/json');
    expect(await exported.text()).toContain(CONTACT_POINT.email);

    await signOut(page);
    const response = await page.goto('/account');
    expect(response?.status()).toBe(401);
  });

  test('a wrong password is refused, keeping the address and not the password', async ({ page }, info) => {
    // One failed attempt per project, on the observer's address only.
    await page.goto('/sign-in');
    const wrong = `not the password, ${info.project.name}`;
    await submitPassword(page, OBSERVER.email, wrong);
    await expect(page).toHaveURL(/\/sign-in(#[\w-]+)?$/);
    const form = passwordSection(page);
    await expect(form.getByRole('alert')).toHaveText('The email address or the password is not right.');
    await expect(form.getByRole('textbox', { name: 'Email address', exact: true })).toHaveValue(OBSERVER.email);
    await expect(form.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
    expect(await page.content()).not.toContain(wrong);
    // Still anonymous.
    await expect(mainNav(page).getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    // The other form on the page does not show the message.
    await expect(linkSection(page).getByRole('alert')).toHaveCount(0);
  });

  test('an emailed link signs the partner in, once', async ({ page, baseURL }) => {
    const seen = await seenIds(PARTNER.email);
    await page.goto('/sign-in');
    const form = linkSection(page);
    await form.getByRole('textbox', { name: 'Email address', exact: true }).fill(PARTNER.email);
    await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page).toHaveURL(/\/sign-in(#[\w-]+)?$/);
    await expect(form.getByRole('status')).toContainText(
      'If an account exists for that address, a message with a link is on its way.',
    );

    const message = await nextMessage(PARTNER.email, seen);
    expect(subjectOf(message)).toBe('Your sign-in link for Convene');
    const link = linkAfter(message, 'Sign in to Convene');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sign-in\/link\?token=[A-Za-z0-9_-]{43,}$/);
    const path = onThisServer(link, baseURL);

    // Opening the page does not use the link; the button does.
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in with your link');
    await page.getByRole('button', { name: `Sign in as ${PARTNER.name}` }).click();
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(page.getByTestId('own-email')).toHaveText(PARTNER.email);
    await expect(mainNav(page).getByRole('link', { name: `Your account: ${PARTNER.name}` })).toBeVisible();

    await page.goto(path);
    await expect(page.getByRole('alert')).toHaveText('This sign-in link has expired or was already used.');
    await expect(page.getByRole('button', { name: /^Sign in as/ })).toHaveCount(0);
  });

  test('the chair chooses a new password from an emailed link', async ({ page, baseURL }, info) => {
    // Both projects change the same account: each uses its own new password.
    const newPassword = `lantern orchard gravel ${info.project.name}`;
    const seen = await seenIds(CHAIR.email);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password, or never set one?' }).click();
    await expect(page).toHaveURL(/\/sign-in\/reset(#[\w-]+)?$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
    await page.getByRole('textbox', { name: 'Email address', exact: true }).fill(CHAIR.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expect(page).toHaveURL(/\/sign-in\/reset(#[\w-]+)?$/);
    await expect(page.getByRole('status').filter({ hasText: 'If an account exists' })).toContainText(
      'If an account exists for that address, a message with a link is on its way.',
    );

    const message = await nextMessage(CHAIR.email, seen);
    expect(subjectOf(message)).toBe('Set your Convene password');
    const link = linkAfter(message, 'Choose a password');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/account\/password\?token=[A-Za-z0-9_-]{43,}$/);
    const path = onThisServer(link, baseURL);

    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
    await expect(page.getByText(`For the account of ${CHAIR.name}.`)).toBeVisible();

    // A common password is refused, with the message at the field.
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('password1234');
    await page.getByRole('textbox', { name: 'New password again', exact: true }).fill('password1234');
    await page.getByRole('button', { name: 'Save the password and sign in' }).click();
    await expect(page).toHaveURL(/\/account\/password\?token=/);
    // Landing on the error summary, which names the problem and links to the field.
    await expect(page).toHaveURL(/#password-errors$/);
    await expect(page.getByRole('alert')).toContainText('There is a problem');
    await expect(page.getByRole('alert').getByRole('link')).toHaveText(
      'This password is on the lists attackers try first. Choose another.',
    );
    const field = page.getByRole('textbox', { name: 'New password', exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/This password is on the lists attackers try first\./);
    await expect(page.locator('#password-password-error')).toHaveText(
      'Error: This password is on the lists attackers try first. Choose another.',
    );
    await expect(page.getByRole('textbox', { name: 'New password again', exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveValue('');

    await field.fill(newPassword);
    await page.getByRole('textbox', { name: 'New password again', exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Save the password and sign in' }).click();
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(page.getByTestId('form-notice')).toHaveText(
      /^Your password is set\.( \d+ other sessions? of your account ended\.)?$/,
    );
    await expect(page.getByTestId('own-email')).toHaveText(CHAIR.email);

    await signOut(page);
    await submitPassword(page, CHAIR.email, newPassword);
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(mainNav(page).getByRole('link', { name: `Your account: ${CHAIR.name}` })).toBeVisible();

    // Put the demo password back with the "Change your password" form, so that later
    // tests can sign the chair in as the README says.
    const change = page.getByRole('region', { name: 'Change your password' });
    await change.getByRole('textbox', { name: 'Current password', exact: true }).fill(newPassword);
    await change.getByRole('textbox', { name: 'New password', exact: true }).fill(DEMO_PASSWORD);
    await change.getByRole('textbox', { name: 'New password again', exact: true }).fill(DEMO_PASSWORD);
    await change.getByRole('button', { name: 'Save the password' }).click();
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(page.getByRole('region', { name: 'Change your password' }).getByRole('status')).toHaveText(
      /^Your password is changed\. \d+ other sessions? ended\.$/,
    );
  });
});

test.describe('the secretariat and access', () => {
  test('the secretariat filters people by Member State', async ({ page }) => {
    // The secretariat's work is at /admin: that is where signing in lands.
    await signIn(page, SECRETARIAT.email);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Secretariat');
    await expect(mainNav(page).getByRole('link', { name: 'Secretariat' })).toBeVisible();

    await page.goto('/admin/people');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('People');
    const filter = page.getByRole('form', { name: 'Filter people' });
    await filter.getByRole('combobox', { name: 'Member State' }).selectOption({ label: 'Poland' });
    await filter.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/\/admin\/people\?(.*&)?member_state=PL(&|$)/);
    await expect(page.getByTestId('people-count')).toHaveText('2 people match.');
    const rows = page.getByRole('table').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.getByRole('link', { name: 'Agnieszka Nowak' })).toBeVisible();
    await expect(rows.getByRole('link', { name: 'Piotr Zielinski' })).toBeVisible();
    await expect(filter.getByRole('combobox', { name: 'Member State' })).toHaveValue('PL');

    await rows.getByRole('link', { name: 'Agnieszka Nowak' }).click();
    await expect(page).toHaveURL(/\/admin\/people\/\d+(#[\w-]+)?$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Agnieszka Nowak');
    // The membership form starts from the person's own Member State.
    await expect(page.getByRole('combobox', { name: 'Member State' }).last()).toHaveValue('PL');
  });

  test('a contact point is not allowed into the secretariat pages', async ({ page }) => {
    await signIn(page, CONTACT_POINT.email);
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(page.getByText('You are not allowed to do this.')).toBeVisible();
    await expect(page.getByText(/people, \d+ active accounts/)).toHaveCount(0);
    const people = await page.goto('/admin/people');
    expect(people?.status()).toBe(403);
    await expect(page.getByText('Agnieszka Nowak')).toHaveCount(0);
  });

  test('an anonymous visitor of /account is asked to sign in, and comes back after', async ({ page }) => {
    const response = await page.goto('/account');
    expect(response?.status()).toBe(401);
    await expect(page.getByRole('heading', { name: 'Please sign in' })).toBeVisible();
    await expect(page.getByTestId('own-email')).toHaveCount(0);
    const signInLink = page.getByRole('main').getByRole('link', { name: 'Sign in', exact: true });
    await expect(signInLink).toHaveAttribute('href', '/sign-in?next=%2Faccount');
    await signInLink.click();
    await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount(#[\w-]+)?$/);
    await submitPassword(page, CONTACT_POINT.email, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/account(#[\w-]+)?$/);
    await expect(page.getByTestId('own-email')).toHaveText(CONTACT_POINT.email);
  });
});

test.describe('accessibility (WCAG 2.1 AA) of the account and secretariat pages', () => {
  // axe runs inside the page, so it needs JavaScript; the markup is the same without it.
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript');

  test('/sign-in', async ({ page }) => {
    await page.goto('/sign-in');
    await expectNoAxeViolations(page, '/sign-in');
  });

  test('/sign-in after a failed attempt', async ({ page }) => {
    // An unknown address: the failure counts against nobody's account.
    await page.goto('/sign-in');
    await submitPassword(page, 'nobody.here@demo.example', 'not the password at all');
    await expect(passwordSection(page).getByRole('alert')).toHaveText(
      'The email address or the password is not right.',
    );
    await expectNoAxeViolations(page, '/sign-in with an error');
  });

  test('/sign-in/reset', async ({ page }) => {
    await page.goto('/sign-in/reset');
    await expectNoAxeViolations(page, '/sign-in/reset');
  });

  test('/account, signed in', async ({ page }) => {
    await signIn(page, CONTACT_POINT.email);
    await expectNoAxeViolations(page, '/account');
  });

  test('/admin/people and a person, as the secretariat', async ({ page }) => {
    await signIn(page, SECRETARIAT.email);
    await page.goto('/admin/people');
    await expect(page.getByTestId('people-count')).toBeVisible();
    await expectNoAxeViolations(page, '/admin/people');
    await page.getByRole('table').getByRole('link').first().click();
    await expect(page).toHaveURL(/\/admin\/people\/\d+(#[\w-]+)?$/);
    await expectNoAxeViolations(page, page.url().replace(/^https?:\/\/[^/]+/, ''));
  });

  test('the other secretariat pages', async ({ page }) => {
    await signIn(page, SECRETARIAT.email);
    for (const path of [
      '/admin',
      '/admin/organisations',
      '/admin/organisations/new',
      '/admin/networks',
      '/admin/networks/1',
      '/admin/events',
      '/admin/events/new',
      '/admin/audit',
      '/admin/mail',
    ]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      await expectNoAxeViolations(page, path);
    }
  });
});

test.describe('Content-Security-Policy', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'scripts run only with JavaScript on');

  for (const path of ['/sign-in', '/networks/ejocn']) {
    test(`nothing on ${path} is blocked by the policy, and the page hydrates`, async ({ page }) => {
      const messages: string[] = [];
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      const response = await page.goto(path);
      expect(response?.headers()['content-security-policy'], 'the page sets a policy').toBeTruthy();
      await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
      // Islands hydrate right after; a mismatch between the server's HTML and the wasm
      // shows as a console error and a panic. (A debug server binary built by plain
      // `cargo build` next to the wasm of `cargo leptos build` is one such mismatch.)
      await page.waitForLoadState('networkidle');
      expect(messages.filter((m) => /hydration error|panicked/i.test(m))).toEqual([]);
      if (path === '/networks/ejocn') {
        // The membership filter island reacts to typing: its code ran.
        await page.getByLabel('Filter by Member State or organisation').pressSequentially('pola');
        await expect(page.getByTestId('membership-count')).toHaveText('Showing 1 of 32 entries.');
      }
      expect(messages.filter((m) => /Content[- ]Security[- ]Policy/i.test(m))).toEqual([]);
      expect(messages.filter((m) => m.startsWith('pageerror'))).toEqual([]);
    });
  }
});
