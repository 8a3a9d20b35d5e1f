# Stress: a thread keeps storing into the lists, dicts and instances it made while another
# thread grows them, which moves their storage. The thread that made a dict or list skips
# its lock on such stores until another thread first takes the lock and revokes the bias
# (docs/free-threading.md, "Biased locks"); a store that skipped the lock after the other
# thread took it would land in a moved-away array and be lost, or corrupt the counts.
import threading

from stress_util import SCALE, check, run_threads

OBJECTS = 100
GROWTH = 400 * SCALE


class Box:
    pass


made = []
ready = threading.Event()
grown = threading.Event()


def owner():
    objects = []
    for _ in range(OBJECTS):
        box = Box()
        box.last = None
        objects.append(([None], {"last": None}, box))
    made.extend(objects)
    ready.set()
    lost = 0
    value = None
    while not grown.is_set():
        # A new object each round: a store that went astray would also unbalance its count.
        value = (len(made),)
        for items, table, box in objects:
            items[0] = value
            table["last"] = value
            box.last = value
            if items[0] is not value or table["last"] is not value or box.last is not value:
                lost += 1
    return lost, value


def grower():
    ready.wait(60)
    try:
        for n in range(GROWTH):
            for items, table, box in made:
                items.append(n)
                table[n] = n
                setattr(box, f"grown_{n}", n)
    finally:
        grown.set()
    return True


(lost, last), _ = run_threads([owner, grower])
check("the owner read back every store it made", lost == 0)
check("every list kept the owner's last store and every append",
      all(items[0] is last and len(items) == 1 + GROWTH for items, _, _ in made))
check("every dict kept the owner's last store and every insertion",
      all(table["last"] is last and len(table) == 1 + GROWTH for _, table, _ in made))
check("every instance kept the owner's last store and every attribute",
      all(box.last is last and len(vars(box)) == 1 + GROWTH for _, _, box in made))
