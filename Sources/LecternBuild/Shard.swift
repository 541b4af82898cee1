/// `--shard I/N`: the I-th of N deterministic shares of a course's lectures,
/// so that a CI matrix of N jobs runs every lecture exactly once.
///
/// The partition: each lecture weighs its last duration (compile and run, as
/// the run cache recorded it for the lecture's current program); a lecture the
/// cache does not know weighs the mean of those it knows, and when it knows
/// none every lecture weighs 1. Heaviest first (ties in course order), each
/// lecture goes to the shard with the least weight so far (ties to the lower
/// shard). With no durations that is round robin in course order. The N jobs
/// agree on the partition as long as they see the same cache, which is why the
/// CI workflow restores one cache, under one key, in every shard.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` with 1 ≤ I ≤ N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// Shard 1 also checks what belongs to no lecture: the index, the assets,
    /// pages of deleted lectures and course.yml.
    public var holdsSharedFiles: Bool { index == 1 }

    /// Which of the lectures (positions in `durations`, in course order) are this shard's.
    public func pick(durations: [Double?]) -> [Int] {
        Shard.partition(durations: durations, shards: count)[index - 1]
    }

    /// Every shard's lectures, each list in course order.
    public static func partition(durations: [Double?], shards: Int) -> [[Int]] {
        let known = durations.compactMap { $0 }.map { max(0, $0) }
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let weights = durations.map { $0.map { max(0, $0) } ?? fallback }
        let heaviestFirst = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        var load = [Double](repeating: 0, count: max(1, shards))
        var out = [[Int]](repeating: [], count: max(1, shards))
        for i in heaviestFirst {
            let target = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            load[target] += weights[i]
            out[target].append(i)
        }
        return out.map { $0.sorted() }
    }
}
