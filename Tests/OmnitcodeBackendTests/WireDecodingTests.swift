import Foundation
import Testing

@testable import OmnitcodeBackend

/// The adapter's tolerance for what the spec leaves open: timestamp forms, both list dialects, both refresh
/// answers, missing optional fields.
@Suite struct WireDecodingTests {
    @Test(arguments: [
        ("2026-02-23T15:17:42Z", 0.0),
        ("2026-02-23T15:17:42.320Z", 0.32),
        ("2026-02-23T15:17:42.320000Z", 0.32),
        ("2026-02-23T15:17:42.320000", 0.32),
        ("2026-02-23T17:17:42.320000+02:00", 0.32),
        ("2026-02-23T10:17:42.5-05:00", 0.5),
    ])
    func timestampsInEveryFormParseToTheSameInstant(text: String, fraction: Double) throws {
        let date = try #require(OmnitcodeTimestamp.parse(text))
        let expected = Date(timeIntervalSince1970: 1_771_859_862 + fraction)
        #expect(abs(date.timeIntervalSince(expected)) < 0.000_001)
    }

    @Test func garbageTimestampsAreNil() {
        #expect(OmnitcodeTimestamp.parse("yesterday") == nil)
        #expect(OmnitcodeTimestamp.parse(nil) == nil)
        #expect(OmnitcodeTimestamp.parse("2026-02-23T15:17:42Q") == nil)
    }

    @Test func listsDecodeInBothDialects() throws {
        let bare = try JSONDecoder().decode(
            OmnitcodeWire.Page<OmnitcodeWire.Summary>.self,
            from: Data(#"[{"id":"a","slug":"x","status":"draft"}]"#.utf8))
        #expect(bare.items.map(\.id) == ["a"])
        #expect(bare.hasNext == nil)
        let envelope = try JSONDecoder().decode(
            OmnitcodeWire.Page<OmnitcodeWire.Summary>.self,
            from: Data(
                #"{"data":[{"id":"b"}],"pagination":{"total":3,"page":1,"per_page":1,"pages":3,"has_next":true,"has_prev":false}}"#
                    .utf8))
        #expect(envelope.items.map(\.id) == ["b"])
        #expect(envelope.hasNext == true)
    }

    @Test func refreshAnswersDecodeWithOrWithoutTheUser() throws {
        let full = try JSONDecoder().decode(
            OmnitcodeWire.AuthAnswer.self,
            from: Data(#"{"user":{"id":"u"},"tokens":{"access_token":"A","refresh_token":"R","expires_in":900}}"#.utf8))
        #expect(full.tokens.accessToken == "A")
        #expect(full.tokens.refreshToken == "R")
        let bare = try JSONDecoder().decode(
            OmnitcodeWire.AuthAnswer.self, from: Data(#"{"access_token":"B","token_type":"bearer"}"#.utf8))
        #expect(bare.tokens.accessToken == "B")
        #expect(bare.tokens.refreshToken == nil)
    }

    @Test func aMinimalGalleryDecodesAndSortsLinksByOrderThenTimeThenID() throws {
        let minimal = try JSONDecoder().decode(
            OmnitcodeWire.Gallery.self, from: Data(#"{"id":"g","slug":"s","status":"draft","extra_field":1}"#.utf8))
        #expect(minimal.galleryMedia.isEmpty && minimal.translations.isEmpty && minimal.coverImage == nil)
        let json = #"""
            {"id":"g","slug":"s","status":"draft","gallery_media":[
              {"media_id":"c","order":1,"created_at":"2026-01-01T00:00:02Z"},
              {"media_id":"b","order":1,"created_at":"2026-01-01T00:00:01Z"},
              {"media_id":"z","order":0},
              {"media_id":"a","order":1,"created_at":"2026-01-01T00:00:01Z"}]}
            """#
        let gallery = try JSONDecoder().decode(OmnitcodeWire.Gallery.self, from: Data(json.utf8))
        #expect(gallery.orderedLinks.map(\.mediaID) == ["z", "a", "b", "c"])
    }

    @Test func slugsAreSafeAndLongEnough() {
        #expect(OmnitcodeBackend.slugify("Šetnja lukom!") == "setnja-lukom")
        #expect(OmnitcodeBackend.slugify("  Harbour   walk 2026 ") == "harbour-walk-2026")
        #expect(OmnitcodeBackend.slugify("?") == "gallery")
        #expect(OmnitcodeBackend.slugify("x") == "gallery-x")
        #expect(OmnitcodeBackend.slugify(String(repeating: "a", count: 300)).count == 255)
    }
}
