import Foundation
import Testing
import Lessons

@Test("lessons are listed by file name with the first heading as title")
func catalogListsLessons() {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MarkdownTerminalTests/Fixtures/Content")
    let lessons = LessonCatalog.lessons(in: root)
    #expect(lessons.map(\.name) == ["basics", "heads-and-layers"])
    #expect(lessons.map(\.title) == ["Attention basics", "Heads and layers"])
}
