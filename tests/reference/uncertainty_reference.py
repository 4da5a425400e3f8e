#!/usr/bin/python3
"""Independent reference values for EnsembleKit's uncertainty metrics (lib/EnsembleKit/Uncertainty).

Draws fixed fixtures from a seeded numpy generator and computes the expected values with other code than the kit's:
- OOD detection: scikit-learn (roc_auc_score, average_precision_score, roc_curve, precision_recall_curve) on 200
  in-distribution and 150 OOD scores rounded to 1 decimal (many ties);
- selective prediction: plain Python loops (risk-coverage with ties broken by expectation, AURC as the mean risk over
  coverages k/N, the oracle AURC, accuracy at coverage ceil(c N));
- uncertainty scores: numpy formulas on member logits [3, 8, 4] rounded to 2 decimals.
Writes uncertainty_reference.json (fixtures, curves and expected values) next to this file and prints the scalars
that tests/EnsembleKit.Tests/Uncertainty/ also hold as literals.
Run with Debian's python3-sklearn: /usr/bin/python3 tests/reference/uncertainty_reference.py
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve


def ood_case(rng):
    ins = np.round(rng.normal(1.0, 1.0, 200), 1)
    ood = np.round(rng.normal(0.0, 1.0, 150), 1)
    y = np.r_[np.ones(len(ins)), np.zeros(len(ood))]
    s = np.r_[ins, ood]
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    first = int(np.argmax(tpr >= 0.95))
    fpr_d, tpr_d, _ = roc_curve(y, s)  # default drop_intermediate=True, as a cross-check
    prec, rec, pthr = precision_recall_curve(y, s)
    prec_o, rec_o, pthr_o = precision_recall_curve(1 - y, -s)
    return {
        "in": ins.tolist(), "ood": ood.tolist(),
        "auroc": roc_auc_score(y, s),
        "aupr_in": average_precision_score(y, s),
        "aupr_out": average_precision_score(1 - y, -s),
        "fpr95": float(fpr[first]), "fpr95_threshold": float(thr[first]),
        "fpr95_drop_intermediate": float(fpr_d[int(np.argmax(tpr_d >= 0.95))]),
        # curves without sklearn's first ROC point / last PR point (its threshold differs across versions), in
        # decreasing threshold order as the kit lists them
        "roc_fpr": fpr[1:].tolist(), "roc_tpr": tpr[1:].tolist(), "roc_thresholds": thr[1:].tolist(),
        "pr_in_precision": prec[-2::-1].tolist(), "pr_in_recall": rec[-2::-1].tolist(), "pr_in_thresholds": pthr[::-1].tolist(),
        "pr_out_precision": prec_o[-2::-1].tolist(), "pr_out_recall": rec_o[-2::-1].tolist(),
    }


def risk_coverage(conf, correct):
    """Expected error rate among the k most confident, over a uniformly random order within ties."""
    n = len(conf)
    order = sorted(range(n), key=lambda i: -conf[i])
    risks = []
    for k in range(1, n + 1):
        v = conf[order[k - 1]]
        above = [i for i in range(n) if conf[i] > v]
        tied = [i for i in range(n) if conf[i] == v]
        errors_above = sum(1 for i in above if not correct[i])
        errors_tied = sum(1 for i in tied if not correct[i])
        expected = errors_above + (k - len(above)) * errors_tied / len(tied)
        risks.append(expected / k)
    return risks


def selective_case(rng):
    conf = np.round(rng.uniform(0.2, 1.0, 200), 1)
    correct = rng.uniform(0.0, 1.0, 200) < conf
    conf, correct = conf.tolist(), [bool(c) for c in correct]
    risks = risk_coverage(conf, correct)
    n, e = len(conf), sum(1 for c in correct if not c)
    aurc = sum(risks) / n
    oracle = sum(max(0, k - (n - e)) / k for k in range(1, n + 1)) / n
    acc = {str(c): 1 - risks[max(1, math.ceil(round(c * n, 9))) - 1] for c in (0.5, 0.9, 0.95, 0.99)}
    return {"confidence": conf, "correct": correct, "risk": risks, "aurc": aurc, "oracle_aurc": oracle,
            "eaurc": aurc - oracle, "accuracy_at": acc}


def scores_case(rng):
    z = np.round(rng.normal(0.0, 2.0, (3, 8, 4)), 2)
    p = np.exp(z - z.max(2, keepdims=True))
    p /= p.sum(2, keepdims=True)
    pbar = p.mean(0)
    zbar = z.mean(0)
    ent = lambda q, axis: -np.sum(np.where(q > 0, q * np.log(q), 0.0), axis=axis)
    pe, ee = ent(pbar, 1), ent(p, 2).mean(0)
    top = pbar.argmax(1)
    ptop = p[:, np.arange(z.shape[1]), top]
    energy = lambda t: -t * np.log(np.exp(zbar / t).sum(1))
    return {"logits": z.tolist(), "msp": pbar.max(1).tolist(), "max_logit": zbar.max(1).tolist(),
            "predictive_entropy": pe.tolist(), "expected_entropy": ee.tolist(), "mutual_information": (pe - ee).tolist(),
            "energy": energy(1.0).tolist(), "energy_t2": energy(2.0).tolist(),
            "predicted_class_variance": ptop.var(0).tolist()}


def main():
    rng = np.random.default_rng(20240611)
    ood, sel, sc = ood_case(rng), selective_case(rng), scores_case(rng)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "uncertainty_reference.json")
    with open(out, "w") as f:
        json.dump({"generator": "tests/reference/uncertainty_reference.py", "sklearn": sklearn.__version__,
                   "numpy": np.__version__, "ood": ood, "selective": sel, "scores": sc}, f, indent=1)
    print("sklearn", sklearn.__version__, "numpy", np.__version__)
    for k in ("auroc", "aupr_in", "aupr_out", "fpr95", "fpr95_threshold", "fpr95_drop_intermediate"):
        print("ood", k, repr(ood[k]))
    for k in ("aurc", "oracle_aurc", "eaurc"):
        print("selective", k, repr(sel[k]))
    for c, a in sel["accuracy_at"].items():
        print("selective accuracy_at", c, repr(a))


if __name__ == "__main__":
    main()
