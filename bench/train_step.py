"""Where a training step at the study size goes (data, forward and loss, backward, optimizer), and steps per second,
for the crops and optimizer the trainer used before (shorter side scaled to 64 px, Adam's per-tensor loop) and now
(crops at random scales, fused Adam), in the same run; the ratio column is now / before.

    OMP_NUM_THREADS=1 python bench/train_step.py [--models endecoder misf] [--steps 30]
"""
import argparse, tempfile, time

import torch

from inpaint_nb.studies.kit import TRAIN_BUDGET
from inpaint_nb.train import TrainConfig, Trainer

PHASES = ('data', 'forward + loss', 'backward', 'optimizer')

def trainer(model, resize, fused):
    cfg = TrainConfig(model=model, steps=10_000, lr=1e-3, gan=False, amp='off', size=TRAIN_BUDGET['size'], batch_size=TRAIN_BUDGET['batch-size'],
                      resize=resize, out=tempfile.mkdtemp(), overwrite=True, progress=False)
    tr = Trainer(cfg)
    if not fused: tr.g_opt = torch.optim.Adam(tr.model.parameters(), lr=1e-3, betas=tr.recipe.betas, foreach=True)
    return tr

def timed_steps(tr, steps) -> dict:
    "Seconds per step in each phase, over `steps` steps after three warm-up steps."
    from inpaint_nb.core import corrupt, output_image
    from inpaint_nb.losses import LossContext
    it, out = iter(tr._loader()), {p: 0.0 for p in PHASES}
    for s in range(steps + 3):
        t0 = time.perf_counter(); img, mask = next(it); t1 = time.perf_counter()
        o = tr.net(corrupt(img, mask), mask); pred = output_image(o)
        total, _ = tr.recipe(LossContext(pred=pred.float(), image=img, mask=mask, d_fake=None, gan=tr.recipe.gan, vgg=tr.vgg, outputs=None)); t2 = time.perf_counter()
        tr.g_opt.zero_grad(set_to_none=True); total.backward(); t3 = time.perf_counter()
        tr.g_opt.step(); t4 = time.perf_counter()
        if s >= 3:
            for p, d in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)): out[p] += d / steps
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', nargs='+', default=['endecoder', 'misf']); p.add_argument('--steps', type=int, default=30)
    a = p.parse_args()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; mean of {a.steps} steps after 3 warm-up steps; ms per step')
    print('| model | setting | ' + ' | '.join(PHASES) + ' | steps/s | now / before |\n|---|---|' + '---|' * (len(PHASES) + 2))
    for m in a.models:
        rate = {}
        for label, resize, fused in (('before', 'shorter', False), ('now', 'random', True)):
            t = timed_steps(trainer(m, resize, fused), a.steps); rate[label] = 1 / sum(t.values())
            ratio = f"{rate['now'] / rate['before']:.2f}" if label == 'now' else ''
            print(f"| {m} | {label} | " + ' | '.join(f'{1000 * t[p]:.1f}' for p in PHASES) + f" | {rate[label]:.2f} | {ratio} |", flush=True)

if __name__ == '__main__': main()
