// Package kernel holds the notebook tooling and its end-to-end tests.
//
// The commands are shell scripts, so that a fresh machine needs nothing but Go and bash:
//
//   - setup.sh installs Jupyter (Debian packages), GoNB and goimports (versions pinned
//     in go.mod), gopls, and ECharts (npm, into kernel/js/node_modules; with --test also
//     puppeteer-core and Chromium), and registers the GoNB kernel. It is idempotent; the
//     other commands start with it.
//   - jupyter.sh is the README's run command: Jupyter on notebooks/, bound to 127.0.0.1
//     by default, printing the URL with its token.
//   - test.sh is the README's test command: go test ./..., then every notebook once with
//     plain nbconvert through kernel/cmd/nbrun, the static site, and a check of every
//     page of it in Chromium (browser/site.js).
//   - site.sh builds the static site of the executed notebooks (kernel/.out/site).
//
// The tests here drive those commands for real: the run command must serve a REST API
// that lists the gonb kernel and starts it, and the exported HTML of the executed setup
// notebook must show its chart in headless Chromium with networking off. They need
// Jupyter and Chromium: without them they skip, unless GOVPG_REQUIRE_KERNEL=1 (set by
// test.sh), where they fail. The subpackages are display (helpers for notebook cells)
// and runner (the headless notebook runner and the site builder).
package kernel
