// Package testenv lets tests that need Jupyter, the GoNB kernel or Chromium skip with
// the reason when those are missing, or fail when GOVPG_REQUIRE_KERNEL=1 says they must
// run (the README's test command sets it after installing them).
package testenv
