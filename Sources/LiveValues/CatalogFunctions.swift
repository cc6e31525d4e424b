import AttentionCore
import ExpressionLanguage

/// Expression functions over the whole model catalog, and two small numeric helpers the lessons
/// use to prove their prose: `catalog`, `catalog_count`, `max_abs_diff`, `dot_variance`.
enum CatalogFunctions {
    static let all: [Function] = [catalog, catalogCount, catalogTable, maxAbsDiff, dotVariance]

    /// Every catalog model, as expression values, in `mhalearn model --list` order.
    static let models: Result<[ModelValue], FunctionError> = {
        do {
            return .success(try ModelCatalog.entries.map { try ModelValue(named: $0.id) })
        } catch let error as FunctionError {
            return .failure(error)
        } catch {
            return .failure(FunctionError("the catalog could not be read: \(error)"))
        }
    }()

    /// The catalog models whose d_model lies in the arguments' `min_d_model`…`max_d_model`.
    private static func selected(_ arguments: Arguments) throws -> [ModelValue] {
        let low = try arguments.integer("min_d_model", in: 0...Int.max)
        let high = try arguments.integer("max_d_model", in: 0...Int.max)
        return try models.get().filter { $0.model.dModel >= low && $0.model.dModel <= high }
    }

    /// One member of a catalog model, which must exist and not be a method.
    private static func member(_ name: String, of model: ModelValue) throws -> Value {
        guard let value = model.member(name), !isMethod(value) else {
            let known = model.memberNames.filter { !["kv_cache_bytes", "kv_cache_bytes_per_layer", "mha_kv_cache_bytes"].contains($0) }
            throw FunctionError("a catalog model has no plain member \"\(name)\"; use one of \(known.joined(separator: ", ")).", argument: "member")
        }
        return value
    }

    private static func isMethod(_ value: Value) -> Bool {
        if case .function = value { return true }
        return false
    }

    private static let range: [Function.Parameter] = [
        .init("min_d_model", default: .integer(0)), .init("max_d_model", default: .integer(Int.max)),
    ]

    /// `catalog("head_dim")`: that member of every catalog model, as a list (optionally only the models
    /// with `min_d_model <= d_model <= max_d_model`).
    static let catalog = Function("catalog", parameters: [.init("member")] + range) { arguments in
        let name = try arguments.string("member")
        return .list(try selected(arguments).map { try member(name, of: $0) })
    }

    /// `catalog_count("head_dim", among: [64, 128])`: how many catalog models have that member equal to
    /// one of the values.
    static let catalogCount = Function("catalog_count", parameters: [.init("member"), .init("among")] + range) { arguments in
        let name = try arguments.string("member")
        let wanted: [Value]
        switch try arguments.value("among") {
        case .list(let items): wanted = items
        case let single: wanted = [single]
        }
        return .integer(try selected(arguments).filter { model in
            let value = try member(name, of: model)
            return wanted.contains { $0 == value }
        }.count)
    }

    /// `catalog_table(["name", "d_model", "heads", "head_dim"])`: a table (for `show`) of those members
    /// for the selected catalog models, one row per model.
    static let catalogTable = Function("catalog_table", parameters: [.init("members")] + range) { arguments in
        guard case .list(let names) = try arguments.value("members"), !names.isEmpty else {
            throw FunctionError("catalog_table takes a list of member names, such as [\"name\", \"heads\"].", argument: "members")
        }
        let members = try names.map { name -> String in
            guard case .string(let text) = name else {
                throw FunctionError("each column is a member name in quotes; got \(name.kindName).", argument: "members")
            }
            return text
        }
        let rows = try selected(arguments).map { model in try members.map { try member($0, of: model) } }
        return .object(TableValue(header: members, rows: rows))
    }

    /// `max_abs_diff(a, b)`: the largest absolute difference between two tensors of the same shape.
    static let maxAbsDiff = Function("max_abs_diff", parameters: [.init("a"), .init("b")]) { arguments in
        func tensor(_ name: String) throws -> TensorValue {
            guard case .object(let object) = try arguments.value(name), let tensor = object as? TensorValue else {
                throw FunctionError("max_abs_diff compares two tensors, such as run.output and run.sum_of_head_contributions.", argument: name)
            }
            return tensor
        }
        let a = try tensor("a"), b = try tensor("b")
        guard a.shape == b.shape else {
            throw FunctionError("the tensors have different shapes, \(Value.shape(a.shape)) and \(Value.shape(b.shape)).", argument: "b")
        }
        return .decimal(zip(a.storage, b.storage).reduce(0.0) { max($0, abs(Double($1.0) - Double($1.1))) })
    }

    /// `dot_variance(d_k: 64)`: the variance of q·k over `samples` (2,000) pairs of seeded random vectors of
    /// width `d_k` whose components have mean 0 and variance 1 (Vaswani et al. 2017, footnote 4); with
    /// `scaled: true`, of q·k/√d_k.
    static let dotVariance = Function("dot_variance", parameters: [
        .init("d_k"), .init("scaled", default: .boolean(false)), .init("samples", default: .integer(2_000)),
        .init("seed", default: .integer(0)),
    ]) { arguments in
        let width = try arguments.integer("d_k", in: 1...4_096)
        let samples = try arguments.integer("samples", in: 2...20_000)
        let scaled = try arguments.boolean("scaled")
        let seed = UInt64(try arguments.integer("seed", in: 0...Int(Int32.max)))
        // uniform in ±√3: mean 0, variance 1
        let q = Tensor.seededInput(tokens: samples, width: width, seed: seed, name: "dot_variance_q")
        let k = Tensor.seededInput(tokens: samples, width: width, seed: seed, name: "dot_variance_k")
        let scale = scaled ? 1 / Double(width).squareRoot() : 1
        var dots: [Double] = []
        dots.reserveCapacity(samples)
        for row in 0..<samples {
            var dot = 0.0
            for i in 0..<width { dot += Double(q.storage[row * width + i]) * Double(k.storage[row * width + i]) }
            dots.append(dot * scale)
        }
        let mean = dots.reduce(0, +) / Double(samples)
        let variance = dots.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples - 1)
        return .decimal(variance)
    }
}
