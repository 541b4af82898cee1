import Foundation
import Testing
@testable import LecternBuild
@testable import LecternRunner

/// A failure never turns into a pass: end-to-end through the compiler.
@Suite(.serialized) struct FailureHonestyTests {
    @Test func exitInsideACellFailsThatCellAndTheChecksBelow() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        import Foundation
        print("before")
        exit(0)
        ```

        ```swift
        expect(1, 2)
        ```

        """])
        let r = try c.build(useCache: true)
        #expect(r.failed)
        #expect(r.diagnostics.contains { $0.kind == .exited && $0.line == 3 })
        #expect(r.failedCells == 1)
    }

    @Test func aCellThatDeletesTheCacheKeepsItsOutputAndFailures() throws {
        let c = try TempCourse([:])
        try c.write("01-a.md", """
        # A

        ```swift
        import Foundation
        print("still here")
        try FileManager.default.removeItem(atPath: "\(c.root)/.lectern-cache")
        expect(1, 2)
        ```

        """)
        let r = try c.build(useCache: true)
        #expect(!FileManager.default.fileExists(atPath: c.root + "/.lectern-cache/work"))
        #expect(r.diagnostics.contains { $0.kind == .expect }, "\(r.diagnostics)")
        #expect(c.read("a.html")?.contains("still here") == true)
    }

    @Test func anUnreadableClaimLiteralIsOneFailingClaimAndTheRestRuns() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        let x = 0.5
        ```

        Half is `{swift} x ≈ about a half`, and `{swift} x ≈ 1e400` overflows, but `{swift} -x ≈ −0.5` holds.

        """])
        let r = try c.build(useCache: true)
        let claims = r.diagnostics.filter { $0.kind == .claim }
        #expect(claims.count == 2, "\(r.diagnostics)")
        #expect(claims.contains { $0.message.contains("cannot read the number about a half") })
        #expect(claims.contains { $0.message.contains("cannot read the number 1e400") })
        guard case .claim(let last)? = r.runs.first?.run.inlines.last else { Issue.record("no claim"); return }
        #expect(last.passed && last.literal == "−0.5")
    }

    @Test func aBrokenSpanFailsAloneAndTheOthersOnItsLineStillRun() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        let x = 2.0
        print("cell ran")
        ```

        First `{swift} x * 2`, then `{swift} y + 1`, then `{swift} x / 4 ≈ 0.5`.

        """])
        let r = try c.build(useCache: true)
        let run = try #require(r.runs.first?.run)
        #expect(run.inlines[0] == .value("4"))
        guard case .failed(let d) = run.inlines[1] else { Issue.record("span 2 did not fail: \(run.inlines[1])"); return }
        // The error is at the broken span (column 30 is its `{swift}`), not at the first span of the line.
        #expect(d.map(\.line) == [8] && d.map(\.column) == [30], "\(d)")
        #expect(d.first?.message.contains("'y'") == true)
        guard case .claim(let claim) = run.inlines[2] else { Issue.record("claim not checked: \(run.inlines[2])"); return }
        #expect(claim.passed)
        #expect(c.read("a.html")?.contains("cell ran") == true)
    }
}
