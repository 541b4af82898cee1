import Foundation

/// An axis tick: position in data units, label (markup) or nil for a minor tick.
struct Tick: Equatable {
    var value: Double
    var label: String?
}

/// Axis scale.
public enum AxisScale: String, Sendable, Equatable {
    case linear, log
}

enum Ticks {
    /// A 1-2-5 step close to `span / target`.
    static func niceStep(_ span: Double, target: Int) -> Double {
        let raw = span / Double(max(1, target))
        guard raw > 0, raw.isFinite else { return 1 }
        let mag = pow(10, floor(log10(raw)))
        let norm = raw / mag
        let f: Double = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10
        return f * mag
    }

    /// Removes floating-point noise from k·step (0.30000000000000004 → 0.3).
    static func clean(_ x: Double) -> Double {
        Double(Format.number(x, digits: 12)) ?? x
    }

    /// Nice linear domain and ticks covering [lo, hi].
    static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> (lo: Double, hi: Double, ticks: [Tick]) {
        var lo = lo, hi = hi
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if lo > hi { swap(&lo, &hi) }
        if lo == hi {
            let d = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= d; hi += d
        }
        let step = niceStep(hi - lo, target: target)
        let k0 = floor(lo / step + 1e-9), k1 = ceil(hi / step - 1e-9)
        let nlo = clean(k0 * step), nhi = clean(k1 * step)
        // Labels need enough digits to tell neighbouring ticks apart.
        let scale = max(abs(nlo), abs(nhi))
        let digits = max(6, Int(ceil(log10(scale / step))) + 2)
        var ticks: [Tick] = []
        var k = k0
        while k <= k1 + 0.5 {
            let v = clean(k * step)
            ticks.append(Tick(value: v, label: Format.number(v, digits: digits)))
            k += 1
        }
        return (nlo, nhi, ticks)
    }

    /// The label of 10^k.
    static func decadeLabel(_ k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "10^{\(k)}"
        }
    }

    /// Log domain and ticks for positive [lo, hi]: decades (every `labelEvery`-th labelled so
    /// at most ~`maxLabels` labels), minor ticks at 2..9 for ranges of ≤ 6 decades;
    /// for a range inside one decade, ticks at m·10^k labelled with plain numbers.
    static func log(_ lo: Double, _ hi: Double, maxLabels: Int = 8) -> (lo: Double, hi: Double, ticks: [Tick]) {
        var lo = lo, hi = hi
        if !(lo > 0 && hi > 0 && lo.isFinite && hi.isFinite) { lo = 1; hi = 10 }
        if lo > hi { swap(&lo, &hi) }
        if lo == hi { lo /= 2; hi *= 2 }
        let llo = log10(lo), lhi = log10(hi)
        var d0 = Int(floor(llo + 1e-9)), d1 = Int(ceil(lhi - 1e-9))
        if d1 == d0 { d1 = d0 + 1 }
        if lhi - llo < 1 {
            // Narrow: bounds at m·10^k, a tick at every m·10^k inside.
            func mantissaSteps(_ d: Int) -> [Double] { (1...9).map { Double($0) * pow(10, Double(d)) } }
            let candidates = (d0...d1).flatMap(mantissaSteps).map(clean)
            let nlo = candidates.last(where: { $0 <= lo * (1 + 1e-12) }) ?? lo
            let nhi = candidates.first(where: { $0 >= hi * (1 - 1e-12) }) ?? hi
            let inside = candidates.filter { $0 >= nlo * (1 - 1e-12) && $0 <= nhi * (1 + 1e-12) }
            return (nlo, nhi, inside.map { Tick(value: $0, label: Format.number($0)) })
        }
        let decades = d1 - d0
        let every = max(1, Int(ceil(Double(decades + 1) / Double(maxLabels))))
        var ticks: [Tick] = []
        for k in d0...d1 {
            let labelled = (k - d0) % every == 0
            if decades <= 60 || labelled {
                ticks.append(Tick(value: pow(10, Double(k)), label: labelled ? decadeLabel(k) : nil))
            }
            if decades <= 6 && k < d1 {
                for m in 2...9 { ticks.append(Tick(value: Double(m) * pow(10, Double(k)), label: nil)) }
            }
        }
        return (pow(10, Double(d0)), pow(10, Double(d1)), ticks)
    }
}
