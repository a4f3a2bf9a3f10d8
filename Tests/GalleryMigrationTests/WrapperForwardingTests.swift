import GalleryConformance
import GalleryCore
import Testing

/// The engine's test wrappers pass every requirement on: one they forget would fall back to a protocol default
/// and quietly answer something else.
@Suite struct WrapperForwardingTests {
    @Test func theFaultInjectingWrapperForwardsEveryRequirement() async {
        let missing = await WrapperConformance.unforwarded { FlakyBackend($0) }
        #expect(missing.isEmpty, "FlakyBackend does not forward \(missing)")
    }
}
