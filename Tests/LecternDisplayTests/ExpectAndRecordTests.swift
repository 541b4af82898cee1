import Foundation
import Testing
@testable import LecternDisplay

@Suite struct ExpectTests {
    @Test func passAndFail() {
        let recs = collectRecords {
            #expect(expect(2.0, 2.0))
            #expect(!expect(2.0001, 2, file: "Lectures/06-eigen.md", line: 12))
            #expect(expect(1.0 + 1e-10, 1.0))
            #expect(expect(0, 1e-13))  // atol
        }
        #expect(recs.count == 4)
        guard case let .check(c) = recs[1] else {
            Issue.record("not a check"); return
        }
        #expect(!c.passed)
        #expect(c.message == "expected 2, got 2.0001 (rtol 1e-9, atol 1e-12)")
        #expect(c.file == "Lectures/06-eigen.md")
        #expect(c.line == 12)
        #expect(c.actual == "2.0001")
        #expect(c.expected == "2")
    }

    @Test func overloads() {
        #expect(Expectation.compare(exactly: 3, 3).passed)
        #expect(!Expectation.compare(exactly: true, false).passed)
        #expect(Expectation.compare([1, 2], [1, 2 + 1e-12], rtol: 1e-9, atol: 0).passed)
        let v = Expectation.compare([1, 2.5], [1, 2], rtol: 1e-9, atol: 1e-12)
        #expect(!v.passed)
        #expect(v.message.contains("index 1: expected 2, got 2.5"))
        let c = Expectation.compare(Complex(0, 1), Complex(1e-13, 1), rtol: 1e-9, atol: 1e-12)
        #expect(c.passed)
    }

    @Test func shapeMismatch() {
        let a: Matrix = [[1, 2], [3, 4]]
        let b = Matrix(rows: 3, cols: 3)
        let r = Expectation.compare(a, b, rtol: 1e-9, atol: 1e-12)
        #expect(!r.passed)
        #expect(r.message == "shape mismatch: expected 3×3, got 2×2")
        let l = Expectation.compare([1.0], [1.0, 2.0], rtol: 1e-9, atol: 1e-12)
        #expect(l.message == "shape mismatch: expected length 2, got length 1")
        let m = Expectation.compare(a, [[1, 2], [3, 5]], rtol: 1e-9, atol: 1e-12)
        #expect(m.message.contains("first at (1, 1): expected 5, got 4"))
    }

    @Test func nanNeverPasses() {
        #expect(!isClose(Double.nan, Double.nan))
        #expect(isClose(Double.infinity, Double.infinity))
    }
}

@Suite struct RecordTests {
    static let samples: [DisplayRecord] = [
        .cellStart(.init(index: 0, out: 0)),
        .inline(.init(index: 2, text: "0.59", out: 10)),
        .claim(.init(index: 1, literal: "0.59", value: .nan, text: "NaN", passed: false, message: "m", out: -1)),
        .claim(.init(index: 1, literal: "2", value: .infinity, text: "∞", passed: false, message: "m", out: -1)),
        .value(.init(label: "ρ(W)", text: "0.9", latex: "0.9", out: 3)),
        .value(.init(label: nil, text: "x\ny", latex: nil, out: 3)),
        .matrix(.init(label: nil, kind: .matrix, rows: [["1", "0"], ["0", "1"]], latex: "\\begin{pmatrix}…", out: 5)),
        .table(.init(headers: ["L", "bound"], rows: [["1", "0.9"]], alignments: [.right, .right], caption: "c", out: 7)),
        .figure(.init(id: "f1", title: "t", svg: "<svg/>", standalone: "<svg/>", caption: nil, alt: "a", out: 9)),
        .math(.init(latex: "\\lambda", out: 1)), .text(.init(text: "hello", out: 1)),
        .check(.init(passed: true, message: "ok", file: "a.md", line: 3, column: nil, actual: "1", expected: "1", rule: "r", out: 2)),
        .error(.init(message: "boom", type: "E", file: "a.md", line: 4, out: 11)),
        .cellEnd(.init(index: 0, out: 12)),
    ]

    @Test func roundTrip() throws {
        for r in Self.samples {
            let line = r.jsonLine()
            #expect(!line.contains("\n"))
            let back = try DisplayRecord.decode(jsonLine: line)
            if case let .claim(c) = r, c.value.isNaN {
                guard case let .claim(w) = back else { Issue.record("kind"); continue }
                #expect(w.value.isNaN)
            } else {
                #expect(back == r)
            }
        }
    }

