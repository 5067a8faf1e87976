// Drives Debian's chromium against a running PSPeer dashboard, as a person would: the page draws the nodes, a search
// made meanwhile shows its events, a file name holding "<script>" stays text, and requests without the token are
// refused. Talks to the test that started it by lines: prints "DRAWN <n>", waits for "SEARCHED" on stdin, prints
// "RESULT <json>" and exits 0, or prints "FAIL <why>" and exits 1. Keeps a screenshot of each step.
//
//   node dashboard.mjs <url> <expected nodes> <screenshot dir> <text the hit's file name contains>
//   node dashboard.mjs --simulated <url> <expected nodes> <screenshot dir>
//   node dashboard.mjs --ring <url> <expected nodes> <screenshot dir>
//   node dashboard.mjs --counters <url> <expected nodes> <screenshot dir>
// The second form watches a simulated network: it sets the replay to 0.1x before the search, sees the flood's events
// held back and let out on virtual time, then prints the flood's reach by hop as the page counted it, and stops there.
// The third form watches a Chord ring: it clicks the node with most room around it, sees its fingers drawn, then
// (after SEARCHED) sees the lookup's path drawn, and prints both. The fourth reads the Chord and Napster counters
// table: "SEARCHED <json>" names the totals the page should come to show ({"Chord.lookups": 2, ...}).
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const simulated = process.argv[2] === "--simulated";
const ring = process.argv[2] === "--ring";
const countersMode = process.argv[2] === "--counters";
const [url, expectedText, shots, evilText] = process.argv.slice(simulated || ring || countersMode ? 3 : 2);
const expected = Number(expectedText);
const executablePath = process.env.PSPEER_CHROMIUM || "/usr/bin/chromium";
const STEP_MS = 30000;
mkdirSync(shots, { recursive: true });

const lines = createInterface({ input: process.stdin });
// Lines that come before anyone waits for them are kept (the test may answer before the next step asks).
const waiting = [], early = [];
lines.on("line", (line) => { const w = waiting.shift(); if (w) w(line.trim()); else early.push(line.trim()); });
// Bounded: the test answers within a minute or the step fails (and says so) instead of hanging.
const nextLine = () => new Promise((resolve) => {
  if (early.length) { resolve(early.shift()); return; }
  waiting.push(resolve);
  setTimeout(() => resolve("(nothing within 90 s)"), 90000).unref();
});

function fail(why) {
  console.log("FAIL " + why);
  process.exitCode = 1;
  throw new Error(why);
}

// The test says "SEARCHED" once its search (or lookup) is made, with what the next step needs on the same line.
async function searched() {
  const said = await nextLine();
  if (said !== "SEARCHED" && !said.startsWith("SEARCHED ")) fail("expected SEARCHED, got " + said);
  return said.substring("SEARCHED".length).trim();
}

// Waits (bounded) until fn(arg) holds on the page and returns what it returned; else fails with why (text, or a
// function asked then) and what seen() finds on the page then.
async function until(page, fn, arg, why, seen) {
  try {
    return await (await page.waitForFunction(fn, arg, { timeout: STEP_MS })).jsonValue();
  } catch {
    fail((typeof why === "function" ? why() : why) + ": " + JSON.stringify(await page.evaluate(seen)));
  }
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Root in a container has no user namespaces for chromium's sandbox; SwiftShader gives WebGL without a GPU.
  args: [...(process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : []), "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
  timeout: STEP_MS,
});
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("dialog", (d) => { consoleErrors.push("dialog: " + d.message()); d.dismiss(); });

  // 1. The topology is drawn.
  await page.goto(url, { timeout: STEP_MS });
  await until(page, (n) => window.__pspeer && window.__pspeer.ready && window.__pspeer.connected && window.__pspeer.nodesDrawn >= n, expected,
    () => `the page did not draw ${expected} nodes (console: ${consoleErrors.join(" | ")})`,
    () => window.__pspeer && { nodes: window.__pspeer.nodes, drawn: window.__pspeer.nodesDrawn, error: window.__pspeer.graphError, errors: window.__pspeer.errors });
  result.drawn = await page.evaluate(() => ({ nodes: window.__pspeer.nodesDrawn, links: window.__pspeer.links }));
  await page.screenshot({ path: join(shots, "01-topology.png") });
  if (simulated) await page.selectOption("#speed", "0.1");   // before the flood starts
  console.log("DRAWN " + result.drawn.nodes);

  steps: {
  if (countersMode) {
    await counterSteps(page);
    console.log("RESULT " + JSON.stringify(result));
    break steps;
  }
  if (ring) {
    await ringSteps(page);
    console.log("RESULT " + JSON.stringify(result));
    break steps;
  }
  if (simulated) {
    await replayFlood(page);
    console.log("RESULT " + JSON.stringify(result));
    break steps;
  }

  // 2. A search made now shows its events.
  await searched();
  await until(page, () => {
    const types = new Set(window.__pspeer.recentEvents.map((e) => e.type));
    return types.has("QueryReceived") && types.has("SearchHit");
  }, null, "the search's events did not arrive", () => window.__pspeer.recentEvents.map((e) => e.type));
  result.events = await page.evaluate(() => ({ received: window.__pspeer.eventsReceived, lit: window.__pspeer.nodesLit, flood: window.__pspeer.flood }));
  await page.screenshot({ path: join(shots, "02-search-events.png") });

  // 3. The hit's file name, with "<script>" in it, is shown as text and runs nothing.
  const escaped = await page.evaluate((text) => {
    const cells = Array.from(document.querySelectorAll("#events td")).filter((td) => td.textContent.includes(text));
    return {
      cells: cells.length,
      childElements: cells.reduce((n, td) => n + td.children.length, 0),
      scripts: document.querySelectorAll("script").length,
      injected: document.querySelectorAll("#events img, #events script").length,
      pwned: window.pwned === undefined ? null : String(window.pwned),
    };
  }, evilText);
  result.escaped = escaped;
  if (escaped.cells === 0) fail("the hit's file name is not on the page: " + JSON.stringify(escaped));
  if (escaped.childElements !== 0 || escaped.injected !== 0 || escaped.scripts !== 1 || escaped.pwned !== null)
    fail("the file name became markup: " + JSON.stringify(escaped));
  const row = page.locator("#events td", { hasText: evilText }).first();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "03-file-name-as-text.png") });

  // 4. Without the token (or with a wrong one) nothing is served, the event stream included.
  const base = url.substring(0, url.indexOf("?"));
  const statuses = {};
  for (const [name, target] of Object.entries({
    page: base, state: base + "api/state", events: base + "api/events", wrongToken: base + "api/state?t=AAAA", script: base + "dashboard.js",
  })) statuses[name] = (await fetch(target)).status;
  result.refused = statuses;
  if (Object.values(statuses).some((s) => s !== 403)) fail("a request without the token was served: " + JSON.stringify(statuses));
  const refusedPage = await browser.newPage();
  const response = await refusedPage.goto(base, { timeout: STEP_MS });
  result.refusedInBrowser = response.status();
  await refusedPage.screenshot({ path: join(shots, "04-without-token.png") });
  if (response.status() !== 403) fail("the browser got the page without the token: " + response.status());

  result.consoleErrors = consoleErrors;
  console.log("RESULT " + JSON.stringify(result));
  }
} catch (e) {
  if (!process.exitCode) { console.log("FAIL " + e.message); process.exitCode = 1; }
} finally {
  await browser.close();
  lines.close();
}

