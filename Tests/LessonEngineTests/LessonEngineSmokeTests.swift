import Testing
@testable import LessonEngine

@Test("the LessonEngine module builds") func moduleBuilds() { #expect(Bool(true)) }
