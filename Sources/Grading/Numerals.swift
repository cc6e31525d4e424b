/// Numbers to text and text to numbers without Foundation, so the same digits come out of the
/// native binary and the WebAssembly grader.
public enum Numerals {
    /// Integers with this many digits or more get thousands separators in prose.
    public static let groupingDigits = 5

    /// An integer with its digits grouped in threes: `16,384`; shorter than `minimumDigits`, as is (`4096`).
    public static func grouped(_ number: Int, separator: String = ",", minimumDigits: Int = groupingDigits) -> String {
        grouped(Int64(number), separator: separator, minimumDigits: minimumDigits)
    }

    /// `grouped` for a 64-bit integer (the same on 32-bit WebAssembly as natively).
    public static func grouped(_ number: Int64, separator: String = ",", minimumDigits: Int = groupingDigits) -> String {
        let digits = Array(String(number.magnitude))
        guard digits.count >= minimumDigits else { return String(number) }
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(separator) }
            text.append(digit)
        }
        return number < 0 ? "-" + text : text
    }

    /// A number as prose writes it: whole numbers as `grouped`, others without trailing zeros,
    /// rounded to six decimal places (`0.125`, `1.5`, `2,359,296`).
    /// With `grouping` false, whole numbers have no separators (`2359296`), as an answer is typed.
    public static func decimal(_ number: Double, grouping: Bool = true) -> String {
        guard number.isFinite else { return number.isNaN ? "not a number" : (number > 0 ? "infinity" : "-infinity") }
        if number.rounded() == number, abs(number) < 1e15 { return grouping ? grouped(Int64(number)) : String(Int64(number)) }
        let magnitude = abs(number)
        guard magnitude < 1e15 else { return number < 0 ? "-" + wholeDigits(magnitude) : wholeDigits(magnitude) }
        var whole = magnitude.rounded(.down)
        var millionths = Double(roundedMillionths(magnitude - whole))
        if millionths >= 1_000_000 {
            whole += 1
            millionths = 0
        }
        var fraction = String(Int64(millionths))
        while fraction.count < 6 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = number < 0 ? "-" : ""
        return fraction.isEmpty ? sign + String(Int64(whole)) : sign + String(Int64(whole)) + "." + fraction
    }

    /// `fraction` (from 0 up to 1) × 10⁶ rounded to the nearest integer, half to even, computed
    /// exactly from the Double's bits as printf's `%.6f` does (a floating-point multiply would
    /// round 0.0000005, which is a little under a half-millionth, up).
    static func roundedMillionths(_ fraction: Double) -> UInt64 {
        guard fraction > 0 else { return 0 }
        let significand = UInt64(fraction.significandBitPattern) | (fraction.isNormal ? UInt64(1) << 52 : 0)
        let shift = 52 - Int(fraction.isNormal ? fraction.exponent : Double.leastNormalMagnitude.exponent)
        guard shift < 120 else { return 0 }
        // significand × 10⁶ as two 64-bit words (no 128-bit shifts: wasm32 has no helpers for them).
        let (high, low) = significand.multipliedFullWidth(by: 1_000_000)
        let quotient: UInt64, remainder: (UInt64, UInt64), half: (UInt64, UInt64)
        if shift >= 64 {
            let s = UInt64(shift - 64)
            quotient = high >> s
            remainder = (high & ((1 << s) &- 1), low)
            half = s == 0 ? (0, 1 << 63) : (1 << (s - 1), 0)
        } else {
            let s = UInt64(shift)
            quotient = (high << (64 - s)) | (low >> s)
            remainder = (0, low & ((1 << s) &- 1))
            half = (0, 1 << (s - 1))
        }
        let up = remainder > half || (remainder == half && quotient & 1 == 1)
        return quotient + (up ? 1 : 0)
    }

    /// The digits of a whole number of 15 digits or more.
    private static func wholeDigits(_ magnitude: Double) -> String {
        if magnitude < 9.2e18 { return String(Int64(magnitude)) }
        return "\(magnitude)"
    }

    /// Reads a plain decimal number: an optional sign, digits with at most one point, and an optional
    /// exponent (`64`, `-0.125`, `.5`, `1.`, `1e-3`). Nothing else, not even spaces. Correctly
    /// rounded up to 15 significant digits and exponents within ±22 (Clinger's fast path), which
    /// covers every number a learner types; beyond that within an ulp or so.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        var scalars = Array(text.unicodeScalars)[...]
        guard !scalars.isEmpty else { return nil }
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        var sawPoint = false
        while let c = scalars.first, isDigit(c) || (c == "." && !sawPoint) {
            scalars = scalars.dropFirst()
            if c == "." {
                sawPoint = true
                continue
            }
            digits += 1
            let digit = UInt64(c.value - 48)
            if mantissa < 100_000_000_000_000_000 {
                mantissa = mantissa * 10 + digit
                if sawPoint { exponent -= 1 }
            } else {
                if !sawPoint { exponent += 1 }
            }
        }
        guard digits > 0 else { return nil }
        if let e = scalars.first, e == "e" || e == "E" {
            scalars = scalars.dropFirst()
            var exponentNegative = false
            if let sign = scalars.first, sign == "-" || sign == "+" {
                exponentNegative = sign == "-"
                scalars = scalars.dropFirst()
            }
            guard let first = scalars.first, isDigit(first) else { return nil }
            var written = 0
            while let c = scalars.first, isDigit(c) {
                scalars = scalars.dropFirst()
                if written < 100_000 { written = written * 10 + Int(c.value - 48) }
            }
            exponent += exponentNegative ? -written : written
        }
        guard scalars.isEmpty else { return nil }
        var value = Double(mantissa)
        if mantissa == 0 { return negative ? -0.0 : 0 }
        if mantissa <= 1 << 53, abs(exponent) <= 22 {
            value = exponent < 0 ? value / powerOfTen(-exponent) : value * powerOfTen(exponent)
        } else {
            var remaining = exponent
            while remaining > 22 { value *= 1e22; remaining -= 22 }
            while remaining < -22 { value /= 1e22; remaining += 22 }
            value = remaining < 0 ? value / powerOfTen(-remaining) : value * powerOfTen(remaining)
        }
        return negative ? -value : value
    }

    /// 10^n for 0 ≤ n ≤ 22, exactly.
    static func powerOfTen(_ n: Int) -> Double {
        var value = 1.0
        for _ in 0..<n { value *= 10 }
        return value
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}
