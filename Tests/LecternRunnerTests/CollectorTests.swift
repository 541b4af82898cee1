import Foundation
import Testing
@testable import LecternRunner
import LecternDocument
import LecternRecords
import LecternResults

/// The collector on raw runs made by hand: what a program would have left
/// behind, without compiling anything.
@Suite struct CollectorTests {
    // Cell 0 at lines 3-5 (code line 4), cell 1 at lines 7-9 (code line 8), cell 2 at 11-13.
    static let source = "# T\n\n```swift\nprint(\"a\")\n```\n\n```swift\nprint(\"b\")\n```\n\n```swift\nprint(\"c\")\n```\n"
    let doc = lecture(CollectorTests.source)

    func raw(_ records: [DisplayRecord], stdout: String = "", status: Int32 = 0, stderr: String = "") -> RawRun {
        var r = RawRun(timeout: 60, lines: Executor.lines(doc))
        r.records = records
        r.stdout = Data(stdout.utf8)
        r.status = status
        r.stderr = stderr
        r.programRan = true
        return r
    }

    func start(_ i: Int, _ out: Int) -> DisplayRecord { .cellStart(.init(index: i, out: out)) }
    func end(_ i: Int, _ out: Int) -> DisplayRecord { .cellEnd(.init(index: i, out: out)) }

    @Test func printedTextIsSplitByOffsets() {
        // "a\n" is bytes 0..<2, "b\n" 2..<4, "c\n" 4..<6.
        let run = Collector(document: doc).collect(raw([start(0, 0), end(0, 2), start(1, 2), end(1, 4), start(2, 4), end(2, 6)],
                                                       stdout: "a\nb\nc\n"))
        #expect(run.cells.map(\.outputs) == [[.text("a\n")], [.text("b\n")], [.text("c\n")]])
        #expect(run.cells.map(\.status) == [.ok, .ok, .ok])
        #expect(run.failures(doc).isEmpty)
    }

    @Test func aFailedExpectFailsItsCellAsAnExpectDiagnostic() {
        let check = DisplayRecord.check(.init(passed: false, message: "expected 2, got 3", file: doc.path, line: 8,
                                              column: 5, actual: "3", expected: "2", rule: "exact", out: 2))
        let run = Collector(document: doc).collect(raw([start(0, 0), end(0, 2), start(1, 2), check, end(1, 2),
                                                        start(2, 2), end(2, 2)], stdout: "a\n"))
        let d = Diagnostic(.error, .expect, file: doc.path, line: 8, column: 5, "expected 2, got 3")
        #expect(run.cells[1].status == .failed([d]))
        #expect(run.cells[1].problems.isEmpty)  // the expect is among the outputs, nothing else went wrong
        #expect(run.failures(doc) == [d])
        #expect(d.description == "Lectures/01-test.md:8:5: error: expected 2, got 3")
    }

