/// SHA-256 (FIPS 180-4), for content-addressed cache keys. Small and
/// dependency-free; the cache hashes a few kilobytes per lecture.
public struct SHA256 {
    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if let done = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) { return done }
        update(Array(bytes))
    }

    /// Whole blocks are hashed straight from the buffer (a kit library is megabytes).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length += UInt64(bytes.count)
        var rest = bytes[...]
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, rest.count)
            buffer += rest.prefix(take)
            rest = rest.dropFirst(take)
            guard buffer.count == 64 else { return }
            buffer.withUnsafeBytes { blocks($0.baseAddress!, count: 1) }
            buffer.removeAll(keepingCapacity: true)
        }
        if rest.count >= 64, let base = UnsafeRawBufferPointer(rebasing: rest).baseAddress {
            let whole = rest.count / 64
            blocks(base, count: whole)
            rest = rest.dropFirst(whole * 64)
        }
        buffer += rest
    }

    public mutating func update(_ s: String) { update(s.utf8) }

    public mutating func finalize() -> String {
        let bits = length * 8
        var tail = buffer + [0x80]
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        tail.withUnsafeBytes { all in blocks(all.baseAddress!, count: all.count / 64) }
        buffer = []
        return h.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    public static func hex(_ s: String) -> String { var x = SHA256(); x.update(s); return x.finalize() }

    /// `count` 64-byte blocks from `base`. Written with pointers, the state in
    /// locals and no calls in the inner loops, so that it is quick even
    /// unoptimised (debug builds hash the kit too).
    private mutating func blocks(_ base: UnsafeRawPointer, count: Int) {
        var a0 = h[0], b0 = h[1], c0 = h[2], d0 = h[3], e0 = h[4], f0 = h[5], g0 = h[6], h0 = h[7]
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wb in
            let w = wb.baseAddress!
            SHA256.k.withUnsafeBufferPointer { kb in
                let k = kb.baseAddress!
                for n in 0..<count {
                    let chunk = base + n &* 64
                    for i in 0..<16 { w[i] = UInt32(bigEndian: chunk.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)) }
                    var i = 16
                    while i < 64 {
                        let x = w[i &- 15], y = w[i &- 2]
                        let s0 = ((x &>> 7) | (x &<< 25)) ^ ((x &>> 18) | (x &<< 14)) ^ (x &>> 3)
                        let s1 = ((y &>> 17) | (y &<< 15)) ^ ((y &>> 19) | (y &<< 13)) ^ (y &>> 10)
                        w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
                        i &+= 1
                    }
                    var a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, hh = h0
                    var j = 0
                    while j < 64 {
                        let s1 = ((e &>> 6) | (e &<< 26)) ^ ((e &>> 11) | (e &<< 21)) ^ ((e &>> 25) | (e &<< 7))
                        let ch = (e & f) ^ (~e & g)
                        let t1 = hh &+ s1 &+ ch &+ k[j] &+ w[j]
                        let s0 = ((a &>> 2) | (a &<< 30)) ^ ((a &>> 13) | (a &<< 19)) ^ ((a &>> 22) | (a &<< 10))
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ s0 &+ maj
                        j &+= 1
                    }
                    a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
                    e0 = e0 &+ e; f0 = f0 &+ f; g0 = g0 &+ g; h0 = h0 &+ hh
                }
            }
        }
        h = [a0, b0, c0, d0, e0, f0, g0, h0]
    }
}
