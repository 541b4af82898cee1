import CLapack
import Numerics

/// The synthetic long-term-dependency tasks used by Pascanu, Mikolov & Bengio (2013),
/// after Hochreiter & Schmidhuber (1997).
public enum SyntheticTask: Sendable, Equatable {
    /// Inputs (value ~ U[0,1), marker ∈ {0,1}); exactly two markers (T ≥ 2), the first at a
    /// position drawn uniformly from [0, a), the second from [a, b), with a = max(2, T/10) and
    /// b = max(a + 2, T/2) (both capped by the length): [0, T/10) and [T/10, T/2) from T = 20 on,
    /// and at shorter lengths ranges of at least two positions, so that no length fixes where
    /// the markers fall. Target: the sum of the two marked values (regression, squared error).
    /// Predicting the mean 1 gives L = ½·Var = 1/12.
    case adding(length: Int)
    /// One-hot symbols from {a, b, c, d, X, Y}: distractors a–d everywhere except two positions,
    /// drawn from [T/10, 2T/10) and [5T/10, 6T/10), which hold X or Y. Target: which of
    /// XX, XY, YX, YY occurred (4 classes, softmax cross-entropy; chance L = ln 4).
    case temporalOrder(length: Int)
    /// The adding task's inputs and marker positions, with the *product* of the two marked
    /// values as the target. Predicting the mean 1/4 gives L = ½·Var = ½(1/9 − 1/16) = 7/288.
    case multiplication(length: Int)

    public var length: Int {
        switch self { case .adding(let T), .temporalOrder(let T), .multiplication(let T): return T }
    }
    public var inputSize: Int { if case .temporalOrder = self { return 6 } else { return 2 } }
    public var outputSize: Int { if case .temporalOrder = self { return 4 } else { return 1 } }
    public var isClassification: Bool { if case .temporalOrder = self { return true } else { return false } }

    /// Writes one example: X (m×T column-major, column t = x_{t+1}) and the target
    /// (the value for `adding`, the class index for `temporalOrder`).
    func fill(_ X: UnsafeMutablePointer<Double>, using rng: inout Xoshiro256) -> Double {
        let T = length
        switch self {
        case .adding, .multiplication:
            let product: Bool
            if case .multiplication = self { product = true } else { product = false }
            let a = Swift.min(Swift.max(2, T / 10), Swift.max(1, T - 1))
            let b = Swift.max(a + 1, Swift.min(T, Swift.max(a + 2, T / 2)))
            let p1 = rng.int(below: a)
            let p2 = a + rng.int(below: b - a)
            var y = product ? 1.0 : 0.0
            for t in 0..<T {
                let v = rng.uniform()
                X[2 * t] = v
                let marked = (t == p1 || t == p2)
                X[2 * t + 1] = marked ? 1 : 0
                if marked { if product { y *= v } else { y += v } }
            }
            return y
        case .temporalOrder:
            let lo1 = T / 10, hi1 = Swift.max(lo1 + 1, 2 * T / 10)
            let lo2 = 5 * T / 10, hi2 = Swift.max(lo2 + 1, 6 * T / 10)
            let p1 = lo1 + rng.int(below: hi1 - lo1), p2 = lo2 + rng.int(below: hi2 - lo2)
            let s1 = rng.int(below: 2), s2 = rng.int(below: 2)
            for t in 0..<T {
                let sym = t == p1 ? 4 + s1 : (t == p2 ? 4 + s2 : rng.int(below: 4))
                for k in 0..<6 { X[6 * t + k] = k == sym ? 1 : 0 }
            }
            return Double(2 * s1 + s2)
        }
    }

    /// One example as vectors: inputs x_1…x_T and the target (value or class index).
    public func sample(using rng: inout Xoshiro256) -> (inputs: [Vector], target: Double) {
        let m = inputSize, T = length
        let X = UnsafeMutablePointer<Double>.allocate(capacity: m * T)
        defer { X.deallocate() }
        let y = fill(X, using: &rng)
        return ((0..<T).map { t in Vector(Array(UnsafeBufferPointer(start: X + t * m, count: m))) }, y)
    }
}

