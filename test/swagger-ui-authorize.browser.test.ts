import { test, type Test } from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Locator, Page, Request } from 'playwright-core'
import { startExample } from '../examples/start.js'
import { launchChromium, skipWithoutChromium as skip, updateScreenshots } from './browser.js'

const AUTHORIZE_PNG = new URL('../docs/swagger-ui-authorize.png', import.meta.url)
const FORBIDDEN_PNG = new URL('../docs/swagger-ui-try-it-403.png', import.meta.url)
// Generous: CI machines are shared, and a first chromium start can be slow.
const TIMEOUT = 30_000

// The scenario, end to end against the embedded oidc-provider: a person picks scopes in
// Swagger UI's Authorize dialog, gets a token from the authorization server, tries endpoints.
test('Swagger UI authorizes against the real authorization server', { skip }, async (t) => {
  const example = await startExample({ host: '127.0.0.1', port: 0, authPort: 0 })
  t.teardown(() => example.close())
  const { apiUrl } = example
  const tokenEndpoint = example.authorizationServer?.tokenEndpoint as string
  const browser: Browser = await launchChromium()
  t.teardown(() => browser.close())
  const page: Page = await browser.newPage({ viewport: { width: 1000, height: 1400 } })
  page.setDefaultTimeout(TIMEOUT)
  await page.goto(`${apiUrl}/docs`)
  await page.waitForSelector('.auth-wrapper button.authorize')
  const dialog = page.locator('.dialog-ux .modal-ux')
  let accessToken = ''

  /** Saves a picture for the docs under `UPDATE_SCREENSHOT=1`, in the test's scratch directory otherwise. */
  const savePicture = async (t: Test, png: Buffer, docsFile: URL, name: string): Promise<void> => {
    t.equal(png.subarray(1, 4).toString(), 'PNG', `${name} is a PNG`)
    await writeFile(updateScreenshots ? docsFile : join(t.testdir(), name), png)
  }

  await t.test('the dialog shows the authorization server\'s token URL and gets a read:chat token from it', async (t) => {
    await page.click('.auth-wrapper button.authorize')
    await dialog.waitFor()
    t.match(await dialog.innerText(), new RegExp(`Token URL:\\s*${tokenEndpoint.replaceAll('.', '\\.')}`), 'the token URL is the authorization server\'s')
    await dialog.locator('#client_id_clientCredentials').fill('read-only-app')
    await dialog.locator('#client_secret_clientCredentials').fill('read-only-secret')
    // Swagger UI hides the input and draws its label as the checkbox: click what a person clicks.
    await dialog.locator('.checkbox', { has: page.locator('input[data-value="read:chat"]') }).locator('label').click()
    const ticked = await dialog.locator('input[type=checkbox]:checked').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('data-value')))
    t.same(ticked, ['read:chat'], 'only read:chat is ticked')

    // The dialog scrolls its content: unfold it so the picture shows every scope.
    await page.addStyleTag({ content: '.dialog-ux .modal-ux-content { max-height: none !important; overflow: visible !important }' })
    await savePicture(t, await dialog.screenshot(), AUTHORIZE_PNG, 'authorize.png')

    const tokenRequest = page.waitForRequest((request) => request.url() === tokenEndpoint && request.method() === 'POST')
    const tokenResponse = page.waitForResponse((response) => response.url() === tokenEndpoint && response.request().method() === 'POST')
    await dialog.locator('.auth-btn-wrapper button.authorize').click()
    const request = await tokenRequest
    const body = new URLSearchParams(request.postData() ?? '')
    t.equal(body.get('grant_type'), 'client_credentials', 'the client-credentials grant')
    t.equal(body.get('scope'), 'read:chat', 'asks for the ticked scope only')
    const response = await tokenResponse
    t.equal(response.status(), 200, 'the token endpoint answers the browser (CORS allows the API origin)')
    const token = await response.json() as { access_token: string, token_type: string, scope: string }
    t.equal(token.token_type, 'Bearer', 'a bearer token')
    t.equal(token.scope, 'read:chat', 'granted read:chat')
    accessToken = token.access_token

    // Swagger UI's Logout button is labelled "Remove authorization" for assistive technology.
    await dialog.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor()
    t.equal(await dialog.locator('h6').innerText(), 'Authorized', 'the dialog says it is authorized')
    await dialog.locator('button.close-modal').click()
    await dialog.waitFor({ state: 'detached' })
    t.equal(await page.locator('.auth-wrapper button.authorize.locked').count(), 1, 'the Authorize button shows a closed lock')
  })

  /** Expands an operation, clicks "Try it out", optionally fills the body, executes; returns the API request and the operation. */
  const tryItOut = async (operationId: string, path: string, method: string, jsonBody?: string): Promise<{ request: Request, operation: Locator }> => {
    const operation = page.locator(`#operations-default-${operationId}`)
    await operation.locator('.opblock-summary-control').click()
    await operation.locator('.opblock-body').waitFor()
    await operation.locator('button.try-out__btn').click()
    if (jsonBody !== undefined) await operation.locator('textarea.body-param__text').fill(jsonBody)
    const apiRequest = page.waitForRequest((request) => request.url() === `${apiUrl}${path}` && request.method() === method)
    await operation.locator('button.execute').click()
    const request = await apiRequest
    await operation.locator('.live-responses-table tr.response td.response-col_status').waitFor()
    return { request, operation }
  }

  await t.test('GET /chats with the read:chat token shows 200', async (t) => {
    const { request, operation } = await tryItOut('get_chats', '/chats', 'GET')
    t.equal((await request.allHeaders()).authorization, `Bearer ${accessToken}`, 'Swagger UI sends the token')
    const live = operation.locator('.live-responses-table tr.response')
    t.equal((await live.locator('td.response-col_status').innerText()).trim(), '200', 'the live response code is 200')
    t.match(await live.locator('td.response-col_description').innerText(), '"title": "Welcome"', 'the body lists the chats')
  })

  await t.test('POST /chats with the read:chat token shows 403 Insufficient scopes', async (t) => {
    const { request, operation } = await tryItOut('post_chats', '/chats', 'POST', '{"title":"hi"}')
    const headers = await request.allHeaders()
    t.equal(headers.authorization, `Bearer ${accessToken}`, 'Swagger UI sends the token')
    t.same(JSON.parse(request.postData() ?? ''), { title: 'hi' }, 'the typed JSON body is sent')
    const live = operation.locator('.live-responses-table tr.response')
    t.equal((await live.locator('td.response-col_status').innerText()).trim(), '403', 'the live response code is 403')
    const shown = await live.locator('td.response-col_description').innerText()
    t.match(shown, '"error": "Insufficient scopes"', 'the body says why')
    t.match(shown, /www-authenticate: Bearer[^\n]*error="insufficient_scope"[^\n]*scope="write:chat"/, 'the challenge names the missing scope')
    // From the curl command down to the server's response headers, with a margin.
    const section = operation.locator('.responses-inner > div', { has: page.locator('.live-responses-table') })
    await section.scrollIntoViewIfNeeded()
    const top = await section.boundingBox()
    const bottom = await live.boundingBox()
    if (top === null || bottom === null) throw new Error('the response section is not rendered')
    const margin = 12
    const clip = { x: top.x - margin, y: top.y - margin, width: top.width + 2 * margin, height: bottom.y + bottom.height - top.y + 2 * margin }
    await savePicture(t, await page.screenshot({ clip }), FORBIDDEN_PNG, 'try-it-403.png')
  })
})
