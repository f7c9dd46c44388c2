/**
 * The HTML report in a real browser (Debian's chromium, headless, driven by playwright-core): the page made by the
 * CLI renders the chart, the limit line and every finding class in the DOM, loads nothing from the network, the
 * filter works, and a screenshot is not blank. Skips where chromium is not installed (.ci/run installs it).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../helpers/lint.js";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

describe.skipIf(!CHROMIUM)("html report in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-html-browser-"));
  const report = join(dir, "report.html");
  const shot = join(dir, "report.png");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  beforeAll(async () => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const answer = "tokens ".repeat(5 + ((i * 37) % 180));
      if (i === 3) lines.push('{"messages": [{"role": "User", "content": "hi"}, {"role": "assistant", "content": "ok"}]}');
      else if (i === 5) lines.push("{broken");
      else
        lines.push(
          JSON.stringify({
            messages: [
              { role: "user", content: `Question ${i}` },
              { role: "assistant", content: answer },
            ],
          }),
        );
    }
    lines.push(lines[0]!);
    const data = join(dir, "train.jsonl");
    writeFileSync(data, lines.join("\n") + "\n");
    let code = 0;
    try {
      execFileSync(process.execPath, [CLI, "check", data, "--model", MODEL, "--max-seq-length", "150", "-f", "html", "-o", report], {
        stdio: "pipe",
      });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders the chart, the limit line and every finding class, with no network request", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const requests: string[] = [];
    page.on("request", (r: { url(): string }) => requests.push(r.url()));
    const errors: string[] = [];
    page.on("pageerror", (e: Error) => errors.push(e.message));
    await page.goto(pathToFileURL(report).href);

    const bars = await page.locator("svg#file-0-tokens rect.bar").count();
    expect(bars).toBeGreaterThan(5);
    // Bars are laid out (non-zero boxes), and the over-limit ones are drawn apart.
    const box = await page.locator("svg#file-0-tokens rect.bar").first().boundingBox();
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
    expect(await page.locator("svg#file-0-tokens rect.bar.over").count()).toBeGreaterThan(0);
    expect(await page.locator("svg#file-0-tokens line.limit").getAttribute("data-limit")).toBe("150");
    expect(await page.locator("svg#file-0-tokens text.limit-label").textContent()).toMatch(/limit 150: \d+ examples over/);
    expect(await page.locator("svg#file-0-bytes rect.bar").count()).toBeGreaterThan(3);
    expect(await page.locator("svg#file-0-trained rect.bar").count()).toBeGreaterThan(3);

    const rules = await page
      .locator("table.rules tr[data-rule]")
      .evaluateAll((rows: Element[]) => rows.map((r) => r.getAttribute("data-rule")));
    expect(rules).toEqual(expect.arrayContaining(["token-limit", "role-unknown", "invalid-json", "duplicate-example"]));
    const rows = await page.locator("table.findings tbody tr").count();
    expect(rows).toBeGreaterThan(10);
    expect(await page.locator("#totals [data-severity=error]").getAttribute("data-count")).not.toBe("0");

    // The filter hides rows that do not match.
    await page.fill("input[data-filter]", "role-unknown");
    expect(await page.locator("table.findings tbody tr:visible").count()).toBe(1);
    await page.fill("input[data-filter]", "");
    expect(await page.locator("table.findings tbody tr:visible").count()).toBe(rows);

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);

    await page.screenshot({ path: shot, fullPage: false });
    await page.close();
  }, 60_000);

  it("takes a screenshot that is not blank", () => {
    const png = PNG.sync.read(readFileSync(shot));
    let nonWhite = 0;
    let barPixels = 0;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      // The bars' blue (#54aeff) and the over-limit red (#ff8182).
      if (
        (Math.abs(r - 0x54) < 12 && Math.abs(g - 0xae) < 12 && Math.abs(b - 0xff) < 12) ||
        (Math.abs(r - 0xff) < 12 && Math.abs(g - 0x81) < 12 && Math.abs(b - 0x82) < 12)
      )
        barPixels++;
      colours.add((r << 16) | (g << 8) | b);
    }
    const total = png.width * png.height;
    expect(nonWhite / total).toBeGreaterThan(0.03);
    expect(barPixels).toBeGreaterThan(2000);
    expect(colours.size).toBeGreaterThan(20);
  });
});
