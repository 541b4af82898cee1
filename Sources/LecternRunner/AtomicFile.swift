import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Files written whole or not at all: the bytes go to a temporary file in the
/// same folder, which is then renamed over the target. Not synced to disk:
/// Foundation's atomic writes `fsync` every file, which costs a rebuild tens
/// of milliseconds per file, and everything written so is either a cache entry
/// (checked when read) or a page `lectern build` can write again.
public enum AtomicFile {
    /// Writes `bytes` at `path`; false (nothing left behind) when it cannot.
    @discardableResult
    public static func write(_ path: String, _ bytes: some Collection<UInt8>) -> Bool {
        let tmp = "\((path as NSString).deletingLastPathComponent)/.\((path as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        guard create(tmp, bytes) else { return false }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            return false
        }
        return true
    }

    @discardableResult
    public static func write(_ path: String, _ text: String) -> Bool { write(path, text.utf8) }

    /// Writes `bytes` to a new file at `path` (open, write, close); false, and
    /// no file, when it cannot.
    public static func create(_ path: String, _ bytes: some Collection<UInt8>) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let ok = (bytes.withContiguousStorageIfAvailable { put(fd, UnsafeRawBufferPointer($0)) })
            ?? Array(bytes).withUnsafeBytes { put(fd, $0) }
        if close(fd) != 0 || !ok {
            unlink(path)
            return false
        }
        return true
    }

    private static func put(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < buf.count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
            #else
            let n = Darwin.write(fd, buf.baseAddress! + done, buf.count - done)
            #endif
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
