import CLecternSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every process a run starts (the compiler, the lecture program, whatever a
/// cell starts) ends when the run ends, however it ends. `ChildProcess`
/// starts each child through here:
///
/// - in a session of its own, with SIGKILL as its parent-death signal
///   (`lectern_spawn`), so the child dies with lectern, even on `kill -9`;
/// - when the child has ended (exit, crash, timeout), every process still in its
///   session is killed, whichever process group it moved to (Foundation's
///   `Process` gives each child one), before the child is reaped (its pid,
///   the session's id, cannot be reused meanwhile);
/// - `install()` makes lectern a child subreaper: a process that left the
///   session (`setsid`) and lost its parent comes to lectern instead of init.
///   It still carries the run's `LECTERN_RUN_ID` and is killed with that run;
///   one that cleared its environment is killed when no run is left;
/// - on SIGINT, SIGTERM and SIGHUP (unless ignored, as under `nohup`) a thread
///   kills every running tree and exits with 128 + the signal. The handler
///   only writes to a pipe.
///
/// What remains possible: when lectern is killed with SIGKILL, the lecture
/// program dies, but what it started is adopted by init and keeps running.
public enum ProcessReaper {
    /// The environment variable naming a child's run (inherited by what it starts).
    public static let runVariable = "LECTERN_RUN_ID"

    /// Once, when a command starts: subreaper, and the signals that stop lectern.
    public static func install() {
        guard signalPipe < 0 else { return }
        subreaper = lectern_become_subreaper() == 0
        var fds: [Int32] = [-1, -1]
        guard fds.withUnsafeMutableBufferPointer({ pipe($0.baseAddress!) }) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let readEnd = fds[0]
        signalPipe = fds[1]
        let thread = Thread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) != 1 {}
            terminate(status: Int32(byte))
        }
        thread.name = "lectern signals"
        thread.start()
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            lectern_catch_signal(sig, { sig in ProcessReaper.exitFromSignalHandler(128 + sig) }, sig == SIGHUP ? 1 : 0)
        }
    }

    /// Safe in a signal handler: has the signal thread kill every running tree
    /// and exit with `status` (at once when `install()` was not called).
    public static func exitFromSignalHandler(_ status: Int32) {
        var byte = UInt8(truncatingIfNeeded: status)
        if signalPipe < 0 || write(signalPipe, &byte, 1) != 1 { _exit(status) }
    }

    struct Run {
        var pid: pid_t
        var token: String
    }

    final class Registry: @unchecked Sendable {
        let lock = NSLock()
        /// Running children: pid -> run id.
        var runs: [pid_t: String] = [:]
    }

    static let registry = Registry()
    nonisolated(unsafe) static var subreaper = false
    nonisolated(unsafe) static var signalPipe: Int32 = -1

    /// Starts a child (see `lectern_spawn`) and registers it; under the lock, so
    /// that once lectern is stopping no child starts unseen.
    static func spawn(_ path: String, argv: [UnsafeMutablePointer<CChar>?], envp: [UnsafeMutablePointer<CChar>?],
                      token: String, fds: (Int32, Int32, Int32)) throws -> Run {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        let pid = lectern_spawn(path, argv, envp, fds.0, fds.1, fds.2)
        guard pid > 0 else { throw ChildProcess.SpawnError(path: path, code: errno) }
        registry.runs[pid] = token
        return Run(pid: pid, token: token)
    }

    /// After the child has ended (it is not reaped yet): kills what is left of
    /// its tree, reaps the child and returns its wait status.
    static func finish(_ run: Run) -> Int32 {
        killTree(run)
        var status: Int32 = 0
        while waitpid(run.pid, &status, 0) < 0 && errno == EINTR {}
        registry.lock.lock()
        registry.runs[run.pid] = nil
        if registry.runs.isEmpty && subreaper { killStrays() }
        registry.lock.unlock()
        return status
    }

    /// Kills the child, the processes in its session and lectern's adopted
    /// children that carry its run id; repeats until none is left alive (a
    /// killed parent's children are adopted only once it is gone).
    static func killTree(_ run: Run) {
        kill(-run.pid, SIGKILL)
        #if os(Linux)
        let me = getpid()
        killAll { p in
            p.pid != run.pid && (p.session == run.pid
                || (subreaper && p.parent == me && environment(of: p.pid, contains: run.token)))
        }
        #endif
    }

    /// Lectern's adopted children that no running child accounts for (their
    /// environment was cleared). Called under the lock with no run registered.
    static func killStrays() {
        #if os(Linux)
        let me = getpid()
        killAll { $0.parent == me }
        #endif
    }

    /// SIGINT, SIGTERM: kill every running tree, then exit. The lock is never
    /// released, so no child starts after this.
    static func terminate(status: Int32) -> Never {
        registry.lock.lock()
        let runs = registry.runs.map { Run(pid: $0.key, token: $0.value) }
        for run in runs { kill(-run.pid, SIGKILL) }
        for run in runs { killTree(run) }
        if subreaper { killStrays() }
        _exit(status)
    }

    #if os(Linux)
    struct ProcStat {
        var pid: pid_t
        var state: UInt8
        var parent: pid_t
        var session: pid_t
    }

    /// SIGKILL to every process `picked` chooses, again until none is alive;
    /// lectern's own children among them are reaped. Gives up after 10 s
    /// (a process stuck in the kernel).
    static func killAll(_ picked: (ProcStat) -> Bool) {
        let me = getpid()
        let deadline = Date().addingTimeInterval(10)
        while true {
            var alive = 0
            for p in processes() where p.state != UInt8(ascii: "X") && picked(p) {
                if p.state == UInt8(ascii: "Z") {
                    if p.parent == me { _ = waitpid(p.pid, nil, WNOHANG) }
                } else {
                    kill(p.pid, SIGKILL)
                    alive += 1
                }
            }
            if alive == 0 || Date() >= deadline { return }
            usleep(1000)
        }
    }

    /// Every process, from `/proc/<pid>/stat`.
    static func processes() -> [ProcStat] {
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var out: [ProcStat] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while let entry = readdir(dir) {
            let pid = withUnsafeBytes(of: entry.pointee.d_name) { name -> pid_t in
                var n: pid_t = 0
                for b in name {
                    if b == 0 { break }
                    guard b >= 0x30 && b <= 0x39 else { return 0 }
                    n = n &* 10 &+ pid_t(b - 0x30)
                }
                return n
            }
            guard pid > 0, let s = stat(of: pid, buffer: &buffer) else { continue }
            out.append(s)
        }
        return out
    }

    /// `pid (comm) state ppid pgrp session ...`; comm may hold spaces and parentheses.
    static func stat(of pid: pid_t, buffer: inout [UInt8]) -> ProcStat? {
        let n = readFile("/proc/\(pid)/stat", into: &buffer)
        guard n > 0, let close = buffer[..<n].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 1)..<n].split(separator: UInt8(ascii: " "), maxSplits: 5)
        guard fields.count >= 5, let state = fields[0].first,
              let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
              let session = pid_t(String(decoding: fields[3], as: UTF8.self)) else { return nil }
        return ProcStat(pid: pid, state: state, parent: parent, session: session)
    }

    /// Whether the environment `pid` was started with holds `LECTERN_RUN_ID=token`.
    static func environment(of pid: pid_t, contains token: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var all: [UInt8] = []
        let fd = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            all += buffer[..<n]
        }
        let wanted = Array("\(runVariable)=\(token)".utf8)
        return all.split(separator: 0).contains { $0.elementsEqual(wanted) }
    }

    /// Reads a small file into `buffer`; the number of bytes, or 0.
    static func readFile(_ path: String, into buffer: inout [UInt8]) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return max(n, 0)
    }
    #endif
}
