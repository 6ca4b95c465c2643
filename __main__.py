"""``python -m appaudit``: the same command line as the ``appaudit`` script."""
from appaudit.scanner.cli import main

main(prog_name="appaudit")
