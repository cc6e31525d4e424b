/// Numerically stable softmax over rows, with masking that never produces NaN.
///
/// Each row is shifted by its largest allowed entry before exponentiating, so no `exp` overflows.
/// Masked entries get weight exactly 0. A row whose entries are all masked has no allowed entry
/// to normalise over: it is defined to be all zeros (so that query's head output is the zero
/// vector), never NaN and never a uniform guess.
enum Softmax {
    /// Width of the SIMD vectors used for the row passes.
    typealias Vector = SIMD16<Float>

    /// Softmax of `row[0 ..< allowed]` in place, zeroing `row[allowed ..< count]` (a causal prefix).
    /// When `keep` is given (1 = allowed, 0 = masked, one per column), masked columns become 0 too.
    @inline(__always)
    static func row(_ row: UnsafeMutablePointer<Float>, count: Int, allowed: Int, keep: UnsafePointer<Float>?) {
        let n = min(max(allowed, 0), count)
        // 1. the largest allowed score in the row
        var maxVector = Vector(repeating: -.infinity)
        var i = 0
        if let keep {
            while i + Vector.scalarCount <= n {
                let x = load(row + i), m = load(keep + i)
                let candidate = x.replacing(with: Vector(repeating: -.infinity), where: m .== Vector(repeating: 0))
                maxVector = maxVector.replacing(with: candidate, where: candidate .> maxVector)
                i += Vector.scalarCount
            }
        } else {
            while i + Vector.scalarCount <= n {
                let x = load(row + i)
                maxVector = maxVector.replacing(with: x, where: x .> maxVector)
                i += Vector.scalarCount
            }
        }
        var rowMax = maxVector.max()
        while i < n {
            if keep == nil || keep![i] != 0 { rowMax = max(rowMax, row[i]) }
            i += 1
        }
        // 2. no allowed entry: the row is all zeros by definition
        guard rowMax > -.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        // 3. e = exp(x − max) on allowed entries, 0 elsewhere; sum them
        let shift = Vector(repeating: rowMax)
        var sumVector = Vector(repeating: 0)
        i = 0
        while i + Vector.scalarCount <= n {
            var e = exp(load(row + i) - shift)
            if let keep { e *= load(keep + i) }
            store(e, row + i)
            sumVector += e
            i += Vector.scalarCount
        }
        var sum = sumVector.sum()
        while i < n {
            var e = scalarExp(row[i] - rowMax)
            if let keep { e *= keep[i] }
            row[i] = e
            sum += e
            i += 1
        }
        if n < count { (row + n).update(repeating: 0, count: count - n) }
        // 4. divide by the sum (≥ 1, since the max entry contributes exp(0) = 1)
        let inverse = 1 / sum
        i = 0
        let inverseVector = Vector(repeating: inverse)
        while i + Vector.scalarCount <= n {
            store(load(row + i) * inverseVector, row + i)
            i += Vector.scalarCount
        }
        while i < n { row[i] *= inverse; i += 1 }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// exp(x) for x ≤ 0, vectorised (Cephes `expf`: x = n·ln 2 + r with n = round(x·log₂e), a
    /// degree-6 polynomial in r, then 2ⁿ through the exponent bits). Relative error below 1e-7;
    /// inputs below −87 give 0. Rounding uses the 1.5·2²³ trick, so no float-to-int conversion.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        let low = Vector(repeating: -87), magic = Vector(repeating: 12_582_912)
        let underflow = input .< low
        let x0 = input.replacing(with: low, where: underflow)
        let t = x0 * Vector(repeating: 1.442_695_04) + magic       // n + 1.5·2²³: n sits in the low mantissa bits
        let n = t - magic
        var x = x0 - n * Vector(repeating: 0.693_359_375)
        x = x + n * Vector(repeating: 2.121_944_4e-4)
        let z = x * x
        var y = Vector(repeating: 1.987_569_15e-4)
        y = y * x + Vector(repeating: 1.398_199_95e-3)
        y = y * x + Vector(repeating: 8.333_451_9e-3)
        y = y * x + Vector(repeating: 4.166_579_59e-2)
        y = y * x + Vector(repeating: 1.666_666_55e-1)
        y = y * x + Vector(repeating: 5.000_000_12e-1)
        y = y * z + x + Vector(repeating: 1)
        // bits of t + 127 end in n + 127; shifting them into the exponent field gives 2ⁿ
        let exponent = unsafeBitCast(t + Vector(repeating: 127), to: SIMD16<UInt32>.self) &<< 23
        return (y * unsafeBitCast(exponent, to: Vector.self)).replacing(with: Vector(repeating: 0), where: underflow)
    }

    /// The scalar version of `exp`, for row tails shorter than one vector.
    @inline(__always)
    static func scalarExp(_ input: Float) -> Float {
        // the same operations as `exp`, in the same order, on one lane (cheap in debug builds too)
        if input < -87 { return 0 }
        let t = input * 1.442_695_04 + 12_582_912
        let n = t - 12_582_912
        var x = input - n * 0.693_359_375
        x = x + n * 2.121_944_4e-4
        let z = x * x
        var y: Float = 1.987_569_15e-4
        y = y * x + 1.398_199_95e-3
        y = y * x + 8.333_451_9e-3
        y = y * x + 4.166_579_59e-2
        y = y * x + 1.666_666_55e-1
        y = y * x + 5.000_000_12e-1
        y = y * z + x + 1
        return y * Float(bitPattern: (t + 127).bitPattern &<< 23)
    }
}

/// Softmax over the last axis of a tensor (each row sums to 1); `-infinity` entries are masked.
///
/// A row whose entries are all `-infinity` is all zeros (see `Softmax`): never NaN.
public func softmax(_ tensor: Tensor) -> Tensor {
    guard let width = tensor.shape.last, width > 0 else { return tensor }
    var out = tensor.storage
    let rows = out.count / width
    var keep = [Float](repeating: 1, count: width)
    out.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        for r in 0..<rows {
            let row = base + r * width
            var anyMasked = false
            for j in 0..<width {
                let masked = row[j] == -.infinity
                keep[j] = masked ? 0 : 1
                anyMasked = anyMasked || masked
            }
            if anyMasked {
                keep.withUnsafeBufferPointer { Softmax.row(row, count: width, allowed: width, keep: $0.baseAddress) }
            } else {
                Softmax.row(row, count: width, allowed: width, keep: nil)
            }
        }
    }
    return Tensor(unchecked: tensor.shape, out)
}