    @Test func aTrapIsPlacedAtTheLineTheBacktraceNames() {
        let stderr = "Fatal error: Index out of range\nat Lectures/01-test.md:8:3 in main\n"
        let run = Collector(document: doc).collect(raw([start(0, 0), end(0, 0), start(1, 0)], status: 132, stderr: stderr))
        #expect(run.cells[1].status == .failed([Diagnostic(.error, .crash, file: doc.path, line: 8,
                                                          "Fatal error: Index out of range")]))
        #expect(run.cells[2].status == .notRun)
    }

    @Test func aTimeoutNamesTheCellThatWasRunning() {
        var r = raw([start(0, 0)], status: 9)
        r.timedOut = true
        r.timeout = 2
        let run = Collector(document: doc).collect(r)
        guard case .failed(let d) = run.cells[0].status else { Issue.record("not failed"); return }
        #expect(d.map(\.kind) == [.timeout])
        #expect(d[0].line == 3)  // no backtrace line: the cell's fence
        #expect(d[0].message == "timed out after 2 s while running cell 1 (Lectures/01-test.md:3); the program was stopped")
    }

    @Test func exitingWithStatusZeroInsideACellIsAFailure() {
        // `exit(0)` in cell 1: no cellEnd, clean status, cell 2 never starts.
        let run = Collector(document: doc).collect(raw([start(0, 0), end(0, 0), start(1, 0)]))
        guard case .failed(let d) = run.cells[1].status else { Issue.record("not failed"); return }
        #expect(d.map(\.kind) == [.exited])
        #expect(run.cells[2].status == .notRun)
        #expect(run.failures(doc).count == 1)
    }

    @Test func recordsWithIndicesTheLectureDoesNotHaveAreProblemsNotCrashes() {
        let run = Collector(document: doc).collect(raw([start(-1, 0), start(7, 0), .inline(.init(index: -3, text: "x")),
                                                        .claim(.init(index: 99, literal: "1", value: 1, text: "1",
                                                                     passed: true, message: "")),
                                                        start(0, 0), end(0, 0), start(1, 0), end(1, 0), start(2, 0), end(2, 0)]))
        #expect(run.problems.count == 4)
        #expect(run.problems.allSatisfy { $0.kind == .records && $0.severity == .error })
        #expect(run.cells.map(\.status) == [.ok, .ok, .ok])
    }

    @Test func anUnreadableRecordsLineIsAnErrorAndTheRecordsBeforeItCount() {
        let text = start(0, 0).jsonLine() + "\n" + "garbage\n" + end(0, 0).jsonLine() + "\n"
        let contents = RecordReader.contents(of: Data(text.utf8))
        #expect(contents.records.count == 2)
        #expect(contents.badLines.map(\.lineNumber) == [2])
        var r = raw(contents.records)
        r.badRecords = contents.badLines
        let run = Collector(document: doc).collect(r)
        #expect(run.problems.map(\.kind) == [.records])
        #expect(run.failures(doc).hasErrors)
    }

    @Test func compileErrorsFailTheirCellAndTheCellsBelowDoNotRun() {
        var r = RawRun(timeout: 60, lines: Executor.lines(doc))
        r.compileOutput = "Lectures/01-test.md:8:1: error: cannot find 'prnt' in scope\n"
        r.compileErrors = CompilerOutput.errors(r.compileOutput, path: doc.path)
        r.brokenCells = [1]
        r.ranUpTo = 1
        // The program cut above cell 1 ran cell 0.
        r.records = [start(0, 0), end(0, 2)]
        r.stdout = Data("a\n".utf8)
        r.programRan = true
        let run = Collector(document: doc).collect(r)
        #expect(run.cells[0].status == .ok)
        #expect(run.cells[1].status == .failed([Diagnostic(.error, .compile, file: doc.path, line: 8, column: 1,
                                                          "cannot find 'prnt' in scope")]))
        #expect(run.cells[2].status == .notRun)
    }

    @Test func aProgramThatDoesNotCompileOutsideAnyCellKeepsTheCompilersWords() {
        var r = RawRun(timeout: 60, lines: Executor.lines(doc))
        r.compileOutput = "<unknown>:0: error: unable to load standard library\n"
        let run = Collector(document: doc).collect(r)
        #expect(run.problems.map(\.kind) == [.compile])
        #expect(run.problems[0].description
                == "Lectures/01-test.md: error: the lecture program does not compile:\n<unknown>:0: error: unable to load standard library")
    }

    @Test func aProgramThatCouldNotStartIsAFailure() {
        var r = RawRun(timeout: 60, lines: Executor.lines(doc))
        r.launchError = "posix_spawn failed: No such file or directory"
        let run = Collector(document: doc).collect(r)
        #expect(run.problems.map(\.kind) == [.launch])
        #expect(run.cells.map(\.status) == [.notRun, .notRun, .notRun])
    }
}

@Suite struct CompilerOutputTests {
    @Test func onlyErrorLinesThatNameTheLectureAreRead() {
        let text = """
        Lectures/01-test.md:8:12: error: cannot convert value of type 'Int' to expected argument type 'String'
         6 | let x = 1
           |            `- error: cannot convert
        Lectures/01-test.md:9:1: warning: variable 'y' was never used
        Lectures/01-test.md:14: error: no column here: still read
        /tmp/other.swift:3:1: error: another file
        """
        let d = CompilerOutput.errors(text, path: "Lectures/01-test.md")
        #expect(d.map(\.line) == [8, 14])
        #expect(d.map(\.column) == [12, 0])
        #expect(d[0].message == "cannot convert value of type 'Int' to expected argument type 'String'")
        #expect(d[1].message == "no column here: still read")
        #expect(d.allSatisfy { $0.kind == .compile })
    }
}

