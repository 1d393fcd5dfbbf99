"""Stable-Baselines3 on CartPole-v1 with rl-baselines3-zoo's tuned hyper-parameters.

What a user who only wants CartPole solved would run: A2C or PPO from SB3 on
Gymnasium's CartPole-v1, configured as rl-baselines3-zoo's hyperparams/a2c.yml
and hyperparams/ppo.yml configure them (8 environment copies; "lin_X" there is
a schedule falling linearly from X to 0 over the step budget). Training stops
at the first moment the episodes that ended in the last --window environment
steps (all copies together) have a mean return ≥ --target: govpg's criterion,
the mean return of a 4000-step epoch.

    vpg bench -install-peers -peer sb3
    vpg bench -peer sb3

Prints its versions, then 'SUMMARY {json}'.
"""
import argparse
import json
import platform
import re
import time

START = time.perf_counter()

import gymnasium  # noqa: E402
import numpy as np  # noqa: E402
import stable_baselines3 as sb3  # noqa: E402
import torch  # noqa: E402
from stable_baselines3.common.callbacks import BaseCallback  # noqa: E402
from stable_baselines3.common.env_util import make_vec_env  # noqa: E402


def linear(start):
    """rl-zoo's lin_<start>: SB3 passes the fraction of the budget left, 1 → 0."""
    return lambda left: left * start


# rl-baselines3-zoo, hyperparams/a2c.yml and hyperparams/ppo.yml, key CartPole-v1
# ("lin_" values as their starts: see linear).
ZOO = {
    "a2c": dict(cls=sb3.A2C, n_envs=8, n_timesteps=500_000, kwargs=dict(ent_coef=0.0), linear={}),
    "ppo": dict(cls=sb3.PPO, n_envs=8, n_timesteps=100_000, kwargs=dict(
        n_steps=32, batch_size=256, gae_lambda=0.8, gamma=0.98, n_epochs=20, ent_coef=0.0),
        linear=dict(learning_rate=1e-3, clip_range=0.2)),
}


def ppo_settings(model, zoo, budget):
    """What the PPO run used, read back from SB3's model (rl-zoo's values and SB3's defaults):
    govpg's bench trains its own PPO with the same."""
    pol = model.policy
    arch = pol.net_arch if isinstance(pol.net_arch, dict) else dict(pi=pol.net_arch, vf=pol.net_arch)
    return dict(
        n_envs=zoo["n_envs"], n_steps=model.n_steps, batch_size=model.batch_size, n_epochs=model.n_epochs,
        gamma=model.gamma, gae_lambda=model.gae_lambda, ent_coef=model.ent_coef, vf_coef=model.vf_coef,
        max_grad_norm=model.max_grad_norm, normalize_advantage=model.normalize_advantage,
        clip_range_vf=model.clip_range_vf is not None, learning_rate=zoo["linear"]["learning_rate"],
        clip_range=zoo["linear"]["clip_range"], adam_eps=pol.optimizer.defaults["eps"], ortho_init=pol.ortho_init,
        pi_arch=list(arch["pi"]), vf_arch=list(arch["vf"]), activation=pol.activation_fn.__name__, budget=budget)


class StopAtTarget(BaseCallback):
    """Records each finished episode and stops once the window's mean return reaches the target."""

    def __init__(self, target, window):
        super().__init__()
        self.target, self.window, self.episodes = target, window, []
        self.solved_steps = self.solved_wall = None

    def _on_step(self):
        for info in self.locals["infos"]:
            if "episode" in info:
                self.episodes.append((self.num_timesteps, info["episode"]["r"]))
        recent = [r for t, r in self.episodes if t > self.num_timesteps - self.window]
        if recent and np.mean(recent) >= self.target:
            self.solved_steps, self.solved_wall = self.num_timesteps, time.perf_counter() - START
            return False
        return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--algo", choices=sorted(ZOO), default="ppo")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--target", type=float, default=475)
    p.add_argument("--window", type=int, default=4000)
    p.add_argument("--threads", type=int, default=1, help="torch threads")
    p.add_argument("--timesteps", type=int, default=0, help="step budget (0: rl-zoo's)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    blas = re.search(r"BLAS_INFO=[^,\s]*", torch.__config__.show())
    print(f"stable-baselines3 {sb3.__version__}, torch {torch.__version__} ({blas.group(0) if blas else 'BLAS_INFO not reported'}, "
          f"{torch.get_num_threads()} thread(s)), gymnasium {gymnasium.__version__}, numpy {np.__version__}, "
          f"Python {platform.python_version()}", flush=True)
    zoo = ZOO[a.algo]
    budget = a.timesteps or zoo["n_timesteps"]
    env = make_vec_env("CartPole-v1", n_envs=zoo["n_envs"], seed=a.seed)
    schedules = {k: linear(v) for k, v in zoo["linear"].items()}
    model = zoo["cls"]("MlpPolicy", env, seed=a.seed, device="cpu", verbose=0, **zoo["kwargs"], **schedules)
    stop = StopAtTarget(a.target, a.window)
    t0 = time.perf_counter()
    model.learn(total_timesteps=budget, callback=stop)
    learn_s = time.perf_counter() - t0
    print("SUMMARY " + json.dumps({
        "algo": a.algo, "seed": a.seed, "n_envs": zoo["n_envs"], "budget": budget,
        "steps": model.num_timesteps, "learn_s": learn_s, "wall_s": time.perf_counter() - START,
        "solved_steps": stop.solved_steps, "solved_wall_s": stop.solved_wall, "episodes": len(stop.episodes),
        "settings": ppo_settings(model, zoo, budget) if a.algo == "ppo" else None}))


if __name__ == "__main__":
    main()
