"""Store the bundled checkpoints' weights as float16 (half the size; loading restores float32).

    python tools/compact_checkpoints.py            # every folder of data/checkpoints still in float32
    python tools/compact_checkpoints.py misf madf  # only these

Each file is rewritten through a temporary file and a rename. The study notebooks' asserted numbers
were checked with the float16 weights (their tolerances hold); run `nbdev_test` after compacting.
"""
import json, os, sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parent.parent/'data'/'checkpoints'


def compact(folder: Path) -> tuple:
    meta = json.loads((folder/'config.json').read_text())
    f = folder/'model.safetensors'
    before = f.stat().st_size
    if meta.get('weights_dtype') == 'float16': return before, before
    sd = {k: v.half() if v.is_floating_point() else v for k, v in load_file(f).items()}
    tmp = f.with_name('.model.safetensors.tmp'); save_file(sd, tmp); os.replace(tmp, f)
    meta['weights_dtype'] = 'float16'
    tmp = folder/'.config.json.tmp'; tmp.write_text(json.dumps(meta, indent=1)); os.replace(tmp, folder/'config.json')
    return before, f.stat().st_size


def main(names):
    folders = [ROOT/n for n in names] if names else sorted(p for p in ROOT.iterdir() if (p/'config.json').exists())
    total = [0, 0]
    for d in folders:
        b, a = compact(d)
        total[0] += b; total[1] += a
        print(f'{d.name:16s} {b / 1e6:6.2f} MB -> {a / 1e6:6.2f} MB')
    print(f'{"all":16s} {total[0] / 1e6:6.2f} MB -> {total[1] / 1e6:6.2f} MB')


if __name__ == '__main__': main(sys.argv[1:])
