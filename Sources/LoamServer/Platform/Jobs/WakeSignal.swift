/// Wakes idle workers when work is queued in this process.
///
/// A job is usually queued inside the caller's transaction, so at the moment of the wake the row
/// may not be visible yet. A wake therefore also opens a short "hot" window in which idle workers
/// poll every few milliseconds: the job is picked up right after the commit, whenever it lands.
actor WakeSignal {
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextID = 0
    private var hotUntil = ContinuousClock.now

    static let hotWindow: Duration = .seconds(2)
    static let hotPollInterval: Duration = .milliseconds(50)

    /// One job queued: one idle worker is enough. Waking them all made every idle worker of the
    /// process race for each new job (sixteen lease queries for one mail).
    func wake() {
        hotUntil = .now + Self.hotWindow
        guard let id = waiters.keys.min() else { return }
        waiters.removeValue(forKey: id)?.resume()
    }

    /// Every idle worker, now: for shutting down.
    func wakeAll() {
        let pending = waiters
        waiters = [:]
        for waiter in pending.values { waiter.resume() }
    }

    /// Waits for a wake or until the poll interval passes (short while hot).
    func wait(idleInterval: Duration) async {
        let interval = ContinuousClock.now < hotUntil ? Self.hotPollInterval : idleInterval
        let id = nextID
        nextID += 1
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters[id] = continuation
            Task { [weak self] in
                try? await Task.sleep(for: interval)
                await self?.timeOut(id)
            }
        }
    }

    private func timeOut(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
