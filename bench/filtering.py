"""Benchmark of per-pixel filtering: the fast shift-and-accumulate `pixel_filter` against the unfold
reference, side by side in one run. Prints times and peak extra memory as ratios (fast / reference),
and the fast forward's distance from the memory-bandwidth limit; then the same for the compiled fused
forward `pixel_filter_fused`.

    python bench/filtering.py [--repeats 7] [--cases all|small] [--no-fused]

Times are the median of --repeats runs after one warm-up, each started with cold caches (a 256 MB
buffer is written first, so inputs come from memory as in a real pipeline). Memory is the peak resident memory an
operation adds above its inputs (output and gradients included), measured in a fresh process per
(implementation, case, mode) with Linux's peak counter reset just before the call."""
import argparse, statistics, time

import torch

from benchutil import child_extra_mb, median_time, report_extra_memory

from inpaint_nb.filtering import pixel_filter, pixel_filter_fused, pixel_filter_reference

CASES = {'image K=3': ((4, 3, 256, 256), 3), 'image K=7': ((4, 3, 256, 256), 7), 'feature K=3': ((4, 256, 64, 64), 3)}
IMPLS = {'fast': pixel_filter, 'fused': pixel_filter_fused, 'reference': pixel_filter_reference}
def inputs(shape, k, grad):
    g = torch.Generator().manual_seed(0)
    x = torch.rand(shape, generator=g, requires_grad=grad)
    kern = torch.rand(shape[0], shape[1] * k * k, *shape[2:], generator=g, requires_grad=grad)
    return x, kern

def run_once(impl, shape, k, mode):
    x, kern = inputs(shape, k, mode == 'fwd+bwd')
    if mode == 'fwd':
        with torch.no_grad(): IMPLS[impl](x, kern, k)
    else:
        y = IMPLS[impl](x, kern, k); y.backward(torch.ones_like(y))

def timeit(impl, shape, k, mode, repeats):
    x, kern = inputs(shape, k, mode == 'fwd+bwd')
    f = IMPLS[impl]
    def once():
        if mode == 'fwd':
            with torch.no_grad(): f(x, kern, k)
        else:
            x.grad = kern.grad = None
            y = f(x, kern, k); y.backward(torch.ones_like(y))
    return median_time(once, repeats)

def child(impl, case, mode):
    "In a fresh process: the peak resident memory one call adds above its inputs."
    shape, k = CASES[case]
    run_once(impl, (1, 1, 8, 8), 3, mode)                # load kernels and thread pools before the baseline
    if impl == 'fused': run_once(impl, shape, k, mode)   # and compile for this shape
    x, kern = inputs(shape, k, mode == 'fwd+bwd')
    f = IMPLS[impl]
    def call():
        if mode == 'fwd':
            with torch.no_grad(): return f(x, kern, k)
        y = f(x, kern, k); y.backward(torch.ones_like(y)); return y
    report_extra_memory(call)

def memory(impl, case, mode): return child_extra_mb(__file__, impl, case, mode)

def read_bandwidth(repeats):
    "Bytes per second that torch.sum reads from a 512 MB tensor (all threads)."
    a = torch.ones(2**27)
    a.sum()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); a.sum(); ts.append(time.perf_counter() - t)
    return a.numel() * 4 / statistics.median(ts)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=7)
    p.add_argument('--cases', default='all', choices=['all', 'small'])
    p.add_argument('--no-fused', action='store_true', help='skip the compiled fused forward (needs a C++ compiler)')
    p.add_argument('--child', nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: return child(*a.child)
    cases = CASES if a.cases == 'all' else {'image K=3': CASES['image K=3']}
    bw = read_bandwidth(a.repeats)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, read bandwidth {bw / 1e9:.1f} GB/s')
    head = ('case', 'mode', 'reference ms', 'fast ms', 'time ratio', 'reference extra MB', 'fast extra MB', 'memory ratio', 'fwd / bandwidth limit')
    print('| ' + ' | '.join(head) + ' |'); print('|' + '---|' * len(head))
    for case, (shape, k) in cases.items():
        for mode in ('fwd', 'fwd+bwd'):
            tr, tf = timeit('reference', shape, k, mode, a.repeats), timeit('fast', shape, k, mode, a.repeats)
            mr, mf = memory('reference', case, mode), memory('fast', case, mode)
            n = torch.Size(shape).numel()
            least = (n + n * k * k + n) * 4                # read x and the kernels, write y
            limit = f'{tf / (least / bw):.2f}' if mode == 'fwd' else ''
            print(f'| {case} {tuple(shape)} | {mode} | {tr * 1e3:.1f} | {tf * 1e3:.1f} | {tf / tr:.3f} | {mr:.1f} | {mf:.1f} | '
                  f'{mf / mr if mr > 0 else float("nan"):.3f} | {limit} |')
    if a.no_fused: return
    print('\nThe compiled fused forward (`pixel_filter_fused`, no gradients), against the same two, same run:\n')
    head = ('case', 'fused ms', 'fused / fast', 'fused / reference', 'fused extra MB', 'fused / bandwidth limit')
    print('| ' + ' | '.join(head) + ' |'); print('|' + '---|' * len(head))
    for case, (shape, k) in cases.items():
        tr, tf, tz = (timeit(i, shape, k, 'fwd', a.repeats) for i in ('reference', 'fast', 'fused'))
        mz = memory('fused', case, 'fwd')
        n = torch.Size(shape).numel()
        least = (n + n * k * k + n) * 4
        print(f'| {case} {tuple(shape)} | {tz * 1e3:.1f} | {tz / tf:.3f} | {tz / tr:.3f} | {mz:.1f} | {tz / (least / bw):.2f} |')

if __name__ == '__main__': main()
