"""Whole models: the package's default path (wide 3x3 convolutions by Winograd's F(4, 3), `inpaint_nb.fastconv`)
against the plain eager float32 path of the same model with the same weights, in one run.

    python bench/models.py [--part faithful small layers ideas] [--models misf jpgnet endecoder] [--batches 1 4] [--repeats 5]

Parts:
- faithful: the faithful configurations at 256 x 256, forward without gradients (eval) and forward + backward
  (train mode, the mean of the output image as the loss), at each batch size;
- small: one training step of the small configurations at 64 x 64, batch 8 (`Trainer.train_step`: the
  discriminator step and the generator step with the model's recipe, `fast=True` against `fast=False`);
- layers: every distinct 3x3 convolution shape of the faithful MISF and JPGNet at 256 x 256, batch 1 and 4:
  Winograd against `F.conv2d` (what the rule in `fastconv.winograd_pays` is read from);
- ideas: the other ideas measured on the faithful EnDecoder, batch 1 (channels_last, torch.compile, oneDNN switched
  off, half the threads, and bfloat16 autocast where the processor has bfloat16 arithmetic), each against the eager
  path, with its output change.

The two paths run alternately, call by call, and each time is the median of the repeats after a warm-up, each call
with cold caches: the machines are shared and drift, and alternating keeps the drift out of the ratios. Memory
(faithful part) is the peak resident memory one call adds, each path in a fresh process. The output difference is the
largest absolute difference divided by the largest absolute value of the eager output."""
import argparse, copy, statistics, sys, tempfile, time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from benchutil import child_extra_mb, flush, report_extra_memory
from inpaint_nb.core import output_image
from inpaint_nb.fastconv import WinogradConv2d, use_winograd, winograd_conv2d, winograd_pays
from inpaint_nb.zoo import build_model

FAITHFUL = {'jpgnet': {'generator_config': 'faithful', 'pfunet_config': 'faithful', 'uafnet_config': 'faithful'}}

def paired_times(fa, fb, repeats):
    "Median seconds of `fa()` and of `fb()`, called alternately (a, b, a, b, ...) with cold caches, after a warm-up each."
    fa(); fb()
    ta, tb = [], []
    for _ in range(repeats):
        for f, ts in ((fa, ta), (fb, tb)):
            flush(); t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)

def inputs(batch, size, seed=0):
    g = torch.Generator().manual_seed(seed)
    mask = (torch.rand(batch, 1, size, size, generator=g) > 0.7).float()
    return torch.rand(batch, 3, size, size, generator=g) * (1 - mask), mask

def model_pair(name, config):
    "(plain model, the same weights on the default path)."
    torch.manual_seed(0)
    plain = build_model(name, FAITHFUL.get(name, 'faithful') if config == 'faithful' else config)
    fast = copy.deepcopy(plain); use_winograd(fast)
    return plain, fast

def call(model, x, mask, mode):
    "One forward ('fwd', eval, no gradients) or forward + backward ('fwd+bwd', train mode) of `model`."
    if mode == 'fwd':
        model.eval()
        with torch.no_grad(): return output_image(model(x, mask))
    model.train()
    out = output_image(model(x, mask)); out.mean().backward()
    model.zero_grad(set_to_none=True)
    return out.detach()

def rel_diff(a, b): return ((a - b).abs().max() / b.abs().max()).item()

