import Testing
@testable import LecternDisplay

@Suite struct FormatTests {
    @Test(arguments: [
        (1.0 / 3.0, "0.333333"), (2.0, "2"), (-0.0, "0"), (0.0, "0"), (1e-7, "1e-7"),
        (123456789.0, "1.23457e8"), (1.5e-7, "1.5e-7"), (2.3e12, "2.3e12"), (-2.5, "-2.5"),
        (0.0001, "0.0001"), (100000.0, "100000"), (1e6, "1e6"), (0.1 + 0.2, "0.3"),
        (Double.nan, "NaN"), (Double.infinity, "∞"), (-Double.infinity, "-∞"), (1e300, "1e300"),
        (-1.0e-300, "-1e-300"), (0.9999995, "1"), (12.5, "12.5"),
    ])
    func scalar(_ x: Double, _ expected: String) {
        #expect(Format.number(x) == expected)
    }

    @Test func roundedToSignificantDigits() {
        // Hand-rounded decimals.
        #expect(Format.rounded(0.0009765625, digits: 3) == 0.000977)
        #expect(Format.rounded(123456, digits: 2) == 120000)
        #expect(Format.rounded(-0.0456, digits: 1) == -0.05)
        #expect(Format.rounded(2.0 / 3.0, digits: 4) == 0.6667)
        #expect(Format.rounded(9.996, digits: 3) == 10)
        #expect(Format.rounded(0, digits: 3) == 0)
        #expect(Format.rounded(.infinity, digits: 3) == .infinity)
    }

    @Test func objectZeroing() {
        #expect(Format.numbers([-2.22045e-16, 2]) == ["0", "2"])
        #expect(Format.numbers([1e-15, 1e-14]) == ["1e-15", "1e-14"])  // relative, not absolute
        #expect(Format.numbers([Double.nan, 1, -0.0]) == ["NaN", "1", "0"])
        #expect(Format.numbers([Double]()) == [])
        let m: Matrix = [[1, 1e-17], [-3e-13, 4]]
        #expect(Format.matrix(m) == [["1", "0"], ["0", "4"]])
    }

    @Test func complexNumbers() {
        let s = 0.5.squareRoot()
        #expect(Format.complex(Complex(s, s)) == "0.707107 + 0.707107i")
        #expect(Format.complex(Complex(0, -1)) == "-i")
        #expect(Format.complex(Complex(0, 2)) == "2i")
        #expect(Format.complex(Complex(3, -2)) == "3 - 2i")
        #expect(Format.complex(Complex(1, 1)) == "1 + i")
        #expect(Format.complex(Complex(-0.0, 0)) == "0")
        #expect(Format.complexes([Complex(1, 1e-17), Complex(-1e-16, 2)]) == ["1", "2i"])
        #expect(Format.complexes([Complex(0.9, 0.3), Complex(0.9, -0.3)]) == ["0.9 + 0.3i", "0.9 - 0.3i"])
    }

    @Test func latex() {
        #expect(Format.latex(1.5e-7) == "1.5 \\times 10^{-7}")
        #expect(Format.latex(1e6) == "10^{6}")
        #expect(Format.latex(.infinity) == "\\infty")
        #expect(Math.matrix([[1, 0], [0, 2]]) == "\\begin{pmatrix} 1 & 0 \\\\ 0 & 2 \\end{pmatrix}")
        #expect(Math.complex(Complex(0, -1)) == "-\\mathrm{i}")
        #expect(Math.complex(Complex(1, 2)) == "1 + 2\\mathrm{i}")
    }

    @Test func distinguishing() {
        #expect(Format.distinguishing(2.0000001, from: 2) == "2.0000001")
        #expect(Format.distinguishing(2.0001, from: 2) == "2.0001")
    }

    @Test func formattableText() {
        #expect(2.lecternText == "2")
        #expect([1.0, 1e-20].lecternText == "[1, 0]")
        #expect(Vector([0.5, 2]).lecternText == "[0.5, 2]")
        #expect(Matrix([[1, 2], [3, 4]]).lecternText == "[[1, 2], [3, 4]]")
        #expect(true.lecternText == "true")
    }
}

@Suite struct ClaimTests {
    @Test(arguments: [
        (0.594, "0.59", true), (0.596, "0.59", false), (0.586, "0.59", true), (0.584, "0.59", false),
        (2.4, "2", true), (2.6, "2", false), (1.5, "2", true),
        (1.04e-3, "1.0e-3", true), (1.06e-3, "1.0e-3", false), (0.96e-3, "1.0e-3", true),
        (-0.53, "-0.5", true), (-0.56, "-0.5", false), (3.1449e5, "3.14e5", true), (3.1451e5, "3.14e5", false),
        (0.595, "0.59", true), (Double.nan, "0.59", false), (0.5, ".5", true),
    ])
    func rule(_ value: Double, _ literal: String, _ passes: Bool) {
        #expect(Claim.check(value: value, literal: literal).passed == passes)
    }

    @Test func parse() throws {
        let l = try #require(Claim.parse("1.0e-3"))
        #expect(l.significantDigits == 2)
        #expect(abs(l.tolerance - 0.5e-4) < 1e-18)
        #expect(Claim.parse("abc") == nil)
        // Overflowing or non-finite literals are unreadable, not literals that hold for any value.
        #expect(Claim.parse("1e400") == nil)
        #expect(Claim.parse("1e-400") == nil)
        #expect(!Claim.check(value: 3, literal: "1e400").passed)
        // The forms the docs list: a Unicode minus and digit separators.
        #expect(Claim.parse("−0.59")?.value == -0.59)
        #expect(Claim.parse("1_200")?.value == 1200)
        #expect(Claim.parse("1_200")?.tolerance == 0.5)
        #expect(Claim.parse("1.2.3") == nil)
        #expect(Claim.parse("2")?.tolerance == 0.5)
    }

    @Test func messages() {
        #expect(Claim.check(value: 0.602134, literal: "0.59").message
                == "claim ≈ 0.59 does not hold: computed 0.6021 (needs |x − 0.59| ≤ 0.005)")
        #expect(Claim.check(value: 0.5912, literal: "0.59").message == "claim ≈ 0.59 holds: computed 0.5912")
        // a value just outside must not print as if inside
        let m = Claim.check(value: 0.59500001, literal: "0.59").message
        #expect(m.contains("0.59500001"))
        #expect(Claim.check(value: 1.06e-3, literal: "1.0e-3").message.hasSuffix("≤ 5e-5)"))
    }
}
