package nb

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Cached returns compute(), computed once per key and settings: the result is
// kept as JSON in the temporary directory (TempPath) and read back on later
// runs, so that a reference a "your turn" cell draws (curves that take
// minutes to train) is not retrained on every edit of the learner's function.
// settings must hold every value the result depends on (a config, the seeds):
// changing any of them computes afresh. compute must not depend on a function
// the learner edits, since its code is not part of the key.
//
//	ref := nb.Cached("05 reference curves", func() [][]float64 { return curves(pg.FutureReturnPsi) }, cfg, SEEDS)
func Cached[T any](key string, compute func() T, settings ...any) T {
	sum := sha256.Sum256(fmt.Appendf(nil, "%q %#v", key, settings))
	path := TempPath(fmt.Sprintf("govpg-cache-%x.json", sum[:8]))
	var v T
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &v) == nil {
		return v
	}
	v = compute()
	if data, err := json.Marshal(v); err == nil {
		// Written to a temporary file and renamed, so a cell stopped halfway
		// leaves no half-written cache behind.
		if f, err := os.CreateTemp(filepath.Dir(path), ".govpg-cache-*"); err == nil {
			_, werr := f.Write(data)
			if cerr := f.Close(); werr == nil && cerr == nil {
				os.Rename(f.Name(), path)
			}
			os.Remove(f.Name())
		}
	}
	return v
}
