// How the browser suites of tests/e2e start Chromium: Debian's /usr/bin/chromium (or $CHROMIUM),
// headless, through playwright-core (no browser download), with the flags a CI box needs.
import { chromium } from 'playwright-core'

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Launches the one browser of a suite; the caller closes it. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    timeout: 30_000,
  })
}
