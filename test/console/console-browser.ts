import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** A signed-in browser's cookies, as `context.storageState()` gives them. */
export type SignedIn = Awaited<ReturnType<BrowserContext['storageState']>>;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** Debian's Chromium, driven by playwright-core (no browser download). Fails loudly when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser context (a person's browser) at a viewport. With `signedIn`, it
 * carries the session cookie of a person who signed in by link in another
 * context (see `signInByLink`); the console has no other way in.
 */
export function personsBrowser(browser: Browser, viewport: { width: number; height: number }, signedIn?: SignedIn): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'en-GB', reducedMotion: 'reduce', ...(signedIn ? { storageState: signedIn } : {}) });
}

/** A person's browser (`personsBrowser`) in which every CSP violation or page error, on any of its pages, is collected. */
export async function personAt(browser: Browser, viewport: { width: number; height: number }, signedIn?: SignedIn) {
  const context = await personsBrowser(browser, viewport, signedIn);
  const problems: string[] = [];
  context.on('page', (page) => watch(page, problems));
  return { context, problems };
}

/** Opens a sign-in link in a fresh browser, waits for the console's greeting and answers the browser's cookies. */
export async function signInByLink(browser: Browser, link: string): Promise<SignedIn> {
  const context = await browser.newContext({ locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector('main h1:has-text("Hello")', { timeout: 30_000 }).catch(async (error: Error) => {
      throw new Error(`signing in from ${link.replace(/#.*/, '#…')}: ${error.message}\nthe page at ${page.url()} shows: ${await page.locator('body').innerText().catch(() => '?')}`);
    });
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** A new page of `context`, with every CSP violation or page error on it collected in `problems`. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  watch(page, problems);
  return { page, problems };
}

/**
 * A page (a tab) for going from screen to screen, with axe-core put into each
 * document it loads (by the DevTools protocol, like seriousViolations), so
 * axe's half a megabyte crosses the protocol once per tab, not per screen.
 */
export async function auditedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const watched = await watchedPage(context);
  await watched.page.addInitScript({ content: AXE_SOURCE });
  return watched;
}

function watch(page: Page, problems: string[]) {
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

/** Waits until the screen has its heading and nothing is still loading. */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector('main h1', { timeout: 15_000 });
  // A locator, not waitForFunction with a string: that is eval'd in the page, which the console's CSP refuses.
  await page.locator('[role=status]').filter({ hasText: /Loading|Chargement/ }).first().waitFor({ state: 'detached', timeout: 15_000 });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core in the page (evaluated through the DevTools protocol, so the
 * page's CSP, which forbids inline scripts, stays on): WCAG 2.0–2.2 A and AA
 * rules; answers the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // A page made by auditedPage has axe-core in every document already.
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** Saves a screenshot under CONSOLE_SCREENSHOTS (the docs script sets it); otherwise does nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
