"""``python -m appaudit``: the same command line as the ``appaudit`` script."""
from appaudit.scanner.cli import main

# Guarded: `appaudit fleet`'s local cluster starts worker processes that import the main module.
if __name__ == "__main__":
    main(prog_name="appaudit")
