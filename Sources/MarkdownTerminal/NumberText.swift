import Foundation
import Grading

/// How numbers read in text a person sees: the one place that decides it.
///
/// Integers of five digits or more get commas between groups of three (`16,384`, `524,288`);
/// shorter ones do not (`4096`, `768`). Decimals lose trailing zeros and keep at most six places.
/// Products of sizes are written with `×` (`12 layers × 12 heads`), shapes as lists (`[11, 64]`).
/// Machine-readable output (`--json`) uses plain numbers and never goes through here.
public enum NumberText {
    /// The fewest digits an integer needs before it gets thousands separators.
    public static let groupingDigits = Numerals.groupingDigits

    /// An integer as prose writes it: `4096`, `16,384`, `-524,288`. `separator` and `minimumDigits`
    /// write the other digit groupings a learner may type (`4 096`, `4_096`).
    public static func grouped(_ number: Int, separator: String = ",", minimumDigits: Int = groupingDigits) -> String {
        Numerals.grouped(number, separator: separator, minimumDigits: minimumDigits)
    }

    /// A number as prose writes it: whole numbers as `grouped`, others without trailing zeros,
    /// rounded to six decimal places (`0.125`, `1.5`, `2,359,296`).
    /// With `grouping` false, whole numbers have no separators (`2359296`), as an answer is typed.
    /// The digits come from the Grading module's `Numerals`, so feedback written by the WebAssembly
    /// grader reads exactly like the terminal's.
    public static func decimal(_ number: Double, grouping: Bool = true) -> String {
        Numerals.decimal(number, grouping: grouping)
    }
}
