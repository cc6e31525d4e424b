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

@Test("a space of at most 100,000 variants is complete: every combination that satisfies `where`, counted")
func smallSpaceComplete() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: even
        kind: number
        given:
          a: {from: 1, to: 400}
          b: {from: 1, to: 400}
        where: (a + b) % 2 == 0
        prompt: Q?
        answer: a + b
        explain: E.
    """).file.exercises.first)
    let space = try VariantSpace.build(for: exercise).get()
    #expect(space.isComplete)
    #expect(space.tried == 160_000)
    #expect(space.combinations.count == 80_000)
    #expect(space.total == 80_000)
}

@Test("a space whose `where` admits more than 100,000 variants is a fixed sample, with the true count")
func admittedSpaceSampled() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: most
        kind: number
        given:
          a: {from: 1, to: 400}
          b: {from: 1, to: 400}
        where: a != b
        prompt: Q?
        answer: a + b
        explain: E.
    """).file.exercises.first)
    let space = try VariantSpace.build(for: exercise).get()
    let again = try VariantSpace.build(for: exercise).get()
    #expect(!space.isComplete)
    #expect(space.total == 160_000 - 400)
    #expect(space.combinations.count == VariantSpace.sampleSize)
    #expect(space.combinations.map { $0["a"]?.integerValue } == again.combinations.map { $0["a"]?.integerValue })
}
