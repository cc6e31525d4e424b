import AttentionCore
import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("TensorValue") struct TensorValueTests {
    private let tensor: Value = {
        let storage: [Float] = [1, 2, 3, 4, 5, 6]
        let made = (try? Tensor(shape: [2, 3], storage: storage)) ?? Tensor(zeros: [2, 3])
        return .object(TensorValue(name: "t", tensor: made))
    }()

    private func eval(_ source: String) throws -> Value {
        try Evaluator(live: ["t": tensor]).evaluate(source)
    }

    @Test("indexing walks down the axes to a number")
    func indexing() throws {
        #expect(try eval("t[1].shape") == .shape([3]))
        #expect(try eval("t[1][2]") == .decimal(6))
        #expect(try eval("t[-1][0]") == .decimal(4))
    }

    @Test("shape, rank, sum, max and min describe the tensor")
    func members() throws {
        #expect(try eval("t.shape") == .shape([2, 3]))
        #expect(try eval("t.rank") == .integer(2))
        #expect(try eval("t[0].sum") == .decimal(6))
        #expect(try eval("t.max") == .decimal(6))
        #expect(try eval("t.min") == .decimal(1))
    }

    @Test("an index past the end is an error naming the valid range")
    func outOfRange() {
        do {
            _ = try eval("t[2]")
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.column == 3)
            #expect(error.message.contains("out of range"))
        } catch {
            Issue.record("\(error)")
        }
        #expect(throws: ExpressionError.self) { try eval("t[0][0][0]") }
    }
}
