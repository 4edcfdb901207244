"""Times the yuma-simulation torch functions on the research bench rows' input, for the ×torch column.

The bench (benchmark.js) divides a torch time per epoch by its own mean; this script measures that torch time on
the machine at hand, on exactly the data the bench's research rows time: the second of two epochs, with the
bond state (and Yuma 2B's previous weights, the previous consensus) from the first, float32, one thread, the
configuration `yuma-wasm/research` uses as each version's default (src/research/config.ts).

Needs Python 3 with torch (e.g. Debian's python3-torch) and a checkout of bactensor/yuma-simulation; it imports
that checkout's `src/yuma_simulation/_internal/yumas.py` and copies nothing from it. Yuma 3 with liquid alpha
also needs the simulator's pandas and matplotlib.

  node bench/research-input.js --shape 1024x1024 --out build/bench/research-input
  python3 bench/torch-time.py --sim ../yuma-simulation --shape 1024x1024 --versions yuma3 --calls 10

Prints, per version, wall and CPU ms per epoch (least / median / mean of the calls) and the load average.
"""
import argparse
import importlib
import os
import sys
import statistics
import time

import numpy as np
import torch

VERSION_PARAMS = {
    # version: (function name, YumaParams overrides); bond_penalty 0.99 for all (config.ts explains why)
    'yuma1': ('YumaRust', {'bond_moving_avg': 0.0}),
    'yuma2': ('Yuma', {}),
    'yuma2b': ('Yuma2b', {}),
    'yuma2c': ('Yuma2c', {}),
    'yuma3': ('Yuma3', {'bond_moving_avg': 0.975, 'alpha_low': 0.1, 'alpha_high': 0.3}),
    'yuma3-liquid': ('Yuma3', {'bond_moving_avg': 0.975, 'alpha_low': 0.1, 'alpha_high': 0.3, 'liquid_alpha': True, 'alpha_sigmoid_steepness': 10.0}),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sim', required=True, help='a checkout of bactensor/yuma-simulation')
    ap.add_argument('--data', default='build/bench/research-input', help="bench/research-input.js's --out")
    ap.add_argument('--shape', default='1024x1024')
    ap.add_argument('--versions', default='yuma3')
    ap.add_argument('--calls', type=int, default=10)
    a = ap.parse_args()

    # Imported as its package's module: Yuma 3 with liquid alpha imports a helper from a sibling module, which
    # needs the simulator's other dependencies (pandas, matplotlib); the other versions need only torch.
    sys.path.insert(0, os.path.join(a.sim, 'src'))
    yumas = importlib.import_module('yuma_simulation._internal.yumas')
    torch.set_num_threads(1)
    V, M = (int(x) for x in a.shape.split('x'))

    def load(epoch):
        path = os.path.join(a.data, f'{V}x{M}-{epoch}')
        w = torch.from_numpy(np.fromfile(path + '-w.f32', dtype=np.float32).reshape(V, M).copy())
        s = torch.from_numpy(np.fromfile(path + '-s.f32', dtype=np.float32).copy())
        return w, s

    (w0, s0), (w1, s1) = load('first'), load('second')
    for version in a.versions.split(','):
        name, params = VERSION_PARAMS[version]
        fn = getattr(yumas, name)
        config = yumas.YumaConfig(simulation=yumas.SimulationHyperparameters(bond_penalty=0.99), yuma_params=yumas.YumaParams(**params))

        def call(w, s, state):
            if name == 'Yuma2c':
                # maxint as a float: torch 1.13 refuses to multiply a tensor by the int 2**64 - 1 ("Overflow when
                # unpacking long"); newer torch converts it to the same float (2**64) itself.
                return fn(w, s, B_old=state.get('B'), config=config, maxint=float(2**64 - 1))
            kw = dict(num_servers=M, num_validators=V, use_full_matrices=False, B_old=state.get('B'), C_old=state.get('C'), config=config)
            if name == 'Yuma2b':
                return fn(W=w, W_prev=state.get('W', w), S=s, **kw)
            return fn(w, s, **kw)

        r = call(w0, s0, {})
        state = {'B': r.get('validator_bonds', r.get('validator_ema_bond')), 'C': r['server_consensus_weight'], 'W': r['weight']}
        wall, cpu = [], []
        for _ in range(a.calls):
            t0, c0 = time.perf_counter(), time.process_time()
            call(w1, s1, state)
            cpu.append((time.process_time() - c0) * 1e3)
            wall.append((time.perf_counter() - t0) * 1e3)
        print(f'{version} {V}x{M} (torch {torch.__version__}, {torch.get_num_threads()} thread, {a.calls} calls): '
              f'wall ms least {min(wall):.2f} median {statistics.median(wall):.2f} mean {statistics.mean(wall):.2f}; '
              f'CPU ms least {min(cpu):.2f} median {statistics.median(cpu):.2f}; load average {os.getloadavg()[0]:.2f}')


if __name__ == '__main__':
    main()
