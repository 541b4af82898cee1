"""numpy side of bench/core.sh; prints "name<TAB>milliseconds" (median of repetitions).
Run with OPENBLAS_NUM_THREADS=1 (set by core.sh before numpy is imported)."""
import time
import numpy as np

def bench(name, reps, f):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    print(f"{name}\t{ts[len(ts)//2]}", flush=True)

rng = np.random.default_rng(1)
A2 = np.array([[0.9, -0.4], [0.3, 1.1]])
def eig2():
    for _ in range(100_000):
        np.linalg.eigvals(A2)
bench("eig 2x2 x100000", 3, eig2)
G200 = rng.standard_normal((200, 200))
bench("eigvals 200x200", 5, lambda: np.linalg.eigvals(G200))
G1000 = rng.standard_normal((1000, 1000))
bench("eigvals 1000x1000", 3, lambda: np.linalg.eigvals(G1000))
bench("svd 1000x1000", 3, lambda: np.linalg.svd(G1000))
H1000 = rng.standard_normal((1000, 1000))
bench("matmul 1000x1000", 3, lambda: G1000 @ H1000)

n, m, T = 128, 16, 100
W = rng.standard_normal((n, n)) / np.sqrt(n)
Wh = W / max(abs(np.linalg.eigvals(W)))
Win = rng.standard_normal((n, m)) / np.sqrt(m)
b = np.zeros(n)
xs = rng.standard_normal((T, m))
y = rng.standard_normal(n)
def bptt():
    hs = [np.zeros(n)]; ds = []
    for t in range(T):
        h = np.tanh(Wh @ hs[-1] + Win @ xs[t] + b)
        hs.append(h); ds.append(1 - h * h)
    dh = hs[-1] - y
    dWh = np.zeros((n, n)); dWin = np.zeros((n, m)); db = np.zeros(n)
    for t in range(T - 1, -1, -1):
        da = ds[t] * dh
        dWh += np.outer(da, hs[t]); dWin += np.outer(da, xs[t]); db += da
        dh = Wh.T @ da
    return dWh, dWin, db
bench("bptt rnn128 T=100", 20, bptt)
