package envs

import (
	"fmt"
	"strings"
)

// stepper is an Env of this package, with the allocation-free entry points
// VecEnv uses.
type stepper interface {
	Env
	resetInto(seed uint64, obs []float64)
	stepInto(action, obs []float64) (float64, bool, bool)
	check(action []float64) error
	progress() (steps int, ended bool)
	setProgress(steps int, ended bool)
	observeInto(obs []float64)
}

// registry lists the environments in the order IDs reports them.
var registry = []struct {
	id  string
	new func() stepper
}{
	{cartPoleSpec.id, func() stepper { return NewCartPole() }},
	{acrobotSpec.id, func() stepper { return NewAcrobot() }},
	{mountainCarSpec.id, func() stepper { return NewMountainCar() }},
	{mountainCarContinuousSpec.id, func() stepper { return NewMountainCarContinuous() }},
	{pendulumSpec.id, func() stepper { return NewPendulum() }},
	{randomWalkSpec.id, func() stepper { return NewRandomWalk() }},
}

// IDs returns the ids Make knows: CartPole-v1, Acrobot-v1, MountainCar-v0,
// MountainCarContinuous-v0, Pendulum-v1, RandomWalk-19.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, r := range registry {
		ids[i] = r.id
	}
	return ids
}

// Make returns a new environment by its Gymnasium id, already Reset with
// seed 0. An unknown id is an error that lists the known ones.
func Make(id string) (Env, error) { return makeStepper(id) }

func makeStepper(id string) (stepper, error) {
	for _, r := range registry {
		if r.id == id {
			return r.new(), nil
		}
	}
	return nil, fmt.Errorf("envs: unknown environment id %q; known ids: %s", id, strings.Join(IDs(), ", "))
}
