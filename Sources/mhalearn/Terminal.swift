import Foundation
import MarkdownTerminal
import Practice
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process knows about where its standard output goes.
struct TerminalFacts {
    /// Whether standard output is a terminal.
    var isTerminal: Bool
    /// The terminal's size in columns and rows, when the terminal reports one.
    var size: (columns: Int, rows: Int)?
    /// The environment variables.
    var environment: [String: String]

    /// The facts of the running process.
    static func current() -> TerminalFacts {
        var window = winsize()
        let size: (columns: Int, rows: Int)?
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 {
            size = (Int(window.ws_col), Int(window.ws_row))
        } else {
            size = nil
        }
        return TerminalFacts(isTerminal: isatty(STDOUT_FILENO) != 0, size: size, environment: ProcessInfo.processInfo.environment)
    }
}

/// How output is shown: colour, width, hyperlinks, pager; decided once from the options and the terminal.
struct TerminalSettings {
    var color: Bool
    var width: Int
    var rows: Int
    var pagerAllowed: Bool
    var hyperlinksAllowed: Bool
    var environment: [String: String]

    init(options: OutputOptions, facts: TerminalFacts = .current()) {
        let env = facts.environment
        color = TerminalSettings.colorEnabled(options.color, isTerminal: facts.isTerminal, environment: env)
        width = TerminalSettings.width(option: options.width, terminalColumns: facts.size?.columns, environment: env)
        rows = facts.size.flatMap { $0.rows > 0 ? $0.rows : nil } ?? Int(env["LINES"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 24
        pagerAllowed = facts.isTerminal && !options.noPager && env["TERM"] != "dumb"
        hyperlinksAllowed = color && facts.isTerminal
        environment = env
    }

    /// Colour for `choice`: `auto` means a terminal, `NO_COLOR` unset or empty, and `TERM` not `dumb`.
    static func colorEnabled(_ choice: ColorChoice, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return isTerminal && !noColor && environment["TERM"] != "dumb"
        }
    }

    /// The width: `--width N`, else the terminal's columns, else `COLUMNS`, else 80.
    static func width(option: Int?, terminalColumns: Int?, environment: [String: String]) -> Int {
        if let option { return option }
        if let terminalColumns, terminalColumns > 0 { return max(terminalColumns, OutputOptions.widths.lowerBound) }
        if let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), columns > 0 {
            return columns
        }
        return 80
    }

    /// The pager command: `$PAGER` when set and not empty, else `less -R`.
    static func pagerCommand(environment: [String: String]) -> String {
        if let pager = environment["PAGER"], !pager.trimmingCharacters(in: .whitespaces).isEmpty { return pager }
        return "less -R"
    }
}

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

/// Every write to standard output and standard error goes through here.
///
/// Foundation's `FileHandle.write(_:)` traps when the write fails (a full disk, a closed descriptor,
/// a reader that went away), and `print` loses the failure silently. These writes loop over
/// `write(2)` and end the process on failure the way `cat` does:
/// - `EPIPE` (the reader closed the pipe, with `SIGPIPE` ignored): exit 141 (128 + SIGPIPE) quietly;
/// - anything else (`ENOSPC`, `EBADF`, `EIO`, …): a one-line `error: cannot write to standard output: …`
///   on standard error (when standard error itself still works), then exit 74 (`EX_IOERR`).
enum StandardStreams {
    /// The exit status after a write to a closed pipe.
    static let brokenPipeStatus: Int32 = 141
    /// The exit status after any other failed write (`EX_IOERR` of sysexits.h).
    static let writeFailureStatus: Int32 = 74

    /// Opens `/dev/null` read-only on any of descriptors 0, 1 and 2 the process was started without
    /// (`>&-`), so no file the process opens later takes their place (and receives its output), and a
    /// write there fails with `EBADF` and is reported.
    static func reserveClosedDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        let failure: Int32? = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { fail(errno: failure, descriptor: descriptor) }
    }

    private static func fail(errno code: Int32, descriptor: Int32) -> Never {
        if code == EPIPE { exit(brokenPipeStatus) }
        if descriptor != STDERR_FILENO {
            let name = descriptor == STDOUT_FILENO ? "standard output" : "file descriptor \(descriptor)"
            let message = "error: cannot write to \(name): \(String(cString: strerror(code))).\n"
            var bytes = Array(message.utf8)
            _ = bytes.withUnsafeMutableBytes { systemWrite(STDERR_FILENO, $0.baseAddress!, $0.count) }
        }
        exit(writeFailureStatus)
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

/// Standard input read a line at a time (see `LineReader`).
enum StandardInputLines {
    nonisolated(unsafe) static let lines = LineReader(descriptor: STDIN_FILENO, name: "standard input")
}

/// `practice --answers FILE`: any readable file, FIFO or process substitution (`<(…)`), read a line at a time.
enum AnswerInput {
    static func open(_ path: String) throws -> LineReader {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw usageFailure("--answers \(sanitize(path)) is a folder; give a file with one answer a line.", command: "practice")
        }
        let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw usageFailure("--answers \(sanitize(path)): cannot open it (\(String(cString: strerror(errno)))).", command: "practice")
        }
        return LineReader(descriptor: descriptor, name: path)
    }
}

private func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.open(path, flags)
    #else
    Darwin.open(path, flags)
    #endif
}