    @Test func jsonShape() {
        #expect(DisplayRecord.cellStart(.init(index: 3, out: 17)).jsonLine() == #"{"cellStart":{"index":3,"out":17}}"#)
        #expect(DisplayRecord.math(.init(latex: "a/b", out: -1)).jsonLine() == #"{"math":{"latex":"a/b","out":-1}}"#)
    }

    @Test func readerToleratesTruncatedLastLine() throws {
        let full = Self.samples.filter { if case .claim = $0 { false } else { true } }
        var text = full.map { $0.jsonLine() + "\n" }.joined()
        text += "\n" + String(DisplayRecord.text(.init(text: "cut", out: 1)).jsonLine().prefix(12))
        #expect(try RecordReader.decode(Data(text.utf8)) == full)
        // a broken line in the middle is an error
        #expect(throws: RecordReader.BadLine.self) {
            try RecordReader.decode(Data(("{oops\n" + full[0].jsonLine() + "\n").utf8))
        }
    }

    @Test func fileSinkAndOffsets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-\(getpid())-\(UInt64.random(in: 0..<UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let recPath = dir.appendingPathComponent("records.jsonl").path
        let outPath = dir.appendingPathComponent("stdout.txt").path
        let outFD = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(outFD >= 0)
        defer { close(outFD) }
        let sink = try #require(FileSink(path: recPath))
        #expect(DisplayRuntime.outputOffset(fd: outFD) == 0)
        _ = "hello\n".withCString { write(outFD, $0, 6) }
        sink.write(.cellStart(.init(index: 0, out: DisplayRuntime.outputOffset(fd: outFD))))
        _ = "abc".withCString { write(outFD, $0, 3) }
        sink.write(.cellEnd(.init(index: 0, out: DisplayRuntime.outputOffset(fd: outFD))))
        let recs = try RecordReader.read(path: recPath)
        #expect(recs == [.cellStart(.init(index: 0, out: 6)), .cellEnd(.init(index: 0, out: 9))])
        // a pipe is not seekable
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        #expect(DisplayRuntime.outputOffset(fd: fds[1]) == -1)
        close(fds[0]); close(fds[1])
    }

    @Test func showEmitsRecords() {
        let recs = collectRecords {
            show(0.5)
            show("ρ(W)", 0.9)
            show([Complex(0, 1), Complex(0, -1)])
            show(Matrix([[1, 1], [1, 1]]), label: "W")
            var t = Table("L", "bound", "note")
            t.row(1, 0.9, "x")
            t.row(10, 0.348678440100000)
            show(t, caption: "Bound")
            math("x^2")
            _lecternInline(0, 2.0)
            _lecternInline(1, [1, 2])
            _lecternClaim(2, 0.5912, literal: "0.59")
        }
        let stripped = recs.map { $0.with(out: 0) }
        #expect(stripped[0] == .value(.init(label: nil, text: "0.5", latex: "0.5", out: 0)))
        #expect(stripped[1] == .value(.init(label: "ρ(W)", text: "0.9", latex: "0.9", out: 0)))
        #expect(stripped[2] == .matrix(.init(label: nil, kind: .vector, rows: [["i", "-i"]],
                                       latex: "\\begin{pmatrix} \\mathrm{i} \\\\ -\\mathrm{i} \\end{pmatrix}", out: 0)))
        guard case let .matrix(m) = stripped[3] else { Issue.record(); return }
        #expect(m.label == "W" && m.kind == .matrix && m.rows == [["1", "1"], ["1", "1"]])
        #expect(stripped[4] == .table(.init(headers: ["L", "bound", "note"], rows: [["1", "0.9", "x"], ["10", "0.348678", ""]],
                                      alignments: [.right, .right, .left], caption: "Bound", out: 0)))
        #expect(stripped[5] == .math(.init(latex: "x^2", out: 0)))
        #expect(stripped[6] == .inline(.init(index: 0, text: "2", out: 0)))
        #expect(stripped[7] == .inline(.init(index: 1, text: "[1, 2]", out: 0)))
        guard case .claim(let c) = stripped[8], c.index == 2, c.literal == "0.59", c.text == "0.5912", c.passed else {
            Issue.record("claim"); return
        }
    }
}
