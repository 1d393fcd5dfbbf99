package display

import (
	"fmt"
	"html"
	"time"

	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// Slider shows an integer slider labelled label in a live notebook and returns its
// value when the cell runs. Its state lives in the browser page under the label, so
// after moving it, a later cell reads the new value with SliderValue. Headless
// (runner, or outside GoNB) it shows nothing and returns value: widgets wait for a
// browser that never comes.
func Slider(label string, lo, hi, value int) int {
	if lo > hi || value < lo || value > hi {
		fail("display.Slider(%q): need lo <= value <= hi, got lo=%d value=%d hi=%d", label, lo, value, hi)
		return value
	}
	if Headless() {
		fmt.Printf("%s = %d (headless: fixed value)\n", label, value)
		return value
	}
	show(fmt.Sprintf("<b>%s</b> (%d…%d)", html.EscapeString(label), lo, hi))
	s := widgets.Slider(lo, hi, value).WithAddress(sliderAddress(label)).Done()
	return s.Value()
}

// SliderValue returns the current value of the slider labelled label, or fallback
// when headless or when no browser answers within two seconds.
func SliderValue(label string, fallback int) int {
	if Headless() {
		return fallback
	}
	got := make(chan int, 1)
	go func() { got <- comms.ReadValue[int](sliderAddress(label)) }()
	select {
	case v := <-got:
		return v
	case <-time.After(2 * time.Second):
		return fallback
	}
}

func sliderAddress(label string) string { return "/govpg/slider/" + label }
