import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, signedIn } from './support/pages';

// The agenda of the demo's spring plenary: the chair builds it with plain forms
// (JavaScript off), sees a room booked twice named at both items, publishes, moves
// an item to the second day on its own page, adds a workshop in parallel and
// publishes again; an anonymous reader sees the closed session only as "Closed
// session" with its time, the second day as a grid of time by room and what
// version 2 changed; a contact point of the network sees it in full (JavaScript on).

const CHAIR = 'aoife.byrne@ejocn.demo.example';
const MEMBER = 'katharina.becker@ejocn.demo.example';
const AGENDA = '/networks/ejocn/events/plenary-meeting-spring-2027/agenda';


async function addItem(chair: Page, kind: string, title: string, starts: string, ends: string, who: string, speaker: string, day = 1, room = 'Room Vesalius') {
  const form = chair.getByRole('region', { name: 'Add an item' });
  await form.getByLabel('Kind').selectOption({ label: kind });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Day').selectOption({ index: day });
  await form.getByLabel('Starts').fill(starts);
  await form.getByLabel('Ends').fill(ends);
  await form.getByLabel('Room').selectOption({ label: room });
  await form.getByLabel('Who sees it in full').selectOption({ label: who });
  await form.getByLabel('Speakers').fill(speaker);
  await form.getByRole('button', { name: 'Add to the draft' }).click();
  await expect(chair.getByTestId('form-notice').first()).toContainText(`${title}`);
}

test('a chair builds and publishes the agenda; readers see the closed session as the policy allows', async ({ browser }, info) => {
  test.skip(info.project.name === 'javascript', 'the chair works without JavaScript; the readers are checked with it below');
  test.setTimeout(90_000);
  const chair = await signedIn(browser, CHAIR, false);
  const spring = chair.getByRole('region', { name: 'Your events' }).getByRole('listitem').filter({ hasText: 'Plenary Meeting, spring 2027' });
  await spring.getByRole('link', { name: 'Manage this event' }).click();
  await chair.getByRole('link', { name: 'The agenda: rooms, items, closed sessions, publishing' }).click();
  await expect(chair.getByRole('heading', { level: 1 })).toHaveText('Agenda: Plenary Meeting, spring 2027');

  const rooms = chair.getByRole('region', { name: 'Rooms' });
  await rooms.getByLabel('Name').fill('Room Vesalius');
  await rooms.getByLabel('Holds').fill('20');
  await rooms.getByRole('button', { name: 'Add the room' }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Room Vesalius is added.');
  await rooms.getByLabel('Name').fill('Room Erasmus');
  await rooms.getByRole('button', { name: 'Add the room' }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Room Erasmus is added.');

  await addItem(chair, 'Closed session', 'Operation Harbour exchange', '10:00', '11:00', 'Members only', 'Jan de Vries, Openbaar Ministerie');
  await addItem(chair, 'Workshop', 'Seaports workshop', '10:30', '11:30', 'Everyone', 'Marta Kowalska, Prokuratura Krajowa');
  await expect(chair.getByTestId('conflicts')).toHaveText('1 conflict in the draft; it is named at its items.');
  await expect(chair.getByTestId('item-warnings')).toHaveCount(2);
  // axe runs in the page, so with JavaScript on: the same builder, as the chair.
  const chairWithScript = await signedIn(browser, CHAIR, true);
  await chairWithScript.goto(chair.url());
  await expectNoAxeViolations(chairWithScript, 'agenda builder');

  await chair.getByRole('button', { name: 'Publish the agenda' }).click();
  await expect(chair.getByTestId('form-notice').first()).toHaveText('Version 1 is published, with 2 changes.');

  // The workshop moves to the second day on its own page; another runs beside it.
  await chair.getByRole('link', { name: 'Edit \u201cSeaports workshop\u201d' }).click();
  await expect(chair.getByRole('heading', { level: 1 })).toHaveText('Edit: Seaports workshop');
  const itemUrl = chair.url();
  const edit = chair.getByRole('region', { name: 'The item' });
  await edit.getByLabel('Day').selectOption({ label: 'Thursday 18 March 2027' });
  await edit.getByLabel('Starts').fill('10:00');
  await edit.getByLabel('Ends').fill('11:30');
  await edit.getByLabel('Description').fill('Ports as **entry points**; bring recent cases.');
  await edit.getByRole('button', { name: 'Save in the draft' }).click();
  await expect(chair.getByTestId('form-notice').first()).toContainText('is saved in the draft');
  await expect(chair.getByTestId('conflicts')).toHaveCount(0);
  await addItem(chair, 'Workshop', 'Cryptophones workshop', '10:00', '11:30', 'Everyone', 'Ana Costa, Procuradoria-Geral da República', 2, 'Room Erasmus');
  await expect(chair.getByTestId('draft-grid')).toBeVisible();
  await chairWithScript.goto(chair.url());
  await expectNoAxeViolations(chairWithScript, 'agenda builder with its grid');
  await chair.getByLabel('Tell the registered participants what changed').check();
  await chair.getByRole('button', { name: 'Publish the changes as a new version' }).click();
  await expect(chair.getByTestId('form-notice').first()).toContainText('Version 2 is published, with 2 changes.');
  await chairWithScript.goto(itemUrl);
  await expectNoAxeViolations(chairWithScript, 'agenda item page');
  await chairWithScript.screenshot({ path: 'test-results/agenda-item.png', fullPage: true });

  // Anonymous, JavaScript off: the closed session is a neutral block with its time.
  const anonymous = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await anonymous.goto(AGENDA);
  await expect(anonymous.getByTestId('agenda-version')).toContainText('Version 2.');
  const items = anonymous.getByTestId('agenda-item');
  await expect(items).toHaveCount(3);
  const changes = anonymous.getByTestId('agenda-changes');
  await expect(changes.getByRole('heading')).toHaveText('Changes in version 2');
  await expect(changes).toContainText('Moved: Seaports workshop');
  await expect(changes).toContainText('Added: Cryptophones workshop');
  // The second day: two workshops at once, as a grid of time by room.
  const grid = anonymous.getByTestId('agenda-grid');
  await expect(grid.getByRole('columnheader')).toHaveText(['Time', 'Room Erasmus', 'Room Vesalius']);
  await expect(grid.getByRole('cell').filter({ hasText: 'Seaports workshop' })).toContainText('Ports as entry points');
  await expect(items.filter({ hasText: 'Closed session' })).toContainText('10:00–11:00');
  await expect(anonymous.locator('main')).not.toContainText('Operation Harbour');
  await expect(anonymous.locator('main')).not.toContainText('Jan de Vries');
  await expect(items.filter({ hasText: 'Closed session' })).not.toContainText('Vesalius');
  await expect(items.filter({ hasText: 'Seaports workshop' })).toContainText('Marta Kowalska (Prokuratura Krajowa)');
  const reader = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
  await reader.goto(AGENDA);
  await expectNoAxeViolations(reader, 'agenda page with its grid');
  await reader.setViewportSize({ width: 1280, height: 1000 });
  await reader.screenshot({ path: 'test-results/agenda-grid.png', fullPage: true });
  await reader.setViewportSize({ width: 400, height: 900 });
  await reader.screenshot({ path: 'test-results/agenda-narrow.png', fullPage: true });

  // A contact point of the network, JavaScript on: in full.
  const member = await signedIn(browser, MEMBER, true);
  await member.goto(AGENDA);
  await expect(member.getByTestId('agenda-item').filter({ hasText: 'Operation Harbour exchange' })).toContainText('Room: Room Vesalius');
});