/// How the trainer clips the gradient before each update.
public enum Clipping: Sendable, Equatable {
    case none
    /// Global-norm clipping over all parameters with threshold τ.
    case norm(Double)
    /// Clamp each entry to [−limit, limit].
    case value(Double)
}

public struct TrainingOptions: Sendable {
    public var steps: Int
    public var learningRate: Double
    /// Examples averaged per update.
    public var batchSize: Int
    public var clipping: Clipping
    /// Weight α of Pascanu's Ω; its gradient is added to W_h's only, as in the paper.
    public var omegaWeight: Double
    public init(steps: Int = 300, learningRate: Double = 0.05, batchSize: Int = 10,
                clipping: Clipping = .none, omegaWeight: Double = 0) {
        self.steps = steps; self.learningRate = learningRate; self.batchSize = batchSize
        self.clipping = clipping; self.omegaWeight = omegaWeight
    }
}

/// Per-update records.
public struct TrainingHistory: Sendable {
    /// Mean loss of each batch (before the update).
    public var losses: [Double] = []
    /// Global gradient norm before clipping.
    public var gradientNorms: [Double] = []
    /// Scale applied by norm clipping (1 = not clipped); for value clipping, the fraction of
    /// entries that were left unchanged.
    public var clipScales: [Double] = []
    /// Mean Ω of each batch (0 when `omegaWeight` is 0).
    public var omega: [Double] = []
}

/// An RNN with a linear readout y = W_out h_T + b_out on the final state.
public struct RNNModel: Sendable {
    public var rnn: RNN
    public var Wout: Matrix
    public var bout: Vector

    public init(rnn: RNN, Wout: Matrix, bout: Vector) {
        precondition(Wout.cols == rnn.hiddenSize && bout.count == Wout.rows,
                     shapeMismatchMessage("RNNModel: readout vs hidden size", Wout.shape, (rnn.hiddenSize, 1)))
        self.rnn = rnn; self.Wout = Wout; self.bout = bout
    }

    /// A model for `task`: `RNN.random(hidden:input:spectralRadius:)` and a Gaussian readout (std 1/√n).
    public static func random(for task: SyntheticTask, hidden n: Int, spectralRadius rho: Double = 1,
                              activation: Activation = .tanh, using rng: inout Xoshiro256) -> RNNModel {
        let rnn = RNN.random(hidden: n, input: task.inputSize, spectralRadius: rho, activation: activation, using: &rng)
        let Wout = Matrix.gaussian(task.outputSize, n, std: 1 / Double(n).squareRoot(), using: &rng)
        return RNNModel(rnn: rnn, Wout: Wout, bout: Vector(count: task.outputSize))
    }

