import ExpressionLanguage

/// The expression language bound to the live core: the plain helpers, the attention functions
/// (`mha`, `gqa`, `model`, …) and `real_heads`, by name.
public enum LiveFunctions {
    /// Every function a lesson, an answer key or a constraint can call.
    public static let standard: [String: Function] = Builtins.table(Builtins.helpers + AttentionFunctions.all + [RealHeads.function, CostFunctions.decodeCost])
}

extension Evaluator {
    /// An evaluator that sees `bindings` and every live function.
    public init(live bindings: [String: Value] = [:]) {
        self.init(bindings: bindings, functions: LiveFunctions.standard)
    }
}
