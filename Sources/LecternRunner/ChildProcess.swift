import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process in its own process group, with stdout and stderr
/// captured (to pipes, or to files), a timeout that kills the whole group, and
/// extra environment. Foundation's `Process` cannot put the child in a new
/// group, which a timeout needs to stop grandchildren too.
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
    /// `stdoutLimit`: the group is killed once stdout grows past it.
    public static func run(_ path: String, _ args: [String], environment: [String: String] = [:],
                           timeout: Double, stdoutFile: String, stderrFile: String,
                           stdoutLimit: Int = .max) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else the parent holds open reaches the child: under `lectern watch`
        // a lecture still running would otherwise keep the server's port bound.
        if let closeFrom = spawnAddCloseFrom { _ = closeFrom(&actions, 3) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw SpawnError(path: path, code: rc) }

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        var sleepMicros: UInt32 = 200
        while true {
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if w < 0 && errno != EINTR { break }
            var over = Date() >= deadline
            if !over && stdoutLimit != .max,
               let size = (try? FileManager.default.attributesOfItem(atPath: stdoutFile)[.size] as? NSNumber)?.intValue,
               size > stdoutLimit { over = true }
            if over {
                timedOut = Date() >= deadline
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(sleepMicros)
            sleepMicros = min(sleepMicros * 2, 20_000)
        }
        // WIFSIGNALED / WTERMSIG by hand: the macros do not import.
        let sig = status & 0x7f
        let signaled = sig != 0 && sig != 0x7f
        let code = signaled ? 128 + sig : (status >> 8) & 0xff
        return Result(status: code, signal: signaled ? sig : nil, timedOut: timedOut, stdout: [], stderr: [])
    }

    public struct SpawnError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        public var description: String { "cannot start \(path): \(String(cString: strerror(code)))" }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked
/// up at run time: the Glibc module does not declare it.
private let spawnAddCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
}()
