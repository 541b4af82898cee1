/// Deterministic pseudo-random numbers: xoshiro256** 1.0 (Blackman & Vigna), seeded by
/// splitmix64. Every number is produced by integer arithmetic and IEEE-754 basic operations
/// only (+ − × ÷ √ with round-to-nearest; no libm calls), so the same seed gives bit-identical
/// uniforms, integers *and normals* on every platform and Swift version.
///
/// Algorithms (fully specified):
/// - Seeding `init(seed:)`: s₀…s₃ = four successive outputs of splitmix64 started at `seed`
///   (z += 0x9E3779B97F4A7C15; z = (z ^ z>>30) · 0xBF58476D1CE4E5B9; z = (z ^ z>>27) · 0x94D049BB133111EB; z ^ z>>31).
/// - `next()`: xoshiro256** — result = rotl(s₁ · 5, 7) · 9, then the published state update.
/// - `uniform()` ∈ [0, 1): (next() >> 11) · 2⁻⁵³.
/// - `uniformOpen()` ∈ (0, 1]: ((next() >> 11) + 1) · 2⁻⁵³.
/// - `normal()`: Box–Muller, cosine branch only. u₁ = uniformOpen(), then u₂ = uniform();
///   z = √(−2 ln u₁) · cos(2π u₂). Each normal consumes exactly two outputs (no cached value).
///   ln and cos are `DeterministicMath.log` / `.cos2pi` (documented there).
/// - `int(below: n)`: Lemire's multiply-shift with rejection, on next().
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable {
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds via splitmix64 (the seeding recommended by the xoshiro authors).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        state = (sm.next(), sm.next(), sm.next(), sm.next())
    }
    /// Sets the state words directly (must not all be zero).
    public init(state s: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(s != (0, 0, 0, 0), "Xoshiro256: the all-zero state is not allowed")
        state = s
    }

    public static func == (a: Xoshiro256, b: Xoshiro256) -> Bool { a.state == b.state }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// The next 64-bit output of xoshiro256**.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = Xoshiro256.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Xoshiro256.rotl(state.3, 45)
        return result
    }

    /// Uniform on [0, 1): top 53 bits times 2⁻⁵³.
    @inlinable public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    /// Uniform on (0, 1]: (top 53 bits + 1) times 2⁻⁵³.
    @inlinable public mutating func uniformOpen() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }
    /// Uniform on [a, b): a + (b − a) · uniform().
    @inlinable public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
    /// Standard normal by Box–Muller (see the type's documentation).
    public mutating func normal() -> Double {
        let u1 = uniformOpen(), u2 = uniform()
        return (-2 * DeterministicMath.log(u1)).squareRoot() * DeterministicMath.cos2pi(u2)
    }
    /// mean + std · normal().
    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }
    /// Uniform integer in 0..<n (Lemire's nearly-divisionless method; n ≥ 1).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "Xoshiro256.int(below:): n must be ≥ 1, got \(n)")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }
    /// Fisher–Yates shuffle driven by `int(below:)` (j drawn for i = n−1 down to 1).
    public mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(below: i + 1)) }
    }
}

/// splitmix64 (Vigna), used to seed `Xoshiro256`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Platform-independent ln and cos(2πu) built only from IEEE basic operations, so that the
/// normal transform is bit-reproducible (libm's log/cos may differ in the last bit across
/// platforms). Accuracy: within a few ulps, ample for random numbers.
public enum DeterministicMath {
    /// Natural logarithm for finite x > 0. x = 2ᵏ·m with m ∈ [√½, √2); s = (m−1)/(m+1);
    /// ln m = 2s(1 + s²/3 + s⁴/5 + … + s²⁰/21) (Horner, highest term first);
    /// ln x = k·ln2_hi + (k·ln2_lo + ln m).
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "DeterministicMath.log: needs finite x > 0, got \(x)")
        var k = Int(x.exponent)
        var m = x.significand                 // exact, in [1, 2)
        if m > 1.4142135623730951 { m *= 0.5; k += 1 }   // exact
        let s = (m - 1) / (m + 1), z = s * s
        var p = 1.0 / 21
        var d = 19.0
        while d >= 1 { p = p * z + 1 / d; d -= 2 }
        let lnm = 2 * s * p
        let ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10
        return Double(k) * ln2hi + (Double(k) * ln2lo + lnm)
    }

    /// cos(2πu) for u ∈ [0, 1]. x = 4u (exact), q = x rounded to nearest (ties up),
    /// θ = (x − q)·(π/2) ∈ [−π/4, π/4]; sin θ, cos θ by Taylor series to θ¹⁹, θ¹⁸;
    /// the quadrant q mod 4 selects cos θ, −sin θ, −cos θ, sin θ.
    public static func cos2pi(_ u: Double) -> Double {
        let (s, c, q) = reduced(u)
        switch q & 3 { case 0: return c; case 1: return -s; case 2: return -c; default: return s }
    }
    /// sin(2πu), same reduction as `cos2pi`.
    public static func sin2pi(_ u: Double) -> Double {
        let (s, c, q) = reduced(u)
        switch q & 3 { case 0: return s; case 1: return c; case 2: return -s; default: return -c }
    }

    static func reduced(_ u: Double) -> (Double, Double, Int) {
        precondition(u >= 0 && u <= 1, "DeterministicMath: u must be in [0, 1], got \(u)")
        let x = 4 * u
        let q = (x + 0.5).rounded(.down)
        let t = (x - q) * 1.5707963267948966
        let t2 = t * t
        // Nested Horner: P_k = 1 − t²/(k(k−1))·P_{k+2}; sin t = t·P_3, cos t = P_2.
        var sp = 0.0, cp = 0.0
        var k = 19.0
        while k >= 3 { sp = -(sp + 1) * t2 / (k * (k - 1)); k -= 2 }   // sp = sin(t)/t − 1
        var j = 18.0
        while j >= 2 { cp = -(cp + 1) * t2 / (j * (j - 1)); j -= 2 }   // cp = cos(t) − 1
        return (t * (1 + sp), 1 + cp, Int(q))
    }
}

extension Matrix {
    /// Entries i.i.d. N(mean, std²), drawn in row-major reading order (row 0 left to right, then row 1, …).
    public static func gaussian(_ rows: Int, _ cols: Int, mean: Double = 0, std: Double = 1,
                                using rng: inout Xoshiro256) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<rows { for j in 0..<cols { m.storage[i + j * rows] = rng.normal(mean: mean, std: std) } }
        return m
    }
    /// Entries i.i.d. uniform on [low, high), drawn in row-major reading order.
    public static func uniform(_ rows: Int, _ cols: Int, low: Double = 0, high: Double = 1,
                               using rng: inout Xoshiro256) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<rows { for j in 0..<cols { m.storage[i + j * rows] = rng.uniform(low, high) } }
        return m
    }
}

extension Vector {
    /// Entries i.i.d. N(mean, std²).
    public static func gaussian(_ n: Int, mean: Double = 0, std: Double = 1, using rng: inout Xoshiro256) -> Vector {
        Vector((0..<n).map { _ in rng.normal(mean: mean, std: std) })
    }
    /// Entries i.i.d. uniform on [low, high).
    public static func uniform(_ n: Int, low: Double = 0, high: Double = 1, using rng: inout Xoshiro256) -> Vector {
        Vector((0..<n).map { _ in rng.uniform(low, high) })
    }
}
