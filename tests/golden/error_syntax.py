# A syntax error: reported with the line, the source and a caret, before anything runs.
print("never printed")
if x = 2:
    pass
