#!/usr/bin/env python3
"""Independent reference values for EnsembleKit's metrics (pure Python, no numpy/torch).

Generates a fixed fixture of class probabilities and targets with a linear congruential generator,
computes accuracy, NLL, ECE (equal-width bins, right-closed, as Guo et al. 2017) and the multi-class
Brier score with plain loops, and writes metrics_reference.json. The C# tests read the fixture from
that file and compare. Run: python3 tests/reference/metrics_reference.py
"""
import json
import math
import os

def lcg(seed):
    state = seed
    while True:
        state = (1103515245 * state + 12345) % (2 ** 31)
        yield state / 2 ** 31

def fixture(n, c, seed):
    rnd = lcg(seed)
    probs, targets = [], []
    for _ in range(n):
        # peaked logits so confidences spread over many bins
        logits = [4.0 * next(rnd) ** 2 for _ in range(c)]
        m = max(logits)
        e = [math.exp(v - m) for v in logits]
        s = sum(e)
        probs.append([v / s for v in e])
        targets.append(int(next(rnd) * c) % c)
    return probs, targets

def accuracy(probs, targets):
    hits = 0
    for p, y in zip(probs, targets):
        best = max(range(len(p)), key=lambda k: (p[k], -k))  # ties to lowest index
        hits += best == y
    return hits / len(targets)

def nll(probs, targets):
    return -sum(math.log(max(p[y], 1e-45)) for p, y in zip(probs, targets)) / len(targets)

def brier(probs, targets):
    total = 0.0
    for p, y in zip(probs, targets):
        total += sum((p[k] - (1.0 if k == y else 0.0)) ** 2 for k in range(len(p)))
    return total / len(targets)

def ece(probs, targets, bins):
    counts = [0] * bins
    correct = [0.0] * bins
    conf = [0.0] * bins
    for p, y in zip(probs, targets):
        c = max(p)
        pred = max(range(len(p)), key=lambda k: (p[k], -k))
        m = min(max(math.ceil(c * bins) - 1, 0), bins - 1)  # bin m holds (m/M, (m+1)/M]
        counts[m] += 1
        correct[m] += pred == y
        conf[m] += c
    n = len(targets)
    return sum(counts[m] / n * abs(correct[m] / counts[m] - conf[m] / counts[m]) for m in range(bins) if counts[m])

def main():
    cases = []
    for name, n, c, seed in [("small", 12, 3, 7), ("medium", 200, 10, 2024)]:
        probs, targets = fixture(n, c, seed)
        cases.append({
            "name": name, "probs": probs, "targets": targets,
            "accuracy": accuracy(probs, targets), "nll": nll(probs, targets), "brier": brier(probs, targets),
            "ece15": ece(probs, targets, 15), "ece5": ece(probs, targets, 5),
        })
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_reference.json")
    with open(out, "w") as f:
        json.dump({"generator": "tests/reference/metrics_reference.py", "cases": cases}, f, indent=1)
    for case in cases:
        print(case["name"], {k: round(case[k], 6) for k in ("accuracy", "nll", "brier", "ece15", "ece5")})

if __name__ == "__main__":
    main()
