import Foundation
import Testing

@Test("the lesson command shows computed values and never the directive source")
func lessonShowsLiveValues() throws {
    let result = try CLI.run(["lesson", "lessons/multi-head.md", "--width", "100"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.contains("every head works in d_k = 64 dimensions"))
    #expect(result.stdout.contains("Attention weights from \"it\""))
    #expect(result.stdout.contains("[12, 11, 64]"))
    #expect(!result.stdout.contains("`= "))
    #expect(!result.stdout.contains("expect "))
    #expect(!result.stdout.contains("\u{1B}"))
}

@Test("lesson --source shows the lesson as written, directives included")
func lessonSource() throws {
    let result = try CLI.run(["lesson", "lessons/multi-head.md", "--source"], cwd: CLI.packageRoot)
    #expect(result.status == 0)
    #expect(result.stdout.contains("= layer.d_k"))
    #expect(result.stdout.contains("expect layer.output.shape == layer.input.shape"))
}

@Test("a lesson with a broken directive still renders and lists the problem on stderr")
func lessonWithProblem() throws {
    let result = try CLI.run(["lesson", "Tests/LessonsTests/Fixtures/broken-inline.md"], cwd: CLI.packageRoot)
    #expect(result.status == 0)
    #expect(result.stderr.contains("broken-inline.md:78:16: error:"))
    #expect(result.stdout.contains("= layer.d_kk"))
}

@Test("the lesson renders by path with no errors on stderr")
func lessonByPath() throws {
    let result = try CLI.run(["lesson", "lessons/multi-head.md"], cwd: CLI.packageRoot)
    #expect(result.status == 0)
    #expect(!result.stderr.contains("error:"))
}
