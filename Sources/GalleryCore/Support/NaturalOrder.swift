/// Natural, case-insensitive ordering of names: `img2` before `img10`, `B` beside `b`.
///
/// Runs of digits compare by value; everything else compares case-insensitively, with the exact strings as the
/// final tie-break so the order is total and stable.
public enum NaturalOrder {
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        let result = compare(lhs, rhs)
        if result != 0 { return result < 0 }
        return lhs < rhs
    }

    /// -1, 0 or 1, ignoring case.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.lowercased().unicodeScalars)
        let b = Array(rhs.lowercased().unicodeScalars)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                let startI = i
                let startJ = j
                while i < a.count, isDigit(a[i]) { i += 1 }
                while j < b.count, isDigit(b[j]) { j += 1 }
                let result = compareDigits(a[startI..<i], b[startJ..<j])
                if result != 0 { return result }
            } else {
                if a[i] != b[j] { return a[i].value < b[j].value ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < a.count { return 1 }
        if j < b.count { return -1 }
        return 0
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    /// Compares digit runs by value without converting (runs may be longer than any integer type).
    private static func compareDigits(_ a: ArraySlice<Unicode.Scalar>, _ b: ArraySlice<Unicode.Scalar>) -> Int {
        let x = a.drop { $0 == "0" }
        let y = b.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        for (p, q) in zip(x, y) where p != q { return p.value < q.value ? -1 : 1 }
        // Equal values: fewer leading zeros first, so "1" < "01" deterministically.
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return 0
    }
}
