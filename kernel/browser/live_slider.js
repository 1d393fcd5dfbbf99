// live_slider.js checks a live slider in a real browser: it opens a notebook in the
// classic Jupyter page, runs all cells, drags the first live slider, and checks that
// the value beside it and the figure below it change; then clicks Done. It saves
// before.png, after.png and done.png of that cell's output in OUT.
//
//   kernel/jupyter.sh --port 8931 &        # GOVPG_JUPYTER_TOKEN=T fixes the token
//   NODE_PATH=<dir with puppeteer-core> node kernel/browser/live_slider.js \
//       http://127.0.0.1:8931 T 05_future_return.ipynb OUT
//
// Needs puppeteer-core (npm install puppeteer-core, PUPPETEER_SKIP_DOWNLOAD=1) and
// Chromium at /usr/bin/chromium (or $CHROMIUM). Not part of the test command: it takes
// minutes and needs a free port.
const puppeteer = require("puppeteer-core");
const path = require("path");

const [base, token, notebook, out] = process.argv.slice(2);
if (!out) {
	console.error("usage: live_slider.js BASE_URL TOKEN NOTEBOOK OUT_DIR");
	process.exit(2);
}

(async () => {
	const browser = await puppeteer.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--window-size=1300,1000"],
		defaultViewport: { width: 1300, height: 1000 },
	});
	const result = { ok: false };
	try {
		const page = await browser.newPage();
		const consoleErrors = [];
		page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
		await page.goto(`${base}/notebooks/${notebook}?token=${token}`, { waitUntil: "networkidle2", timeout: 60000 });
		await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), { timeout: 60000 });
		await page.evaluate(() => Jupyter.notebook.execute_all_cells());
		const slider = await page.waitForSelector('div[data-govpg="live"] input[type=range]', { timeout: 300000 });
		const cell = await page.evaluateHandle((s) => s.closest(".output_wrapper") || s.closest(".cell"), slider);
		await new Promise((r) => setTimeout(r, 3000)); // the handshake
		const figureText = () => page.evaluate((c) => c.innerHTML, cell);
		const shown = () => page.evaluate((s) => s.parentElement.querySelector("output").textContent, slider);
		result.before = { value: await shown() };
		const before = await figureText();
		await cell.screenshot({ path: path.join(out, "before.png") });
		// Drag the thumb from where it is to 55 % of the track, as a learner would.
		const box = await slider.boundingBox();
		const from = await page.evaluate((s) => (s.value - s.min) / (s.max - s.min), slider);
		await page.mouse.move(box.x + 8 + from * (box.width - 16), box.y + box.height / 2);
		await page.mouse.down();
		for (let k = 1; k <= 10; k++) {
			const f = from + ((0.55 - from) * k) / 10;
			await page.mouse.move(box.x + 8 + f * (box.width - 16), box.y + box.height / 2);
			await new Promise((r) => setTimeout(r, 50));
		}
		await page.mouse.up();
		result.after = { value: await shown(), input: await page.evaluate((s) => s.value, slider) };
		let after = before;
		for (let i = 0; i < 40 && after === before; i++) {
			await new Promise((r) => setTimeout(r, 500));
			after = await figureText();
		}
		await new Promise((r) => setTimeout(r, 1500)); // let the chart draw
		await cell.screenshot({ path: path.join(out, "after.png") });
		result.figureChanged = after !== before;
		result.valueChanged = result.after.value !== result.before.value;
		result.newValueInFigure = after.includes(result.after.value);
		const done = await page.evaluateHandle((c) => c.querySelector('div[data-govpg="live"] button'), cell);
		await done.click();
		await page.waitForFunction((c) => !c.querySelector('div[data-govpg="live"] input') && /final values/.test(c.textContent), { timeout: 30000 }, cell);
		result.final = await page.evaluate((c) => c.querySelector('div[data-govpg="live"]').textContent, cell);
		await cell.screenshot({ path: path.join(out, "done.png") });
		result.consoleErrors = consoleErrors.slice(0, 10);
		result.ok = result.figureChanged && result.valueChanged && result.newValueInFigure;
		await page.evaluate(() => Jupyter.notebook.kernel.interrupt());
	} catch (e) {
		result.error = String(e);
	} finally {
		console.log(JSON.stringify(result, null, 1));
		await browser.close();
		process.exit(result.ok ? 0 : 1);
	}
})();
