package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/govpg/govpg/kernel/runner"
)

func main() {
	var cfg runner.Config
	flag.StringVar(&cfg.Dir, "dir", "notebooks", "directory holding the notebooks and manifest.json")
	flag.StringVar(&cfg.Manifest, "manifest", "", "manifest path (default DIR/manifest.json)")
	flag.StringVar(&cfg.OutDir, "out", "", "directory for executed notebooks, HTML and logs (default: a new temporary directory)")
	flag.BoolVar(&cfg.HTML, "html", false, "also export each executed notebook to HTML in the -out directory")
	flag.StringVar(&cfg.Kernel, "kernel", "gonb", "Jupyter kernel name")
	flag.BoolVar(&cfg.Reuse, "reuse", false, "do not execute a notebook whose executed copy in -out is newer than it")
	site := flag.String("site", "", "then build the static site of the executed notebooks into this directory")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: nbrun [flags] [NAME.ipynb ...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg.Names = flag.Args()
	cfg.Log = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results, err := runner.Run(ctx, cfg)
	if err != nil && len(results) == 0 {
		fmt.Fprintln(os.Stderr, "nbrun: "+err.Error())
		os.Exit(2)
	}
	passed, failed := 0, 0
	for _, r := range results {
		if r.Passed {
			passed++
		} else {
			failed++
		}
	}
	if len(results) > 0 {
		fmt.Printf("nbrun: executed notebooks are in %s\n", filepath.Dir(results[0].Executed))
	}
	fmt.Printf("nbrun: %d passed, %d failed\n", passed, failed)
	if *site != "" && err == nil {
		var executed []string
		for _, r := range results {
			executed = append(executed, r.Executed)
		}
		dir, _ := filepath.Abs(cfg.Dir)
		if _, serr := runner.BuildSite(ctx, cfg, filepath.Dir(dir), executed, *site); serr != nil {
			fmt.Fprintln(os.Stderr, "nbrun: site: "+serr.Error())
			failed++
		} else {
			fmt.Printf("nbrun: site of %d notebooks in %s (open index.html)\n", len(executed), *site)
		}
	}
	if err != nil || failed > 0 {
		os.Exit(1)
	}
}
