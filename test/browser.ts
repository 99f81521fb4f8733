import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'

// Debian's chromium, driven by playwright-core (which downloads no browser). In CI it must run:
// .ci/run installs it; elsewhere the browser tests are skipped when the browser is absent.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** tap's `skip` for a browser test: a reason when chromium is absent outside CI, else `false`. */
export const skipWithoutChromium = !existsSync(CHROMIUM) && process.env.CI === undefined
  ? `${CHROMIUM} is absent: apt-get install -y chromium to run the Swagger UI browser tests (they always run in CI)`
  : false

/** Launches headless chromium with flags that work as root in a container. */
export async function launchChromium (): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
}

/** npm run docs:screenshot sets UPDATE_SCREENSHOT=1 to refresh the docs' images; other runs leave the work tree alone. */
export const updateScreenshots = process.env.UPDATE_SCREENSHOT === '1'
