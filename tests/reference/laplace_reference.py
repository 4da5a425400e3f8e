#!/usr/bin/python3
"""Independent reference values for EnsembleKit's last-layer Laplace (lib/EnsembleKit/Ensembles/LastLayerLaplace.cs).

Softmax regression where the model IS the last layer (identity features): inputs x [6, 3], targets y [6], weight W [3, 3] and
bias b [3], drawn from a seeded numpy generator and rounded to 2 decimals; parameters theta = W_aug = [W | b] [C, Q] = [3, 4],
flattened row-major (class outer, input inner), a_n = [x_n; 1].
- Hessian of the summed cross-entropy L(theta) = -sum_n log softmax(W_aug a_n)[y_n], by central finite differences (step 1e-5)
  of its analytic gradient sum_n (p_n - onehot(y_n)) a_n^T; for this model (logits linear in theta) the GGN is the Hessian,
  so its diagonal is the diagonal GGN. The exact GGN sum_n kron(diag p_n - p_n p_n^T, a_n a_n^T) is written as a cross-check.
- KFAC factors A = sum_n a_n a_n^T [4, 4] and G = sum_n (diag p_n - p_n p_n^T) [3, 3]; H_kfac = kron(G, A) / N.
- At prior precision 0.7, for test inputs xt [4, 3]: the posterior covariances Sigma_diag = diag(1/(diag GGN + 0.7)) and
  Sigma_kfac = inv(H_kfac + 0.7 I) [12, 12], the logit variances diag(J Sigma J^T) with J = kron(I_C, a^T), and the probit
  predictive softmax(mu / sqrt(1 + pi/8 var)), mu = W_aug a.
Writes laplace_reference.json next to this file. Run with Debian's numpy: /usr/bin/python3 tests/reference/laplace_reference.py
"""
import json
import math
import os

import numpy as np


def softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def main():
    rng = np.random.default_rng(20261203)
    n, d, c = 6, 3, 3
    x = np.round(rng.normal(0.0, 1.0, (n, d)), 2)
    y = np.array([0, 1, 2, 1, 0, 2])
    w = np.round(rng.normal(0.0, 0.8, (c, d)), 2)
    b = np.round(rng.normal(0.0, 0.3, c), 2)
    xt = np.round(rng.normal(0.0, 1.5, (4, d)), 2)
    prior = 0.7

    theta = np.concatenate([w, b[:, None]], axis=1)  # [C, Q]
    q = d + 1
    a = np.concatenate([x, np.ones((n, 1))], axis=1)  # [N, Q]

    def gradient(flat):
        t = flat.reshape(c, q)
        p = softmax(a @ t.T)
        onehot = np.eye(c)[y]
        return ((p - onehot).T @ a).reshape(-1)

    step = 1e-5
    flat = theta.reshape(-1)
    hessian = np.zeros((c * q, c * q))
    for i in range(c * q):
        e = np.zeros(c * q)
        e[i] = step
        hessian[:, i] = (gradient(flat + e) - gradient(flat - e)) / (2 * step)
    hessian = (hessian + hessian.T) / 2

    p = softmax(a @ theta.T)
    ggn = sum(np.kron(np.diag(p[i]) - np.outer(p[i], p[i]), np.outer(a[i], a[i])) for i in range(n))
    big_a = a.T @ a
    big_g = sum(np.diag(p[i]) - np.outer(p[i], p[i]) for i in range(n))
    h_kfac = np.kron(big_g, big_a) / n

    sigma_diag = np.diag(1.0 / (np.diag(hessian) + prior))
    sigma_kfac = np.linalg.inv(h_kfac + prior * np.eye(c * q))

    at = np.concatenate([xt, np.ones((len(xt), 1))], axis=1)
    mu = at @ theta.T

    def predictive(sigma):
        var = np.array([np.diag(np.kron(np.eye(c), r[None, :]) @ sigma @ np.kron(np.eye(c), r[None, :]).T) for r in at])
        return var, softmax(mu / np.sqrt(1 + math.pi / 8 * var))

    var_diag, probit_diag = predictive(sigma_diag)
    var_kfac, probit_kfac = predictive(sigma_kfac)

    out = {
        "numpy": np.__version__,
        "x": x.tolist(), "y": y.tolist(), "weight": w.tolist(), "bias": b.tolist(), "test_x": xt.tolist(), "prior_precision": prior,
        "hessian_diagonal": np.diag(hessian).reshape(c, q).tolist(),
        "ggn_diagonal_exact": np.diag(ggn).reshape(c, q).tolist(),
        "max_abs_hessian_minus_ggn": float(np.abs(hessian - ggn).max()),
        "kfac_a": big_a.tolist(), "kfac_g": big_g.tolist(),
        "kfac_covariance": sigma_kfac.tolist(),
        "logit_mean": mu.tolist(),
        "logit_variance_diag": var_diag.tolist(), "probit_diag": probit_diag.tolist(),
        "logit_variance_kfac": var_kfac.tolist(), "probit_kfac": probit_kfac.tolist(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "laplace_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("max |finite-difference Hessian - exact GGN|:", out["max_abs_hessian_minus_ggn"])
    print("probit (diag) row 0:", probit_diag[0].tolist())
    print("probit (KFAC) row 0:", probit_kfac[0].tolist())


if __name__ == "__main__":
    main()
