LOADS = 0
LOADS += 1
_private = "hidden"
def twice(x):
    return 2 * x
__all__ = ["twice", "LOADS"]
