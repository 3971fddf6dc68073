"""An idea measured and not kept: Winograd's tile transforms written in C instead of as matrix products.

    python bench/winograd_c.py [--repeats 5] [--models endecoder misf]

`inpaint_nb.fastconv` transforms the tiles by Kronecker-product matrices, (36 x 36) @ (36 x N): a skinny product
that runs at a tenth of this processor's matrix speed and costs about as much as the 36 batched products themselves.
Here the four transforms (input tiles B^T d B, output tiles A^T m A, and their adjoints for the backward pass) are
generated as C with the coefficients of F(4, 3) written out, compiled with the system's C compiler into a temporary
folder, and called through ctypes (the calls release the GIL; the channels are split among `torch.get_num_threads()`
Python threads). They read and write the NCHW tensors directly, vectorized along the tiles of a row, and keep the
transformed tiles as (36, C, tiles) with the 36 slices 16 floats further apart than their size (slices a power of two
apart share cache sets: that alone made the input transform 2.5 to 4 times slower). The batched products and the
weight transform stay in PyTorch.

Printed: per 3x3 layer, forward and forward + backward time of `F.conv2d`, and of the package's Winograd and of this
one as ratios to it (with the largest relative difference of output and gradients); then whole faithful models at
256 x 256, batch 1: the package's default path and the same with these transforms, each as a ratio to the eager path."""
import argparse, contextlib, ctypes, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from models import call, inputs, model_pair, paired_times, rel_diff
import inpaint_nb.fastconv as fc

def _comb(row, src):
    "C for the sum of row[i] * src(i) over the non-zero coefficients."
    terms = [(f'{float(v)!r}f * ' if v not in (1, -1) else ('' if v == 1 else '-')) + src(i) for i, v in enumerate(row) if v]
    return ' + '.join(terms) or '0.f'

HEAD = '#include <string.h>\ntypedef struct { long B, C, H, W, nh, nw, pad, ps; } geo;\n#define S 4\n'
LOOP = ('  long C = g->C, H = g->H, W = g->W, nh = g->nh, nw = g->nw, pad = g->pad, Tp = (r1 - r0) * nw;\n'
        '  for (long c = c0; c < c1; c++) for (long r = r0; r < r1; r++) { long bi = r / nh, ty = r % nh;\n')

def gather_c(name, L):
    "dst[p*n+q, c, t] = sum_ij L[p][i] L[q][j] x[b, c, 4ty+i-pad, 4tx+j-pad] (zero outside the image)."
    no, ni = len(L), len(L[0])
    out = [f'void {name}(const float* x, float* dst, const geo* g, long r0, long r1, long c0, long c1) {{', LOOP,
           f'    long np = nw + {(ni - 1) // 4 + 1}, span = S * np; float prow[span], ph[{ni}][S][np], tmp[{ni}][{no}][nw];',
           f'    for (long i = 0; i < {ni}; i++) {{ long y = S * ty + i - pad;',
           '      if (y < 0 || y >= H) { memset(ph[i], 0, sizeof(ph[i])); continue; }',
           '      const float* src = x + ((bi * C + c) * H + y) * W;',
           '      for (long w = 0; w < span; w++) { long xx = w - pad; prow[w] = (xx >= 0 && xx < W) ? src[xx] : 0.f; }',
           '      for (long t = 0; t < np; t++) for (long j = 0; j < S; j++) ph[i][j][t] = prow[S * t + j]; }',
           f'    for (long i = 0; i < {ni}; i++) for (long t = 0; t < nw; t++) {{']
    out += [f'      tmp[i][{q}][t] = ' + _comb(L[q], lambda j: f'ph[i][{j % 4}][t + {j // 4}]') + ';' for q in range(no)]
    out += ['    }', '    float* d = dst + c * Tp + (r - r0) * nw;', '    for (long t = 0; t < nw; t++) {']
    out += [f'      d[{p * no + q} * g->ps + t] = ' + _comb(L[p], lambda i: f'tmp[{i}][{q}][t]') + ';' for p in range(no) for q in range(no)]
    return '\n'.join(out + ['    }', '  }', '}'])

