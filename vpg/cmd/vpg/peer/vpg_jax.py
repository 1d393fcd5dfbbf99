"""VPG in JAX, jitted end to end, for side-by-side speed comparisons with govpg.

The algorithm and hyper-parameters are those of vpg_torch.py (Spinning Up's VPG:
tanh MLP actor and critic, GAE-lambda, normalized advantages, one policy step
and train_v_iters value steps per epoch with Adam, V bootstrap at time-outs and
at the epoch cut-off). Written the way PureJaxRL writes agents:

- the rollout is one jitted lax.scan over a CartPole written in jax.numpy
  (Gymnasium's equations in float32, as gymnax has them), vmapped over --envs
  copies with automatic reset; GAE and the rewards-to-go are a reverse
  lax.scan inside the same function;
- the policy step and the value steps are jitted, the value steps one
  lax.fori_loop.

Each function is compiled ahead of time and the compile time is reported on its
own (it is paid once per process, and counted in the wall time).

    vpg bench -install-peers -peer jax      # makes the virtual environment
    vpg bench -peer jax                     # runs this next to govpg

--seeds S trains seeds --seed … --seed+S−1 at once instead, as PureJaxRL does:
the whole run (every epoch: rollout, π step, V steps) is one lax.scan, vmapped
over the seeds and compiled once; it prints 'SEEDS {json}' with the compile and
wall times.

--check-env FILE replays Gymnasium's own CartPole transitions (govpg's
vpg/envs/testdata/gymnasium_steps.json) through the port and exits non-zero on
a mismatch. Prints one line per epoch, then 'SUMMARY {json}'.
"""
import argparse
import json
import math
import os
import platform
import sys
import time

START = time.perf_counter()


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--env", default="CartPole-v1")
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--envs", type=int, default=1, help="CartPole copies stepped in lockstep")
    p.add_argument("--hidden", default="64,64")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--lam", type=float, default=0.97)
    p.add_argument("--pi_lr", type=float, default=3e-4)
    p.add_argument("--vf_lr", type=float, default=1e-3)
    p.add_argument("--train_v_iters", type=int, default=80)
    p.add_argument("--threads", type=int, default=0, help="XLA CPU threads (0: XLA's default, all cores)")
    p.add_argument("--seeds", type=int, default=0, help="train this many seeds at once, vmapped (0: one seed, epoch by epoch)")
    p.add_argument("--check-env", default="", help="Gymnasium reference steps to check the CartPole port against")
    a = p.parse_args()
    if a.env != "CartPole-v1":
        p.error(f"--env {a.env}: this peer implements CartPole-v1 only")
    if a.seeds < 0:
        p.error(f"--seeds {a.seeds}: want 0 (one seed) or more")
    if a.envs < 1 or a.steps % a.envs:
        p.error(f"--steps {a.steps} must be a positive multiple of --envs {a.envs}")
    return a


A = parse()
if A.threads:
    # Must be set before jax is imported.
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               f" --xla_cpu_multi_thread_eigen={'false' if A.threads == 1 else 'true'}"
                               f" intra_op_parallelism_threads={A.threads}")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import jaxlib  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

LIMIT = 500  # CartPole-v1's time limit
THETA_LIMIT = 12 * 2 * math.pi / 360


def cartpole_step(s, a):
    """One Euler step of Gymnasium's CartPole (its constants inlined)."""
    x, x_dot, th, th_dot = s[0], s[1], s[2], s[3]
    force = jnp.where(a == 1, 10.0, -10.0)
    cos, sin = jnp.cos(th), jnp.sin(th)
    temp = (force + 0.05 * th_dot * th_dot * sin) / 1.1
    th_acc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos * cos / 1.1))
    x_acc = temp - 0.05 * th_acc * cos / 1.1
    s2 = jnp.stack([x + 0.02 * x_dot, x_dot + 0.02 * x_acc, th + 0.02 * th_dot, th_dot + 0.02 * th_acc])
    term = (s2[0] < -2.4) | (s2[0] > 2.4) | (s2[2] < -THETA_LIMIT) | (s2[2] > THETA_LIMIT)
    return s2, term


def check_env(path):
    """Replays Gymnasium's CartPole transitions; float32 here, float64 there."""
    cases = json.load(open(path))["CartPole-v1"]
    step = jax.jit(cartpole_step)
    bad = skipped = 0
    for c in cases:
        s2, term = step(jnp.asarray(c["state"], jnp.float32), int(c["action"][0]))
        s2 = np.asarray(s2, np.float64)
        want = np.asarray(c["next"])
        margin = min(abs(abs(want[0]) - 2.4), abs(abs(want[2]) - THETA_LIMIT))
        if not np.allclose(s2, want, rtol=1e-5, atol=1e-5):
            bad += 1
            print(f"mismatch: state {c['state']} action {c['action']}: got {s2.tolist()}, Gymnasium {want.tolist()}")
        elif bool(term) != c["terminated"]:
            if margin < 1e-5:  # float32 cannot tell which side of the limit it is
                skipped += 1
                continue
            bad += 1
            print(f"termination: state {c['state']}: got {bool(term)}, Gymnasium {c['terminated']}")
    print(f"CHECK {len(cases)} Gymnasium CartPole transitions: {bad} mismatches, "
          f"{skipped} termination flags within 1e-5 of a limit not compared (float32)")
    return bad == 0