@Suite struct BoundedOutputTests {
    let doc = lecture(CollectorTests.source)

    @Test func compactingKeepsWhatTheCollectorShows() {
        // Cell 0 prints 3 MB, cell 1 prints "b\n", cell 2 prints nothing.
        let big = String(repeating: "x", count: 3 << 20)
        var raw = RawRun(timeout: 60, lines: Executor.lines(doc))
        raw.stdout = Data((big + "b\n").utf8)
        let n = big.utf8.count
        raw.records = [.cellStart(.init(index: 0, out: 0)), .cellEnd(.init(index: 0, out: n)),
                       .cellStart(.init(index: 1, out: n)), .cellEnd(.init(index: 1, out: n + 2)),
                       .cellStart(.init(index: 2, out: n + 2)), .cellEnd(.init(index: 2, out: n + 2))]
        raw.programRan = true
        let compacted = Collector.compacted(raw)
        #expect(compacted.stdout.count == Collector.cellOutputCap + 1 + 2)
        let c = Collector(document: doc)
        #expect(c.collect(compacted) == c.collect(raw))
        guard case .text(let shown) = c.collect(compacted).cells[0].outputs.first else { Issue.record("no text"); return }
        #expect(shown.hasSuffix("\n… output cut at 1024 KB\n"))
    }

    @Test func controlCharactersAreShownNotPrinted() {
        var raw = RawRun(timeout: 60, lines: Executor.lines(doc))
        raw.stdout = Data([0x41, 0x00, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x09, 0x0A])  // "A\0\e[31m\t\n"
        raw.records = [.cellStart(.init(index: 0, out: 0)), .cellEnd(.init(index: 0, out: 9)),
                       .cellStart(.init(index: 1, out: 9)), .cellEnd(.init(index: 1, out: 9)),
                       .cellStart(.init(index: 2, out: 9)), .cellEnd(.init(index: 2, out: 9))]
        raw.programRan = true
        #expect(Collector(document: doc).collect(raw).cells[0].outputs == [.text("A\u{2400}\u{241B}[31m\t\n")])
    }

    @Test func failuresOfTheMachineAreNotCached() {
        var timedOut = RawRun(timeout: 1)
        timedOut.timedOut = true
        #expect(!timedOut.isCacheable)
        var killed = RawRun(timeout: 60)
        killed.signal = SIGKILL
        killed.status = 137
        #expect(!killed.isCacheable)
        var compilerDied = RawRun(timeout: 60)
        compilerDied.compileOutput = "swiftc exited with status 139"
        #expect(!compilerDied.isCacheable)
        var wrongCode = RawRun(timeout: 60)
        wrongCode.compileOutput = "Lectures/01-test.md:4:1: error: x\n"
        wrongCode.compileErrors = CompilerOutput.errors(wrongCode.compileOutput, path: "Lectures/01-test.md")
        #expect(wrongCode.isCacheable)
        var failedExpect = RawRun(timeout: 60)
        failedExpect.records = [.check(.init(passed: false, message: "m", file: "f", line: 1, column: nil,
                                             actual: "1", expected: "2", rule: "exact"))]
        #expect(failedExpect.isCacheable && !failedExpect.isClean)
    }

    @Test func aProgramKilledWithoutHittingTheOutputCapIsReportedAsKilled() {
        var raw = RawRun(timeout: 60, lines: Executor.lines(doc))
        raw.records = [.cellStart(.init(index: 0, out: 0))]
        raw.signal = SIGKILL
        raw.status = 137
        raw.programRan = true
        guard case .failed(let d) = Collector(document: doc).collect(raw).cells[0].status else { Issue.record(); return }
        #expect(d.map(\.kind) == [.crash])
        #expect(d[0].message.contains("killed (SIGKILL)") && d[0].message.contains("memory"))
    }
}
