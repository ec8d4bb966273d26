#!/usr/bin/env python3
"""Computes, with PyTorch, the loss `nlp-vanish eval` must print for each fixture checkpoint; writes expected.json.

The fixtures of Tests/nlp-vanishTests/PyTorchInterchangeTests.swift, which checks that a checkpoint of each cell
loads into the PyTorch module its metadata names (`nn.RNN` / `nn.LSTM` / `nn.GRU` + `nn.Linear`, with
`load_state_dict(strict=True)`) and that PyTorch then gives the loss `nlp-vanish eval` prints. The Swift test
needs no PyTorch: it compares the tool's output with the numbers this script stored once in expected.json.

Files in this folder:
    corpus.txt          the training text (a few hundred characters of Portuguese prose written for this test)
    eval.txt            the text scored (written for this test; "D" and "!" are not in corpus.txt, so <unk> is scored)
    eval_long.txt       a longer text scored (written for this test; more than one of eval's 256-step windows)
    lstm.safetensors    the checkpoints (DIR/last.safetensors of the runs below)
    gru.safetensors
    rnn.safetensors
    gru-direct.safetensors  the GRU with direct connections (contexts of 1..4 characters, 2^16 weights)
    expected.json       what this script writes

To regenerate, from the repository root:

    swift build -c release
    for fixture in "lstm --cell lstm --direct-orders 0" "gru --cell gru --direct-orders 0" \
            "rnn --cell rnn --direct-orders 0" "gru-direct --cell gru --direct-orders 4 --direct-bits 16"; do
        set -- $fixture; name=$1; shift
        .build/release/nlp-vanish train "$@" --hidden 8 --layers 2 --seq-len 16 --batch 4 \
            --steps 200 --eval-every 200 --sample-every 0 --threads 1 --seed 1 \
            --schedule constant --lr 0.01 \
            --corpus Tests/Fixtures/pytorch/corpus.txt --out /tmp/pytorch-fixture-$name --force
        cp /tmp/pytorch-fixture-$name/last.safetensors Tests/Fixtures/pytorch/$name.safetensors
    done
    cd Tests/Fixtures/pytorch && python3 make_expected.py

(`--schedule constant --lr 0.01` so that 200 steps move the weights well away from their initialisation and
the loss well below ln V; the fixture is about the file format and the forward pass, not about training.
`--direct-orders` is 0 for the first three, which are PyTorch modules and nothing else; gru-direct adds
`train`'s hashed n-gram table, which no PyTorch module holds, so this script adds its logits itself: see
direct_logits below and docs/model.md.)

`python3 make_expected.py --text OTHER.txt` prints the PyTorch losses of the fixture checkpoints on another text
without writing anything (for comparing with `nlp-vanish eval --checkpoint X.safetensors --text OTHER.txt`).

What `nlp-vanish eval` computes (Sources/nlp-vanish/Commands/Eval.swift, Sources/SeqModel/Evaluation.swift),
reproduced here:
  * the file is decoded as UTF-8, a leading byte order mark dropped, CRLF and lone CR turned into LF;
  * the tokenizer of the checkpoint's metadata (normalization / case_fold / strip_accents) normalizes the text and
    cuts it into extended grapheme clusters; each cluster is looked up in the metadata's "vocab" (a JSON array,
    id = position, exact scalar comparison) and one not found becomes id 0, "<unk>" (a target that is <unk> is
    scored like any other);
  * the ids are read as ONE sequence from the zero state (h0 = c0 = 0 in every layer); the model sees ids[0..n-2]
    as one-hot inputs and is scored on predicting ids[1..n-1]: n - 1 characters, the first never scored;
  * the loss is the mean softmax cross-entropy over those n - 1 steps in nats; bits per character = nats / ln 2;
    `--json` prints {"chars": n - 1, "loss_nats": ..., "bits_per_char": ...}. eval runs the stream in windows of 256
    steps, carrying the state from one to the next, so the result must not depend on the windows: PyTorch here
    runs the whole sequence in one call.
Here the grapheme cutting is not reimplemented: the script asserts that the text is NFC, holds no CR and only
Latin characters below U+0250 with no combining mark, for which every Unicode scalar is its own cluster.
"""

