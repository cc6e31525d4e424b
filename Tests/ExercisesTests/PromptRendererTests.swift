import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("a rendered question shows its options by letter and, for multi, how to answer")
func renderedOptions() throws {
    let question = try Fixtures.question("what-heads-share", seed: 0)
    let text = PromptRenderer(width: 60, color: false).render(question)
    for (index, option) in question.options.enumerated() {
        #expect(text.contains("\(PresentedOption.letter(index))) \(option.text)"))
    }
    #expect(text.contains("Choose every option that is right"))
    #expect(!text.contains("\u{1B}"))
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 60 })
}

@Test("a number question with a tolerance says how precise to be")
func renderedTolerance() throws {
    let text = PromptRenderer(width: 80, color: false).render(try Fixtures.question("scale-factor"))
    #expect(text.contains("Answers within ± 0.001 count as correct."))
}

@Test("a question renders as its prompt Markdown rendered")
func questionRendersItsMarkdown() throws {
    let question = try Fixtures.question("why-several-heads")
    let renderer = PromptRenderer(width: 60, color: false)
    let markdown = PromptRenderer.markdown(for: question)
    #expect(markdown.hasPrefix(question.prompt))
    #expect(markdown.contains("- a) "))
    #expect(renderer.render(question) == renderer.render(markdown))
}