// A simulated flood arrives in a blink; at 0.1x the page holds its events back and lets them out on virtual time.
async function replayFlood(page) {
  await searched();
  let mostHeld = 0, heldWhileReleasing = false;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const s = await page.evaluate(() => ({ received: window.__pspeer.eventsReceived, released: window.__pspeer.eventsReleased, pending: window.__pspeer.pendingReplay, flood: window.__pspeer.flood }));
    mostHeld = Math.max(mostHeld, s.pending);
    if (s.pending > 0 && s.released > 0) heldWhileReleasing = true;
    if (s.received > 0 && s.pending === 0 && heldWhileReleasing) { result.flood = s.flood; break; }
    await page.waitForTimeout(100);
  }
  result.mostHeld = mostHeld;
  await page.screenshot({ path: join(shots, "05-simulated-flood.png") });
  if (!heldWhileReleasing) fail("the page did not replay the flood on virtual time: " + JSON.stringify(result));
  if (!result.flood) fail("the replay did not finish: " + JSON.stringify(result));
}

// A Chord ring: a click on a node draws its fingers; a lookup made meanwhile draws its path.
async function ringSteps(page) {
  const nodes = await page.evaluate(() => window.__pspeer.ringNodes);
  if (nodes.length === 0) fail("no ring nodes on the page");
  // The node farthest from its nearest neighbour on screen, so the click lands on it and no other.
  const room = (n) => Math.min(...nodes.filter((m) => m !== n).map((m) => Math.hypot(m.x - n.x, m.y - n.y)));
  const target = nodes.reduce((best, n) => (room(n) > room(best) ? n : best), nodes[0]);
  await page.mouse.click(target.x, target.y);
  await until(page, (id) => window.__pspeer.ring.selected === id && window.__pspeer.ring.fingers.length > 0, target.id,
    "clicking " + target.id + " did not draw its fingers", () => window.__pspeer.ring);
  result.selected = target.id;
  result.fingers = await page.evaluate(() => window.__pspeer.ring.fingers);
  await page.screenshot({ path: join(shots, "06-ring-fingers.png") });

  await searched();
  await until(page, () => window.__pspeer.ring.path.length > 0, null, "the lookup's path was not drawn",
    () => window.__pspeer.recentEvents.map((e) => e.type));
  result.path = await page.evaluate(() => window.__pspeer.ring.path);
  await page.screenshot({ path: join(shots, "07-lookup-path.png") });
}

// The Chord and Napster table: its totals come to read what the nodes counted, as a person reads them on the page.
async function counterSteps(page) {
  const expected = JSON.parse(await searched());
  result.counters = await until(page, (exp) => {
    if (document.getElementById("protocols-panel").hidden) return false;
    const shown = {};
    for (const cell of document.querySelectorAll("#protocols [data-counter]")) shown[cell.dataset.counter] = Number(cell.textContent.replace(/,/g, ""));
    return Object.entries(exp).every(([k, v]) => shown[k] === v) && shown;
  }, expected, "the counters did not come to " + JSON.stringify(expected), () => window.__pspeer.protocols);
  result.tables = await page.evaluate(() => [...document.querySelectorAll("#protocols table")].map((t) => t.dataset.protocol));
  await page.locator("#protocols-panel").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "08-protocol-counters.png") });
}