def scatter_c(name, L, accumulate):
    "y[b, c, 4ty+p-pad, 4tx+q-pad] (+)= sum_ij L[p][i] L[q][j] src[i*n+j, c, t] (+ bias[c]); outside the image dropped."
    no, ni = len(L), len(L[0])
    op = '+=' if accumulate else '='
    out = [f'void {name}(const float* src, float* y, const float* bias, const geo* g, long r0, long r1, long c0, long c1) {{', LOOP,
           f'    long np = nw + {(no - 1) // 4 + 1}, span = S * np; float prow[span], ph[{no}][S][np], tmp[{ni}][{no}][nw];',
           '    const float* sp = src + c * Tp + (r - r0) * nw;', '    for (long t = 0; t < nw; t++) {']
    out += [f'      tmp[{i}][{q}][t] = ' + _comb(L[q], lambda j: f'sp[{i * ni + j} * g->ps + t]') + ';' for i in range(ni) for q in range(no)]
    out += ['    }', '    memset(ph, 0, sizeof(ph));', '    for (long t = 0; t < nw; t++) {']
    out += [f'      ph[{p}][{q % 4}][t + {q // 4}] += ' + _comb(L[p], lambda i: f'tmp[{i}][{q}][t]') + ';' for p in range(no) for q in range(no)]
    out += ['    }', '    float bc = bias ? bias[c] : 0.f;',
            f'    for (long p = 0; p < {no}; p++) {{ long yy = S * ty + p - pad; if (yy < 0 || yy >= H) continue;',
            '      for (long t = 0; t < np; t++) for (long j = 0; j < S; j++) prow[S * t + j] = ph[p][j][t];',
            '      float* dr = y + ((bi * C + c) * H + yy) * W; long hi = W + pad < span ? W + pad : span;',
            f'      for (long w = pad; w < hi; w++) dr[w - pad] {op} prow[w] + bc; }}']
    return '\n'.join(out + ['  }', '}'])

def build():
    "Generate the four transforms of F(4, 3), compile them into a temporary folder, load them."
    At, _, Bt = (t.tolist() for t in fc.winograd_matrices(4, 3))
    tr = lambda M: [list(r) for r in zip(*M)]
    src = HEAD + '\n'.join([gather_c('in_tf', Bt), gather_c('gy_tf', tr(At)), scatter_c('out_tf', At, False), scatter_c('gx_tf', tr(Bt), True)])
    d = tempfile.mkdtemp(prefix='winograd_c_')
    Path(d, 'tf.c').write_text(src)
    subprocess.run(['cc', '-O3', '-march=native', '-shared', '-fPIC', f'{d}/tf.c', '-o', f'{d}/tf.so'], check=True)
    return ctypes.CDLL(f'{d}/tf.so')

class Geo(ctypes.Structure):
    _fields_ = [(n, ctypes.c_long) for n in ('B', 'C', 'H', 'W', 'nh', 'nw', 'pad', 'ps')]

LIB, POOL = build(), ThreadPoolExecutor(torch.get_num_threads())