import argparse
import hashlib
import json
import math
import os
import struct
import sys
import unicodedata

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = ["lstm", "gru", "rnn", "gru-direct"]
# eval.txt fits in one of eval's 256-step windows; eval_long.txt (410 characters, 409 scored = 256 + 153) does not,
# so its loss also checks that eval carries the whole state (h, and the LSTM's c) into its last, shorter window.
TEXTS = ["eval.txt", "eval_long.txt"]
MODULES = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


def read_safetensors(path):
    """(metadata, {name: float32 tensor}) of a safetensors file; the `safetensors` package if installed, else by hand:
    an 8-byte little-endian header length, the JSON header, then the raw little-endian tensor data."""
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    try:
        from safetensors.torch import load as load_safetensors
        return metadata, load_safetensors(blob)
    except ImportError:
        pass
    data = blob[8 + length:]
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}, expected F32"
        start, end = info["data_offsets"]
        count = math.prod(info["shape"])
        assert end - start == 4 * count, f"{name}: {end - start} bytes for shape {info['shape']}"
        values = struct.unpack(f"<{count}f", data[start:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(info["shape"])
    return metadata, tensors


def read_text(path):
    """The text as nlp-vanish's UTF-8 decoding gives it: byte order mark dropped, CRLF and CR made LF."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8")
    assert "\0" not in text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def graphemes(text, metadata):
    """The tokens of `text` under the checkpoint's tokenizer options, for the simple texts this fixture uses."""
    assert metadata.get("normalization", "nfc") == "nfc", metadata.get("normalization")
    assert metadata.get("case_fold", "false") == "false"
    assert metadata.get("strip_accents", "false") == "false"
    text = unicodedata.normalize("NFC", text)
    for ch in text:
        # Below U+0250 (Basic Latin, Latin-1, Latin Extended-A/B) with no combining mark and no CR, an extended
        # grapheme cluster is exactly one scalar (UAX #29: LF and other controls stand alone, nothing extends).
        assert ord(ch) < 0x250 and ch != "\r", f"{ch!r} (U+{ord(ch):04X}) needs real grapheme segmentation"
        assert unicodedata.category(ch) not in ("Mn", "Mc", "Me") and unicodedata.combining(ch) == 0, repr(ch)
    return list(text)


class LanguageModel(nn.Module):
    """The network a checkpoint describes: a recurrent stack `rnn` and a linear decoder `decoder`."""

    def __init__(self, cell, vocabulary, hidden, layers, activation):
        super().__init__()
        if cell == "rnn":
            assert activation in ("tanh", "relu"), f"nn.RNN has no {activation} nonlinearity"
            self.rnn = nn.RNN(input_size=vocabulary, hidden_size=hidden, num_layers=layers, nonlinearity=activation)
        else:
            self.rnn = MODULES[cell](input_size=vocabulary, hidden_size=hidden, num_layers=layers)
        self.decoder = nn.Linear(hidden, vocabulary)

    def forward(self, one_hot):                  # [T, 1, V], from the zero state
        out, _ = self.rnn(one_hot)
        return self.decoder(out)                 # [T, 1, V]


def load_model(path):
    metadata, tensors = read_safetensors(path)
    cell = metadata["cell"]
    vocabulary = json.loads(metadata["vocab"])
    assert vocabulary[0] == "<unk>"
    hidden, layers = int(metadata["hidden"]), int(metadata["layers"])
    model = LanguageModel(cell, len(vocabulary), hidden, layers, metadata.get("activation", "tanh"))
    # The PyTorch state dict only: the resume tensors (optimizer.*, state.*) and the direct connections' table
    # are not the module's.
    state = {k: v for k, v in tensors.items() if k.startswith("rnn.") or k.startswith("decoder.")}
    dropped = sorted(k for k in tensors if k not in state)
    assert all(k.startswith("optimizer.") or k.startswith("state.") or k == "direct.weight" for k in dropped), dropped
    model.load_state_dict(state, strict=True)
    model.double().eval()
    direct = None
    if int(metadata.get("direct_orders", "0")) > 0:
        direct = (int(metadata["direct_orders"]), tensors["direct.weight"].double())
        assert direct[1].numel() == 1 << int(metadata["direct_bits"])
    return model, metadata, vocabulary, direct


MASK = (1 << 64) - 1


def splitmix_finaliser(x):
    z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def direct_logits(ids, orders, table, vocabulary):
    """The direct connections' part of the logits of every scored step, [len(ids) - 1, V], written from the
    description in docs/model.md: for the step that reads ids[t], context n = 1..K (ids[t], ids[t-1]ids[t], ...)
    hashes, FNV-1a over the tokens + 1 newest first, to h_n; its row starts at
    splitmix_finaliser(h_n + n * 0x9E3779B97F4A7C15) mod (2^b - V); the V weights there are added. The text
    starts from the zero state, so no context reaches before ids[0]."""
    rows = table.numel() - vocabulary
    out = torch.zeros(len(ids) - 1, vocabulary, dtype=torch.float64)
    for t in range(len(ids) - 1):
        h = 0xCBF29CE484222325
        for n in range(1, orders + 1):
            back = t - n + 1
            if back < 0:
                break
            h = ((h ^ (ids[back] + 1)) * 0x100000001B3) & MASK
            start = splitmix_finaliser((h + n * 0x9E3779B97F4A7C15) & MASK) % rows
            out[t] += table[start:start + vocabulary]
    return out


def expected_loss(path, text_path):
    model, metadata, vocabulary, direct = load_model(path)
    ids = {token: i for i, token in enumerate(vocabulary)}
    tokens = graphemes(read_text(text_path), metadata)
    encoded = torch.tensor([ids.get(t, 0) for t in tokens], dtype=torch.long)
    assert encoded.numel() >= 2
    unknown = sum(1 for t in tokens if t not in ids)
    with torch.no_grad():
        x = nn.functional.one_hot(encoded[:-1], len(vocabulary)).double().unsqueeze(1)
        logits = model(x).squeeze(1)
        if direct is not None:
            logits = logits + direct_logits(encoded.tolist(), direct[0], direct[1], len(vocabulary))
        nats = nn.functional.cross_entropy(logits, encoded[1:], reduction="mean").item()
    return {
        "chars": int(encoded.numel() - 1),
        "unknown_chars": unknown,
        "loss_nats": nats,
        "bits_per_char": nats / math.log(2),
        "vocabulary": len(vocabulary),
        "pytorch_module": metadata.get("pytorch_module"),
    }


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text", help="print the losses on this text instead of writing expected.json")
    args = parser.parse_args()
    torch.set_default_dtype(torch.float64)
    if args.text:
        for cell in FIXTURES:
            r = expected_loss(os.path.join(HERE, f"{cell}.safetensors"), args.text)
            print(f"{cell}: {r['chars']} characters scored: {r['loss_nats']!r} nats, {r['bits_per_char']!r} bits")
        return
    out = {
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "texts": {text: {"sha256": sha256(os.path.join(HERE, text))} for text in TEXTS},
        "cells": {},
    }
    for cell in FIXTURES:
        name = f"{cell}.safetensors"
        entry = {"checkpoint": name, "checkpoint_sha256": sha256(os.path.join(HERE, name)), "texts": {}}
        for text in TEXTS:
            r = expected_loss(os.path.join(HERE, name), os.path.join(HERE, text))
            entry["vocabulary"] = r.pop("vocabulary")
            entry["pytorch_module"] = r.pop("pytorch_module")
            entry["texts"][text] = r
            print(f"{cell} on {text}: {r['chars']} characters scored: {r['loss_nats']!r} nats, "
                  f"{r['bits_per_char']!r} bits per character")
        entry["torch_version"] = torch.__version__
        out["cells"][cell] = entry
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")

if __name__ == "__main__":
    main()
