import AttentionCore
import Foundation
import ExpressionLanguage

/// The expression functions that run the attention core: `mha`, `mla`, `cross`, `table`.
enum AttentionFunctions {
    static let all: [Function] = [mha, mla, cross, table, dtypeBytes, WorkedExampleValue.function, ModelValue.function] + CatalogFunctions.all + SmallAttention.all + RunOrder.all

    /// Runs made so far, keyed by function and arguments, so a lesson that writes `mha(…)` twice runs it once.
    static let cache = RunCache()

    /// Seeded layers made so far, keyed by configuration and seed, so runs that differ only in tokens,
    /// mask or source length draw the weights once.
    static let layers = LayerCache()

    static let mha = Function("mha", parameters: [
        .init("d_model"), .init("heads"), .init("kv_heads", optional: "heads"), .init("head_dim", optional: "d_model / heads"),
        .init("tokens", default: .integer(8)), .init("layers", default: .integer(1)),
        .init("causal", default: .boolean(false)), .init("seed", default: .integer(0)), .init("bias", default: .boolean(true)),
    ]) { arguments in
        let heads = try arguments.integer("heads", in: 1...AttentionConfig.maxDimension)
        let kvHeads = arguments.values["kv_heads"] == nil ? heads : try arguments.integer("kv_heads", in: 1...AttentionConfig.maxDimension)
        let headDim = arguments.values["head_dim"] == nil ? nil : try arguments.integer("head_dim", in: 1...AttentionConfig.maxDimension)
        let config = AttentionConfig(
            dModel: try arguments.integer("d_model", in: 1...AttentionConfig.maxDimension), heads: heads, kvHeads: kvHeads,
            headDim: headDim, bias: try arguments.boolean("bias"), layers: try arguments.integer("layers", in: 1...100_000))
        if kvHeads > heads {
            throw FunctionError("kv_heads = \(kvHeads) is more than heads = \(heads); each K/V head serves at least one query head.", argument: "kv_heads")
        }
        if heads % kvHeads != 0 {
            throw FunctionError("kv_heads = \(kvHeads) does not divide heads = \(heads), so the query heads can't share K/V heads in equal groups.", argument: "kv_heads")
        }
        if headDim == nil && config.dModel % heads != 0 {
            throw FunctionError("d_model = \(config.dModel) is not divisible by heads = \(heads), so d_k = d_model / heads is not a whole number; give head_dim: or pick a divisor.", argument: "heads")
        }
        return try seeded("mha", config: config, arguments: arguments, sourceTokens: nil)
    }

    static let mla = Function("mla", parameters: [
        .init("d_model"), .init("heads"), .init("kv_lora_rank"), .init("head_dim", optional: "d_model / heads"),
        .init("rope_dim", default: .integer(0)), .init("tokens", default: .integer(8)), .init("layers", default: .integer(1)),
        .init("causal", default: .boolean(false)), .init("seed", default: .integer(0)), .init("bias", default: .boolean(true)),
    ]) { arguments in
        let heads = try arguments.integer("heads", in: 1...AttentionConfig.maxDimension)
        let headDim = arguments.values["head_dim"] == nil ? nil : try arguments.integer("head_dim", in: 1...AttentionConfig.maxDimension)
        let rope = try arguments.integer("rope_dim", in: 0...AttentionConfig.maxDimension)
        if rope % 2 != 0 {
            throw FunctionError("rope_dim must be even, since RoPE rotates pairs of dimensions; got \(rope).", argument: "rope_dim")
        }
        let config = AttentionConfig(
            dModel: try arguments.integer("d_model", in: 1...AttentionConfig.maxDimension), heads: heads, headDim: headDim,
            kvLoraRank: try arguments.integer("kv_lora_rank", in: 1...AttentionConfig.maxDimension), ropeDim: rope,
            bias: try arguments.boolean("bias"), layers: try arguments.integer("layers", in: 1...100_000))
        if headDim == nil && config.dModel % heads != 0 {
            throw FunctionError("d_model = \(config.dModel) is not divisible by heads = \(heads); give head_dim: or pick a divisor.", argument: "heads")
        }
        return try seeded("mla", config: config, arguments: arguments, sourceTokens: nil)
    }

    static let cross = Function("cross", parameters: [
        .init("d_model"), .init("heads"), .init("tokens", default: .integer(8)), .init("source_tokens"),
        .init("seed", default: .integer(0)), .init("bias", default: .boolean(true)),
    ]) { arguments in
        let heads = try arguments.integer("heads", in: 1...AttentionConfig.maxDimension)
        let config = AttentionConfig(dModel: try arguments.integer("d_model", in: 1...AttentionConfig.maxDimension), heads: heads,
                                     bias: try arguments.boolean("bias"))
        if config.dModel % heads != 0 {
            throw FunctionError("d_model = \(config.dModel) is not divisible by heads = \(heads), so d_k is not a whole number.", argument: "heads")
        }
        let source = try arguments.integer("source_tokens", in: 1...AttentionConfig.maxDimension)
        return try seeded("cross", config: config, arguments: arguments, sourceTokens: source)
    }

    static let dtypeBytes = Function("dtype_bytes", parameters: [.init("dtype", default: .string("bf16"))]) { arguments in
        .integer(try ModelValue.dtype(arguments).bytes)
    }

