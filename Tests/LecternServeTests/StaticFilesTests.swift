import Foundation
import Testing
@testable import LecternServe

/// Path resolution: what is served, and everything that must be refused.
@Suite struct StaticFilesTests {
    /// <tmp>/site is served; <tmp>/secret.txt is outside it.
    final class Site {
        let dir: TempDirectory
        let files: StaticFiles
        var root: String { dir.path + "/site" }
        var real: String { StaticFiles.realPath(root)! }

        init() throws {
            dir = try TempDirectory()
            try dir.write("secret.txt", "TOP SECRET")
            try dir.write("site/index.html", "<h1>index</h1>")
            try dir.write("site/a.html", "<p>a</p>")
            try dir.write("site/a.md", "# a")
            try dir.write("site/assets/lectern.css", "body{}")
            try dir.write("site/fig/index.html", "figures")
            try dir.write("site/fig/1.svg", "<svg/>")
            try dir.write("site/.lectern-manifest", "*\tindex.html")
            try dir.write("site/%2e%2e", "a file literally named %2e%2e")
            files = StaticFiles(root: dir.path + "/site")
        }
    }

    @Test func servesFilesWithTheirTypes() throws {
        let s = try Site()
        #expect(s.files.resolve("/a.html") == .file(path: s.real + "/a.html", contentType: "text/html; charset=utf-8"))
        #expect(s.files.resolve("/a.md") == .file(path: s.real + "/a.md", contentType: "text/markdown; charset=utf-8"))
        #expect(s.files.resolve("/assets/lectern.css") == .file(path: s.real + "/assets/lectern.css", contentType: "text/css; charset=utf-8"))
        #expect(s.files.resolve("/fig/1.svg") == .file(path: s.real + "/fig/1.svg", contentType: "image/svg+xml"))
        #expect(s.files.resolve("/a%2Ehtml") == .file(path: s.real + "/a.html", contentType: "text/html; charset=utf-8"))
    }

    @Test func contentTypes() {
        #expect(StaticFiles.contentType(for: "x.js") == "text/javascript; charset=utf-8")
        #expect(StaticFiles.contentType(for: "x.woff2") == "font/woff2")
        #expect(StaticFiles.contentType(for: "x.png") == "image/png")
        #expect(StaticFiles.contentType(for: "x.json") == "application/json")
        #expect(StaticFiles.contentType(for: "x.MD") == "text/markdown; charset=utf-8")
        #expect(StaticFiles.contentType(for: "x.bin") == "application/octet-stream")
    }

    @Test func rootAndFoldersServeTheirIndex() throws {
        let s = try Site()
        #expect(s.files.resolve("/") == .file(path: s.real + "/index.html", contentType: "text/html; charset=utf-8"))
        #expect(s.files.resolve("/fig/") == .file(path: s.real + "/fig/index.html", contentType: "text/html; charset=utf-8"))
        #expect(s.files.resolve("/fig") == .redirect(location: "/fig/"))
        #expect(s.files.resolve("/assets/") == .notFound)  // a folder without index.html
        #expect(s.files.resolve("/missing.html") == .notFound)
    }

    @Test func dotSegmentsAreRefusedHoweverWritten() throws {
        let s = try Site()
        for path in ["/../secret.txt", "/..", "/a/../../secret.txt", "/./a.html", "/fig/../a.html",
                     "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2E%2e/secret.txt", "/.%2e/secret.txt",
                     "/%2e%2e", "/fig/%2e%2e/%2e%2e/secret.txt", "/%2e/a.html"] {
            #expect(s.files.resolve(path) == .forbidden, "\(path)")
        }
    }

    @Test func encodedSlashesBackslashesAndNULAreRefused() throws {
        let s = try Site()
        for path in ["/..%2fsecret.txt", "/%2F..%2Fsecret.txt", "/fig%2f1.svg", "/..\\secret.txt", "/\\..\\secret.txt",
                     "/%5c..%5csecret.txt", "/a.html\u{0}", "/a.html%00", "/a.html%00.png"] {
            #expect(s.files.resolve(path) == .forbidden, "\(path.debugDescription)")
        }
    }

