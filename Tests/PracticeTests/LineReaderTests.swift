import Foundation
import Practice
import Testing

/// Writes `bytes` to a temporary file and opens it for reading.
private func descriptor(reading bytes: [UInt8]) throws -> Int32 {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    return open(url.path, O_RDONLY)
}

@Suite("LineReader")
struct LineReaderTests {
    @Test("lines come back one at a time without their newline or carriage return, the last one unterminated too")
    func lines() throws {
        let reader = LineReader(descriptor: try descriptor(reading: Array("64\r\n[11, 64]\n\nb".utf8)), name: "answers")
        var events: [InputEvent] = []
        for _ in 0..<5 { events.append(reader.next()) }
        #expect(events == [.line("64"), .line("[11, 64]"), .line(""), .line("b"), .endOfInput])
        #expect(reader.problem == nil)
    }

    @Test("a line just under 64 KiB is read whole, and one over it stops reading with a message")
    func cap() throws {
        let fits = [UInt8](repeating: UInt8(ascii: "7"), count: LineReader.maximumLineBytes)
        let tooLong = [UInt8](repeating: UInt8(ascii: "8"), count: LineReader.maximumLineBytes + 1)
        let reader = LineReader(descriptor: try descriptor(reading: fits + [10] + tooLong + Array("\nafter\n".utf8)), name: "answers")
        #expect(reader.next() == .line(String(repeating: "7", count: LineReader.maximumLineBytes)))
        #expect(reader.next() == .endOfInput)
        #expect(reader.problem == "error: a line of answers is longer than 64 KiB, the longest answer read; stopped reading there (answers before it are kept).")
        #expect(reader.next() == .endOfInput)
    }

    @Test("an 8 MB line without a newline ends after one pass over the first 64 KiB, not 8 MB scanned many times")
    func longLineIsLinear() throws {
        let reader = LineReader(descriptor: try descriptor(reading: [UInt8](repeating: 0, count: 8 << 20)), name: "standard input")
        #expect(reader.next() == .endOfInput)
        #expect(reader.problem != nil)
    }

    @Test("many short lines are all read, in order")
    func manyLines() throws {
        let text = (0..<20_000).map { "\($0)\n" }.joined()
        let reader = LineReader(descriptor: try descriptor(reading: Array(text.utf8)), name: "answers")
        var count = 0
        while case .line(let line) = reader.next() {
            #expect(line == "\(count)")
            count += 1
        }
        #expect(count == 20_000)
    }

    @Test("interrupted() turning true returns .interrupted before reading")
    func interrupted() throws {
        let reader = LineReader(descriptor: try descriptor(reading: Array("1\n".utf8)), name: "answers")
        #expect(reader.next(interrupted: { true }) == .interrupted)
        #expect(reader.next() == .line("1"))
    }
}
