"""The front ends, one module per command, each with ``run(args) -> int``.

They differ only in how they gather the change and which reporters they use; every verdict
comes from ``engine.evaluate``. ``cli`` parses the command line and imports the one module
the command needs (the commit-msg hook must not pay for the others).
"""
