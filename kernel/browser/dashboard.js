// dashboard.js checks the training dashboard in a real browser: it opens a notebook in
// the classic Jupyter page, runs all cells, and screenshots the first dashboard twice
// while it trains (early.png, later.png: the later one must show more epochs), then once
// when the notebook is idle (final.png). It also fails if any output of the notebook
// landed in a scroll box (Jupyter's .output_scroll).
//
//   kernel/jupyter.sh --port 8931 &        # GOVPG_JUPYTER_TOKEN=T fixes the token
//   NODE_PATH=<dir with puppeteer-core> node kernel/browser/dashboard.js \
//       http://127.0.0.1:8931 T 04_learning_from_rewards.ipynb OUT
//
// Needs puppeteer-core (npm install puppeteer-core, PUPPETEER_SKIP_DOWNLOAD=1) and
// Chromium at /usr/bin/chromium (or $CHROMIUM). Not part of the test command.
const puppeteer = require("puppeteer-core");
const path = require("path");

const [base, token, notebook, out] = process.argv.slice(2);
if (!out) {
	console.error("usage: dashboard.js BASE_URL TOKEN NOTEBOOK OUT_DIR");
	process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
	const browser = await puppeteer.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--window-size=1300,1000"],
		defaultViewport: { width: 1300, height: 1000 },
	});
	let ok = false;
	try {
		const page = await browser.newPage();
		await page.goto(`${base}/notebooks/${notebook}?token=${token}`, { waitUntil: "networkidle2", timeout: 60000 });
		await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), { timeout: 60000 });
		await page.evaluate(() => Jupyter.notebook.execute_all_cells());
		// The dashboard is the output with a "Stop training" button.
		const stop = await page.waitForSelector("button[id$='_stop']", { timeout: 300000 });
		const cell = await page.evaluateHandle((b) => b.closest(".output_area") || b.closest(".cell"), stop);
		await cell.evaluate((c) => c.scrollIntoView());
		const epochsShown = () => cell.evaluate((c) => {
			const chart = c.querySelector("[_echarts_instance_]");
			if (!chart || !window.echarts) return -1;
			const inst = echarts.getInstanceByDom(chart);
			return inst ? inst.getOption().series[2].data.length : -1;
		});
		await sleep(4000);
		const early = await epochsShown();
		await (await cell.asElement()).screenshot({ path: path.join(out, "early.png") });
		await sleep(8000);
		const later = await epochsShown();
		await (await cell.asElement()).screenshot({ path: path.join(out, "later.png") });
		console.log(`dashboard: ${early} epochs drawn, then ${later}`);
		await page.waitForFunction(() => Jupyter.notebook.kernel_busy === false || !document.querySelector("#kernel_indicator_icon.kernel_busy_icon"), { timeout: 900000, polling: 2000 });
		await sleep(2000);
		await (await cell.asElement()).screenshot({ path: path.join(out, "final.png") });
		const scrolled = await page.evaluate(() => document.querySelectorAll(".output_scroll").length);
		console.log(`outputs in a scroll box: ${scrolled}`);
		ok = later > early && early >= 0 && scrolled === 0;
	} finally {
		await browser.close();
	}
	console.log(ok ? "dashboard: ok" : "dashboard: FAILED");
	process.exit(ok ? 0 : 1);
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
