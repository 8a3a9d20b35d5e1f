# At exit the program waits for non-daemon threads (including idle pool workers of an
# executor never shut down) but not for daemon threads.
import threading
import time
from concurrent.futures import ThreadPoolExecutor

never_set = threading.Event()
daemon = threading.Thread(target=never_set.wait, daemon=True)
daemon.start()

pool = ThreadPoolExecutor(max_workers=2)
print(pool.submit(lambda: 6 * 7).result(timeout=5))


def late():
    time.sleep(0.05)
    print("non-daemon thread finished")


threading.Thread(target=late).start()
print("main done")
