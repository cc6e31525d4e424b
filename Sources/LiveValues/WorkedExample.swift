import AttentionCore
import ExpressionLanguage

/// The lesson's worked example, `worked_example()`: "The animal didn't cross the street because it
/// was too tired." run through a two-head layer and through one head of the same total width.
///
/// Nothing is trained. Each word gets a hand-made 8-number embedding whose first six numbers are
/// readable features, and the projections are built so that head 1 matches the pronoun against
/// "creature" nouns and head 2 matches it against "state" words. The single head uses the very same
/// W_Q and W_K as one 8-wide head, so its one softmax has to serve both relations at once.
/// `W_V` is per head too: head 1 carries back the creature feature, head 2 the state feature, and
/// `W_O` writes them to the same feature positions of the output, so a reader can see what each layer
/// passes on for *it*: the two-head layer both features nearly whole, the wide head a blend of each.
public struct WorkedExampleValue: ValueObject {
    /// The sentence.
    public static let sentence = "The animal didn't cross the street because it was too tired."
    /// Its tokens, one per word, with the full stop on its own.
    public static let words = ["The", "animal", "didn't", "cross", "the", "street", "because", "it", "was", "too", "tired", "."]

    /// Model width of both layers.
    static let dModel = 8
    /// Embedding features, one per dimension: 0 pronoun, 1 creature noun, 2 state of being,
    /// 3 thing noun, 4 verb, 5 function word, 6 always 1, 7 unused.
    public static let featureNames = ["pronoun", "creature", "state", "thing", "verb", "function", "constant", "unused"]
    static let features: [String: [Float]] = [
        "The": [0, 0, 0, 0, 0, 1, 1, 0], "animal": [0, 1, 0, 0, 0, 0, 1, 0], "didn't": [0, 0, 0, 0, 0.5, 0.5, 1, 0],
        "cross": [0, 0, 0, 0, 1, 0, 1, 0], "the": [0, 0, 0, 0, 0, 1, 1, 0], "street": [0, 0, 0, 1, 0, 0, 1, 0],
        "because": [0, 0, 0, 0, 0, 1, 1, 0], "it": [1, 0, 0, 0, 0, 0, 1, 0], "was": [0, 0, 0.2, 0, 0.5, 0.5, 1, 0],
        "too": [0, 0, 0.2, 0, 0, 1, 1, 0], "tired": [0, 0, 1, 0, 0, 0, 1, 0], ".": [0, 0, 0, 0, 0, 1, 1, 0],
    ]
    /// How strongly a query reads the pronoun feature, and a key the feature it is matched against:
    /// the matching score is `queryGain · keyGain / √d_k` = 8 / √4 = 4 in a 4-wide head.
    static let queryGain: Float = 2
    static let keyGain: Float = 4

    /// The two-head layer (heads of width 4).
    public let twoHeads: RunValue
    /// The single head of width 8 with the same W_Q, W_K, W_V and W_O.
    public let oneHead: RunValue
    /// The same single head with a causal mask: each word sees only itself and the words before it.
    public let causalHead: RunValue

    /// Builds both layers and runs them on the sentence.
    public init() throws {
        let d = WorkedExampleValue.dModel
        let words = WorkedExampleValue.words
        var embedding: [Float] = []
        for word in words { embedding += WorkedExampleValue.features[word] ?? [Float](repeating: 0, count: d) }
        let input = try Tensor(shape: [words.count, d], storage: embedding)

        // W_Q [d_model, 8]: column 0 (head 1) and column 4 (head 2) both read the pronoun feature.
        var wq = [Float](repeating: 0, count: d * d)
        wq[0 * d + 0] = WorkedExampleValue.queryGain
        wq[0 * d + 4] = WorkedExampleValue.queryGain
        // W_K [d_model, 8]: head 1 (column 0) reads creature nouns, a little of thing nouns;
        // head 2 (column 4) reads states of being.
        var wk = [Float](repeating: 0, count: d * d)
        wk[1 * d + 0] = WorkedExampleValue.keyGain
        wk[3 * d + 0] = WorkedExampleValue.keyGain / 4
        wk[2 * d + 4] = WorkedExampleValue.keyGain
        // W_V [d_model, 8]: each head carries back the feature it matched on. Head 1 (column 0) reads
        // the creature feature, head 2 (column 4) the state feature; the other columns stay 0.
        var wv = [Float](repeating: 0, count: d * d)
        wv[1 * d + 0] = 1
        wv[2 * d + 4] = 1
        // W_O [8, d_model]: head 1's column 0 writes the creature feature of the output, head 2's
        // column 4 writes the state feature, so the output names each feature as the input does.
        var wo = [Float](repeating: 0, count: d * d)
        wo[0 * d + 1] = 1
        wo[4 * d + 2] = 1

        let q = try Linear(weight: Tensor(shape: [d, d], storage: wq))
        let k = try Linear(weight: Tensor(shape: [d, d], storage: wk))
        let v = try Linear(weight: Tensor(shape: [d, d], storage: wv))
        let o = try Linear(weight: Tensor(shape: [d, d], storage: wo))
        let weights = AttentionWeights(q: q, k: k, v: v, o: o)

        let two = try MultiHeadAttention(config: AttentionConfig(dModel: d, heads: 2, bias: false), weights: weights)
        let one = try MultiHeadAttention(config: AttentionConfig(dModel: d, heads: 1, bias: false), weights: weights)
        twoHeads = RunValue(run: try two.run(input: input), origin: "worked_example two-head", tokenLabels: words, weights: weights)
        oneHead = RunValue(run: try one.run(input: input), origin: "worked_example one-head", tokenLabels: words, weights: weights)
        causalHead = RunValue(run: try one.run(input: input, mask: .causal), origin: "worked_example causal one-head",
                              tokenLabels: words, weights: weights)
    }

