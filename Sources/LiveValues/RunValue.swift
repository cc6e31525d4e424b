import AttentionCore
import Foundation
import ExpressionLanguage

/// One attention layer as an expression value: what `mha(…)`, `mla(…)` and `cross(…)` return.
///
/// Counts (`d_k`, `params`, `kv_cache_bytes(…)`) come from the core's configuration and cost model
/// and need no run; the first tensor or flow member runs the layer once (seeded) and keeps the run.
public final class RunValue: ValueObject, @unchecked Sendable {
    /// The largest layer (weights plus activations) an expression may run: 512 MiB, so that a lesson
    /// recomputed for a published model (`lesson multi-head --model llama-3-8b`) runs one layer of its
    /// exact shape up to d_model 4096 or so; wider models give their counts, not their tensors
    /// (`runnable` says which). The process budget (`MemoryBudget`) still holds.
    public static let runMemoryLimit = 512 << 20

    /// The layer's configuration.
    public let config: AttentionConfig
    /// Query tokens `T`.
    public let tokens: Int
    /// Key/value tokens `S` for cross-attention, nil for self-attention.
    public let sourceTokens: Int?
    /// Whether queries see only earlier keys.
    public let causal: Bool
    /// The seed of the weights and inputs (0 for constructed layers).
    public let seed: Int
    /// The function that made the run (`mha`, `mla`, `cross`, or a constructed example), for messages.
    public let origin: String
    /// Words for the query tokens, when the run is over a real sentence.
    public let tokenLabels: [String]?
    /// The core's counts for this configuration.
    public let cost: AttentionCost

    private let producer: @Sendable () throws -> AttentionRun
    /// The layer's weights, for the members that need `W_O` (`head_contribution`); nil when unknown.
    let weightsProducer: (@Sendable () throws -> AttentionWeights)?
    private let lock = NSLock()
    /// The memory this run holds, counted against `MemoryBudget.shared` while the run is kept.
    private var reservation: MemoryBudget.Reservation?
    private var result: Result<AttentionRun, FunctionError>?

    /// A value for a layer that `producer` runs on first use.
    public init(config: AttentionConfig, tokens: Int, sourceTokens: Int? = nil, causal: Bool = false, seed: Int = 0,
                origin: String, tokenLabels: [String]? = nil,
                weights: (@Sendable () throws -> AttentionWeights)? = nil,
                producer: @escaping @Sendable () throws -> AttentionRun) {
        self.config = config
        self.tokens = tokens
        self.sourceTokens = sourceTokens
        self.causal = causal
        self.seed = seed
        self.origin = origin
        self.tokenLabels = tokenLabels
        self.cost = AttentionCost(config: config, tokens: tokens, sourceTokens: sourceTokens)
        self.producer = producer
        self.weightsProducer = weights
    }

    /// A value wrapping a run already made.
    public convenience init(run: AttentionRun, origin: String, tokenLabels: [String]? = nil, weights: AttentionWeights? = nil) {
        self.init(config: run.config, tokens: run.tokens, sourceTokens: run.isCross ? run.sourceTokens : nil,
                  causal: run.mask.causal, origin: origin, tokenLabels: tokenLabels,
                  weights: weights.map { known in { @Sendable in known } }, producer: { run })
        result = .success(run)
    }

    /// The run, computed on first use; throws a `FunctionError` when the layer is too large to run here.
    public func run() throws -> AttentionRun {
        lock.lock()
        defer { lock.unlock() }
        if let result { return try result.get() }
        let outcome: Result<AttentionRun, FunctionError>
        do {
            try config.validate(tokens: tokens, sourceTokens: sourceTokens, memoryLimit: RunValue.runMemoryLimit)
            let estimate = config.estimatedBytes(tokens: tokens, sourceTokens: sourceTokens) ?? Int.max
            reservation = try MemoryBudget.Reservation(estimate, for: "Running this layer over \(tokens) tokens")
            outcome = .success(try producer())
        } catch let error as AttentionError {
            let counts = "its counts (d_k, params, kv_cache_bytes(…), …) still work without running it"
            outcome = .failure(FunctionError("\(origin) can't run this layer here: \(error.message) (\(counts))."))
        } catch let error as MemoryBudget.Exceeded {
            outcome = .failure(FunctionError("\(origin) can't run this layer here: \(error) (earlier runs of this lesson are kept)."))
        } catch {
            outcome = .failure(FunctionError("\(origin) failed: \(error)."))
        }
        result = outcome
        return try outcome.get()
    }

