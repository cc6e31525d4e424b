import Testing
import Support

@Suite("formatBytes") struct FormatBytesTests {
    @Test("byte counts print with binary units")
    func bytesFormat() {
        #expect(formatBytes(512) == "512 bytes")
        #expect(formatBytes(4 << 30) == "4 GiB")
        #expect(formatBytes(1536) == "1.5 KiB")
    }
}
