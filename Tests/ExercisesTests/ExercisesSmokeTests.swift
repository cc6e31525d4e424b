import Testing
@testable import Exercises

@Test("the Exercises module builds") func moduleBuilds() { #expect(Bool(true)) }
