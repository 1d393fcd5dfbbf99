package nn

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Each pass calls every worker exactly once, whatever the number of
// workers from pass to pass (helpers beyond it sit out), and a caller that
// finds the crew busy is told so and runs nothing.
func TestCrewRunsEachWorkerOnce(t *testing.T) {
	c := newCrew()
	for pass, workers := range []int{2, 4, 3, 1, 4, 2, 2} {
		calls := make([]atomic.Int32, workers)
		if !c.run(workers, func(w int) { calls[w].Add(1) }) {
			t.Fatalf("pass %d: an idle crew refused", pass)
		}
		for w := range calls {
			if n := calls[w].Load(); n != 1 {
				t.Fatalf("pass %d: worker %d of %d ran %d times", pass, w, workers, n)
			}
		}
	}
	var inside, refused, done sync.WaitGroup
	inside.Add(1)
	refused.Add(1)
	done.Go(func() {
		c.run(2, func(w int) {
			if w == 0 {
				inside.Done()
				refused.Wait()
			}
		})
	})
	inside.Wait()
	if c.run(2, func(int) {}) {
		t.Error("a busy crew ran a second pass")
	}
	refused.Done()
	done.Wait()
}
