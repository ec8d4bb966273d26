#!/usr/bin/env python3
"""make compare: nlp-vanish against its two peers on the same training step, one thread, side by side.

The step is run for the Elman RNN (tanh, relu) and for the LSTM and GRU cells (--nl lstm, gru): nlp-vanish's
profile command takes `--activation <nl>` for the former and `--cell <nl>` for the latter, the peers `--nl <nl>`.
The Elman rows are held to issue 7's targets, the LSTM and GRU rows to ≥ 1.1× oneDNN and ≥ 2× PyTorch everywhere.

For every configuration and non-linearity (or cell) the three tools run interleaved (A B C A B C …), so that a slow
spell of the host falls on all of them alike; each run reports the median of its own timed windows. The
table shows each tool's median over rounds, and as the ratio the median of the per-round ratios (each taken
between runs seconds apart, which cancels the host's drifts better than a ratio of medians), with the lowest
and highest per-round ratio beside it. A last column divides the fastest timed window either tool reached
over all rounds by the other's: a neighbour on the sibling hyperthread slows every window it overlaps by up
to a third, so the fastest window is the closest estimate of each tool's speed on a core left alone (the
median-of-ratios column is the side-by-side figure the targets are read from).

Two columns say what bounds a row against PyTorch, in shares of the FMA peak that nlp-vanish's profile measures
on the core: "ours" is nlp-vanish's step, "needs" what the PyTorch target would take, both at the flops the step
must do (profile's count per character: the GEMMs, none for the one-hot input, which PyTorch multiplies too). A
target that needs more than about 95% of the peak, the best any of nlp-vanish's GEMMs reaches inside a step,
cannot be met by faster kernels.

The peers are the repository's own measuring programs in Benchmarks/compare/peers/, never linked into
nlp-vanish: dnnl_rnn.cpp (the step on oneDNN's RNN primitives; compiled into .build/compare/ with g++ and
Debian's libdnnl-dev, again whenever the source is newer than the binary) and torch_rnn.py (the step in
PyTorch, used if `import torch` works). The GEMM table runs openblas_gemm.py, beside this script.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(HERE, "peers")
CONFIGS = ["128,1,32,64", "256,1,32,64", "512,1,32,64", "256,3,32,64", "100,1,1,25"]
# The gated cells' rows (issue 19): two layers rather than three at H = 256.
GATED_CONFIGS = ["128,1,32,64", "256,1,32,64", "512,1,32,64", "256,2,32,64", "100,1,1,25"]
# Issue 7's targets for the Elman RNN: ≥ 1.1× oneDNN everywhere; against PyTorch per configuration.
TORCH_TARGET = {"128,1,32,64": 2.4, "256,1,32,64": 1.8, "512,1,32,64": 1.5, "256,3,32,64": 1.5, "100,1,1,25": 20}
# The gated cells' targets, the same at every configuration: (× oneDNN, × PyTorch).
GATED_TARGET = {"lstm": (1.1, 2.0), "gru": (1.1, 2.0)}


def targets(config, nl):
    """(oneDNN, PyTorch) ratios that nlp-vanish's row is held to."""
    return GATED_TARGET.get(nl) or (1.1, TORCH_TARGET.get(config, 0))


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


def fastest_window(text):
    """The fastest window of a oneDNN run, from its line `… chars/s (min <a> max <b>) …`."""
    found = re.search(r"chars/s \(min [0-9.]+ max ([0-9.]+)\)", text)
    if not found:
        sys.exit(f"compare: no window maximum in: {text[-500:]}")
    return float(found.group(1))


