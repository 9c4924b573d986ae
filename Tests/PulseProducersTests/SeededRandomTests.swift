import Testing

@testable import PulseProducers

@Suite struct SeededRandomTests {
    @Test func sameSeedSameSequenceOtherSeedOrStreamDiffers() {
        var a = SeededRandom(seed: 1)
        var b = SeededRandom(seed: 1)
        var c = SeededRandom(seed: 2)
        var d = SeededRandom(seed: 1, stream: 9)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
        #expect(sa != (0..<100).map { _ in d.next() })
    }

    @Test func drawsStayInRangeWithSaneMoments() {
        var r = SeededRandom(seed: 77)
        var counts = [Int](repeating: 0, count: 30)
        var sum = 0.0
        var sumSq = 0.0
        let n = 60_000
        for _ in 0..<n {
            counts[r.nextInt(below: 30)] += 1
            let u = r.nextUnit()
            #expect(u >= 0 && u < 1)
            let z = r.nextNormal()
            sum += z
            sumSq += z * z
        }
        #expect(counts.allSatisfy { $0 > 1700 && $0 < 2300 })
        #expect(abs(sum / Double(n)) < 0.03)
        #expect(abs(sumSq / Double(n) - 1) < 0.05)
        for _ in 0..<1000 { #expect((3...7).contains(r.nextInt(in: 3...7))) }
    }
}
