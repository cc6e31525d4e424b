/// A callable value of the expression language: a built-in such as `sqrt`, or a method bound to
/// an object such as `layer.kv_cache_bytes`.
public struct Function: Sendable {
    /// One parameter: its name and, when it may be left out, its default.
    public struct Parameter: Sendable {
        /// The name used for a named argument (`heads:`).
        public var name: String
        /// The value used when the caller leaves the parameter out; nil when it is required.
        public var defaultValue: Value?
        /// Whether this parameter collects every remaining positional argument as a list.
        public var isVariadic: Bool
        /// For a parameter that may be left out without a fixed default (the function works it out),
        /// how its value is derived, e.g. `d_model / heads`; nil otherwise.
        public var derivedDefault: String?

        /// A parameter called `name`, required unless it has a default or a derived default.
        public init(_ name: String, default defaultValue: Value? = nil, variadic: Bool = false, optional derivedDefault: String? = nil) {
            self.name = name
            self.defaultValue = defaultValue
            self.isVariadic = variadic
            self.derivedDefault = derivedDefault
        }
    }

    /// The name callers write, such as `mha` or `kv_cache_bytes`.
    public var name: String
    /// The parameters, in positional order.
    public var parameters: [Parameter]
    /// Identifies the object a method is bound to, so two bound methods compare equal only on the same object.
    public var receiver: String?
    let body: @Sendable (Arguments) throws -> Value

    /// A function called `name` with `parameters`, whose `body` computes the result from the bound arguments.
    public init(_ name: String, parameters: [Parameter], receiver: String? = nil, body: @escaping @Sendable (Arguments) throws -> Value) {
        self.name = name
        self.parameters = parameters
        self.receiver = receiver
        self.body = body
    }

    /// How the function is written with its parameters, e.g. `round(x, digits: 0)`.
    public var signature: String {
        let list = parameters.map { parameter -> String in
            if parameter.isVariadic { return parameter.name + "…" }
            if let value = parameter.defaultValue { return "\(parameter.name): \(value.quotedDescription)" }
            if let derived = parameter.derivedDefault { return "\(parameter.name): \(derived)" }
            return parameter.name
        }
        return name + "(" + list.joined(separator: ", ") + ")"
    }
}

/// A problem a function found with its arguments; the evaluator turns it into an `ExpressionError`
/// at the column of the argument named (or of the call).
public struct FunctionError: Error, Sendable {
    /// What is wrong, in a sentence.
    public var message: String
    /// The parameter whose argument is at fault, when there is one.
    public var argument: String?

    /// An error about the argument for `argument` (or about the call as a whole when nil).
    public init(_ message: String, argument: String? = nil) {
        self.message = message
        self.argument = argument
    }
}

/// The arguments of one call, bound to parameter names, with typed accessors that explain mistakes.
public struct Arguments: Sendable {
    /// The bound values by parameter name (defaults included).
    public var values: [String: Value]
    /// The name of the function being called, for messages.
    public var functionName: String

    /// Arguments for `functionName` bound to `values`.
    public init(functionName: String, values: [String: Value]) {
        self.functionName = functionName
        self.values = values
    }

    /// The argument for `name`.
    public func value(_ name: String) throws -> Value {
        guard let value = values[name] else {
            throw FunctionError("\(functionName) needs `\(name):`.")
        }
        return value
    }

    /// The argument for `name`, which must be a whole number.
    public func integer(_ name: String) throws -> Int {
        let value = try value(name)
        guard let integer = value.integerValue else {
            throw FunctionError("`\(name):` of \(functionName) must be a whole number; got \(value.kindName) \(value.quotedDescription).", argument: name)
        }
        return integer
    }

    /// The argument for `name`, which must be a whole number in `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        let integer = try integer(name)
        guard range.contains(integer) else {
            throw FunctionError("`\(name):` of \(functionName) must be between \(range.lowerBound) and \(range.upperBound); got \(integer).", argument: name)
        }
        return integer
    }

    /// The argument for `name`, which must be a number.
    public func number(_ name: String) throws -> Double {
        let value = try value(name)
        guard let number = value.number else {
            throw FunctionError("`\(name):` of \(functionName) must be a number; got \(value.kindName).", argument: name)
        }
        return number
    }

    /// The argument for `name`, which must be a string.
    public func string(_ name: String) throws -> String {
        let value = try value(name)
        guard case .string(let text) = value else {
            throw FunctionError("`\(name):` of \(functionName) must be a string in quotes; got \(value.kindName).", argument: name)
        }
        return text
    }

    /// The argument for `name`, which must be `true` or `false`.
    public func boolean(_ name: String) throws -> Bool {
        let value = try value(name)
        guard case .boolean(let flag) = value else {
            throw FunctionError("`\(name):` of \(functionName) must be true or false; got \(value.kindName).", argument: name)
        }
        return flag
    }
}