def build_dnnl_peer():
    """The oneDNN peer's binary, compiled from peers/dnnl_rnn.cpp when missing or older than its source."""
    source = os.path.join(PEERS, "dnnl_rnn.cpp")
    binary = os.path.join(ROOT, ".build", "compare", "dnnl_rnn")
    if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(source):
        return binary
    if not os.path.exists("/usr/include/oneapi/dnnl/dnnl.hpp"):
        sys.exit("compare: oneDNN is missing; apt-get install -y libdnnl-dev")
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    # -fno-math-errno lets the peer's Adam loop vectorize its square roots, as nlp-vanish's does.
    run(["g++", "-O3", "-march=native", "-fno-math-errno", "-std=c++17", source, "-o", binary, "-ldnnl"])
    return binary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nlp-vanish", default=os.path.join(ROOT, ".build", "release", "nlp-vanish"))
    ap.add_argument("--seconds", type=float, default=1.0, help="timed seconds per run")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--configs", nargs="*", default=None,
                    help="H,L,B,T ... (default: the Elman rows' five, and the gated rows' five)")
    ap.add_argument("--nl", default="tanh,relu,lstm,gru", help="comma-separated: tanh, relu, lstm, gru")
    ap.add_argument("--gemm-rounds", type=int, default=3, help="rounds of the GEMM table against OpenBLAS (0: skip)")
    args = ap.parse_args()
    if args.gemm_rounds > 0:
        compare_gemm(args)

    dnnl = build_dnnl_peer()
    have_torch = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0
    if not have_torch:
        print("note: PyTorch is not installed (pip install torch numpy); comparing with oneDNN only")
    env1 = dict(os.environ, OMP_NUM_THREADS="1")
    window = str(args.seconds / 5)

    rows = []
    configs = args.configs or list(dict.fromkeys(CONFIGS + GATED_CONFIGS))
    for config in configs:
        h, l, b, t = config.split(",")
        for nl in args.nl.split(","):
            if args.configs is None and config not in (GATED_CONFIGS if nl in GATED_TARGET else CONFIGS):
                continue
            ours, peer_dnnl, peer_torch = [], [], []
            ours_fastest, dnnl_fastest = 0.0, 0.0
            peaks, flops_per_char = [], 0.0
            kind = "--cell" if nl in GATED_TARGET else "--activation"
            for _ in range(args.rounds):
                report = json.loads(run([args.nlp_vanish, "profile", "--json", "--hidden", h, "--layers", l,
                                         "--batch", b, "--seq-len", t, kind, nl,
                                         "--seconds", str(args.seconds)]))
                ours.append(report["chars_per_second"]["median"])
                ours_fastest = max(ours_fastest, report["chars_per_second"]["max"])
                peaks.append(report["fma_peak_gflops"])
                flops_per_char = report["flops_per_char"]
                if have_torch:
                    out = run([sys.executable, os.path.join(PEERS, "torch_rnn.py"), "--threads", "1",
                               "--nl", nl, "--window", window, config], env=env1)
                    peer_torch.append(result_line(out, f"{nl}:{config}"))
                out = run([dnnl, "--nl", nl, "--window", window, config], env=env1)
                peer_dnnl.append(result_line(out, f"{nl}:{config}"))
                dnnl_fastest = max(dnnl_fastest, fastest_window(out))
            dnnl_ratios = [o / d for o, d in zip(ours, peer_dnnl)]
            torch_ratios = [o / t for o, t in zip(ours, peer_torch)]
            torch_median = statistics.median(peer_torch) if peer_torch else None
            peak = statistics.median(peaks) * 1e9 / flops_per_char      # chars/s at the FMA peak
            rows.append((config, nl, statistics.median(ours), statistics.median(peer_dnnl), dnnl_ratios,
                         torch_median, torch_ratios, peak, ours_fastest / dnnl_fastest))
            print(f"  measured {config} {nl}", file=sys.stderr)

    print(f"\nTraining chars/s, one thread, median of {args.rounds} interleaved rounds "
          f"({args.seconds:g} s of timed windows per run)")
    print(f"{'H,L,B,T':>12} {'nl':>4} {'nlp-vanish':>11} {'oneDNN':>9} {'ratio':>6} {'(min–max)':>12} {'target':>7}"
          f" {'met':>4} {'PyTorch':>9} {'ratio':>6} {'target':>7} {'met':>4} {'% of peak: ours':>16} {'needs':>6}"
          f" {'fastest÷fastest':>16}")
    for config, nl, ours, d, dnnl_ratios, tch, torch_ratios, peak, fastest_ratio in rows:
        dnnl_target, torch_target = targets(config, nl)
        ratio = statistics.median(dnnl_ratios)
        spread = f"({min(dnnl_ratios):.2f}–{max(dnnl_ratios):.2f})"
        line = f"{config:>12} {nl:>4} {ours:11.0f} {d:9.0f} {ratio:6.2f} {spread:>12} {dnnl_target:6.1f}×"
        line += f" {'yes' if ratio >= dnnl_target else 'no':>4}"
        if tch:
            torch_ratio = statistics.median(torch_ratios)
            line += f" {tch:9.0f} {torch_ratio:6.2f} {torch_target:6.1f}× {'yes' if torch_ratio >= torch_target else 'no':>4}"
            line += f" {100 * ours / peak:15.0f}% {100 * torch_target * tch / peak:5.0f}%"
        else:
            line += f" {'–':>9} {'–':>6} {torch_target:6.1f}× {'–':>4} {100 * ours / peak:15.0f}% {'–':>6}"
        print(line + f" {fastest_ratio:16.2f}")


def gemm_table(text):
    """{(B, width, form): GFLOP/s} from the rows of `vanish-bench gemm` or openblas_gemm.py."""
    cells = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or not all(f.replace(".", "", 1).isdigit() for f in fields):
            continue
        batch, width, values = int(fields[0]), int(fields[1]), [float(f) for f in fields[2:]]
        forms = ["TN"] if batch == 2048 else ["NN", "TN"]
        for form, value in zip(forms, values):
            cells[(batch, width, form)] = value
    return cells


def compare_gemm(args):
    """vanish-bench gemm against OpenBLAS (NumPy's sgemm), whole tables interleaved, one thread each."""
    if subprocess.run([sys.executable, "-c", "import numpy"], capture_output=True).returncode != 0:
        print("note: NumPy is not installed (pip install numpy); no GEMM comparison with OpenBLAS")
        return
    bench = os.path.join(os.path.dirname(args.nlp_vanish), "vanish-bench")
    # OPENBLAS_CORETYPE (and its companion OPENBLAS_L2_SIZE), where a host sets them, pin OpenBLAS to an older
    # core's kernels: the peer runs without them, on the kernels it picks for this CPU.
    env1 = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env1.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    ratios, core = {}, "unknown"
    for _ in range(args.gemm_rounds):
        ours = gemm_table(run([bench, "gemm"]))
        text = run([sys.executable, os.path.join(HERE, "openblas_gemm.py")], env=env1)
        core = re.search(r"OpenBLAS core: (\S+)", text).group(1)
        theirs = gemm_table(text)
        for cell, value in theirs.items():
            ratios.setdefault(cell, []).append(ours[cell] / value)
        print("  measured the GEMM table", file=sys.stderr)
    print(f"\nGEMM, our GFLOP/s ÷ OpenBLAS's (NumPy, {core} kernels), one thread, median of {args.gemm_rounds} "
          "interleaved rounds")
    print(f"{'B':>6} {'K=N':>6} {'NN':>6} {'TN':>6}")
    for batch, width in sorted({(b, w) for b, w, _ in ratios}):
        row = [statistics.median(ratios[(batch, width, f)]) if (batch, width, f) in ratios else None
               for f in ("NN", "TN")]
        print(f"{batch:6d} {width:6d} " + " ".join(f"{r:6.2f}" if r else f"{'':6}" for r in row))


if __name__ == "__main__":
    main()
