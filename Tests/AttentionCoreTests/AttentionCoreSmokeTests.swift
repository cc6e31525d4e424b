import Testing
@testable import AttentionCore

@Test("the AttentionCore module builds") func moduleBuilds() { #expect(Bool(true)) }
