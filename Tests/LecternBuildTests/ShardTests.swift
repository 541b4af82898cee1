import Testing
@testable import LecternBuild

/// How `--shard I/N` splits a course (the rule is in `Shard`'s documentation).
struct ShardPartition {
    @Test func withoutDurationsItIsRoundRobinInCourseOrder() {
        #expect(Shard.partition(durations: Array(repeating: nil, count: 7), shards: 3) == [[0, 3, 6], [1, 4], [2, 5]])
    }

    @Test func lastDurationsBalanceTheShares() {
        // One heavy lecture gets a shard of its own; the light ones share the other.
        let d: [Double?] = [1, 1, 10, 1, 1, 1]
        #expect(Shard.partition(durations: d, shards: 2) == [[2], [0, 1, 3, 4, 5]])
        // An unknown duration weighs the mean of the known ones (here 4).
        let some: [Double?] = [6, nil, 2, nil]
        #expect(Shard.partition(durations: some, shards: 2) == [[0, 2], [1, 3]])
    }

    @Test func everyLectureIsInExactlyOneShare() {
        for n in 1...5 {
            for count in 0...9 {
                let d: [Double?] = (0..<count).map { (i: Int) -> Double? in
                    i % 3 == 0 ? nil : Double((i * 7) % 5)
                }
                let all = Shard.partition(durations: d, shards: n).flatMap { $0 }
                #expect(all.sorted() == Array(0..<count), "\(n) shards of \(count)")
            }
        }
    }

    @Test func parsing() {
        #expect(Shard("2/3") == Shard(index: 2, count: 3))
        for bad in ["0/2", "3/2", "a/b", "1/0", "", "1", "1/2/3", "+1/2", " 1/2", "1/2 "] {
            #expect(Shard(bad) == nil, "\(bad)")
        }
    }
}
