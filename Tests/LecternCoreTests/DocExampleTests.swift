import Testing
import LecternCore

// The examples of docs/CORE.md, compiled and run through the public API only.
@Test func docExamplesRun() throws {
    let A: Matrix = [[1, 2], [3, 4]]
    let B = A * A.T + 2 * .identity(2)
    #expect(B == [[7, 11], [11, 27]])
    let R = Matrix.rotation(0.3)
    #expect(try R.eigenvalues().count == 2)
    let ws = EigenvalueWorkspace(size: 2)
    let radii = try (0..<100).map { try ws.spectralRadius(Matrix.rotation(Double($0) / 100) * 0.9) }
    #expect(radii.allSatisfy { abs($0 - 0.9) < 1e-12 })
    let W: Matrix = [[0, 2], [0, 0]]
    #expect(W.spectralRadius == 0 && abs(W.spectralNorm - 2) < 1e-15)
    var rng = Xoshiro256(seed: 1)
    let Q = Matrix.randomOrthogonal(8, using: &rng)
    #expect(Q.isOrthogonal() && Matrix.householder([1, 0]).orthogonalKind() == .reflection)
    let rnn = RNN.random(hidden: 8, input: 1, spectralRadius: 0.9, using: &rng)
    let xs = (0..<50).map { _ in Vector.gaussian(1, using: &rng) }
    let decay = rnn.jacobianNorms(rnn.forward(xs))
    #expect(decay.count == 51 && decay[50] < decay[1])
    let task = SyntheticTask.adding(length: 30)
    var plain = RNNModel.random(for: task, hidden: 12, spectralRadius: 1.5, using: &rng)
    var clipped = plain
    let a = plain.train(on: task, options: .init(steps: 30), using: &rng)
    let b = clipped.train(on: task, options: .init(steps: 30, clipping: .norm(1)), using: &rng)
    #expect(a.losses.count == 30 && b.clipScales.allSatisfy { $0 <= 1 })
    let cell = LSTMCell(input: 1, hidden: 4, using: &rng)
    let steps = cell.forward((0..<20).map { _ in Vector.gaussian(1, using: &rng) })
    #expect(steps.allSatisfy { $0.cellJacobianDiagonal.normInf < 1 })
    let gru = GRUCell(input: 1, hidden: 4, updateBias: 1, using: &rng)
    let gsteps = gru.forward((0..<20).map { _ in Vector.gaussian(1, using: &rng) })
    let kept = gru.jacobianNorms(gsteps)
    #expect(kept.count == 21 && abs(kept[0] - 1) < 1e-15)
    let S = Matrix.gaussian(4, 4, using: &rng)
    let Wc = try Matrix.cayley(S - S.T)
    #expect(Wc.isOrthogonal())
    #expect(try Matrix.cayleyGradient(skew: S - S.T, dW: .ones(4, 4)).rows == 4)
}
