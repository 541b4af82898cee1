import CLecternSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process in a session of its own, with stdout and stderr
/// captured (to files), a timeout, and extra environment; when it ends,
/// everything it started is killed (`ProcessReaper`). Foundation's `Process`
/// cannot start a child so, nor set its parent-death signal.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32       // exit status, or 128 + signal
        public var signal: Int32?      // the signal that ended it, if any
        public var timedOut: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    /// Runs and captures output in memory (for the compiler and small tools).
    public static func run(_ path: String, _ args: [String], environment: [String: String] = [:],
                           timeout: Double) throws -> Result {
        let dir = NSTemporaryDirectory() + "lectern-proc-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = try run(path, args, environment: environment, timeout: timeout,
                        stdoutFile: dir + "/out", stderrFile: dir + "/err")
        r.stdout = Array((try? Data(contentsOf: URL(fileURLWithPath: dir + "/out"))) ?? Data())
        r.stderr = Array((try? Data(contentsOf: URL(fileURLWithPath: dir + "/err"))) ?? Data())
        return r
    }

    /// Runs with stdout and stderr going to regular files (offsets into stdout
    /// are how the display runtime marks where each output belongs).
    /// `stdoutLimit`: the child is killed once stdout grows past it.
    /// Whatever the child started is killed when it ends (see `ProcessReaper`).
    /// `stdinFile`: what the child reads (nothing, by default); `stdinDescriptor`,
    /// when given, instead (the read end of a pipe the caller writes to; the
    /// caller closes it). `started` is told the child's pid (its process group).
    public static func run(_ path: String, _ args: [String], environment: [String: String] = [:],
                           timeout: Double, stdoutFile: String, stderrFile: String,
                           stdoutLimit: Int = .max, stdinFile: String = "/dev/null",
                           stdinDescriptor: Int32? = nil, started: ((pid_t) -> Void)? = nil) throws -> Result {
        // These become the child's 0-2 and nothing else the parent holds open reaches
        // it (`lectern_spawn`): under `lectern watch` a lecture still running would
        // otherwise keep the server's port bound.
        var fds: [Int32] = []
        defer { for fd in fds { close(fd) } }
        let files = (stdinDescriptor == nil ? [(stdinFile, O_RDONLY)] : [])
            + [(stdoutFile, O_WRONLY | O_CREAT | O_TRUNC), (stderrFile, O_WRONLY | O_CREAT | O_TRUNC)]
        for (file, flags) in files {
            let fd = open(file, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SpawnError(path: file, code: errno, action: "open") }
            fds.append(fd)
        }
        let (inFD, outFD, errFD) = stdinDescriptor.map { ($0, fds[0], fds[1]) } ?? (fds[0], fds[1], fds[2])

        let token = UUID().uuidString
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env[ProcessReaper.runVariable] = token
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        // The calling thread waits here until the child is gone, as the
        // parent-death signal needs: it fires when the thread that forked ends.
        let child = try ProcessReaper.spawn(path, argv: argv, envp: envp, token: token, fds: (inFD, outFD, errFD))
        let pid = child.pid
        started?(pid)

        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        var waitMillis: Int32 = 1
        // Woken as the child ends; between waits the deadline and, when there is
        // one, stdout's limit are checked (every 20 ms at most, once it has run a while).
        while lectern_wait_child(pid, min(waitMillis, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))) == 0 {
            var over = Date() >= deadline
            if !over && stdoutLimit != .max,
               let size = (try? FileManager.default.attributesOfItem(atPath: stdoutFile)[.size] as? NSNumber)?.intValue,
               size > stdoutLimit { over = true }
            if over {
                timedOut = Date() >= deadline
                kill(-pid, SIGKILL)
                _ = lectern_child_ended(pid, 1)
                break
            }
            waitMillis = min(waitMillis * 2, stdoutLimit == .max ? 1000 : 20)
        }
        let status = ProcessReaper.finish(child)
        // WIFSIGNALED / WTERMSIG by hand: the macros do not import.
        let sig = status & 0x7f
        let signaled = sig != 0 && sig != 0x7f
        let code = signaled ? 128 + sig : (status >> 8) & 0xff
        return Result(status: code, signal: signaled ? sig : nil, timedOut: timedOut, stdout: [], stderr: [])
    }

    public struct SpawnError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var action = "start"  // or "open": a file for the child's output
        public var description: String { "cannot \(action) \(path): \(String(cString: strerror(code)))" }
    }
}
