package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// crew runs a pass over the chunks on the calling goroutine and on helper
// goroutines that wait for the next pass by polling (yielding to any other
// goroutine) for a while before they sleep: a sleeping thread can take tens
// of microseconds to wake, on a virtual machine especially, against under a
// millisecond of work per pass. 80 CartPole V steps ran 0.85–0.97× the time
// of goroutines started per pass (BenchmarkValueSteps, four pairs of runs).
type crew struct {
	busy    sync.Mutex // one pass at a time; another caller uses goroutines of its own
	helpers int        // started, numbered 1 to helpers
	job     func(worker int)
	workers int
	gen     atomic.Uint64 // advanced for each pass
	left    atomic.Int32  // helpers yet to finish the pass
	mu      sync.Mutex    // guards sleeping, with wake
	wake    *sync.Cond
	asleep  int
}

// chunkCrew is the crew of the engines' passes.
var chunkCrew = newCrew()

func newCrew() *crew {
	c := &crew{}
	c.wake = sync.NewCond(&c.mu)
	return c
}

// spinFor is how long an idle helper polls before it sleeps.
const spinFor = 100 * time.Microsecond

// run calls job(w) for w < workers, job(0) on this goroutine, and reports
// whether it did; it does not when another pass holds the crew.
func (c *crew) run(workers int, job func(worker int)) bool {
	if !c.busy.TryLock() {
		return false
	}
	defer func() { // even if job(0) panics, the next pass waits for this one's helpers
		for c.left.Load() > 0 {
			runtime.Gosched()
		}
		c.busy.Unlock()
	}()
	for c.helpers < workers-1 {
		c.helpers++
		go c.help(c.helpers, c.gen.Load())
	}
	c.job, c.workers = job, workers
	c.left.Store(int32(c.helpers))
	c.gen.Add(1)
	c.mu.Lock()
	if c.asleep > 0 {
		c.wake.Broadcast()
	}
	c.mu.Unlock()
	job(0)
	return true
}

// help runs helper w's share of each pass after gen.
func (c *crew) help(w int, gen uint64) {
	for {
		deadline := time.Now().Add(spinFor)
		for i := 0; c.gen.Load() == gen; i++ {
			if i%64 == 63 && time.Now().After(deadline) {
				c.mu.Lock()
				c.asleep++
				for c.gen.Load() == gen {
					c.wake.Wait()
				}
				c.asleep--
				c.mu.Unlock()
				break
			}
			runtime.Gosched()
		}
		gen = c.gen.Load()
		if w < c.workers {
			c.job(w)
		}
		c.left.Add(-1)
	}
}
