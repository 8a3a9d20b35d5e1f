# Measures interpreter start-up and shutdown time: the script does nothing.
pass
