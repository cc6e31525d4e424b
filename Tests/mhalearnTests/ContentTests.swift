import Foundation
import Testing
@testable import mhalearn

@Test("the closest lesson is suggested for typos but not for unrelated names")
func closestLesson() {
    let names = ["multi-head", "positional-encoding"]
    #expect(LessonCatalog.closest(to: "mutli-head", among: names) == "multi-head")
    #expect(LessonCatalog.closest(to: "multi", among: names) == "multi-head")
    #expect(LessonCatalog.closest(to: "Positional-Encodings", among: names) == "positional-encoding")
    #expect(LessonCatalog.closest(to: "zebra", among: names) == nil)
    #expect(LessonCatalog.closest(to: "anything", among: []) == nil)
}

@Test("lessons are listed by file name with the first heading as title")
func catalogListsLessons() {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MarkdownTerminalTests/Fixtures/Content")
    let lessons = LessonCatalog.lessons(in: root)
    #expect(lessons.map(\.name) == ["basics", "heads-and-layers"])
    #expect(lessons.map(\.title) == ["Attention basics", "Heads and layers"])
}
