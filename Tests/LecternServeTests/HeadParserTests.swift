import Foundation
import Testing
@testable import LecternServe

/// Request heads parsed from bytes, without sockets: limits, line endings,
/// pipelining and malformed heads.
@Suite struct HeadParserTests {
    /// Feeds `text` in pieces of `piece` bytes; the heads found and the error that ended it, if any.
    func parse(_ text: String, piece: Int = 7, limits: ServeLimits = ServeLimits()) -> ([RequestHead], HeadError?) {
        var parser = HeadParser(limits: limits)
        var heads: [RequestHead] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + piece, bytes.count)])
            i += piece
            chunk.withUnsafeBytes { parser.append($0) }
            do {
                while let head = try parser.next() { heads.append(head) }
            } catch {
                return (heads, error)
            }
        }
        return (heads, nil)
    }

    @Test func headsInPiecesAndPipelined() {
        let (heads, error) = parse("GET /a.html?x=1 HTTP/1.1\r\nHost: h\r\nAccept:  text/html \r\n\r\n\r\nHEAD / HTTP/1.0\nConnection: keep-alive\n\n")
        #expect(error == nil)
        #expect(heads.count == 2)
        #expect(heads.first?.path == "/a.html" && heads.first?.target == "/a.html?x=1")
        #expect(heads.first?.header("accept") == "text/html")
        #expect(heads.first?.keepAlive == true)
        #expect(heads.last?.method == "HEAD" && heads.last?.minorVersion == 0 && heads.last?.keepAlive == true)
        #expect(parse("GET / HTTP/1.0\r\n\r\n").0.first?.keepAlive == false)
        #expect(parse("GET / HTTP/1.1\r\nConnection: Keep-Alive, Close\r\n\r\n").0.first?.keepAlive == false)
    }

    @Test func requestLineLimit() {
        let atLimit = "GET /" + String(repeating: "a", count: 8192 - "GET / HTTP/1.1".count) + " HTTP/1.1"
        #expect(atLimit.utf8.count == 8192)
        #expect(parse(atLimit + "\r\n\r\n").0.count == 1)
        #expect(parse("GET /a" + atLimit.dropFirst(5) + "\r\n\r\n").1 == .requestLineTooLong)
        // Refused before the line ends: no waiting for the rest of a megabyte.
        #expect(parse("GET /" + String(repeating: "a", count: 8200), piece: 4096).1 == .requestLineTooLong)
        // Blank lines before the request line count towards it.
        #expect(parse(String(repeating: "\r\n", count: 5000)).1 == .requestLineTooLong)
    }

    @Test func headerLimits() {
        let line = "GET / HTTP/1.1\r\n"
        #expect(parse(line + String(repeating: "X: 1\r\n", count: 100) + "\r\n").0.count == 1)
        #expect(parse(line + String(repeating: "X: 1\r\n", count: 101) + "\r\n").1 == .headersTooLarge)
        #expect(parse(line + "X: " + String(repeating: "v", count: 70_000), piece: 4096).1 == .headersTooLarge)
        var small = ServeLimits()
        small.maxHeaderBytes = 25  // header lines with their line ends
        #expect(parse(line + "X: 12345678\r\nY: 1234567\r\n\r\n", limits: small).0.count == 1)
        #expect(parse(line + "X: 12345678\r\nY: 12345678\r\n\r\n", limits: small).1 == .headersTooLarge)
    }

    @Test func malformedHeadsAreRefused() {
        for bad in ["GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n",
                    "GET / HTTX/1.1\r\n\r\n", "GET /\u{7F} HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                    "GET / HTTP/1.1\r\nName : v\r\n\r\n", "GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n",
                    "GET / HTTP/1.1\r\n: v\r\n\r\n"] {
            #expect(parse(bad).1 == .malformed, "\(bad.debugDescription)")
        }
        #expect(parse("GET / HTTP/2.0\r\n\r\n").1 == .versionNotSupported)
        #expect(HeadError.requestLineTooLong.status.code == 414)
        #expect(HeadError.headersTooLarge.status.code == 431)
    }

    @Test func bodiesAreNoticed() {
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").0.first?.hasBody == false)
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").0.first?.hasBody == true)
        #expect(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").0.first?.hasBody == true)
    }
}
