import Foundation

/// Reads the service's timestamps: 0–6 fraction digits, then `Z`, `±hh:mm`, or nothing (taken as UTC).
enum OmnitcodeTimestamp {
    static func parse(_ text: String?) -> Date? {
        guard let text, text.count >= 19 else { return nil }
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for char in chars[from..<(from + count)] {
                guard (48...57).contains(char) else { return nil }
                value = value * 10 + Int(char - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < chars.count, (48...57).contains(chars[index]) {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < chars.count {
            switch chars[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let hours = number(index + 1, 2) else { return nil }
                let minutesStart =
                    chars.count > index + 3 && chars[index + 3] == UInt8(ascii: ":") ? index + 4 : index + 3
                let minutes = number(minutesStart, 2) ?? 0
                offset = (hours * 3600 + minutes * 60) * (chars[index] == UInt8(ascii: "-") ? -1 : 1)
            default: return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let date = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        return date.addingTimeInterval(fraction - Double(offset))
    }
}