    @Test func absoluteAndMalformedPathsAreRefused() throws {
        let s = try Site()
        for path in ["", "a.html", "secret.txt", "//etc/passwd", "/fig//1.svg", "http://127.0.0.1/a.html",
                     "/%zz", "/%", "/a%2"] {
            #expect(s.files.resolve(path) == .forbidden, "\(path)")
        }
        // An absolute path after the root is a path under the root, not the file system's.
        #expect(s.files.resolve(s.dir.path + "/secret.txt") == .notFound)
    }

    @Test func doubleEncodingIsDecodedOnce() throws {
        let s = try Site()
        // %252e%252e is the name "%2e%2e", never "..".
        #expect(s.files.resolve("/%252e%252e/secret.txt") == .notFound)
        #expect(s.files.resolve("/%252e%252e") == .file(path: s.real + "/%2e%2e", contentType: "application/octet-stream"))
        #expect(s.files.resolve("/%252f") == .notFound)
    }

    @Test func hiddenFilesAreNotServed() throws {
        let s = try Site()
        #expect(s.files.resolve("/.lectern-manifest") == .notFound)
        #expect(s.files.resolve("/%2electern-manifest") == .notFound)
        #expect(s.files.resolve("/.hidden/") == .notFound)
    }

    @Test func symlinkPointingOutsideIsRefused() throws {
        let s = try Site()
        let fileManager = FileManager.default
        try fileManager.createSymbolicLink(atPath: s.root + "/leak.txt", withDestinationPath: s.dir.path + "/secret.txt")
        try fileManager.createSymbolicLink(atPath: s.root + "/up", withDestinationPath: s.dir.path)
        try fileManager.createSymbolicLink(atPath: s.root + "/etc", withDestinationPath: "/etc")
        #expect(s.files.resolve("/leak.txt") == .forbidden)
        #expect(s.files.resolve("/up/secret.txt") == .forbidden)
        #expect(s.files.resolve("/up/") == .forbidden)
        #expect(s.files.resolve("/etc/passwd") == .forbidden)
        // A folder inside whose index.html points outside.
        try fileManager.createDirectory(atPath: s.root + "/trap", withIntermediateDirectories: true)
        try fileManager.createSymbolicLink(atPath: s.root + "/trap/index.html", withDestinationPath: s.dir.path + "/secret.txt")
        #expect(s.files.resolve("/trap/") == .forbidden)
    }

    @Test func symlinkPointingInsideIsServed() throws {
        let s = try Site()
        let fileManager = FileManager.default
        try fileManager.createSymbolicLink(atPath: s.root + "/latest.html", withDestinationPath: "a.html")
        try fileManager.createSymbolicLink(atPath: s.root + "/figures", withDestinationPath: s.root + "/fig")
        #expect(s.files.resolve("/latest.html") == .file(path: s.real + "/a.html", contentType: "text/html; charset=utf-8"))
        #expect(s.files.resolve("/figures/1.svg") == .file(path: s.real + "/fig/1.svg", contentType: "image/svg+xml"))
    }

    @Test func servedRootMayItselfBeASymlink() throws {
        let s = try Site()
        let link = s.dir.path + "/served"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: s.root)
        let files = StaticFiles(root: link)
        #expect(files.resolve("/a.html") == .file(path: s.real + "/a.html", contentType: "text/html; charset=utf-8"))
        #expect(files.resolve("/../secret.txt") == .forbidden)
    }

    @Test func missingRootServesNothing() {
        let files = StaticFiles(root: "/nonexistent-lectern-\(UUID().uuidString)")
        #expect(files.resolve("/") == .notFound)
        #expect(files.resolve("/../etc/passwd") == .forbidden)
    }
}
