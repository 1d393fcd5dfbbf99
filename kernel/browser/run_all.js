// run_all.js does what a learner does first: it opens notebooks in the classic Jupyter
// page, clicks Run All, and waits, touching nothing, until every code cell has run. It
// prints each notebook's time from Run All to an idle kernel, fails a notebook whose
// cells did not all run within the limit or that shows an error or ✗ line, moves the first
// slider of each slider figure and checks that its chart changed, and saves OUT/NAME.png
// (the page's first 1300×6000 px) and OUT/NAME-slider-K.png / NAME-dashboard-K.png.
// With RUN_ALL_STOP=1 it presses every Stop button as soon as it shows instead, and
// reports the "stopped early" lines; the notebook must still end with no failure.
//
//   GOVPG_JUPYTER_TOKEN=T kernel/jupyter.sh --port 8931 &
//   NODE_PATH=kernel/js/node_modules node kernel/browser/run_all.js \
//       http://127.0.0.1:8931 T OUT 02_policy_and_log_prob.ipynb [MORE.ipynb …]
//
// Needs puppeteer-core (kernel/setup.sh --test) and Chromium at /usr/bin/chromium (or
// $CHROMIUM). Not part of the test command: it needs a running server.
const puppeteer = require("puppeteer-core");
const fs = require("fs");
const path = require("path");

const [base, token, out, ...notebooks] = process.argv.slice(2);
if (!notebooks.length) {
	console.error("usage: run_all.js BASE_URL TOKEN OUT_DIR NOTEBOOK…");
	process.exit(2);
}
const limit = Number(process.env.RUN_ALL_LIMIT_S || 900) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
fs.mkdirSync(out, { recursive: true });

(async () => {
	const browser = await puppeteer.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--window-size=1300,1000"],
		defaultViewport: { width: 1300, height: 1000 },
		protocolTimeout: 120000,
	});
	let failed = 0;
	try {
		for (const nb of notebooks) {
			const name = nb.replace(/\.ipynb$/, "");
			const page = await browser.newPage();
			page.setDefaultTimeout(120000);
			await page.goto(`${base}/notebooks/${nb}?token=${token}`, { waitUntil: "load", timeout: 120000 });
			await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), { timeout: 120000 });
			await page.evaluate(() => {
				Jupyter.notebook.set_autosave_interval(0); // leave the notebook file as committed, without outputs
				Jupyter.notebook.clear_all_output();
				Jupyter.notebook.execute_all_cells();
			});
			const t0 = Date.now();
			// Done when every code cell has an execution count and the kernel is idle.
			const done = () => page.evaluate(() => !Jupyter.notebook.kernel_busy &&
				Jupyter.notebook.get_cells().every((c) => c.cell_type !== "code" || (c.input_prompt_number !== "*" && c.input_prompt_number != null)));
			let finished = false, stopped = 0;
			while (Date.now() - t0 < limit) {
				await sleep(1000);
				// RUN_ALL_STOP=1 plays the impatient learner: Stop on every dashboard as soon as it offers it.
				if (process.env.RUN_ALL_STOP === "1") {
					stopped += await page.evaluate(() => [...document.querySelectorAll("button[id$='_stop']:not([disabled])")].map((b) => b.click()).length).catch(() => 0);
				}
				if (await done().catch(() => false)) {
					finished = true;
					break;
				}
			}
			const seconds = ((Date.now() - t0) / 1000).toFixed(1);
			const report = await page.evaluate(() => {
				const text = [...document.querySelectorAll(".output_area")].map((o) => o.innerText).join("\n");
				const errors = document.querySelectorAll(".output_error").length;
				const crosses = text.split("\n").filter((l) => l.trim().startsWith("✗"));
				const exits = text.split("\n").filter((l) => /^exit status [1-9]/.test(l.trim()));
				const early = text.split("\n").filter((l) => l.includes("stopped early")).length;
				return { errors, crosses, exits, early, scrolled: document.querySelectorAll(".output_scroll").length };
			});
			await page.screenshot({ path: path.join(out, `${name}.png`), clip: { x: 0, y: 0, width: 1300, height: 6000 }, captureBeyondViewport: true });
			for (const [sel, kind] of [['[data-govpg="slider"]', "slider"], ["button[id$='_stop'], [data-govpg='chart'] > div[style*='900px']", "dashboard"]]) {
				const els = await page.$$(sel);
				for (let k = 0; k < els.length; k++) {
					await els[k].evaluate((e) => e.scrollIntoView());
					await els[k].screenshot({ path: path.join(out, `${name}-${kind}-${k}.png`) }).catch((e) => console.log(`run_all: ${name}: screenshot of ${kind} ${k} failed: ${e}`));
				}
			}
			const moved = await page.evaluate(() => [...document.querySelectorAll('[data-govpg="slider"]')].map((fig) => {
				const input = fig.querySelector('input[type="range"]');
				const charts = [...fig.querySelectorAll('[data-govpg="chart"] > div')].map((d) => echarts.getInstanceByDom(d));
				const state = () => JSON.stringify(charts.map((c) => c && c.getOption().series));
				const before = state();
				input.value = input.value === input.max ? input.min : input.max;
				input.dispatchEvent(new Event("input"));
				return before !== state();
			}));
			const ok = finished && report.errors === 0 && report.crosses.length === 0 && report.exits.length === 0 && moved.every(Boolean);
			if (!ok) failed++;
			console.log(`run_all: ${ok ? "ok  " : "FAIL"} ${nb}: ${finished ? `all cells ran in ${seconds} s` : `not done after ${seconds} s`}; ` +
				`${report.errors} error outputs, ${report.crosses.length} ✗ lines, ${report.exits.length} exit statuses; ` +
				`${moved.length} sliders, ${moved.filter(Boolean).length} moved their chart; ${report.scrolled} outputs in a scroll box` +
				(process.env.RUN_ALL_STOP === "1" ? `; pressed Stop ${stopped} times, ${report.early} "stopped early" lines` : ""));
			await page.evaluate(() => Jupyter.notebook.kernel.kill()).catch(() => {});
			await page.close();
		}
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
