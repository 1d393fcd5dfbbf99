package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// flagSet is a command's flags with one syntax for numbers in every
// command: integers in decimal (no 0x10, no 1_000), real numbers finite,
// each within stated bounds. Values are taken as typed and checked after
// parsing, so that an error names the flag as the user wrote it
// (--steps or -steps).
type flagSet struct {
	*flag.FlagSet
	args   []string
	checks []func() error // in the order the flags were defined
}

func newFlagSet(name string, stdout io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs.SetOutput(stdout)
	return fs
}

// parse parses args and checks every number given; no positional
// arguments are allowed.
func (fs *flagSet) parse(args []string) error {
	fs.args = args
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (every input is a flag)", fs.Args())
	}
	for _, check := range fs.checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// typed is flag name as it appears in the arguments, -name or --name
// (--name if it does not appear).
func (fs *flagSet) typed(name string) string {
	for _, a := range fs.args {
		if a == "--" {
			break
		}
		if a == "-"+name || strings.HasPrefix(a, "-"+name+"=") {
			return "-" + name
		}
	}
	return "--" + name
}

// errorf is an error about flag name, which it names first.
func (fs *flagSet) errorf(name, format string, args ...any) error {
	return fmt.Errorf("%s %s", fs.typed(name), fmt.Sprintf(format, args...))
}

// given reports whether flag name was on the command line.
func (fs *flagSet) given(name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// value defines flag name whose text is converted and checked by set
// after parsing.
func (fs *flagSet) value(name, usage string, set func(v string) error) {
	var raw *string
	fs.Func(name, usage, func(v string) error { raw = &v; return nil })
	fs.checks = append(fs.checks, func() error {
		if raw == nil {
			return nil
		}
		return set(*raw)
	})
}

// Int defines a decimal integer flag in lo … hi.
func (fs *flagSet) Int(name string, def, lo, hi int, usage string) *int {
	p := &def
	fs.value(name, fmt.Sprintf("%s (%d … %d; default %d)", usage, lo, hi, def), func(v string) error {
		n, err := parseInt(v)
		if err != nil {
			return fs.errorf(name, "%v", err)
		}
		if n < lo || n > hi {
			return fs.errorf(name, "%d is out of range, want %d … %d", n, lo, hi)
		}
		*p = n
		return nil
	})
	return p
}

// Uint64 defines a decimal flag in 0 … 2⁶⁴−1 (seeds).
func (fs *flagSet) Uint64(name string, def uint64, usage string) *uint64 {
	p := &def
	fs.value(name, fmt.Sprintf("%s (default %d)", usage, def), func(v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fs.errorf(name, "%q is not a decimal integer in 0 … %d", v, uint64(math.MaxUint64))
		}
		*p = n
		return nil
	})
	return p
}

// Float defines a finite real flag in lo … hi.
func (fs *flagSet) Float(name string, def, lo, hi float64, usage string) *float64 {
	p := &def
	fs.value(name, fmt.Sprintf("%s (%g … %g; default %g)", usage, lo, hi, def), func(v string) error {
		x, err := parseFloat(v)
		if err != nil {
			return fs.errorf(name, "%v", err)
		}
		if !(x >= lo && x <= hi) {
			return fs.errorf(name, "%g is out of range, want %g … %g", x, lo, hi)
		}
		*p = x
		return nil
	})
	return p
}

// parseInt reads a decimal integer, the one integer syntax of every flag.
func parseInt(v string) (int, error) {
	n, err := strconv.Atoi(v) // base 10: no 0x prefix, no underscores
	if err != nil {
		return 0, fmt.Errorf("%q is not a decimal integer", v)
	}
	return n, nil
}

// parseFloat reads a finite real number.
func parseFloat(v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a finite number", v)
	}
	return x, nil
}

// parseInts reads a comma-separated list of decimal integers; an empty
// item (64,,64 or a lone comma) is an error, the empty string an empty list.
func parseInts(v string) ([]int, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var ns []int
	for i, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("%q has an empty item %d; want integers separated by single commas", v, i+1)
		}
		n, err := parseInt(f)
		if err != nil {
			return nil, fmt.Errorf("item %d of %q: %w", i+1, v, err)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// parseCounts is parseInts for counts: every item ≥ 1.
func parseCounts(v string) ([]int, error) {
	ns, err := parseInts(v)
	for _, n := range ns {
		if err == nil && n < 1 {
			err = fmt.Errorf("has %d, want counts ≥ 1", n)
		}
	}
	return ns, err
}
