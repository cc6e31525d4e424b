import Foundation
import MarkdownTerminal
import Practice
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The process's own input and output: standard streams written without traps, standard input
// and answer files read a line at a time, and Ctrl-C.

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

/// Ctrl-C handling: a flag set by the signal handler, checked around every read.
///
/// The handler is installed without `SA_RESTART`, so a read blocked on the terminal returns at once
/// when Ctrl-C arrives and the session can save and end cleanly. The signals are unblocked first, as a
/// parent may have started the process with them blocked.
enum Interrupt {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_handler = { _ in Interrupt.flag = 1 }
            #else
            action.__sigaction_u.__sa_handler = { _ in Interrupt.flag = 1 }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// One line of standard input, or why there is none.
    static func readStandardInput() -> InputEvent {
        StandardInputLines.lines.next(interrupted: { Interrupt.requested })
    }
}

/// Writing to standard output and standard error.
enum Standard {
    static func output(_ text: String) {
        StandardStreams.write(terminalSafe(text), to: STDOUT_FILENO)
    }

    /// Writes `text` and a newline to standard error, control characters made visible (messages
    /// quote names and paths the user typed or a file held).
    static func error(_ text: String) {
        StandardStreams.write(sanitize(text.hasSuffix("\n") ? text : text + "\n"), to: STDERR_FILENO)
    }

    /// A progress line on standard error, redrawn in place; nil clears it. For a terminal only.
    static func progress(_ text: String?) {
        StandardStreams.write("\r\u{1B}[K" + (text.map { sanitize($0) } ?? ""), to: STDERR_FILENO)
    }
}
