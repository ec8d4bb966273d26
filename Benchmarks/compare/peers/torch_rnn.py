#!/usr/bin/env python3
"""torch_rnn: nlp-vanish's training step in PyTorch, as a peer for `make compare`.

What is measured: training throughput in characters per second, on one thread (torch.set_num_threads). One step
takes a window of B rows × T tokens (an alphabet of V = 96, tokens drawn at random), feeds them as one-hot vectors
to nn.RNN (L layers of H units, tanh or relu), or with --nl lstm / gru to nn.LSTM / nn.GRU of the same shape,
decodes every output with nn.Linear(H, V), takes the mean cross-entropy against the next token, back-propagates
through the window and updates all parameters with Adam (learning rate 1e-3). Each window starts from the last
hidden state of the one before (for the LSTM, the (h, c) pair), detached from its graph.
Characters per second = B·T / seconds per step. After a first step and one window of warm-up, the script times
--windows windows of as many steps as the warm-up fitted in --window seconds and reports their median, minimum
and maximum.

Run:    python3 torch_rnn.py [--threads 1] [--nl tanh,relu,lstm,gru] [--window 1.0] [--windows 5] [H,L,B,T ...]
(--nl defaults to tanh,relu.)
Output: a line per configuration and non-linearity (or cell),
`<nl> H=… L=… B=… T=…: <median> chars/s (min <a> max <b>) …`,
and last `RESULT torch_rnn threads=<n> <nl>:<H>,<L>,<B>,<T>=<chars/s> …`.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

V = 96  # alphabet size, as nlp-vanish's profile command
CONFIGS = ["128,1,32,64", "256,1,32,64", "512,1,32,64", "256,3,32,64", "100,1,1,25"]


class CharRNN(nn.Module):
    def __init__(self, hidden, layers, nonlinearity):
        super().__init__()
        if nonlinearity == "lstm":
            self.rnn = nn.LSTM(V, hidden, num_layers=layers)  # time-major: (T, B, ·)
        elif nonlinearity == "gru":
            self.rnn = nn.GRU(V, hidden, num_layers=layers)
        else:
            self.rnn = nn.RNN(V, hidden, num_layers=layers, nonlinearity=nonlinearity)
        self.decoder = nn.Linear(hidden, V)

    def forward(self, tokens, state):
        outputs, state = self.rnn(F.one_hot(tokens, V).float(), state)
        return self.decoder(outputs), state


def random_windows(batch, length, count, generator):
    """`count` consecutive windows (inputs, next tokens), each (T, B), cut from B independent random streams."""
    text = torch.randint(0, V, (count * length + 1, batch), generator=generator)
    return [(text[k * length:(k + 1) * length], text[k * length + 1:(k + 1) * length + 1]) for k in range(count)]


def measure(hidden, layers, batch, length, nonlinearity, window_seconds, windows):
    """(median, min, max) chars/s and the last loss."""
    torch.manual_seed(0)
    model = CharRNN(hidden, layers, nonlinearity)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = random_windows(batch, length, 16, torch.Generator().manual_seed(7))
    state = torch.zeros(layers, batch, hidden)
    if nonlinearity == "lstm":
        state = (state, torch.zeros(layers, batch, hidden))  # (h, c)
    taken = 0
    loss = torch.zeros(())

    def train():
        nonlocal state, taken, loss
        inputs, targets = data[taken % len(data)]
        taken += 1
        logits, state = model(inputs, state)
        loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()

    train()  # the first step pays PyTorch's one-time allocations
    steps, start = 0, time.perf_counter()  # warm-up: one window of wall time, which also sizes the timed windows
    while time.perf_counter() - start < window_seconds:
        train()
        steps += 1
    rates = []
    for _ in range(windows):
        start = time.perf_counter()
        for _ in range(steps):
            train()
        rates.append(steps * batch * length / (time.perf_counter() - start))
    return statistics.median(rates), min(rates), max(rates), steps, loss.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--nl", default="tanh,relu", help="comma-separated: tanh, relu, lstm, gru")
    parser.add_argument("--window", type=float, default=1.0, help="seconds per timed window")
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("configs", nargs="*", default=CONFIGS, metavar="H,L,B,T")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"CPU capability {torch.backends.cpu.get_cpu_capability()}", flush=True)

    results = []
    for config in args.configs:
        hidden, layers, batch, length = map(int, config.split(","))
        for nl in args.nl.split(","):
            median, low, high, steps, loss = measure(hidden, layers, batch, length, nl, args.window,
                                                     max(1, args.windows))
            print(f"{nl} H={hidden} L={layers} B={batch} T={length}: {median:.0f} chars/s (min {low:.0f} "
                  f"max {high:.0f}), {steps} steps per window, loss {loss:.3f}", flush=True)
            results.append(f"{nl}:{config}={median:.0f}")
    print(f"RESULT torch_rnn threads={args.threads} " + " ".join(results))


if __name__ == "__main__":
    main()
