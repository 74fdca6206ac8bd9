import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, signedIn } from './support/pages';
import { messagesTo, nextMessage, seenIds, subjectOf, textPart, type SunkMessage } from './support/mail';

// Outcome reports as their people use them: a chair writes and submits, the
// secretariat approves and sends, a participant's mail arrives with the report and
// its members-only annex, and an observer's copy has no annex. With JavaScript on,
// the Focus Group's annual meeting 2025 gets its first report; without, the First
// Plenary Meeting's approved report is corrected and sent again as an update.

const SECRETARIAT = 'femke.visser@eurojust.demo.example';
const CHAIR = 'aoife.byrne@ejocn.demo.example';

async function eventId(page: Page, network: string, slug: string): Promise<number> {
  const res = await page.request.get(`/api/event?network=${network}&slug=${slug}`);
  expect(res.status()).toBe(200);
  return (await res.json()).id;
}

/// The secretariat makes the demo chair a chair of event `id`.
async function makeChair(admin: Page, id: number) {
  await admin.goto(`/admin/events/${id}`);
  const people = admin.getByRole('region', { name: 'Chairs and organisers' });
  await people.getByLabel('Email address').fill(CHAIR);
  await people.getByRole('button', { name: 'Add to the event' }).click();
  await expect(admin.getByRole('region', { name: 'Chairs and organisers' }).getByRole('cell', { name: 'Aoife Byrne', exact: true })).toBeVisible();
}

function annexOf(m: SunkMessage): boolean {
  return textPart(m).includes('Members-only annex');
}

