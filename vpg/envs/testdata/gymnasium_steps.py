"""Writes gymnasium_steps.json: single transitions computed by Gymnasium itself.

The Go tests replay each case (set the state, take the action) and compare the
next state, observation, reward and termination flag with what Gymnasium's own
classic-control code produced, so the Go port is checked against the original
rather than against itself.

Regenerate (Debian; no PyPI needed):
    apt-get install -y python3-numpy python3-cloudpickle python3-typing-extensions
    # a Gymnasium source checkout at $GYM (the `gymnasium` package directory inside it);
    # if its import asks for farama_notifications, an empty stub module will do.
    PYTHONPATH=$GYM /usr/bin/python3 gymnasium_steps.py > gymnasium_steps.json
"""

import json
import sys

import numpy as np

from gymnasium.envs.classic_control import (
    acrobot,
    cartpole,
    continuous_mountain_car,
    mountain_car,
    pendulum,
)

rng = np.random.default_rng(20240601)
CASES = 100


def f(x):
    return [float(v) for v in np.atleast_1d(x)]


def one(env, state, action, to_gym_action):
    env.reset(seed=0)
    env.state = state
    obs, reward, terminated, _, _ = env.step(to_gym_action(action))
    return {
        "state": f(state),
        "action": f(action),
        "next": f(np.asarray(env.state, dtype=np.float64)),
        "obs": f(obs),
        "reward": float(reward),
        "terminated": bool(terminated),
    }


def discrete(a):
    return int(a[0])


def box(a):
    return np.array(a, dtype=np.float32)


def cases(env, draw_state, n_actions=None, action_range=None, to_gym=discrete, extra=()):
    out = []
    states = [np.array(s, dtype=np.float64) for s in extra]
    states += [draw_state() for _ in range(CASES)]
    for s in states:
        if n_actions:
            a = [float(rng.integers(n_actions))]
        else:
            a = [float(np.float32(rng.uniform(*action_range)))]
        out.append(one(env, s.copy(), a, to_gym))
    return out


out = {}
out["CartPole-v1"] = cases(
    cartpole.CartPoleEnv(),
    lambda: rng.uniform([-2.5, -3, -0.25, -3], [2.5, 3, 0.25, 3]),
    n_actions=2,
    extra=[[2.4, 0, 0, 0], [2.4, 1e-9, 0, 0], [0, 0, 0.20943951023931953, 0]],
)
out["Acrobot-v1"] = cases(
    acrobot.AcrobotEnv(),
    lambda: rng.uniform([-np.pi, -np.pi, -14, -30], [np.pi, np.pi, 14, 30]),
    n_actions=3,
    extra=[[np.pi - 1e-3, np.pi - 1e-3, 4 * np.pi, 9 * np.pi], [3.0, 0.1, 0, 0]],
)
out["MountainCar-v0"] = cases(
    mountain_car.MountainCarEnv(),
    lambda: rng.uniform([-1.2, -0.07], [0.6, 0.07]),
    n_actions=3,
    extra=[[-1.19, -0.07], [0.49, 0.01], [-0.5, 0.0]],
)
out["MountainCarContinuous-v0"] = cases(
    continuous_mountain_car.Continuous_MountainCarEnv(),
    lambda: rng.uniform([-1.2, -0.07], [0.6, 0.07]),
    action_range=(-2, 2),
    to_gym=box,
    extra=[[-1.19, -0.07], [0.44, 0.01]],
)
out["Pendulum-v1"] = cases(
    pendulum.PendulumEnv(),
    lambda: rng.uniform([-20, -8], [20, 8]),
    action_range=(-3, 3),
    to_gym=box,
    extra=[[np.pi, 0], [-np.pi, 0], [3 * np.pi, 7.9]],
)
json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
