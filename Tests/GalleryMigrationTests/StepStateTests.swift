import GalleryCore
import GalleryMigration
import Testing

/// The journal's step state machine, without a database.
struct StepStateTests {
    static let legal: [(StepState, StepEvent, StepState)] = [
        (.pending, .attempt, .intent(attempts: 1)),
        (.intent(attempts: 1), .succeed(destination: "d"), .done(destination: "d")),
        (.intent(attempts: 2), .fail(message: "x"), .failed(attempts: 2, message: "x")),
        (.failed(attempts: 2, message: "x"), .attempt, .intent(attempts: 3)),
        (.intent(attempts: 1), .matched(destination: "d"), .done(destination: "d")),
        (.pending, .matched(destination: "d"), .done(destination: "d")),
        (.failed(attempts: 1, message: "x"), .matched(destination: "d"), .done(destination: "d")),
        (.done(destination: "d"), .destinationVanished, .pending),
        (.done(destination: "d"), .redo, .pending),
    ]

    @Test(arguments: 0..<legal.count)
    func legalMoves(index: Int) throws {
        let (from, event, to) = Self.legal[index]
        #expect(try from.applying(event) == to)
    }

    static let illegal: [(StepState, StepEvent)] = [
        // Never attempted again from intent: an interrupted step is reconciled first.
        (.intent(attempts: 1), .attempt),
        // A finished step is never redone by accident.
        (.done(destination: "d"), .attempt),
        (.done(destination: "d"), .succeed(destination: "e")),
        // Success without a recorded intent would hide a write from resume.
        (.pending, .succeed(destination: "d")),
        (.failed(attempts: 1, message: "x"), .succeed(destination: "d")),
        (.pending, .fail(message: "x")),
        (.pending, .reconcileMissing),
    ]

    @Test(arguments: 0..<illegal.count)
    func illegalMovesThrow(index: Int) {
        let (from, event) = Self.illegal[index]
        #expect(throws: GalleryError.self) { try from.applying(event) }
    }

    @Test func anInterruptedStepIsReconciledThenRetried() throws {
        var state = try StepState.pending.applying(.attempt)
        // The process dies here. On resume the destination does not hold the item:
        state = try state.applying(.reconcileMissing)
        #expect(state.name == "failed")
        state = try state.applying(.attempt)
        #expect(state == .intent(attempts: 2))
        #expect(try state.applying(.succeed(destination: "x")) == .done(destination: "x"))
    }

    @Test func stepKeysDoNotCollideWhateverTheIdsHold() {
        let a = StepKey(.upload, gallery: "a/1", item: "2")
        let b = StepKey(.upload, gallery: "a", item: "1/2")
        #expect(a.description != b.description)
    }
}
