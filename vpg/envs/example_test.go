package envs_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/govpg/govpg/vpg/envs"
)

// A hand-written controller balances CartPole for the full 500 steps.
func ExampleMake() {
	e, err := envs.Make("CartPole-v1")
	if err != nil {
		panic(err)
	}
	fmt.Println(e.ObservationSpace().Dim(), e.ActionSpace(), e.MaxSteps(), e.RewardThreshold())
	obs := e.Reset(1)
	ret := 0.0
	for {
		push := 0.0 // left
		if obs[2]+0.5*obs[3] > 0 {
			push = 1 // right, towards the lean
		}
		var r float64
		var terminated, truncated bool
		obs, r, terminated, truncated = e.Step([]float64{push})
		ret += r
		if terminated || truncated {
			fmt.Println("terminated:", terminated, "truncated:", truncated, "return:", ret)
			return
		}
	}
	// Output:
	// 4 Discrete(2) 500 475
	// terminated: false truncated: true return: 500
}

func ExampleMake_unknownID() {
	_, err := envs.Make("LunarLander-v3")
	fmt.Println(err)
	// Output:
	// envs: unknown environment id "LunarLander-v3"; known ids: CartPole-v1, Acrobot-v1, MountainCar-v0, MountainCarContinuous-v0, Pendulum-v1, RandomWalk-19
}

// Bad actions panic in Env.Step and come back as errors from VecEnv.Step.
func ExampleActionError() {
	v, err := envs.NewVecEnv("Acrobot-v1", 2, 0)
	if err != nil {
		panic(err)
	}
	_, _, _, _, err = v.Step([]float64{2, 3})
	fmt.Println(err)
	var ae *envs.ActionError
	fmt.Println(errors.As(err, &ae), ae.Action)
	// Output:
	// envs: bad action [3] for Acrobot-v1: index 3 is out of range; allowed: one whole-number index in 0…2 (VecEnv copy 1)
	// true [3]
}

// Four CartPoles pushed always to the right fall over quickly and restart
// on their own; FinalObs holds the state each episode ended in.
func ExampleNewVecEnv() {
	v, err := envs.NewVecEnv("CartPole-v1", 4, 7)
	if err != nil {
		panic(err)
	}
	right := []float64{1, 1, 1, 1}
	episodes := 0
	for range 100 {
		_, _, terminated, truncated, err := v.Step(right)
		if err != nil {
			panic(err)
		}
		for i := range v.N() {
			if terminated[i] || truncated[i] {
				episodes++
				if last := v.FinalObs(i); last[2] > -0.2 { // fell to the left
					fmt.Println("unexpected final angle", last[2])
				}
			}
		}
	}
	fmt.Println(v.N(), "copies,", v.ObsDim(), "observations each; episodes ended:", episodes)
	// Output:
	// 4 copies, 4 observations each; episodes ended: 40
}

// Record an episode with random actions: a drawing of every state it visits.
func ExampleRecord() {
	e, err := envs.Make("MountainCar-v0")
	if err != nil {
		panic(err)
	}
	frames, ret := envs.Record(e, nil, 0, 50)
	fmt.Println(len(frames), ret, strings.HasPrefix(frames[0], "<svg"))
	// Output:
	// 51 -50 true
}

func ExampleRandomWalkTrueValues() {
	fmt.Println(envs.RandomWalkTrueValues())
	// Output:
	// [-0.9 -0.8 -0.7 -0.6 -0.5 -0.4 -0.3 -0.2 -0.1 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9]
}
