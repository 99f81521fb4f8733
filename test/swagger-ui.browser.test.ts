import { test } from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { buildExampleApp } from '../examples/app.js'
import { registry } from '../examples/registry.js'
import { launchChromium, skipWithoutChromium as skip } from './browser.js'

const expectedScopes = registry.names.map((name) => [name, registry.get(name)?.description])

test('Swagger UI in headless Chromium', { skip }, async (t) => {
  const app = await buildExampleApp({ jwt: { secret: 'browser-test-secret-0123456789abcdef' }, tokenUrl: '/oauth/token' })
  t.teardown(() => app.close())
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser: Browser = await launchChromium()
  t.teardown(() => browser.close())
  const page: Page = await browser.newPage({ viewport: { width: 1000, height: 2600 } })
  await page.goto(`${address}/docs`)
  await page.waitForSelector('.auth-wrapper button.authorize')
  const dialog = page.locator('.dialog-ux .modal-ux')

  /** The scope rows of the open Authorize dialog: [name, description]. */
  const dialogScopes = async (): Promise<Array<[string, string]>> => {
    const rows = dialog.locator('.checkbox')
    return Promise.all((await rows.all()).map(async (row) =>
      [await row.locator('p.name').innerText(), await row.locator('p.description').innerText()] as [string, string]))
  }

  await t.test('the Authorize dialog lists every registry scope with its description', async (t) => {
    await page.click('.auth-wrapper button.authorize')
    await dialog.waitFor()
    t.match(await dialog.innerText(), /oauth2 \(OAuth2, clientCredentials\)/)
    t.match(await dialog.innerText(), /Token URL:\s*\/oauth\/token/)
    t.same(await dialogScopes(), expectedScopes)
    for (const name of registry.names) {
      t.equal(await dialog.locator(`input[data-value="${name}"]`).count(), 1, `${name} has its checkbox`)
    }
    // The dialog scrolls its content: unfold it so the picture shows every scope.
    await page.addStyleTag({ content: '.dialog-ux .modal-ux-content { max-height: none !important; overflow: visible !important }' })
    const png = await dialog.screenshot()
    t.equal(png.subarray(1, 4).toString(), 'PNG')
    // The docs' picture comes from swagger-ui-authorize.browser.test.ts, against the real authorization server.
    await writeFile(join(t.testdir(), 'authorize.png'), png)
    await dialog.locator('button.close-modal').click()
    await dialog.waitFor({ state: 'detached' })
  })

  await t.test('a protected operation shows its lock, its scopes and what it needs', async (t) => {
    const chats = page.locator('#operations-default-get_chats')
    const lock = chats.locator('.authorization__btn')
    t.equal(await lock.count(), 1, 'GET /chats has a lock')
    await lock.click()
    await dialog.waitFor()
    t.same(await dialogScopes(), [['read:chat', registry.get('read:chat')?.description]], 'its lock lists the scope it needs')
    await dialog.locator('button.close-modal').click()
    await dialog.waitFor({ state: 'detached' })
    await chats.locator('.opblock-summary-control').click()
    await chats.locator('.opblock-body').waitFor()
    t.match(await chats.locator('.opblock-description-wrapper').first().innerText(), 'Required scope: read:chat.')
    const statuses = await chats.locator('.responses-table tr.response td.response-col_status').allInnerTexts()
    t.same(statuses.map((status) => status.trim()), ['200', '401', '403'])
  })

  await t.test('an operation with alternatives shows its lock and names every alternative; a public one has no lock', async (t) => {
    const dashboard = page.locator('#operations-default-get_insights_dashboard')
    t.equal(await dashboard.locator('.authorization__btn').count(), 1)
    await dashboard.locator('.opblock-summary-control').click()
    await dashboard.locator('.opblock-body').waitFor()
    // Swagger UI's lock dialog shows only the first alternative's scopes: the description names them all.
    t.match(await dashboard.locator('.opblock-description-wrapper').first().innerText(),
      'Required scopes: read:insights, or read:creator and read:fan.')
    t.equal(await page.locator('#operations-default-get_health .authorization__btn').count(), 0)
  })
})