    /// Trains with SGD on fresh samples of `task`; returns the per-step history.
    /// All buffers are allocated once before the loop.
    public mutating func train(on task: SyntheticTask, options o: TrainingOptions,
                               using rng: inout Xoshiro256) -> TrainingHistory {
        let n = rnn.hiddenSize, m = rnn.inputSize, c = Wout.rows, T = task.length
        precondition(m == task.inputSize && c == task.outputSize,
                     "RNNModel.train: model (input \(m), output \(c)) does not fit task (input \(task.inputSize), output \(task.outputSize))")
        let core = RNNCore(hidden: n, input: m, capacity: Swift.max(T, 1), activation: rnn.activation)
        // Parameters and gradients in one flat buffer each: [Wh | Win | b | Wout | bout].
        let sizes = [n * n, n * m, n, c * n, c]
        let offs = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        let P = sizes.reduce(0, +)
        let theta = UnsafeMutablePointer<Double>.allocate(capacity: P), grad = UnsafeMutablePointer<Double>.allocate(capacity: P)
        let X = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, m * T))
        let y = UnsafeMutablePointer<Double>.allocate(capacity: c), dh = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { theta.deallocate(); grad.deallocate(); X.deallocate(); y.deallocate(); dh.deallocate() }
        func load(_ a: [Double], _ k: Int) { a.withUnsafeBufferPointer { (theta + offs[k]).update(from: $0.baseAddress!, count: a.count) } }
        load(rnn.Wh.storage, 0); load(rnn.Win.storage, 1); load(rnn.b.elements, 2); load(Wout.storage, 3); load(bout.elements, 4)
        let Wh = theta + offs[0], Win = theta + offs[1], b = theta + offs[2], Wo = theta + offs[3], bo = theta + offs[4]
        let gWh = grad + offs[0], gWin = grad + offs[1], gb = grad + offs[2], gWo = grad + offs[3], gbo = grad + offs[4]
        let scratchWin = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, n * m))
        let scratchB = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { scratchWin.deallocate(); scratchB.deallocate() }

        var hist = TrainingHistory()
        hist.losses.reserveCapacity(o.steps); hist.gradientNorms.reserveCapacity(o.steps)
        hist.clipScales.reserveCapacity(o.steps); hist.omega.reserveCapacity(o.steps)
        let inv = 1 / Double(o.batchSize)
        for _ in 0..<o.steps {
            grad.update(repeating: 0, count: P)
            var lossSum = 0.0, omegaSum = 0.0
            for _ in 0..<o.batchSize {
                let target = task.fill(X, using: &rng)
                core.forward(Wh: Wh, Win: Win, b: b, X: X, T: T, h0: nil)
                let hT = core.H + T * n
                // readout y = Wo hT + bo
                for r in 0..<c { y[r] = bo[r] }
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(c), Int32(n), 1.0, Wo, Int32(c), hT, 1, 1.0, y, 1)
                if task.isClassification {
                    var zmax = -Double.infinity
                    for r in 0..<c { zmax = Swift.max(zmax, y[r]) }
                    var s = 0.0
                    for r in 0..<c { y[r] = Double.exp(y[r] - zmax); s += y[r] }
                    let label = Int(target)
                    lossSum += -Double.log(y[label] / s)
                    for r in 0..<c { y[r] /= s }
                    y[label] -= 1                                  // y ← ∂L/∂z
                } else {
                    for r in 0..<c { y[r] -= target }              // y ← ∂L/∂y (squared error ½r²)
                    var l = 0.0
                    for r in 0..<c { l += 0.5 * y[r] * y[r] }
                    lossSum += l
                }
                // readout gradients and ∂L/∂h_T
                cblas_dger(CblasColMajor, Int32(c), Int32(n), inv, y, 1, hT, 1, gWo, Int32(c))
                for r in 0..<c { gbo[r] += inv * y[r] }
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(c), Int32(n), 1.0, Wo, Int32(c), y, 1, 0.0, dh, 1)
                core.backward(Wh: Wh, X: X, T: T, dhT: dh, truncation: nil, scale: inv, dWh: gWh, dWin: gWin, db: gb)
                if o.omegaWeight != 0 {
                    // Ω's gradient on W_h only (the W_in, b parts go to scratch and are dropped).
                    omegaSum += core.omega(Wh: Wh, X: X, T: T, scale: o.omegaWeight * inv,
                                           dWh: gWh, dWin: scratchWin, db: scratchB)
                }
            }
            var sq = 0.0
            for k in 0..<P { sq += grad[k] * grad[k] }
            let norm = sq.squareRoot()
            var scale = 1.0
            switch o.clipping {
            case .none: break
            case .norm(let tau):
                scale = clipScale(norm: norm, maxNorm: tau)
                if scale != 1 { for k in 0..<P { grad[k] *= scale } }
            case .value(let lim):
                let changed = clampBuffer(UnsafeMutableBufferPointer(start: grad, count: P), lim)
                scale = 1 - Double(changed) / Double(P)
            }
            let lr = o.learningRate
            for k in 0..<P { theta[k] -= lr * grad[k] }
            hist.losses.append(lossSum * inv); hist.gradientNorms.append(norm)
            hist.clipScales.append(scale); hist.omega.append(omegaSum * inv)
        }
        func store(_ k: Int) -> [Double] { Array(UnsafeBufferPointer(start: theta + offs[k], count: sizes[k])) }
        rnn.Wh = Matrix(rows: n, cols: n, columnMajor: store(0))
        rnn.Win = Matrix(rows: n, cols: m, columnMajor: store(1))
        rnn.b = Vector(store(2))
        Wout = Matrix(rows: c, cols: n, columnMajor: store(3))
        bout = Vector(store(4))
        return hist
    }
}
