"""``python -m bench [--quick]``: run every measurement, print one table."""

from bench.run import main

main()
