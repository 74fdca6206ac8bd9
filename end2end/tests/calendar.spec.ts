import { test, expect, type APIRequestContext } from '@playwright/test';
import ICAL from 'ical.js';
import { expectNoAxeViolations, signedIn } from './support/pages';

// Calendar feeds as Thunderbird reads them: ical.js (its parser) parses the feeds
// the event and agenda pages link to, an anonymous reader's and a member's; a
// member makes their personal calendar address on the account page and the feed
// at that address parses too.

const EVENT = '/networks/ejocn/events/first-plenary-meeting';
const CLOSED = 'Exchange of non-personal operational information';
const MEMBER = 'katharina.becker@ejocn.demo.example';

/// The VEVENTs of a feed, parsed by ical.js, as (summary, status, uid, sequence).
async function events(request: APIRequestContext, path: string) {
  const res = await request.get(path);
  expect(res.status(), path).toBe(200);
  expect(res.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const text = await res.text();
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  const zones = calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    const start = v.getFirstProperty('dtstart');
    return {
      summary: e.summary,
      status: String(v.getFirstPropertyValue('status')),
      uid: e.uid,
      sequence: e.sequence,
      zone: start?.getParameter('tzid'),
      zones,
      starts: e.startDate.toJSDate(),
    };
  });
}

test('the event and agenda pages link to feeds that ical.js reads, with the closed session as the policy allows', async ({ page }, info) => {
  await page.goto(EVENT);
  const links = page.getByRole('navigation', { name: 'Calendar: this event' });
  await expect(links.getByRole('link', { name: 'Subscribe in your calendar' })).toHaveAttribute('href', /^webcal:\/\/127\.0\.0\.1:\d+\/networks\/ejocn\/events\/first-plenary-meeting\/calendar\.ics$/);
  await expect(links.getByRole('link', { name: 'Add to Google Calendar' })).toHaveAttribute('href', /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=First\+Plenary/);
  await expect(links.getByRole('link', { name: 'Add to Outlook on the web' })).toHaveAttribute('href', /^https:\/\/outlook\.office\.com\/calendar\/action\/compose\?/);
  const single = await events(page.request, (await links.getByRole('link', { name: 'Download (.ics)' }).getAttribute('href'))!);
  expect(single).toHaveLength(1);
  expect(single[0].summary).toContain('First Plenary Meeting');

  await page.goto(`${EVENT}/agenda`);
  const subscribe = await page.getByRole('navigation', { name: 'Calendar: this agenda' }).getByRole('link', { name: 'Subscribe in your calendar' }).getAttribute('href');
  const feed = subscribe!.replace(/^webcal:\/\/[^/]+/, '');
  const anyone = await events(page.request, feed);
  expect(anyone.length).toBeGreaterThan(10);
  expect(anyone.every((e) => e.zone === undefined || e.zones.includes(e.zone)), 'a VTIMEZONE for every TZID').toBe(true);
  expect(anyone.map((e) => e.summary)).toContain('Closed session');
  expect(anyone.map((e) => e.summary)).not.toContain(CLOSED);
  // The items the page shows are the feed's, in the same order of time.
  const onPage = await page.getByTestId('agenda-item').count();
  expect(anyone.length).toBe(onPage + 1);
  if (info.project.name === 'javascript') {
    await expectNoAxeViolations(page, 'agenda page with its calendar links');
  }
});

test('a member makes their personal calendar address, copies it, and their feed shows them the closed session', async ({ browser }, info) => {
  const js = info.project.name === 'javascript';
  const member = await signedIn(browser, MEMBER, js);
  const section = member.getByRole('region', { name: 'Your calendar' });
  const button = section.getByRole('button', { name: /Make (my calendar address|a new address)/ });
  await button.click();
  await expect(member.getByTestId('form-notice').filter({ hasText: 'shown only this once' })).toBeVisible();
  const field = member.getByRole('textbox', { name: 'Your personal calendar address' });
  const address = await field.inputValue();
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  if (js) {
    await member.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    // The form's answer is a new page: its copy button works once the page has hydrated.
    await expect(member.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await member.getByRole('button', { name: 'Copy your personal calendar address' }).click();
    await expect(member.getByText('Copied.')).toBeVisible();
    expect(await member.evaluate(() => navigator.clipboard.readText())).toBe(address);
    await expectNoAxeViolations(member, 'account page with a new calendar address');
  }
  // A calendar program sends no cookie: a context of its own.
  const program = await browser.newContext();
  const mine = await events(program.request, new URL(address).pathname);
  expect(mine.length).toBeGreaterThan(0);
  // A member who sees the First Plenary's agenda in full sees the closed session
  // by name in the event's feed when signed in.
  const full = await events(member.request, `${EVENT}/calendar.ics`);
  expect(full.map((e) => e.summary)).toContain(CLOSED);
  await program.close();
  await member.context().close();
});
