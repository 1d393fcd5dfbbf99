// dashboard.js checks the training dashboard in a real browser: it opens a notebook in
// the classic Jupyter page, runs all cells, and screenshots the first dashboard twice
// while it trains (early.png) and once when the notebook is idle (final.png); it must have
// redrawn with at least three different numbers of epochs on the way. It also fails if any output of the notebook
// landed in a scroll box (Jupyter's .output_scroll).
//
//   kernel/jupyter.sh --port 8931 &        # GOVPG_JUPYTER_TOKEN=T fixes the token
//   NODE_PATH=<dir with puppeteer-core> node kernel/browser/dashboard.js \
//       http://127.0.0.1:8931 T 10_watching_vpg_learn.ipynb OUT
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
		// Outputs are replaced on every redraw; the notebook cell that holds them stays.
		const index = await stop.evaluate((b) => [...document.querySelectorAll(".cell")].indexOf(b.closest(".cell")));
		const cell = async () => (await page.evaluateHandle((i) => document.querySelectorAll(".cell")[i].querySelector(".output_wrapper"), index)).asElement();
		await (await cell()).evaluate((c) => c.scrollIntoView());
		const epochsShown = async () => (await cell()).evaluate((c) => {
			const chart = c.querySelector("[_echarts_instance_]");
			if (!chart || !window.echarts) return -1;
			const inst = echarts.getInstanceByDom(chart);
			return inst ? inst.getOption().series[2].data.length : -1;
		});
		// Sample the number of epochs drawn while it trains: a live dashboard shows many.
		const seen = new Set();
		let shot = false;
		for (let t = 0; t < 600 && !(await page.evaluate(() => !Jupyter.notebook.kernel_busy && !!document.querySelector(".cell .output_wrapper"))); t++) {
			const n = await epochsShown().catch(() => -1);
			if (n > 0) seen.add(n);
			if (n >= 3 && !shot) {
				await (await cell()).screenshot({ path: path.join(out, "early.png") });
				shot = true;
			}
			await sleep(200);
		}
		const counts = [...seen].sort((a, b) => a - b);
		console.log(`dashboard: drew ${counts.length} different epoch counts while training: ${counts.join(" ")}`);
		await page.waitForFunction(() => !Jupyter.notebook.kernel_busy, { timeout: 900000, polling: 2000 });
		await sleep(2000);
		await (await cell()).screenshot({ path: path.join(out, "final.png") });
		const scrolled = await page.evaluate(() => document.querySelectorAll(".output_scroll").length);
		console.log(`outputs in a scroll box: ${scrolled}`);
		ok = counts.length >= 3 && scrolled === 0;
	} finally {
		await browser.close();
	}
	console.log(ok ? "dashboard: ok" : "dashboard: FAILED");
	process.exit(ok ? 0 : 1);
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
