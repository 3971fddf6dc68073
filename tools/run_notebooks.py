"""Run the notebooks as tests, the way `nbdev_test` does, and keep each executed notebook for the docs site.

    python tools/run_notebooks.py [NOTEBOOK ...] [--jobs N] [--flags slow] [--out _docs/_run] [--stale] [--profile N]

Each notebook runs in its own Python process through nbdev's own `test_nb`, as `nbdev_test` runs it (the
cells it skips: `#| eval: false`, and the `tst_flags` of settings.ini unless given with --flags; stopping
at the first error). `--jobs` runs several notebooks at once, the longest first (by the times
of the previous run, kept in OUT/times.json), each with its share of the cores as its thread count
(OMP_NUM_THREADS; two notebooks with two threads each on two cores run three times slower, not faster). A line per notebook with its time (the error in full when
one fails), then "N passed, N failed". The executed notebooks (outputs kept) land in OUT, where
`tools/make_docs.py` reads them (`--stale` runs only the notebooks changed since). `--profile N` prints each
notebook's N slowest cells. Exits 1 when a notebook fails."""
import argparse, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_one(nb_path: Path, out: Path, force_flags, profile=0) -> int:
    """Test one notebook with nbdev's own `test_nb` (what `nbdev_test` runs for each notebook), keeping the
    executed notebook: write it, outputs kept, to `out`; 0 when it passed."""
    from execnb.nbio import write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    from nbdev.config import get_config
    from nbdev.test import test_nb
    cfg, ran, took, run_all = get_config(), [], [], CaptureShell.run_all

    def keep(self, nb, *args, preproc=lambda c: False, **kw):          # the notebook test_nb runs, and each cell's time
        ran.append(nb); t0 = [0.0]
        def pre(cell):
            t0[0] = time.time(); return preproc(cell)
        def post(cell): took.append((time.time() - t0[0], (cell.source.strip().splitlines() or [''])[0][:70]))
        return run_all(self, nb, *args, preproc=pre, postproc=post, **kw)

    CaptureShell.run_all = keep
    with working_directory(cfg.nbs_path):
        ok, _ = test_nb(nb_path, skip_flags=cfg.tst_flags.split(), force_flags=force_flags, basepath=cfg.config_path)
    for dt, first in sorted(took, reverse=True)[:profile]: print(f'    {dt:6.1f}s  {first}')
    if ran:                                                             # (a notebook marked skip_exec runs nothing)
        for c in ran[0].cells:
            for k in ('directives_', 'idx_'): c.pop(k, None)
        out.mkdir(parents=True, exist_ok=True)
        write_nb(ran[0], out/nb_path.name)
    return 0 if ok else 1


def executed_copy(nb: Path, out: Path):
    "The executed copy of notebook `nb` in `out` when it is newer than the notebook, else None."
    run = out/nb.name
    return run if run.exists() and run.stat().st_mtime >= nb.stat().st_mtime else None


def shown(nb: Path) -> str:
    "`nb` as the log shows it: relative to the repository when inside it."
    nb = nb.resolve()
    return str(nb.relative_to(ROOT)) if nb.is_relative_to(ROOT) else str(nb)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', type=Path, help='notebooks to run (default: every nbs/*.ipynb)')
    p.add_argument('--jobs', type=int, default=1, help='notebooks run at once (each in its own process)')
    p.add_argument('--flags', nargs='*', default=[], help='flags of cells to run too, e.g. slow')
    p.add_argument('--out', type=Path, default=ROOT/'_docs'/'_run', help='folder for the executed notebooks')
    p.add_argument('--stale', action='store_true', help='only the notebooks with no executed copy newer than themselves')
    p.add_argument('--timeout', type=float, default=900, help='seconds one notebook may run before it counts as failed')
    p.add_argument('--profile', type=int, default=0, help='print the N slowest cells of each notebook')
    p.add_argument('--one', action='store_true', help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.jobs < 1: p.error(f'--jobs: expected a positive number, got {a.jobs}')
    if a.one: sys.exit(run_one(a.notebooks[0].resolve(), a.out, a.flags, a.profile))
    nbs = a.notebooks or sorted((ROOT/'nbs').glob('*.ipynb'))
    missing = [str(n) for n in nbs if not n.is_file() or n.suffix != '.ipynb']
    if missing: p.error(f'expected notebooks (.ipynb files), got {missing}')
    if a.stale: nbs = [n for n in nbs if executed_copy(n, a.out) is None]
    times_file = a.out/'times.json'
    before = json.loads(times_file.read_text()) if times_file.exists() else {}
    order = sorted(nbs, key=lambda n: -before.get(n.name, 1e9))   # longest first (unknown ones first of all)

    threads = str(max(1, (os.cpu_count() or 1) // a.jobs))   # notebooks side by side share the cores: no oversubscription
    env = {**os.environ, **{k: os.environ.get(k, threads) for k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')}}

    def run(nb):
        t0 = time.time()
        try:
            r = subprocess.run([sys.executable, __file__, str(nb), '--one', '--out', str(a.out), '--profile', str(a.profile), '--flags', *a.flags],
                               capture_output=True, text=True, cwd=ROOT, env=env, timeout=a.timeout)
        except subprocess.TimeoutExpired as e:        # a stalled notebook fails instead of holding the whole run
            r = subprocess.CompletedProcess(e.cmd, 1, str(e.stdout or ''), f'{shown(nb)}: still running after {a.timeout} s: stopped')
        return nb, r, time.time() - t0

    t_all, results, times = time.time(), {}, dict(before)
    with ThreadPoolExecutor(a.jobs) as pool:
        for f in as_completed([pool.submit(run, nb) for nb in order]):
            nb, r, dt = f.result()
            results[nb], times[nb.name] = r.returncode == 0, round(dt, 1)
            print(f'{"PASS" if r.returncode == 0 else "FAIL"} {shown(nb)} ({dt:.0f}s)', flush=True)
            if r.returncode: print(r.stdout + r.stderr, flush=True)
            elif a.profile: print(r.stdout, end='', flush=True)
    a.out.mkdir(parents=True, exist_ok=True)
    times_file.write_text(json.dumps(times, indent=1, sort_keys=True))
    failed = [shown(n) for n, ok in results.items() if not ok]
    if failed: print('failed notebooks: ' + ' '.join(sorted(failed)))
    print(f'notebooks: {len(results)} in {time.time() - t_all:.0f}s with {a.jobs} at once')
    print(f'{len(results) - len(failed)} passed, {len(failed)} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__': main()