def part_faithful(models, batches, repeats):
    print('\n## Faithful configurations, 256 x 256: default (Winograd where it pays) / eager float32\n')
    print('| model | batch | mode | eager ms | default ms | time ratio | eager extra MB | default extra MB | output difference |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name in models:
        plain, fast = model_pair(name, 'faithful')
        for b in batches:
            x, mask = inputs(b, 256)
            for mode in ('fwd', 'fwd+bwd'):
                te, tf = paired_times(lambda: call(plain, x, mask, mode), lambda: call(fast, x, mask, mode), repeats)
                diff = rel_diff(call(fast, x, mask, mode), call(plain, x, mask, mode))
                mb = [child_extra_mb(__file__, name, b, mode, path) for path in ('eager', 'default')]
                print(f'| {name} | {b} | {mode} | {1e3 * te:.0f} | {1e3 * tf:.0f} | {tf / te:.3f} | {mb[0]:.0f} | {mb[1]:.0f} | {diff:.1e} |', flush=True)

def child(name, batch, mode, path):
    "In a fresh process: the peak resident memory one call adds (after a warm-up call)."
    plain, fast = model_pair(name, 'faithful')
    model = fast if path == 'default' else plain
    x, mask = inputs(int(batch), 256)
    call(model, x, mask, mode)
    report_extra_memory(lambda: call(model, x, mask, mode))

def part_small(models, repeats):
    from inpaint_nb.train import Trainer, TrainConfig
    print('\n## Small configurations, one training step at 64 x 64, batch 8: fast=True / fast=False\n')
    print('| model | fast=False ms | fast=True ms | time ratio | 3x3 convolutions by Winograd |')
    print('|---|---|---|---|---|')
    mask = inputs(8, 64, seed=1)[1]
    img = torch.rand(8, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    for name in models:
        trs = {}
        for fast in (False, True):
            torch.manual_seed(0)
            trs[fast] = Trainer(TrainConfig(model=name, size=64, batch_size=8, steps=10 ** 6, fast=fast, progress=False, out=tempfile.mkdtemp()))
            trs[fast].model.train()
        taken, convs = set(), [m for m in trs[True].model.modules() if isinstance(m, WinogradConv2d)]
        for m in convs: m.register_forward_pre_hook(lambda mod, inp: taken.add(mod) if winograd_pays(inp[0], mod.weight, mod.dilation[0], mod.min_channels, mod.min_tiles) else None)
        te, tf = paired_times(lambda: trs[False].train_step(img, mask), lambda: trs[True].train_step(img, mask), repeats)
        print(f'| {name} | {1e3 * te:.0f} | {1e3 * tf:.0f} | {tf / te:.3f} | {len(taken)} of {len(convs)} |', flush=True)

def conv_shapes(name, batch):
    "The distinct (batch, C, K, H, W, padding, dilation) of the 3x3 stride-1 convolutions of the faithful `name` at 256 x 256."
    model, seen = model_pair(name, 'faithful')[0], {}
    def hook(mod, inp):
        x = inp[0]
        seen.setdefault((x.shape[0], x.shape[1], mod.weight.shape[0], x.shape[2], x.shape[3], mod.padding[0], mod.dilation[0]), None)
    for m in model.modules():
        if type(m) is torch.nn.Conv2d and m.kernel_size == (3, 3) and m.stride == (1, 1) and m.groups == 1: m.register_forward_pre_hook(hook)
    with torch.no_grad(): model.eval()(*inputs(batch, 256))
    return list(seen)

def part_layers(models, batches, repeats):
    print('\n## 3x3 convolutions of the faithful models at 256 x 256: Winograd F(4, 3) / F.conv2d\n')
    print('| input (B, C, H, W) | K | pad, dilation | taken by the rule | fwd ratio | fwd+bwd ratio | conv2d fwd+bwd ms |')
    print('|---|---|---|---|---|---|---|')
    shapes = sorted({s for name in models for b in batches for s in conv_shapes(name, b)})
    g = torch.Generator().manual_seed(0)
    for b, c, k, h, w, pad, d in shapes:
        x = torch.randn(b, c, h, w, generator=g, requires_grad=True)
        wt = (torch.randn(k, c, 3, 3, generator=g) * (2 / (9 * c)) ** 0.5).requires_grad_()
        direct, wino = (lambda: F.conv2d(x, wt, None, 1, pad, d)), (lambda: winograd_conv2d(x, wt, None, pad, d))
        gy = torch.randn_like(direct())
        with torch.no_grad(): tdf, twf = paired_times(direct, wino, repeats)
        tdb, twb = paired_times(lambda: torch.autograd.grad(direct(), (x, wt), gy), lambda: torch.autograd.grad(wino(), (x, wt), gy), repeats)
        print(f'| ({b}, {c}, {h}, {w}) | {k} | {pad}, {d} | {"yes" if winograd_pays(x, wt, d) else "no"} | {twf / tdf:.2f} | {twb / tdb:.2f} | {1e3 * tdb:.1f} |', flush=True)

def idea_paths(model, x, mask):
    "name -> (callable(mode), note) of the other ideas, each on a copy of `model`."
    cl = copy.deepcopy(model).to(memory_format=torch.channels_last)
    xc, mc = x.contiguous(memory_format=torch.channels_last), mask.contiguous(memory_format=torch.channels_last)
    comp = {mode: torch.compile(copy.deepcopy(model)) for mode in ('fwd', 'fwd+bwd')}
    def bf16(mode):
        with torch.autocast('cpu', dtype=torch.bfloat16): return call(model, x, mask, mode).float()
    def no_mkldnn(mode):
        with torch.backends.mkldnn.flags(enabled=False): return call(model, x, mask, mode)
    half = max(1, torch.get_num_threads() // 2)
    def half_threads(mode):
        old = torch.get_num_threads(); torch.set_num_threads(half)
        try: return call(model, x, mask, mode)
        finally: torch.set_num_threads(old)
    ideas = {'channels_last': lambda mode: call(cl, xc, mc, mode), 'torch.compile (inductor)': lambda mode: call(comp[mode], x, mask, mode),
             'oneDNN off (torch.backends.mkldnn)': no_mkldnn, f'{half} thread(s) instead of {torch.get_num_threads()}': half_threads}
    if torch.ops.mkldnn._is_mkldnn_bf16_supported(): ideas['bfloat16 autocast'] = bf16   # emulated bfloat16 is far slower than float32
    return ideas

def part_ideas(repeats):
    bf16 = torch.ops.mkldnn._is_mkldnn_bf16_supported()
    print(f'\n## Other ideas, faithful EnDecoder, batch 1, 256 x 256: idea / eager float32 (bfloat16 arithmetic in hardware: {bf16}'
          + ('' if bf16 else '; bfloat16 autocast left out') + ')\n')
    print('| idea | mode | first call s | eager ms | idea ms | time ratio | output difference |')
    print('|---|---|---|---|---|---|---|')
    model, _ = model_pair('endecoder', 'faithful')
    x, mask = inputs(1, 256)
    for idea, f in idea_paths(model, x, mask).items():
        for mode in ('fwd', 'fwd+bwd'):
            t = time.perf_counter(); out = f(mode); first = time.perf_counter() - t
            te, ti = paired_times(lambda: call(model, x, mask, mode), lambda: f(mode), repeats)
            print(f'| {idea} | {mode} | {first:.1f} | {1e3 * te:.0f} | {1e3 * ti:.0f} | {ti / te:.3f} | {rel_diff(out, call(model, x, mask, mode)):.1e} |', flush=True)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--part', nargs='+', default=['faithful', 'small', 'layers', 'ideas'], choices=['faithful', 'small', 'layers', 'ideas'])
    p.add_argument('--models', nargs='+', default=['misf', 'jpgnet', 'endecoder'])
    p.add_argument('--batches', nargs='+', type=int, default=[1, 4])
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--child', nargs=4, default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: child(*a.child); return
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; medians of {a.repeats} alternating cold-cache calls after a warm-up')
    if 'faithful' in a.part: part_faithful(a.models, a.batches, a.repeats)
    if 'small' in a.part: part_small(a.models, a.repeats)
    if 'layers' in a.part: part_layers([m for m in a.models if m != 'endecoder'] or a.models, a.batches, a.repeats)
    if 'ideas' in a.part: part_ideas(a.repeats)

if __name__ == '__main__': main()
