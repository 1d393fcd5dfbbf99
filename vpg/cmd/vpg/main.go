// Command vpg trains, evaluates and renders Vanilla Policy Gradient agents.
//
//	vpg train  --env CartPole-v1 --epochs 50 --seed 0 --out runs/cartpole
//	vpg eval   --ckpt runs/cartpole/model.json --episodes 20
//	vpg render --ckpt runs/cartpole/model.json --out episode.svg
//
// Run `vpg help` for every subcommand and `vpg <cmd> -h` for its flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// command is one subcommand; run gets the arguments after its name.
type command struct {
	summary string
	run     func(args []string, stdout io.Writer) error
}

// commands maps subcommand names to their implementation; other files of
// this package add entries from init().
var commands = map[string]command{
	"train":  {"train an agent, save a checkpoint and an HTML report", runTrain},
	"eval":   {"mean return of a checkpoint over N episodes", runEval},
	"render": {"an episode of a checkpoint as an animated SVG", runRender},
}

func main() {
	err := dispatch(os.Args[1:], os.Stdout)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp): // -h printed the usage
	case errors.Is(err, errInterrupted):
		os.Exit(130) // the shell's code for a run stopped by Ctrl-C
	default:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func dispatch(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return fmt.Errorf("vpg: unknown command %q; commands: %s", args[0], strings.Join(names(), ", "))
	}
	err := cmd.run(args[1:], stdout)
	if err == nil || errors.Is(err, flag.ErrHelp) || errors.Is(err, errInterrupted) {
		return err
	}
	return &cmdError{args[0], err}
}

// cmdError is a command's error with the one prefix every message has,
// "vpg <command>: ".
type cmdError struct {
	cmd string
	err error
}

// Error drops the "vpg: " of the library's errors, which the prefix says.
func (e *cmdError) Error() string {
	return "vpg " + e.cmd + ": " + strings.ReplaceAll(e.err.Error(), "vpg: ", "")
}

func (e *cmdError) Unwrap() error { return e.err }

func names() []string {
	var ns []string
	for n := range commands {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vpg <command> [flags]\n\ncommands:")
	for _, n := range names() {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
}
