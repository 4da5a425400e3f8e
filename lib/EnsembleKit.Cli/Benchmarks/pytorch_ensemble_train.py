"""PyTorch's side of `kit bench ensemble-train` for LeNet-S, run where PyTorch is (e.g. the GPU machine).

Same work as the kit's LeNet-S rows: random 3x32x32 data, batch 128, SGD lr 0.1 momentum 0.9 weight decay 1e-5,
`steps` steps per member, each member with its own batch order. Times one member alone, M members one after another,
and M members at once the way PyTorch users batch an ensemble (torch.func.stack_module_state + vmap over
functional_call). Prints one line per row, in seconds, after a warm-up of each.

    python3 pytorch_ensemble_train.py [--device cuda] [--steps 90] [--members 4 8]
"""
import argparse
import copy
import time

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap


def lenet_small():
    return nn.Sequential(
        nn.Conv2d(3, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def orders(members, n, device):
    return torch.stack([torch.randperm(n, generator=torch.Generator().manual_seed(m)) for m in range(members)]).to(device)


def train_sequential(members, x, y, steps, device):
    order = orders(members, x.shape[0], device)
    for m in range(members):
        torch.manual_seed(m)
        model = lenet_small().to(device)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-5)
        for s in range(steps):
            idx = order[m, s * 128:(s + 1) * 128]
            opt.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()


def train_vmapped(members, x, y, steps, device):
    models = []
    for m in range(members):
        torch.manual_seed(m)
        models.append(lenet_small().to(device))
    params, buffers = stack_module_state(models)
    base = copy.deepcopy(models[0]).to("meta")
    order = orders(members, x.shape[0], device)
    opt = torch.optim.SGD(params.values(), lr=0.1, momentum=0.9, weight_decay=1e-5)

    def loss(p, b, xb, yb):
        return nn.functional.cross_entropy(functional_call(base, (p, b), (xb,)), yb)

    batched_loss = vmap(loss)
    for s in range(steps):
        idx = order[:, s * 128:(s + 1) * 128]
        opt.zero_grad(set_to_none=True)
        batched_loss(params, buffers, x[idx], y[idx]).sum().backward()
        opt.step()


def timed(fn, *args):
    sync(args[-1])
    start = time.perf_counter()
    fn(*args)
    sync(args[-1])
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--steps", type=int, default=90)
    parser.add_argument("--members", type=int, nargs="+", default=[4, 8])
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.manual_seed(0)
    x = torch.rand(args.steps * 128, 3, 32, 32, device=device)
    y = torch.randint(0, 10, (args.steps * 128,), device=device)
    timed(train_sequential, 2, x[:256], y[:256], 2, device)
    timed(train_vmapped, 2, x[:256], y[:256], 2, device)
    one = timed(train_sequential, 1, x, y, args.steps, device)
    print(f"PyTorch {torch.__version__} on {device}, LeNet-S 3x32x32, {args.steps} steps of batch 128 per member")
    print(f"  one member alone {one:.2f} s")
    for m in args.members:
        seq = timed(train_sequential, m, x, y, args.steps, device)
        vm = timed(train_vmapped, m, x, y, args.steps, device)
        print(f"  M={m}: sequential {seq:.2f} s, vmap {vm:.2f} s, speed-up {seq / vm:.2f}x, vmap / one {vm / one:.2f}x")


if __name__ == "__main__":
    main()
