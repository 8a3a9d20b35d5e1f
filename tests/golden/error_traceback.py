# An uncaught exception: the traceback goes to stderr and the exit status is 1.
def level_two(x):
    return {"a": 1}[x]

def level_one():
    return level_two("missing")

print("before")
level_one()
