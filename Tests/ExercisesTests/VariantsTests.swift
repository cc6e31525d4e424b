import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("every drawn variant satisfies `where`, and the same seed draws the same variant")
func variantsSatisfyWhere() throws {
    let exercise = try #require(try Fixtures.valid()["dk-from-d-model"])
    let space = try VariantSpace.build(for: exercise).get()
    #expect(space.tried == 3 * 29)
    for combination in space.combinations {
        let d = try #require(combination["d_model"]?.integerValue), h = try #require(combination["h"]?.integerValue)
        #expect(d % h == 0 && d / h >= 16)
    }
    for seed in UInt64(0)..<20 {
        let a = space.draw(seed: seed, exerciseID: exercise.id), b = space.draw(seed: seed, exerciseID: exercise.id)
        #expect(a["h"]?.integerValue == b["h"]?.integerValue && a["d_model"]?.integerValue == b["d_model"]?.integerValue)
    }
    let drawn = Set((UInt64(0)..<50).compactMap { space.draw(seed: $0, exerciseID: exercise.id)["h"]?.integerValue })
    #expect(drawn.count > 3)
}

@Test("a `where` nothing satisfies is an error at the `where` line")
func unsatisfiableWhere() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: none
        kind: number
        given:
          h: [3, 5]
        where: 64 % h == 0
        prompt: Q?
        answer: 64 / h
        explain: E.
    """)
    let exercise = try #require(result.file.exercises.first)
    guard case .failure(let problems) = VariantSpace.build(for: exercise) else {
        Issue.record("expected an unsatisfiable `where`")
        return
    }
    #expect(problems.diagnostics.first?.location.line == 7)
    #expect(problems.diagnostics.first?.location.column == 12)
}

@Test("an exercise without parameters has exactly one variant, with no bindings")
func noParameters() throws {
    let exercise = try #require(try Fixtures.valid()["why-several-heads"])
    let space = try VariantSpace.build(for: exercise).get()
    #expect(space.combinations.count == 1)
    #expect(space.draw(seed: 9, exerciseID: exercise.id).isEmpty)
}
