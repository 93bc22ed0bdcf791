import Foundation

/// The next start of each rule of a series, earliest first (a binary heap). Ties go to the rule listed first, as
/// they did when the expander looked through every rule for each start, which made an event of R rules cost R
/// comparisons per start: 400 lines of RRULE:FREQ=DAILY in a 7 KB file took minutes.
struct RecurrenceHeads {
    struct Head {
        var instant: Date
        var value: ICalDateTime
        var rule: Int

        func precedes(_ other: Head) -> Bool { (instant, rule) < (other.instant, other.rule) }
    }

    private var heap: [Head] = []

    var first: Head? { heap.first }

    mutating func insert(_ head: Head) {
        heap.append(head)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
