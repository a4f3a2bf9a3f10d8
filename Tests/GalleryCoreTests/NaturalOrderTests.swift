import GalleryCore
import Testing

@Suite struct NaturalOrderTests {
    @Test func digitsCompareByValueAndCaseIsIgnored() {
        let names = ["img10.jpg", "img2.jpg", "img1.jpg", "IMG3.jpg", "a.jpg", "B.jpg", "img02.jpg", "img100.jpg"]
        #expect(
            names.sorted(by: NaturalOrder.areInIncreasingOrder)
                == ["a.jpg", "B.jpg", "img1.jpg", "img2.jpg", "img02.jpg", "IMG3.jpg", "img10.jpg", "img100.jpg"])
    }

    @Test func digitRunsLongerThanAnyIntegerStillCompare() {
        #expect(NaturalOrder.areInIncreasingOrder("x99999999999999999999999", "x100000000000000000000000"))
    }

    @Test func orderIsTotal() {
        #expect(
            NaturalOrder.areInIncreasingOrder("A.jpg", "a.jpg") != NaturalOrder.areInIncreasingOrder("a.jpg", "A.jpg"))
    }
}
