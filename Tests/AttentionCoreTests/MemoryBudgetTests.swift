import AttentionCore
import Testing

@Suite("MemoryBudget")
struct MemoryBudgetTests {
    @Test("reservations add up, one past the budget is refused naming what and how much, and a release makes room")
    func reserveAndRelease() throws {
        let budget = MemoryBudget(limit: 100 << 20)
        try budget.reserve(60 << 20, for: "the first run")
        #expect(throws: MemoryBudget.Exceeded(what: "the second run", requested: 50 << 20, used: 60 << 20, limit: 100 << 20)) {
            try budget.reserve(50 << 20, for: "the second run")
        }
        budget.release(60 << 20)
        try budget.reserve(50 << 20, for: "the second run")
        #expect(budget.used == 50 << 20)
    }

    @Test("a kept reservation holds its bytes until it is released")
    func reservationLifetime() throws {
        let budget = MemoryBudget(limit: 10 << 20)
        var kept: MemoryBudget.Reservation? = try MemoryBudget.Reservation(8 << 20, for: "a lesson's run", in: budget)
        #expect(budget.available == 2 << 20)
        #expect(kept != nil)
        kept = nil
        #expect(budget.available == 10 << 20)
    }

    @Test("The budget is half the machine's physical memory, at least 1 GiB, and the process uses that one budget")
    func fromPhysicalMemory() {
        #expect(MemoryBudget.defaultLimit(physicalMemory: 24 << 30) == 12 << 30)
        #expect(MemoryBudget.defaultLimit(physicalMemory: 1 << 30) == 1 << 30)
        #expect(MemoryBudget.limit(environment: [:], physicalMemory: 8 << 30) == 4 << 30)
        #expect(MemoryBudget.limit(environment: ["MHALEARN_MEMORY_BUDGET": "3G"], physicalMemory: 8 << 30) == 3 << 30)
        #expect(AttentionConfig.memoryLimitBytes == MemoryBudget.shared.limit)
    }

    @Test("MHALEARN_MEMORY_BUDGET takes bytes or K, M, G; below 64 MiB is raised to it; nonsense keeps the default")
    func environment() {
        #expect(MemoryBudget.limit(environment: [:]) == MemoryBudget.defaultLimit())
        #expect(MemoryBudget.limit(environment: ["MHALEARN_MEMORY_BUDGET": "4G"]) == 4 << 30)
        #expect(MemoryBudget.limit(environment: ["MHALEARN_MEMORY_BUDGET": "512m"]) == 512 << 20)
        #expect(MemoryBudget.limit(environment: ["MHALEARN_MEMORY_BUDGET": "1"]) == 64 << 20)
        #expect(MemoryBudget.limit(environment: ["MHALEARN_MEMORY_BUDGET": "lots"]) == MemoryBudget.defaultLimit())
    }
}