def init_mlp(key, sizes):
    """torch.nn.Linear's initialization: weights and biases uniform in ±1/√fan_in."""
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1.0 / math.sqrt(n_in)
        params.append((jax.random.uniform(kw, (n_in, n_out), jnp.float32, -bound, bound),
                       jax.random.uniform(kb, (n_out,), jnp.float32, -bound, bound)))
    return params


def mlp(params, x):
    for w, b in params[:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def make(a):
    n, t_per = a.envs, a.steps // a.envs

    def rollout(pi, vf, state, key):
        """t_per steps of n copies; returns the batch, GAE advantages, rewards-to-go and episode stats."""

        def step(carry, _):
            s, t, ep_ret, key = carry
            key, k_act, k_reset = jax.random.split(key, 3)
            act = jax.random.categorical(k_act, mlp(pi, s))
            val = mlp(vf, s)[:, 0]
            s2, term = jax.vmap(cartpole_step)(s, act)
            t2, ret2 = t + 1, ep_ret + 1.0
            trunc = (t2 >= LIMIT) & ~term
            done = term | trunc
            v_final = mlp(vf, s2)[:, 0]  # bootstraps a time-out
            fresh = jax.random.uniform(k_reset, (n, 4), jnp.float32, -0.05, 0.05)
            carry = (jnp.where(done[:, None], fresh, s2), jnp.where(done, 0, t2), jnp.where(done, 0.0, ret2), key)
            return carry, (s, act, val, term, trunc, v_final, jnp.where(done, ret2, 0.0))

        carry, (obs, act, val, term, trunc, v_final, ep_rets) = jax.lax.scan(step, (*state, key), None, t_per)
        state = carry[:3]
        last_v = mlp(vf, state[0])[:, 0]  # bootstraps the epoch cut-off

        def backward(carry, x):
            adv_next, ret_next, v_next = carry
            val, term, trunc, v_final = x
            # the value after this step: 0 if terminal, V(final obs) at a time-out, else the next step's
            boot = jnp.where(term, 0.0, jnp.where(trunc, v_final, v_next))
            cont = ~(term | trunc)
            delta = 1.0 + a.gamma * boot - val
            adv = delta + a.gamma * a.lam * jnp.where(cont, adv_next, 0.0)
            ret = 1.0 + a.gamma * jnp.where(cont, ret_next, boot)
            return (adv, ret, val), (adv, ret)

        _, (adv, ret) = jax.lax.scan(backward, (jnp.zeros(n), last_v, last_v), (val, term, trunc, v_final), reverse=True)
        adv = adv.reshape(-1)
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        finished = (term | trunc).sum()
        return state, (obs.reshape(-1, 4), act.reshape(-1), adv, ret.reshape(-1)), (ep_rets.sum(), finished)

    pi_opt, v_opt = optax.adam(a.pi_lr), optax.adam(a.vf_lr)

    def pi_update(pi, opt_state, obs, act, adv):
        def loss(pi):
            logp = jax.nn.log_softmax(mlp(pi, obs))
            return -(jnp.take_along_axis(logp, act[:, None], 1)[:, 0] * adv).mean()

        g = jax.grad(loss)(pi)
        upd, opt_state = pi_opt.update(g, opt_state)
        return optax.apply_updates(pi, upd), opt_state

    def v_update(vf, opt_state, obs, ret):
        def loss(vf):
            return ((mlp(vf, obs)[:, 0] - ret) ** 2).mean()

        def body(_, c):
            vf, opt_state = c
            upd, opt_state = v_opt.update(jax.grad(loss)(vf), opt_state)
            return optax.apply_updates(vf, upd), opt_state

        return jax.lax.fori_loop(0, a.train_v_iters, body, (vf, opt_state))

    def init(key, hidden):
        key, k_pi, k_v, k_s = jax.random.split(key, 4)
        pi, vf = init_mlp(k_pi, [4, *hidden, 2]), init_mlp(k_v, [4, *hidden, 1])
        env_state = (jax.random.uniform(k_s, (n, 4), jnp.float32, -0.05, 0.05), jnp.zeros(n, jnp.int32), jnp.zeros(n))
        return key, pi, vf, pi_opt.init(pi), v_opt.init(vf), env_state

    return rollout, pi_update, v_update, init


def train_seeds(a, hidden, rollout, pi_update, v_update, init):
    """Trains a.seeds seeds at once, PureJaxRL's way: one vmapped, jitted scan over the epochs."""

    def train(key):
        def epoch(carry, _):
            key, pi, vf, pi_state, v_state, env_state = carry
            key, k = jax.random.split(key)
            env_state, (obs, act, adv, ret), (ret_sum, finished) = rollout(pi, vf, env_state, k)
            pi, pi_state = pi_update(pi, pi_state, obs, act, adv)
            vf, v_state = v_update(vf, v_state, obs, ret)
            mean_ret = jnp.where(finished > 0, ret_sum / jnp.maximum(finished, 1), jnp.nan)
            return (key, pi, vf, pi_state, v_state, env_state), mean_ret

        _, curve = jax.lax.scan(epoch, init(key, hidden), None, a.epochs)
        return curve

    keys = jax.vmap(jax.random.PRNGKey)(a.seed + jnp.arange(a.seeds))
    t0 = time.perf_counter()
    train_c = jax.jit(jax.vmap(train)).lower(keys).compile()
    compile_s = time.perf_counter() - t0
    print(f"compile {compile_s:.2f}s ({a.seeds} seeds × {a.epochs} epochs, one vmapped scan)", flush=True)
    t0 = time.perf_counter()
    curves = np.asarray(train_c(keys))  # waits for the run
    train_s = time.perf_counter() - t0
    print(f"trained {a.seeds} seeds × {a.epochs} epochs in {train_s:.2f}s", flush=True)
    print("SEEDS " + json.dumps({
        "seeds": a.seeds, "epochs": a.epochs, "steps_per_epoch": a.steps, "envs": a.envs, "hidden": hidden,
        "compile_s": compile_s, "train_s": train_s, "wall_s": time.perf_counter() - START,
        "curves": [[None if math.isnan(x) else float(x) for x in c] for c in curves]}))


def main():
    a = A
    print(f"jax {jax.__version__}, jaxlib {jaxlib.__version__}, optax {optax.__version__}, numpy {np.__version__}, "
          f"Python {platform.python_version()}; XLA backend {jax.default_backend()}, devices {jax.devices()}, "
          f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '').strip() or '(none)'}", flush=True)
    if a.check_env:
        sys.exit(0 if check_env(a.check_env) else 1)
    hidden = [int(h) for h in a.hidden.split(",")]
    rollout, pi_update, v_update, init = make(a)
    if a.seeds:
        return train_seeds(a, hidden, rollout, pi_update, v_update, init)
    key, pi, vf, pi_state, v_state, env_state = init(jax.random.PRNGKey(a.seed), hidden)
    n = a.envs

    t0 = time.perf_counter()
    roll_c = jax.jit(rollout).lower(pi, vf, env_state, key).compile()
    _, (obs, act, adv, ret), _ = jax.eval_shape(rollout, pi, vf, env_state, key)
    pi_c = jax.jit(pi_update, donate_argnums=(0, 1)).lower(pi, pi_state, obs, act, adv).compile()
    v_c = jax.jit(v_update, donate_argnums=(0, 1)).lower(vf, v_state, obs, ret).compile()
    compile_s = time.perf_counter() - t0
    print(f"compile {compile_s:.2f}s (rollout, π step, {a.train_v_iters} V steps)", flush=True)

    curve, roll_s, pi_s, v_s = [], [], [], []
    for epoch in range(a.epochs):
        key, k = jax.random.split(key)
        t0 = time.perf_counter()
        env_state, (obs, act, adv, ret), (ret_sum, finished) = roll_c(pi, vf, env_state, k)
        ret_sum, finished = float(ret_sum), int(finished)  # waits for the rollout
        t1 = time.perf_counter()
        pi, pi_state = pi_c(pi, pi_state, obs, act, adv)
        jax.block_until_ready(pi)
        t2 = time.perf_counter()
        vf, v_state = v_c(vf, v_state, obs, ret)
        jax.block_until_ready(vf)
        t3 = time.perf_counter()
        mean_ret = ret_sum / finished if finished else float("nan")
        curve.append(mean_ret)
        roll_s.append(t1 - t0), pi_s.append(t2 - t1), v_s.append(t3 - t2)
        print(f"epoch {epoch:3d}  EpRet {mean_ret:9.2f}  episodes {finished:4d}  "
              f"rollout {t1 - t0:6.2f}s  update {t3 - t1:6.2f}s", flush=True)
    print("SUMMARY " + json.dumps({
        "env": a.env, "seed": a.seed, "epochs": a.epochs, "steps_per_epoch": a.steps, "envs": n, "hidden": hidden,
        "curve": curve, "wall_s": time.perf_counter() - START, "compile_s": compile_s,
        "rollout_s": sum(roll_s), "update_s": sum(pi_s) + sum(v_s),
        "rollout_steps_per_s": a.epochs * a.steps / sum(roll_s),
        "pi_s": float(np.median(pi_s)), "v_s": float(np.median(v_s)),
        "epoch_times": [list(t) for t in zip(roll_s, pi_s, v_s)]}))


if __name__ == "__main__":
    main()
