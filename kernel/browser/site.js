// site.js checks the static site (kernel/site.sh) in Chromium with networking off: for
// every page, every chart's canvas has drawn something, moving each slider changes its
// chart, nothing asked for the network, and the console got no error. It screenshots
// each page (OUT/NAME.png, the top 1200×2400 px) and fails if a screenshot fails.
//
//   node kernel/browser/site.js kernel/.out/site OUT
//
// Run by kernel/test.sh. Every step has a timeout; so does the whole run.
const puppeteer = require("puppeteer-core");
const fs = require("fs");
const path = require("path");

const [siteDir, out] = process.argv.slice(2);
if (!out) {
	console.error("usage: site.js SITE_DIR OUT_DIR");
	process.exit(2);
}
const site = path.resolve(siteDir);
fs.mkdirSync(out, { recursive: true });
setTimeout(() => {
	console.error("site: FAIL: still running after 8 minutes");
	process.exit(1);
}, 8 * 60 * 1000).unref();

// inPage collects what the page shows: charts with their drawn pixels, and sliders.
function chartsDrawn() {
	return [...document.querySelectorAll('[data-govpg="chart"]')].map((box) => {
		const canvas = box.querySelector("canvas");
		if (!canvas) return { id: box.firstElementChild && box.firstElementChild.id, inked: 0, error: box.textContent.trim().slice(0, 120) };
		const ctx = canvas.getContext("2d");
		const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
		let inked = 0;
		for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
		return { id: box.firstElementChild.id, inked };
	});
}

// moveSliders moves every slider of every slider figure to its other end and reports
// whether the options of the figure's charts changed.
function moveSliders() {
	const results = [];
	for (const fig of document.querySelectorAll('[data-govpg="slider"]')) {
		const charts = [...fig.querySelectorAll('[data-govpg="chart"] > div')].map((d) => echarts.getInstanceByDom(d));
		const state = () => JSON.stringify(charts.map((c) => c && c.getOption().series));
		for (const input of fig.querySelectorAll('input[type="range"]')) {
			const before = state(), label = input.parentElement.querySelector("output").textContent;
			input.value = input.value === input.max ? input.min : input.max;
			input.dispatchEvent(new Event("input"));
			const after = state(), label2 = input.parentElement.querySelector("output").textContent;
			results.push({ slider: input.parentElement.textContent.trim().slice(0, 40), changed: before !== after, label: [label, label2] });
		}
	}
	return results;
}

(async () => {
	const browser = await puppeteer.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--disable-background-networking"],
		defaultViewport: { width: 1200, height: 900 },
		protocolTimeout: 60000,
	});
	let failures = 0;
	const fail = (page, msg) => {
		failures++;
		console.log(`site: FAIL ${page}: ${msg}`);
	};
	try {
		const pages = fs.readdirSync(site).filter((f) => f.endsWith(".html")).sort();
		for (const name of pages) {
			await checkPage(name).catch((e) => fail(name, String(e)));
		}
	} catch (e) {
		fail("site", String(e));
	} finally {
		await browser.close();
	}
	console.log(failures ? `site: FAILED (${failures} problems)` : "site: pages pass");
	process.exit(failures ? 1 : 0);

	async function checkPage(name) {
		const page = await browser.newPage();
		page.setDefaultTimeout(60000);
		const errors = [];
		page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
		page.on("pageerror", (e) => errors.push(String(e)));
		await page.setRequestInterception(true);
		page.on("request", (r) => {
			// Pages and their files, and images inlined as data: URLs (animations, SVG drawings).
			if (/^(file|data|blob):/.test(r.url())) return r.continue();
			errors.push("network request: " + r.url());
			r.abort();
		});
		page.on("requestfailed", (r) => r.url().startsWith("file://") && errors.push("missing file: " + r.url()));
		const t0 = Date.now();
		await page.goto("file://" + path.join(site, name), { waitUntil: "load", timeout: 60000 });
		await page.waitForFunction(() => !window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending === 0, { timeout: 60000 }).catch(() => errors.push("MathJax did not finish in 60 s"));
		await new Promise((r) => setTimeout(r, 500));
		const charts = await page.evaluate(chartsDrawn);
		const blank = charts.filter((c) => c.inked < 200);
		if (blank.length) fail(name, `${blank.length} of ${charts.length} charts drew nothing: ${JSON.stringify(blank.slice(0, 3))}`);
		const sliders = await page.evaluate(moveSliders);
		for (const s of sliders.filter((s) => !s.changed || s.label[0] === s.label[1])) fail(name, `moving slider "${s.slider}" did not change its chart or its value (${s.label.join(" → ")})`);
		if (name !== "index.html" && !(await page.$('nav a[href="index.html"]'))) fail(name, "no link to the index");
		await page.screenshot({ path: path.join(out, name.replace(/\.html$/, ".png")), clip: { x: 0, y: 0, width: 1200, height: 2400 }, captureBeyondViewport: true });
		for (const e of errors) fail(name, "console: " + e.slice(0, 300));
		console.log(`site: ${name}: ${charts.length} charts drawn, ${sliders.length} sliders moved, ${errors.length} console errors (${Date.now() - t0} ms)`);
		await page.close();
	}
})();
