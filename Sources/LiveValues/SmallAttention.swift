import AttentionCore
import ExpressionLanguage

/// Attention on numbers a person can write down, computed by the core: the expression functions
/// exercises use to pose "compute it yourself" questions whose keys come from the same code that
/// runs every layer.
///
/// - `softmax([2, 1, 0], scale: 1)`: the weights the core's softmax gives `scale × scores`;
/// - `attend(q: [[1, 0]], k: [[1, 0], [0, 1]], v: [[1, 2], [3, 4]], causal: false)`: one attention
///   head over the given queries, keys and values (T × d_k each, T the same for all three), run as
///   a one-head layer of the core (scores · 1/√d_k → softmax → weighted sum): a run whose
///   `scores`, `weights` and `head_outputs` are the tensors of that head;
/// - `matmul(a, b)`: a matrix product by the core's BLAS (a list of rows, or one row, times a
///   list of rows), as when a head's output goes through W_O.
enum SmallAttention {
    static let all: [Function] = [softmax, attend, matmul]

    static let softmax = Function("softmax", parameters: [.init("scores"), .init("scale", default: .integer(1))]) { arguments in
        let scores = try numbers(arguments.value("scores"), argument: "scores", what: "softmax takes a list of scores, such as [2, 1, 0]")
        guard !scores.isEmpty, scores.count <= 4_096 else {
            throw FunctionError("softmax takes 1 to 4096 scores; got \(scores.count).", argument: "scores")
        }
        let scale = try arguments.number("scale")
        let tensor = try Tensor(shape: [1, scores.count], storage: scores.map { Float($0 * scale) })
        return .list(AttentionCore.softmax(tensor).storage.map { .decimal(Double($0)) })
    }

    static let attend = Function("attend", parameters: [
        .init("q"), .init("k"), .init("v"), .init("causal", default: .boolean(false)),
    ]) { arguments in
        let q = try matrix(arguments.value("q"), argument: "q")
        let k = try matrix(arguments.value("k"), argument: "k")
        let v = try matrix(arguments.value("v"), argument: "v")
        let tokens = q.count, width = q[0].count
        guard k.count == tokens, v.count == tokens else {
            throw FunctionError("q, k and v need one row per token each; got \(q.count), \(k.count) and \(v.count) rows.", argument: "k")
        }
        guard k[0].count == width, v[0].count == width else {
            throw FunctionError("q, k and v rows must all be \(width) wide, as q's are.", argument: k[0].count == width ? "v" : "k")
        }
        let causal = try arguments.boolean("causal")
        // One head of width d_k = width over an input [q | k | v] (3·width wide): W_Q, W_K and W_V
        // each pick their third, W_O writes the head's output into the first third.
        let d = width, dModel = 3 * width
        func selector(block: Int) throws -> Linear {
            var w = [Float](repeating: 0, count: dModel * d)
            for i in 0..<d { w[(block * d + i) * d + i] = 1 }
            return try Linear(weight: Tensor(shape: [dModel, d], storage: w))
        }
        var o = [Float](repeating: 0, count: d * dModel)
        for i in 0..<d { o[i * dModel + i] = 1 }
        let weights = AttentionWeights(q: try selector(block: 0), k: try selector(block: 1), v: try selector(block: 2),
                                       o: try Linear(weight: Tensor(shape: [d, dModel], storage: o)))
        do {
            let layer = try MultiHeadAttention(config: AttentionConfig(dModel: dModel, heads: 1, headDim: d, bias: false), weights: weights)
            var input: [Float] = []
            for t in 0..<tokens { input += (q[t] + k[t] + v[t]).map(Float.init) }
            let run = try layer.run(input: Tensor(shape: [tokens, dModel], storage: input), mask: AttentionMask(causal: causal))
            return .object(RunValue(run: run, origin: "attend", weights: weights))
        } catch let error as AttentionError {
            throw FunctionError(error.message)
        }
    }

    static let matmul = Function("matmul", parameters: [.init("a"), .init("b")]) { arguments in
        let first = try arguments.value("a")
        let a = try matrix(first, argument: "a", allowVector: true)
        let vector = a.count == 1 && !isNested(first)
        let b = try matrix(arguments.value("b"), argument: "b")
        guard a[0].count == b.count else {
            throw FunctionError("a's rows are \(a[0].count) wide but b has \(b.count) rows; a · b needs them equal.", argument: "b")
        }
        let product = try AttentionCore.matmul(Tensor(shape: [a.count, a[0].count], storage: a.flatMap { $0.map(Float.init) }),
                                               Tensor(shape: [b.count, b[0].count], storage: b.flatMap { $0.map(Float.init) }))
        let columns = b[0].count
        let rows: [Value] = (0..<a.count).map { r in .list((0..<columns).map { .decimal(Double(product.storage[r * columns + $0])) }) }
        return vector ? rows[0] : .list(rows)
    }

    private static func isNested(_ value: Value) -> Bool {
        if case .list(let items) = value, case .list? = items.first { return true }
        return false
    }

    static func numbers(_ value: Value, argument: String, what: String) throws -> [Double] {
        guard case .list(let items) = value else { throw FunctionError("\(what); got \(value.quotedDescription).", argument: argument) }
        return try items.map { item in
            switch item {
            case .integer(let number): return Double(number)
            case .decimal(let number): return number
            default: throw FunctionError("\(what); \(item.quotedDescription) is not a number.", argument: argument)
            }
        }
    }

    /// A list of equal rows of numbers (at most 64 × 64); with `allowVector`, one row alone is one row.
    static func matrix(_ value: Value, argument: String, allowVector: Bool = false) throws -> [[Double]] {
        let what = "\(argument) is a list of rows of numbers, such as [[1, 0], [0, 1]]"
        guard case .list(let items) = value, !items.isEmpty else { throw FunctionError("\(what); got \(value.quotedDescription).", argument: argument) }
        let rows: [[Double]]
        if allowVector, !isNested(value) {
            rows = [try numbers(value, argument: argument, what: what)]
        } else {
            rows = try items.map { try numbers($0, argument: argument, what: what) }
        }
        guard let width = rows.first?.count, width > 0, rows.allSatisfy({ $0.count == width }) else {
            throw FunctionError("\(what), every row as wide as the first.", argument: argument)
        }
        guard rows.count <= 64, width <= 64 else { throw FunctionError("\(argument) may be at most 64 × 64.", argument: argument) }
        return rows
    }
}
