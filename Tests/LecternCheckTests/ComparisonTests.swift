import Foundation
import Testing
@testable import LecternCheck

@Suite struct NumberAwareComparisonTests {
    let tol = Tolerance.default

    func compare(_ e: String, _ a: String, _ t: Tolerance = .default) -> NumberAwareComparison.Mismatch? {
        NumberAwareComparison.compare(expected: e, actual: a, tolerance: t)
    }

    @Test func identicalAndTrailingWhiteSpace() {
        #expect(compare("a = 1\nb = 2\n", "a = 1   \nb = 2") == nil)
        #expect(compare("x\n\n\n", "x\n") == nil)
        #expect(compare("x\r\ny\r\n", "x\ny\n") == nil)
    }

    @Test func numberWithinToleranceIsAccepted() {
        // |2.000000001 - 2| = 1e-9 <= 1e-12 + 1e-9 * 2
        #expect(compare("spectral radius: 2", "spectral radius: 2.000000001") == nil)
        // 0.1 + 0.2 prints as 0.30000000000000004 in Swift.
        #expect(compare("sum 0.3", "sum 0.30000000000000004") == nil)
        // Near zero the absolute tolerance rules: 1e-13 vs 0.
        #expect(compare("residual 0", "residual 1e-13") == nil)
        #expect(compare("1.5e3", "1500") == nil)
    }

    @Test func wrongNumberNamesBothValuesAndTheRule() throws {
        let m = try #require(compare("eigenvalues: 0, 2", "eigenvalues: 0, 2.0001"))
        #expect(m.line == 0)
        #expect(m.column == 17)  // byte column of "2" in the expected line
        #expect(m.message == "expected 2, got 2.0001 (rtol 1e-09: |difference| 0.0001 > allowed 2e-09)")
        #expect(m.diff.isEmpty)
        let z = try #require(compare("r = 0", "r = 1e-6"))
        #expect(z.message == "expected 0, got 1e-6 (atol 1e-12: |difference| 1e-06 > allowed 1e-12)")
    }

    @Test func looserToleranceFromTheCellOrFrontMatter() {
        let loose = Tolerance(rtol: 1e-3, atol: 0)
        #expect(compare("loss 0.693", "loss 0.6931471805599453", loose) == nil)
        #expect(compare("loss 0.693", "loss 0.6931471805599453") != nil)
    }

    @Test func otherTextMustAgreeExactly() throws {
        let m = try #require(compare("det Q = -1 -> reflection", "det Q = -1 -> rotation"))
        #expect(m.message.hasPrefix("output differs"))
        #expect(m.column == 16)  // first differing byte: "e" of reflection
        #expect(compare("Rotation", "rotation") != nil)
        // A sign is part of the number: -1 vs 1 is a number mismatch.
        let s = try #require(compare("det = -1", "det = 1"))
        #expect(s.message.hasPrefix("expected -1, got 1"))
    }

    @Test func digitsInsideNamesAreText() throws {
        #expect(NumberAwareComparison.tokens("h1 = 3").filter(\.isNumber).count == 1)
        #expect(NumberAwareComparison.tokens("W_2: 0.5").filter(\.isNumber).count == 1)
        let m = try #require(compare("h1 = 3", "h2 = 3"))
        #expect(m.message.hasPrefix("output differs"))
    }

    @Test func tokensOfSignsExponentsAndOperators() {
        let numbers = NumberAwareComparison.tokens("x=-1.5e-3, y=.5; 3-2 (1+2i)").compactMap { t -> String? in
            if case .number(_, let text, _) = t { return text } else { return nil }
        }
        #expect(numbers == ["-1.5e-3", ".5", "3", "2", "1", "2"])
    }

    @Test func realignedColumnsStillMatch() {
        // A longer number shifts the padding of an aligned matrix.
        #expect(compare("   1  0.5\n  10    2", "  1  0.5000000001\n 10  2") == nil)
    }

    @Test func tablesCompareCellByCell() throws {
        let expected = """
        | rho | (rho)^10 |
        |----:|---------:|
        | 0.5 | 0.000976563 |
        | 1.1 | 2.59374 |
        """
        // Same values, other padding and dash counts.
        let actual = """
        | rho |    (rho)^10 |
        |----:|------------:|
        | 0.5 | 0.000976563 |
        | 1.1 |     2.59374 |
        """
        #expect(compare(expected, actual, Tolerance(rtol: 1e-5, atol: 0)) == nil)
        let wrong = actual.replacingOccurrences(of: "2.59374", with: "2.6")
        let m = try #require(compare(expected, wrong, Tolerance(rtol: 1e-5, atol: 0)))
        #expect(m.line == 3)
        #expect(m.message.hasPrefix("expected 2.59374, got 2.6"))
        // An alignment change is a text difference.
        #expect(compare("| a |\n|:--|\n| x |", "| a |\n|--:|\n| x |") != nil)
    }

    @Test func multiLineDifferencesComeWithADiff() throws {
        let m = try #require(compare("a\nb\nc\n", "a\nB\nc\nd\n"))
        #expect(m.line == 1)
        #expect(m.diff == ["  a", "+ B", "- b", "  c", "+ d"] || m.diff == ["  a", "- b", "+ B", "  c", "+ d"])
        #expect(m.message == "output differs: expected 3 lines, got 4")
    }

    @Test func toleranceRule() {
        // numpy.isclose(2.0000000019, 2, rtol=1e-9, atol=1e-12) is True; 2.0000000021 is not.
        #expect(tol.accepts(expected: 2, actual: 2.0000000019))
        #expect(!tol.accepts(expected: 2, actual: 2.0000000021))
        #expect(tol.accepts(expected: .infinity, actual: .infinity))
        #expect(!tol.accepts(expected: .infinity, actual: 1e308))
        #expect(tol.accepts(expected: .nan, actual: .nan))
    }
}
