package curves_test

import (
	"fmt"

	"github.com/govpg/govpg/vpg/curves"
	"github.com/govpg/govpg/vpg/pg"
)

// Two seeds scored on where they ended, and drawn on one steps axis.
func ExampleScore() {
	seeds := []curves.Run{
		{Steps: []float64{500, 1000}, Return: []float64{20, 180}, Episodes: []int{20, 2}},
		{Steps: []float64{500, 1000}, Return: []float64{30, 220}, Episodes: []int{15, 3}},
	}
	m, s := pg.MeanStd(curves.Scores(seeds, 0.1)) // episodes of the last 100 steps, mean ± std over seeds
	fmt.Printf("%.0f ± %.0f\n", m, s)
	fmt.Println(curves.Resample(seeds[0].Steps, seeds[0].Return, curves.Grid(1000, 4)))
	// Output:
	// 200 ± 20
	// [NaN 20 20 180]
}
