import AttentionCore
import Foundation
import Support

/// Runs the built `mhalearn` binary as a user would, capturing what it prints.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root (two levels above this file's folder).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary, in the build folder that holds the running test bundle.
    static var binary: URL {
        var folder = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        for _ in 0..<6 {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent("mhalearn")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/mhalearn")
    }

    /// A state folder of this test process's own, so no test reads or writes the user's progress
    /// (`$XDG_STATE_HOME`) unless it names one.
    static let privateState = FileManager.default.temporaryDirectory
        .appendingPathComponent("mhalearn-tests-state-\(ProcessInfo.processInfo.processIdentifier)")

    /// Runs `mhalearn ARGS`, feeding `stdin`, with extra environment variables (`XDG_STATE_HOME`
    /// is `privateState` unless they set it).
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:], cwd: URL? = nil,
                    executable: URL? = nil, closedStandardOutputPipe: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["COLUMNS"] = nil
        env["MHALEARN_HOME"] = nil
        env["XDG_STATE_HOME"] = privateState.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let cwd { process.currentDirectoryURL = cwd }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        if closedStandardOutputPipe {
            let closed = Pipe()
            try closed.fileHandleForReading.close()
            process.standardOutput = closed
            try output.fileHandleForWriting.close()
        } else {
            process.standardOutput = output
        }
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let outBox = ReadBox()
        let group = DispatchGroup()
        group.enter()
        let reader = output.fileHandleForReading
        DispatchQueue.global().async { outBox.data = reader.readAllRetryingInterrupts(); group.leave() }
        let err = error.fileHandleForReading.readAllRetryingInterrupts()
        group.wait()   // after this the reading thread has finished with outBox
        let out = outBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Standard output read on another thread; read back only after that thread has finished (the
/// `DispatchGroup` wait orders the two).
private final class ReadBox: @unchecked Sendable {
    var data = Data()
}
