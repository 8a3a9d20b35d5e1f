# Measures method calls, attribute access and subclass dispatch: Richards' OS-kernel simulation.

ITERATIONS = 20
IDLE_COUNT = 10000  # how many times the idle task runs before it holds itself for good

# Task identifiers double as indexes into Scheduler.tasks.
IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
KIND_DEVICE, KIND_WORK = 0, 1
BUFSIZE = 4
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link    # next packet in whichever queue holds this one
        self.ident = ident  # destination task while queued, sender once delivered
        self.kind = kind
        self.datum = 0
        self.data = [0] * BUFSIZE

    def append_to(self, queue):
        """Appends this packet to the linked list `queue` and returns the list's head."""
        self.link = None
        if queue is None:
            return self
        last = queue
        while last.link is not None:
            last = last.link
        last.link = self
        return queue


class Task:
    """A task control block; subclasses implement run(packet) and return the next task."""

    def __init__(self, scheduler, ident, priority, queue, waiting):
        self.scheduler = scheduler
        self.ident = ident
        self.priority = priority
        self.queue = queue  # packets delivered but not yet handed to run()
        self.waiting = waiting
        self.holding = False
        self.link = scheduler.task_list  # tasks form a list in decreasing priority
        scheduler.task_list = self
        scheduler.tasks[ident] = self

    def is_runnable(self):
        # A waiting task becomes runnable again as soon as a packet is queued for it.
        return not self.holding and (not self.waiting or self.queue is not None)


class IdleTask(Task):
    def __init__(self, scheduler, ident, priority, queue, waiting, count):
        Task.__init__(self, scheduler, ident, priority, queue, waiting)
        self.control = 1
        self.count = count

    def run(self, packet):
        # Alternates between waking the two device tasks in a pseudo-random pattern.
        self.count -= 1
        if self.count == 0:
            return self.scheduler.hold_self()
        if self.control & 1 == 0:
            self.control = (self.control >> 1) & 0x7FFF
            return self.scheduler.release(DEVICE_A)
        self.control = ((self.control >> 1) & 0x7FFF) ^ 0xD008
        return self.scheduler.release(DEVICE_B)


class WorkerTask(Task):
    def __init__(self, scheduler, ident, priority, queue, waiting):
        Task.__init__(self, scheduler, ident, priority, queue, waiting)
        self.destination = HANDLER_A
        self.letter = 0

    def run(self, packet):
        # Fills each work packet with letters and sends it to the two handlers in turn.
        if packet is None:
            return self.scheduler.wait()
        self.destination = HANDLER_A + HANDLER_B - self.destination
        packet.ident = self.destination
        packet.datum = 0
        for i in range(BUFSIZE):
            self.letter += 1
            if self.letter > len(ALPHABET):
                self.letter = 1
            packet.data[i] = ALPHABET[self.letter - 1]
        return self.scheduler.queue_packet(packet)


class HandlerTask(Task):
    def __init__(self, scheduler, ident, priority, queue, waiting):
        Task.__init__(self, scheduler, ident, priority, queue, waiting)
        self.work_queue = None
        self.device_queue = None

    def run(self, packet):
        # Copies a work packet's data, one item per device packet, then returns it.
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work_queue = packet.append_to(self.work_queue)
            else:
                self.device_queue = packet.append_to(self.device_queue)
        work = self.work_queue
        if work is not None:
            count = work.datum
            if count >= BUFSIZE:
                self.work_queue = work.link
                return self.scheduler.queue_packet(work)
            device = self.device_queue
            if device is not None:
                self.device_queue = device.link
                device.datum = work.data[count]
                work.datum = count + 1
                return self.scheduler.queue_packet(device)
        return self.scheduler.wait()


class DeviceTask(Task):
    def __init__(self, scheduler, ident, priority, queue, waiting):
        Task.__init__(self, scheduler, ident, priority, queue, waiting)
        self.pending = None

    def run(self, packet):
        # Holds one packet until released by the idle task, then sends it back.
        if packet is None:
            pending = self.pending
            if pending is None:
                return self.scheduler.wait()
            self.pending = None
            return self.scheduler.queue_packet(pending)
        self.pending = packet
        return self.scheduler.hold_self()


class Scheduler:
    def __init__(self):
        self.tasks = [None] * 6
        self.task_list = None
        self.current = None
        self.queue_count = 0
        self.hold_count = 0

    def schedule(self):
        task = self.task_list
        while task is not None:
            if not task.is_runnable():
                task = task.link
                continue
            packet = None
            if task.waiting:
                packet = task.queue
                task.queue = packet.link
                task.waiting = False
            self.current = task
            task = task.run(packet)

    def wait(self):
        self.current.waiting = True
        return self.current

    def hold_self(self):
        self.hold_count += 1
        self.current.holding = True
        return self.current.link

    def release(self, ident):
        task = self.tasks[ident]
        task.holding = False
        if task.priority > self.current.priority:
            return task
        return self.current

    def queue_packet(self, packet):
        """Delivers packet to its destination task; switches to it if it is more urgent."""
        task = self.tasks[packet.ident]
        self.queue_count += 1
        packet.link = None
        packet.ident = self.current.ident
        if task.queue is None:
            task.queue = packet
            if task.priority > self.current.priority:
                return task
        else:
            task.queue = packet.append_to(task.queue)
        return self.current


def make_packets(count, ident, kind):
    queue = None
    for _ in range(count):
        queue = Packet(queue, ident, kind)
    return queue


def run_once():
    s = Scheduler()
    IdleTask(s, IDLE, 0, None, False, IDLE_COUNT)
    WorkerTask(s, WORKER, 1000, make_packets(2, WORKER, KIND_WORK), True)
    HandlerTask(s, HANDLER_A, 2000, make_packets(3, DEVICE_A, KIND_DEVICE), True)
    HandlerTask(s, HANDLER_B, 3000, make_packets(3, DEVICE_B, KIND_DEVICE), True)
    DeviceTask(s, DEVICE_A, 4000, None, True)
    DeviceTask(s, DEVICE_B, 5000, None, True)
    s.schedule()
    return s.queue_count, s.hold_count


def main():
    results = set()
    for _ in range(ITERATIONS):
        results.add(run_once())
    for queue_count, hold_count in sorted(results):
        print("richards: queue_packet count", queue_count, "hold count", hold_count,
              "expected" if (queue_count, hold_count) == (23246, 9297) else "WRONG")


main()