def run(fn, *tensors, geo, r0, r1):
    "`fn` over the tile rows r0..r1, the channels split among the threads."
    n, f = torch.get_num_threads(), getattr(LIB, fn)
    args = [ctypes.c_void_p(None if t is None else t.data_ptr()) for t in tensors] + [ctypes.byref(geo), ctypes.c_long(r0), ctypes.c_long(r1)]
    cuts = sorted({geo.C * i // n for i in range(n + 1)})
    list(POOL.map(lambda i: f(*args, ctypes.c_long(cuts[i]), ctypes.c_long(cuts[i + 1])), range(len(cuts) - 1)))

def slab(c, tp, geo):
    "(36, c, tp), the 36 slices 16 floats further apart than c * tp."
    geo.ps = c * tp + 16
    return torch.empty(36 * geo.ps).as_strided((36, c, tp), (geo.ps, tp, 1))

def geometry(x, k, pad):
    "(Geo of the input, Geo of the output, tile rows, tiles per row) of a convolution of `x` into `k` channels."
    (b, c, h, w) = x.shape
    ho, wo, nh, nw = fc._grid(h, w, pad, 4)
    return Geo(b, c, h, w, nh, nw, pad), Geo(b, k, ho, wo, nh, nw, 0), b * nh, nw

def pieces(rows, nw):
    "Ranges of tile rows of about 256 tiles each: a piece's transformed tiles stay in the cache."
    per = max(1, 256 // nw)
    return [(i, min(i + per, rows)) for i in range(0, rows, per)]

class CWinograd(torch.autograd.Function):
    "F(4, 3) with the C transforms: float32, stride 1, dilation 1."
    @staticmethod
    def forward(ctx, x, weight, bias, pad):
        x, (c, k) = x.contiguous(), (x.shape[1], weight.shape[0])
        gi, go, rows, nw = geometry(x, k, pad)
        u = fc._kernel_transform(weight, fc._kron(4, x.dtype, x.device)[1])
        y = torch.empty(go.B, k, go.H, go.W)
        for r0, r1 in pieces(rows, nw):
            v = slab(c, (r1 - r0) * nw, gi); run('in_tf', x, v, geo=gi, r0=r0, r1=r1)
            m = torch.bmm(u.transpose(1, 2), v, out=slab(k, (r1 - r0) * nw, go)); run('out_tf', m, y, bias, geo=go, r0=r0, r1=r1)
        ctx.save_for_backward(x, weight, u); ctx.pad, ctx.has_bias = pad, bias is not None
        return y

    @staticmethod
    def backward(ctx, gy):
        (x, weight, u), pad, gy = ctx.saved_tensors, ctx.pad, gy.contiguous()
        c, k = x.shape[1], weight.shape[0]
        gi, go, rows, nw = geometry(x, k, pad)
        gx, gu = torch.zeros_like(x), torch.zeros(36, c, k)
        for r0, r1 in pieces(rows, nw):
            tp = (r1 - r0) * nw
            gp = slab(k, tp, go); run('gy_tf', gy, gp, geo=go, r0=r0, r1=r1)
            v = slab(c, tp, gi); run('in_tf', x, v, geo=gi, r0=r0, r1=r1)
            gu.baddbmm_(v, gp.transpose(1, 2))
            gt = torch.bmm(u, gp, out=slab(c, tp, gi)); run('gx_tf', gt, gx, None, geo=gi, r0=r0, r1=r1)
        gg = fc._kron(4, x.dtype, x.device)[1]
        gw = (gg.T @ gu.reshape(36, -1)).view(3, 3, c, k).permute(3, 2, 0, 1)
        return gx, gw, gy.sum((0, 2, 3)) if ctx.has_bias else None, None

SHAPES = [(1, 256, 64, 256), (4, 256, 64, 256), (1, 512, 32, 512), (1, 128, 128, 128), (1, 64, 256, 64), (1, 3, 256, 64), (8, 64, 32, 64), (8, 32, 64, 32)]

def layers(repeats):
    print('| input (B, C, H, W) | K | conv2d fwd ms | package fwd | C transforms fwd | conv2d fwd+bwd ms | package fwd+bwd | C transforms fwd+bwd | largest difference |')
    print('|---|---|---|---|---|---|---|---|---|')
    for b, c, s, k in SHAPES:
        torch.manual_seed(0)
        x, wt, bs = torch.randn(b, c, s, s, requires_grad=True), (torch.randn(k, c, 3, 3) / (3 * c ** .5)).requires_grad_(), torch.randn(k, requires_grad=True)
        paths = [lambda: F.conv2d(x, wt, bs, padding=1), lambda: fc.winograd_conv2d(x, wt, bs, 1), lambda: CWinograd.apply(x, wt, bs, 1)]
        g = torch.randn(b, k, s, s)
        grads = [torch.autograd.grad(p(), (x, wt, bs), g) for p in paths]
        diff = max([rel_diff(paths[2](), paths[0]())] + [rel_diff(a, r) for a, r in zip(grads[2], grads[0])])
        with torch.no_grad():
            fwd = [paired_times(paths[0], p, repeats) for p in paths[1:]]
        fb = [paired_times(lambda: torch.autograd.grad(paths[0](), (x, wt, bs), g), lambda p=p: torch.autograd.grad(p(), (x, wt, bs), g), repeats) for p in paths[1:]]
        print(f'| {(b, c, s, s)} | {k} | {fwd[0][0] * 1e3:.1f} | {fwd[0][1] / fwd[0][0]:.2f} | {fwd[1][1] / fwd[1][0]:.2f} '
              f'| {fb[0][0] * 1e3:.1f} | {fb[0][1] / fb[0][0]:.2f} | {fb[1][1] / fb[1][0]:.2f} | {diff:.1e} |', flush=True)

@contextlib.contextmanager
def c_transforms():
    "The package's Winograd layers run by `CWinograd` inside the block."
    fc._Winograd.apply = lambda x, w, b, pad, m: CWinograd.apply(x, w, b, pad)
    try: yield
    finally: del fc._Winograd.apply                                     # back to the inherited `Function.apply`

def models(names, repeats):
    print('\n| model | mode | eager ms | package default / eager | with C transforms / eager |\n|---|---|---|---|---|')
    for name in names:
        plain, fast = model_pair(name, 'faithful')
        x, mask = inputs(1, 256)
        for mode in ('fwd', 'fwd+bwd'):
            te, td = paired_times(lambda: call(plain, x, mask, mode), lambda: call(fast, x, mask, mode), repeats)
            with c_transforms():
                te2, tc = paired_times(lambda: call(plain, x, mask, mode), lambda: call(fast, x, mask, mode), repeats)
            print(f'| {name} | {mode} | {te * 1e3:.0f} | {td / te:.3f} | {tc / te2:.3f} |', flush=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--models', nargs='+', default=['endecoder', 'misf', 'jpgnet'])
    a = p.parse_args()
    layers(a.repeats)
    models(a.models, a.repeats)
