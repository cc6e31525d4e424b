import Foundation
import Testing
import ExpressionLanguage
@testable import LiveValues

/// The value of `source`, which must be a number.
private func number(_ source: String) throws -> Double {
    switch try Evaluator(live: [:]).evaluate(source) {
    case .integer(let value): return Double(value)
    case .decimal(let value): return value
    case let other: throw FunctionError("not a number: \(other)")
    }
}

@Suite("softmax, attend and matmul on numbers a person writes") struct SmallAttentionTests {
    @Test("softmax gives e^s / Σ e^s, ignores a shift of every score, and scales first")
    func softmaxByHand() throws {
        #expect(abs(try number("softmax([1, 0])[0]") - exp(1) / (exp(1) + 1)) < 1e-6)
        #expect(abs(try number("softmax([101, 100])[0]") - exp(1) / (exp(1) + 1)) < 1e-6)
        #expect(abs(try number("softmax([4, 0], scale: 0.5)[0]") - exp(2) / (exp(2) + 1)) < 1e-6)
        #expect(try number("softmax([3, 3, 3, 3])[2]") == 0.25)
    }

    @Test("attend is one head: scores q·k/√d_k, softmax, weighted sum of the values")
    func attendByHand() throws {
        let call = "attend(q: [[2, 0], [0, 0]], k: [[1, 0], [0, 1]], v: [[4, 0], [10, 1]])"
        let s = 2 / 2.0.squareRoot()
        let w0 = exp(s) / (exp(s) + 1)
        #expect(abs(try number("\(call).scores[0][0][0]") - s) < 1e-6)
        #expect(abs(try number("\(call).weights[0][0][0]") - w0) < 1e-6)
        #expect(abs(try number("\(call).head_outputs[0][0][0]") - (w0 * 4 + (1 - w0) * 10)) < 1e-5)
        #expect(abs(try number("\(call).head_outputs[0][0][1]") - (1 - w0)) < 1e-6)
        // token 1's query is 0: equal scores, equal weights
        #expect(abs(try number("\(call).weights[0][1][0]") - 0.5) < 1e-6)
    }

    @Test("attend with causal: true masks later tokens")
    func attendCausal() throws {
        let call = "attend(q: [[1, 1], [1, 1]], k: [[1, 1], [1, 1]], v: [[3, 0], [7, 0]], causal: true)"
        #expect(try number("\(call).weights[0][0][1]") == 0)
        #expect(abs(try number("\(call).head_outputs[0][0][0]") - 3) < 1e-6)
        #expect(abs(try number("\(call).head_outputs[0][1][0]") - 5) < 1e-6)
    }

    @Test("matmul multiplies a row or rows by a matrix; mismatched widths are an error at b")
    func matmulByHand() throws {
        #expect(try number("matmul([1, 1], [[1, 2], [3, 4]])[1]") == 6)
        #expect(try number("matmul([[1, 0], [0, 2]], [[1, 2], [3, 4]])[1][0]") == 6)
        let error = try #require(throws: ExpressionError.self) { try Evaluator(live: [:]).evaluate("matmul([1, 2, 3], [[1], [2]])") }
        #expect(error.message.contains("a · b needs them equal"))
        #expect(throws: ExpressionError.self) { try Evaluator(live: [:]).evaluate("attend(q: [[1, 0]], k: [[1]], v: [[1, 0]])") }
        #expect(throws: ExpressionError.self) { try Evaluator(live: [:]).evaluate("softmax(3)") }
    }
}

@Suite("permuted, decoded, reorder and rope_score") struct RunOrderTests {
    @Test("shuffling the tokens of a layer without positions shuffles its outputs the same way, and only that")
    func permutationEquivariance() throws {
        let layer = "mha(d_model: 16, heads: 2, tokens: 4, seed: 3)"
        #expect(try number("max_abs_diff(\(layer).permuted([2, 0, 3, 1]).output, reorder(\(layer).output, [2, 0, 3, 1]))") < 1e-6)
        #expect(try number("max_abs_diff(\(layer).permuted([2, 0, 3, 1]).output, \(layer).output)") > 0.01)
        #expect(throws: ExpressionError.self) { try Evaluator(live: [:]).evaluate("\(layer).permuted([0, 0, 1, 2])") }
    }

    @Test("decoding token by token equals the causal pass, and not the pass of an encoder")
    func decodedEqualsCausal() throws {
        #expect(try number("max_abs_diff(mha(d_model: 16, heads: 4, kv_heads: 2, tokens: 5, causal: true).output, mha(d_model: 16, heads: 4, kv_heads: 2, tokens: 5, causal: true).decoded)") < 1e-5)
        #expect(try number("max_abs_diff(mha(d_model: 16, heads: 2, tokens: 5).output, mha(d_model: 16, heads: 2, tokens: 5).decoded)") > 0.01)
    }

    @Test("a RoPE score depends on the signed offset only; position 0 leaves a vector as it is")
    func ropeShift() throws {
        let q = "[0.3, -1.2, 0.8, 0.5]", k = "[1.0, 0.2, -0.6, 0.4]"
        let base = try number("rope_score(q: \(q), k: \(k), m: 6, n: 2)")
        #expect(abs(base - (try number("rope_score(q: \(q), k: \(k), m: 46, n: 42)"))) < 1e-4)
        #expect(abs(base - (try number("rope_score(q: \(q), k: \(k), m: 2, n: 6)"))) > 0.05)
        #expect(abs(try number("rope_score(q: \(q), k: \(k), m: 0, n: 0)") - (0.3 - 0.24 - 0.48 + 0.2)) < 1e-6)
    }
}
