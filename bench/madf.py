"""Benchmark of mask-aware dynamic filtering: the fast exact form of `MADFLayer` (ordinary convolutions
weighted by the mask feature) against the reference that materializes every window's kernels, side by
side in one run. Prints forward times and peak extra memory as ratios (fast / reference).

    python bench/madf.py [--repeats 5] [--batch 4]

Cases: level 1 of the faithful network at 256 x 256 (6 input channels with a 3-channel mask, k = 7,
16 output channels), and the whole faithful encoder (7 MADF levels and their 1x1 lifts). Forward
passes without gradients, as in inference; times are medians after one warm-up, each started with
cold caches. Memory is the peak resident memory a call adds above its inputs, measured in a fresh
process per (implementation, case) with Linux's peak counter reset just before the call."""
import argparse

import torch

from benchutil import child_extra_mb, median_time, report_extra_memory

from inpaint_nb.madf import MADF, MADFLayer

CASES = ('level 1', 'encoder')
def setup(case, impl, batch):
    "(callable running one forward pass, description) for `case` with `impl`."
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    if case == 'level 1':
        layer = MADFLayer(6, 16, 7, 2, c_m_in=3, impl=impl).eval()
        valid = (torch.rand(batch, 1, 256, 256, generator=g) > 0.3).float().expand(-1, 3, -1, -1)
        e = torch.cat([torch.rand(batch, 3, 256, 256, generator=g) * valid, valid], 1)
        return (lambda: layer(e, valid)), f'({batch}, 6, 256, 256), k=7 -> 16'
    model = MADF(impl=impl).eval()
    x, mask = torch.rand(batch, 3, 256, 256, generator=g), (torch.rand(batch, 1, 256, 256, generator=g) > 0.7).float()
    return (lambda: model.encode(x * (1 - mask), mask)), f'({batch}, 3, 256, 256), 7 levels'

def timeit(case, impl, batch, repeats):
    f, _ = setup(case, impl, batch)
    with torch.no_grad(): return median_time(f, repeats)

def child(case, impl, batch):
    "In a fresh process: the peak resident memory one forward pass adds above its inputs."
    f, _ = setup(case, impl, batch)
    with torch.no_grad():
        small = MADFLayer(2, 2, 3, 2, c_m_in=2, impl=impl)     # load kernels and thread pools before the baseline
        small(torch.rand(1, 2, 8, 8), torch.rand(1, 2, 8, 8))
        report_extra_memory(f)

def memory(case, impl, batch): return child_extra_mb(__file__, case, impl, batch)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--batch', type=int, default=4, help='images per forward pass (level 1); the encoder case uses 1')
    p.add_argument('--child', nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: return child(a.child[0], a.child[1], int(a.child[2]))
    if a.repeats < 1 or a.batch < 1: p.error('--repeats and --batch must be positive')
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    head = ('case', 'input', 'reference ms', 'fast ms', 'time ratio', 'reference extra MB', 'fast extra MB', 'memory ratio')
    print('| ' + ' | '.join(head) + ' |'); print('|' + '---|' * len(head))
    for case in CASES:
        b = a.batch if case == 'level 1' else 1
        tr, tf = timeit(case, 'reference', b, a.repeats), timeit(case, 'fast', b, a.repeats)
        mr, mf = memory(case, 'reference', b), memory(case, 'fast', b)
        print(f'| {case} | {setup(case, "fast", 1)[1].replace("(1,", f"({b},")} | {tr * 1e3:.1f} | {tf * 1e3:.1f} | {tf / tr:.3f} | '
              f'{mr:.1f} | {mf:.1f} | {mf / mr:.3f} |')

if __name__ == '__main__': main()
