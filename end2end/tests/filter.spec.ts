import { test, expect } from '@playwright/test';

test('once hydrated, the membership list narrows as you type', async ({ page }, info) => {
  test.skip(info.project.name !== 'javascript', 'needs JavaScript');
  await page.goto('/networks/ejocn');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('membership-count')).toHaveText('Showing 32 of 32 entries.');
  await page.getByLabel('Filter by Member State or organisation').pressSequentially('pola');
  await expect(page.getByTestId('membership-count')).toHaveText('Showing 1 of 32 entries.');
  await expect(page.locator('[data-member-state="PL"]')).toBeVisible();
  await expect(page.locator('[data-member-state="BE"]')).toHaveCount(0);
  // Nothing was submitted: the page narrowed in place.
  await expect(page).toHaveURL(/\/networks\/ejocn(#[\w-]+)?$/);
});

test('without JavaScript, the filter narrows the list on submit', async ({ page }, info) => {
  test.skip(info.project.name !== 'no-javascript', 'the plain-HTML path');
  await page.goto('/networks/ejocn');
  await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Filter by Member State or organisation').fill('europol');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/\/networks\/ejocn\?q=europol(#[\w-]+)?$/);
  await expect(page.getByTestId('membership-count')).toHaveText('Showing 1 of 32 entries.');
  await expect(page.getByRole('heading', { name: 'Associate Partners' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'National Contact Points' })).toHaveCount(0);
});