test('a chair writes and submits, the secretariat approves and sends, members get the annex and observers do not', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const js = info.project.name === 'javascript';
  const [network, slug, title] = js
    ? ['thb-focus-group', 'annual-meeting-2025', 'Focus Group annual meeting 2025']
    : ['ejocn', 'first-plenary-meeting', 'First Plenary Meeting'];
  const marker = js ? 'Annex-e2e-js-5521' : 'Annex-e2e-nojs-5522';
  const admin = await signedIn(browser, SECRETARIAT, js);
  const id = await eventId(admin, network, slug);
  await makeChair(admin, id);

  // The chair writes.
  const chair = await signedIn(browser, CHAIR, js);
  await chair.goto(`/events/${id}/report`);
  if (js) {
    await expect(chair.getByRole('heading', { name: 'Write the report' })).toBeVisible();
    // Submitting without a summary is refused at the field, and the annex typed stays.
    await chair.getByRole('textbox', { name: 'Members-only annex', exact: true }).fill(`${marker}: the closed session agreed to share case patterns.`);
    await chair.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(chair.getByTestId('form-error')).toContainText('Write the summary before submitting the report.');
    await expect(chair.getByRole('textbox', { name: 'Members-only annex', exact: true })).toHaveValue(/^Annex-e2e-js-5521/);
    await chair.getByRole('textbox', { name: 'Summary', exact: true }).fill('Prosecutors compared **recent investigations** into trafficking for labour exploitation.');
    await chair.getByRole('textbox', { name: 'Conclusions', exact: true }).fill('- Joint investigation teams help in cross-border cases.');
    await chair.getByRole('textbox', { name: 'Next steps', exact: true }).fill('1. Share the case summaries.');
    await expectNoAxeViolations(chair, 'report draft page');
  } else {
    // The approved report is corrected: a new version, copied, that says what changed.
    await chair.getByRole('button', { name: 'Start a correction (version 2)' }).click();
    await expect(chair.getByTestId('form-notice').first()).toContainText('Version 2 is started');
    await chair.getByRole('textbox', { name: /^What this correction changes/ }).fill('The next steps now name the work plan.');
    await chair.getByRole('textbox', { name: 'Members-only annex', exact: true }).fill(`${marker}: the closed session's conclusion, corrected.`);
  }
  await chair.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(chair.getByTestId('report-status')).toHaveText(/submitted for approval/);

  // The secretariat approves (the chair cannot: the page does not offer it).
  await expect(chair.getByRole('button', { name: 'Approve the report' })).toHaveCount(0);
  await admin.goto(`/events/${id}/report`);
  await admin.getByRole('button', { name: 'Approve the report' }).click();
  await expect(admin.getByTestId('report-status')).toHaveText(/approved/);

  // Sending: the groups with their counts, a preview per recipient, then send.
  const send = admin.getByRole('region', { name: 'Send the report' });
  await send.getByLabel(/^All National Contact Points of the network/).check();
  await send.getByLabel(/^All Observers of the network/).check();
  await send.getByRole('button', { name: 'Preview and send…' }).click();
  await expect(admin.getByTestId('send-summary')).toContainText(`Version ${js ? 1 : 2} goes to`);
  await expect(admin.getByTestId('mail-copy')).toBeVisible();
  if (js) await expectNoAxeViolations(admin, 'report sending page', 'iframe.mail-html');
  const member = js ? undefined : 'katharina.becker@ejocn.demo.example';
  const observer = js ? 'roberta.conti@commission.demo.example' : 'isabelle.laurent@commission.demo.example';
  const seenObserver = await seenIds(observer);
  const seenMember = member ? await seenIds(member) : new Set<number>();
  await admin.getByRole('button', { name: /^Send to \d+ (person|people)$/ }).click();
  await expect(admin.getByTestId('form-notice').first()).toContainText('on their way');
  if (js) {
    // The island asks every two seconds while messages are queued.
    await expect(admin.getByTestId('delivery')).toContainText(/\d+ sent, 0 queued, 0 failed/, { timeout: 20_000 });
    await expectNoAxeViolations(admin, 'report page with its delivery');
  } else {
    // Without JavaScript the page shows the state when it was loaded.
    await expect.poll(async () => {
      await admin.reload();
      return admin.getByTestId('delivery').textContent();
    }, { timeout: 20_000 }).toMatch(/\d+ sent, 0 queued, 0 failed/);
  }

  // The observer's copy: the report, no annex; a personal link opens it.
  const toObserver = await nextMessage(observer, seenObserver);
  expect(subjectOf(toObserver)).toBe(js ? `Outcome report: ${title}` : `Corrected outcome report: ${title}`);
  expect(annexOf(toObserver)).toBe(false);
  expect(textPart(toObserver)).not.toContain(marker);
  // A member's copy holds the annex.
  let toMember: SunkMessage;
  if (member) {
    toMember = await nextMessage(member, seenMember);
    expect(textPart(toMember)).toContain('What changed');
  } else {
    let found: SunkMessage | undefined;
    await expect.poll(async () => {
      found = (await messagesTo('')).find((m) => textPart(m).includes(marker));
      return found !== undefined;
    }, { message: 'a National Contact Point receives the annex' }).toBe(true);
    toMember = found!;
  }
  expect(annexOf(toMember)).toBe(true);
  expect(textPart(toMember)).toContain(marker);

  // Publish; the network page lists the report; an anonymous reader never sees the annex.
  await admin.goto(`/events/${id}/report`);
  await admin.getByRole('link', { name: 'Publish the report…' }).click();
  await admin.getByRole('button', { name: 'Publish now' }).click();
  await expect(admin.getByTestId('report-status')).toHaveText(/published/);
  const readerContext = await browser.newContext({ javaScriptEnabled: js });
  const reader = await readerContext.newPage();
  await reader.goto(`/networks/${network}`);
  await reader.getByRole('link', { name: `Outcome report: ${title}` }).click();
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`Outcome report: ${title}`);
  await expect(reader.getByTestId('report')).not.toContainText(marker);
  await expect(reader.getByTestId('annex-hidden')).toContainText('members sign in to read it');
  if (js) await expectNoAxeViolations(reader, 'published report page');
  await readerContext.close();
});
