// Drives the Debian chromium for DashboardProcessTest: one JSON command per line on stdin, one JSON
// answer per line on stdout. Never downloads a browser: playwright-core launches /usr/bin/chromium.
//   {"cmd":"open","url":"http://..."}  {"cmd":"state"}  {"cmd":"shot","path":"..."}  {"cmd":"quit"}
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const executablePath = process.env.BASALT_CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "basalt-dashboard-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
page.on("pageerror", (error) => consoleErrors.push("page error: " + error.message));

// What the page shows, read from its DOM (the test compares it with the API).
function readPage() {
  const text = (id) => document.getElementById(id).textContent.trim();
  const ids = (id) => [...document.querySelectorAll("#" + id + " tr[data-tx]")].map((row) => row.dataset.tx);
  const banner = document.getElementById("connection");
  return {
    banner: { className: banner.className, text: banner.textContent.trim() },
    node: text("node-name"),
    validators: [...document.querySelectorAll("#shards tr[data-shard]")].map((row) => ({
      shard: Number(row.dataset.shard),
      index: Number(row.dataset.index),
      reachable: row.dataset.reachable === "true",
      round: row.dataset.round === undefined ? null : Number(row.dataset.round),
      height: row.dataset.height === undefined ? null : Number(row.dataset.height),
      shownHeight: row.querySelector(".height").textContent.trim(),
    })),
    commits: ids("commits"),
    settlements: ids("settlements"),
    throughput: text("throughput"),
    latencyP50: text("latency-p50"),
    latencyP90: text("latency-p90"),
    latencyP99: text("latency-p99"),
    latencyCount: Number(text("latency-count")),
  };
}

async function run(command) {
  switch (command.cmd) {
    case "open": {
      const response = await page.goto(command.url, { waitUntil: "load" });
      return { status: response.status(), headers: response.headers() };
    }
    case "state":
      return { ...(await page.evaluate(readPage)), consoleErrors };
    case "shot":
      await page.screenshot({ path: command.path, fullPage: true });
      return { path: command.path };
    case "quit":
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      return { bye: true };
    default:
      throw new Error("unknown command " + command.cmd);
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    answer = { ok: true, ...(await run(JSON.parse(line))) };
  } catch (error) {
    answer = { ok: false, error: String(error && error.stack || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (answer.bye) process.exit(0);
}
await context.close();
rmSync(profile, { recursive: true, force: true });
