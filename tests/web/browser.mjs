// The web pages as a person meets them, in Debian's headless Chromium (puppeteer-core drives it
// over the DevTools protocol): search, the story, a hostile title, JavaScript off, screenshots at
// phone and desktop widths, and axe-core's accessibility rules.
//
//   node browser.mjs WHYGO_BINARY OUT_DIR
//
// Starts `whygo serve` on a fresh database on loopback, checks, and exits 0 when everything
// holds (1 with what failed). Everything it starts has a deadline.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [binary, outDir] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const chromium = process.env.WHYGO_CHROMIUM || '/usr/bin/chromium';
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

// The whole run must end in time, whatever hangs.
const deadline = setTimeout(() => {
  console.error('FAIL the browser test did not finish within 100 s');
  process.exit(1);
}, 100_000);

const dir = mkdtempSync(join(tmpdir(), 'whygo-web-'));
const env = { ...process.env, WHYGO_DB: join(dir, 'w.db'), WHYGO_LISTEN: '127.0.0.1:0', WHYGO_WEB: '1' };
const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (d) => (serverLog += d));
const base = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error('whygo serve did not start: ' + serverLog)), 20_000);
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on('exit', () => reject(new Error('whygo serve exited: ' + serverLog)));
});

// The local operator's commands, on the same database (whygo ask runs as an admin).
// `whygo ask` exits 1 for a refusal; its JSON says why all the same.
const askAt = (offset, ...words) => {
  const args = ['ask', '--json', '--offset', String(offset), '--', ...words];
  try {
    return JSON.parse(execFileSync(binary, args, { env, timeout: 20_000 }));
  } catch (e) {
    if (e.stdout && e.stdout.length) return JSON.parse(e.stdout);
    throw e;
  }
};
const ask = (...words) => askAt(0, ...words);
// An admin's title that tries to run script (one word for `ask`, which quotes it for the title).
const hostile = "<script>alert('pwned')</script><img src=x onerror=alert(1)> Go at Evil";
let browser;
try {
  const added = ask('add', 'https://example.org/evil', hostile);
  const addedId = (added.text.match(/^Added #(\d+)/) || [])[1];
  if (added.error !== 'ok' || !addedId) throw new Error('add refused: ' + added.text);
  const story = ask('story');

  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    // Chromium's start alone took over 30 s once in CI, beside the ThreadSanitizer suite on two
    // cores; 90 s still leaves the test inside its CTest limit (tests/web/CMakeLists.txt, 120 s).
    timeout: 90_000,
    protocolTimeout: 30_000,
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // JavaScript off for what a person does: the pages need none.
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(base + '/', { waitUntil: 'load' });
  const home = await page.$eval('body', (b) => b.innerText);
  check(/why teams chose Go/.test(home), '/ says what whygo is');
  check(home.includes(story.links[0].title), "/ shows today's story, as `whygo story` gives it");
  check(/Why Go\s+\d+ links/.test(home), '/ lists the sections with their counts');
  await page.screenshot({ path: join(outDir, 'home-desktop.png'), fullPage: true });

  // The search box, with JavaScript off: type, press Enter, the form goes to /search.
  await page.type('#q', 'docker');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  check(new URL(page.url()).pathname === '/search', 'the search box submits to /search without JavaScript');
  const first = await page.$eval('ol.links li .title', (a) => a.textContent);
  check(first === 'Go at Docker', `the search box finds "Go at Docker" first for docker (got "${first}")`);
  // Another search, of several pages: the same links as chat, in its order, and its "More".
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.type('#q', 'youtube');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type=submit]')]);
  const chat = ask('youtube');
  const shown = await page.$$eval('ol.links li .title', (as) => as.map((a) => a.textContent));
  check(shown.length === 5 && JSON.stringify(shown) === JSON.stringify(chat.links.map((l) => l.title)),
        '/search shows the links chat shows, in its order');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('a[rel=next]')]);
  const second = await page.$$eval('ol.links li .title', (as) => as.map((a) => a.textContent));
  const chatMore = askAt(5, 'youtube').links;  // chat's "More"
  check(JSON.stringify(second) === JSON.stringify(chatMore.map((l) => l.title)), "More results shows chat's next page");

  await page.goto(base + '/search?q=dcoker', { waitUntil: 'load' });
  check((await page.$eval('main', (m) => m.innerText)).includes('Did you mean'), '/search says "Did you mean" for dcoker');
  await page.goto(base + '/search?q=', { waitUntil: 'load' });
  check((await page.$eval('main', (m) => m.innerText)).includes('Search for what?'), 'an empty search says so as chat does');

  // The story page shows the same link as `whygo story`.
  await page.goto(base + '/story', { waitUntil: 'load' });
  const storyLink = await page.$eval('main .links a.title', (a) => ({ text: a.textContent, href: a.href }));
  check(storyLink.text === story.links[0].title && storyLink.href === story.links[0].url,
        '/story shows the link `whygo story` gives');
  await page.click('a[rel=prev]');
  await page.waitForSelector('h1');
  check(/\/story\/\d{4}-\d{2}-\d{2}$/.test(page.url()), '/story links to the day before');

  // JavaScript on for the hostile title: it shows as text and runs nothing.
  await page.setJavaScriptEnabled(true);
  await page.goto(`${base}/links/${addedId}`, { waitUntil: 'load' });
  check((await page.$eval('h1', (h) => h.textContent)) === hostile,
        'a title with <script> shows as text on its page');
  check(dialogs.length === 0, 'and runs nothing there');
  check((await page.$$('main script, main img')).length === 0, 'and adds no element');
  await page.goto(base + '/search?q=evil', { waitUntil: 'load' });
  check((await page.$eval('ol.links', (o) => o.textContent)).includes('<script>'), 'the same title shows as text in search');
  check(dialogs.length === 0, 'and runs nothing in search');
  check(errors.length === 0, `no page error (${errors.join('; ')})`);

  // Screenshots of / at phone and desktop widths, kept for CI; nothing overflows the phone.
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.screenshot({ path: join(outDir, 'home-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `/ fits a 390 px phone without sideways scrolling (${overflow} px over)`);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.screenshot({ path: join(outDir, 'home-phone-dark.png') });

  // axe-core on /, /search and /story, light and dark: no serious or critical violation. The
  // pages' policy forbids any script, so the checker alone gets in (DevTools' CSP bypass).
  await page.setBypassCSP(true);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    for (const path of ['/', '/search?q=docker', '/story']) {
      await page.goto(base + path, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
      check(result.testEngine.name === 'axe-core' && result.passes.length > 10, `axe ran its rules on ${path}`);
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      check(bad.length === 0,
            `axe: no serious or critical violation on ${path} (${scheme})` +
              bad.map((v) => `\n     ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join(''));
    }
  }
} catch (e) {
  check(false, String(e.stack || e));
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(deadline);
}

if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`screenshots in ${outDir}`);
