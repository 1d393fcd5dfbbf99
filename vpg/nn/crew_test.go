package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// A pass whose own share panics still lets its helpers finish before the
// crew takes the next pass, which then runs every worker once.
func TestCrewAfterPanic(t *testing.T) {
	c := newCrew()
	var helperDone atomic.Bool
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the pass's panic did not reach its caller")
			}
		}()
		c.run(2, func(w int) {
			if w == 0 {
				panic("share 0")
			}
			time.Sleep(10 * time.Millisecond)
			helperDone.Store(true)
		})
	}()
	if !helperDone.Load() {
		t.Fatal("the crew was released before its helper finished")
	}
	var calls [2]atomic.Int32
	if !c.run(2, func(w int) { calls[w].Add(1) }) {
		t.Fatal("the crew refused the pass after a panic")
	}
	if calls[0].Load() != 1 || calls[1].Load() != 1 {
		t.Fatalf("after a panic, workers ran %d and %d times", calls[0].Load(), calls[1].Load())
	}
}

// forChunks calls every chunk exactly once with its own rows, whether the
// passes run on the crew or, while the crew is busy, on goroutines of their
// own.
func TestForChunksCallsEachChunkOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const n = 10*chunkRows + 17
	var passes sync.WaitGroup
	for range 3 {
		passes.Go(func() {
			for range 20 {
				calls := make([]atomic.Int32, numChunks(n))
				forChunks(n, parallelWork, func(ch, lo, hi int) {
					if lo != ch*chunkRows || hi != min(lo+chunkRows, n) {
						t.Errorf("chunk %d got rows [%d, %d)", ch, lo, hi)
					}
					calls[ch].Add(1)
				})
				for ch := range calls {
					if c := calls[ch].Load(); c != 1 {
						t.Errorf("chunk %d ran %d times", ch, c)
					}
				}
			}
		})
	}
	passes.Wait()
}
