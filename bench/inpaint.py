"""Time (and peak memory) of filling one photograph with each bundled model through `inpaint_nb.inpaint`, at 256 x 256
and at 1024 x 768, under both size policies: 'resize' (fill at the training size, scale back) and 'pad' (fill at the
photograph's own size); the ratio column is pad / resize. The classical fills run at the photograph's size under either policy.

    python bench/inpaint.py [--models misf madf ...] [--repeats 3]
"""
import argparse, os, sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from benchutil import child_extra_mb, median_time, report_extra_memory
from inpaint_nb.inpaint import SIZE_POLICIES, get_model, inpaint

MODELS = ('endecoder', 'imgfilter', 'semfilter', 'misf', 'madf', 'pfunet', 'jpgnet', 'lgnet_clga', 'pgn_3', 'mean', 'telea', 'navier-stokes', 'biharmonic')
# the classical fills (the last four) have no training size: they always fill at the photograph's own size, so both policies time the same call
SIZES = ((256, 256), (768, 1024))   # (H, W)
SKIP = {('lgnet_clga', 768, 'pad')}   # LGNet's attention over every position of a 1024 x 768 photograph: about 18 GB, 40 s

def photo(h, w): return torch.rand(1, 3, h, w, generator=torch.Generator().manual_seed(0))

def once(model, h, w, policy): return lambda: inpaint(photo(h, w), kind='brush', ratio=(0.1, 0.3), seed=1, model=model, policy=policy)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=list(MODELS)); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--child', nargs=4, default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        model, h, w, policy = a.child
        get_model(model); f = once(model, int(h), int(w), policy); f()          # loaded and warmed up before the peak is reset
        report_extra_memory(f); return
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; median of {a.repeats} after a warm-up; memory: peak a call adds, fresh process')
    print('| model | size (W x H) | resize ms | pad ms | pad / resize | resize extra MB | pad extra MB |\n|---|---|---|---|---|---|---|')
    for m in a.models:
        get_model(m)
        for h, w in SIZES:
            pols = [pol for pol in SIZE_POLICIES if (m, h, pol) not in SKIP]
            t = {pol: 1000 * median_time(once(m, h, w, pol), a.repeats) for pol in pols}
            mb = {pol: child_extra_mb(__file__, m, h, w, pol) for pol in pols}
            f = lambda d, pol, fmt: format(d[pol], fmt) if pol in d else 'skipped'
            ratio = f"{t['pad'] / t['resize']:.2f}" if 'pad' in t else '-'
            print(f"| {m} | {w} x {h} | {f(t, 'resize', '.1f')} | {f(t, 'pad', '.1f')} | {ratio} | {f(mb, 'resize', '.0f')} | {f(mb, 'pad', '.0f')} |", flush=True)

if __name__ == '__main__': main()
