import Foundation
import Testing
import MarkdownTerminal
@testable import Progress
@testable import Practice
@testable import Exercises

/// Runs a session over scripted input and returns what it wrote.
func runSession(_ plan: [PlannedQuestion], inputs: [InputEvent], json: Bool = false, store: ProgressStore? = nil) -> (SessionSummary, String) {
    var queue = inputs
    var written = ""
    let session = PracticeSession(plan: plan, store: store, format: SessionFormat(json: json, color: false, width: 80, echoInput: true), heading: "Practice")
    let summary = session.run(read: { queue.isEmpty ? .endOfInput : queue.removeFirst() }, write: { written += $0 })
    return (summary, written)
}

func plan(_ ids: [String], seed: UInt64 = 3) throws -> [PlannedQuestion] {
    let exercises = try Fixtures.valid()
    return try ids.map { PlannedQuestion(exercise: try #require(exercises[$0]), seed: seed) }
}

@Test("a retry or a hint halves a question's credit, and the score counts first-try credit")
func scriptedSession() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let planned = try plan(["name-of-concat", "q-heads-shape"])
    let shape = try Question.make(planned[1].exercise, space: VariantSpace.build(for: planned[1].exercise).get(), seed: 3).get()
    let (summary, text) = runSession(planned, inputs: [.line("addition"), .line("concat"), .line("?"), .line(shape.answerText)], store: store)
    #expect(summary.ending == .finished)
    #expect(summary.results.map(\.outcome) == [.correct, .correct])
    #expect(summary.results.map(\.score) == [0.5, 0.5])
    #expect(summary.results.map(\.firstTry) == [false, false])
    #expect(text.contains("✗ The outputs are placed side by side, not summed."))
    #expect(text.contains("Hint 1 of 1: The split gives every head its own [tokens, d_k] matrix."))
    #expect(text.contains("Score: 1 of 2 (50%) — 0 right at the first try, 2 after a retry or hint."))
    let states = try store.snapshot().snapshot.states.values
    #expect(states.count == 2 && states.allSatisfy { $0.learned && !$0.mastered })
}

@Test("right at the first try without a hint scores 1 and masters the exercise; every attempt is kept")
func firstTryMasters() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, text) = runSession(try plan(["name-of-concat"]), inputs: [.line("concat")], store: store)
    #expect(summary.results.first?.score == 1 && summary.results.first?.firstTry == true)
    #expect(summary.results.first?.entries.map(\.answer) == ["concat"])
    #expect(text.contains("Score: 1 of 1 (100%) — 1 right at the first try."))
    #expect(try store.snapshot().snapshot.states.values.first?.mastered == true)
}

@Test("guessing through a choice question (a wrong pick, then another, then the right one) is learned, not mastered, and earns a quarter")
func guessingThroughChoice() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let planned = try plan(["why-several-heads"])
    let question = try Question.make(planned[0].exercise, space: VariantSpace.build(for: planned[0].exercise).get(), seed: 3).get()
    let right = question.answerText
    let wrongs = ["a", "b", "c"].filter { $0 != right }
    let (summary, _) = runSession(planned, inputs: [.line(wrongs[0]), .line(wrongs[1]), .line(right)], store: store)
    #expect(summary.results.first?.outcome == .correct)
    #expect(summary.results.first?.score == 0.25)
    #expect(summary.results.first?.entries.map(\.grade) == [.wrong, .wrong, .correct])
    let state = try #require(try store.snapshot().snapshot.states.values.first)
    #expect(state.learned && !state.mastered && state.attempts == 3 && state.firstTryCorrect == 0)
}

@Test("leaving a question with quit after a wrong try records nothing for it")
func quitRecordsNothing() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, _) = runSession(try plan(["name-of-concat", "scale-factor"]), inputs: [.line("concat"), .line("7"), .line("quit")], store: store)
    #expect(summary.ending == .quit)
    #expect(summary.results.map(\.id) == ["name-of-concat"])
    #expect(try store.snapshot().snapshot.states.keys.map { $0.hasPrefix("name-of-concat@") } == [true])
}

