import Dispatch
import Support
import Testing

@Suite("Locked") struct LockedTests {
    @Test("changes from many threads at once are all kept")
    func concurrentChanges() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in counter.withLock { $0 += 1 } }
        #expect(counter.value == 1000)
    }

    @Test("withLock returns what its body returns, and a set replaces the value")
    func readAndReplace() {
        let list = Locked([1, 2])
        #expect(list.withLock { list -> Int in list.append(3); return list.count } == 3)
        list.value = []
        #expect(list.value.isEmpty)
    }
}
