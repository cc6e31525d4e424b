import Foundation
import MarkdownTerminal
import Practice
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes rendered documents to standard output, through a pager when they are taller than the screen.
enum TerminalOutput {
    /// Renders `document` with `settings` and shows it, paged when it would not fit on the screen with the prompt below it.
    static func show(_ document: MarkdownDocument, settings: TerminalSettings) {
        let plainLinks = TerminalRenderer(width: settings.width, color: settings.color).render(document)
        if pagedWhenTall(plainLinks, settings: settings) { return }
        if settings.hyperlinksAllowed {
            writeOut(TerminalRenderer(width: settings.width, color: true, hyperlinks: true).render(document))
        } else {
            writeOut(plainLinks)
        }
    }

    /// Shows `text`, through the pager when it would not fit on the screen (`model --list`).
    static func show(text: String, settings: TerminalSettings) {
        if !pagedWhenTall(text, settings: settings) { writeOut(text) }
    }

    /// Pages `text` when paging is allowed and it is taller than the screen; false when the caller
    /// should print it (short text, no pager, or a pager that failed: said once on stderr).
    private static func pagedWhenTall(_ text: String, settings: TerminalSettings) -> Bool {
        guard settings.pagerAllowed, lineCount(text) >= settings.rows else { return false }
        guard let failure = page(text, environment: settings.environment) else { return true }
        Standard.error("warning: the pager `\(TerminalSettings.pagerCommand(environment: settings.environment))` \(failure); "
                       + "printing instead (set PAGER, or pass --no-pager).")
        return false
    }

    static func lineCount(_ text: String) -> Int {
        text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Writes text to standard output (a failed write ends the process; see `StandardStreams`).
    static func writeOut(_ text: String) {
        StandardStreams.write(terminalSafe(text), to: STDOUT_FILENO)
    }

    /// Pipes `text` through the pager; nil when it showed the text, else why not ("exited with status 1")
    /// and the caller prints the text instead. A pager that fails (`PAGER=false`, an unterminated
    /// quote, a missing program) has usually shown nothing, so printing is the way to be sure the
    /// reader sees the text.
    ///
    /// The pager is spawned in this process's own process group (so it may use the terminal) and
    /// this process ignores Ctrl-C and Ctrl-\\ until the pager exits, as `git` does.
    static func page(_ text: String, environment: [String: String]) -> String? {
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "R" }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return "could not be started (\(String(cString: strerror(errno))))" }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        let arguments = ["/bin/sh", "-c", TerminalSettings.pagerCommand(environment: environment)]
        let environmentStrings = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
            }
        }
        close(readEnd)
        guard status == 0 else {
            close(writeEnd)
            return "could not be started (\(String(cString: strerror(status))))"
        }
        let oldInterrupt = signal(SIGINT, SIG_IGN)
        let oldQuit = signal(SIGQUIT, SIG_IGN)
        let oldPipe = signal(SIGPIPE, SIG_IGN)
        defer {
            signal(SIGINT, oldInterrupt)
            signal(SIGQUIT, oldQuit)
            signal(SIGPIPE, oldPipe)
        }
        let bytes = Array(terminalSafe(text).utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(writeEnd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        close(writeEnd)
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0, errno == EINTR {}
        let signalNumber = exitStatus & 0x7F
        if signalNumber == 0 {
            let code = (exitStatus >> 8) & 0xFF
            return code == 0 ? nil : code == 127 ? "was not found (exit status 127)" : "exited with status \(code)"
        }
        return signalNumber == SIGINT || signalNumber == SIGPIPE ? nil : "was stopped by signal \(signalNumber)"
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
