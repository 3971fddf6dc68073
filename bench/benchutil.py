"""What the benchmark scripts share: cold-cache timing and the peak memory one call adds, measured in a
fresh process (Linux: /proc/self/status, peak reset through /proc/self/clear_refs)."""
import json, statistics, subprocess, sys, time

import torch

_FLUSH = torch.empty(0)

def flush():
    "Evict inputs from the caches (the last level here is 105 MB) by writing a 256 MB buffer."
    global _FLUSH
    if _FLUSH.numel() == 0: _FLUSH = torch.empty(2**26)
    _FLUSH.fill_(1.0)

def median_time(once, repeats) -> float:
    "Median seconds of `once()` over `repeats` cold-cache runs, after one warm-up."
    once()
    ts = []
    for _ in range(repeats):
        flush()
        t = time.perf_counter(); once(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def _status_mb(key):
    with open('/proc/self/status') as fh:
        line = next(l for l in fh if l.startswith(key + ':'))
    return int(line.split()[1]) / 1024

def report_extra_memory(call):
    "In a child process: run `call()` and print, as JSON, the peak resident memory it added above the current size."
    with open('/proc/self/clear_refs', 'w') as fh: fh.write('5')      # reset the peak to the current size
    base = _status_mb('VmRSS')
    out = call()
    print(json.dumps({'extra_mb': _status_mb('VmHWM') - base}))
    return out

def child_extra_mb(script, *args) -> float:
    "Run `script --child *args` in a fresh process and read the extra memory it reports."
    out = subprocess.run([sys.executable, script, '--child', *map(str, args)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])['extra_mb']
