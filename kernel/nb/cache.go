package nb

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
)

// Cached returns compute(), computed once per key and settings: the result is
// kept (gob-encoded, so NaN and structs such as []vpg.EpochMetrics survive) in
// the temporary directory (TempPath) and read back on later runs, so that a
// reference a "your turn" cell draws (curves that take minutes to train) is
// not retrained on every edit of the learner's function.
// settings must hold every value the result depends on (a config, the seeds):
// changing any of them computes afresh. compute must not depend on a function
// the learner edits, since code is not part of the key; for the same reason a
// function in the settings (a Config's Objective) should be nil, with the
// function named in key instead.
//
//	ref := nb.Cached("05 reference curves", func() [][]float64 { return curves(pg.FutureReturnPsi) }, cfg, SEEDS)
func Cached[T any](key string, compute func() T, settings ...any) T {
	sum := sha256.Sum256(fmt.Appendf(nil, "%q %#v", key, settings))
	path := TempPath(fmt.Sprintf("govpg-cache-%x.gob", sum[:8]))
	var v T
	if data, err := os.ReadFile(path); err == nil && gob.NewDecoder(bytes.NewReader(data)).Decode(&v) == nil {
		return v
	}
	v = compute()
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(v) == nil {
		// Written to a temporary file and renamed, so a cell stopped halfway
		// leaves no half-written cache behind.
		if f, err := os.CreateTemp(filepath.Dir(path), ".govpg-cache-*"); err == nil {
			_, werr := f.Write(buf.Bytes())
			if cerr := f.Close(); werr == nil && cerr == nil {
				os.Rename(f.Name(), path)
			}
			os.Remove(f.Name())
		}
	}
	return v
}
