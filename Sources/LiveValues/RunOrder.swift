import AttentionCore
import ExpressionLanguage

/// Two runs of the same layer that lessons compare with the run itself:
///
/// - `run.permuted([2, 0, 1])`: the same weights on the same tokens in another order (row `i` of
///   the new input is row `order[i]` of the old), to show that attention without positions treats
///   its input as a set: the outputs come back permuted the same way (`reorder(run.output, order)`);
/// - `run.decoded`: the same tokens fed one at a time through a `DecodeSession` (KV cache), its
///   outputs stacked `[T, d_model]`: equal to a causal run's output, row for row.
extension RunValue {
    func permutedFunction() -> Function {
        Function("permuted", parameters: [.init("order")], receiver: "\(ObjectIdentifier(self).hashValue)") { [self] arguments in
            let order = try RunOrder.order(arguments.value("order"), count: tokens)
            let base = try run()
            guard sourceTokens == nil, let weightsProducer else {
                throw FunctionError("permuted needs a self-attention run of mha(…) whose weights are known.")
            }
            let weights = try weightsProducer()
            let width = base.input.shape[1]
            var rows: [Float] = []
            for index in order { rows += base.input.storage[(index * width)..<((index + 1) * width)] }
            do {
                let layer = try MultiHeadAttention(config: config, weights: weights)
                let run = try layer.run(input: Tensor(shape: base.input.shape, storage: rows), mask: AttentionMask(causal: causal))
                return .object(RunValue(run: run, origin: origin, weights: weights))
            } catch let error as AttentionError {
                throw FunctionError(error.message)
            }
        }
    }

    /// The outputs of decoding the run's tokens one at a time with a KV cache.
    func decoded() throws -> TensorValue {
        let base = try run()
        guard sourceTokens == nil, let weightsProducer else {
            throw FunctionError("decoded needs a self-attention run of mha(…) whose weights are known.")
        }
        do {
            let session = try DecodeSession(layer: MultiHeadAttention(config: config, weights: weightsProducer()), capacity: tokens)
            let width = base.input.shape[1]
            var rows: [Float] = []
            for t in 0..<tokens {
                let token = try Tensor(shape: [1, width], storage: Array(base.input.storage[(t * width)..<((t + 1) * width)]))
                rows += try session.decode(token).storage
            }
            return TensorValue(name: "decoded", tensor: try Tensor(shape: base.output.shape, storage: rows))
        } catch let error as AttentionError {
            throw FunctionError(error.message)
        }
    }
}

enum RunOrder {
    static let all: [Function] = [reorder, ropeScore]

    /// A permutation of `0 ..< count`, or an error saying what one is.
    static func order(_ value: Value, count: Int) throws -> [Int] {
        guard case .list(let items) = value else {
            throw FunctionError("order is a list of the token positions 0 to \(count - 1), each once, such as [2, 0, 1].", argument: "order")
        }
        let order = items.compactMap { item -> Int? in if case .integer(let index) = item { return index } else { return nil } }
        guard order.count == count, order.count == items.count, Set(order) == Set(0..<count) else {
            throw FunctionError("order must list each of the \(count) token positions 0 to \(count - 1) once; got \(value.quotedDescription).", argument: "order")
        }
        return order
    }

    /// `reorder(tensor, order)`: row `i` of the result is row `order[i]` of `tensor` (its first axis).
    static let reorder = Function("reorder", parameters: [.init("tensor"), .init("order")]) { arguments in
        guard case .object(let object) = try arguments.value("tensor"), let tensor = object as? TensorValue, let rows = tensor.shape.first else {
            throw FunctionError("reorder takes a tensor, such as run.output.", argument: "tensor")
        }
        let order = try RunOrder.order(arguments.value("order"), count: rows)
        let width = tensor.shape.dropFirst().reduce(1, *)
        let storage = Array(tensor.storage)
        var result: [Float] = []
        for index in order { result += storage[(index * width)..<((index + 1) * width)] }
        return .object(TensorValue(name: "reorder(\(tensor.name))", tensor: try Tensor(shape: tensor.shape, storage: result)))
    }

    /// `rope_score(q:, k:, m:, n:)`: the dot product of query `q` rotated to position `m` with key `k`
    /// rotated to position `n`, by the core's rotary embedding (interleaved pairs, base 10000).
    static let ropeScore = Function("rope_score", parameters: [.init("q"), .init("k"), .init("m"), .init("n")]) { arguments in
        let q = try SmallAttention.numbers(arguments.value("q"), argument: "q", what: "q is a list of numbers of even length")
        let k = try SmallAttention.numbers(arguments.value("k"), argument: "k", what: "k is a list of numbers of even length")
        guard q.count == k.count, q.count % 2 == 0, !q.isEmpty, q.count <= 1024 else {
            throw FunctionError("q and k must have the same even width (RoPE rotates pairs); got \(q.count) and \(k.count).", argument: "k")
        }
        let m = try arguments.integer("m", in: 0...1_000_000), n = try arguments.integer("n", in: 0...1_000_000)
        let rq = RotaryEmbedding.rotated(q.map(Float.init), position: m)
        let rk = RotaryEmbedding.rotated(k.map(Float.init), position: n)
        return .decimal(zip(rq, rk).reduce(0.0) { $0 + Double($1.0) * Double($1.1) })
    }
}
