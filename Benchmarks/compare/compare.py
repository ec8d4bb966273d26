#!/usr/bin/env python3
"""make compare: nlp-vanish against its two peers on the same training step, one thread, side by side.

For every configuration and non-linearity the three tools run interleaved (A B C A B C …), so that a slow
spell of this shared machine falls on all of them alike; each run reports the median of its own timed
windows, and the table shows the median over rounds. The peers are measurement tools only: the oneDNN
benchmark is built from ../shared/bench with Debian's libdnnl-dev, PyTorch is used if `import torch` works.
"""
import argparse, json, os, shutil, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "bench")
CONFIGS = ["128,1,32,64", "256,1,32,64", "512,1,32,64", "256,3,32,64", "100,1,1,25"]
# Issue 7's targets: ≥ 1.1× oneDNN everywhere; against PyTorch per configuration.
TORCH_TARGET = {"128,1,32,64": 2.4, "256,1,32,64": 1.8, "512,1,32,64": 1.5, "256,3,32,64": 1.5, "100,1,1,25": 20}


def run(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"compare: {' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    return out.stdout


def result_line(text, key):
    """chars/s from a peer's last line, `RESULT <tool> … <nl>:H,L,B,T=<chars/s>`."""
    for token in text.strip().splitlines()[-1].split():
        if token.startswith(key + "="):
            return float(token.split("=")[1])
    sys.exit(f"compare: no {key} in: {text[-500:]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nlp-vanish", default=os.path.join(ROOT, ".build", "release", "nlp-vanish"))
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per run")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--configs", nargs="*", default=CONFIGS)
    ap.add_argument("--nl", default="tanh,relu")
    args = ap.parse_args()

    dnnl = os.path.join(ROOT, ".build", "compare", "dnnl_rnn_bench")
    if not os.path.exists(dnnl):
        if not os.path.exists("/usr/include/oneapi/dnnl/dnnl.hpp"):
            sys.exit("compare: oneDNN is missing; apt-get install -y libdnnl-dev")
        os.makedirs(os.path.dirname(dnnl), exist_ok=True)
        run(["g++", "-O3", "-march=native", "-fno-math-errno", "-std=c++17",
             os.path.join(SHARED, "dnnl_rnn_bench.cpp"), "-o", dnnl, "-ldnnl", "-lmvec"])
    have_torch = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0
    if not have_torch:
        print("note: PyTorch is not installed (pip install torch numpy); comparing with oneDNN only")
    env1 = dict(os.environ, OMP_NUM_THREADS="1")
    window = str(args.seconds / 5)

    rows = []
    for config in args.configs:
        h, l, b, t = config.split(",")
        for nl in args.nl.split(","):
            ours, peer_dnnl, peer_torch = [], [], []
            for _ in range(args.rounds):
                report = json.loads(run([args.nlp_vanish, "profile", "--json", "--hidden", h, "--layers", l,
                                         "--batch", b, "--seq-len", t, "--activation", nl,
                                         "--seconds", str(args.seconds)]))
                ours.append(report["chars_per_second"]["median"])
                if have_torch:
                    out = run([sys.executable, os.path.join(SHARED, "torch_rnn_bench.py"), "--threads", "1",
                               "--configs", config, "--nl", nl, "--window", window], env=env1)
                    peer_torch.append(result_line(out, f"{nl}:{config}"))
                out = run([dnnl, "--nl", nl, "--window", window, config], env=env1)
                peer_dnnl.append(result_line(out, f"{nl}:{config}"))
            rows.append((config, nl, statistics.median(ours), statistics.median(peer_dnnl),
                         statistics.median(peer_torch) if peer_torch else None, min(ours), max(ours)))
            print(f"  measured {config} {nl}", file=sys.stderr)

    print(f"\nTraining chars/s, one thread, median of {args.rounds} interleaved rounds "
          f"({args.seconds:g} s of timed windows per run)")
    print(f"{'H,L,B,T':>12} {'nl':>4} {'nlp-vanish':>11} {'(min–max)':>17} {'oneDNN':>9} {'ratio':>6} {'≥1.1':>5}"
          f" {'PyTorch':>9} {'ratio':>6} {'target':>7}")
    for config, nl, ours, d, tch, lo, hi in rows:
        line = f"{config:>12} {nl:>4} {ours:11.0f} {f'({lo:.0f}–{hi:.0f})':>17} {d:9.0f} {ours / d:6.2f}"
        line += f" {'yes' if ours / d >= 1.1 else 'no':>5}"
        if tch:
            line += f" {tch:9.0f} {ours / tch:6.2f} {TORCH_TARGET.get(config, 0):6.1f}×"
        else:
            line += f" {'–':>9} {'–':>6} {TORCH_TARGET.get(config, 0):6.1f}×"
        print(line)


if __name__ == "__main__":
    main()
