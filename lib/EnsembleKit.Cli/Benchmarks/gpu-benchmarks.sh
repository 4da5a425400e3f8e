#!/bin/bash
# The GPU rows of README's Benchmarks, for a machine with a CUDA build of PyTorch and no .NET (the lent device).
#
#   bash lib/EnsembleKit.Cli/Benchmarks/gpu-benchmarks.sh pack         here, with the .NET SDK: publishes the kit
#                                                                       self-contained, without its CPU libtorch, into
#                                                                       publish/kit.tar.xz (about 50 MB; publish/ is ignored)
#   bash lib/EnsembleKit.Cli/Benchmarks/gpu-benchmarks.sh run [quick]  there, from the repository root (publish/ carried):
#                                                                       unpacks the kit, points it at PyTorch's libtorch,
#                                                                       runs the benches and writes their output to $OUT
#                                                                       (default gpu-results/), one file a bench
#
# `run` takes KIT_LIBTORCH when it is set (a CPU libtorch works too, with DEVICE=cpu: the way this script is checked on a
# machine without a GPU), else PyTorch's lib folder. `quick` shortens every bench to a few steps.
set -euo pipefail
cd "$(dirname "$0")/../../.."
mode=${1:-}
case "$mode" in
  pack)
    rm -rf publish/kit && mkdir -p publish
    dotnet publish lib/EnsembleKit.Cli -c Release -r linux-x64 --self-contained -p:KitWithoutLibTorch=true \
      -p:SatelliteResourceLanguages=en -o publish/kit
    tar -C publish -cJf publish/kit.tar.xz kit
    ls -l publish/kit.tar.xz
    ;;
  run)
    [ -f publish/kit.tar.xz ] || { echo "publish/kit.tar.xz is missing: run '$0 pack' where .NET is, and carry publish/." >&2; exit 2; }
    work=${TMPDIR:-/tmp}/ensemblekit-gpu
    rm -rf "$work" && mkdir -p "$work" && tar -C "$work" -xJf publish/kit.tar.xz
    kit="$work/kit/kit"
    if [ -z "${KIT_LIBTORCH:-}" ]; then
      KIT_LIBTORCH=$(python3 -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
    fi
    export KIT_LIBTORCH
    device=${DEVICE:-cuda}
    out=${OUT:-gpu-results}
    mkdir -p "$out"
    steps=300 cnn=30 pysteps=300
    if [ "${2:-}" = quick ]; then steps=3 cnn=2 pysteps=3; fi
    bench() {   # bench NAME ARGS...: one bench, its output kept in $out/NAME.txt; a failure is recorded, not fatal
      local name=$1; shift
      echo "== $name: $*" | tee "$out/$name.txt"
      local start=$SECONDS
      if "$@" >> "$out/$name.txt" 2>&1; then echo "   done in $((SECONDS - start)) s"; else echo "   FAILED (exit $?), see $out/$name.txt"; fi
      tail -n 25 "$out/$name.txt"
    }
    bench doctor "$kit" doctor --device "$device"
    bench ensemble-train "$kit" bench ensemble-train --device "$device" --mlp-data random --lenet-steps "$steps"
    bench ensemble-train-channels-last "$kit" bench ensemble-train --device "$device" --mlp-data random --lenet-steps "$steps" --channels-last
    bench cnn-step "$kit" bench cnn-step --device "$device" --models lenet-s,lenet-l,resnet20,resnet18 --steps "$cnn"
    if python3 -c "import torch" 2> /dev/null; then
      bench pytorch-ensemble-train python3 lib/EnsembleKit.Cli/Benchmarks/pytorch_ensemble_train.py --device "$device" --steps "$pysteps"
    else
      echo "no PyTorch here: the PyTorch comparison is skipped" | tee "$out/pytorch-ensemble-train.txt"
    fi
    ;;
  *)
    echo "usage: $0 pack | run [quick]" >&2
    exit 2
    ;;
esac
