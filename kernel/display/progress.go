package display

import (
	"fmt"
	"html"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress is a status line with a bar that updates in place, e.g. from a training
// callback. The last state stays in the notebook.
type Progress struct {
	id, title string
	total     int
	done      int // the latest count Update was given, drawn or not
	start     time.Time
	shown     time.Time
}

// progressEvery limits redraws: each one is a round trip to the notebook.
const progressEvery = 250 * time.Millisecond

// NewProgress starts a progress line for total steps (total <= 0: no bar, just text).
func NewProgress(title string, total int) *Progress {
	p := &Progress{id: "govpg-progress-" + newID(), title: title, total: total, start: time.Now()}
	p.draw(0, "starting")
	return p
}

// Update shows that done steps are finished, with a message such as the latest
// metrics. Calls closer together than a quarter second are skipped, except the last
// step's.
func (p *Progress) Update(done int, format string, args ...any) {
	p.done = done
	if time.Since(p.shown) < progressEvery && (p.total <= 0 || done < p.total) {
		return
	}
	p.draw(done, fmt.Sprintf(format, args...))
}

// Done shows the final state with a closing message and the total time. Outside a
// notebook it prints that line to stdout.
func (p *Progress) Done(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.total > 0 {
		p.done = p.total
	}
	if !gonbui.IsNotebook {
		fmt.Printf("%s: %s (%s)\n", p.title, msg, time.Since(p.start).Round(100*time.Millisecond))
		return
	}
	p.draw(p.done, msg)
}

func (p *Progress) draw(done int, msg string) {
	p.shown = time.Now()
	if !gonbui.IsNotebook {
		return
	}
	gonbui.UpdateHTML(p.id, progressHTML(p.title, done, p.total, time.Since(p.start), msg))
	gonbui.Sync()
}

// progressHTML renders one state of a progress line.
func progressHTML(title string, done, total int, elapsed time.Duration, msg string) string {
	bar, count := "", fmt.Sprintf("%d", done)
	if total > 0 {
		done = max(0, min(done, total))
		bar = fmt.Sprintf(`<progress value="%d" max="%d" style="width:16em;vertical-align:middle"></progress> `, done, total)
		count = fmt.Sprintf("%d/%d", done, total)
		if done > 0 && done < total {
			left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
			count += fmt.Sprintf(", about %s left", left.Round(time.Second))
		}
	}
	return fmt.Sprintf(`<div data-govpg="progress" style="font-family:monospace">%s<b>%s</b> %s (%s): %s</div>`,
		bar, html.EscapeString(title), count, elapsed.Round(100*time.Millisecond), html.EscapeString(msg))
}
