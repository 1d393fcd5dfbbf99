package vpg

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/pg"
)

// What a caller does with a batch or inside a PsiFunc cannot break the
// trainer (issue 21, item 7): each case is followed by an epoch that must
// run and match the same epoch of an untouched trainer.
func TestCallerCannotBreakTrainer(t *testing.T) {
	reference := newTrainer(t, smallConfig())
	for range 3 {
		if _, err := reference.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	want := withoutTimes(reference.History())
	for _, tc := range []struct {
		name    string
		abuse   func(tr *Trainer, b *Batch) error // runs on epoch 0's batch
		wantErr string                            // from abuse, "" for none
	}{
		{"a panicking PsiFunc", func(tr *Trainer, b *Batch) error {
			_, err := tr.Psi(b, func(pg.Path) []float64 { panic("boom") })
			return err
		}, "the weight function github.com/govpg/govpg/vpg.TestCallerCannotBreakTrainer.func"},
		{"a PsiFunc writing into its path", func(tr *Trainer, b *Batch) error {
			_, err := tr.Psi(b, func(p pg.Path) []float64 {
				for i := range p.Rewards {
					p.Rewards[i], p.Values[i] = 1e9, 1e9
				}
				return p.Rewards
			})
			return err
		}, ""},
		{"shortening b.Obs", func(tr *Trainer, b *Batch) error {
			b.Obs = b.Obs[:3]
			return nil
		}, ""},
		{"Update rejecting b.Weights = nil", func(tr *Trainer, b *Batch) error {
			b.Weights = nil
			_, err := tr.Update(b)
			return err
		}, "batch.Weights has 0 steps"},
	} {
		tr := newTrainer(t, smallConfig())
		b, err := tr.Collect()
		if err != nil {
			t.Fatal(err)
		}
		before := slices.Clone(b.Rewards)
		err = tc.abuse(tr, b)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %v, want error %q", tc.name, err, tc.wantErr)
		}
		if !slices.Equal(before, b.Rewards) {
			t.Errorf("%s: the batch's rewards changed", tc.name)
		}
		spoilt := tc.name == "shortening b.Obs" || tc.name == "Update rejecting b.Weights = nil"
		if !spoilt {
			if _, err := tr.Update(b); err != nil {
				t.Fatalf("%s: Update: %v", tc.name, err)
			}
		}
		// The next epochs run (on a new batch where this one was spoilt).
		for range 2 {
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatalf("%s: the next RunEpoch: %v", tc.name, err)
			}
		}
		if !spoilt {
			if got := withoutTimes(tr.History()); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the epochs differ from an untouched run", tc.name)
			}
		}
	}
}

// A batch of an earlier Collect is the caller's: a later Collect neither
// overwrites it nor accepts it in Update.
func TestCollectHandsOutANewBatch(t *testing.T) {
	tr := newTrainer(t, smallConfig())
	b1, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	obs := slices.Clone(b1.Obs)
	b2, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(obs, b1.Obs) || &b1.Obs[0] == &b2.Obs[0] {
		t.Error("the second Collect wrote into the first batch")
	}
	if _, err := tr.Update(b1); err == nil || !strings.Contains(err.Error(), "not the trainer's latest") {
		t.Errorf("Update(earlier batch): %v", err)
	}
	if _, err := tr.Update(b2); err != nil {
		t.Errorf("Update(latest batch): %v", err)
	}
}
