// Benchmark of LecternCore; prints "name<TAB>milliseconds" lines (median of repetitions).
// Run through bench/core.sh, which also runs bench/core_numpy.py and prints the comparison.
import LecternCore

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
}
func time(_ name: String, reps: Int, _ body: () throws -> Void) rethrows {
    var ts: [Double] = []
    for _ in 0..<reps {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        ts.append(ms(clock.now - start))
    }
    ts.sort()
    print("\(name)\t\(ts[ts.count / 2])")
}

var rng = Xoshiro256(seed: 1)
var sink = 0.0

// 1. 100,000 eigenvalue calls on a 2×2 (preallocated workspace).
let A2: Matrix = [[0.9, -0.4], [0.3, 1.1]]
let ws = EigenvalueWorkspace(size: 2)
try time("eig 2x2 x100000", reps: 3) {
    for _ in 0..<100_000 { sink += try ws.eigenvalues(A2)[0].real }
}

// 2. eigenvalues of 200×200 and 1000×1000 Gaussian matrices.
let G200 = Matrix.gaussian(200, 200, using: &rng)
try time("eigvals 200x200", reps: 5) { sink += try G200.eigenvalues()[0].real }
let G1000 = Matrix.gaussian(1000, 1000, using: &rng)
try time("eigvals 1000x1000", reps: 3) { sink += try G1000.eigenvalues()[0].real }

// 3. SVD (U, σ, Vᵀ) of 1000×1000.
try time("svd 1000x1000", reps: 3) { sink += try G1000.svd().singularValues[0] }

// 4. matmul 1000×1000.
let H1000 = Matrix.gaussian(1000, 1000, using: &rng)
time("matmul 1000x1000", reps: 3) { sink += (G1000 * H1000)[0, 0] }

// 5. BPTT through a 128-unit tanh RNN over 100 steps (16 inputs, loss ½‖h_T − y‖²).
let rnn = RNN.random(hidden: 128, input: 16, spectralRadius: 1.0, using: &rng)
let xs = (0..<100).map { _ in Vector.gaussian(16, using: &rng) }
let y = Vector.gaussian(128, using: &rng)
time("bptt rnn128 T=100", reps: 20) { sink += rnn.gradients(xs, loss: .lastState(target: y)).dWh[0, 0] }

// 6. (Swift only) a lecture-sized training run: adding problem T=20, n=12, 300 steps, batch 10.
let task = SyntheticTask.adding(length: 20)
time("train adding n=12 T=20 300x10", reps: 3) {
    var r = Xoshiro256(seed: 2)
    var model = RNNModel.random(for: task, hidden: 12, using: &r)
    let h = model.train(on: task, options: TrainingOptions(steps: 300, learningRate: 0.05, batchSize: 10, clipping: .norm(1)), using: &r)
    sink += h.losses.last!
}
if sink == 42 { print("") }
