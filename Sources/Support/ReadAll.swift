import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

extension FileHandle {
    /// Reads until end of file, retrying reads that a signal interrupted.
    ///
    /// Foundation's `readDataToEndOfFile()` traps when a read fails with `EINTR`, which happens
    /// whenever a child process exits while another thread is reading (its `SIGCHLD` handler runs).
    public func readAllRetryingInterrupts() -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let descriptor = fileDescriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return result
            }
        }
    }
}
