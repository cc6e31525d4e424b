#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor a line at a time with `read(2)`, in time linear in the input, refusing
/// a line longer than `maximumLineBytes`.
///
/// `read(2)` is used (not buffered stdio) so that Ctrl-C, arriving as `EINTR` when the handler is
/// installed without `SA_RESTART`, ends a blocked read at once. Each byte is looked at once when
/// searching for a newline, and the buffer never holds more than one line's cap plus one read, so
/// a 50 MB line costs one pass and `practice < /dev/zero` stops after 64 KiB.
public final class LineReader {
    /// The longest answer line read, in bytes (without its newline): 64 KiB.
    public static let maximumLineBytes = 64 * 1024

    /// Why reading stopped early (a line over the cap, a read error), for the caller to print; nil
    /// while input is fine or ended normally.
    public private(set) var problem: String?

    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var ended = false

    /// A reader of `descriptor`; `name` ("standard input", a path) is used in `problem`.
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// The next line (a trailing `\r` removed), the end of input, or `.interrupted` when
    /// `interrupted()` turns true before a line is complete.
    public func next(interrupted: () -> Bool = { false }) -> InputEvent {
        while true {
            if interrupted() { return .interrupted }
            let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n"))
            scanned = newline ?? buffer.count
            if (newline ?? buffer.count) - start > LineReader.maximumLineBytes {
                problem = "error: a line of \(name) is longer than \(LineReader.maximumLineBytes / 1024) KiB, the longest answer "
                    + "read; stopped reading there (answers before it are kept)."
                return finish()
            }
            if let newline {
                let line = text(buffer[start..<newline])
                start = newline + 1
                scanned = start
                if start >= LineReader.maximumLineBytes {
                    buffer.removeFirst(start)
                    start = 0
                    scanned = 0
                }
                return .line(line)
            }
            if ended {
                guard start < buffer.count else { return finish() }
                let line = text(buffer[start...])
                _ = finish()
                return .line(line)
            }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
            } else if count == 0 {
                ended = true
            } else if errno != EINTR {
                problem = "error: cannot read \(name): \(String(cString: strerror(errno)))."
                ended = true
            }
        }
    }

    private func finish() -> InputEvent {
        ended = true
        buffer = []
        start = 0
        scanned = 0
        return .endOfInput
    }

    private func text(_ bytes: ArraySlice<UInt8>) -> String {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