    /// A short noun for messages.
    public var typeName: String { "\(origin) run" }

    /// Whether the layer is small enough to run in an expression (`runMemoryLimit`), so its tensors
    /// and `flow` can be read; a lesson uses it to show a large model's counts without its tensors.
    public var runnable: Bool {
        (config.estimatedBytes(tokens: tokens, sourceTokens: sourceTokens) ?? Int.max) <= RunValue.runMemoryLimit
    }

    static let countMembers = ["d_model", "heads", "kv_heads", "head_dim", "d_k", "group_size", "tokens", "layers", "kind",
                               "causal", "seed", "params", "params_per_layer", "params_total", "params_q", "params_k", "params_v", "params_o",
                               "attention_computations", "multiply_adds", "flops", "score_multiply_adds",
                               "weighted_sum_multiply_adds", "softmaxes", "kv_cache_values_per_layer", "runnable"]
    static let tensorMembers = ["input", "q", "k", "v", "q_heads", "k_heads", "v_heads", "scores", "weights",
                                "head_outputs", "concat", "output"]
    static let methodMembers = ["kv_cache_bytes", "kv_cache_bytes_per_layer", "weights_from", "weight", "output_of",
                                "head_output_of", "head_contribution", "permuted", "decoded"]

    /// The names `member(_:)` answers.
    public var memberNames: [String] {
        var names = RunValue.countMembers + RunValue.tensorMembers + RunValue.methodMembers + ["flow", "sum_of_head_contributions"]
        if config.isLatent { names += ["kv_lora_rank", "rope_dim", "latent", "params_latent"] }
        if sourceTokens != nil { names += ["source_tokens", "source"] }
        if tokenLabels != nil { names += ["words"] }
        return names
    }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        (try? memberValue(name)) ?? nil
    }

    /// The member called `name`; throws a `FunctionError` when what it needs cannot be computed.
    public func memberValue(_ name: String) throws -> Value? {
        switch name {
        case "d_model": return .integer(config.dModel)
        case "heads": return .integer(config.heads)
        case "kv_heads": return .integer(config.kvHeads)
        case "head_dim", "d_k": return .integer(config.headDim)
        case "group_size": return .integer(config.groupSize)
        case "tokens": return .integer(tokens)
        case "layers": return .integer(config.layers)
        case "kind": return .string(config.kind.rawValue)
        case "causal": return .boolean(causal)
        case "seed": return .integer(seed)
        case "params", "params_per_layer": return .integer(cost.paramsPerLayer)
        case "params_total": return .integer(cost.params)
        case "params_q": return .integer(cost.paramsQ)
        case "params_k": return .integer(cost.paramsK)
        case "params_v": return .integer(cost.paramsV)
        case "params_o": return .integer(cost.paramsO)
        case "attention_computations": return .integer(cost.attentionComputations)
        case "multiply_adds": return .integer(cost.multiplyAdds)
        case "flops": return .integer(cost.flops)
        case "score_multiply_adds": return .integer(cost.steps.first { $0.name == "scores" }?.multiplyAdds ?? 0)
        case "weighted_sum_multiply_adds": return .integer(cost.steps.first { $0.name == "head_outputs" }?.multiplyAdds ?? 0)
        case "softmaxes": return .integer(config.heads * tokens)
        case "kv_cache_values_per_layer": return .integer(cost.kvCacheValuesPerTokenPerLayer)
        case "runnable": return .boolean(runnable)
        case "kv_lora_rank" where config.isLatent: return .integer(config.kvLoraRank)
        case "rope_dim" where config.isLatent: return .integer(config.ropeDim)
        case "params_latent" where config.isLatent: return .integer(cost.paramsLatent)
        case "source_tokens" where sourceTokens != nil: return .integer(sourceTokens ?? tokens)
        case "words": return tokenLabels.map { .list($0.map(Value.string)) }
        case "flow": return .object(FlowValue(run: try run(), title: "\(config.kind) dimension flow"))
        case "kv_cache_bytes": return .function(kvCacheFunction(name: name, perLayer: false))
        case "kv_cache_bytes_per_layer": return .function(kvCacheFunction(name: name, perLayer: true))
        case "weights_from": return .function(weightsFromFunction())
        case "weight": return .function(weightFunction())
        case "output_of": return .function(outputOfFunction())
        case "head_output_of": return .function(headOutputOfFunction())
        case "head_contribution": return .function(headContributionFunction())
        case "sum_of_head_contributions": return .object(try sumOfHeadContributions())
        case "permuted": return .function(permutedFunction())
        case "decoded": return .object(try decoded())
        default: break
        }
        let tensorNames = RunValue.tensorMembers + (config.isLatent ? ["latent"] : []) + (sourceTokens != nil ? ["source"] : [])
        guard tensorNames.contains(name) else { return nil }
        let run = try run()
        guard let tensor = run.tensor(named: name) else { return nil }
        return .object(TensorValue(name: name, tensor: tensor))
    }

    /// One line describing the value.
    public var summary: String { config.description }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? RunValue else { return false }
        return other === self || (config == other.config && tokens == other.tokens && sourceTokens == other.sourceTokens
            && causal == other.causal && seed == other.seed && origin == other.origin && tokenLabels == other.tokenLabels)
    }

    private var receiver: String { "\(ObjectIdentifier(self).hashValue)" }

    private func kvCacheFunction(name: String, perLayer: Bool) -> Function {
        let cost = self.cost
        return Function(name, parameters: [.init("dtype", default: .string("bf16"))], receiver: receiver) { arguments in
            let dtype = try ModelValue.dtype(arguments)
            return .integer(perLayer ? cost.kvCacheBytesPerTokenPerLayer(dtype) : cost.kvCacheBytesPerToken(dtype))
        }
    }

    /// Finds a query or key position from a word of the sentence or a 0-based index.
    func position(of value: Value, argument: String, count: Int, labels: [String]?) throws -> Int {
        switch value {
        case .integer(let index):
            guard index >= 0, index < count else {
                throw FunctionError("position \(index) is out of range: there are \(count) tokens, numbered from 0.", argument: argument)
            }
            return index
        case .string(let word):
            guard let labels else {
                throw FunctionError("this run has no words, only \(count) positions; give a position from 0 to \(count - 1).", argument: argument)
            }
            if let index = labels.firstIndex(of: word) ?? labels.firstIndex(where: { $0.lowercased() == word.lowercased() }) {
                return index
            }
            let quoted = labels.map { "\"\($0)\"" }.joined(separator: ", ")
            throw FunctionError("\"\(word)\" is not one of the tokens: \(quoted).", argument: argument)
        default:
            throw FunctionError("give a token as a word in quotes or a position; got \(value.kindName).", argument: argument)
        }
    }

    private func weightsFromFunction() -> Function {
        Function("weights_from", parameters: [.init("token")], receiver: receiver) { [self] arguments in
            let run = try self.run()
            let keys = run.sourceTokens
            let query = try position(of: arguments.value("token"), argument: "token", count: run.tokens, labels: tokenLabels)
            let keyLabels = (sourceTokens == nil ? tokenLabels : nil) ?? (0..<keys).map { "token \($0)" }
            var columns: [[Double]] = []
            for head in 0..<run.config.heads {
                columns.append((0..<keys).map { Double(run.weights[head, query, $0]) })
            }
            let queryLabel = tokenLabels?[query] ?? "token \(query)"
            let headLabels = run.config.heads == 1 ? ["one head"] : (1...run.config.heads).map { "head \($0)" }
            return .object(HeatmapValue(
                title: "Attention weights from \"\(queryLabel)\"",
                rowLabels: keyLabels, columnLabels: headLabels,
                values: (0..<keys).map { key in columns.map { $0[key] } }))
        }
    }

    private func weightFunction() -> Function {
        let parameters: [Function.Parameter] = [.init("head", default: .integer(1)), .init("from"), .init("to")]
        return Function("weight", parameters: parameters, receiver: receiver) { [self] arguments in
            let run = try self.run()
            let head = try arguments.integer("head", in: 1...run.config.heads)
            let query = try position(of: arguments.value("from"), argument: "from", count: run.tokens, labels: tokenLabels)
            let keyLabels = sourceTokens == nil ? tokenLabels : nil
            let key = try position(of: arguments.value("to"), argument: "to", count: run.sourceTokens, labels: keyLabels)
            return .decimal(Double(run.weights[head - 1, query, key]))
        }
    }

    private func outputOfFunction() -> Function {
        Function("output_of", parameters: [.init("token")], receiver: receiver) { [self] arguments in
            let run = try self.run()
            let query = try position(of: arguments.value("token"), argument: "token", count: run.tokens, labels: tokenLabels)
            let width = run.output.shape[1]
            let row = run.output.storage[(query * width)..<((query + 1) * width)]
            return .object(TensorValue(name: "output_of(\(query))", shape: [width], storage: row))
        }
    }

    private func headOutputOfFunction() -> Function {
        let parameters: [Function.Parameter] = [.init("head", default: .integer(1)), .init("token")]
        return Function("head_output_of", parameters: parameters, receiver: receiver) { [self] arguments in
            let run = try self.run()
            let head = try arguments.integer("head", in: 1...run.config.heads)
            let query = try position(of: arguments.value("token"), argument: "token", count: run.tokens, labels: tokenLabels)
            let width = run.headOutputs.shape[2]
            let start = ((head - 1) * run.tokens + query) * width
            let row = run.headOutputs.storage[start..<(start + width)]
            return .object(TensorValue(name: "head_output_of(\(head), \(query))", shape: [width], storage: row))
        }
    }

    /// `W_O` of this layer; throws when the run was made without its weights.
    private func outputProjection() throws -> Linear {
        guard let weightsProducer else {
            throw FunctionError("this \(origin) run does not know its W_O, so it can't split the output by head.")
        }
        guard let projection = try weightsProducer()["W_O"] else {
            throw FunctionError("this \(origin) layer has no W_O.")
        }
        return projection
    }

    /// Head `head`'s share of the output (0-based): its output `[T, d_k]` times its own rows of `W_O`, `[T, d_model]`.
    func headContribution(_ head: Int) throws -> Tensor {
        let run = try run()
        let projection = try outputProjection()
        let tokens = run.tokens, width = run.headOutputs.shape[2], dModel = projection.outputs
        let start = head * tokens * width
        let output = try Tensor(shape: [tokens, width], storage: Array(run.headOutputs.storage[start..<(start + tokens * width)]))
        let rows = head * width * dModel
        let block = try Tensor(shape: [width, dModel], storage: Array(projection.weight.storage[rows..<(rows + width * dModel)]))
        return try matmul(output, block)
    }

    private func headContributionFunction() -> Function {
        Function("head_contribution", parameters: [.init("head")], receiver: receiver) { [self] arguments in
            let head = try arguments.integer("head", in: 1...config.heads)
            return .object(TensorValue(name: "head_contribution(\(head))", tensor: try headContribution(head - 1)))
        }
    }

    /// Σ over heads of `head_h · W_O^h`, plus `W_O`'s bias: the output computed head by head.
    func sumOfHeadContributions() throws -> TensorValue {
        let run = try run()
        let projection = try outputProjection()
        let dModel = projection.outputs
        var storage = [Float](repeating: 0, count: run.tokens * dModel)
        if let bias = projection.bias {
            for token in 0..<run.tokens { for j in 0..<dModel { storage[token * dModel + j] = bias.storage[j] } }
        }
        for head in 0..<run.config.heads {
            let part = try headContribution(head).storage
            storage.withUnsafeMutableBufferPointer { sum in
                part.withUnsafeBufferPointer { add in
                    for index in sum.indices { sum[index] += add[index] }
                }
            }
        }
        return TensorValue(name: "sum_of_head_contributions", tensor: try Tensor(shape: [run.tokens, dModel], storage: storage))
    }
}
