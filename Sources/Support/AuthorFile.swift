import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Reading an author's text file (a lesson, an exercise set) with the checks a folder, a FIFO,
/// `/dev/zero` or a huge file need: each is refused with a message saying what it is, instead of
/// "You don't have permission" or a read that never ends.
public enum AuthorFile {
    /// The largest lesson or exercise file read: 8 MiB.
    public static let maximumBytes = 8 << 20

    /// Why a file was not read; `message` reads after the path ("path: message").
    public struct Refusal: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The bytes of the regular file at `url`, at most `maximumBytes`.
    public static func read(_ url: URL) throws -> Data {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let code = errno
            throw Refusal(message: code == ELOOP ? "is a symbolic link loop (it points, through other links, back to itself)."
                                                 : "cannot read this file (\(String(cString: strerror(code)))).")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Refusal(message: "is a folder, not a file.")
        default: throw Refusal(message: "is not a regular file (a FIFO, socket or device such as /dev/zero); give a file.")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw Refusal(message: "is \(formatBytes(Int(info.st_size))), more than the \(formatBytes(maximumBytes)) a lesson or exercise file may hold.")
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Refusal(message: "cannot read this file (\(String(cString: strerror(errno)))).")
        }
        defer { try? handle.close() }
        let data = handle.readAllRetryingInterrupts()
        guard data.count <= maximumBytes else {
            throw Refusal(message: "grew past \(formatBytes(maximumBytes)) while being read.")
        }
        return data
    }
}
