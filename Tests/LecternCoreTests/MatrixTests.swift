import Testing
@testable import LecternCore

@Test func literalIsRowMajorToTheCaller() {
    let m: Matrix = [[1, 2, 3], [4, 5, 6]]
    #expect(m.rows == 2 && m.cols == 3)
    #expect(m[0, 2] == 3 && m[1, 0] == 4)
    #expect(m.columnMajor == [1, 4, 2, 5, 3, 6])
}
