# Golden values of tests/EnsembleKit.Tests/Evaluation/EnsembleEvaluationTests.cs (the hand case).
# Run: /usr/bin/python3 tests/reference/evaluation_hand_case.py   (numpy only)
# Member 1's logits are the inputs X, member 2's are 2X; the ensemble averages their softmax probabilities.
import numpy as np

X = np.array([[2, 0], [0, 1], [1, 0], [0, 3]], float)
y = np.array([0, 1, 1, 1])


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def scores(p, bins=15):
    correct = (p.argmax(1) == y).astype(float)
    nll = -np.log(p[np.arange(len(y)), y]).mean()
    brier = ((p - np.eye(p.shape[1])[y]) ** 2).sum(1).mean()
    conf = p.max(1)
    index = np.ceil(conf * bins).astype(int) - 1  # bin m holds confidences in ((m-1)/M, m/M]
    ece = sum((index == b).mean() * abs(correct[index == b].mean() - conf[index == b].mean()) for b in set(index))
    return correct.mean(), nll, ece, brier


p1, p2 = softmax(X), softmax(2 * X)
for name, p in [("member 1", p1), ("member 2", p2), ("ensemble", (p1 + p2) / 2)]:
    print(name, "accuracy %.10f nll %.10f ece %.10f brier %.10f" % scores(p))
kl12 = (p1 * (np.log(p1) - np.log(p2))).sum(1).mean()
kl21 = (p2 * (np.log(p2) - np.log(p1))).sum(1).mean()
print("KL(1||2) %.10f KL(2||1) %.10f" % (kl12, kl21))
