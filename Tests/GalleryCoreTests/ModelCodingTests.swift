import Foundation
import GalleryCore
import Testing

@Suite struct ModelCodingTests {
    /// `--json` documents show covers as users read them, and read them back.
    @Test func coversEncodeAsPlainJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let member = CoverRef.item("boats.webp")
        #expect(String(decoding: try encoder.encode(member), as: UTF8.self) == #"{"item":"boats.webp"}"#)
        let standalone = CoverRef.standalone(
            Item(id: "c1", filename: "cover.jpg", mimeType: "image/jpeg", byteCount: 9))
        let json = String(decoding: try encoder.encode(standalone), as: UTF8.self)
        #expect(json.hasPrefix(#"{"standalone":{"#) && json.contains(#""filename":"cover.jpg""#))
        for cover in [member, standalone] {
            #expect(try JSONDecoder().decode(CoverRef.self, from: try encoder.encode(cover)) == cover)
        }
    }
}