@Test("end of input mid-question keeps the finished questions, records nothing for the open one and ends cleanly")
func endOfInputSaves() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, text) = runSession(try plan(["name-of-concat", "scale-factor", "why-several-heads"]), inputs: [.line("concat"), .line("7")], store: store)
    #expect(summary.ending == .endOfInput)
    #expect(summary.results.map(\.outcome) == [.correct])
    #expect(text.contains("Input ended. Score: 1 of 1"))
    #expect(try store.snapshot().snapshot.states.count == 1)
}

@Test("an interrupt ends the session at once, saving the finished questions and nothing for the open one")
func interruptSaves() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, text) = runSession(try plan(["name-of-concat", "scale-factor"]), inputs: [.line("concat"), .interrupted], store: store)
    #expect(summary.ending == .interrupted)
    #expect(summary.results.map(\.outcome) == [.correct])
    #expect(text.contains("Interrupted."))
    #expect(try store.snapshot().snapshot.states.keys.map { $0.hasPrefix("name-of-concat@") } == [true])
}

@Test("with JSON every line is an object: question, attempt, result with grade and feedback, summary")
func jsonLines() throws {
    let (_, text) = runSession(try plan(["name-of-concat"]), inputs: [.line("nothing like it"), .line("concat")], json: true)
    let objects = try text.split(separator: "\n").map { line -> [String: Any] in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
    #expect(objects.map { $0["type"] as? String } == ["question", "attempt", "result", "summary"])
    #expect(objects[0]["prompt"] as? String == "After the heads run, their outputs are joined side by side. What is that step called?")
    #expect(objects[1]["grade"] as? String == "wrong")
    #expect(objects[2]["grade"] as? String == "correct")
    #expect(objects[2]["answer"] as? String == "concat")
    #expect((objects[2]["feedback"] as? [String]) == ["Correct."])
    #expect(objects[2]["credit"] as? Double == 0.5)
    #expect(objects[2]["first_try"] as? Bool == false)
    #expect(objects[2]["attempts_used"] as? Int == 2)
    #expect(objects[3]["correct"] as? Int == 1)
    #expect(objects[3]["first_try"] as? Int == 0)
}

@Test("quit stops the session without counting the open question")
func quitStops() throws {
    let (summary, _) = runSession(try plan(["name-of-concat", "scale-factor"]), inputs: [.line("quit")])
    #expect(summary.ending == .quit)
    #expect(summary.answered.isEmpty)
}

@Test("a planned exercise that cannot be drawn is left out and reported, and the rest are posed")
func brokenExerciseLeftOut() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: impossible
        kind: number
        given:
          h: [3]
        where: 64 % h == 0
        prompt: Q?
        answer: 64 / h
        explain: E.
    """)
    let broken = try #require(result.file.exercises.first)
    let good = try plan(["name-of-concat"])
    let (summary, text) = runSession([PlannedQuestion(exercise: broken, seed: 1)] + good, inputs: [.line("concat")])
    #expect(summary.problems.map(\.location.line) == [7])
    #expect(summary.results.map(\.id) == ["name-of-concat"])
    #expect(text.contains("Question 1 of 1"))
}

@Test("at a narrow width every line of a session fits: title, feedback, hints, notes and score are wrapped")
func narrowSessionFits() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    var queue: [InputEvent] = [.line("not an option at all, really"), .line(""), .line("addition"), .line("?"), .line("concat"), .line("quit")]
    var written = ""
    let session = PracticeSession(plan: try plan(["name-of-concat", "q-heads-shape"]), store: store,
                                  format: SessionFormat(json: false, color: false, width: 24, echoInput: false),
                                  heading: "Practice: all sets · seed 123456")
    _ = session.run(read: { queue.isEmpty ? .endOfInput : queue.removeFirst() }, write: { written += $0 })
    let lines = written.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "› ", with: "") }
    let long = lines.filter { displayWidth($0) > 24 }
    #expect(long.isEmpty, "lines wider than 24 columns: \(long)")
    #expect(written.contains("✗ The outputs are"))
    #expect(written.contains("Score:"))
}

@Test("echoed answers cannot write escape sequences: control characters in input are shown, not sent")
func echoedInputIsSanitized() throws {
    let (_, text) = runSession(try plan(["name-of-concat"]), inputs: [.line("\u{1B}]0;title\u{07}\u{1B}[2Jconcat")])
    #expect(!text.contains("\u{1B}"))
    #expect(!text.contains("\u{07}"))
    #expect(text.contains("title"))
}

@Test("feedback written over several YAML lines is re-flowed: a single newline is a space, not a ragged break")
func feedbackNewlinesReflow() throws {
    let yaml = """
    format: 1
    exercises:
      - id: reflow
        kind: number
        prompt: How many?
        answer: "64"
        wrong:
          - answer: "65"
            feedback: |
              One too many: the heads share
              the width evenly.
        explain: Sixty-four.
    """
    let exercise = try #require(loadYAML(yaml).file.exercises.first)
    let (_, text) = runSession([PlannedQuestion(exercise: exercise, seed: 1)], inputs: [.line("65")])
    #expect(text.contains("✗ One too many: the heads share the width evenly."))
}

/// Runs a session in which `between(n)` is called before the n-th input is read (from 0).
private func sessionWithHook(_ plan: [PlannedQuestion], inputs: [InputEvent], store: ProgressStore, between: (Int) -> Void) -> (SessionSummary, String) {
    var queue = inputs
    var count = 0
    var written = ""
    let session = PracticeSession(plan: plan, store: store, format: SessionFormat(json: false, color: false, width: 80, echoInput: true))
    let summary = session.run(read: {
        between(count)
        count += 1
        return queue.isEmpty ? .endOfInput : queue.removeFirst()
    }, write: { written += $0 })
    return (summary, written)
}

@Test("when progress cannot be written the session says so instead of claiming it saved, and names the answers")
func failedSaveIsReported() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, text) = sessionWithHook(try plan(["name-of-concat", "scale-factor"]), inputs: [.line("skip"), .line("skip")], store: store) { n in
        if n == 1 {
            try? FileManager.default.removeItem(at: store.fileURL)
            try? FileManager.default.createDirectory(at: store.fileURL.appendingPathComponent("blocker"), withIntermediateDirectories: true)
        }
    }
    #expect(summary.unsaved.map(\.id) == ["scale-factor"])
    #expect(text.contains("Progress NOT saved for 1 question"))
    #expect(!text.contains("Progress saved"))
    #expect(summary.warnings.contains { $0.contains("scale-factor (skipped)") })
    let line = JSONLine.summary(summary, planned: 2)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["unsaved"] as? [String] == ["scale-factor"])
}

@Test("answers that could not be saved are saved with the next question once the store works again")
func failedSaveIsRetried() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let (summary, text) = sessionWithHook(try plan(["name-of-concat", "scale-factor", "why-several-heads"]),
                                          inputs: [.line("skip"), .line("skip"), .line("skip")], store: store) { n in
        if n == 1 {
            try? FileManager.default.removeItem(at: store.fileURL)
            try? FileManager.default.createDirectory(at: store.fileURL.appendingPathComponent("blocker"), withIntermediateDirectories: true)
        }
        if n == 2 { try? FileManager.default.removeItem(at: store.fileURL) }
    }
    #expect(summary.unsaved.isEmpty)
    #expect(text.contains("Progress saved"))
    #expect(summary.warnings.isEmpty)
    #expect(try store.snapshot().snapshot.states.keys.contains { $0.hasPrefix("scale-factor@") })
    #expect(try store.snapshot().snapshot.states.keys.contains { $0.hasPrefix("why-several-heads@") })
}