    static let table = Function("table", parameters: [.init("header"), .init("rows", variadic: true)]) { arguments in
        guard case .list(let headerValues) = try arguments.value("header") else {
            throw FunctionError("table's first argument is the header: a list of column names such as [\"variant\", \"bytes\"].", argument: "header")
        }
        guard case .list(let rowValues) = try arguments.value("rows") else { return .list([]) }
        var rows: [[Value]] = []
        for row in rowValues {
            guard case .list(let cells) = row, cells.count == headerValues.count else {
                throw FunctionError("each row of a table is a list with one value per column (\(headerValues.count) here); got \(row.quotedDescription).", argument: "rows")
            }
            rows.append(cells)
        }
        return .object(TableValue(header: headerValues.map(\.description), rows: rows))
    }

    private static func seeded(_ origin: String, config: AttentionConfig, arguments: Arguments, sourceTokens: Int?) throws -> Value {
        let tokens = try arguments.integer("tokens", in: 1...AttentionConfig.maxDimension)
        let causal = arguments.values["causal"] == nil ? false : try arguments.boolean("causal")
        let seed = try arguments.integer("seed", in: 0...Int(Int32.max))
        do {
            try config.validate(tokens: tokens, sourceTokens: sourceTokens, memoryLimit: Int.max)
        } catch let error as AttentionError {
            throw FunctionError(error.message)
        }
        let key = "\(origin)|\(config)|bias=\(config.bias)|T=\(tokens)|S=\(sourceTokens ?? -1)|causal=\(causal)|seed=\(seed)"
        let value = cache.value(for: key) {
            RunValue(config: config, tokens: tokens, sourceTokens: sourceTokens, causal: causal, seed: seed, origin: origin,
                     weights: { try layers.layer(config: config, seed: UInt64(seed)).weights }) {
                // what `MultiHeadAttention.seededRun` does, with the seeded layer shared by every run of
                // the same configuration and seed (the weights do not depend on the tokens or the mask)
                try config.validate(tokens: tokens, sourceTokens: sourceTokens)
                let layer = try layers.layer(config: config, seed: UInt64(seed))
                let input = Tensor.seededInput(tokens: tokens, width: config.dModel, seed: UInt64(seed), name: "input")
                let source = sourceTokens.map { Tensor.seededInput(tokens: $0, width: config.dModel, seed: UInt64(seed), name: "source") }
                return try layer.run(input: input, source: source, mask: AttentionMask(causal: causal))
            }
        }
        return .object(value)
    }
}

/// A small thread-safe memo of run values by their arguments, bounded in count and in the memory
/// its runs may hold.
final class RunCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: RunValue] = [:]
    private var bytes = 0
    /// Beyond this many runs the memo starts afresh.
    let capacity = 512
    /// Beyond this much (estimated) run memory the memo starts afresh: 1 GiB.
    let byteBudget = 1 << 30

    func value(for key: String, make: () -> RunValue) -> RunValue {
        lock.lock()
        defer { lock.unlock() }
        if let found = entries[key] { return found }
        let made = make()
        let estimate = made.config.estimatedBytes(tokens: made.tokens, sourceTokens: made.sourceTokens) ?? Int.max
        let cost = estimate > RunValue.runMemoryLimit ? 0 : estimate
        if entries.count >= capacity || bytes + cost > byteBudget {
            entries.removeAll()
            bytes = 0
        }
        entries[key] = made
        bytes += cost
        return made
    }

    /// How many runs are remembered (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}

/// A small thread-safe memo of seeded layer weights, bounded by the memory they hold, so runs that
/// differ only in tokens, mask, source length or layer count draw the weights once. Each set of
/// weights is drawn at most once while remembered, even when several threads ask for it together;
/// different ones are drawn in parallel.
final class LayerCache: @unchecked Sendable {
    private struct Key: Hashable {
        /// The configuration with `layers` set to 1: one layer's weights do not depend on the count.
        let config: AttentionConfig
        let seed: UInt64
    }

    /// One set of weights, drawn on first use under its own lock.
    private final class Entry: @unchecked Sendable {
        let lock = NSLock()
        var weights: AttentionWeights?
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var bytes = 0
    /// Beyond this much weight memory the memo starts afresh: 256 MiB.
    let byteBudget = 256 << 20

    /// The layer `MultiHeadAttention(config:seed:)` makes, with weights drawn once and then shared.
    func layer(config: AttentionConfig, seed: UInt64) throws -> MultiHeadAttention {
        try config.validate()
        var oneLayer = config
        oneLayer.layers = 1
        let key = Key(config: oneLayer, seed: seed)
        let entry: Entry = {
            lock.lock()
            defer { lock.unlock() }
            if let found = entries[key] { return found }
            let floats = AttentionCost(config: oneLayer, tokens: 1).paramsPerLayer
            let (cost, overflow) = floats.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
            let made = Entry()
            guard !overflow, cost <= byteBudget else { return made }
            if bytes + cost > byteBudget {
                entries.removeAll()
                bytes = 0
            }
            entries[key] = made
            bytes += cost
            return made
        }()
        let weights: AttentionWeights = {
            entry.lock.lock()
            defer { entry.lock.unlock() }
            if let weights = entry.weights { return weights }
            let drawn = AttentionWeights.seeded(config: config, seed: seed)
            entry.weights = drawn
            return drawn
        }()
        return try MultiHeadAttention(config: config, weights: weights)
    }

    /// How many sets of weights are remembered (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
