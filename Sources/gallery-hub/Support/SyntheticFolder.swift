import Foundation

/// A local source folder of synthetic images for the benches: `gallery-<n>` folders, each file starting with a
/// JPEG signature (services sniff the type from the bytes, and a plan counts non-image bytes as a loss) and
/// continuing with random-looking bytes (xorshift, not zeros, so nothing compresses them away).
enum SyntheticFolder {
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]

    /// Writes `count` images dealt round-robin into `galleries` folders under `root`, each of a size drawn from
    /// `sizes`. Returns the total size in bytes.
    static func write(at root: String, count: Int, galleries: Int, sizes: ClosedRange<Int>) throws -> Int64 {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let galleries = max(1, min(galleries, count))
        let width = String(galleries - 1).count
        var total: Int64 = 0
        for index in 0..<count {
            let gallery = String(index % galleries)
            let folder = "\(root)/gallery-\(String(repeating: "0", count: width - gallery.count) + gallery)"
            if index < galleries {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let size = max(sizes.lowerBound, jpegSignature.count) + Int(next() % UInt64(sizes.count))
            var data = Data(jpegSignature)
            let words = (0..<(size - jpegSignature.count + 7) / 8).map { _ in next() }
            data.append(words.withUnsafeBytes { Data($0.prefix(size - jpegSignature.count)) })
            let number = String(index)
            let padded = String(repeating: "0", count: max(0, 5 - number.count)) + number
            try data.write(to: URL(fileURLWithPath: "\(folder)/photo-\(padded).jpg"))
            total += Int64(size)
        }
        return total
    }
}
