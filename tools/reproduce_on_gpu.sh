#!/usr/bin/env bash
# How data/results/ and the bundled study checkpoints were made, on one GPU:
#   bash tools/reproduce_on_gpu.sh OUTDIR STUDY...
# trains every run of the studies' ablations for seeds 0, 1 and 2 side by side (inpaint_nb reproduce),
# writes OUTDIR/<study>.csv and .json, and packs seed 0's runs (weights and config, float16) into
# OUTDIR/checkpoints-<studies>.tgz, to be unpacked into data/ as the bundled checkpoints.
set -euo pipefail
out=$1; shift
export OMP_NUM_THREADS=1
python3 -m inpaint_nb.cli reproduce "$@" --seeds 0 1 2 --parallel "${PARALLEL:-18}" --device cuda --out runs/reproduce --results "$out"
names=()
for run in runs/reproduce/seed0/*/; do
  n=$(basename "$run"); names+=("$n")
  ck=$(python3 -c "import sys; from inpaint_nb.checkpoints import resolve_checkpoint; print(resolve_checkpoint(sys.argv[1]))" "$run")
  mkdir -p "data/checkpoints/$n"; cp "$ck/model.safetensors" "$ck/config.json" "data/checkpoints/$n/"
done
python3 tools/compact_checkpoints.py "${names[@]}"
tar czf "$out/checkpoints-$(IFS=-; echo "$*").tgz" -C data "${names[@]/#/checkpoints/}"
