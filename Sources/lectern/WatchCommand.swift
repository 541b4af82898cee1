import ArgumentParser
import Foundation
import LecternBuild
import LecternRunner
import LecternServe
#if canImport(Glibc)
import Glibc
#endif

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild lectures on save and serve the output folder with live reload.",
        discussion: """
        Builds the course, serves the output folder at http://127.0.0.1:8000/ and
        watches Lectures/*.md and course.yml. When a file is saved, only
        the lectures that changed are run again (the rest come from the cache), one
        line per rebuild says what changed and how it went, and open pages reload.
        Diagnostics are printed as `lectern build` prints them. PDFs are not
        printed while watching (printing takes seconds a page), even with
        pdf: true in course.yml; `lectern build` prints them.

        Only this machine can connect unless --host says otherwise. Nothing outside
        the output folder is ever served. Ctrl-C stops: a rebuild in progress is
        finished first (press Ctrl-C twice to quit at once).

        Example:
          lectern watch                     # http://127.0.0.1:8000/
          lectern watch --port 8123 -j 1    # another port, one lecture at a time
          lectern watch --host 0.0.0.0      # reachable from other machines too

        Exit status: 0 stopped by Ctrl-C or SIGTERM, 2 usage error or the port is in use.
        """
    )

    @Option(name: .long, help: "Port to serve on (0: any free port).")
    var port: Int = 8000

    @Option(name: .long, help: ArgumentHelp("Address to listen on; give 0.0.0.0 to be reachable from other machines.", valueName: "address"))
    var host = "127.0.0.1"

    @OptionGroup var build: BuildArguments

    func run() throws {
        let stopRequests = StopSignals()
        let session: WatchSession
        let (location, course, _) = try enterCourse(paths: [], lectures: build.common.lectures, output: build.out)
        do {
            let options = try build.buildOptions(location)
            // Usage errors end the command now, as they do for build; later ones
            // (a parameter removed while watching) are reported per rebuild.
            try options.overrides.requireDeclared(in: course.documents)
            session = try WatchSession(lecturesDirectory: location.lecturesDirectory, options: options, host: host, port: port,
                                       log: { line in printError(line) })
            _ = try session.serve()
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }

        let listening = ["127.0.0.1", "localhost", "::1"].contains(host) ? "" : ", listening on \(host)"
        FileHandle.standardOutput.write(Data("serving \(location.display(location.outputDirectory))/ at \(session.url)\(listening) (Ctrl-C to stop)\n".utf8))
        if course.pdf != nil {
            printError("note: pdf: true in course.yml: PDFs are not printed while watching; lectern build prints them")
        }
        session.buildAndWatch()
        printError("watching \(location.display(location.lecturesDirectory))/ for changes")
        stopRequests.wait()
        printError("stopping")
        session.stop()
    }
}

/// SIGINT and SIGTERM, turned into a wait that returns on the first one; a
/// second one ends the process at once. The handlers only write a byte to a
/// pipe (safe in a signal handler); child processes start with the default
/// handlers, as a handler is not inherited across exec.
final class StopSignals {
    nonisolated(unsafe) static var pipeWrite: Int32 = -1
    nonisolated(unsafe) static var received: Int32 = 0
    private var fds: [Int32] = [-1, -1]

    init() {
        _ = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        StopSignals.pipeWrite = fds[1]
        // Whoever started us may have blocked these signals (a blocked mask is inherited).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                StopSignals.received += 1
                if StopSignals.received > 1 { ProcessReaper.exitFromSignalHandler(130); return }  // kills the lectures first
                var byte: UInt8 = 1
                _ = write(StopSignals.pipeWrite, &byte, 1)
            }
        }
    }

    func wait() {
        var byte: UInt8 = 0
        while read(fds[0], &byte, 1) != 1 {}
    }
}