    /// A short noun for messages.
    public var typeName: String { "worked example" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["sentence", "words", "two_heads", "one_head", "comparison", "features", "feature", "carried", "causal_head", "embedding"] }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        (try? memberValue(name)) ?? nil
    }

    /// The member called `name`; throws a `FunctionError` when what it needs cannot be computed.
    public func memberValue(_ name: String) throws -> Value? {
        switch name {
        case "sentence": return .string(WorkedExampleValue.sentence)
        case "words": return .list(WorkedExampleValue.words.map(Value.string))
        case "two_heads": return .object(twoHeads)
        case "one_head": return .object(oneHead)
        case "causal_head": return .object(causalHead)
        case "embedding": return .object(TensorValue(name: "embedding", tensor: try oneHead.run().input))
        case "comparison": return .object(try comparison(from: "it"))
        case "features": return .list(WorkedExampleValue.featureNames.map(Value.string))
        case "feature": return .function(WorkedExampleValue.featureFunction)
        case "carried": return .object(try carried(by: "it"))
        default: return nil
        }
    }

    /// Weights from `word` in head 1, head 2 and the single head, side by side.
    public func comparison(from word: String) throws -> HeatmapValue {
        let two = try twoHeads.run(), one = try oneHead.run()
        guard let query = WorkedExampleValue.words.firstIndex(of: word) else {
            throw FunctionError("\"\(word)\" is not in the sentence.")
        }
        let keys = WorkedExampleValue.words.indices
        let values = keys.map { key in
            [Double(two.weights[0, query, key]), Double(two.weights[1, query, key]), Double(one.weights[0, query, key])]
        }
        return HeatmapValue(title: "Attention weights from \"\(word)\"", rowLabels: WorkedExampleValue.words,
                            columnLabels: ["head 1", "head 2", "one head"], values: values)
    }

    /// What each layer passes on for `word`: one row per feature, the two-head layer's output and the
    /// wide head's output side by side.
    public func carried(by word: String) throws -> HeatmapValue {
        let two = try twoHeads.run(), one = try oneHead.run()
        guard let query = WorkedExampleValue.words.firstIndex(of: word) else {
            throw FunctionError("\"\(word)\" is not in the sentence.")
        }
        let values = WorkedExampleValue.featureNames.indices.map { feature in
            [Double(two.output[query, feature]), Double(one.output[query, feature])]
        }
        return HeatmapValue(title: "Output for \"\(word)\", by feature", rowLabels: WorkedExampleValue.featureNames,
                            columnLabels: ["two heads", "one head"], values: values)
    }

    /// `feature("creature")`: the position of a named feature in the example's vectors.
    static let featureFunction = Function("feature", parameters: [.init("name")], receiver: "worked_example") { arguments in
        let name = try arguments.string("name")
        guard let index = featureNames.firstIndex(of: name.lowercased()) else {
            let known = featureNames.map { "\"\($0)\"" }.joined(separator: ", ")
            throw FunctionError("the worked example has no feature \"\(name)\"; its features are \(known).", argument: "name")
        }
        return .integer(index)
    }

    /// One line describing the value.
    public var summary: String { "worked example: \(WorkedExampleValue.sentence)" }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool { other is WorkedExampleValue }

    /// The `worked_example()` expression function; the layers are built once and shared.
    static let function = Function("worked_example", parameters: []) { _ in
        .object(try shared.get())
    }

    private static let shared: Result<WorkedExampleValue, FunctionError> = {
        do {
            return .success(try WorkedExampleValue())
        } catch {
            return .failure(FunctionError("the worked example could not be built: \(error)"))
        }
    }()
}
